//! Is a library file sound? SQLite's own checks, run on a connection, on a
//! file through a read-only connection of its own, or on a copy before it
//! becomes a backup or replaces the library (the one verify step).

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::{Error, Result};

/// How many problems a check reports at most; one is enough to act on.
const MAX_PROBLEMS: u32 = 20;

/// How thoroughly a file is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// `PRAGMA quick_check`: the structure of every page and each index's
    /// entry count. Reads the whole file once; enough for a fresh copy.
    Quick,
    /// `PRAGMA integrity_check`: also compares every index with its table.
    /// For a file about to replace the library, whatever its history.
    Full,
}

impl Depth {
    fn pragma(self) -> String {
        match self {
            Depth::Quick => format!("PRAGMA quick_check({MAX_PROBLEMS})"),
            Depth::Full => format!("PRAGMA integrity_check({MAX_PROBLEMS})"),
        }
    }
}

/// Runs `PRAGMA quick_check` (the structure of every page and index entry
/// count, without comparing index contents): the problems found, none when
/// the file is sound.
pub fn quick_check(conn: &Connection) -> Result<Vec<String>> {
    problems(conn, Depth::Quick)
}

fn problems(conn: &Connection, depth: Depth) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&depth.pragma()).map_err(damaged_or_db)?;
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

/// Verifies a copy (a backup just made, or one about to replace the
/// library): opened read-only, checked to `depth`, and a Gloss library.
/// Returns how many stories it holds; every failure is [`Error::Damaged`].
pub fn verify(path: &Path, depth: Depth) -> Result<u32> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::Damaged(format!("{} cannot be opened: {e}", path.display())))?;
    let problems = problems(&conn, depth).map_err(|e| Error::Damaged(e.to_string()))?;
    if let Some(first) = problems.first() {
        return Err(Error::Damaged(format!(
            "{} failed its check: {first}",
            path.display()
        )));
    }
    conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .map_err(|e| Error::Damaged(format!("{} is not a Gloss library: {e}", path.display())))
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
