//! Pocket's exports: the old HTML file (`ril_export.html`: "Unread" and
//! "Read Archive" lists of links with `time_added` and `tags`), the CSV
//! (`title,url,time_added[,cursor],tags,status`, tags split on `|`), and the
//! ZIP Pocket mailed at the end (`part_*.csv` plus `annotations/part_*.json`
//! highlights). Pocket exported no article bodies: stories wait for content.

use dom_query::Document;
use serde::Deserialize;

use super::csvread::{self, Csv};
use super::item::{Highlight, Item, Parsed};
use super::{dates, decode, zipread};
use crate::Result;

/// Whether an HTML file is Pocket's export.
pub fn is_pocket_html(head: &str) -> bool {
    head.contains("time_added=") || head.contains("<title>Pocket Export")
}

/// Whether a CSV header is Pocket's.
pub fn is_pocket_csv(header: &str) -> bool {
    header.starts_with("title,url,time_added")
}

/// Reads `ril_export.html`, in whatever encoding it is (see [`decode`]).
pub fn read_html(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let html = decode::html(bytes, &mut parsed.warnings);
    let doc = Document::from(crate::extract::limit_nesting(&html).as_ref());
    for (i, a) in doc.select("a[href]").nodes().iter().enumerate() {
        let url = a.attr("href").map(|v| v.to_string()).unwrap_or_default();
        let shown = format!("link {} ({url})", i + 1);
        // The list a link is in follows an <h1> that names it.
        let archived = a
            .ancestors(None)
            .into_iter()
            .find(|n| n.has_name("ul"))
            .and_then(|ul| ul.prev_element_sibling())
            .is_some_and(|h| h.text().to_lowercase().contains("archive"));
        let time = a
            .attr("time_added")
            .map(|v| v.to_string())
            .unwrap_or_default();
        parsed.items.push(Item {
            saved_at: dates::field(&time, &shown, &mut parsed.warnings),
            title: Some(a.text().trim().to_string()).filter(|t| !t.is_empty() && *t != url),
            url,
            archived,
            read: archived,
            tags: csvread::tags(
                &a.attr("tags").map(|v| v.to_string()).unwrap_or_default(),
                ',',
            ),
            ..Default::default()
        });
    }
    parsed
}

pub fn read_csv(bytes: &[u8], parsed: &mut Parsed) {
    let csv = Csv::read(bytes, parsed);
    for (line, row) in &csv.rows {
        let url = csv.get(row, "url").to_string();
        let shown = format!("line {line}");
        if url.is_empty() {
            parsed.fail(shown, "no URL in the url column");
            continue;
        }
        let archived = csv.get(row, "status").eq_ignore_ascii_case("archive");
        parsed.items.push(Item {
            saved_at: dates::field(csv.get(row, "time_added"), &shown, &mut parsed.warnings),
            title: Some(csv.get(row, "title").to_string()).filter(|t| !t.is_empty()),
            archived,
            read: archived,
            tags: csvread::tags(csv.get(row, "tags"), '|'),
            url,
            place: Some(shown),
            ..Default::default()
        });
    }
}

#[derive(Deserialize)]
struct AnnotatedUrl {
    url: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    highlights: Vec<PocketHighlight>,
}

#[derive(Deserialize)]
struct PocketHighlight {
    quote: String,
    #[serde(default)]
    created_at: Option<serde_json::Value>,
}

/// `pocket.zip`: every `part_*.csv`, then the highlights of
/// `annotations/part_*.json` (a URL not in the CSV becomes a story too).
pub fn read_zip(bytes: &[u8], limits: zipread::ZipLimits) -> Result<Parsed> {
    let mut parsed = Parsed::default();
    let mut entries = zipread::read(
        bytes,
        limits,
        |n| n.ends_with(".csv") || (n.starts_with("annotations/") && n.ends_with(".json")),
        &mut parsed.failed,
    )?;
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    for e in entries.iter().filter(|e| e.name.ends_with(".csv")) {
        read_csv(&e.bytes, &mut parsed);
    }
    for e in entries.iter().filter(|e| e.name.ends_with(".json")) {
        let list: Vec<AnnotatedUrl> = match serde_json::from_slice(&e.bytes) {
            Ok(l) => l,
            Err(err) => {
                parsed.fail(&e.name, format!("not Pocket's highlights JSON: {err}"));
                continue;
            }
        };
        for a in list {
            let shown = format!("{}, highlight of {}", e.name, a.url);
            let warnings = &mut parsed.warnings;
            let highlights: Vec<Highlight> = a
                .highlights
                .into_iter()
                .map(|h| Highlight {
                    quote: h.quote,
                    created: h.created_at.and_then(|v| {
                        dates::field(&v.to_string().replace('"', ""), &shown, warnings)
                    }),
                    ..Default::default()
                })
                .collect();
            match parsed.items.iter_mut().find(|i| i.url == a.url) {
                Some(item) => item.highlights.extend(highlights),
                None => parsed.items.push(Item {
                    url: a.url,
                    title: a.title,
                    highlights,
                    ..Default::default()
                }),
            }
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_export_keeps_lists_tags_and_dates() {
        let html = r#"<!DOCTYPE html><html><head><title>Pocket Export</title></head><body>
        <h1>Unread</h1><ul>
        <li><a href="https://e.com/a" time_added="1688628695" tags="ifttt,new_entry_simple">A</a></li>
        <li><a href="https://e.com/b" time_added="later" tags="">B</a></li></ul>
        <h1>Read Archive</h1><ul><li><a href="https://e.com/c" time_added="1688628000">C</a></li></ul>
        </body></html>"#;
        let p = read_html(html.as_bytes());
        assert_eq!(p.items.len(), 3);
        assert!(!p.items[0].archived && p.items[2].archived);
        assert_eq!(p.items[0].tags, ["ifttt", "new_entry_simple"]);
        assert_eq!(p.items[0].saved_at, Some(1_688_628_695_000));
        assert_eq!(p.items[1].saved_at, None);
        assert_eq!(p.warnings.len(), 1);
    }

    #[test]
    fn the_csv_with_a_cursor_column() {
        let csv =
            "title,url,time_added,cursor,tags,status\nA,https://e.com/a,1700000000,9,x|y,archive\n";
        let mut p = Parsed::default();
        read_csv(csv.as_bytes(), &mut p);
        assert_eq!(p.items[0].tags, ["x", "y"]);
        assert!(p.items[0].archived);
    }
}
