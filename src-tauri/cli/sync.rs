//! `gloss sync`: set sync up, sync now, see how it stands, turn it off.
//! The rules and the files are `gloss_core::sync`'s; this file parses,
//! keeps the settings, and prints.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use gloss_core::sync::target::configured;
use gloss_core::sync::{self, Secrets, SyncOptions, SyncReport, Target};
use gloss_core::{Error, Library, Result};

use crate::context::open_library;
use crate::output;
use crate::secret_input;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Choose where to sync: a folder that Syncthing, Dropbox, OneDrive, iCloud Drive or a
    /// network mount keeps in step, or a WebDAV server; optionally encrypted end to end.
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
        /// Encrypt every file with a passphrase, read from the first line of standard input.
        #[arg(long)]
        encrypt: bool,
        /// Add this library's own stories to the library already in the folder.
        #[arg(long)]
        merge: bool,
    },
    /// A WebDAV collection (Nextcloud, ownCloud, Apache, a NAS): https, or http to this
    /// computer only. The collection must exist.
    Webdav {
        /// The collection's address, for example https://cloud.example.org/remote.php/dav/files/me/Gloss
        #[arg(value_name = "URL")]
        url: String,
        /// The user name on the server.
        #[arg(long, value_name = "NAME")]
        user: String,
        /// Read the password (or app password) from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Encrypt every file with a passphrase, read from the next line of standard input.
        #[arg(long)]
        encrypt: bool,
        /// Add this library's own stories to the library already on the server.
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
        SyncCommand::Setup { target } => {
            let (target, secrets, merge) = setup_target(target)?;
            let (state, _) = sync::target::set_up(&mut lib, &target, &secrets, merge)?;
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
            let (state, target) = configured(&lib)?;
            let remote = target.remote(&state.device);
            let report = match remote {
                Ok(remote) => sync::sync_now(&mut lib, remote.as_ref(), &SyncOptions::default()),
                Err(e) => {
                    // `gloss sync status` shows why, as for a failed sync.
                    lib.sync_finished(Some(&e.to_string()), None)?;
                    Err(e)
                }
            }?;
            if json {
                output::json(out, &report)?;
            } else {
                output::text(out, &report_line(&report))?;
            }
        }
        SyncCommand::Status { json } => status(&lib, json, out)?,
        SyncCommand::Off => {
            // The secrets go with the setting; a keyring that cannot be
            // reached does not keep sync on.
            let forgot = match lib.sync_state()? {
                Some(state) => sync::target::forget(&state.device),
                None => Ok(()),
            };
            lib.sync_stop()?;
            output::text(
                out,
                "sync is off; the files in the sync folder were left as they are",
            )?;
            if let Err(e) = forgot {
                output::text(
                    out,
                    &format!("the saved password could not be removed: {e}"),
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The target the arguments name, with the secrets read from standard input.
fn setup_target(target: SetupTarget) -> Result<(Target, Secrets, bool)> {
    match target {
        SetupTarget::Folder {
            path,
            encrypt,
            merge,
        } => {
            let path = std::path::absolute(&path)
                .map_err(|e| Error::io(format!("finding the folder {}", path.display()), e))?;
            let passphrase = match encrypt {
                true => secret_input::read_lines(&["encryption passphrase"])?.pop(),
                false => None,
            };
            let secrets = Secrets {
                password: None,
                passphrase,
            };
            let target = Target::Folder {
                path,
                encrypted: encrypt,
            };
            Ok((target, secrets, merge))
        }
        SetupTarget::Webdav {
            url,
            user,
            password_stdin,
            encrypt,
            merge,
        } => {
            secret_input::require_stdin(
                password_stdin,
                "pass show dav | gloss sync setup webdav URL --user NAME --password-stdin",
            )?;
            let names: &[&str] = match encrypt {
                true => &["password", "encryption passphrase"],
                false => &["password"],
            };
            let mut lines = secret_input::read_lines(names)?.into_iter();
            let secrets = Secrets {
                password: lines.next(),
                passphrase: lines.next(),
            };
            let target = Target::Webdav {
                url,
                user,
                encrypted: encrypt,
            };
            Ok((target, secrets, merge))
        }
    }
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
            "sync is off; set it up with `gloss sync setup folder PATH` or \
             `gloss sync setup webdav URL --user NAME --password-stdin`",
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
