//! The library: one SQLite file with every story, tag, image and index.
//!
//! All SQL of Gloss lives in this module. The file is opened in WAL mode (so
//! the window can read while a save writes), with foreign keys on and a busy
//! timeout, and migrated to the current schema on open.

mod annotations;
mod assets;
mod backup;
mod check;
mod feeds;
mod portability;
mod schema;
mod search;
mod stories;
mod tags;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::model::LibraryInfo;
use crate::{Error, Result};

pub use assets::{asset_url, parse_asset_url, sha256_hex, Asset, ASSET_URL_PREFIX};
pub use backup::restore;
pub use feeds::{NewFeed, RefreshPlan};
pub use portability::{
    ExportedAnnotation, ExportedAsset, ExportedFeed, ExportedStory, ImportAnnotation, ImportRow,
    RowOutcome,
};
pub use schema::MIGRATIONS;
pub use stories::{NewAsset, NewStory, StoreOutcome};

/// An open library file.
pub struct Library {
    conn: Connection,
    path: PathBuf,
}

impl Library {
    /// Opens (creating if needed) the library at `path` and brings its schema
    /// up to date. The parent folder is created too.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if path.is_dir() {
            return Err(Error::InvalidInput(format!(
                "{} is a folder; give the path of a library file (for example {}/library.gloss)",
                path.display(),
                path.display()
            )));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                Error::io(
                    format!("creating the library folder {}", parent.display()),
                    e,
                )
            })?;
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::db(format!("opening {}", path.display()), e))?;
        Self::setup(conn, path)
    }

    /// A library that lives in memory only, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self> {
        let conn =
            Connection::open_in_memory().map_err(|e| Error::db("opening a memory library", e))?;
        Self::setup(conn, PathBuf::from(":memory:"))
    }

    fn setup(mut conn: Connection, path: PathBuf) -> Result<Self> {
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| Error::db("setting the busy timeout", e))?;
        // Not a database at all (a text file given by mistake) shows up here.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| not_a_library(&path, e))?;
        if mode != "wal" && mode != "memory" {
            return Err(Error::Damaged(format!(
                "{} could not be switched to WAL mode (got {mode})",
                path.display()
            )));
        }
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;",
        )
        .map_err(|e| Error::db("setting up the connection", e))?;
        conn.set_prepared_statement_cache_capacity(64);
        schema::migrate(&mut conn).map_err(|e| match e {
            Error::Database { source, .. } => not_a_library(&path, source),
            other => other,
        })?;
        Ok(Library { conn, path })
    }

    /// Where the library file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version (the number of migrations applied).
    pub fn schema_version(&self) -> Result<u32> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| Error::db("reading the schema version", e))
    }

    /// Path, story count and schema, for Settings and the About box.
    pub fn info(&self) -> Result<LibraryInfo> {
        Ok(LibraryInfo {
            path: self.path.display().to_string(),
            stories: self.story_count()?,
            schema_version: self.schema_version()?,
        })
    }

    /// From the counter row (schema migration 6): no count of the table.
    fn story_count(&self) -> Result<u32> {
        self.conn
            .query_row("SELECT total FROM story_counts WHERE id = 1", [], |r| {
                r.get(0)
            })
            .map_err(|e| Error::db("counting stories", e))
    }
}

/// SQLite's "file is not a database" in words a person can act on.
fn not_a_library(path: &Path, e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        if matches!(
            f.code,
            rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
        ) {
            return Error::Damaged(format!(
                "{} is not a Gloss library or is damaged; restore a backup or choose another file",
                path.display()
            ));
        }
    }
    Error::db(format!("opening {}", path.display()), e)
}

/// Milliseconds since the Unix epoch, the library's clock.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The library's millisecond times as RFC 3339 in UTC, for JSON and the UI.
pub(crate) fn ms_to_rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod annotation_tests;
#[cfg(test)]
mod story_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_library_is_at_the_latest_schema_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path().join("sub/lib.gloss")).unwrap();
        assert_eq!(lib.schema_version().unwrap(), MIGRATIONS.len() as u32);
        let mode: String = lib
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = lib
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn every_earlier_schema_version_migrates_to_the_latest() {
        for start in 0..MIGRATIONS.len() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.gloss");
            {
                let conn = Connection::open(&path).unwrap();
                for sql in &MIGRATIONS[..start] {
                    conn.execute_batch(sql).unwrap();
                }
                conn.pragma_update(None, "user_version", start as u32)
                    .unwrap();
            }
            let lib = Library::open(&path).unwrap();
            assert_eq!(lib.schema_version().unwrap(), MIGRATIONS.len() as u32);
            assert!(lib.check().unwrap().ok);
        }
    }

    #[test]
    fn a_library_from_a_newer_gloss_is_refused_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.gloss");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", 999).unwrap();
        }
        let err = Library::open(&path).err().unwrap();
        assert!(err.to_string().contains("newer Gloss"), "{err}");
        let conn = Connection::open(&path).unwrap();
        let v: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 999);
    }

    #[test]
    fn a_file_that_is_not_a_library_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(
            &path,
            "these are my notes, not a database, and long enough to tell ".repeat(20),
        )
        .unwrap();
        let err = Library::open(&path).err().unwrap();
        assert_eq!(err.kind(), crate::ErrorKind::Database);
        assert!(err.to_string().contains("not a Gloss library"), "{err}");
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("these are my notes"));
    }
}
