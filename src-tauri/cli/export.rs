//! `gloss export`: the library in formats other tools read.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use gloss_core::{portability, Error, Result};

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
}

/// Writes the export to `target`, or to standard output for the formats
/// that are one file.
pub fn export(
    library: Option<PathBuf>,
    format: ExportFormat,
    target: Option<&Path>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let lib = open_library(library)?;
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
        ExportFormat::Markdown => {
            let dir = target.ok_or_else(|| {
                Error::InvalidInput(
                    "markdown export writes one file per story: give a folder with --out DIR"
                        .into(),
                )
            })?;
            let stories = portability::export_markdown(&lib, dir)?;
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
