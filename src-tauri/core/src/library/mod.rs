//! The library: one SQLite file with every story, tag, image and index.
//!
//! All SQL of Gloss lives in this module. The file is opened in WAL mode (so
//! the window can read while a save writes), with foreign keys on and a busy
//! timeout, and migrated to the current schema on open.

mod access;
mod annotations;
mod assets;
mod changes;
mod check;
pub mod durability;
mod feed_rows;
mod feeds;
mod portability;
mod replica;
mod replica_read;
mod replica_write;
mod schema;
mod search;
mod search_index;
mod stories;
mod tags;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::model::LibraryInfo;
use crate::{Error, Result};

pub use access::LibraryAccess;
pub use assets::{asset_url, parse_asset_url, sha256_hex, Asset, ASSET_URL_PREFIX};
pub use changes::{stories_of, Change};
pub use feed_rows::{
    FeedCheck, FeedOutcome, FeedUpdate, FetchResult, NewFeedItem, Subscription, Subscriptions,
};
pub use feeds::{NewFeed, RefreshPlan};
pub use portability::{
    ExportedAnnotation, ExportedAsset, ExportedFeed, ExportedStory, ImportAnnotation, ImportRow,
    RowOutcome,
};
pub use replica::{Body, BodyAsset, Fields, Images, Register, Replica, SyncState};
pub use schema::MIGRATIONS;
pub use stories::{NewAsset, NewStory, StoreOutcome};

/// The error for a story id the library does not hold. Shared by every
/// file of the library, so none of them reaches into another for it.
fn missing(id: crate::model::StoryId) -> Error {
    Error::NotFound(format!(
        "no story with id {id} in this library; `gloss list` shows the ids"
    ))
}

/// An open library file.
pub struct Library {
    // Dropped first: the connection closes before the session ends, so a
    // session is only ever marked closed after the file is.
    conn: Connection,
    /// Every write passes here (see `changes.rs`).
    door: changes::Door,
    path: PathBuf,
    /// This open, registered beside the file (none in memory); held for
    /// its `Drop`, which marks the session closed.
    #[allow(dead_code)]
    session: Option<durability::sessions::Session>,
    /// The last exit was unclean and the check it calls for was left to
    /// the caller ([`Library::open_checking_later`]).
    check_due: bool,
}

impl Library {
    /// Opens (creating if needed) the library at `path` and brings its schema
    /// up to date. The parent folder is created too.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path.as_ref(), true)
    }

    /// Opens like [`Library::open`], but after an unclean exit leaves the
    /// `quick_check` (a read of the whole file: seconds for a large
    /// library) to the caller, who runs it off the main thread: the app's
    /// window must not wait for it. [`Library::check_due`] says whether it is due.
    pub fn open_checking_later(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path.as_ref(), false)
    }

    /// Whether the last exit was unclean and its check is still to be run
    /// (only after [`Library::open_checking_later`]).
    pub fn check_due(&self) -> bool {
        self.check_due
    }

    fn open_with(path: &Path, check_now: bool) -> Result<Self> {
        let path = path.to_path_buf();
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
        // Registered before SQLite touches the file, so an unclean exit of
        // the previous user is seen as it was.
        let session = durability::sessions::Session::begin(&path)?;
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::db(format!("opening {}", path.display()), e))?;
        let opened = Self::setup(conn, path.clone(), Some(session), check_now);
        // Some other file given as a library (the session has ended with the
        // failed setup): leave nothing of ours beside it.
        if opened.is_err() && !durability::aside::was_a_library(&path) {
            durability::sessions::remove_files(&path);
        }
        opened
    }

    /// A library that lives in memory only, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self> {
        let conn =
            Connection::open_in_memory().map_err(|e| Error::db("opening a memory library", e))?;
        Self::setup(conn, PathBuf::from(":memory:"), None, true)
    }

    fn setup(
        mut conn: Connection,
        path: PathBuf,
        session: Option<durability::sessions::Session>,
        check_now: bool,
    ) -> Result<Self> {
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
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")
            .and_then(|()| conn.execute_batch(durability::Synchronous::Full.pragma()))
            .map_err(|e| Error::db("setting up the connection", e))?;
        conn.set_prepared_statement_cache_capacity(64);
        let unclean = session.as_ref().is_some_and(|s| s.was_unclean());
        if unclean && check_now {
            let found = match durability::health::quick_check(&conn) {
                Ok(problems) => Ok(problems.into_iter().next()),
                Err(Error::Damaged(why)) => Ok(Some(why)),
                Err(e) => Err(e),
            };
            let checked = found.and_then(|problem| match problem {
                None => Ok(()),
                Some(first) => Err(Error::Damaged(format!(
                    "{} was not closed cleanly and its check failed ({first}); \
                         restore a backup with `gloss restore FILE` (backups are in {})",
                    path.display(),
                    durability::backups::backups_dir(&path).display()
                ))),
            });
            if let Err(e) = checked {
                // Left marked unclean, so every open checks until it is fixed.
                if let (Some(s), Error::Damaged(_)) = (session, &e) {
                    s.abandon();
                }
                return Err(e);
            }
        }
        schema::migrate(&mut conn, |conn| {
            // A verified copy of the file as it was, before the upgrade changes it.
            if session.is_some() {
                durability::backups::take(conn, &path, crate::model::BackupKind::Upgrade)?;
            }
            Ok(())
        })
        .map_err(|e| match e {
            Error::Database { source, .. } => not_a_library(&path, source),
            other => other,
        })?;
        let door = changes::Door::default();
        #[cfg(test)]
        door.watch.install(&conn);
        Ok(Library {
            conn,
            door,
            path,
            session,
            check_due: unclean && !check_now,
        })
    }

    /// Calls `listener` after each committed write with the changes it
    /// made (the app turns them into its `library-changed` event).
    pub fn on_change(&mut self, listener: impl FnMut(&[Change]) + Send + 'static) {
        self.door.listen(Box::new(listener));
    }

    /// Opens a write: a transaction through the door (see `changes.rs`).
    /// `what` names the work for the error when it cannot start.
    fn write(&mut self, what: &str) -> Result<changes::Write<'_>> {
        let tx = self
            .conn
            .transaction()
            .map_err(|e| Error::db(what.to_string(), e))?;
        Ok(changes::Write::new(tx, &mut self.door))
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
            if !durability::aside::was_a_library(path) {
                return Error::InvalidInput(format!(
                    "{} is not a Gloss library; nothing was changed: choose a library file (*.gloss)",
                    path.display()
                ));
            }
            return Error::Damaged(format!(
                "{} is not a Gloss library or is damaged; restore a backup (`gloss restore FILE`; \
                 automatic backups are in {}) or choose another file",
                path.display(),
                durability::backups::backups_dir(path).display()
            ));
        }
    }
    Error::db(format!("opening {}", path.display()), e)
}

/// Milliseconds since the Unix epoch, the library's clock (one clock for
/// the whole project, in `clock.rs`).
pub(crate) use crate::clock::now_ms;

/// The library's millisecond times as RFC 3339 in UTC, for JSON and the UI.
pub(crate) fn ms_to_rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod annotation_tests;
#[cfg(test)]
mod change_tests;
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
        // The user's input is wrong; nothing is damaged.
        assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
        assert!(
            err.to_string()
                .ends_with("notes.txt is not a Gloss library; nothing was changed: choose a library file (*.gloss)"),
            "{err}"
        );
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("these are my notes"));
        // Nor is anything of Gloss's left beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["notes.txt"]);
    }
}
