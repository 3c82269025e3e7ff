//! Highlights and notes from the command line: `annotate`, `annotations`,
//! `refresh`, with the real binary and a temporary library.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;

const SEED: &str = "../shared/fixtures/articles/putin-kim-denuclearization.id.txt";
const QUOTE: &str = "jaminan keamanan bilateral tidak cukup";

fn gloss(library: &Path, args: &[&str]) -> (i32, String, String) {
    let out = support::gloss(library).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn ok(library: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = gloss(library, args);
    assert_eq!(code, 0, "gloss {args:?}: {stderr}");
    stdout
}

fn json(library: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(library, args)).unwrap()
}

/// The words at an annotation's position in the story's text as `show` prints it.
fn words_at(library: &Path, id: i64, annotation: &Value) -> String {
    let text = ok(library, &["show", &id.to_string(), "--format", "text"]);
    let selectors = annotation["target"]["selector"].as_array().unwrap();
    let pos = selectors
        .iter()
        .find(|s| s["type"] == "TextPositionSelector")
        .expect("a position");
    let (start, end) = (
        pos["start"].as_u64().unwrap() as usize,
        pos["end"].as_u64().unwrap() as usize,
    );
    text.chars().skip(start).take(end - start).collect()
}

fn seed_copy(dir: &Path) -> (PathBuf, String) {
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).unwrap();
    let path = dir.join("putin-kim.txt");
    std::fs::write(&path, &original).unwrap();
    (path, original)
}

#[test]
fn the_seed_story_keeps_its_highlight_when_an_edited_copy_is_saved_again() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib.gloss");
    let (path, original) = seed_copy(dir.path());
    let id = json(&lib, &["save", path.to_str().unwrap(), "--json"])[0]["id"]
        .as_i64()
        .unwrap();

    let made = json(
        &lib,
        &[
            "annotate",
            &id.to_string(),
            "--quote",
            QUOTE,
            "--note",
            "Russia wants *more*",
            "--color",
            "green",
            "--json",
        ],
    );
    assert_eq!(made["type"], "Annotation");
    assert_eq!(made["color"], "green");
    assert_eq!(made["note"], "Russia wants *more*");
    assert_eq!(made["orphaned"], false);
    assert!(made["target"]["source"]
        .as_str()
        .unwrap()
        .starts_with("file://"));
    for key in ["id", "target", "color", "note", "created", "modified"] {
        assert!(made.get(key).is_some(), "annotation JSON lacks {key}");
    }
    let types: Vec<&str> = made["target"]["selector"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, vec!["TextQuoteSelector", "TextPositionSelector"]);
    assert_eq!(words_at(&lib, id, &made), QUOTE);
    let before = made["target"]["selector"][1]["start"].as_u64().unwrap();

    // An edited copy: a new first paragraph under the title, saved again.
    let mut lines: Vec<&str> = original.lines().collect();
    let title_at = lines.iter().position(|l| !l.trim().is_empty()).unwrap();
    lines.insert(title_at + 1, "\nParagraf baru ini ditambahkan oleh redaksi setelah artikel pertama kali terbit di situs kami.");
    std::fs::write(&path, lines.join("\n")).unwrap();
    ok(&lib, &["save", path.to_str().unwrap()]);

    let now = json(&lib, &["annotations", &id.to_string(), "--json"]);
    let a = &now[0];
    assert_eq!(a["id"], made["id"]);
    assert_eq!(a["orphaned"], false);
    assert_eq!(a["note"], "Russia wants *more*");
    let after = a["target"]["selector"][1]["start"].as_u64().unwrap();
    assert!(
        after > before,
        "the highlight moved with its words ({before} -> {after})"
    );
    assert_eq!(words_at(&lib, id, a), QUOTE);

    // The note is found by search, and the story is in the Annotated list.
    let hits = json(&lib, &["search", "Russia wants", "--json"]);
    assert_eq!(hits[0]["id"].as_i64(), Some(id));
    let annotated = json(&lib, &["list", "--annotated", "--json"]);
    assert_eq!(annotated[0]["id"].as_i64(), Some(id));
}

#[test]
fn refresh_rereads_a_story_and_orphans_highlights_whose_words_are_gone() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib.gloss");
    let (path, original) = seed_copy(dir.path());
    let id = json(&lib, &["save", path.to_str().unwrap(), "--json"])[0]["id"]
        .as_i64()
        .unwrap();
    ok(&lib, &["annotate", &id.to_string(), "--quote", QUOTE]);
    ok(
        &lib,
        &["annotate", &id.to_string(), "--quote", "Vladivostok"],
    );

    let elsewhere = dir.path().join("edited.txt");
    std::fs::write(&elsewhere, original.replace("Vladivostok", "Khabarovsk")).unwrap();
    let said = ok(
        &lib,
        &[
            "refresh",
            &id.to_string(),
            "--from",
            elsewhere.to_str().unwrap(),
        ],
    );
    assert_eq!(
        said.trim(),
        format!("refreshed {id}: 1 highlights placed, 1 orphaned")
    );
    let all = json(&lib, &["annotations", "--json"]);
    let orphan = all
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["target"]["selector"][0]["exact"] == "Vladivostok")
        .unwrap();
    assert_eq!(
        orphan["orphaned"], true,
        "kept, with its quote, never deleted"
    );
    assert_eq!(orphan["target"]["selector"].as_array().unwrap().len(), 1);
    // The story keeps its own address: refreshing from a file does not move it.
    let shown = json(&lib, &["show", &id.to_string(), "--format", "json"]);
    assert!(shown["url"].as_str().unwrap().ends_with("putin-kim.txt"));

    // Without --from, a story saved from a file reads that file again.
    let said = ok(&lib, &["refresh", &id.to_string()]);
    assert_eq!(
        said.trim(),
        format!("refreshed {id}: 2 highlights placed, 0 orphaned")
    );
}

#[test]
fn a_quote_the_story_does_not_have_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib.gloss");
    let (path, _) = seed_copy(dir.path());
    let id = json(&lib, &["save", path.to_str().unwrap(), "--json"])[0]["id"]
        .as_i64()
        .unwrap();
    let (code, _, stderr) = gloss(
        &lib,
        &["annotate", &id.to_string(), "--quote", "words nobody wrote"],
    );
    assert_eq!(code, 1);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("is not in the text"), "{stderr}");
    let (code, _, stderr) = gloss(
        &lib,
        &[
            "annotate",
            &id.to_string(),
            "--quote",
            "Putin",
            "--color",
            "orange",
        ],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("not a highlight colour"), "{stderr}");
    assert_eq!(
        json(&lib, &["annotations", "--json"]),
        serde_json::json!([])
    );
}

#[test]
fn exports_write_markdown_notes_and_w3c_json_ld() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib.gloss");
    let (path, _) = seed_copy(dir.path());
    let id = json(
        &lib,
        &["save", path.to_str().unwrap(), "--json", "--tag", "korea"],
    )[0]["id"]
        .as_i64()
        .unwrap();
    ok(
        &lib,
        &[
            "annotate",
            &id.to_string(),
            "--quote",
            QUOTE,
            "--note",
            "A note under the quote",
            "--color",
            "pink",
        ],
    );

    let notes = dir.path().join("notes");
    let said = ok(
        &lib,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            notes.to_str().unwrap(),
        ],
    );
    assert_eq!(
        said.trim(),
        format!("exported 1 story to {}", notes.display())
    );
    let files: Vec<_> = std::fs::read_dir(&notes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].to_str().unwrap().ends_with(&format!("({id}).md")));
    let md = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        md.starts_with("---\ntitle: \"Korea Utara Ingin Melakukan Denuklirisasi"),
        "{md}"
    );
    assert!(md.contains("tags:\n  - \"korea\"\n"), "{md}");
    assert!(md.contains(&format!("> {QUOTE}\n")), "{md}");
    let after_quote = &md[md.find(QUOTE).unwrap()..];
    assert!(
        after_quote.contains("*pink*") && after_quote.contains("A note under the quote"),
        "{md}"
    );
    assert!(md.contains("Vladivostok"), "the story itself follows");

    let (code, _, stderr) = gloss(&lib, &["export", "--format", "markdown"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--out DIR"), "{stderr}");

    let ld_path = dir.path().join("annotations.jsonld");
    ok(
        &lib,
        &[
            "export",
            "--format",
            "annotations",
            "--out",
            ld_path.to_str().unwrap(),
        ],
    );
    let ld: Value = serde_json::from_str(&std::fs::read_to_string(&ld_path).unwrap()).unwrap();
    assert_eq!(ld["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(ld["total"], 1);
    let item = &ld["first"]["items"][0];
    assert_eq!(item["type"], "Annotation");
    assert_eq!(item["target"]["selector"][0]["exact"], QUOTE);
    assert_eq!(item["body"][0]["value"], "A note under the quote");
}
