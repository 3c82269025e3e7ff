//! What to do with a library that is not sound: it is moved aside under a
//! dated name (never deleted: some of it may still be readable, and it is
//! the user's) so a backup can take its place. Only a file that was a
//! library is: another file given as one is left where it is.

use std::path::{Path, PathBuf};

use chrono::DateTime;

use super::files::{sibling, SQLITE_SIDECARS};
use super::{backups, sessions};
use crate::{Error, Result};

/// Whether the file at `path`, which SQLite refused, was a library that got
/// damaged rather than some other file given as one (`gloss-app --library
/// notes.txt`). Only a damaged library is moved aside; another file is left
/// exactly where it is. A library is a SQLite file, is named `*.gloss` (a
/// ruined header leaves nothing else to go by), or has backups.
pub fn was_a_library(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 16];
    let sqlite = std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| &header == b"SQLite format 3\0");
    sqlite
        || path.extension().is_some_and(|e| e == "gloss")
        || backups::list(path).is_ok_and(|b| !b.is_empty())
}

/// Moves a damaged library (and its write-ahead log, which may hold the
/// last commits) to `<name>.damaged-<UTC time>` beside it. Nothing may have
/// it open. Returns the new path.
pub fn set_aside(library: &Path, now_ms: i64) -> Result<PathBuf> {
    let time = DateTime::from_timestamp_millis(now_ms)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ");
    let dated = format!(".damaged-{time}");
    let mut aside = sibling(library, &dated);
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = sibling(library, &format!("{dated}-{n}"));
    }
    std::fs::rename(library, &aside).map_err(|e| {
        Error::io(
            format!("moving the damaged library {} aside", library.display()),
            e,
        )
    })?;
    for suffix in SQLITE_SIDECARS {
        let from = sibling(library, suffix);
        if from.exists() {
            let _ = std::fs::rename(&from, sibling(&aside, suffix));
        }
    }
    sessions::remove_files(library);
    Ok(aside)
}
