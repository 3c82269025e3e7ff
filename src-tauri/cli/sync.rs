//! `gloss sync`: set sync up, sync now, see how it stands, turn it off.
//! The rules and the files are `gloss_core::sync`'s; this file parses,
//! keeps the settings, and prints.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use gloss_core::sync::target::configured;
use gloss_core::sync::{self, SyncOptions, SyncReport, Target};
use gloss_core::{Error, Library, Result};

use crate::context::open_library;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Choose where to sync: a folder that Syncthing, Dropbox, OneDrive, iCloud Drive or a
    /// network mount keeps in step.
    Setup {
        #[command(subcommand)]
        target: SetupTarget,
    },
    /// Sync now: send this computer's changes and apply the other computers'.
    Now {
        #[arg(long)]
        json: bool,
    },
    /// When the last sync was, how many changes wait to go out, the last error.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Stop syncing this library (the files in the sync folder stay).
    Off,
}

#[derive(Debug, Subcommand)]
pub enum SetupTarget {
    /// A folder (it must exist). An empty library joins the library already there; a library
    /// with stories of its own needs --merge to add them to it.
    Folder {
        path: PathBuf,
        /// Add this library's own stories to the library already in the folder.
        #[arg(long)]
        merge: bool,
    },
}

pub fn run(
    library: Option<PathBuf>,
    command: SyncCommand,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut lib = open_library(library)?;
    match command {
        SyncCommand::Setup {
            target: SetupTarget::Folder { path, merge },
        } => {
            let path = std::path::absolute(&path)
                .map_err(|e| Error::io(format!("finding the folder {}", path.display()), e))?;
            let target = Target::Folder { path };
            let remote = target.remote();
            remote.list("")?;
            let settings = target.settings()?;
            let state = sync::setup(&mut lib, remote.as_ref(), &settings, merge)?;
            output::text(
                out,
                &format!(
                    "sync is on: {} (this computer is device {}); run `gloss sync now`",
                    target.describe(),
                    state.device
                ),
            )?;
        }
        SyncCommand::Now { json } => {
            let (_, target) = configured(&lib)?;
            let report =
                sync::sync_now(&mut lib, target.remote().as_ref(), &SyncOptions::default())?;
            if json {
                output::json(out, &report)?;
            } else {
                output::text(out, &report_line(&report))?;
            }
        }
        SyncCommand::Status { json } => status(&lib, json, out)?,
        SyncCommand::Off => {
            lib.sync_stop()?;
            output::text(
                out,
                "sync is off; the files in the sync folder were left as they are",
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn report_line(r: &SyncReport) -> String {
    format!(
        "synced: {} sent, {} {} read, {} applied, {} skipped, in {} ms",
        r.uploaded,
        r.downloaded,
        output::plural(r.downloaded, "file", "files"),
        r.applied,
        r.skipped,
        r.took
    )
}

fn status(lib: &Library, json: bool, out: &mut impl Write) -> Result<()> {
    let status = sync::status(lib)?;
    if json {
        return output::json(out, &status);
    }
    let Some(target) = status.target else {
        return output::text(
            out,
            "sync is off; set it up with `gloss sync setup folder PATH`",
        );
    };
    let mut lines = vec![
        format!("syncing with {target}"),
        format!(
            "last sync: {}",
            status.last_sync.as_deref().unwrap_or("never")
        ),
        format!(
            "waiting: {} {}",
            status.waiting,
            output::plural(status.waiting, "change", "changes")
        ),
    ];
    if let Some(e) = status.last_error {
        lines.push(format!("last error: {e}"));
    }
    output::text(out, &lines.join("\n"))
}
