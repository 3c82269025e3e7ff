//! The one way Gloss copies a library: SQLite's online backup API, which
//! gives a consistent snapshot even while another connection writes. Manual
//! backups (`gloss backup`), automatic ones and restores all copy here.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;

use super::files::{remove_with_sidecars, sibling};
use crate::{Error, Result};

/// How many times a busy source is waited for, and how long each time:
/// 5 s in all.
const BUSY_WAITS: u32 = 500;
const BUSY_WAIT: Duration = Duration::from_millis(10);

/// Copies the database `source` has open to `dest`, whole or not at all.
/// The pages go to `<dest>.partial`; `check` looks at that finished copy
/// (in rollback-journal mode, one self-contained file) and only when it
/// passes is the copy renamed to `dest`, so `dest` is either what it was
/// or a whole copy. A failed copy or check deletes the partial file.
pub fn copy_checked<T>(
    source: &Connection,
    dest: &Path,
    check: impl FnOnce(&Path) -> Result<T>,
) -> Result<T> {
    let partial = sibling(dest, ".partial");
    remove_with_sidecars(&partial);
    let checked = copy_pages(source, &partial).and_then(|()| check(&partial));
    let result = checked.and_then(|value| {
        std::fs::rename(&partial, dest)
            .map_err(|e| Error::io(format!("writing {}", dest.display()), e))?;
        Ok(value)
    });
    if result.is_err() {
        remove_with_sidecars(&partial);
    }
    result
}

/// All pages in one step: one read transaction, a consistent snapshot that
/// writers in WAL mode do not restart. Busy only while another connection
/// holds an exclusive lock (a checkpoint that truncates): wait for it a
/// while, then give up and say so.
fn copy_pages(source: &Connection, dest: &Path) -> Result<()> {
    let mut to =
        Connection::open(dest).map_err(|e| Error::db(format!("creating {}", dest.display()), e))?;
    {
        let backup = Backup::new(source, &mut to).map_err(|e| Error::db("starting the copy", e))?;
        let mut waits = 0;
        loop {
            match backup
                .step(-1)
                .map_err(|e| Error::db("copying the library", e))?
            {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if waits < BUSY_WAITS => {
                    waits += 1;
                    std::thread::sleep(BUSY_WAIT);
                }
                _ => {
                    return Err(Error::InvalidInput(
                        "the library stayed busy for 5 s and was not copied; try again in a moment"
                            .into(),
                    ))
                }
            }
        }
    }
    // A copy is one file: no log beside it for someone to leave behind.
    to.execute_batch("PRAGMA journal_mode = DELETE;")
        .map_err(|e| Error::db("finishing the copy", e))?;
    to.close()
        .map_err(|(_, e)| Error::db("closing the copy", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);")
            .unwrap();
        conn
    }

    fn rows(path: &Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_copy_that_passes_its_check_takes_the_name() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("copy.gloss");
        let seen = copy_checked(&source(), &dest, |p| Ok(rows(p))).unwrap();
        assert_eq!((seen, rows(&dest)), (2, 2));
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "nothing but the copy");
    }

    #[test]
    fn a_copy_that_fails_its_check_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("copy.gloss");
        std::fs::write(&dest, b"the old file").unwrap();
        let err = copy_checked(&source(), &dest, |_| -> Result<()> {
            Err(Error::Damaged("no".into()))
        })
        .unwrap_err();
        assert!(matches!(err, Error::Damaged(_)));
        assert_eq!(std::fs::read(&dest).unwrap(), b"the old file");
        assert!(!sibling(&dest, ".partial").exists());
    }
}
