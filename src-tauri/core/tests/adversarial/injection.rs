//! Strings that look like SQL, FTS5 query syntax or LIKE patterns, in
//! titles, tags, notes and searches. Every search returns exactly the
//! stories that contain what was typed, as words, and never an error;
//! nothing typed is ever run as SQL.

use gloss_core::annotate::{NewAnnotation, TextQuoteSelector};
use gloss_core::library::NewStory;
use gloss_core::model::{ListQuery, SearchQuery};
use gloss_core::Library;

/// A library whose stories carry hostile strings, with their ids by key.
struct Hostile {
    lib: Library,
    ids: Vec<(&'static str, i64)>,
}

impl Hostile {
    fn id(&self, key: &str) -> i64 {
        self.ids
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, id)| *id)
            .unwrap()
    }

    /// The keys of the stories a search returns, sorted.
    fn search(&self, text: &str) -> Vec<&'static str> {
        let hits = self
            .lib
            .search(&SearchQuery {
                text: text.to_string(),
                ..Default::default()
            })
            .unwrap_or_else(|e| panic!("searching {text:?} failed: {e}"));
        let mut keys: Vec<&'static str> = hits
            .iter()
            .map(|h| self.ids.iter().find(|(_, id)| *id == h.id).unwrap().0)
            .collect();
        keys.sort_unstable();
        keys
    }
}

const STORIES: &[(&str, &str, &str, &[&str])] = &[
    (
        "sql",
        "Robert'); DROP TABLE articles;--",
        "Little bobby tables went to school.",
        &["'; DELETE FROM tags;--"],
    ),
    (
        "like",
        "100% organic_cotton",
        "Percent signs and under_scores in a back\\slash path.",
        &["%", "_"],
    ),
    (
        "fts",
        "He said \"NEAR(a b)\" AND OR NOT",
        "Columns like title:harbour and carets ^first, stars* and -dashes.",
        &["NEAR(", "\"quoted\""],
    ),
    (
        "plain",
        "A plain story about the harbour",
        "Nothing odd here: the harbour master and the tide.",
        &["harbour"],
    ),
];

fn hostile_library() -> Hostile {
    let mut lib = Library::open_in_memory().unwrap();
    let mut ids = Vec::new();
    for (key, title, text, tags) in STORIES {
        let id = lib
            .store_story(NewStory {
                url: format!("https://e.example/{key}"),
                url_key: format!("https://e.example/{key}"),
                title: (*title).to_string(),
                html: format!("<p>{}</p>", text.replace('<', "&lt;")),
                text: (*text).to_string(),
                word_count: 10,
                tags: tags.iter().map(|t| (*t).to_string()).collect(),
                ..Default::default()
            })
            .unwrap()
            .id;
        ids.push((*key, id));
    }
    Hostile { lib, ids }
}

#[test]
fn sql_in_titles_and_tags_is_stored_as_text() {
    let h = hostile_library();
    let story = h.lib.story(h.id("sql")).unwrap();
    assert_eq!(story.summary.title, "Robert'); DROP TABLE articles;--");
    assert_eq!(story.summary.tags, ["'; DELETE FROM tags;--"]);
    // Every table is still there and whole.
    assert_eq!(h.lib.info().unwrap().stories, 4);
    assert!(h.lib.check().unwrap().ok);
    assert_eq!(h.search("DROP TABLE"), ["sql"]);
    assert_eq!(h.search("'); DROP TABLE articles;--"), ["sql"]);
}

#[test]
fn like_patterns_in_tags_match_only_themselves() {
    let h = hostile_library();
    for (tag, expected) in [
        ("%", vec!["like"]),
        ("_", vec!["like"]),
        ("harbour", vec!["plain"]),
    ] {
        let list = h
            .lib
            .list(&ListQuery {
                tag: Some(tag.to_string()),
                ..Default::default()
            })
            .unwrap();
        let got: Vec<i64> = list.stories.iter().map(|s| s.id).collect();
        let want: Vec<i64> = expected.iter().map(|k| h.id(k)).collect();
        assert_eq!(got, want, "tag {tag:?}");
    }
    // A tag that is only a pattern matches no other tag.
    let none = h
        .lib
        .list(&ListQuery {
            tag: Some("%%".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(none.stories.is_empty());
}

/// Each search: what it must return, exactly.
#[test]
fn fts_syntax_in_searches_finds_exactly_the_right_stories() {
    let h = hostile_library();
    let cases: &[(&str, &[&str])] = &[
        ("\"NEAR(a b)\"", &["fts"]),
        ("NEAR(a b)", &["fts"]),
        ("NEAR(", &["fts"]),
        ("title:harbour", &["fts"]),
        ("^first", &["fts"]),
        ("carets ^first", &["fts"]),
        ("stars*", &["fts"]),
        ("harbour", &["fts", "plain"]),
        ("harbour -plain", &["fts"]),
        ("harbour NOT master", &["fts"]),
        ("tables OR tide", &["plain", "sql"]),
        ("organic_cotton", &["like"]),
        ("100%", &["like"]),
        ("back\\slash", &["like"]),
        ("\"unclosed quote", &[]),
        ("AND", &[]),
        ("OR NOT AND", &[]),
        ("*", &[]),
        ("%", &[]),
        ("_", &[]),
        ("\\", &[]),
        ("-", &[]),
        (":", &[]),
        ("^", &[]),
        ("(((", &[]),
        ("\"\"", &[]),
        ("'", &[]),
        (";", &[]),
        ("bobby OR", &["sql"]),
        ("tables OR OR tide", &["plain", "sql"]),
        // Found by fuzzing (fuzz/artifacts/search): a NUL ended the FTS5 string.
        ("drop \0\0\0'tap t\0\0e", &[]),
        ("bobby\0tables", &["sql"]),
    ];
    for (query, want) in cases {
        assert_eq!(h.search(query), *want, "search {query:?}");
    }
}

/// A search that only excludes a word must not return the stories that
/// have it (FTS5 cannot express "everything but", so it returns nothing).
#[test]
fn an_exclusion_alone_never_returns_what_it_excludes() {
    let h = hostile_library();
    for query in ["-harbour", "-harbour -tide", "NOT harbour", "OR -harbour"] {
        let got = h.search(query);
        assert!(
            !got.contains(&"plain") && !got.contains(&"fts"),
            "{query:?} returned stories with the excluded word: {got:?}"
        );
    }
}

/// Notes with SQL, FTS and LIKE syntax are kept exactly; the notebook's
/// text filter matches them as text.
#[test]
fn hostile_notes_are_kept_and_matched_as_text() {
    let mut h = hostile_library();
    let plain = h.id("plain");
    let notes = [
        "50% off_ \\ '; DROP TABLE annotations;--",
        "NEAR(x y) AND \"q\" * ^ -",
    ];
    for (note, exact) in notes.iter().zip(["harbour master", "the tide"]) {
        h.lib
            .add_annotation(
                plain,
                NewAnnotation {
                    quote: TextQuoteSelector {
                        exact: exact.into(),
                        prefix: String::new(),
                        suffix: String::new(),
                    },
                    note: (*note).to_string(),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    let stored: Vec<String> = h
        .lib
        .annotations_of(plain)
        .unwrap()
        .into_iter()
        .map(|a| a.note)
        .collect();
    assert!(stored.contains(&notes[0].to_string()) && stored.contains(&notes[1].to_string()));
    for (text, want) in [
        ("%", 1),
        ("_", 1),
        ("\\", 1),
        ("'", 1),
        ("NEAR(", 1),
        ("*", 1),
        ("%%", 0),
        ("x%y", 0),
    ] {
        let found = h
            .lib
            .notebook(&gloss_core::annotate::AnnotationQuery {
                text: Some(text.into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(found.len(), want, "notebook text {text:?}");
    }
    // Notes are searchable, and their syntax is only words.
    assert_eq!(h.search("DROP TABLE annotations"), ["plain"]);
    assert_eq!(h.search("NEAR(x y)"), ["plain"]);
    assert!(h.lib.check().unwrap().ok);
}
