//! Omnivore's export ZIP: `metadata_*.json` (arrays of saved items with
//! labels, state and reading progress), `content/<slug>.html` (the readable
//! HTML Omnivore kept) and `highlights/<slug>.md` (`> quote`, an optional
//! line of `#labels`, an optional note, items between blank lines).

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::item::{Highlight, Item, Parsed};
use super::{dates, zipread};
use crate::Result;

/// Whether the archive's names look like Omnivore's.
pub fn is_omnivore(names: &[String]) -> bool {
    names.iter().any(|n| {
        let base = n.rsplit('/').next().unwrap_or(n);
        base.starts_with("metadata_") && base.ends_with(".json")
    })
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
}

pub fn read_zip(bytes: &[u8], limits: zipread::ZipLimits) -> Result<Parsed> {
    let mut parsed = Parsed::default();
    let entries = zipread::read(
        bytes,
        limits,
        |n| n.ends_with(".json") || n.ends_with(".html") || n.ends_with(".md"),
        &mut parsed.failed,
    )?;
    let mut files: HashMap<String, Vec<u8>> = HashMap::new();
    let mut metadata = Vec::new();
    for e in entries {
        let base = e.name.rsplit('/').next().unwrap_or(&e.name).to_string();
        if base.starts_with("metadata_") && base.ends_with(".json") {
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
        let list: Vec<Value> = match serde_json::from_slice(&e.bytes) {
            Ok(l) => l,
            Err(err) => {
                parsed.fail(&e.name, format!("not Omnivore's metadata JSON: {err}"));
                continue;
            }
        };
        for (i, v) in list.into_iter().enumerate() {
            let shown = format!("{} item {}", e.name, i + 1);
            let meta: Meta = match serde_json::from_value(v) {
                Ok(m) => m,
                Err(err) => {
                    parsed.fail(shown, format!("unreadable: {err}"));
                    continue;
                }
            };
            let Some(url) = meta.url.filter(|u| !u.is_empty()) else {
                parsed.fail(shown, "no URL");
                continue;
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
            parsed.items.push(Item {
                url,
                title: meta.title,
                byline: meta.author,
                excerpt: meta.description,
                saved_at: dates::field(
                    meta.saved_at.as_deref().unwrap_or(""),
                    &shown,
                    &mut parsed.warnings,
                ),
                archived,
                read: archived || progress >= 0.99,
                progress,
                tags: meta
                    .labels
                    .iter()
                    .filter_map(|l| match l {
                        Value::String(s) => Some(s.clone()),
                        Value::Object(o) => {
                            o.get("name").and_then(Value::as_str).map(str::to_string)
                        }
                        _ => None,
                    })
                    .collect(),
                content_html: content,
                highlights,
                ..Default::default()
            });
        }
    }
    Ok(parsed)
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
