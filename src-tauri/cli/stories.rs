//! The stories already in the library: `gloss list`, `show`, `search`,
//! `tag` and the marks (`star`, `archive`, `read`, their opposites and
//! `delete`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gloss_core::model::{ListQuery, SearchQuery, StoryId};
use gloss_core::{extract, Library, Result};

use crate::args::{ListFilterArgs, ShowFormat};
use crate::context::open_existing_library;
use crate::output;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    filter: ListFilterArgs,
    /// Only stories with this tag.
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
    /// Only stories of this feed.
    #[arg(long, value_name = "ID")]
    feed: Option<i64>,
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    #[arg(long)]
    json: bool,
}

pub fn list(library: Option<PathBuf>, args: ListArgs, out: &mut impl Write) -> Result<ExitCode> {
    let lib = open_existing_library(library)?;
    let query = ListQuery {
        filter: args.filter.filter(),
        tag: args.tag,
        feed_id: args.feed,
        folder_id: None,
        limit: args.limit,
        before: None,
    };
    let page = lib.list(&query)?;
    if args.json {
        output::json(out, &page.stories)?;
    } else {
        output::story_lines(out, &page.stories)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(
    library: Option<PathBuf>,
    id: StoryId,
    format: ShowFormat,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let lib = open_existing_library(library)?;
    let story = lib.story(id)?;
    match format {
        ShowFormat::Text => output::text(out, &story.text)?,
        ShowFormat::Html => output::text(out, &story.html)?,
        ShowFormat::Markdown => output::text(
            out,
            &format!(
                "# {}\n\n{}",
                story.summary.title,
                extract::html_to_markdown(&story.html)
            ),
        )?,
        ShowFormat::Json => output::json(out, &story)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn search(
    library: Option<PathBuf>,
    text: String,
    limit: Option<u32>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let lib = open_existing_library(library)?;
    let hits = lib.search(&SearchQuery {
        text,
        limit,
        ..Default::default()
    })?;
    if json {
        output::search_json(out, &hits)?;
    } else {
        output::search_lines(out, &hits)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A mark set or cleared on stories, or their deletion: one call to the
/// library for all the stories named, all or nothing.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    Star,
    Unstar,
    Archive,
    Unarchive,
    Read,
    Unread,
    Delete,
}

impl Mark {
    /// What the command prints before the ids.
    fn done(self) -> &'static str {
        match self {
            Mark::Star => "starred",
            Mark::Unstar => "unstarred",
            Mark::Archive => "archived",
            Mark::Unarchive => "moved to the inbox",
            Mark::Read => "marked read",
            Mark::Unread => "marked unread",
            Mark::Delete => "deleted",
        }
    }

    fn apply(self, lib: &mut Library, ids: &[StoryId]) -> Result<()> {
        match self {
            Mark::Star => lib.set_starred(ids, true),
            Mark::Unstar => lib.set_starred(ids, false),
            Mark::Archive => lib.set_archived(ids, true),
            Mark::Unarchive => lib.set_archived(ids, false),
            Mark::Read => lib.set_read(ids, true),
            Mark::Unread => lib.set_read(ids, false),
            Mark::Delete => lib.delete(ids),
        }
    }
}

/// Star, archive, mark read, delete: one call, all or nothing, one line out.
pub fn mark(
    library: Option<PathBuf>,
    ids: &[StoryId],
    mark: Mark,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut lib = open_existing_library(library)?;
    mark.apply(&mut lib, ids)?;
    let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    output::text(out, &format!("{}: {}", mark.done(), list.join(" ")))?;
    Ok(ExitCode::SUCCESS)
}

/// Adds `tags` to a story, or removes them; prints the tags it has after.
pub fn tag(
    library: Option<PathBuf>,
    id: StoryId,
    tags: &[String],
    remove: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut lib = open_existing_library(library)?;
    let after = if remove {
        lib.set_tags(id, &[], tags)?
    } else {
        lib.set_tags(id, tags, &[])?
    };
    let shown = if after.is_empty() {
        "(no tags)".into()
    } else {
        after.join(", ")
    };
    output::text(out, &format!("{id}: {shown}"))?;
    Ok(ExitCode::SUCCESS)
}
