//! Unicode tricks in titles, content, tags, notes and searches: bidi
//! overrides, zero-width characters, floods of combining marks, NUL and
//! invalid UTF-8. Nothing is lost or cut in the middle of a character,
//! nothing errors, and what is stored can still be found.

use gloss_core::annotate::{NewAnnotation, TextQuoteSelector};
use gloss_core::library::NewStory;
use gloss_core::model::SearchQuery;
use gloss_core::portability::import::{apply, prepare};
use gloss_core::portability::zipread::ZipLimits;
use gloss_core::testing::Route;
use gloss_core::{ErrorKind, Library};

use crate::oracle::assert_safe;
use crate::{all_stories, page, save_html, save_routes};

const RLO: char = '\u{202E}';
const ZWSP: char = '\u{200B}';
const ZWJ: char = '\u{200D}';

fn search(lib: &Library, text: &str) -> Vec<i64> {
    lib.search(&SearchQuery {
        text: text.into(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("searching {text:?}: {e}"))
    .into_iter()
    .map(|h| h.id)
    .collect()
}

#[test]
fn bidi_overrides_and_zero_width_characters_are_kept_and_the_words_found() {
    let title = format!("Harbour {RLO}gol{}\u{202C} report", ZWSP);
    let body = format!("<p>The pass{ZWSP}word is in the log{ZWJ}book, said the {RLO}retsam{RLO} harbour master.</p>");
    let mut lib = Library::open_in_memory().unwrap();
    let server = gloss_core::testing::FixtureServer::start(vec![(
        "/p",
        Route::html(&page(&title, "", &body)),
    )]);
    let story = crate::save_url(&mut lib, &crate::fetcher(), &server.url("/p")).unwrap();
    server.stop();
    assert_safe("bidi", &story.html);
    assert!(
        story.summary.title.contains(RLO) && story.summary.title.contains("report"),
        "{}",
        story.summary.title
    );
    assert!(
        story.text.contains(&format!("pass{ZWSP}word")),
        "{}",
        story.text
    );
    assert_eq!(search(&lib, "report"), [story.summary.id]);
    assert_eq!(search(&lib, "master"), [story.summary.id]);
    // Searching with the invisible characters themselves is not an error.
    for q in [
        RLO.to_string(),
        ZWSP.to_string(),
        format!("pass{ZWSP}word"),
        format!("{RLO}retsam"),
    ] {
        search(&lib, &q);
    }
}

#[test]
fn nul_bytes_in_a_page_are_dropped_and_the_text_after_them_kept() {
    let html = page(
        "Harbour\0 log",
        "",
        "<p>Before\0after &#0; the nul, tide\u{0}s.</p>",
    );
    let story = save_html(&html);
    assert_safe("nul", &story.html);
    for field in [&story.summary.title, &story.text, &story.html] {
        assert!(!field.contains('\0'), "a NUL was stored: {field:?}");
    }
    assert!(
        story.summary.title.contains("log"),
        "{}",
        story.summary.title
    );
    assert!(
        story.text.contains("after") && story.text.contains("the nul"),
        "{}",
        story.text
    );
}

/// "Zalgo" text: thousands of combining marks on a few letters, and long
/// runs of emoji (four bytes each). Excerpts, snippets and reading time cut
/// at character boundaries.
#[test]
fn floods_of_combining_marks_and_emoji_do_not_break_excerpts_or_snippets() {
    let zalgo: String = "harbour"
        .chars()
        .flat_map(|c| {
            std::iter::once(c).chain("\u{0336}\u{0489}\u{0353}\u{0300}".chars().cycle().take(800))
        })
        .collect();
    let emoji = "\u{1F30A}\u{1F6A2}\u{200D}\u{2693}".repeat(2000);
    let html = page(
        &format!(
            "{} {}",
            zalgo.chars().take(500).collect::<String>(),
            "title"
        ),
        "",
        &format!("<p>{zalgo} {emoji} lighthouse</p>"),
    );
    let story = save_html(&html);
    assert_safe("zalgo", &story.html);
    if let Some(excerpt) = &story.summary.excerpt {
        assert!(
            excerpt.chars().count() <= 400,
            "{}",
            excerpt.chars().count()
        );
    }
    assert!(story.text.contains("lighthouse"));
    let mut lib = Library::open_in_memory().unwrap();
    let id = lib
        .store_story(NewStory {
            url: "https://e.example/z".into(),
            url_key: "https://e.example/z".into(),
            title: story.summary.title.clone(),
            html: story.html.clone(),
            text: story.text.clone(),
            ..Default::default()
        })
        .unwrap()
        .id;
    for q in ["lighthouse", "\u{1F30A}", "\u{0336}", "harbour"] {
        let hits = lib
            .search(&SearchQuery {
                text: q.into(),
                ..Default::default()
            })
            .unwrap();
        for h in &hits {
            assert_eq!(h.id, id);
            assert!(
                !h.snippet.contains('\u{FFFD}') || story.text.contains('\u{FFFD}'),
                "{q}: {}",
                h.snippet
            );
        }
    }
    assert_eq!(search(&lib, "lighthouse"), [id]);
}

#[test]
fn invalid_utf8_in_an_import_becomes_replacement_characters_not_lost_rows() {
    let mut csv = b"URL,Title,Selection,Folder,Timestamp\n".to_vec();
    csv.extend_from_slice(b"https://e.example/1,Caf\xe9 \xff\xfe harbour,,Unread,1700000000\n");
    csv.extend_from_slice(b"https://e.example/2,Second \xc3( story,,Unread,1700000001\n");
    csv.extend_from_slice(b"https://e.example/3,Clean story,,Unread,1700000002\n");
    let mut lib = Library::open_in_memory().unwrap();
    let report = apply(&mut lib, prepare(&csv, None, ZipLimits::default()).unwrap()).unwrap();
    assert_eq!(report.imported, 3, "{report:?}");
    let titles: Vec<String> = all_stories(&lib)
        .into_iter()
        .map(|s| s.summary.title)
        .collect();
    assert!(titles.iter().any(|t| t.contains("harbour")), "{titles:?}");
    assert!(
        titles
            .iter()
            .any(|t| t.contains("Second") && t.contains("story")),
        "{titles:?}"
    );
}

#[test]
fn tags_and_notes_keep_unicode_exactly_and_refuse_nul() {
    let mut lib = Library::open_in_memory().unwrap();
    let text = "The harbour master wrote in the log every evening.";
    let id = lib
        .store_story(NewStory {
            url: "https://e.example/t".into(),
            url_key: "https://e.example/t".into(),
            title: "Tags".into(),
            html: format!("<p>{text}</p>"),
            text: text.into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let tricky = [
        format!("{RLO}lave"),
        format!("a{ZWSP}b"),
        "e\u{301}".to_string(),
        "\u{1F30A}".to_string(),
    ];
    let tags = lib.set_tags(id, &tricky, &[]).unwrap();
    for t in &tricky {
        assert!(tags.contains(t), "{t:?} in {tags:?}");
    }
    let err = lib
        .set_tags(id, &["bad\0tag".to_string()], &[])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");

    let note = format!("{RLO}evil{RLO} note{ZWSP} with NUL\0inside and e\u{301} marks");
    let a = lib
        .add_annotation(
            id,
            NewAnnotation {
                quote: TextQuoteSelector {
                    exact: "harbour master".into(),
                    prefix: String::new(),
                    suffix: String::new(),
                },
                note: note.clone(),
                ..Default::default()
            },
        )
        .unwrap();
    let back = lib.annotation(a.id).unwrap();
    assert_eq!(back.note, note, "the note comes back exactly");
    assert_eq!(
        search(&lib, "inside"),
        [id],
        "words after the NUL are found"
    );
}

/// A page declared as UTF-16 by its BOM, and one that is UTF-8 but carries
/// overlong and surrogate encodings: decoded, never a crash, never markup.
#[test]
fn overlong_and_surrogate_sequences_are_not_decoded_into_markup() {
    // Overlong encodings of '<' (C0 BC, E0 80 BC) and an encoded surrogate.
    let mut body = page("Harbour", "", "<p>X</p>").into_bytes();
    let at = body.windows(3).position(|w| w == b">X<").unwrap() + 1;
    body.splice(
        at..at + 1,
        b"\xC0\xBCscript\xE0\x80\xBEalert(1)\xED\xA0\x80"
            .iter()
            .copied(),
    );
    let story = save_routes(
        vec![("/p", Route::bytes("text/html; charset=utf-8", body))],
        "/p",
    )
    .unwrap();
    assert_safe("overlong", &story.html);
    assert!(!story.html.contains("<script"), "{}", story.html);
    assert!(story.text.contains("Paragraph 6 about the harbour"));
}
