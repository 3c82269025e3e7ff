//! `gloss import`: read a file (format detected or named), turn its items
//! into stories (content sanitized like a saved page), write them in one
//! transaction, and say what was imported, merged and left out.

use std::path::Path;

use url::Url;

use super::detect::{self, Format};
use super::item::{Failure, ImportReport, Item, Parsed};
use super::zipread::ZipLimits;
use super::{gloss_json, instapaper, netscape, omnivore, pocket, readwise, wallabag};
use crate::annotate::TextQuoteSelector;
use crate::feeds::opml::{self, OpmlDocument};
use crate::library::{ImportAnnotation, ImportRow, NewStory, RowOutcome};
use crate::{extract, urls, Error, Library, Result};

/// The largest file read: a Pocket ZIP of 100,000 links is a few MiB, an
/// Omnivore export with every article's HTML a few hundred.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// An export read and understood, not yet written.
pub enum Prepared {
    Items(Format, Parsed),
    Opml(OpmlDocument),
    Gloss(gloss_json::GlossImport),
}

/// Reads an export file. Nothing is written: a file that cannot be read
/// leaves the library untouched.
pub fn read_file(path: &Path, format: Option<&str>, limits: ZipLimits) -> Result<Prepared> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    if meta.is_dir() {
        return Err(Error::InvalidInput(format!(
            "{shown} is a folder; give the export file itself"
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::TooLarge(format!(
            "{shown} is larger than 1 GiB; split the export and import the parts"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    prepare(&bytes, format, limits)
}

/// Reads an export from memory.
pub fn prepare(bytes: &[u8], format: Option<&str>, limits: ZipLimits) -> Result<Prepared> {
    let format = match format {
        Some(name) => detect::forced(name, bytes)?,
        None => detect::detect(bytes)?,
    };
    let text = || String::from_utf8_lossy(bytes).into_owned();
    let mut parsed = Parsed::default();
    match format {
        Format::Opml => return Ok(Prepared::Opml(opml::read_opml(bytes)?)),
        Format::Gloss => return Ok(Prepared::Gloss(gloss_json::read(bytes, limits)?)),
        Format::PocketHtml => parsed = pocket::read_html(&text()),
        Format::PocketCsv => pocket::read_csv(bytes, &mut parsed),
        Format::PocketZip => parsed = pocket::read_zip(bytes, limits)?,
        Format::Instapaper => instapaper::read(bytes, &mut parsed),
        Format::Omnivore => parsed = omnivore::read_zip(bytes, limits)?,
        Format::Wallabag => {
            let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
                Error::InvalidInput(format!(
                    "the file is not JSON ({e}); export it again from wallabag"
                ))
            })?;
            parsed = wallabag::read(&value);
        }
        Format::Readwise => readwise::read_highlights(bytes, &mut parsed),
        Format::ReadwiseReader => readwise::read_reader(bytes, &mut parsed),
        Format::Netscape => parsed = netscape::read(&text()),
    }
    Ok(Prepared::Items(format, parsed))
}

/// Writes what [`prepare`] read into the library.
pub fn apply(lib: &mut Library, prepared: Prepared) -> Result<ImportReport> {
    match prepared {
        Prepared::Opml(doc) => {
            let s = lib.import_opml(&doc)?;
            Ok(ImportReport {
                format: "opml".into(),
                imported: s.added,
                merged: s.existing,
                failed: s
                    .skipped
                    .into_iter()
                    .map(|reason| Failure::new("feed", reason))
                    .collect(),
                ..Default::default()
            })
        }
        Prepared::Gloss(import) => gloss_json::apply(lib, import),
        Prepared::Items(format, parsed) => apply_items(lib, format, parsed),
    }
}

fn apply_items(lib: &mut Library, format: Format, parsed: Parsed) -> Result<ImportReport> {
    let mut report = ImportReport {
        format: format.name().into(),
        failed: parsed.failed,
        warnings: parsed.warnings,
        ..Default::default()
    };
    let mut rows = Vec::with_capacity(parsed.items.len());
    let mut shown = Vec::with_capacity(parsed.items.len());
    for item in parsed.items {
        let url = item.url.clone();
        report.highlights += item.highlights.len() as u32;
        match row(item) {
            Ok(r) => {
                rows.push(r);
                shown.push(url);
            }
            Err(e) => report.failed.push(Failure::new(url, e.to_string())),
        }
    }
    for (outcome, url) in lib.import_rows(rows)?.into_iter().zip(shown) {
        match outcome {
            RowOutcome::Created(_) => report.imported += 1,
            RowOutcome::Merged(_) => report.merged += 1,
            RowOutcome::Failed(reason) => report.failed.push(Failure::new(url, reason)),
        }
    }
    report.waiting_for_content = lib.count_needing_content()?;
    Ok(report)
}

/// One item as a library row: the URL checked and normalised, content (if
/// any) extracted and sanitized, a placeholder otherwise.
fn row(item: Item) -> Result<ImportRow> {
    let url: Url = urls::parse_web_url(item.url.trim())?;
    let clean = urls::clean(&url);
    let title = item
        .title
        .clone()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    let fallback = title.clone().unwrap_or_else(|| {
        format!(
            "{}{}",
            url.host_str().unwrap_or_default(),
            url.path().trim_end_matches('/')
        )
    });
    let mut story = NewStory {
        url: clean.to_string(),
        url_key: urls::normalize(&url),
        title: fallback.clone(),
        byline: item.byline.clone(),
        excerpt: item.excerpt.clone(),
        tags: item.tags.clone(),
        saved_at: item.saved_at,
        site: url
            .host_str()
            .map(|h| h.trim_start_matches("www.").to_string()),
        ..Default::default()
    };
    let mut needs_content = true;
    if let Some(html) = item.content_html.as_deref() {
        let e = extract::extract_html(html, Some(&url), &fallback)?;
        // Images are not downloaded during an import: their alt text stays.
        let html = extract::replace_images(&e.html, &Default::default());
        if !e.text.trim().is_empty() {
            needs_content = false;
            story.title = title.unwrap_or(e.title);
            story.byline = story.byline.or(e.byline);
            story.site = e.site_name.or(story.site);
            story.language = e.language;
            story.dir = e.dir;
            story.excerpt = story.excerpt.or(e.excerpt);
            story.published_at = e.published_at;
            story.html = html;
            story.text = e.text;
            story.word_count = e.word_count;
            story.readerable = e.readerable;
        }
    }
    let read_at = item.read.then(|| {
        item.saved_at
            .unwrap_or_else(|| chrono::Utc::now().timestamp_millis())
    });
    Ok(ImportRow {
        story,
        needs_content,
        starred: item.starred,
        archived: item.archived,
        read_at,
        progress: item.progress,
        annotations: item
            .highlights
            .into_iter()
            .map(|h| ImportAnnotation {
                quote: TextQuoteSelector {
                    exact: h.quote.trim().to_string(),
                    ..Default::default()
                },
                color: h.color,
                note: h.note,
                tags: h.tags,
                created_ms: h.created,
                ..Default::default()
            })
            .collect(),
    })
}
