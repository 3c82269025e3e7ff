//! Netscape bookmark files, the format every browser exports and imports:
//! reading (folders become tags, `TAGS` too; a bookmark's `<DD>` becomes
//! its excerpt; Gloss's own `STARRED`, `ARCHIVED` and Pinboard's `TOREAD`
//! give the states) and writing (one link per story, tags in `TAGS`, the
//! excerpt in `<DD>`, states as those attributes, so that an export reads
//! back as it was).
//!
//! The file is parsed as HTML, where `<DT>` and `<DD>` close each other, so
//! a folder is `<DT><H3>Name</H3><DL>…</DL>` or, when the folder has a
//! description (Firefox writes one), `<DT><H3>Name</H3>` then
//! `<DD>description<DL>…</DL>`: its list is inside the `<DD>`.

use dom_query::{Document, NodeRef};

use super::csvread;
use super::dates;
use super::decode;
use super::item::{Item, Parsed};
use crate::markup::{escape, Escaping};
use crate::model::StorySummary;

pub fn is_netscape(head: &str) -> bool {
    head.to_uppercase().contains("NETSCAPE-BOOKMARK-FILE")
}

/// Reads a bookmark file, in whatever encoding it is (see [`decode`]).
pub fn read(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let html = decode::html(bytes, &mut parsed.warnings);
    let doc = Document::from(crate::extract::limit_nesting(&html).as_ref());
    for (i, a) in doc.select("a[href]").nodes().iter().enumerate() {
        let url = attr(a, "href");
        let place = format!("bookmark {}", i + 1);
        let shown = format!("{place} ({url})");
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            // Bookmarklets and Firefox's smart folders are the browser's
            // tools, not pages: counted as skipped, so the sum still holds.
            if url.starts_with("javascript:") {
                parsed.skip(shown, "a bookmarklet (a script), not a web page");
            } else if url.starts_with("place:") {
                parsed.skip(shown, "a browser's saved search (place:), not a web page");
            } else {
                parsed.fail(shown, "not a web address");
            }
            continue;
        }
        let mut tags = csvread::tags(&attr(a, "tags"), ',');
        let mut folders: Vec<String> = a
            .ancestors(None)
            .into_iter()
            .filter(|n| n.has_name("dl"))
            .filter_map(|dl| folder_name(&dl))
            .collect();
        folders.reverse();
        for f in folders {
            if !tags.contains(&f) {
                tags.push(f);
            }
        }
        let archived = flag(a, "archived");
        parsed.items.push(Item {
            saved_at: dates::field(&attr(a, "add_date"), &shown, &mut parsed.warnings),
            title: Some(a.text().trim().to_string()).filter(|t| !t.is_empty()),
            // Pinboard's TOREAD="0" is read; Gloss writes it for every story.
            read: archived || attr(a, "toread").trim() == "0",
            starred: flag(a, "starred"),
            archived,
            excerpt: description(a),
            url,
            tags,
            place: Some(place),
            ..Default::default()
        });
    }
    parsed
}

fn attr(node: &NodeRef, name: &str) -> String {
    node.attr(name).map(|v| v.to_string()).unwrap_or_default()
}

/// Whether an attribute says yes (`1` or `true`).
fn flag(node: &NodeRef, name: &str) -> bool {
    let value = attr(node, name);
    let value = value.trim();
    value == "1" || value.eq_ignore_ascii_case("true")
}

/// The name of the folder a `<DL>` lists: the `<H3>` just before it, or,
/// when the folder has a description, the `<H3>` of the `<DT>` before the
/// `<DD>` the list is in.
fn folder_name(dl: &NodeRef) -> Option<String> {
    let heading = match dl.prev_element_sibling() {
        Some(h) if h.has_name("h3") => h,
        _ => {
            let dd = dl.parent().filter(|p| p.has_name("dd"))?;
            let dt = dd.prev_element_sibling().filter(|n| n.has_name("dt"))?;
            dt.element_children()
                .into_iter()
                .find(|c| c.has_name("h3"))?
        }
    };
    Some(heading.text().trim().to_string()).filter(|t| !t.is_empty())
}

/// A bookmark's description (Shaarli, linkding, Firefox): the text of the
/// `<DD>` after its `<DT>`, a `<br>` as a line break, without any list
/// nested in it.
fn description(a: &NodeRef) -> Option<String> {
    let dt = a.parent().filter(|p| p.has_name("dt"))?;
    let dd = dt.next_element_sibling().filter(|n| n.has_name("dd"))?;
    let mut text = String::new();
    for child in dd.children() {
        if child.has_name("br") {
            text.push('\n');
        } else if !child.has_name("dl") {
            text.push_str(&child.text());
        }
    }
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The stories as a bookmark file browsers import.
pub fn write(stories: &[StorySummary]) -> String {
    let mut out = String::from(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n\
         <META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n\
         <TITLE>Bookmarks</TITLE>\n<H1>Gloss</H1>\n<DL><p>\n",
    );
    for s in stories {
        let added = chrono::DateTime::parse_from_rfc3339(&s.saved_at)
            .map(|t| t.timestamp())
            .unwrap_or(0);
        out.push_str(&format!(
            "    <DT><A HREF=\"{}\" ADD_DATE=\"{added}\" TAGS=\"{}\" TOREAD=\"{}\"{}{}>{}</A>\n",
            escape(&s.url, Escaping::HTML),
            escape(&s.tags.join(","), Escaping::HTML),
            u8::from(!s.read),
            if s.starred { " STARRED=\"1\"" } else { "" },
            if s.archived { " ARCHIVED=\"1\"" } else { "" },
            escape(&s.title, Escaping::HTML)
        ));
        if let Some(excerpt) = s
            .excerpt
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            out.push_str(&format!("    <DD>{}\n", escape(excerpt, Escaping::HTML)));
        }
    }
    out.push_str("</DL><p>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_tags() {
        let html = r#"<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE><H1>Bookmarks</H1>
<DL><p>
  <DT><H3 ADD_DATE="1">Reading</H3>
  <DL><p>
    <DT><H3>Rust</H3>
    <DL><p>
      <DT><A HREF="https://e.com/a" ADD_DATE="1700000000" TAGS="x,y">A &amp; B</A>
      <DD>a description
    </DL><p>
    <DT><A HREF="https://e.com/b" ADD_DATE="1700000000">B</A>
  </DL><p>
  <DT><A HREF="https://e.com/c">C</A>
  <DT><A HREF="javascript:alert(1)">bookmarklet</A>
</DL><p>"#;
        let p = read(html.as_bytes());
        let tags: Vec<_> = p.items.iter().map(|i| i.tags.clone()).collect();
        assert_eq!(
            tags,
            vec![
                vec!["x", "y", "Reading", "Rust"],
                vec!["Reading"],
                Vec::<&str>::new()
            ]
        );
        assert_eq!(p.items[0].title.as_deref(), Some("A & B"));
        assert_eq!(p.items[0].excerpt.as_deref(), Some("a description"));
        assert!(p.failed.is_empty());
        // The bookmarklet is counted, as skipped, so the summary adds up.
        assert_eq!(p.skipped.len(), 1);
        assert!(p.skipped[0].item.starts_with("bookmark 4 (javascript:"));
    }

    #[test]
    fn a_description_with_markup_keeps_its_words_and_lines() {
        let html = "<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><p>\
            <DT><A HREF=\"https://e.com/a\">A</A>\
            <DD>First <b>bold</b> line<br>second line\
            <DT><A HREF=\"https://e.com/b\">B</A>\
            </DL><p>";
        let p = read(html.as_bytes());
        assert_eq!(
            p.items[0].excerpt.as_deref(),
            Some("First bold line\nsecond line")
        );
        assert_eq!(p.items[1].excerpt, None);
    }
}
