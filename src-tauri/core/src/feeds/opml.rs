//! OPML, the subscription lists feed readers exchange.
//!
//! Reading is lenient on purpose: real files have unknown entities, wrong
//! case (`xmlurl`), missing `title`s, mismatched end tags and folders nested
//! several deep. Outlines with an `xmlUrl` are feeds; outlines without one
//! are folders. Gloss's folders are one level, as in most readers, so a
//! nested folder becomes one named by its path ("News / Tech"). Like the
//! feed parser, the reader never reads a DTD or expands entities.
//!
//! Writing escapes every attribute, and one folder level reads back as it
//! was written, so an export imports into the same feeds and folders.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;

use crate::fetch::decode_text;
use crate::markup::{escape, Escaping};
use crate::{Error, Result};

/// What separates the levels of a nested folder's name.
pub const FOLDER_PATH_SEPARATOR: &str = " / ";

/// An OPML file's feeds and folders are the library's subscription rows.
pub use crate::library::{Subscription as OpmlFeed, Subscriptions as OpmlDocument};

/// Whether the bytes are an OPML file (by content, not by name).
pub fn looks_like_opml(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    head.contains("<opml")
}

/// Reads an OPML file, as much of it as can be read.
pub fn read_opml(bytes: &[u8]) -> Result<OpmlDocument> {
    if !looks_like_opml(bytes) {
        return Err(Error::Unsupported(
            "this file is not OPML; export your subscriptions from your other reader as OPML and import that".into(),
        ));
    }
    let text = decode_text(bytes, None);
    let mut reader = quick_xml::Reader::from_str(&text);
    {
        let config = reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
    }
    let mut doc = OpmlDocument::default();
    // One entry per open <outline>: the folder it opened, if it is one.
    let mut stack: Vec<Option<String>> = Vec::new();
    // An error ends the reading; what was read before it is kept.
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) if is_outline(&e) => {
                let folder = outline(&e, &stack, &mut doc, true);
                stack.push(folder);
            }
            Event::Empty(e) if is_outline(&e) => {
                outline(&e, &stack, &mut doc, false);
            }
            Event::End(e) if e.local_name().as_ref().eq_ignore_ascii_case("outline") => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if doc.feeds.is_empty() && doc.folders.is_empty() {
        return Err(Error::InvalidInput(
            "this OPML file lists no feeds (no <outline> with an xmlUrl); check that it is the subscriptions export".into(),
        ));
    }
    Ok(doc)
}

fn is_outline(e: &BytesStart<'_>) -> bool {
    e.local_name().as_ref().eq_ignore_ascii_case("outline")
}

/// Records one `<outline>`; returns the folder it opens, if it is one with children.
fn outline(
    e: &BytesStart<'_>,
    stack: &[Option<String>],
    doc: &mut OpmlDocument,
    has_children: bool,
) -> Option<String> {
    let attr = |name: &str| -> Option<String> {
        e.attributes().flatten().find_map(|a| {
            if !a.key.local_name().as_ref().eq_ignore_ascii_case(name) {
                return None;
            }
            // Only XML's own entities (and `&nbsp;`, common in exports) are
            // known; any other reference is dropped rather than failing the file.
            let value = a
                .normalized_value_with(XmlVersion::Implicit1_0, 1, |name| {
                    resolve_predefined_entity(name).or(Some(if name == "nbsp" { " " } else { "" }))
                })
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string());
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            (!value.is_empty()).then_some(value)
        })
    };
    let parent = stack.iter().rev().flatten().next().cloned();
    let name = attr("title").or_else(|| attr("text"));
    if let Some(url) = attr("xmlUrl") {
        doc.feeds.push(OpmlFeed {
            url,
            title: name,
            site_url: attr("htmlUrl"),
            folder: parent,
        });
        // A feed outline with children (it happens) is not a folder.
        return None;
    }
    let is_folder = has_children || attr("type").is_none_or(|t| t.eq_ignore_ascii_case("folder"));
    let name = name?;
    if !is_folder {
        return None;
    }
    let path = match parent {
        Some(parent) => format!("{parent}{FOLDER_PATH_SEPARATOR}{name}"),
        None => name,
    };
    if !doc.folders.iter().any(|f| f.eq_ignore_ascii_case(&path)) {
        doc.folders.push(path.clone());
    }
    Some(path)
}

/// Writes an OPML 2.0 file: the feeds with no folder first, then each
/// folder (empty ones too) with its feeds.
pub fn write_opml(title: &str, folders: &[String], feeds: &[OpmlFeed]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str(&format!(
        "  <head>\n    <title>{}</title>\n    <dateCreated>{}</dateCreated>\n  </head>\n  <body>\n",
        escape(title, Escaping::XML_ATTRIBUTE_EXACT),
        chrono::Utc::now().to_rfc2822()
    ));
    for feed in feeds.iter().filter(|f| f.folder.is_none()) {
        out.push_str(&feed_line(feed, "    "));
    }
    for folder in folders {
        out.push_str(&format!(
            "    <outline text=\"{0}\" title=\"{0}\">\n",
            escape(folder, Escaping::XML_ATTRIBUTE_EXACT)
        ));
        for feed in feeds.iter().filter(|f| {
            f.folder
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(folder))
        }) {
            out.push_str(&feed_line(feed, "      "));
        }
        out.push_str("    </outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn feed_line(feed: &OpmlFeed, indent: &str) -> String {
    let title = escape(
        feed.title.as_deref().unwrap_or(&feed.url),
        Escaping::XML_ATTRIBUTE_EXACT,
    );
    let site = feed
        .site_url
        .as_deref()
        .map(|s| format!(" htmlUrl=\"{}\"", escape(s, Escaping::XML_ATTRIBUTE_EXACT)))
        .unwrap_or_default();
    format!(
        "{indent}<outline type=\"rss\" text=\"{title}\" title=\"{title}\" xmlUrl=\"{}\"{site}/>\n",
        escape(&feed.url, Escaping::XML_ATTRIBUTE_EXACT)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messy_files_are_read_with_their_folders() {
        let file = r#"<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<opml version="1.0"><head><title>Subs &b;</title></head><body>
  <outline text="Loose" xmlurl="http://a.test/feed" htmlUrl="http://a.test/"/>
  <outline title="News">
    <outline text="Tech">
      <outline type="rss" text="T &amp; Co &nbsp;" xmlUrl="http://t.test/rss?a=1&amp;b=2"/>
    </outline>
    <outline text="Daily" type="rss" xmlUrl="http://d.test/atom"/>
  </outline>
  <outline text="Empty folder"></outline>
  <outline text="Empty too"/>
  <outline text="broken"><outline xmlUrl="http://b.test/feed"></OUTLINE>
</body></opml>"#;
        let doc = read_opml(file.as_bytes()).unwrap();
        let urls: Vec<(&str, Option<&str>)> = doc
            .feeds
            .iter()
            .map(|f| (f.url.as_str(), f.folder.as_deref()))
            .collect();
        assert_eq!(
            urls,
            [
                ("http://a.test/feed", None),
                ("http://t.test/rss?a=1&b=2", Some("News / Tech")),
                ("http://d.test/atom", Some("News")),
                ("http://b.test/feed", Some("broken")),
            ]
        );
        assert_eq!(doc.feeds[0].site_url.as_deref(), Some("http://a.test/"));
        assert!(doc.feeds[1].title.as_deref().unwrap().starts_with("T & Co"));
        assert_eq!(
            doc.folders,
            ["News", "News / Tech", "Empty folder", "Empty too", "broken"]
        );
    }

    #[test]
    fn written_files_read_back_the_same() {
        let feeds = vec![
            OpmlFeed {
                url: "http://a.test/feed?x=1&y=\"2\"".into(),
                title: Some("A <b> & 'c'\n".into()),
                site_url: Some("http://a.test/".into()),
                folder: None,
            },
            OpmlFeed {
                url: "http://b.test/rss".into(),
                title: Some("B".into()),
                site_url: None,
                folder: Some("News & Views".into()),
            },
        ];
        let folders = vec!["News & Views".to_string(), "Empty".to_string()];
        let text = write_opml("Gloss <subscriptions>", &folders, &feeds);
        let doc = read_opml(text.as_bytes()).unwrap();
        assert_eq!(doc.folders, folders);
        assert_eq!(doc.feeds.len(), 2);
        assert_eq!(doc.feeds[0].url, feeds[0].url);
        assert_eq!(doc.feeds[0].title.as_deref(), Some("A <b> & 'c'"));
        assert_eq!(doc.feeds[1], feeds[1]);
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(
            read_opml(b"<rss version=\"2.0\"></rss>")
                .unwrap_err()
                .kind(),
            crate::ErrorKind::Unsupported
        );
        assert_eq!(
            read_opml(b"<opml><body></body></opml>").unwrap_err().kind(),
            crate::ErrorKind::InvalidInput
        );
    }
}
