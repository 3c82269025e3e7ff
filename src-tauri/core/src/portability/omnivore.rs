//! Omnivore's export ZIP: `metadata_*.json` (arrays of saved items with
//! labels, state, reading progress, saved and published dates),
//! `content/<slug>.html` (the readable HTML Omnivore kept) and
//! `highlights/<slug>.md` (`> quote`, an optional line of `#labels`, an
//! optional note, items between blank lines); or the metadata alone as one
//! JSON list ([`read_json`]). A damaged metadata file loses only the entries
//! the damage touches, and those are listed one by one.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::item::{Highlight, Item, Parsed};
use super::{dates, jsonlist, zipread};
use crate::Result;

/// Whether the archive's names look like Omnivore's.
pub fn is_omnivore(names: &[String]) -> bool {
    names.iter().any(|n| is_metadata(n))
}

/// Whether an entry is one of the `metadata_*.json` files that list the items.
fn is_metadata(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.starts_with("metadata_") && base.ends_with(".json")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    reading_progress: Option<f64>,
    #[serde(default)]
    labels: Vec<Value>,
    #[serde(default)]
    saved_at: Option<String>,
    #[serde(default)]
    published_at: Option<String>,
}

pub fn read_zip(bytes: &[u8], limits: zipread::ZipLimits) -> Result<Parsed> {
    let mut parsed = Parsed::default();
    let mut unreadable = Vec::new();
    let entries = zipread::read(
        bytes,
        limits,
        |n| n.ends_with(".json") || n.ends_with(".html") || n.ends_with(".md"),
        &mut unreadable,
    )?;
    // A metadata file is items: each one it held is lost. A content or
    // highlights file is part of one item, which is imported without it.
    for f in unreadable {
        if is_metadata(&f.item) {
            match batch_size(&f.item) {
                Some(n) => lost(&mut parsed, &f.item, 0, n, &f.reason),
                None => parsed.failed.push(f),
            }
        } else {
            parsed.warnings.push(format!(
                "{}: {}; its story is imported without it",
                f.item, f.reason
            ));
        }
    }
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    let mut metadata = Vec::new();
    for e in entries {
        if is_metadata(&e.name) {
            metadata.push(e);
        } else {
            // Keyed by the last folder and name: content/x.html, highlights/x.md.
            let mut parts = e.name.rsplit('/');
            let key = match (parts.next(), parts.next()) {
                (Some(name), Some(dir)) => format!("{dir}/{name}"),
                _ => e.name.clone(),
            };
            files.insert(key, e.bytes);
        }
    }
    metadata.sort_by(|a, b| a.name.cmp(&b.name));
    for e in metadata {
        let elements = match jsonlist::read(&e.bytes) {
            Ok(elements) => elements,
            Err(why) => {
                match batch_size(&e.name) {
                    Some(n) => lost(&mut parsed, &e.name, 0, n, &why),
                    None => parsed.fail(&e.name, format!("not Omnivore's metadata: {why}")),
                }
                continue;
            }
        };
        let read = elements.len();
        for (i, element) in elements.into_iter().enumerate() {
            let shown = format!("{} item {}", e.name, i + 1);
            push_item(element, shown, &files, &mut parsed);
        }
        // A file cut short or broken mid-way: its name says how many it held.
        if let Some(n) = batch_size(&e.name).filter(|n| *n > read) {
            let why = "lost: the file is damaged before it";
            lost(&mut parsed, &e.name, read, n, why);
        }
    }
    Ok(parsed)
}

/// The single JSON list of Omnivore items some tools make of the ZIP's
/// metadata files (the file wallabag's Omnivore import takes; Karakeep
/// documents `jq -s` for it): the same entries, without content or
/// highlights files.
pub fn read_json(bytes: &[u8]) -> Result<Parsed> {
    let not_a_list = |why: &str| {
        format!("the file is not Omnivore's JSON ({why}); import the export ZIP itself")
    };
    let no_files = HashMap::new();
    jsonlist::read_export(bytes, "item", not_a_list, |element, shown, parsed| {
        push_item(element, shown, &no_files, parsed)
    })
}

/// Whether a JSON list's first entry is an Omnivore item (its camelCase
/// `savedAt`, or a `slug` with `labels`).
pub fn is_omnivore_json(first: &Value) -> bool {
    first.as_object().is_some_and(|o| {
        o.contains_key("url")
            && (o.contains_key("savedAt") || (o.contains_key("slug") && o.contains_key("labels")))
    })
}

/// How many items `metadata_{start}_to_{end}.json` holds, from its name.
fn batch_size(name: &str) -> Option<usize> {
    let base = name.rsplit('/').next()?;
    let range = base.strip_prefix("metadata_")?.strip_suffix(".json")?;
    let (start, end) = range.split_once("_to_")?;
    let (start, end): (usize, usize) = (start.parse().ok()?, end.parse().ok()?);
    end.checked_sub(start).filter(|n| *n > 0)
}

/// Items `from + 1 ..= to` of a metadata file that could not be read, each
/// listed, so that the summary still adds up to what the export held.
fn lost(parsed: &mut Parsed, file: &str, from: usize, to: usize, why: &str) {
    for i in from..to {
        parsed.fail(format!("{file} item {}", i + 1), why);
    }
}

/// One metadata entry as an item (with its content and highlights files
/// when the ZIP has them), or a failure.
fn push_item(
    element: jsonlist::Element,
    shown: String,
    files: &HashMap<String, Vec<u8>>,
    parsed: &mut Parsed,
) {
    let meta: Meta = match element
        .and_then(|v| serde_json::from_value(v).map_err(|e| format!("not an Omnivore item: {e}")))
    {
        Ok(m) => m,
        Err(why) => {
            parsed.fail(shown, why);
            return;
        }
    };
    let Some(url) = meta.url.filter(|u| !u.is_empty()) else {
        parsed.fail(shown, "no URL");
        return;
    };
    let slug = meta.slug.unwrap_or_default();
    let content = files
        .get(&format!("content/{slug}.html"))
        .map(|b| String::from_utf8_lossy(b).into_owned());
    let highlights = files
        .get(&format!("highlights/{slug}.md"))
        .map(|b| read_highlights(&String::from_utf8_lossy(b)))
        .unwrap_or_default();
    let progress = (meta.reading_progress.unwrap_or(0.0) / 100.0).clamp(0.0, 1.0);
    let archived = meta.state.as_deref() == Some("Archived");
    let date = |field: Option<&str>, warnings: &mut Vec<String>| {
        dates::field(field.unwrap_or(""), &shown, warnings)
    };
    let saved_at = date(meta.saved_at.as_deref(), &mut parsed.warnings);
    let published_at = date(meta.published_at.as_deref(), &mut parsed.warnings);
    parsed.items.push(Item {
        place: Some(shown.clone()),
        url,
        title: meta.title,
        byline: meta.author,
        excerpt: meta.description,
        saved_at,
        published_at,
        archived,
        read: archived || progress >= 0.99,
        progress,
        tags: jsonlist::labels(&meta.labels, "name"),
        content_html: content,
        highlights,
        ..Default::default()
    });
}

/// Omnivore's highlights Markdown. A standalone note (no quote) has nothing
/// to anchor and is left out.
pub fn read_highlights(md: &str) -> Vec<Highlight> {
    let md = md.replace("\r\n", "\n");
    let mut out: Vec<Highlight> = Vec::new();
    let mut open = false;
    for block in md.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        if block.starts_with('>') {
            let quote: Vec<&str> = block
                .lines()
                .map(|l| l.trim_start_matches('>').trim_start())
                .collect();
            out.push(Highlight {
                quote: quote.join("\n"),
                ..Default::default()
            });
            open = true;
        } else if open
            && block
                .split_whitespace()
                .all(|w| w.starts_with('#') && w.len() > 1)
            && out
                .last()
                .is_some_and(|h| h.tags.is_empty() && h.note.is_empty())
        {
            if let Some(h) = out.last_mut() {
                h.tags = block
                    .split_whitespace()
                    .map(|w| w.trim_start_matches('#').to_string())
                    .collect();
            }
        } else if open {
            if let Some(h) = out.last_mut() {
                h.note = block.to_string();
            }
            open = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portability::zipread::tests::zip_of;

    fn entry(i: usize) -> String {
        format!(
            r#"{{"id":"{i}","slug":"s{i}","title":"T{i}","url":"https://e.com/{i}","state":"Active","labels":[],"savedAt":"2024-01-02T03:04:05.000Z"}}"#
        )
    }

    #[test]
    fn a_damaged_metadata_file_loses_only_what_the_damage_touches() {
        // 20 items with the 8th broken; then 20 items cut short inside the 12th.
        let first: Vec<String> = (0..20)
            .map(|i| match i {
                7 => r#"{"id":"7","url": ,"title":"broken"}"#.to_string(),
                _ => entry(i),
            })
            .collect();
        let first = format!("[{}]", first.join(",\n"));
        let second: Vec<String> = (20..40).map(entry).collect();
        let second = format!("[{}]", second.join(",\n"));
        let cut = second.find(r#""id":"31""#).unwrap() + 20;
        let bytes = zip_of(&[
            ("metadata_0_to_20.json", first.as_bytes()),
            ("metadata_20_to_40.json", &second.as_bytes()[..cut]),
        ]);
        let p = read_zip(&bytes, zipread::ZipLimits::default()).unwrap();
        assert_eq!(p.items.len(), 19 + 11);
        let failed: Vec<&str> = p.failed.iter().map(|f| f.item.as_str()).collect();
        let mut want = vec!["metadata_0_to_20.json item 8".to_string()];
        want.extend((12..=20).map(|i| format!("metadata_20_to_40.json item {i}")));
        assert_eq!(failed, want);
        assert!(
            p.failed[0].reason.starts_with("damaged JSON"),
            "{:?}",
            p.failed[0]
        );
        assert!(
            p.failed[1].reason.contains("ends in the middle"),
            "{:?}",
            p.failed[1]
        );
        assert!(p.failed[2].reason.starts_with("lost"), "{:?}", p.failed[2]);
        // The entries after the damage in the first file are all there.
        assert_eq!(p.items[7].url, "https://e.com/8");
        assert_eq!(
            p.items[7].place.as_deref(),
            Some("metadata_0_to_20.json item 9")
        );
    }

    #[test]
    fn an_unreadable_content_file_is_a_warning_and_its_story_is_imported() {
        let meta = format!("[{},{}]", entry(0), entry(1));
        let limits = zipread::ZipLimits {
            entry_bytes: 1024,
            ..Default::default()
        };
        let big = vec![b'a'; 4096];
        let bytes = zip_of(&[
            ("metadata_0_to_2.json", meta.as_bytes()),
            ("content/s0.html", &big),
        ]);
        let p = read_zip(&bytes, limits).unwrap();
        assert_eq!((p.items.len(), p.failed.len()), (2, 0));
        assert!(p.items[0].content_html.is_none());
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].starts_with("content/s0.html: unpacks to more than"));
        // A metadata file over the limit loses the items its name counts.
        let big_meta = zip_of(&[("metadata_0_to_3.json", &big)]);
        let p = read_zip(&big_meta, limits).unwrap();
        assert_eq!(p.failed.len(), 3);
        assert_eq!(p.failed[2].item, "metadata_0_to_3.json item 3");
    }

    #[test]
    fn a_metadata_file_that_is_not_a_list_fails_every_item_its_name_counts() {
        let bytes = zip_of(&[("metadata_0_to_5.json", b"\x00\x01 garbage")]);
        let p = read_zip(&bytes, zipread::ZipLimits::default()).unwrap();
        assert!(p.items.is_empty());
        assert_eq!(p.failed.len(), 5);
        assert_eq!(p.failed[4].item, "metadata_0_to_5.json item 5");
    }

    #[test]
    fn the_single_json_list_keeps_dates_labels_and_state() {
        let json = br#"[{"id":"1","slug":"a","title":"A","description":"d","author":"Ann",
            "url":"https://e.com/a","state":"Archived","readingProgress":100,"thumbnail":null,
            "labels":["x","y"],"savedAt":"2024-01-02T03:04:05.000Z",
            "updatedAt":"2024-01-03T00:00:00.000Z","publishedAt":"2023-12-01T08:00:00.000Z"},
            {"id":"2","slug":"b","title":"B","url":"","labels":[],"savedAt":"2024-01-02T03:04:05.000Z"}]"#;
        let first: Vec<Value> = serde_json::from_slice(json).unwrap();
        assert!(is_omnivore_json(&first[0]));
        let p = read_json(json).unwrap();
        assert_eq!(p.items.len(), 1);
        let a = &p.items[0];
        assert!(a.archived && a.read);
        assert_eq!(a.tags, ["x", "y"]);
        assert_eq!(a.byline.as_deref(), Some("Ann"));
        assert_eq!(a.saved_at, Some(1_704_164_645_000));
        assert_eq!(a.published_at, Some(1_701_417_600_000));
        assert_eq!(p.failed[0].item, "item 2");
    }

    #[test]
    fn highlights_with_labels_and_notes() {
        let md =
            "> first quote\n\n#idea #later\n\nmy note\n\n> second\n> line\n\na standalone note";
        let h = read_highlights(md);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].quote, "first quote");
        assert_eq!(h[0].tags, ["idea", "later"]);
        assert_eq!(h[0].note, "my note");
        assert_eq!(h[1].quote, "second\nline");
        assert_eq!(h[1].note, "a standalone note");
    }
}
