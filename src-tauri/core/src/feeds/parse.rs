//! Reading a feed document (RSS 0.9x/1.0/2.0, Atom, JSON Feed 1.0/1.1) into
//! the few things Gloss keeps: the feed's title, site and icon, and per item
//! an id, a link, a title, an author, a date and the content.
//!
//! `feed-rs` does the parsing. It resolves only XML's predefined entities
//! and character references and never reads a DTD, so external entities are
//! never fetched and an entity-expansion bomb ("billion laughs") stays a few
//! bytes of unexpanded text. The body it sees is already bounded by the
//! fetch limits.

use feed_rs::model::{Entry, Feed, Link, Text};
use url::Url;

use super::identity;
use super::salvage::{self, ParseFailure};
use crate::markup::{escape, Escaping};
use crate::text::one_line;
use crate::{extract, Error, Result};

/// Items read from one document at most: a feed is a window on the newest
/// items, and a document with more is a dump that would stall a refresh.
pub const MAX_ITEMS: usize = 500;

/// A feed document, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    /// The site's home page (the feed's `alternate` link).
    pub site_url: Option<Url>,
    /// The feed's own icon or logo.
    pub icon_url: Option<Url>,
    /// In document order (usually newest first), at most [`MAX_ITEMS`].
    pub items: Vec<FeedItem>,
    /// Why each entry that could not be read was skipped, in plain words.
    pub skipped: Vec<String>,
}

impl ParsedFeed {
    /// "1 entry skipped: unsupported title type \"\"", for the feed's row.
    pub fn warning(&self) -> Option<String> {
        salvage::summary(&self.skipped)
    }
}

/// One item of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// What identifies the item in its feed (see [`identity`]): the feed's
    /// id, else the link with its fragment, else a hash of the content.
    pub guid: String,
    /// The id versions of Gloss before [`identity`] stored for an item the
    /// feed gives no id (feed-rs's hash of link and title), if any.
    pub former_guid: Option<String>,
    /// Whether `guid` is the feed's own id for the item.
    pub has_own_id: bool,
    /// The item's page, absolute, http(s) only.
    pub link: Option<Url>,
    pub title: Option<String>,
    pub author: Option<String>,
    /// RFC 3339 in UTC; `None` when the feed's date could not be read.
    pub published_at: Option<String>,
    /// The item's content as HTML (plain text is escaped into paragraphs),
    /// not yet sanitized.
    pub html: Option<String>,
    /// The summary as plain text, when the feed gives one apart from the content.
    pub summary: Option<String>,
}

impl FeedItem {
    /// Whether a refresh stored this item before, under its id or under the
    /// id earlier versions of Gloss gave it.
    pub fn is_known(&self, known: &std::collections::HashSet<String>) -> bool {
        known.contains(&self.guid) || self.former_guid.as_ref().is_some_and(|f| known.contains(f))
    }
}

/// Whether the bytes look like a feed document at all (so that a home page
/// is searched for feed links instead of reported as a broken feed).
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') {
        return text.contains("jsonfeed.org") || text.contains("\"items\"");
    }
    ["<rss", "<feed", "<rdf:rdf", "<rdf"]
        .iter()
        .any(|root| text.contains(root))
}

/// Parses a feed document fetched from `base` (its address after
/// redirects, against which relative links are resolved).
pub fn parse_feed(bytes: &[u8], base: &Url) -> Result<ParsedFeed> {
    parse_feed_typed(bytes, None, base)
}

/// [`parse_feed`] with the response's `Content-Type`, whose charset decodes
/// a document that declares no encoding and is not UTF-8.
///
/// What commonly breaks a whole document (an undeclared legacy encoding, an
/// `<rss>` without `version`) is repaired first; when feed-rs still refuses
/// it, it is read entry by entry and the broken entries are skipped
/// ([`ParsedFeed::skipped`]).
pub fn parse_feed_typed(
    bytes: &[u8],
    content_type: Option<&str>,
    base: &Url,
) -> Result<ParsedFeed> {
    let doc = salvage::repair(bytes, content_type, base);
    let parse = |doc: &[u8]| parse_with_feed_rs(doc, base);
    let (feed, skipped) = match parse(&doc) {
        Ok(feed) => (feed, Vec::new()),
        Err(whole) => salvage::entry_by_entry(&doc, MAX_ITEMS, parse)
            .ok_or_else(|| refused(base, &salvage::describe(&whole, &doc)))?,
    };
    Ok(read_feed(feed, base, skipped))
}

/// feed-rs on one document, with the ids of entries that have none made by
/// [`identity::generated_id`].
fn parse_with_feed_rs(doc: &[u8], base: &Url) -> std::result::Result<Feed, ParseFailure> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        .id_generator(identity::generated_id)
        .build();
    // feed-rs returns errors for bad input; a panic would be a bug in it, and
    // must not take the other feeds of a refresh down with it.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(doc))) {
        Ok(Ok(feed)) => Ok(feed),
        Ok(Err(e)) => Err(ParseFailure::Refused(e)),
        Err(_) => Err(ParseFailure::Crashed),
    }
}

fn refused(base: &Url, reason: &str) -> Error {
    Error::Unsupported(format!(
        "{base} is not a feed Gloss can read ({reason}); check that the address is an RSS, Atom or JSON feed"
    ))
}

fn read_feed(feed: Feed, base: &Url, skipped: Vec<String>) -> ParsedFeed {
    let site_url = feed
        .links
        .iter()
        .filter(|l| !matches!(l.rel.as_deref(), Some("self" | "hub" | "next" | "previous")))
        .find_map(|l| resolve(&l.href, base));
    let icon_url = feed
        .icon
        .as_ref()
        .or(feed.logo.as_ref())
        .and_then(|i| resolve(&i.uri, base));
    let mut items: Vec<FeedItem> = feed
        .entries
        .into_iter()
        .take(MAX_ITEMS)
        .map(|e| read_entry(e, base))
        .collect();
    tell_apart_shared_links(&mut items);
    ParsedFeed {
        title: feed.title.as_ref().and_then(plain_text),
        site_url,
        icon_url,
        items,
        skipped,
    }
}

fn read_entry(entry: Entry, base: &Url) -> FeedItem {
    let own_id = identity::feed_id(&entry);
    let link = entry_link(&entry.links, base)
        // RSS's <guid isPermaLink="true"> is often the only link.
        .or_else(|| own_id.and_then(|id| resolve(id, base).filter(|_| id.starts_with("http"))));
    let published_at = entry
        .published
        .or(entry.updated)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let author = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref().and_then(byline))
        .next();
    let summary_html = entry.summary.as_ref().map(text_html);
    let html = entry
        .content
        .as_ref()
        .and_then(|c| {
            let body = c.body.as_deref()?.trim();
            (!body.is_empty()).then(|| {
                if c.content_type.essence().to_string().contains("html") {
                    body.to_string()
                } else {
                    paragraphs(body)
                }
            })
        })
        .or_else(|| summary_html.clone());
    let title = entry.title.as_ref().and_then(plain_text);
    let summary = entry.summary.as_ref().and_then(plain_text);
    let content = identity::Content {
        title: title.as_deref(),
        published_at: published_at.as_deref(),
        html: html.as_deref(),
        summary: summary.as_deref(),
    };
    let guid = identity::item_id(own_id, link.as_ref(), &content);
    FeedItem {
        former_guid: identity::former_id(&entry),
        has_own_id: own_id.is_some(),
        guid,
        link,
        title,
        author,
        published_at,
        summary,
        html,
    }
}

/// Items without an id of their own that share a link and a date (or have
/// none: a notices feed pointing every item at one page) would share their
/// id: each of those gets the hash of its content added. Items whose ids
/// differ keep them, so their ids stay the same when the feed later shows
/// one of them alone.
fn tell_apart_shared_links(items: &mut [FeedItem]) {
    let mut uses = std::collections::HashMap::<String, usize>::new();
    for item in items.iter().filter(|i| !i.has_own_id && i.link.is_some()) {
        *uses.entry(item.guid.clone()).or_default() += 1;
    }
    for item in items.iter_mut().filter(|i| !i.has_own_id) {
        let Some(link) = &item.link else { continue };
        if uses.get(&item.guid).is_some_and(|&n| n > 1) {
            let content = identity::Content {
                title: item.title.as_deref(),
                published_at: item.published_at.as_deref(),
                html: item.html.as_deref(),
                summary: item.summary.as_deref(),
            };
            item.guid = identity::shared_link_id(link, &content);
        }
    }
}

/// A byline from an author's name as feeds write it: RSS's
/// `mail@example.com (Name)` is `Name`, and an address alone is no name.
fn byline(raw: &str) -> Option<String> {
    let name = raw.trim();
    if let (Some(open), true) = (name.find('('), name.ends_with(')')) {
        let before = name[..open].trim();
        let inside = name[open + 1..name.len() - 1].trim();
        if (before.is_empty() || looks_like_address(before)) && !inside.is_empty() {
            return Some(inside.to_string());
        }
    }
    (!name.is_empty() && !looks_like_address(name)).then(|| name.to_string())
}

fn looks_like_address(s: &str) -> bool {
    let s = s.trim_start_matches("mailto:");
    s.contains('@') && !s.contains(char::is_whitespace)
}

/// The item's page: its `alternate` link, else its first link that is not an enclosure.
fn entry_link(links: &[Link], base: &Url) -> Option<Url> {
    let usable = |l: &&Link| !matches!(l.rel.as_deref(), Some("enclosure" | "self" | "replies"));
    links
        .iter()
        .filter(usable)
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| links.iter().find(usable))
        .and_then(|l| resolve(&l.href, base))
}

/// An absolute http(s) address from a feed's (possibly relative) link.
pub(crate) fn resolve(href: &str, base: &Url) -> Option<Url> {
    let url = base.join(href.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// A feed text (titles may be HTML in Atom) as one line of plain text.
fn plain_text(text: &Text) -> Option<String> {
    let raw = text.content.trim();
    let plain = if raw.contains('<') || raw.contains('&') {
        extract::html_to_text(raw)
    } else {
        raw.to_string()
    };
    let line = one_line(&plain);
    (!line.is_empty()).then_some(line)
}

/// A feed text as HTML for the reader.
fn text_html(text: &Text) -> String {
    if text.content_type.essence().to_string().contains("html") {
        text.content.clone()
    } else {
        paragraphs(&text.content)
    }
}

/// Plain text as escaped HTML paragraphs.
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p, Escaping::HTML)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("http://127.0.0.1:9/blog/feed.xml").unwrap()
    }

    #[test]
    fn rss_atom_and_json_feed_give_the_same_items() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>The Blog</title>
            <link>http://127.0.0.1:9/blog/</link>
            <item><title>First &amp; best</title><link>/blog/1</link><guid>a1</guid>
            <pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate>
            <description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description></item>
            </channel></rss>"#;
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title type="html">The &lt;i&gt;Blog&lt;/i&gt;</title>
            <link rel="alternate" href="http://127.0.0.1:9/blog/"/><link rel="self" href="/blog/feed.xml"/>
            <id>urn:blog</id><updated>2024-03-05T09:00:00Z</updated>
            <entry><title>First &amp; best</title><link href="1"/><id>a1</id>
            <updated>2024-03-05T09:00:00Z</updated>
            <content type="html">&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</content></entry></feed>"#;
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"The Blog",
            "home_page_url":"http://127.0.0.1:9/blog/","icon":"/icon.png",
            "items":[{"id":"a1","url":"http://127.0.0.1:9/blog/1","title":"First & best",
            "date_published":"2024-03-05T09:00:00Z","content_html":"<p>Hello <b>world</b></p>"}]}"#;
        for doc in [rss, atom, json] {
            assert!(looks_like_feed(doc.as_bytes()), "{doc}");
            let feed = parse_feed(doc.as_bytes(), &base()).unwrap();
            assert_eq!(feed.title.as_deref(), Some("The Blog"), "{doc}");
            assert_eq!(
                feed.site_url.as_ref().map(Url::as_str),
                Some("http://127.0.0.1:9/blog/")
            );
            let item = &feed.items[0];
            assert_eq!(item.guid, "a1");
            assert_eq!(item.title.as_deref(), Some("First & best"));
            assert_eq!(
                item.link.as_ref().map(Url::as_str),
                Some("http://127.0.0.1:9/blog/1")
            );
            assert_eq!(item.published_at.as_deref(), Some("2024-03-05T09:00:00Z"));
            assert!(
                item.html.as_deref().unwrap().contains("<b>world</b>"),
                "{item:?}"
            );
        }
    }

    #[test]
    fn bad_dates_and_missing_ids_do_not_lose_items() {
        let rss = r#"<rss version="2.0"><channel><title>T</title>
            <item><title>No date</title><link>http://127.0.0.1:9/x</link>
            <pubDate>the day after tomorrow</pubDate></item>
            <item><title>Plain</title><description>one

two &lt; three</description></item></channel></rss>"#;
        let feed = parse_feed(rss.as_bytes(), &base()).unwrap();
        assert_eq!(feed.items.len(), 2);
        assert_eq!(feed.items[0].published_at, None);
        assert!(!feed.items[0].guid.is_empty());
        assert!(!feed.items[1].guid.is_empty());
        assert_ne!(feed.items[0].guid, feed.items[1].guid);
    }

    #[test]
    fn rss_authors_become_names() {
        let item = |author: &str| {
            format!("<item><guid>g</guid><title>T</title><author>{author}</author></item>")
        };
        let doc = format!(
            "<rss version=\"2.0\"><channel><title>T</title>{}{}{}{}{}</channel></rss>",
            item("desk@harbour.example (Harbour Desk)"),
            item("mail@x (Name)"),
            item("Jane Doe &lt;jane@harbour.example&gt;"),
            item("desk@harbour.example"),
            item("Jane Doe"),
        );
        let feed = parse_feed(doc.as_bytes(), &base()).unwrap();
        let bylines: Vec<_> = feed.items.iter().map(|i| i.author.as_deref()).collect();
        assert_eq!(
            bylines,
            [
                Some("Harbour Desk"),
                Some("Name"),
                Some("Jane Doe"),
                None,
                Some("Jane Doe")
            ]
        );
    }

    #[test]
    fn entries_that_cannot_be_read_are_skipped_each_with_a_reason() {
        let entry = |n: u32, extra: &str| {
            format!(
                "<entry><id>urn:{n}</id><title>E{n}</title>{extra}<link href=\"/{n}\"/></entry>"
            )
        };
        let doc = format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>F</title><id>urn:f</id>{}{}{}{}</feed>",
            entry(1, ""),
            entry(2, "<summary type=\"image/png\">x</summary>"),
            entry(3, "<content type=\"bogus\">x</content>"),
            entry(4, ""),
        );
        let feed = parse_feed(doc.as_bytes(), &base()).unwrap();
        let titles: Vec<_> = feed.items.iter().map(|i| i.title.as_deref()).collect();
        assert_eq!(titles, [Some("E1"), Some("E4")]);
        assert_eq!(feed.skipped.len(), 2);
        let warning = feed.warning().unwrap();
        assert!(
            warning.starts_with("2 entries skipped: unsupported summary type"),
            "{warning}"
        );
        assert!(!warning.contains("position"), "{warning}");
    }

    #[test]
    fn entity_bombs_and_external_entities_stay_unexpanded() {
        let mut bomb = String::from("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol \"lol\">");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_string()
            } else {
                format!("lol{}", i - 1)
            };
            bomb.push_str(&format!(
                "<!ENTITY lol{i} \"{}\">",
                format!("&{prev};").repeat(10)
            ));
        }
        bomb.push_str("<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>");
        bomb.push_str("<rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&xxe;</title><guid>g</guid><description>&lol9;</description></item></channel></rss>");
        let started = std::time::Instant::now();
        match parse_feed(bomb.as_bytes(), &base()) {
            Ok(feed) => {
                let title = feed.title.unwrap_or_default();
                assert!(title.len() < 100, "{title}");
                let item = &feed.items[0];
                assert!(!format!("{item:?}").contains("root:"), "{item:?}");
                assert!(item.html.as_deref().unwrap_or("").len() < 100);
            }
            Err(e) => assert_eq!(e.kind(), crate::ErrorKind::Unsupported),
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn broken_documents_are_clear_errors() {
        for doc in [
            "<rss version=\"2.0\"><channel><title>cut",
            "<html><body>hi</body></html>",
            "{\"not\": \"a feed\"",
            "",
        ] {
            let err = parse_feed(doc.as_bytes(), &base()).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Unsupported, "{doc}");
            assert!(!err.to_string().contains('\n'));
        }
    }
}
