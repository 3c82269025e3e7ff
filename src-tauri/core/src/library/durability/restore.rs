//! Putting a backup (or an empty library) in place of the library file:
//! the one sequence that both the window's recovery dialog and `gloss
//! restore` run. Verify the backup → set the current file aside → put the
//! backup in place. Nothing is moved until the backup has passed its
//! check and opened as a Gloss library, so a bad backup changes nothing;
//! the file it replaces is kept, never deleted.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::aside::set_aside;
use super::copy::copy_checked;
use super::files::{remove_sidecars, remove_with_sidecars, sibling};
use super::health::{verify, Depth};
use super::sessions;
use crate::library::{now_ms, Library};
use crate::{Error, Result};

/// What takes the library's place.
#[derive(Debug, Clone, Copy)]
pub enum Replacement<'a> {
    /// The backup file at this path (checked first).
    Backup(&'a Path),
    /// Nothing: the next open starts an empty library.
    Empty,
}

/// How the file being replaced is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeepOld {
    /// It is damaged: renamed `<name>.damaged-<UTC time>` as it is, with
    /// its write-ahead log, which may hold the last commits.
    AsDamaged,
    /// It is the user's working library (`gloss restore`): its log folded
    /// in, and kept as `<name>.before-restore`, replacing an older one.
    BeforeRestore,
}

/// What [`replace_library`] did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// Where the library that was replaced now is (when there was one).
    pub previous: Option<PathBuf>,
    /// How many stories the library holds now.
    pub stories: u32,
}

/// Replaces the library at `library` with `replacement`, keeping the file
/// that was there as `keep` says. A backup must be a SQLite file that
/// passes `PRAGMA integrity_check` and opens as a Gloss library (an older
/// one is migrated; a newer one is refused). Nothing may have the library
/// open: the window closes its connections first, and the command line
/// asks that the window be closed.
pub fn replace_library(
    library: &Path,
    replacement: Replacement,
    keep: KeepOld,
) -> Result<Restored> {
    let staged = match replacement {
        Replacement::Backup(from) => Some(stage(library, from)?),
        Replacement::Empty => None,
    };
    let previous = match set_old_aside(library, keep) {
        Ok(previous) => previous,
        Err(e) => {
            if let Some((staged, _)) = &staged {
                remove_with_sidecars(staged);
            }
            return Err(e);
        }
    };
    let Some((staged, stories)) = staged else {
        return Ok(Restored {
            previous,
            stories: 0,
        });
    };
    std::fs::rename(&staged, library).map_err(|e| {
        let kept = previous
            .as_ref()
            .map(|p| format!(" (the previous library is kept as {})", p.display()))
            .unwrap_or_default();
        Error::io(format!("writing {}{kept}", library.display()), e)
    })?;
    Ok(Restored { previous, stories })
}

/// Verifies the backup `from` and copies it beside the library as
/// `<library>.restoring`, opened once (migrations applied) and folded into
/// one file. Returns the staged path and its story count.
fn stage(library: &Path, from: &Path) -> Result<(PathBuf, u32)> {
    let shown = from.display();
    if !from.is_file() {
        return Err(Error::NotFound(format!(
            "no backup file at {shown}; give the file `gloss backup --out` wrote or one from the backups folder"
        )));
    }
    verify(from, Depth::Full).map_err(|e| match e {
        Error::Damaged(why) => Error::Damaged(format!(
            "{shown} is not a Gloss backup or is damaged ({why}); nothing was changed. Choose another backup"
        )),
        other => other,
    })?;
    if let Some(parent) = library.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
    }
    let staged = sibling(library, ".restoring");
    remove_with_sidecars(&staged);
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::db(format!("opening {shown}"), e))?;
    copy_checked(&source, &staged, |_| Ok(()))?;
    drop(source);
    let opened = (|| {
        // Opening applies missing migrations (an older backup) and refuses a newer one.
        let lib = Library::open(&staged)?;
        let stories = lib.story_count()?;
        lib.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(|e| Error::db("preparing the restored library", e))?;
        Ok(stories)
    })();
    match opened {
        Ok(stories) => {
            remove_sidecars(&staged);
            sessions::remove_files(&staged);
            Ok((staged, stories))
        }
        Err(e) => {
            remove_with_sidecars(&staged);
            sessions::remove_files(&staged);
            Err(e)
        }
    }
}

/// Moves the library file out of the way as `keep` says; `None` when there
/// was no file (a damaged one already set aside at start-up).
fn set_old_aside(library: &Path, keep: KeepOld) -> Result<Option<PathBuf>> {
    if !library.exists() {
        return Ok(None);
    }
    match keep {
        KeepOld::AsDamaged => set_aside(library, now_ms()).map(Some),
        KeepOld::BeforeRestore => {
            // Fold the old library's write-ahead log into it so the kept copy is one file.
            if let Ok(conn) = Connection::open(library) {
                let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
            }
            let aside = sibling(library, ".before-restore");
            remove_with_sidecars(&aside);
            std::fs::rename(library, &aside)
                .map_err(|e| Error::io(format!("moving {} aside", library.display()), e))?;
            remove_sidecars(library);
            Ok(Some(aside))
        }
    }
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

    /// A library of two stories and a backup of its first.
    fn library_and_backup(dir: &Path) -> (PathBuf, PathBuf) {
        let path = dir.join("library.gloss");
        let backup = dir.join("backup.gloss");
        let mut lib = Library::open(&path).unwrap();
        one_story(&mut lib, 1);
        lib.backup_to(&backup).unwrap();
        one_story(&mut lib, 2);
        (path, backup)
    }

    #[test]
    fn a_backup_restores_and_keeps_the_old_library_aside() {
        let dir = tempfile::tempdir().unwrap();
        let (path, backup) = library_and_backup(dir.path());
        let restored =
            replace_library(&path, Replacement::Backup(&backup), KeepOld::BeforeRestore).unwrap();
        assert_eq!(restored.stories, 1);
        let aside = restored.previous.unwrap();
        assert_eq!(aside, dir.path().join("library.gloss.before-restore"));
        assert_eq!(Library::open(&aside).unwrap().info().unwrap().stories, 2);
        assert_eq!(Library::open(&path).unwrap().info().unwrap().stories, 1);
    }

    #[test]
    fn a_damaged_library_is_set_aside_as_it_is_and_the_backup_put_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let (path, backup) = library_and_backup(dir.path());
        let before = std::fs::read(&path).unwrap();
        let restored =
            replace_library(&path, Replacement::Backup(&backup), KeepOld::AsDamaged).unwrap();
        let aside = restored.previous.unwrap();
        let name = aside.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("library.gloss.damaged-"), "{name}");
        assert_eq!(std::fs::read(&aside).unwrap(), before, "byte for byte");
        assert_eq!(Library::open(&path).unwrap().info().unwrap().stories, 1);
    }

    #[test]
    fn an_empty_replacement_only_sets_the_old_file_aside() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = library_and_backup(dir.path());
        let restored = replace_library(&path, Replacement::Empty, KeepOld::AsDamaged).unwrap();
        assert!(restored.previous.unwrap().exists());
        assert!(!path.exists());
        // With nothing there any more, there is nothing to set aside.
        let again = replace_library(&path, Replacement::Empty, KeepOld::AsDamaged).unwrap();
        assert!(again.previous.is_none());
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
        for keep in [KeepOld::BeforeRestore, KeepOld::AsDamaged] {
            let err = replace_library(&path, Replacement::Backup(&bad), keep).unwrap_err();
            assert!(err.to_string().contains("nothing was changed"), "{err}");
            assert_eq!(Library::open(&path).unwrap().info().unwrap().stories, 1);
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm") && !n.contains("-sessions"))
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["bad.gloss", "library.gloss"],
            "nothing staged or moved"
        );
    }

    #[test]
    fn a_missing_backup_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = library_and_backup(dir.path());
        let missing = dir.path().join("nowhere.gloss");
        let err =
            replace_library(&path, Replacement::Backup(&missing), KeepOld::AsDamaged).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::NotFound);
        assert!(path.exists());
    }
}
