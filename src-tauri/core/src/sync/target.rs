//! Where a library syncs to, as kept in the library's sync settings (never
//! a secret): read by the command line and by the app alike.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::folder::Folder;
use super::remote::Remote;
use crate::library::SyncState;
use crate::{Error, Library, Result};

/// The way to the shared storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "transport", rename_all = "lowercase")]
pub enum Target {
    Folder { path: PathBuf },
}

impl Target {
    /// The transport that reaches the storage.
    pub fn remote(&self) -> Box<dyn Remote> {
        match self {
            Target::Folder { path } => Box::new(Folder::new(path)),
        }
    }

    /// In words, for a status line.
    pub fn describe(&self) -> String {
        match self {
            Target::Folder { path } => format!("folder {}", path.display()),
        }
    }

    /// The folder's path, when the target is a folder (Settings › Sync shows it).
    pub fn folder(&self) -> Option<String> {
        match self {
            Target::Folder { path } => Some(path.display().to_string()),
        }
    }

    /// As kept in the library.
    pub fn settings(&self) -> Result<String> {
        serde_json::to_string(self)
            .map_err(|e| Error::InvalidInput(format!("the sync settings: {e}")))
    }

    /// The target a library's sync state names.
    pub fn of(state: &SyncState) -> Result<Target> {
        serde_json::from_str(&state.settings).map_err(|_| {
            Error::Unsupported(
                "this library syncs in a way this Gloss does not know: update Gloss, or set \
                 sync up again"
                    .into(),
            )
        })
    }
}

/// The library's sync state and where it syncs to, or a plain error when
/// sync is off.
pub fn configured(lib: &Library) -> Result<(SyncState, Target)> {
    let state = lib.sync_state()?.ok_or_else(|| {
        Error::InvalidInput("sync is off: set it up first (a folder to sync through)".into())
    })?;
    let target = Target::of(&state)?;
    Ok((state, target))
}
