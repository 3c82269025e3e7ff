//! Did the last process that had the library open exit cleanly?
//!
//! SQLite keeps every commit whole when a process is killed, but a crash of
//! the machine, a full disk or a faulty drive can still leave damage, and a
//! check of the whole file costs a read of the whole file. So Gloss checks
//! (`PRAGMA quick_check`) only when the file was not closed cleanly.
//!
//! Two files beside the library record that, and they work across processes
//! (the window and `gloss` commands in a shell often have the same library
//! open at once):
//!
//! - `<library>-sessions` holds the number of sessions that opened the
//!   library and have not closed it yet. Its exclusive lock is a short gate
//!   around every open and close, so two of them never interleave.
//! - `<library>-sessions.lock` is locked *shared* by every open session for
//!   as long as it lives. The operating system drops the lock of a killed
//!   process, so an exclusive lock that succeeds means nobody is using the
//!   library, whatever the count says.
//!
//! Opening while nobody else is there, with a count above zero, means some
//! session ended without closing: that was an unclean exit. A session that
//! is killed while others run leaves its count behind, so the last clean
//! close leaves the count above zero and the next open checks.
//!
//! The files are never deleted while the library may be in use (another
//! process could hold the old inode's lock), and on file systems without
//! locks the detection is off rather than wrong.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::files::sibling;
use crate::{Error, Result};

/// One open of the library, registered in the sessions files. Closing it
/// cleanly (dropping it) takes it off the count.
#[derive(Debug)]
pub struct Session {
    gate: PathBuf,
    /// Held shared while the session lives; `None` when locks don't work here.
    live: Option<File>,
    /// Whether the previous user of the library ended without closing it.
    unclean: bool,
}

impl Session {
    /// Registers a session on the library at `library`.
    pub fn begin(library: &Path) -> Result<Session> {
        let gate_path = sibling(library, "-sessions");
        let live_path = sibling(library, "-sessions.lock");
        let mut gate = open_rw(&gate_path)?;
        let live = open_rw(&live_path)?;
        if gate.lock().is_err() {
            // No locks on this file system: no detection, and no claims.
            return Ok(Session {
                gate: gate_path,
                live: None,
                unclean: false,
            });
        }
        let alone = match live.try_lock() {
            Ok(()) => true,
            Err(TryLockError::WouldBlock) => false,
            Err(TryLockError::Error(_)) => {
                let _ = gate.unlock();
                return Ok(Session {
                    gate: gate_path,
                    live: None,
                    unclean: false,
                });
            }
        };
        let count = read_count(&mut gate);
        // Unreadable contents (a torn write when the machine stopped) count as unclean.
        let unclean = alone && count != Some(0) && !is_empty(&gate);
        if alone {
            let _ = live.unlock();
        }
        // Exclusive holders of `live` only exist inside the gate, which is ours.
        live.lock_shared()
            .map_err(|e| Error::io(format!("locking {}", live_path.display()), e))?;
        let sessions = if alone { 1 } else { count.unwrap_or(1) + 1 };
        let written = write_count(&mut gate, sessions);
        let _ = gate.unlock();
        written.map_err(|e| Error::io(format!("writing {}", gate_path.display()), e))?;
        Ok(Session {
            gate: gate_path,
            live: Some(live),
            unclean,
        })
    }

    /// True when the last process that had the library open did not close it.
    pub fn was_unclean(&self) -> bool {
        self.unclean
    }

    /// Ends the session without taking it off the count, so the next open
    /// checks the file again (used when the check found damage).
    pub fn abandon(mut self) {
        self.live = None;
    }

    fn end(&mut self) -> std::io::Result<()> {
        let Some(live) = self.live.take() else {
            return Ok(());
        };
        let mut gate = open_rw(&self.gate).map_err(std::io::Error::other)?;
        gate.lock()?;
        // Our shared lock goes first. A session killed while others ran
        // never took itself off, so the last clean close still leaves a
        // count above zero and the next open checks the file.
        drop(live);
        let count = read_count(&mut gate).unwrap_or(1).saturating_sub(1);
        let result = write_count(&mut gate, count);
        let _ = gate.unlock();
        result
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Nothing to report to at this point; a failure leaves the count
        // high, which costs one extra check on the next open.
        let _ = self.end();
    }
}

/// Removes the sessions files of a library nobody else can have open (a
/// staged copy during a restore, a file being set aside).
pub fn remove_files(library: &Path) {
    let _ = std::fs::remove_file(sibling(library, "-sessions"));
    let _ = std::fs::remove_file(sibling(library, "-sessions.lock"));
}

fn open_rw(path: &Path) -> Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| Error::io(format!("opening {}", path.display()), e))
}

fn is_empty(file: &File) -> bool {
    file.metadata().map(|m| m.len() == 0).unwrap_or(false)
}

fn read_count(file: &mut File) -> Option<u64> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    let text = text.trim();
    if text.is_empty() {
        return Some(0);
    }
    text.parse().ok()
}

fn write_count(file: &mut File, count: u64) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    file.set_len(0)?;
    file.write_all(format!("{count}\n").as_bytes())?;
    file.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_close_is_not_reported_as_unclean() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("library.gloss");
        let first = Session::begin(&lib).unwrap();
        assert!(!first.was_unclean());
        drop(first);
        assert!(!Session::begin(&lib).unwrap().was_unclean());
    }

    #[test]
    fn a_session_that_never_closed_is_found_by_the_next_open() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("library.gloss");
        // A killed process: its lock is gone, its count stays.
        Session::begin(&lib).unwrap().abandon();
        let next = Session::begin(&lib).unwrap();
        assert!(next.was_unclean());
        drop(next);
        assert!(!Session::begin(&lib).unwrap().was_unclean());
    }

    #[test]
    fn a_second_session_while_the_first_runs_is_not_unclean() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("library.gloss");
        let app = Session::begin(&lib).unwrap();
        let cli = Session::begin(&lib).unwrap();
        assert!(!app.was_unclean() && !cli.was_unclean());
        drop(cli);
        drop(app);
        assert!(!Session::begin(&lib).unwrap().was_unclean());
    }

    #[test]
    fn a_session_killed_while_another_ran_is_found_after_the_other_closes() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("library.gloss");
        let app = Session::begin(&lib).unwrap();
        Session::begin(&lib).unwrap().abandon();
        drop(app);
        assert!(Session::begin(&lib).unwrap().was_unclean());
    }

    #[test]
    fn a_garbled_count_is_treated_as_unclean() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("library.gloss");
        std::fs::write(dir.path().join("library.gloss-sessions"), "\0\0garbage").unwrap();
        assert!(Session::begin(&lib).unwrap().was_unclean());
    }
}
