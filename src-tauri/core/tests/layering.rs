//! The core's layers, checked from its source.
//!
//! `gloss-core` is layered: `library` is storage and knows only plain data
//! (`model`, `error`, `urls`, the query building of `search`, the selectors
//! and anchoring of `annotate`); the domain modules (`feeds`, `save`,
//! `portability`, ...) use the library and never the other way round. This
//! test reads every `crate::`, `super::` and `self::` path of the core's
//! source (comments and `#[cfg(test)]` code left out), builds the module
//! graph from them and fails on:
//!
//! - a cycle between the crate's top-level modules;
//! - a cycle between the files of one folder (`library/annotations.rs` ⇄
//!   `library/stories.rs`); the folder's `mod.rs` is its facade (the shared
//!   type and helpers every file uses) and is not a node of its folder;
//! - `library` using a module outside [`LIBRARY_MAY_USE`], or one of those
//!   using anything beyond them (so what the library uses stays a leaf).
//!
//! The checker itself is tested on small made-up trees below, so it is
//! known to see what it looks for.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What the library may use besides itself: plain data and leaf helpers
/// (`clock`, `text` and `markup` use nothing of the crate).
const LIBRARY_MAY_USE: &[&str] = &[
    "model", "error", "urls", "search", "annotate", "clock", "text", "markup",
];

/// One source file: its module path from the crate root (`["library",
/// "feeds"]`) and the module paths it refers to.
#[derive(Debug)]
struct SourceFile {
    module: Vec<String>,
    uses: Vec<Vec<String>>,
}

#[test]
fn the_core_has_no_cycle_and_the_library_uses_only_leaves() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = read_tree(&src);
    assert!(
        files.len() > 50,
        "read only {} files from {}",
        files.len(),
        src.display()
    );
    let problems = check(&files);
    assert!(
        problems.is_empty(),
        "the core's layering is broken:\n  {}",
        problems.join("\n  ")
    );
}

/// Every problem with the layering of `files`, as a line of text.
fn check(files: &[SourceFile]) -> Vec<String> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    let aliases = root_aliases(files);
    let mut problems = Vec::new();

    // Top-level modules.
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let Some(from) = f.module.first() else {
            continue;
        };
        let edges = top.entry(from.clone()).or_default();
        for used in &f.uses {
            let target = resolve(used, &modules, &aliases);
            if let Some(to) = target.first().filter(|to| *to != from) {
                edges.insert(to.clone());
            }
        }
    }
    problems.extend(cycles(&top).into_iter().map(|c| format!("cycle: {c}")));

    // What the library and its leaves use.
    for (from, edges) in &top {
        let bound = if from == "library" {
            Some("library")
        } else if LIBRARY_MAY_USE.contains(&from.as_str()) {
            Some("a module the library uses")
        } else {
            None
        };
        if let Some(what) = bound {
            for to in edges
                .iter()
                .filter(|to| !LIBRARY_MAY_USE.contains(&to.as_str()))
            {
                problems.push(format!(
                    "{what} `{from}` uses `{to}`; the library may use only {LIBRARY_MAY_USE:?}"
                ));
            }
        }
    }

    // The files of each folder.
    let folders: BTreeSet<Vec<String>> = modules
        .iter()
        // The root's files are the top-level modules, checked above.
        .filter(|m| !m.is_empty())
        .filter(|m| {
            modules
                .iter()
                .any(|n| n.len() > m.len() && n.starts_with(m))
        })
        .cloned()
        .collect();
    for folder in &folders {
        let depth = folder.len();
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in files
            .iter()
            .filter(|f| f.module.len() > depth && f.module.starts_with(folder))
        {
            let from = f.module[depth].clone();
            let edges = graph.entry(from.clone()).or_default();
            for used in &f.uses {
                let target = resolve(used, &modules, &aliases);
                if target.len() > depth && target.starts_with(folder) && target[depth] != from {
                    edges.insert(target[depth].clone());
                }
            }
        }
        let name = folder.join("/");
        problems.extend(
            cycles(&graph)
                .into_iter()
                .map(|c| format!("cycle in {name}/: {c}")),
        );
    }
    problems
}

/// The names `lib.rs` re-exports (`Error` is `error`'s, `Library` the
/// library's), read from its `pub use` lines.
fn root_aliases(files: &[SourceFile]) -> BTreeMap<String, Vec<String>> {
    let mut aliases = BTreeMap::new();
    if let Some(root) = files.iter().find(|f| f.module.is_empty()) {
        for used in &root.uses {
            if let Some(last) = used.last() {
                aliases.insert(last.clone(), used.clone());
            }
        }
    }
    aliases
}

/// The module a path names: the longest prefix of it that is a module (or
/// what a name re-exported at the root stands for).
fn resolve(
    path: &[String],
    modules: &BTreeSet<Vec<String>>,
    aliases: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    if path.len() == 1 {
        if let Some(real) = aliases.get(&path[0]) {
            return resolve(real, modules, &BTreeMap::new());
        }
    }
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
        .unwrap_or_default()
}

/// Every elementary cycle found by a depth-first walk, one per back edge,
/// written `a -> b -> a`; sorted so the message is stable.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn walk(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut BTreeSet<String>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle: Vec<String> = stack[at..].to_vec();
            // The same cycle reads the same from wherever it was entered.
            let first = cycle
                .iter()
                .enumerate()
                .min_by_key(|(_, n)| n.as_str())
                .map_or(0, |(i, _)| i);
            cycle.rotate_left(first);
            cycle.push(cycle[0].clone());
            found.insert(cycle.join(" -> "));
            return;
        }
        if done.contains(node) {
            return;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            walk(next, graph, stack, done, found);
        }
        stack.pop();
        done.insert(node.to_string());
    }
    let mut found = BTreeSet::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        walk(node, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found.into_iter().collect()
}

fn read_tree(src: &Path) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    collect_rs(src, &mut paths);
    paths
        .iter()
        .filter_map(|path| {
            let relative = path
                .strip_prefix(src)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs::read_to_string(path).ok()?;
            parse_file(&relative, &text)
        })
        .collect()
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A file's module and the paths it uses; `None` for test-only files
/// (`tests.rs`, `*_tests.rs`, the `testing` fixtures), which may reach
/// anywhere.
fn parse_file(relative: &str, text: &str) -> Option<SourceFile> {
    let stem = relative.strip_suffix(".rs")?;
    let file = stem.rsplit('/').next().unwrap_or(stem);
    if file == "tests" || file.ends_with("_tests") || file == "testing" {
        return None;
    }
    let mut module: Vec<String> = stem.split('/').map(str::to_string).collect();
    let is_facade = matches!(file, "mod" | "lib");
    if is_facade {
        module.pop();
    }
    // `super` of a file is its folder; of a folder's `mod.rs`, the folder's parent.
    let parent: Vec<String> = module[..module.len().saturating_sub(1)].to_vec();
    let code = without_tests(&without_comments(text));
    let mut uses = Vec::new();
    for (prefix, base) in [
        ("crate::", Vec::new()),
        ("super::", parent),
        ("self::", module.clone()),
    ] {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let mut base = base.clone();
            // `super::super::x`
            let mut tail = rest;
            while prefix == "super::" && tail.starts_with("super::") {
                base.pop();
                tail = &tail["super::".len()..];
            }
            paths_in(&base, tail, &mut uses);
        }
    }
    // The root's own re-exports (`pub use library::Library;`) name its
    // modules without `crate::`.
    if module.is_empty() {
        for line in code.lines() {
            if let Some(rest) = line.trim().strip_prefix("pub use ") {
                if !rest.starts_with("crate::") {
                    paths_in(&[], rest, &mut uses);
                }
            }
        }
    }
    Some(SourceFile { module, uses })
}

/// The paths at the start of `text`, under `base`: `a::b::C` is one,
/// `{a, b::{c, d}}` several.
fn paths_in(base: &[String], text: &str, out: &mut Vec<Vec<String>>) {
    let text = text.trim_start();
    if let Some(inner) = text.strip_prefix('{') {
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    paths_in(base, &inner[start..i], out);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    paths_in(base, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let ident: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if ident.is_empty() || ident == "self" {
        if !base.is_empty() {
            out.push(base.to_vec());
        }
        return;
    }
    let mut path = base.to_vec();
    path.push(ident.clone());
    let rest = &text[ident.len()..];
    match rest.strip_prefix("::") {
        Some(more) => paths_in(&path, more, out),
        None => out.push(path),
    }
}

/// The text without `//` comments (doc comments name modules in prose).
/// A `//` inside a string (a URL) cuts the rest of that line too, which
/// only ever loses a path, never invents one.
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text without `#[cfg(test)]` items: an item in braces is skipped
/// to its closing brace, a one-line item to its semicolon.
fn without_tests(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let brace = after.find('{');
        let semi = after.find(';');
        let end = match (brace, semi) {
            (Some(b), Some(s)) if s < b => s + 1,
            (Some(b), _) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, Some(s)) => s + 1,
            (None, None) => after.len(),
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

// The checker on made-up trees.

fn tree(files: &[(&str, &str)]) -> Vec<SourceFile> {
    files
        .iter()
        .filter_map(|(path, text)| parse_file(path, text))
        .collect()
}

const LEAVES: &[(&str, &str)] = &[
    (
        "lib.rs",
        "pub use error::{Error, Result};\npub use library::Library;",
    ),
    ("error.rs", ""),
    ("model.rs", ""),
    ("library/mod.rs", "use crate::{Error, Result};"),
];

fn with_leaves(files: &[(&'static str, &'static str)]) -> Vec<SourceFile> {
    let mut all = LEAVES.to_vec();
    all.extend_from_slice(files);
    tree(&all)
}

#[test]
fn a_layered_tree_passes() {
    let files = with_leaves(&[
        (
            "library/stories.rs",
            "use super::Library;\nuse crate::model::StoryId;",
        ),
        ("library/tags.rs", "use super::stories::missing;"),
        (
            "feeds/mod.rs",
            "use crate::library::{NewFeed, RefreshPlan};\nuse crate::Library;",
        ),
        ("save.rs", "use crate::{feeds, Library};"),
    ]);
    assert_eq!(check(&files), Vec::<String>::new());
}

#[test]
fn a_library_that_imports_a_domain_module_fails() {
    let files = with_leaves(&[
        ("library/feeds.rs", "use crate::feeds::politeness::backoff;"),
        ("feeds/mod.rs", "pub mod politeness;"),
        ("feeds/politeness.rs", ""),
    ]);
    let problems = check(&files);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("library `library` uses `feeds`")),
        "{problems:?}"
    );
}

#[test]
fn a_cycle_between_modules_fails_even_through_grouped_imports() {
    let files = with_leaves(&[
        ("feeds/mod.rs", "pub mod items;"),
        (
            "feeds/items.rs",
            "use crate::{save::{self, SaveOptions}, urls};",
        ),
        ("portability/mod.rs", "pub mod fetch;"),
        ("save.rs", "fn f() { crate::portability::fetch::go() }"),
        ("portability/fetch.rs", "use crate::feeds::LibraryAccess;"),
        ("urls.rs", ""),
    ]);
    let problems = check(&files);
    assert!(
        problems.contains(&"cycle: feeds -> save -> portability -> feeds".to_string()),
        "{problems:?}"
    );
}

#[test]
fn a_cycle_between_files_of_a_folder_fails() {
    let files = with_leaves(&[
        (
            "library/annotations.rs",
            "let e = super::stories::missing(id);",
        ),
        (
            "library/stories.rs",
            "super::annotations::reanchor_tx(tx, id)?;",
        ),
    ]);
    assert_eq!(
        check(&files),
        vec!["cycle in library/: annotations -> stories -> annotations".to_string()]
    );
}

#[test]
fn comments_and_test_code_are_not_imports() {
    let files = with_leaves(&[(
        "library/feeds.rs",
        "//! Feeds (see crate::feeds).\n\
         use crate::model::FeedInfo; // not crate::save\n\
         #[cfg(test)]\nmod tests {\n    use crate::feeds::parse;\n    fn f() { if x { y } }\n}\n\
         #[cfg(test)]\nuse crate::save::x;\n",
    )]);
    assert_eq!(check(&files), Vec::<String>::new());
}
