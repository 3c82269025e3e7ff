//! `gloss export`: the library in formats other tools read. Story exports
//! (json, markdown, epub, netscape) take the list filters; opml and
//! annotations are the whole library's.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use gloss_core::feeds::CancellationToken;
use gloss_core::model::ListQuery;
use gloss_core::portability::export;
use gloss_core::{Error, Result};

use crate::args::ListFilterArgs;
use crate::context::open_existing_library;
use crate::output::{self, plural};

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

impl From<ExportFormat> for export::ExportFormat {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Opml => export::ExportFormat::Opml,
            ExportFormat::Markdown => export::ExportFormat::Markdown,
            ExportFormat::Annotations => export::ExportFormat::Annotations,
            ExportFormat::Json => export::ExportFormat::Json,
            ExportFormat::Epub => export::ExportFormat::Epub,
            ExportFormat::Netscape => export::ExportFormat::Netscape,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Opml)]
    format: ExportFormat,
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    #[command(flatten)]
    filter: ListFilterArgs,
    /// Only stories with this tag.
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
}

/// Writes the export to `--out`, or to standard output for the formats
/// that are one text file.
pub fn export(
    library: Option<PathBuf>,
    args: ExportArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let format = args.format;
    let target = args.out.as_deref();
    let query = &ListQuery {
        filter: args.filter.filter(),
        tag: args.tag,
        ..Default::default()
    };
    let lib = open_existing_library(library)?;
    let core_format = export::ExportFormat::from(format);
    let Some(path) = target else {
        return match format {
            ExportFormat::Markdown => Err(Error::InvalidInput(
                "markdown export writes one file per story: give a folder with --out DIR".into(),
            )),
            ExportFormat::Json | ExportFormat::Epub => Err(Error::InvalidInput(format!(
                "the {} export writes a file: give it with --out PATH",
                if matches!(format, ExportFormat::Json) {
                    "json"
                } else {
                    "epub"
                }
            ))),
            _ => {
                let ids = export::list_ids(&lib, query)?;
                let (text, _) = export::text_export(&lib, core_format, &ids)?;
                out.write_all(text.as_bytes())
                    .map_err(|e| Error::io("writing the output", e))?;
                Ok(ExitCode::SUCCESS)
            }
        };
    };
    let request = export::ExportRequest {
        format: core_format,
        path: path.display().to_string(),
        query: query.clone(),
        ids: Vec::new(),
    };
    let r = export::export(&lib, &request, &CancellationToken::new(), &mut |_, _| {})?;
    let what = match format {
        ExportFormat::Opml => format!("{} {}", r.feeds, plural(r.feeds, "feed", "feeds")),
        ExportFormat::Annotations => format!(
            "{} {}",
            r.annotations,
            plural(r.annotations, "annotation", "annotations")
        ),
        ExportFormat::Json => format!(
            "{} {} and {} {}",
            r.stories,
            plural(r.stories, "story", "stories"),
            r.images,
            plural(r.images, "image", "images")
        ),
        _ => format!("{} {}", r.stories, plural(r.stories, "story", "stories")),
    };
    output::text(out, &format!("exported {what} to {}", path.display()))?;
    Ok(ExitCode::SUCCESS)
}
