//! The app crate's layers (docs/architecture.md, "The app"): commands and
//! the other ways in (`app`, `launch`, `menu`, `handoff`) call services;
//! services never call back up; commands never call the other ways in,
//! and nothing but the invoke handler calls a command.

use std::path::{Path, PathBuf};

fn app_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src-tauri")
}

/// Every `.rs` file under `dir` (not descending into the other crates).
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the app's sources are readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            if path.ends_with("commands") || path.ends_with("services") {
                out.extend(sources(&path));
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The module a file is in, by the app crate's layout.
fn layer(path: &Path) -> String {
    let relative = path.strip_prefix(app_dir()).expect("under src-tauri");
    let first = relative.components().next().expect("a path");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// The app modules a file names with `crate::` (code lines, not comments).
fn reaches(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `$crate::commands::…` inside the handler macro is the command
            // list itself.
            if !code[..at].ends_with('$') && !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

/// Which modules each layer must not reach.
fn forbidden(layer: &str) -> &'static [&'static str] {
    match layer {
        "commands" => &["app", "launch", "menu", "handoff", "recovery"],
        "services" | "events" | "state" | "notify" => &["commands", "app", "launch", "menu"],
        "app" | "launch" | "menu" | "handoff" => &["commands"],
        _ => &[],
    }
}

fn violations() -> Vec<String> {
    let mut found = Vec::new();
    for path in sources(&app_dir()) {
        let from = layer(&path);
        let text = std::fs::read_to_string(&path).expect("a source file");
        for to in reaches(&text) {
            if forbidden(&from).contains(&to.as_str()) {
                found.push(format!("{} reaches crate::{to}", path.display()));
            }
        }
    }
    found
}

#[test]
fn no_layer_of_the_app_reaches_back_up() {
    let found = violations();
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_back_reference_is_found() {
    assert_eq!(
        reaches("use crate::commands::save_url; // crate::app\n$crate::commands::x"),
        ["commands"]
    );
    assert!(forbidden("services").contains(&"commands"));
    assert!(forbidden("commands").contains(&"launch"));
}
