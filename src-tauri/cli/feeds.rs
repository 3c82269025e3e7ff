//! `gloss feeds …`: following feeds from
//! the command line. A refresh prints one result per feed and exits 0 even
//! when some feeds failed (their `error` says why); only a failure of the
//! whole command (unknown id, unreadable library) exits 1.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use gloss_core::feeds::{self, CancellationToken, RefreshOptions, SubscribeOptions};
use gloss_core::fetch::Fetcher;
use gloss_core::model::{FeedInfo, FeedRefreshResult, ImportSummary};
use gloss_core::Result;
use serde::Serialize;

use crate::context::{open_existing_library, open_library, runtime};
use crate::output::{self, plural, write_err};

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Follow a feed, given its address or the address of a site's home page.
    Add {
        #[arg(value_name = "URL")]
        url: String,
        /// Put the feed in this folder (created when new).
        #[arg(long, value_name = "NAME")]
        folder: Option<String>,
        /// Store each new story's whole page, images included (reads offline).
        #[arg(long)]
        full_text: bool,
        #[arg(long)]
        json: bool,
    },
    /// List followed feeds with unread counts, folders and last errors.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Fetch new stories of all feeds, or of the given ones. Exits 0 even if
    /// some feeds failed: each feed's result says.
    Refresh {
        #[arg(value_name = "ID")]
        ids: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Stop following a feed. Its starred, annotated and tagged stories stay
    /// in the library; the others are deleted unless --keep-stories.
    Remove {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long)]
        keep_stories: bool,
    },
}

/// `gloss feeds add --json`.
#[derive(Debug, Serialize)]
struct AddedJson<'a> {
    id: i64,
    title: &'a str,
    /// The feed's address after discovery.
    url: &'a str,
    folder: Option<&'a str>,
    full_text: bool,
    /// Stories stored from the feed right away.
    new: u32,
    /// Entries that could not be read and were skipped.
    warning: Option<&'a str>,
}

pub fn run(
    library: Option<PathBuf>,
    command: FeedsCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    match command {
        FeedsCommand::Add {
            url,
            folder,
            full_text,
            json,
        } => {
            let fetcher = Fetcher::new()?;
            let rt = runtime()?;
            let options = SubscribeOptions { folder, full_text };
            // Discover before opening the library: a failure leaves no trace.
            let found = rt.block_on(feeds::discover(&fetcher, &url))?;
            let mut lib = open_library(library)?;
            let (feed, first) = rt.block_on(feeds::subscribe_discovered(
                &mut lib,
                &fetcher,
                found,
                &options,
                &RefreshOptions::default(),
            ))?;
            if json {
                output::json(
                    out,
                    &AddedJson {
                        id: feed.id,
                        title: &feed.title,
                        url: &feed.url,
                        folder: feed.folder.as_deref(),
                        full_text: feed.full_text,
                        new: first.new,
                        warning: first.warning.as_deref(),
                    },
                )?;
            } else {
                output::text(
                    out,
                    &format!(
                        "added feed {}: {} ({}), {} {}{}",
                        feed.id,
                        feed.title,
                        feed.url,
                        first.new,
                        plural(first.new, "story", "stories"),
                        first
                            .warning
                            .as_deref()
                            .map(|w| format!("; {w}"))
                            .unwrap_or_default()
                    ),
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        FeedsCommand::List { json } => {
            let lib = open_existing_library(library)?;
            let feeds = lib.feeds()?;
            if json {
                output::json(out, &feeds)?;
            } else {
                feed_lines(out, &feeds)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        FeedsCommand::Refresh { ids, json } => {
            let mut lib = open_existing_library(library)?;
            let fetcher = Fetcher::new()?;
            let results = runtime()?.block_on(feeds::refresh_library(
                &mut lib,
                &fetcher,
                &ids,
                &RefreshOptions::default(),
                &CancellationToken::new(),
                &mut |_| {},
            ))?;
            if json {
                output::json(out, &results)?;
            } else {
                refresh_lines(out, &results)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        FeedsCommand::Remove { id, keep_stories } => {
            let mut lib = open_existing_library(library)?;
            let title = lib.feed(id)?.title;
            let deleted = lib.remove_feed(id, keep_stories)?;
            output::text(
                out,
                &format!(
                    "removed feed {id}: {title} ({deleted} {} deleted)",
                    plural(deleted, "story", "stories")
                ),
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One line per feed: id, unread count, title, folder, address; then its
/// error or warning.
fn feed_lines(out: &mut impl Write, feeds: &[FeedInfo]) -> Result<()> {
    for f in feeds {
        let folder = f
            .folder
            .as_deref()
            .map(|n| format!(" [{n}]"))
            .unwrap_or_default();
        let full = if f.full_text { " (full text)" } else { "" };
        let account = f
            .account_id
            .map(|a| format!(" (account {a})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:>6} {:>5} unread  {}{folder}{full}{account}  {}",
            f.id, f.unread, f.title, f.url
        )
        .map_err(write_err)?;
        if let Some(error) = &f.last_error {
            writeln!(out, "       error ({}x): {error}", f.error_count).map_err(write_err)?;
        }
        if let Some(warning) = &f.warning {
            writeln!(out, "       warning: {warning}").map_err(write_err)?;
        }
    }
    Ok(())
}

fn refresh_lines(out: &mut impl Write, results: &[FeedRefreshResult]) -> Result<()> {
    for r in results {
        let what = match (&r.error, &r.skipped_until) {
            (Some(error), _) => format!("error: {error}"),
            (None, Some(until)) => format!("not checked until {until}"),
            (None, None) if r.not_modified => "not modified".into(),
            (None, None) => match &r.warning {
                Some(warning) => format!("{} new; {warning}", r.new),
                None => format!("{} new", r.new),
            },
        };
        writeln!(out, "{:>6} {}: {what}", r.id, r.title).map_err(write_err)?;
    }
    Ok(())
}

pub fn import_lines(out: &mut impl Write, s: &ImportSummary) -> Result<()> {
    writeln!(
        out,
        "imported {} {} ({} already followed), {} new {}; `gloss feeds refresh` fetches their stories",
        s.added,
        plural(s.added, "feed", "feeds"),
        s.existing,
        s.folders,
        plural(s.folders, "folder", "folders")
    )
    .map_err(write_err)?;
    for skipped in &s.skipped {
        writeln!(out, "skipped {skipped}").map_err(write_err)?;
    }
    Ok(())
}
