//! Hostile XML in feeds and OPML: entity bombs, external entities (XXE),
//! external DTDs, deep nesting, huge entries, and every markup vector in
//! item content. Nothing is expanded, no file or URL named by a document is
//! ever read, and every stored item passes the oracle.

use std::time::{Duration, Instant};

use gloss_core::feeds::parse::{parse_feed, MAX_ITEMS};
use gloss_core::portability::import::{apply, prepare};
use gloss_core::portability::zipread::ZipLimits;
use gloss_core::testing::{FixtureServer, Route};
use gloss_core::Library;
use url::Url;

use crate::oracle::assert_safe;
use crate::{all_stories, subscribe_to};

const RSS: &str = "application/rss+xml";

fn rss_with(doctype: &str, title: &str, items: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>{doctype}<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://harbour.example/</link><description>d</description>{items}</channel></rss>"
    )
}

fn item(n: usize, title: &str, description: &str) -> String {
    format!(
        "<item><title>{title}</title><link>https://harbour.example/{n}</link>\
         <guid>https://harbour.example/{n}</guid><description>{description}</description></item>"
    )
}

/// Ten levels of ten-fold entity expansion: a few hundred bytes that would
/// be 3 GB expanded. The feed is read (or refused) at once, unexpanded.
#[test]
fn billion_laughs_is_never_expanded() {
    let mut dtd = String::from("<!DOCTYPE rss [<!ENTITY lol \"lol\">");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    dtd.push_str("]>");
    let feed = rss_with(
        &dtd,
        "Laughs &lol9;",
        &item(1, "Item &lol9;", "Body &lol9; text"),
    );
    let mut lib = Library::open_in_memory().unwrap();
    let started = Instant::now();
    let result = subscribe_to(&mut lib, RSS, feed.as_bytes());
    assert!(started.elapsed() < Duration::from_secs(10));
    if let Ok(stories) = result {
        for s in &stories {
            assert!(s.summary.title.len() < 200, "{}", s.summary.title);
            assert!(s.text.len() < 10_000, "expanded: {} bytes", s.text.len());
        }
    }
    for s in all_stories(&lib) {
        assert!(!s.text.contains("lollollol"), "{}", s.text);
    }
}

/// An external entity naming a local file, an external DTD and a parameter
/// entity naming a URL: the secret file never reaches the library, and the
/// server named by the DTD is never asked.
#[test]
fn external_entities_and_dtds_are_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-MARKER").unwrap();
    let file_url = Url::from_file_path(&secret).unwrap();
    let spy = FixtureServer::start(vec![
        (
            "/evil.dtd",
            Route::bytes(
                "application/xml-dtd",
                b"<!ENTITY leak SYSTEM \"file:///etc/passwd\">".to_vec(),
            ),
        ),
        ("/x", Route::text("REMOTE-MARKER")),
    ]);
    let doctype = format!(
        "<!DOCTYPE rss SYSTEM \"{dtd}\" [<!ENTITY xxe SYSTEM \"{file_url}\"><!ENTITY remote SYSTEM \"{x}\">\
         <!ENTITY % pe SYSTEM \"{dtd}\"> %pe;]>",
        dtd = spy.url("/evil.dtd"),
        x = spy.url("/x"),
    );
    let feed = rss_with(
        &doctype,
        "Feed &xxe;",
        &item(1, "Title &xxe; &remote;", "Body &xxe; &remote; &leak;"),
    );
    let mut lib = Library::open_in_memory().unwrap();
    let _ = subscribe_to(&mut lib, RSS, feed.as_bytes());
    for s in all_stories(&lib) {
        for field in [&s.summary.title, &s.text, &s.html] {
            assert!(
                !field.contains("TOP-SECRET-MARKER") && !field.contains("REMOTE-MARKER"),
                "{field}"
            );
            assert!(!field.contains("root:x:0"), "{field}");
        }
    }
    for f in lib.feeds().unwrap() {
        assert!(!f.title.contains("TOP-SECRET-MARKER"), "{}", f.title);
    }
    assert_eq!(
        spy.hits("/evil.dtd") + spy.hits("/x"),
        0,
        "nothing fetched for the DTD"
    );

    // The same in an OPML import.
    let opml = format!(
        "<?xml version=\"1.0\"?>{doctype}<opml version=\"2.0\"><head><title>&xxe;</title></head><body>\
         <outline text=\"&xxe;\" title=\"&xxe;\" type=\"rss\" xmlUrl=\"https://harbour.example/feed\"/></body></opml>"
    );
    let mut lib = Library::open_in_memory().unwrap();
    if let Ok(prepared) = prepare(opml.as_bytes(), None, ZipLimits::default()) {
        let _ = apply(&mut lib, prepared);
    }
    for f in lib.feeds().unwrap() {
        assert!(!f.title.contains("TOP-SECRET-MARKER"), "{}", f.title);
    }
    assert_eq!(spy.hits("/evil.dtd") + spy.hits("/x"), 0);
    spy.stop();
}

/// 100,000 nested elements in the feed document and in an item's HTML:
/// no stack overflow, the feed is read or refused.
#[test]
fn deep_nesting_does_not_overflow() {
    let deep_xml = format!("{}{}", "<x>".repeat(100_000), "</x>".repeat(100_000));
    let feed = rss_with(
        "",
        "Deep",
        &format!("{}{deep_xml}", item(1, "Shallow", "fine")),
    );
    let base = Url::parse("https://harbour.example/feed").unwrap();
    let _ = parse_feed(feed.as_bytes(), &base);

    let deep_html = format!(
        "{}deep text{}",
        "<div>".repeat(50_000),
        "</div>".repeat(50_000)
    );
    let escaped = deep_html.replace('<', "&lt;").replace('>', "&gt;");
    let feed = rss_with("", "Deep", &item(1, "Nested", &escaped));
    let mut lib = Library::open_in_memory().unwrap();
    let stories = subscribe_to(&mut lib, RSS, feed.as_bytes()).unwrap();
    assert_eq!(stories.len(), 1);
    assert_safe("deep", &stories[0].html);
    assert!(stories[0].text.contains("deep text"), "{}", stories[0].text);
}

/// A feed of 5,000 items, one of them 4 MB: at most [`MAX_ITEMS`] are kept,
/// the huge one whole.
#[test]
fn huge_feeds_and_entries_are_bounded() {
    let big = "The harbour log, once more. ".repeat(150_000);
    let mut items = item(0, "Huge", &big);
    for n in 1..5000 {
        items.push_str(&item(n, &format!("Item {n}"), "short"));
    }
    let feed = rss_with("", "Huge", &items);
    let mut lib = Library::open_in_memory().unwrap();
    let stories = subscribe_to(&mut lib, RSS, feed.as_bytes()).unwrap();
    assert_eq!(stories.len(), MAX_ITEMS);
    let huge = stories.iter().find(|s| s.summary.title == "Huge").unwrap();
    assert!(huge.text.len() > 4_000_000, "{}", huge.text.len());
}

/// Every markup vector as RSS description, Atom HTML content and JSON Feed
/// `content_html`, and as a title: stored safe, titles as plain text.
#[test]
fn every_markup_vector_in_feed_content_is_stored_safe() {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let vectors = crate::markup::VECTORS;
    let rss_items: String = vectors
        .iter()
        .enumerate()
        .map(|(n, (name, v))| {
            item(
                n,
                &format!("{name} {}", esc(v)),
                &esc(&format!("<p>Story {name}.</p>{v}")),
            )
        })
        .collect();
    let atom_entries: String = vectors
        .iter()
        .enumerate()
        .map(|(n, (name, v))| {
            format!(
                "<entry><id>urn:n:{n}</id><title type=\"html\">{t}</title><link href=\"https://harbour.example/a{n}\"/>\
                 <updated>2024-01-01T00:00:00Z</updated><content type=\"html\">{c}</content></entry>",
                t = esc(&format!("{name} {v}")),
                c = esc(&format!("<p>Story {name}.</p>{v}"))
            )
        })
        .collect();
    let json_items: Vec<serde_json::Value> = vectors
        .iter()
        .enumerate()
        .map(|(n, (name, v))| {
            serde_json::json!({"id": format!("j{n}"), "url": format!("https://harbour.example/j{n}"),
                "title": format!("{name} {v}"), "content_html": format!("<p>Story {name}.</p>{v}")})
        })
        .collect();
    let docs: Vec<(&str, String)> = vec![
        (RSS, rss_with("", "Vectors", &rss_items)),
        (
            "application/atom+xml",
            format!("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>V</title><id>urn:v</id>\
                     <updated>2024-01-01T00:00:00Z</updated>{atom_entries}</feed>"),
        ),
        (
            "application/feed+json",
            serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": "V", "items": json_items}).to_string(),
        ),
    ];
    for (ty, doc) in docs {
        let mut lib = Library::open_in_memory().unwrap();
        let stories =
            subscribe_to(&mut lib, ty, doc.as_bytes()).unwrap_or_else(|e| panic!("{ty}: {e}"));
        assert_eq!(stories.len(), vectors.len(), "{ty}: every item is kept");
        for s in &stories {
            assert_safe(&format!("{ty}: {}", s.summary.title), &s.html);
            assert!(s.text.contains("Story "), "{ty}: {}", s.text);
            assert!(
                !s.summary.url.to_ascii_lowercase().starts_with("javascript"),
                "{}",
                s.summary.url
            );
        }
    }
}

/// Item links of other schemes are not kept as the story's address.
#[test]
fn item_links_must_be_web_addresses() {
    let items = [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "ftp://harbour.example/x",
    ]
    .iter()
    .enumerate()
    .map(|(n, link)| {
        format!("<item><title>Link {n}</title><link>{link}</link><guid isPermaLink=\"false\">g{n}</guid><description>body {n}</description></item>")
    })
    .collect::<String>();
    let mut lib = Library::open_in_memory().unwrap();
    let stories = subscribe_to(&mut lib, RSS, rss_with("", "Links", &items).as_bytes()).unwrap();
    assert_eq!(stories.len(), 4, "the items are kept");
    for s in stories {
        let url = s.summary.url.to_ascii_lowercase();
        assert!(
            !(url.starts_with("javascript:")
                || url.starts_with("file:")
                || url.starts_with("data:")
                || url.starts_with("ftp:")),
            "{url}"
        );
    }
}
