//! Automatic backups: where they live, how they are named, taken, verified
//! and rotated.
//!
//! They are written to `backups/` beside the library, named
//! `<library file name>.<kind>.<UTC time>.gloss` (for example
//! `library.gloss.daily.20261128T140501123Z.gloss`), so several libraries
//! in one folder keep apart and a listing needs no database. Each is copied
//! with SQLite's online backup API (a consistent snapshot while others
//! write), then opened and checked with `PRAGMA quick_check` before it gets
//! its name: a copy that fails is deleted and the failure reported, so every
//! file in the folder is one that was good when it was made.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime};
use rusqlite::{Connection, OpenFlags};

use super::copy::copy_checked;
use super::health::{verify, Depth};
use super::rotation::{self, Dated};
use crate::library::{ms_to_rfc3339, now_ms};
use crate::model::{BackupInfo, BackupKind};
use crate::{Error, Result};

/// A daily backup is due when the newest is older than this.
pub const DAILY_INTERVAL_MS: i64 = 24 * 60 * 60 * 1000;

const TIME_FORMAT: &str = "%Y%m%dT%H%M%S%3fZ";

/// The folder the automatic backups of `library` go to.
pub fn backups_dir(library: &Path) -> PathBuf {
    library
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

fn library_name(library: &Path) -> String {
    library
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn kind_name(kind: BackupKind) -> &'static str {
    match kind {
        BackupKind::Daily => "daily",
        BackupKind::Upgrade => "upgrade",
    }
}

/// The file name of a backup of `library` taken at `taken_at` (ms).
pub fn file_name(library: &Path, kind: BackupKind, taken_at: i64) -> String {
    let time = DateTime::from_timestamp_millis(taken_at)
        .unwrap_or_default()
        .format(TIME_FORMAT);
    format!("{}.{}.{time}.gloss", library_name(library), kind_name(kind))
}

/// Reads a backup's kind and time back from its file name; `None` for any
/// other file (another library's backups, a copy in progress).
pub fn parse_file_name(library: &Path, name: &str) -> Option<Dated> {
    let rest = name.strip_suffix(".gloss")?;
    let mut parts = rest.rsplitn(3, '.');
    let time = parts.next()?;
    let kind = match parts.next()? {
        "daily" => BackupKind::Daily,
        "upgrade" => BackupKind::Upgrade,
        _ => return None,
    };
    if parts.next()? != library_name(library) {
        return None;
    }
    let taken_at = NaiveDateTime::parse_from_str(time, TIME_FORMAT)
        .ok()?
        .and_utc()
        .timestamp_millis();
    Some(Dated { kind, taken_at })
}

/// The automatic backups of `library`, newest first, without opening them.
fn dated(library: &Path) -> Result<Vec<(PathBuf, Dated)>> {
    let dir = backups_dir(library);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("reading {}", dir.display()), e)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if let Some(d) = parse_file_name(library, &name.to_string_lossy()) {
            out.push((entry.path(), d));
        }
    }
    out.sort_by_key(|(p, d)| (std::cmp::Reverse(d.taken_at), p.clone()));
    Ok(out)
}

/// The automatic backups of `library`, newest first, each opened read-only
/// to count its stories (`None` when it cannot be read).
pub fn list(library: &Path) -> Result<Vec<BackupInfo>> {
    Ok(dated(library)?
        .into_iter()
        .map(|(path, d)| info(&path, d, count_stories(&path).ok()))
        .collect())
}

fn info(path: &Path, d: Dated, stories: Option<u32>) -> BackupInfo {
    BackupInfo {
        path: path.display().to_string(),
        kind: d.kind,
        taken_at: ms_to_rfc3339(d.taken_at),
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        stories,
    }
}

/// True when `library` has no daily backup from the last 24 hours.
pub fn daily_due(library: &Path, now: i64) -> Result<bool> {
    Ok(!dated(library)?
        .iter()
        .any(|(_, d)| d.kind == BackupKind::Daily && now - d.taken_at < DAILY_INTERVAL_MS))
}

/// Copies the library that `source` has open into its backups folder,
/// verifies the copy and rotates the folder.
pub fn take(source: &Connection, library: &Path, kind: BackupKind) -> Result<BackupInfo> {
    let dir = backups_dir(library);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating the backups folder {}", dir.display()), e))?;
    let mut taken_at = now_ms();
    let mut name = file_name(library, kind, taken_at);
    // Two backups in one millisecond (tests) must not overwrite each other.
    while dir.join(&name).exists() {
        taken_at += 1;
        name = file_name(library, kind, taken_at);
    }
    let dest = dir.join(&name);
    let stories =
        copy_checked(source, &dest, |copy| verify(copy, Depth::Quick)).map_err(|e| match e {
            Error::Damaged(why) => Error::Damaged(format!(
                "the backup of {} failed its check and was deleted ({why})",
                library.display()
            )),
            other => other,
        })?;
    rotate(library)?;
    Ok(info(&dest, Dated { kind, taken_at }, Some(stories)))
}

/// Takes a backup of the library file at `library` through a connection of
/// its own (read-only), so the app's connections are never held up.
pub fn take_of_file(library: &Path, kind: BackupKind) -> Result<BackupInfo> {
    let source = Connection::open_with_flags(
        library,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::db(format!("opening {} to back it up", library.display()), e))?;
    source
        .busy_timeout(Duration::from_secs(5))
        .map_err(|e| Error::db("setting the busy timeout", e))?;
    take(&source, library, kind)
}

fn count_stories(path: &Path) -> Result<u32> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::db(format!("opening {}", path.display()), e))?;
    conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .map_err(|e| Error::db(format!("counting the stories of {}", path.display()), e))
}

/// Deletes the backups the rotation does not keep; returns them.
pub fn rotate(library: &Path) -> Result<Vec<PathBuf>> {
    let all = dated(library)?;
    let dates: Vec<Dated> = all.iter().map(|(_, d)| *d).collect();
    let mut deleted = Vec::new();
    for ((path, _), keep) in all.into_iter().zip(rotation::keep(&dates)) {
        if !keep {
            std::fs::remove_file(&path)
                .map_err(|e| Error::io(format!("removing the old backup {}", path.display()), e))?;
            deleted.push(path);
        }
    }
    Ok(deleted)
}
