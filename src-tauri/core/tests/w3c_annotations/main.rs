//! `gloss export --format annotations` checked against the MUST assertions
//! of the W3C Web Annotation test suite (see `musts.rs`), for every kind of
//! annotation Gloss keeps: with and without a note, with and without tags,
//! in every colour, placed and orphaned.

mod musts;

use gloss_core::annotate::{
    Annotation, Color, NewAnnotation, TextPositionSelector, TextQuoteSelector,
};
use gloss_core::library::{Library, NewStory};
use gloss_core::portability::annotations::json_ld;
use gloss_core::portability::export_annotations;
use serde_json::{json, Value};

use musts::{annotation_failures, collection_failures, Failures};

/// One annotation of story 3, placed at `position` unless orphaned.
fn annotation(id: i64, color: Color, note: &str, tags: &[&str], placed: bool) -> Annotation {
    Annotation {
        id,
        story_id: 3,
        color,
        note: note.into(),
        quote: TextQuoteSelector {
            exact: "jaminan keamanan".into(),
            prefix: "butuhkan “".into(),
            suffix: "” untuk".into(),
        },
        position: placed.then_some(TextPositionSelector { start: 10, end: 26 }),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        created: "2026-11-28T10:00:00Z".into(),
        modified: "2026-11-28T10:05:00.250Z".into(),
    }
}

/// Every kind: highlight only, note, tags, note and tags, orphaned with and
/// without a note; each colour at least once.
fn every_kind() -> Vec<(Annotation, String)> {
    let source = "https://news.example/2026/korea?id=1".to_string();
    [
        annotation(1, Color::Yellow, "", &[], true),
        annotation(2, Color::Green, "Why *this* matters", &[], true),
        annotation(3, Color::Blue, "", &["korea", "two words"], true),
        annotation(4, Color::Pink, "A note\n\nover lines", &["korea"], true),
        annotation(5, Color::Purple, "", &[], false),
        annotation(6, Color::Yellow, "Lost its place", &["orphan"], false),
    ]
    .into_iter()
    .map(|a| (a, source.clone()))
    .collect()
}

fn report(failures: &Failures) -> String {
    failures
        .iter()
        .map(|(assertion, why)| format!("  {assertion}: {why}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fails with the suite's report when the collection breaks a MUST.
fn assert_meets_the_musts(doc: &Value) {
    let failures = collection_failures(doc);
    assert!(
        failures.is_empty(),
        "W3C MUSTs broken:\n{}",
        report(&failures)
    );
}

fn items(doc: &Value) -> &Vec<Value> {
    doc["first"]["items"].as_array().expect("the page's items")
}

#[test]
fn every_kind_of_annotation_exports_meeting_the_w3c_musts() {
    let doc = json_ld(&every_kind());
    assert_meets_the_musts(&doc);
    assert_eq!(doc["total"], 6);
    // Each annotation also stands alone, copied out of the collection.
    for item in items(&doc) {
        let failures = annotation_failures(item);
        assert!(failures.is_empty(), "{item}:\n{}", report(&failures));
    }
}

#[test]
fn a_highlight_without_a_note_has_no_body_and_others_keep_theirs() {
    let doc = json_ld(&every_kind());
    let items = items(&doc);
    for i in [0, 4] {
        assert!(items[i].get("body").is_none(), "{}", items[i]);
        assert_eq!(items[i]["motivation"], "highlighting");
    }
    assert_eq!(items[1]["body"][0]["value"], "Why *this* matters");
    assert_eq!(items[1]["body"][0]["purpose"], "commenting");
    assert_eq!(items[1]["motivation"], "commenting");
    // Tags alone: tagging bodies, and the highlight stays a highlight.
    assert_eq!(items[2]["body"][1]["value"], "two words");
    assert_eq!(items[2]["body"][1]["purpose"], "tagging");
    assert_eq!(items[2]["motivation"], "highlighting");
    // Orphaned: only the quote selector, the note and tags still there.
    assert_eq!(
        items[5]["target"]["selector"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(items[5]["body"].as_array().map(Vec::len), Some(2));
    let colours: Vec<&str> = items.iter().filter_map(|i| i["color"].as_str()).collect();
    for colour in ["yellow", "green", "blue", "pink", "purple"] {
        assert!(colours.contains(&colour), "{colour} in {colours:?}");
    }
}

/// A story saved in a library, highlighted every way, then saved again
/// with a text that lost one quote: the export the command line writes.
#[test]
fn a_library_export_meets_the_w3c_musts_with_an_orphaned_highlight() {
    let mut lib = Library::open_in_memory().unwrap();
    let text = "Seoul wants security guarantees. Talks resume in Geneva. The ferry runs late.";
    let story = |text: &str| NewStory {
        url: "https://news.example/talks".into(),
        url_key: "https://news.example/talks".into(),
        title: "Talks".into(),
        html: format!("<p>{text}</p>"),
        text: text.into(),
        ..Default::default()
    };
    let id = lib.store_story(story(text)).unwrap().id;
    let highlights = [
        ("security guarantees", Color::Yellow, "", vec![]),
        ("Talks resume", Color::Green, "Since *March*", vec![]),
        ("in Geneva", Color::Blue, "", vec!["places".to_string()]),
        (
            "ferry runs late",
            Color::Purple,
            "Again",
            vec!["ferry".into(), "late".into()],
        ),
    ];
    for (exact, color, note, tags) in highlights {
        let quote = TextQuoteSelector {
            exact: exact.into(),
            prefix: String::new(),
            suffix: String::new(),
        };
        let new = NewAnnotation {
            quote,
            position: None,
            color,
            note: note.into(),
            tags,
        };
        lib.add_annotation(id, new).unwrap();
    }
    let (_, orphaned) = lib
        .replace_content(
            id,
            story("Seoul wants security guarantees. Talks resume in Geneva."),
        )
        .unwrap();
    assert_eq!(orphaned, 1, "the ferry highlight lost its words");

    let doc = export_annotations(&lib).unwrap();
    assert_meets_the_musts(&doc);
    assert_eq!(doc["total"], 4);
    let bodiless = items(&doc)
        .iter()
        .filter(|i| i.get("body").is_none())
        .count();
    assert_eq!(bodiless, 1, "only the bare highlight has no body");
    let orphans: Vec<&Value> = items(&doc)
        .iter()
        .filter(|i| i["orphaned"] == true)
        .collect();
    assert_eq!(orphans.len(), 1);
    assert_eq!(
        orphans[0]["target"]["selector"][0]["exact"],
        "ferry runs late"
    );
}

#[test]
fn an_empty_library_exports_a_valid_empty_collection() {
    let doc = json_ld(&[]);
    assert_meets_the_musts(&doc);
    assert_eq!(doc["total"], 0);
}

/// The checker is only worth its passes if it fails: the shapes Gloss
/// exported before (an empty body array, a collection without an id) and
/// other breaks are each caught under the right assertion.
#[test]
fn the_checker_catches_broken_documents() {
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut doc = json_ld(&every_kind());
        edit(&mut doc);
        collection_failures(&doc)
    };
    let names = |f: Failures| f.into_iter().map(|(a, _)| a).collect::<Vec<_>>();

    let f = names(broken(&|d: &mut Value| {
        d["first"]["items"][0]["body"] = json!([])
    }));
    assert_eq!(f, ["model 3.2: a body key holds one or more bodies"]);
    let f = names(broken(&|d: &mut Value| {
        if let Some(o) = d.as_object_mut() {
            o.remove("id");
        }
    }));
    assert_eq!(f, ["5.1-collectionIdValidated.json"]);
    let f = names(broken(&|d: &mut Value| {
        d["first"]["items"][1]["id"] = json!("not a uri")
    }));
    assert_eq!(f, ["3.1-annotationIdValidated.json"]);
    let f = names(broken(&|d: &mut Value| {
        d["first"]["items"][1]["bodyValue"] = json!("text");
        d["first"]["items"][2]["target"]["selector"] = json!([{"type": "TextQuoteSelector"}]);
        d["first"]["items"][3]["created"] = json!("yesterday");
        d["first"]["items"][4]["@context"] = json!("http://schema.org/");
        d["first"]["items"][5]["motivation"] = json!("liking");
    }));
    assert_eq!(
        f,
        [
            "3.2.5-notBodyBodyValue.json",
            "3.2-targetObjectsRecognized.json",
            "3.3.1-annotationCreatedValidated.json",
            "3.1-annotationContextValidated.json",
            "3.3.5-annotationMotivationImplemented.json",
        ]
    );
    let f = names(broken(&|d: &mut Value| {
        d["total"] = json!(-1);
        d["type"] = json!("Collection");
        d["first"]["items"][0]["body"] = json!([{"purpose": "tagging"}]);
    }));
    assert_eq!(
        f,
        [
            "5.1-collectionTypeValidated.json",
            "5.1-collectionTotalValidated.json",
            "3.2-bodyObjectsRecognized.json",
        ]
    );
}
