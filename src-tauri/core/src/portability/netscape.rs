//! Netscape bookmark files, the format every browser exports and imports:
//! reading (folders become tags, `TAGS` too) and writing (one link per
//! story, tags in `TAGS`, states in Pinboard's `TOREAD`).

use dom_query::Document;

use super::csvread;
use super::dates;
use super::item::{Item, Parsed};
use crate::model::StorySummary;

pub fn is_netscape(head: &str) -> bool {
    head.to_uppercase().contains("NETSCAPE-BOOKMARK-FILE")
}

pub fn read(html: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let doc = Document::from(crate::extract::limit_nesting(html).as_ref());
    for (i, a) in doc.select("a[href]").nodes().iter().enumerate() {
        let url = a.attr("href").map(|v| v.to_string()).unwrap_or_default();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            if !url.starts_with("javascript:") && !url.starts_with("place:") {
                parsed.fail(format!("bookmark {} ({url})", i + 1), "not a web address");
            }
            continue;
        }
        let shown = format!("bookmark {} ({url})", i + 1);
        let mut tags = csvread::tags(
            &a.attr("tags").map(|v| v.to_string()).unwrap_or_default(),
            ',',
        );
        // A folder is an <H3> followed by the <DL> the bookmark is in.
        let mut folders: Vec<String> = a
            .ancestors(None)
            .into_iter()
            .filter(|n| n.has_name("dl"))
            .filter_map(|dl| dl.prev_element_sibling())
            .filter(|h| h.has_name("h3"))
            .map(|h| h.text().trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        folders.reverse();
        for f in folders {
            if !tags.contains(&f) {
                tags.push(f);
            }
        }
        let date = a
            .attr("add_date")
            .map(|v| v.to_string())
            .unwrap_or_default();
        parsed.items.push(Item {
            saved_at: dates::field(&date, &shown, &mut parsed.warnings),
            title: Some(a.text().trim().to_string()).filter(|t| !t.is_empty()),
            read: a.attr("toread").is_some_and(|v| &*v == "0"),
            url,
            tags,
            ..Default::default()
        });
    }
    parsed
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
            "    <DT><A HREF=\"{}\" ADD_DATE=\"{added}\" TAGS=\"{}\" TOREAD=\"{}\"{}>{}</A>\n",
            escape(&s.url),
            escape(&s.tags.join(",")),
            u8::from(!s.read),
            if s.starred { " STARRED=\"1\"" } else { "" },
            escape(&s.title)
        ));
    }
    out.push_str("</DL><p>\n");
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
        let p = read(html);
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
        assert!(p.failed.is_empty());
    }
}
