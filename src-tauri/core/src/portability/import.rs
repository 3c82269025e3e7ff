//! `gloss import` and the window's Import: read a file (format detected or
//! named), turn its items into stories (content sanitized like a saved
//! page, its images downloaded when the network is allowed), write them in
//! batches that a cancel stops between, fetch the content of the stories
//! that came as links, and say what was imported, merged and left out.

use std::path::Path;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use url::Url;

use super::detect::{self, Format};
use super::item::{Failure, ImportProgress, ImportReport, ImportStage, Item, Parsed};
use super::zipread::ZipLimits;
use super::{fetch, gloss_json, instapaper, netscape, omnivore, pocket, readwise, wallabag};
use crate::annotate::TextQuoteSelector;
use crate::extract::Extracted;
use crate::feeds::opml::{self, OpmlDocument};
use crate::feeds::FeedsInLibrary;
use crate::fetch::Fetcher;
use crate::library::{ImportAnnotation, ImportRow, LibraryAccess, NewStory, RowOutcome};
use crate::save::{self, SaveOptions};
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
    // UTF-16 is made UTF-8 first: telling the format reads ASCII markers.
    let utf8 = super::decode::utf16_as_utf8(bytes);
    let bytes = utf8.as_deref().unwrap_or(bytes);
    let format = match format {
        Some(name) => detect::forced(name, bytes)?,
        None => detect::detect(bytes)?,
    };
    let mut parsed = Parsed::default();
    match format {
        Format::Opml => return Ok(Prepared::Opml(opml::read_opml(bytes)?)),
        Format::Gloss => return Ok(Prepared::Gloss(gloss_json::read(bytes, limits)?)),
        Format::PocketHtml => parsed = pocket::read_html(bytes),
        Format::PocketCsv => pocket::read_csv(bytes, &mut parsed),
        Format::PocketZip => parsed = pocket::read_zip(bytes, limits)?,
        Format::Instapaper => instapaper::read(bytes, &mut parsed),
        Format::Omnivore => parsed = omnivore::read_zip(bytes, limits)?,
        Format::OmnivoreJson => parsed = omnivore::read_json(bytes)?,
        Format::Wallabag => parsed = wallabag::read(bytes)?,
        Format::Readwise => readwise::read_highlights(bytes, &mut parsed),
        Format::ReadwiseReader => readwise::read_reader(bytes, &mut parsed),
        Format::Netscape => parsed = netscape::read(bytes),
    }
    Ok(Prepared::Items(format, parsed))
}

/// Stories written per transaction: large enough that a 10,000-row file
/// is a few commits, small enough that a cancel or a failure keeps most of
/// what was read, and that the window's own writes wait only briefly.
const BATCH: usize = 500;

/// How often progress is reported at most (the last step always is).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Writes what [`prepare`] read into the library, with no network: images
/// in the export's content are left as their alt text, stories that came as
/// links wait for their content. For tests and tools; not from inside an
/// async runtime (use [`run`] there).
pub fn apply(lib: &mut Library, prepared: Prepared) -> Result<ImportReport> {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| Error::io("starting the import", e))?
        .block_on(run(
            lib,
            prepared,
            None,
            &CancellationToken::new(),
            &mut |_| {},
        ))
}

/// Writes what [`prepare`] read into the library, a batch of stories per
/// transaction, checking `cancel` between stories: what was written before a
/// cancel stays, and the library is consistent at every commit.
///
/// With a `fetcher`, the images of content that came in the export
/// (Omnivore, wallabag) are downloaded through the same pipeline as a saved
/// page's, one story at a time, and then the content of the stories that came
/// as links is fetched ([`super::fetch::fetch_missing`]). Without one, nothing
/// touches the network: images stay as their alt text, as in a save with
/// images off, and the stories wait for `gloss fetch-pending`.
///
/// The library is reached through `lib` only for each write, never across
/// a download.
pub async fn run(
    lib: &mut (impl LibraryAccess + Send),
    prepared: Prepared,
    fetcher: Option<&Fetcher>,
    cancel: &CancellationToken,
    progress: &mut (dyn FnMut(&ImportProgress) + Send),
) -> Result<ImportReport> {
    let mut w = Writer::new(progress);
    match prepared {
        Prepared::Opml(doc) => {
            w.total = doc.feeds.len() as u32;
            let s = lib.with(|l| l.import_opml(&doc))?;
            w.report.format = "opml".into();
            w.report.imported = s.added;
            w.report.merged = s.existing;
            w.report.failed = s
                .skipped
                .into_iter()
                // Each line is `address: reason` (or `folder NAME: reason`).
                .map(|line| match line.split_once(": ") {
                    Some((item, reason)) => Failure::new(item, reason),
                    None => Failure::new("feed", line),
                })
                .collect();
            w.done = w.total;
        }
        Prepared::Gloss(import) => {
            w.report.format = "gloss".into();
            w.report.failed = import.failed;
            w.report.warnings = import.warnings;
            let stories = import.doc.stories;
            let assets = import.assets;
            lib.with(|l| l.import_feeds(&import.doc.feeds))?;
            w.total = stories.len() as u32;
            w.emit(ImportStage::Importing, true);
            for s in stories {
                if cancel.is_cancelled() {
                    w.report.cancelled = true;
                    break;
                }
                let url = s.url.clone();
                let feed_id = match &s.feed {
                    Some(feed) => lib.with(|l| l.feed_id_by_url(feed))?,
                    None => None,
                };
                let row = gloss_json::row(s, feed_id, &assets, &mut w.report.warnings);
                w.push(url, row);
                if w.batch.len() >= BATCH {
                    w.flush(lib)?;
                }
                w.step();
                tokio::task::yield_now().await;
            }
        }
        Prepared::Items(format, parsed) => {
            w.report.format = format.name().into();
            w.report.failed = parsed.failed;
            w.report.skipped = parsed.skipped;
            w.report.warnings = parsed.warnings;
            w.total = parsed.items.len() as u32;
            w.emit(ImportStage::Importing, true);
            for (n, item) in parsed.items.into_iter().enumerate() {
                if cancel.is_cancelled() {
                    w.report.cancelled = true;
                    break;
                }
                let url = item.shown(n + 1);
                match row(item, fetcher.is_some()) {
                    Ok((mut row, images)) => {
                        let mut downloaded = false;
                        if let (Some(fetcher), Some(extracted)) = (fetcher, images) {
                            let story = &mut row.story;
                            let work = add_images(fetcher, extracted, story);
                            if cancel.run_until_cancelled(work).await.is_none() {
                                // Stopped inside this story: it is not written.
                                w.report.cancelled = true;
                                break;
                            }
                            downloaded = true;
                        }
                        w.push(url, row);
                        // A story that waited on the network is committed
                        // at once: the network, not the commit, is slow.
                        if downloaded || w.batch.len() >= BATCH {
                            w.flush(lib)?;
                        }
                    }
                    Err(e) => w.report.failed.push(Failure::new(url, e.to_string())),
                }
                w.step();
                tokio::task::yield_now().await;
            }
        }
    }
    w.flush(lib)?;
    w.report.waiting_for_content = lib.with(|l| l.count_needing_content())?;
    if let Some(fetcher) = fetcher {
        if !w.report.cancelled && w.report.waiting_for_content > 0 {
            w.emit(ImportStage::Fetching, true);
            let mut on_page = |done: u32, total: u32| {
                w.done = done;
                w.total = total;
                w.emit(ImportStage::Fetching, done == total);
            };
            let fetch =
                fetch::fetch_missing(lib, fetcher, u32::MAX, false, cancel, &mut on_page).await?;
            w.report.fetched = fetch.fetched;
            w.report.fetch_failed = fetch.failed;
            w.report.cancelled = fetch.cancelled;
            w.report.waiting_for_content = lib.with(|l| l.count_needing_content())?;
        }
    }
    w.emit(ImportStage::Done, true);
    Ok(w.report)
}

/// Downloads the images of content that came in an export and points the
/// story's HTML at them: the save pipeline's own image step (the same
/// limits, sniffing, per-story cap and concurrency). An image that cannot be
/// downloaded becomes its alt text, as in a save.
async fn add_images(fetcher: &Fetcher, extracted: Extracted, story: &mut NewStory) {
    let saved = save::story_from_extracted(
        fetcher,
        extracted,
        story.url.clone(),
        story.url_key.clone(),
        &SaveOptions::default(),
        &|_, _, _| {},
    )
    .await;
    story.html = saved.html;
    story.assets = saved.assets;
    story.lead_image = saved.lead_image;
}

/// The rows of an import on their way into the library, and what it has
/// reported so far.
struct Writer<'p> {
    report: ImportReport,
    batch: Vec<ImportRow>,
    /// How each row of `batch` is shown in a failure: the URL as in the file.
    shown: Vec<String>,
    done: u32,
    total: u32,
    last_emit: Option<Instant>,
    progress: &'p mut (dyn FnMut(&ImportProgress) + Send),
}

impl<'p> Writer<'p> {
    fn new(progress: &'p mut (dyn FnMut(&ImportProgress) + Send)) -> Self {
        Writer {
            report: ImportReport::default(),
            batch: Vec::new(),
            shown: Vec::new(),
            done: 0,
            total: 0,
            last_emit: None,
            progress,
        }
    }

    fn push(&mut self, shown: String, row: ImportRow) {
        self.batch.push(row);
        self.shown.push(shown);
    }

    /// Writes the batch in one transaction and counts what happened.
    fn flush(&mut self, lib: &mut impl LibraryAccess) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.batch);
        let shown = std::mem::take(&mut self.shown);
        for (outcome, url) in lib.with(|l| l.import_rows(rows))?.into_iter().zip(shown) {
            match outcome {
                RowOutcome::Created { highlights, .. } => {
                    self.report.imported += 1;
                    self.report.highlights += highlights;
                }
                RowOutcome::Merged { highlights, .. } => {
                    self.report.merged += 1;
                    self.report.highlights += highlights;
                }
                RowOutcome::Failed(reason) => self.report.failed.push(Failure::new(url, reason)),
            }
        }
        self.emit(ImportStage::Importing, true);
        Ok(())
    }

    /// One item finished.
    fn step(&mut self) {
        self.done += 1;
        let last = self.done == self.total;
        self.emit(ImportStage::Importing, last);
    }

    /// Reports progress, at most every [`PROGRESS_EVERY`] unless `now`.
    fn emit(&mut self, stage: ImportStage, now: bool) {
        if !now && self.last_emit.is_some_and(|t| t.elapsed() < PROGRESS_EVERY) {
            return;
        }
        self.last_emit = Some(Instant::now());
        (self.progress)(&ImportProgress {
            stage,
            done: self.done,
            total: self.total,
            imported: self.report.imported,
            merged: self.report.merged,
            failed: self.report.failed.len() as u32,
        });
    }
}

/// Unix ms as the RFC 3339 text stories keep their publication date in
/// (`2024-05-06T05:30:00Z`, as extraction writes it).
fn rfc3339(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// One item as a library row: the URL checked and normalised, content (if
/// any) extracted and sanitized, a placeholder otherwise. With
/// `download_images`, content that has images comes back with its extraction
/// for [`add_images`]; otherwise its images are their alt text already.
fn row(item: Item, download_images: bool) -> Result<(ImportRow, Option<Extracted>)> {
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
        published_at: item.published_at.and_then(rfc3339),
        site: url
            .host_str()
            .map(|h| h.trim_start_matches("www.").to_string()),
        ..Default::default()
    };
    let mut needs_content = true;
    let mut images = None;
    if let Some(html) = item.content_html.as_deref() {
        let e = extract::extract_html(html, Some(&url), &fallback)?;
        let has_images = e.lead_image_url.is_some() || !extract::image_urls(&e.html).is_empty();
        // Until (unless) they are downloaded, images are their alt text.
        let html = extract::replace_images(&e.html, &Default::default());
        if !e.text.trim().is_empty() {
            needs_content = false;
            if download_images && has_images {
                images = Some(e.clone());
            }
            story.title = title.unwrap_or(e.title);
            story.byline = story.byline.or(e.byline);
            story.site = e.site_name.or(story.site);
            story.language = e.language;
            story.dir = e.dir;
            story.excerpt = story.excerpt.or(e.excerpt);
            story.published_at = story.published_at.or(e.published_at);
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
    let row = ImportRow {
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
    };
    Ok((row, images))
}
