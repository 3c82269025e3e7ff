//! Saving pages as the browser showed them: the article a script wrote, the
//! selection as a highlight, hostile HTML, and the limits.

use super::page::{save_page_into, SavedPage, SelectionOutcome, SuppliedPage, MAX_PAGE_HTML};
use super::{save_into, SaveOptions};
use crate::annotate::TextQuoteSelector;
use crate::fetch::Fetcher;
use crate::model::Origin;
use crate::testing::{tiny_png, FixtureServer, Route};
use crate::{ErrorKind, Library};

/// Paragraphs of made-up words, deterministic, with a marker word in each
/// so a test can tell which paragraphs made it.
fn paragraphs(count: usize, words: usize) -> Vec<String> {
    const VOCABULARY: [&str; 16] = [
        "harbour",
        "tide",
        "lantern",
        "gravel",
        "orchard",
        "ferry",
        "thistle",
        "granite",
        "meadow",
        "quarry",
        "willow",
        "beacon",
        "saltmarsh",
        "heron",
        "causeway",
        "bramble",
    ];
    let mut seed = 0x9e37_79b9_u32;
    (0..count)
        .map(|p| {
            let mut words: Vec<String> = (0..words)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    VOCABULARY[(seed % 16) as usize].to_string()
                })
                .collect();
            words[0] = format!("Paragraph{p}");
            format!("{}.", words.join(" "))
        })
        .collect()
}

/// What a plain fetch of the page gets: an empty shell and a script.
fn shell() -> String {
    "<!doctype html><html><head><title>Tides, written by a script</title></head>\
     <body><nav><a href=\"/\">Home</a></nav><main id=\"app\"><p>Loading…</p></main>\
     <script src=\"/app.js\"></script></body></html>"
        .to_string()
}

/// What the browser has once the script ran: the article in the shell, as
/// `document.documentElement.outerHTML` gives it (the script still there,
/// the page's own white space and indentation).
fn rendered(paragraphs: &[String], images: &str) -> String {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("\n        <p>\n          {p}\n        </p>"))
        .collect();
    format!(
        "<html><head><title>Tides, written by a script</title><base href=\"/\"></head>\
         <body><nav><a href=\"/\">Home</a> <a href=\"/subscribe\">Subscribe to our newsletter</a></nav>\
         <main id=\"app\"><article><h1>Tides, written by a script</h1>{images}{body}\n      </article></main>\
         <script src=\"/app.js\"></script></body></html>"
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

struct Setup {
    server: FixtureServer,
    library: Library,
    fetcher: Fetcher,
    rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let server = FixtureServer::start(vec![
        ("/story", Route::html(&shell())),
        ("/img/harbour.png", Route::bytes("image/png", tiny_png())),
    ]);
    let dir = tempfile::tempdir().unwrap();
    Setup {
        server,
        library: Library::open(dir.path().join("lib.gloss")).unwrap(),
        fetcher: Fetcher::new().unwrap(),
        rt: runtime(),
        _dir: dir,
    }
}

impl Setup {
    fn save_page(&mut self, html: String, selection: Option<TextQuoteSelector>) -> SavedPage {
        let page =
            SuppliedPage::new(&self.server.url("/story"), "Tides (tab title)", html).unwrap();
        self.rt
            .block_on(save_page_into(
                &mut self.library,
                &self.fetcher,
                &page,
                selection.as_ref(),
                &SaveOptions::default(),
                &|_, _, _| {},
            ))
            .unwrap()
    }
}

#[test]
fn the_article_a_script_wrote_is_saved_from_the_rendered_page_not_from_a_fetch() {
    let mut s = setup();
    let paras = paragraphs(40, 80);
    // A plain fetch of the same page, for comparison: the shell only.
    let fetched =
        s.rt.block_on(save_into(
            &mut s.library,
            &s.fetcher,
            &s.server.url("/story"),
            &SaveOptions::default(),
            &|_, _, _| {},
        ))
        .unwrap();
    let text = s.library.story(fetched.story.id).unwrap().text;
    assert!(!text.contains("Paragraph0"), "{text}");
    assert_eq!(
        s.library.story(fetched.story.id).unwrap().origin,
        Origin::Fetched
    );

    let images = "<figure><img src=\"img/harbour.png\" alt=\"The harbour at dawn\"></figure>\
                  <figure><img src=\"/img/gone.png\" alt=\"A chart that will not load\"></figure>";
    let saved = s.save_page(rendered(&paras, images), None);
    assert!(
        !saved.saved.created,
        "the same URL: the fetched story is updated"
    );
    assert_eq!(saved.saved.story.id, fetched.story.id);
    assert!(saved.selection.is_none());
    let story = s.library.story(saved.saved.story.id).unwrap();
    assert_eq!(story.origin, Origin::Browser);
    assert_eq!(story.summary.title, "Tides, written by a script");
    for p in &paras {
        assert!(story.text.contains(p.as_str()), "missing: {p}");
    }
    assert!(
        !story.text.contains("Subscribe"),
        "the navigation is not the article"
    );
    assert!(story.summary.word_count >= 40 * 80);
    // The image that loads is stored; the one that fails leaves its alt text.
    assert_eq!(s.server.hits("/img/harbour.png"), 1);
    assert!(
        story.html.contains(crate::library::ASSET_URL_PREFIX),
        "{}",
        story.html
    );
    assert!(!story.html.contains("/img/harbour.png"));
    assert!(story.html.contains("A chart that will not load"));
    // Gloss did not fetch the page itself this time: one request, the fetch above.
    assert_eq!(s.server.hits("/story"), 1);
}

#[test]
fn a_selection_becomes_a_highlight_on_the_same_words() {
    let mut s = setup();
    let paras = paragraphs(30, 60);
    // Across the end of paragraph 11 and the start of 12, as the browser's
    // Selection.toString() gives it: the page's line breaks and indentation.
    let end_of_11: String = paras[11]
        .split(' ')
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join(" ");
    let start_of_12: String = paras[12].split(' ').take(3).collect::<Vec<_>>().join(" ");
    let selection = TextQuoteSelector {
        exact: format!("{end_of_11}\n        \n\n          {start_of_12}"),
        prefix: "the words before it ".into(),
        suffix: format!(" {}", paras[12].split(' ').nth(3).unwrap()),
    };
    let saved = s.save_page(rendered(&paras, ""), Some(selection.clone()));
    let Some(SelectionOutcome::Highlighted(highlight)) = saved.selection else {
        panic!("no highlight: {:?}", saved.selection);
    };
    let text = s.library.story(saved.saved.story.id).unwrap().text;
    let expected_start = text.find(&end_of_11).unwrap();
    let chars_before = text[..expected_start].chars().count() as u32;
    let position = highlight.position.unwrap();
    assert_eq!(position.start, chars_before);
    assert!(
        highlight.quote.exact.starts_with(&end_of_11),
        "{:?}",
        highlight.quote
    );
    assert!(
        highlight.quote.exact.ends_with(&start_of_12),
        "{:?}",
        highlight.quote
    );
    assert_eq!(
        crate::text::one_line(&highlight.quote.exact),
        format!("{end_of_11} {start_of_12}")
    );
    let listed = s.library.annotations_of(saved.saved.story.id).unwrap();
    assert_eq!(listed.len(), 1);

    // The same page and selection again: the story is updated, the
    // highlight is not doubled.
    let again = s.save_page(rendered(&paras, ""), Some(selection));
    assert!(
        matches!(again.selection, Some(SelectionOutcome::Highlighted(ref a)) if a.id == highlight.id)
    );
    assert_eq!(
        s.library
            .annotations_of(saved.saved.story.id)
            .unwrap()
            .len(),
        1
    );

    // Words outside the article: saved, with a warning and no highlight.
    let outside = TextQuoteSelector {
        exact: "Subscribe to our newsletter".into(),
        ..Default::default()
    };
    let third = s.save_page(rendered(&paras, ""), Some(outside));
    assert!(
        matches!(third.selection, Some(SelectionOutcome::NotInArticle(ref why)) if why.contains("Subscribe"))
    );
    assert_eq!(
        s.library
            .annotations_of(saved.saved.story.id)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_repeated_phrase_is_highlighted_where_the_context_says() {
    let mut s = setup();
    let mut paras = paragraphs(20, 50);
    for (i, p) in paras.iter_mut().enumerate() {
        p.push_str(&format!(" The tide turned at {i} and nobody noticed."));
    }
    let selection = TextQuoteSelector {
        exact: "and nobody noticed".into(),
        prefix: "The tide turned at 14 ".into(),
        suffix: ".".into(),
    };
    let saved = s.save_page(rendered(&paras, ""), Some(selection));
    let Some(SelectionOutcome::Highlighted(highlight)) = saved.selection else {
        panic!("no highlight");
    };
    assert!(
        highlight.quote.prefix.ends_with("The tide turned at 14 "),
        "{:?}",
        highlight.quote
    );
}

#[test]
fn hostile_html_is_sanitized_like_any_page() {
    let mut s = setup();
    let paras = paragraphs(12, 60);
    let hostile = "<img src=\"/img/harbour.png\" onerror=\"fetch('/stolen')\" alt=\"x\">\
        <a href=\"javascript:alert(1)\">click</a><iframe src=\"/frame\"></iframe>\
        <script>document.cookie</script><style>p{background:url(/tracker)}</style>\
        <img src=\"file:///etc/passwd\" alt=\"local file\">\
        <form action=\"/post\"><input name=\"q\"></form>\
        <p style=\"background:url(/tracker2)\" onclick=\"steal()\">Styled words.</p>";
    let saved = s.save_page(rendered(&paras, hostile), None);
    let html = s.library.story(saved.saved.story.id).unwrap().html;
    for bad in [
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<form",
        "<input",
        "file:",
        "/tracker",
        "style=",
        "<style",
    ] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    for path in [
        "/stolen",
        "/frame",
        "/tracker",
        "/tracker2",
        "/post",
        "/app.js",
    ] {
        assert_eq!(s.server.hits(path), 0, "{path} was requested");
    }
}

#[test]
fn pages_too_large_or_not_on_the_web_are_refused() {
    let big = "x".repeat(MAX_PAGE_HTML + 1);
    let e = SuppliedPage::new("https://example.com/", "", big).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge);
    assert!(e.to_string().contains("32 MiB"), "{e}");
    for url in [
        "file:///etc/passwd",
        "about:blank",
        "chrome://newtab/",
        "javascript:1",
        "",
    ] {
        let e = SuppliedPage::new(url, "", "<p>x</p>".into()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{url}");
    }
    let at_limit = SuppliedPage::new("https://example.com/", " t ", "y".repeat(MAX_PAGE_HTML));
    assert_eq!(at_limit.unwrap().title, "t");
}

#[test]
fn a_long_rendered_page_is_saved_whole() {
    let mut s = setup();
    // Over 5 MiB of HTML: 2,500 paragraphs of 300 words.
    let paras = paragraphs(2500, 300);
    let html = rendered(&paras, "");
    assert!(html.len() > 5 * 1024 * 1024, "{}", html.len());
    let saved = s.save_page(html, None);
    let story = s.library.story(saved.saved.story.id).unwrap();
    assert!(story.text.contains("Paragraph0 "));
    assert!(story.text.contains("Paragraph2499 "));
    assert!(
        story.summary.word_count >= 2500 * 300,
        "{}",
        story.summary.word_count
    );
}
