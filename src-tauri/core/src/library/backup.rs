//! Backups with SQLite's online backup API (a consistent copy even while
//! the window writes), and restoring one after checking it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::Library;
use crate::{Error, Result};

impl Library {
    /// Copies the library to `dest` page by page while others may write to
    /// it. The copy is made beside `dest` and renamed, so `dest` is either
    /// the old file or a whole backup, never half of one.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let shown = dest.display();
        if dest.is_dir() {
            return Err(Error::InvalidInput(format!(
                "{shown} is a folder; give the backup's file name, for example {shown}/gloss-backup.gloss"
            )));
        }
        let partial = sibling(dest, "partial");
        let _ = std::fs::remove_file(&partial);
        let result = (|| {
            let mut to = Connection::open(&partial)
                .map_err(|e| Error::db(format!("creating {}", partial.display()), e))?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut to)
                .map_err(|e| Error::db("starting the backup", e))?;
            backup
                .run_to_completion(256, Duration::from_millis(5), None)
                .map_err(|e| Error::db("copying the library", e))?;
            drop(backup);
            to.execute_batch("PRAGMA journal_mode = DELETE;")
                .map_err(|e| Error::db("finishing the backup", e))?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        std::fs::rename(&partial, dest).map_err(|e| Error::io(format!("writing {shown}"), e))
    }
}

/// What [`restore`] did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// Where the library that was replaced now is (when there was one).
    pub previous: Option<PathBuf>,
    pub stories: u32,
}

/// Replaces the library at `library` with the backup `from`, after checking
/// the backup: it must be a SQLite file that passes `PRAGMA integrity_check`
/// and opens as a Gloss library. Nothing is touched until it does. The old
/// library is kept beside it as `<name>.before-restore`. Close the window
/// before restoring: it would keep writing to the file it has open.
pub fn restore(library: &Path, from: &Path) -> Result<Restored> {
    let shown = from.display();
    if !from.is_file() {
        return Err(Error::NotFound(format!(
            "no backup file at {shown}; give the file `gloss backup --out` wrote"
        )));
    }
    let staged = sibling(library, "restoring");
    if let Some(parent) = library.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
    }
    remove_with_sidecars(&staged);
    std::fs::copy(from, &staged).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    let checked = check_backup(&staged, from).and_then(|()| {
        // Opening applies missing migrations (an older backup) and refuses a newer one.
        let lib = Library::open(&staged)?;
        let stories = lib.story_count()?;
        lib.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(|e| Error::db("preparing the restored library", e))?;
        Ok(stories)
    });
    let stories = match checked {
        Ok(n) => n,
        Err(e) => {
            remove_with_sidecars(&staged);
            return Err(e);
        }
    };
    remove_with_sidecars_only(&staged);
    super::durability::sessions::remove_files(&staged);
    let mut previous = None;
    if library.exists() {
        // Fold the old library's write-ahead log into it so the kept copy is one file.
        if let Ok(conn) = Connection::open(library) {
            let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        let aside = sibling(library, "before-restore");
        remove_with_sidecars(&aside);
        std::fs::rename(library, &aside)
            .map_err(|e| Error::io(format!("moving {} aside", library.display()), e))?;
        remove_with_sidecars_only(library);
        previous = Some(aside);
    }
    std::fs::rename(&staged, library)
        .map_err(|e| Error::io(format!("writing {}", library.display()), e))?;
    Ok(Restored { previous, stories })
}

/// Read-only checks on the staged copy before it is opened for writing.
fn check_backup(staged: &Path, shown: &Path) -> Result<()> {
    let damaged = || {
        Error::Damaged(format!(
            "{} is not a Gloss backup or is damaged; nothing was changed. Choose another backup",
            shown.display()
        ))
    };
    let conn = Connection::open_with_flags(staged, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|_| damaged())?;
    let result: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| damaged())?;
    if result != "ok" {
        return Err(damaged());
    }
    let has_articles: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'articles'",
            [],
            |r| r.get(0),
        )
        .map_err(|_| damaged())?;
    if !has_articles {
        return Err(damaged());
    }
    Ok(())
}

/// `library.gloss` → `library.gloss.<suffix>`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}

fn remove_with_sidecars(path: &Path) {
    let _ = std::fs::remove_file(path);
    remove_with_sidecars_only(path);
}

fn remove_with_sidecars_only(path: &Path) {
    for side in ["wal", "shm"] {
        let _ = std::fs::remove_file(sibling_raw(path, side));
    }
}

fn sibling_raw(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!("-{suffix}"));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::NewStory;

    fn one_story(lib: &mut Library, n: u32) {
        lib.store_story(NewStory {
            url: format!("https://example.com/{n}"),
            url_key: format!("https://example.com/{n}"),
            title: format!("Story {n}"),
            html: "<p>words</p>".into(),
            text: "words".into(),
            ..Default::default()
        })
        .unwrap();
    }

    #[test]
    fn a_backup_restores_and_keeps_the_old_library_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.gloss");
        let backup = dir.path().join("backup.gloss");
        let mut lib = Library::open(&path).unwrap();
        one_story(&mut lib, 1);
        lib.backup_to(&backup).unwrap();
        one_story(&mut lib, 2);
        drop(lib);
        let restored = restore(&path, &backup).unwrap();
        assert_eq!(restored.stories, 1);
        let aside = restored.previous.unwrap();
        assert_eq!(Library::open(&aside).unwrap().info().unwrap().stories, 2);
        assert_eq!(Library::open(&path).unwrap().info().unwrap().stories, 1);
    }

    #[test]
    fn a_damaged_backup_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.gloss");
        let mut lib = Library::open(&path).unwrap();
        one_story(&mut lib, 1);
        drop(lib);
        let bad = dir.path().join("bad.gloss");
        std::fs::write(&bad, b"SQLite format 3\0 but then garbage".repeat(100)).unwrap();
        let err = restore(&path, &bad).unwrap_err();
        assert!(err.to_string().contains("nothing was changed"), "{err}");
        assert_eq!(Library::open(&path).unwrap().info().unwrap().stories, 1);
        assert!(!dir.path().join("library.gloss.before-restore").exists());
    }
}
