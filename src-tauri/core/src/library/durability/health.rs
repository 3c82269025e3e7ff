//! Is the file sound, and what to do with one that is not: it is moved
//! aside under a dated name (never deleted: some of it may still be
//! readable, and it is the user's) so a backup can take its place.

use std::path::{Path, PathBuf};

use chrono::DateTime;
use rusqlite::{Connection, OpenFlags};

use super::sessions;
use crate::{Error, Result};

/// How many problems `quick_check` reports at most; one is enough to act on.
const MAX_PROBLEMS: u32 = 20;

/// Runs `PRAGMA quick_check` (the structure of every page and index entry
/// count, without comparing index contents): the problems found, none when
/// the file is sound.
pub fn quick_check(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare(&format!("PRAGMA quick_check({MAX_PROBLEMS})"))
        .map_err(damaged_or_db)?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(damaged_or_db)?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

/// Checks the library file at `path` through a read-only connection of its
/// own; the problems found, none when it is sound. A file SQLite cannot
/// read at all is one problem.
pub fn check_file(path: &Path) -> Result<Vec<String>> {
    let conn = match Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) {
        Ok(c) => c,
        Err(e) => return Ok(vec![format!("the file cannot be opened: {e}")]),
    };
    match quick_check(&conn) {
        Ok(problems) => Ok(problems),
        Err(Error::Damaged(why)) => Ok(vec![why]),
        Err(e) => Err(e),
    }
}

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
        || super::backups::list(path).is_ok_and(|b| !b.is_empty())
}

/// SQLite's "corrupt" and "not a database" as [`Error::Damaged`].
fn damaged_or_db(e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        if matches!(
            f.code,
            rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
        ) {
            return Error::Damaged(e.to_string());
        }
    }
    Error::db("checking the library", e)
}

/// Moves a damaged library (and its write-ahead log, which may hold the
/// last commits) to `<name>.damaged-<UTC time>` beside it. Nothing may have
/// it open. Returns the new path.
pub fn set_aside(library: &Path, now_ms: i64) -> Result<PathBuf> {
    let time = DateTime::from_timestamp_millis(now_ms)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ");
    let mut name = library.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".damaged-{time}"));
    let mut aside = library.with_file_name(&name);
    let mut n = 1;
    while aside.exists() {
        n += 1;
        let mut numbered = name.clone();
        numbered.push(format!("-{n}"));
        aside = library.with_file_name(numbered);
    }
    std::fs::rename(library, &aside).map_err(|e| {
        Error::io(
            format!("moving the damaged library {} aside", library.display()),
            e,
        )
    })?;
    for suffix in ["-wal", "-shm"] {
        let from = with_suffix(library, suffix);
        if from.exists() {
            let _ = std::fs::rename(&from, with_suffix(&aside, suffix));
        }
    }
    sessions::remove_files(library);
    Ok(aside)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}
