//! `gloss accounts …`: feed accounts (Fever and Google Reader API servers)
//! from the command line. The password is read from standard input
//! (`--password-stdin`), never from an argument (it would show in `ps` and
//! the shell's history), and kept in the system keyring. A sync prints one
//! result per account and exits 0 even when a server failed (its `error`
//! says why, and `gloss accounts list` shows it); only a failure of the
//! whole command (unknown id, unreadable library) exits 1.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use gloss_core::accounts::{self, NewAccount};
use gloss_core::feeds::RefreshOptions;
use gloss_core::fetch::Fetcher;
use gloss_core::model::{AccountInfo, AccountKind, AccountSyncResult, FeedInfo};
use gloss_core::Result;

use crate::context::{open_existing_library, open_library, runtime};
use crate::output::{self, plural, write_err};
use crate::secret_input;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// The Fever API (FreshRSS, Miniflux, Tiny Tiny RSS, Coldsweat).
    Fever,
    /// The Google Reader API (FreshRSS, Miniflux, Inoreader, The Old Reader, BazQux).
    Greader,
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Add an account after checking its user name and password with the server.
    Add {
        #[arg(value_enum)]
        kind: Kind,
        /// The API's address (FreshRSS: …/api/greader.php or …/api/fever.php).
        #[arg(value_name = "URL")]
        url: String,
        /// The user name (Fever: the email) on the server.
        #[arg(long, value_name = "NAME")]
        user: String,
        /// Read the password (or API password) from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// The name shown in the sidebar (default: the server's host name).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List accounts with their feeds, unread and pending counts, and last error.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Send changes made in Gloss, then bring the server's feeds, items and states.
    Sync {
        /// One account (all when left out).
        #[arg(value_name = "ID")]
        id: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Rename an account (in Gloss only).
    Rename {
        id: i64,
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Remove an account and its feeds; starred, tagged and annotated stories stay.
    Remove { id: i64 },
    /// Subscribe to a feed on a Google Reader account's server.
    Subscribe {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(value_name = "URL")]
        url: String,
        #[arg(long, value_name = "FOLDER")]
        folder: Option<String>,
    },
    /// Unsubscribe from an account's feed on its server (FEED is the id `gloss feeds list` shows).
    Unsubscribe {
        #[arg(value_name = "FEED")]
        feed: i64,
    },
    /// Rename an account's feed on its server.
    RenameFeed {
        #[arg(value_name = "FEED")]
        feed: i64,
        #[arg(value_name = "TITLE")]
        title: String,
    },
    /// Move an account's feed to another folder on its server (no folder: out of folders).
    MoveFeed {
        #[arg(value_name = "FEED")]
        feed: i64,
        #[arg(value_name = "FOLDER")]
        folder: Option<String>,
    },
}

/// The password from the first line of standard input.
fn read_password(from_stdin: bool) -> Result<String> {
    secret_input::require_stdin(from_stdin, "pass show feeds | gloss accounts add …")?;
    let mut lines = secret_input::read_lines(&["password"])?;
    Ok(lines.remove(0))
}

fn refresh_options() -> RefreshOptions {
    RefreshOptions::default()
}

pub fn run(
    library: Option<PathBuf>,
    command: AccountsCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    match command {
        AccountsCommand::Add {
            kind,
            url,
            user,
            password_stdin,
            name,
            json,
        } => {
            let password = read_password(password_stdin)?;
            let new = NewAccount {
                kind: match kind {
                    Kind::Fever => AccountKind::Fever,
                    Kind::Greader => AccountKind::Greader,
                },
                url,
                username: user,
                name,
            };
            let fetcher = Fetcher::new()?;
            let mut lib = open_library(library)?;
            let info =
                runtime()?.block_on(accounts::add_account(&mut lib, &fetcher, &new, &password))?;
            if json {
                output::json(out, &info)?;
            } else {
                output::text(
                    out,
                    &format!(
                        "added account {}: {} ({}, {}); `gloss accounts sync {}` brings its feeds",
                        info.id,
                        info.name,
                        info.kind.as_str(),
                        info.url,
                        info.id
                    ),
                )?;
            }
        }
        AccountsCommand::List { json } => {
            let lib = open_existing_library(library)?;
            let list = lib.accounts()?;
            if json {
                output::json(out, &list)?;
            } else {
                account_lines(out, &list)?;
            }
        }
        AccountsCommand::Sync { id, json } => {
            let mut lib = open_existing_library(library)?;
            let fetcher = Fetcher::new()?;
            let ids: Vec<i64> = id.into_iter().collect();
            let results = runtime()?.block_on(accounts::sync_accounts(
                &mut lib,
                &fetcher,
                &ids,
                &refresh_options(),
            ))?;
            if json {
                output::json(out, &results)?;
            } else {
                sync_lines(out, &results)?;
            }
        }
        AccountsCommand::Rename { id, name } => {
            let mut lib = open_existing_library(library)?;
            let info = accounts::rename_account(&mut lib, id, &name)?;
            output::text(out, &format!("renamed account {}: {}", info.id, info.name))?;
        }
        AccountsCommand::Remove { id } => {
            let mut lib = open_existing_library(library)?;
            let name = lib.account(id)?.name;
            let deleted = accounts::remove_account(&mut lib, id)?;
            output::text(
                out,
                &format!(
                    "removed account {id}: {name} ({deleted} {} deleted; starred, tagged and \
                     annotated stories kept)",
                    plural(deleted, "story", "stories")
                ),
            )?;
        }
        AccountsCommand::Subscribe { id, url, folder } => {
            let mut lib = open_existing_library(library)?;
            let fetcher = Fetcher::new()?;
            let feed = runtime()?.block_on(accounts::subscribe(
                &mut lib,
                &fetcher,
                id,
                &url,
                folder.as_deref(),
            ))?;
            feed_line(out, "subscribed to", &feed)?;
        }
        AccountsCommand::Unsubscribe { feed } => {
            let mut lib = open_existing_library(library)?;
            let fetcher = Fetcher::new()?;
            let title = lib.feed(feed)?.title;
            runtime()?.block_on(accounts::unsubscribe(&mut lib, &fetcher, feed))?;
            output::text(out, &format!("unsubscribed from feed {feed}: {title}"))?;
        }
        AccountsCommand::RenameFeed { feed, title } => {
            let mut lib = open_existing_library(library)?;
            let fetcher = Fetcher::new()?;
            let info =
                runtime()?.block_on(accounts::rename_feed(&mut lib, &fetcher, feed, &title))?;
            feed_line(out, "renamed", &info)?;
        }
        AccountsCommand::MoveFeed { feed, folder } => {
            let mut lib = open_existing_library(library)?;
            let fetcher = Fetcher::new()?;
            let info = runtime()?.block_on(accounts::move_feed(
                &mut lib,
                &fetcher,
                feed,
                folder.as_deref(),
            ))?;
            feed_line(out, "moved", &info)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn feed_line(out: &mut impl Write, what: &str, f: &FeedInfo) -> Result<()> {
    let folder = f
        .folder
        .as_deref()
        .map(|n| format!(" [{n}]"))
        .unwrap_or_default();
    output::text(
        out,
        &format!("{what} feed {}: {}{folder} ({})", f.id, f.title, f.url),
    )
}

/// One line per account, then its error in plain words.
fn account_lines(out: &mut impl Write, list: &[AccountInfo]) -> Result<()> {
    for a in list {
        writeln!(
            out,
            "{:>6} {:>5} unread  {} ({}, {} at {})  {} {}, {} pending",
            a.id,
            a.unread,
            a.name,
            a.kind.as_str(),
            a.username,
            a.url,
            a.feeds,
            plural(a.feeds, "feed", "feeds"),
            a.pending
        )
        .map_err(write_err)?;
        match (&a.last_error, &a.last_synced) {
            (Some(error), _) => {
                writeln!(out, "       error ({}x): {error}", a.error_count).map_err(write_err)?
            }
            (None, Some(when)) => writeln!(out, "       synced {when}").map_err(write_err)?,
            (None, None) => writeln!(out, "       never synced").map_err(write_err)?,
        }
    }
    Ok(())
}

fn sync_lines(out: &mut impl Write, results: &[AccountSyncResult]) -> Result<()> {
    for r in results {
        let what = match (&r.error, &r.skipped_until) {
            (Some(error), _) => format!("error: {error}"),
            (None, Some(until)) => format!("not synced until {until} (the server asked to wait)"),
            (None, None) => format!(
                "pushed {}, pulled {}, {} new {}, {} updated, took {} ms",
                r.pushed,
                r.pulled,
                r.new_stories,
                plural(r.new_stories, "story", "stories"),
                r.updated,
                r.took_ms
            ),
        };
        writeln!(out, "{:>6} {}: {what}", r.id, r.name).map_err(write_err)?;
    }
    Ok(())
}
