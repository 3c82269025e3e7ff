//! Every export in one place, for the command line and the window alike:
//! which stories (a list of the sidebar, or chosen ones), the format, where
//! it goes, progress per story and a cancel between stories. A file is
//! written beside its destination and renamed when complete, so a failed or
//! cancelled export leaves no half file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

pub use super::export_counts::{ExportCounts, Step};
pub use super::selection::{list_ids, summaries};
use super::{epub, export_annotations, export_markdown, gloss_json, netscape};
use crate::feeds::FeedsInLibrary;
use crate::model::{ListFilter, ListQuery, StoryId};
use crate::{Error, Library, Result};

/// The formats Gloss writes (`gloss export --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Everything, to import into Gloss again: a ZIP of `library.json` and the images.
    Json,
    /// One Markdown file per story with front matter and its highlights (a folder).
    Markdown,
    /// An EPUB 3 book with images and a table of contents.
    Epub,
    /// Browser bookmarks (Netscape bookmark file).
    Netscape,
    /// Subscriptions with their folders.
    Opml,
    /// Every highlight and note as W3C Web Annotations (JSON-LD).
    Annotations,
}

impl ExportFormat {
    /// Whether the export is of chosen stories (a list or a selection);
    /// OPML and annotations are always the whole library's.
    pub fn takes_stories(self) -> bool {
        !matches!(self, ExportFormat::Opml | ExportFormat::Annotations)
    }

    /// Whether the destination is a folder (Markdown: one file per story).
    pub fn writes_folder(self) -> bool {
        self == ExportFormat::Markdown
    }
}

/// What to export and where (the window's Export dialog).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportRequest {
    pub format: ExportFormat,
    /// The file to write; a folder for `markdown`.
    pub path: String,
    /// The list to export (its `limit` and `before` are ignored: all of it).
    pub query: ListQuery,
    /// Chosen stories instead of the list, when not empty.
    #[ts(type = "Array<number>")]
    pub ids: Vec<StoryId>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportReport {
    pub format: ExportFormat,
    /// Where it went.
    pub path: String,
    pub stories: u32,
    /// Images written beside the stories (json) or inside the book (epub).
    pub images: u32,
    /// Feeds (opml, json).
    pub feeds: u32,
    /// Highlights (annotations).
    pub annotations: u32,
    /// Stopped by the user. Nothing was written, except the Markdown files
    /// finished before the cancel (counted in `stories`).
    pub cancelled: bool,
}

/// The payload of the `export-progress` event: stories written and in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportProgress {
    pub done: u32,
    pub total: u32,
}

/// The title of a book or export of a list: "Gloss: Starred tagged rust".
pub fn list_title(query: &ListQuery) -> String {
    let what = match query.filter {
        ListFilter::All => "Stories",
        ListFilter::Inbox => "Inbox",
        ListFilter::Unread => "Unread",
        ListFilter::Starred => "Starred",
        ListFilter::Archived => "Archive",
        ListFilter::Annotated => "Annotated",
    };
    match &query.tag {
        Some(tag) => format!("Gloss: {what} tagged {tag}"),
        None => format!("Gloss: {what}"),
    }
}

/// A one-file text export (opml, annotations, netscape) and what it holds.
pub fn text_export(
    lib: &Library,
    format: ExportFormat,
    ids: &[StoryId],
) -> Result<(String, ExportCounts)> {
    let mut counts = ExportCounts::default();
    let text = match format {
        ExportFormat::Opml => {
            counts.feeds = lib.feeds()?.len() as u32;
            lib.export_opml()?
        }
        ExportFormat::Annotations => {
            let doc = export_annotations(lib)?;
            counts.annotations = doc["total"].as_u64().unwrap_or(0) as u32;
            let text = serde_json::to_string_pretty(&doc)
                .map_err(|e| Error::io("writing JSON", std::io::Error::other(e)))?;
            text + "\n"
        }
        ExportFormat::Netscape => {
            let stories = summaries(lib, ids)?;
            counts.stories = stories.len() as u32;
            netscape::write(&stories)
        }
        ExportFormat::Json | ExportFormat::Markdown | ExportFormat::Epub => {
            return Err(Error::InvalidInput(format!(
                "{format:?} is not a text export; give a file to write"
            )))
        }
    };
    Ok((text, counts))
}

/// Writes an export: the stories of `request` (a list or chosen ones) in its
/// format to its path. `progress(done, total)` is told after each story;
/// after `cancel` the export stops at the next story, removes what it had
/// begun and says `cancelled` (finished Markdown files stay).
pub fn export(
    lib: &Library,
    request: &ExportRequest,
    cancel: &CancellationToken,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<ExportReport> {
    let path = PathBuf::from(request.path.trim());
    if request.path.trim().is_empty() {
        return Err(Error::InvalidInput(
            "no destination: choose where the export goes".into(),
        ));
    }
    let ids = if !request.format.takes_stories() {
        Vec::new()
    } else if request.ids.is_empty() {
        list_ids(lib, &request.query)?
    } else {
        request.ids.clone()
    };
    let total = ids.len() as u32;
    let mut done = 0;
    progress(0, total);
    // After each story: counted, then stopped if cancelled.
    let mut step = || {
        done += 1;
        progress(done, total);
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        Ok(())
    };
    let result = match request.format {
        ExportFormat::Markdown => {
            export_markdown(lib, &path, &ids, &mut step).map(|stories| ExportCounts {
                stories,
                ..Default::default()
            })
        }
        ExportFormat::Json => {
            write_atomically(&path, |f| gloss_json::write_zip(lib, &ids, f, &mut step))
        }
        ExportFormat::Epub => {
            let title = if request.ids.is_empty() {
                list_title(&request.query)
            } else {
                "Gloss: Chosen stories".to_string()
            };
            write_atomically(&path, |f| epub::write_epub(lib, &ids, &title, f, &mut step))
        }
        ExportFormat::Opml | ExportFormat::Annotations | ExportFormat::Netscape => {
            text_export(lib, request.format, &ids).and_then(|(text, counts)| {
                write_atomically(&path, |f| {
                    std::io::Write::write_all(f, text.as_bytes())
                        .map_err(|e| Error::io(format!("writing {}", path.display()), e))
                })?;
                Ok(counts)
            })
        }
    };
    let report = |counts: ExportCounts, cancelled: bool| ExportReport {
        format: request.format,
        path: path.display().to_string(),
        stories: counts.stories,
        images: counts.images,
        feeds: counts.feeds,
        annotations: counts.annotations,
        cancelled,
    };
    match result {
        Ok(counts) => Ok(report(counts, false)),
        Err(Error::Cancelled) => {
            // Markdown files finished before the cancel stay; say how many.
            let kept = if request.format.writes_folder() {
                done
            } else {
                0
            };
            Ok(report(
                ExportCounts {
                    stories: kept,
                    ..Default::default()
                },
                true,
            ))
        }
        Err(e) => Err(e),
    }
}

/// Writes beside `path` and renames, so a failed export leaves no half file
/// (and an existing file is replaced only by a complete one).
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<T>,
) -> Result<T> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let shown = path.display();
    let mut file =
        std::fs::File::create(&partial).map_err(|e| Error::io(format!("writing {shown}"), e))?;
    let result = write(&mut file).and_then(|v| {
        file.sync_all()
            .map_err(|e| Error::io(format!("writing {shown}"), e))?;
        Ok(v)
    });
    drop(file);
    match result {
        Ok(v) => {
            std::fs::rename(&partial, path)
                .map_err(|e| Error::io(format!("writing {shown}"), e))?;
            Ok(v)
        }
        Err(e) => {
            // The half-written file is of no use; a failure to remove it
            // changes nothing for the user, who sees the first error.
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}
