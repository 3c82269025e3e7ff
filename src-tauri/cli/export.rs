//! `gloss export`: the library in formats other tools read. Story exports
//! (json, markdown, epub, netscape) take the list filters; opml and
//! annotations are the whole library's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use gloss_core::model::{ListFilter, ListQuery};
use gloss_core::portability::{self, epub, gloss_json, netscape};
use gloss_core::{Error, Result};

use super::feeds::plural;
use super::{open_library, output};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// Subscriptions with their folders.
    Opml,
    /// One Markdown file per story, with front matter and its highlights (needs --out DIR).
    Markdown,
    /// Every highlight and note as W3C Web Annotations (JSON-LD).
    Annotations,
    /// Everything, to import into Gloss again: a ZIP of library.json and the images (needs --out).
    Json,
    /// An EPUB 3 book of the stories, with their images and a table of contents (needs --out).
    Epub,
    /// Browser bookmarks (Netscape bookmark file).
    Netscape,
}

/// Writes the export to `target`, or to standard output for the formats
/// that are one text file.
pub fn export(
    library: Option<PathBuf>,
    format: ExportFormat,
    target: Option<&Path>,
    query: &ListQuery,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let lib = open_library(library)?;
    let needs_out = |what: &str| {
        target.ok_or_else(|| {
            Error::InvalidInput(format!(
                "{what} export writes a file: give it with --out PATH"
            ))
        })
    };
    let (text, what) = match format {
        ExportFormat::Opml => {
            let feeds = lib.feeds()?.len() as u32;
            (
                lib.export_opml()?,
                format!("{feeds} {}", plural(feeds, "feed", "feeds")),
            )
        }
        ExportFormat::Annotations => {
            let doc = portability::export_annotations(&lib)?;
            let total = doc["total"].as_u64().unwrap_or(0) as u32;
            let text = serde_json::to_string_pretty(&doc)
                .map_err(|e| Error::io("writing JSON", std::io::Error::other(e)))?;
            (
                text + "\n",
                format!("{total} {}", plural(total, "annotation", "annotations")),
            )
        }
        ExportFormat::Netscape => {
            let stories = lib.list(query)?.stories;
            let n = stories.len() as u32;
            (
                netscape::write(&stories),
                format!("{n} {}", plural(n, "story", "stories")),
            )
        }
        ExportFormat::Markdown => {
            let dir = target.ok_or_else(|| {
                Error::InvalidInput(
                    "markdown export writes one file per story: give a folder with --out DIR"
                        .into(),
                )
            })?;
            let stories = portability::export_markdown(&lib, dir, query)?;
            output::text(
                out,
                &format!(
                    "exported {stories} {} to {}",
                    plural(stories, "story", "stories"),
                    dir.display()
                ),
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        ExportFormat::Json => {
            let path = needs_out("the json")?;
            let counts = write_atomically(path, |f| gloss_json::write_zip(&lib, query, f))?;
            output::text(
                out,
                &format!(
                    "exported {} {} and {} {} to {}",
                    counts.stories,
                    plural(counts.stories, "story", "stories"),
                    counts.assets,
                    plural(counts.assets, "image", "images"),
                    path.display()
                ),
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        ExportFormat::Epub => {
            let path = needs_out("the epub")?;
            let title = book_title(query);
            let n = write_atomically(path, |f| epub::write_epub(&lib, query, &title, f))?;
            output::text(
                out,
                &format!(
                    "exported {n} {} to {}",
                    plural(n, "story", "stories"),
                    path.display()
                ),
            )?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    match target {
        None => out
            .write_all(text.as_bytes())
            .map_err(|e| Error::io("writing the output", e))?,
        Some(path) => {
            std::fs::write(path, &text)
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
            output::text(out, &format!("exported {what} to {}", path.display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes beside `path` and renames, so a failed export leaves no half file.
fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<T>,
) -> Result<T> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let mut file = std::fs::File::create(&partial)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    let result = write(&mut file).and_then(|v| {
        file.sync_all()
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        Ok(v)
    });
    drop(file);
    match result {
        Ok(v) => {
            std::fs::rename(&partial, path)
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
            Ok(v)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn book_title(query: &ListQuery) -> String {
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
