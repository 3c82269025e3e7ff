//! Durability: nothing the user saved is lost.
//!
//! - Every write is a transaction (see each module of `library`), and the
//!   connection uses `synchronous = FULL`: in WAL mode a commit is on disk
//!   when the call returns, not at the next checkpoint (see
//!   `docs/durability.md` for the measured cost).
//! - [`sessions`]: an unclean exit is noticed on the next open, which then
//!   runs `PRAGMA quick_check` ([`health`]) and refuses a damaged file.
//! - [`copy`]: the one copy routine (SQLite's online backup API), for
//!   `gloss backup`, automatic backups and restores; [`health::verify`] the
//!   one check of a copy; [`files`] names every file beside a library.
//! - [`backups`]: verified copies before every schema upgrade and daily while
//!   the app runs, rotated by [`rotation`].
//! - [`aside`]: a damaged file is set aside under a dated name, never
//!   deleted, so a backup can take its place with the user's consent.
//! - [`restore`]: verify a backup → set the old file aside → put the backup
//!   in place; the window's recovery and `gloss restore` both run it.
//!
//! The modules form a tree, leaves first: `files`, `health`, `rotation`;
//! `sessions` and `copy` (on `files`); `backups`; `aside` (which asks
//! `backups` whether a file had any); `restore`.

pub mod aside;
pub mod backups;
pub mod copy;
#[cfg(any(test, feature = "testing"))]
pub mod damage;
pub mod files;
pub mod health;
pub mod restore;
pub mod rotation;
pub mod sessions;

use std::path::Path;

use super::Library;
use crate::model::{BackupInfo, BackupKind};
use crate::{Error, Result};

/// How SQLite waits for the disk on commit. Gloss uses [`Synchronous::Full`];
/// the other exists so that `bench/durability.sh` can measure the difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synchronous {
    /// The write-ahead log is synced on every commit: a commit survives a
    /// power cut.
    Full,
    /// Synced only at checkpoints: a power cut can lose the last commits
    /// (never the file's consistency).
    Normal,
}

impl Synchronous {
    pub(crate) fn pragma(self) -> &'static str {
        match self {
            Synchronous::Full => "PRAGMA synchronous = FULL;",
            Synchronous::Normal => "PRAGMA synchronous = NORMAL;",
        }
    }
}

impl Library {
    /// Changes how commits wait for the disk on this connection (for
    /// measurements; libraries open with [`Synchronous::Full`]).
    pub fn set_synchronous(&self, mode: Synchronous) -> Result<()> {
        self.conn
            .execute_batch(mode.pragma())
            .map_err(|e| Error::db("setting how commits reach the disk", e))
    }

    /// An empty library in memory that refuses every write, standing in
    /// for the file at `path` (which [`Library::path`] still gives): what
    /// the app holds while that file is closed for a repair, so that
    /// nothing is written where it would be lost.
    pub fn stand_in(path: &Path) -> Result<Library> {
        let mut lib = Library::open_in_memory()?;
        lib.path = path.to_path_buf();
        lib.conn
            .execute_batch("PRAGMA query_only = ON;")
            .map_err(|e| Error::db("closing the library for a repair", e))?;
        Ok(lib)
    }

    /// Copies the library to `dest` (`gloss backup --out`) while others may
    /// write to it; `dest` is either the old file or a whole backup, never
    /// half of one.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.is_dir() {
            let shown = dest.display();
            return Err(Error::InvalidInput(format!(
                "{shown} is a folder; give the backup's file name, for example {shown}/gloss-backup.gloss"
            )));
        }
        copy::copy_checked(&self.conn, dest, |_| Ok(()))
    }

    /// Takes a verified, rotated backup into the library's backups folder.
    pub fn take_backup(&self, kind: BackupKind) -> Result<BackupInfo> {
        if self.path.as_os_str() == ":memory:" {
            return Err(Error::InvalidInput(
                "a library in memory has no folder for backups".into(),
            ));
        }
        backups::take(&self.conn, &self.path, kind)
    }
}

#[cfg(test)]
mod tests;
