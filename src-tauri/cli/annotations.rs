//! Highlights from the command line: `gloss annotate`, `gloss annotations`
//! and `gloss refresh` (a story fetched again, its highlights re-anchored).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gloss_core::annotate::{Annotation, AnnotationQuery, Color, NewAnnotation, TextQuoteSelector};
use gloss_core::fetch::Fetcher;
use gloss_core::model::{SaveStage, StoryId};
use gloss_core::portability::annotations::web_annotation;
use gloss_core::save::{self, SaveOptions, Source};
use gloss_core::text::one_line;
use gloss_core::{Error, Result};

use crate::context::{open_existing_library, runtime};
use crate::output;

/// What `gloss annotate` was asked for.
#[derive(Debug, clap::Args)]
pub struct AnnotateArgs {
    id: StoryId,
    /// The words to highlight, as `gloss show ID --format text` prints them.
    #[arg(long)]
    quote: String,
    /// A note (Markdown).
    #[arg(long)]
    note: Option<String>,
    /// yellow (default), green, blue, pink or purple.
    #[arg(long)]
    color: Option<String>,
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    #[arg(long)]
    json: bool,
}

/// Highlights the first place in the story's text that reads `quote`.
pub fn annotate(
    library: Option<PathBuf>,
    args: AnnotateArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut lib = open_existing_library(library)?;
    let AnnotateArgs {
        id,
        quote,
        note,
        color,
        tags,
        json,
    } = args;
    let color = color
        .as_deref()
        .map(Color::parse)
        .transpose()?
        .unwrap_or_default();
    let new = NewAnnotation {
        quote: TextQuoteSelector {
            exact: quote,
            ..Default::default()
        },
        position: None,
        color,
        note: note.unwrap_or_default(),
        tags,
    };
    let a = lib.add_annotation(id, new)?;
    let source = lib.summary(id)?.url;
    if json {
        output::json(out, &web_annotation(&a, &source))?;
    } else {
        annotation_lines(out, &[a])?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One story's annotations in reading order, or every annotation, newest first.
pub fn list(
    library: Option<PathBuf>,
    story: Option<StoryId>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let lib = open_existing_library(library)?;
    let items: Vec<(Annotation, String)> = match story {
        Some(id) => {
            let source = lib.summary(id)?.url;
            lib.annotations_of(id)?
                .into_iter()
                .map(|a| (a, source.clone()))
                .collect()
        }
        None => lib
            .notebook(&AnnotationQuery {
                limit: Some(u32::MAX),
                ..Default::default()
            })?
            .into_iter()
            .map(|e| (e.annotation, e.story_url))
            .collect(),
    };
    if json {
        let values: Vec<_> = items.iter().map(|(a, s)| web_annotation(a, s)).collect();
        output::json(out, &values)?;
    } else {
        let annotations: Vec<Annotation> = items.into_iter().map(|(a, _)| a).collect();
        annotation_lines(out, &annotations)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Fetches the story again (or reads `from`), replaces its content and
/// re-anchors its annotations.
pub fn refresh(
    library: Option<PathBuf>,
    id: StoryId,
    from: Option<PathBuf>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut lib = open_existing_library(library)?;
    let url = lib.summary(id)?.url;
    let source = match from {
        Some(path) => Source::parse(&path.display().to_string())?,
        // A story saved from a file is read again from that file.
        None => match url::Url::parse(&url).ok().filter(|u| u.scheme() == "file") {
            Some(file) => Source::File(file.to_file_path().map_err(|_| {
                Error::InvalidInput(format!(
                    "{url} is not a file path on this machine; use --from FILE"
                ))
            })?),
            None => Source::parse(&url)?,
        },
    };
    let fetcher = Fetcher::new()?;
    let quiet = |_: SaveStage, _: u32, _: u32| {};
    let story = runtime()?.block_on(save::prepare(
        &fetcher,
        &source,
        &SaveOptions::default(),
        &quiet,
    ))?;
    let (placed, orphaned) = lib.replace_content(id, story)?;
    output::text(
        out,
        &format!("refreshed {id}: {placed} highlights placed, {orphaned} orphaned"),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn annotation_lines(out: &mut impl Write, annotations: &[Annotation]) -> Result<()> {
    for a in annotations {
        let place = match a.position {
            Some(p) => format!("{}-{}", p.start, p.end),
            None => "orphaned".into(),
        };
        let quote = one_line(&a.quote.exact);
        let mut line = format!(
            "{:>6} story {} [{}] {place}: “{quote}”",
            a.id,
            a.story_id,
            a.color.name()
        );
        if !a.note.is_empty() {
            line.push_str(&format!(" — {}", one_line(&a.note)));
        }
        output::text(out, &line)?;
    }
    Ok(())
}
