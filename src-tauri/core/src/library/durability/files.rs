//! The files that live beside a library, named in one place: a library
//! `library.gloss` has its SQLite sidecars (`library.gloss-wal`,
//! `library.gloss-shm`), its sessions files, a copy in progress
//! (`library.gloss.partial`), a staged restore, the file a restore replaced
//! and a damaged file set aside. Every one is the library's own file name
//! with something appended, so they sort and travel together.

use std::path::{Path, PathBuf};

/// SQLite's sidecars of a database in WAL mode: the log, which may hold
/// the last commits, and the shared-memory index.
pub const SQLITE_SIDECARS: [&str; 2] = ["-wal", "-shm"];

/// `library.gloss` → `library.gloss<suffix>`, in the same folder. The
/// suffix is appended as given (`"-wal"`, `".partial"`).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Deletes SQLite's sidecars of `path`, leaving the file itself: after a
/// checkpoint folded the log in, or before a file takes this name.
pub fn remove_sidecars(path: &Path) {
    for suffix in SQLITE_SIDECARS {
        let _ = std::fs::remove_file(sibling(path, suffix));
    }
}

/// Deletes `path` and its SQLite sidecars (a staged or half-made copy that
/// nobody else has open).
pub fn remove_with_sidecars(path: &Path) {
    let _ = std::fs::remove_file(path);
    remove_sidecars(path);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sibling_appends_to_the_whole_file_name() {
        let lib = Path::new("/x/my.lib.gloss");
        assert_eq!(sibling(lib, "-wal"), Path::new("/x/my.lib.gloss-wal"));
        assert_eq!(
            sibling(lib, ".partial"),
            Path::new("/x/my.lib.gloss.partial")
        );
        assert_eq!(
            sibling(Path::new("library.gloss"), ".before-restore"),
            Path::new("library.gloss.before-restore")
        );
    }

    #[test]
    fn removing_with_sidecars_leaves_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.gloss");
        for name in [
            "library.gloss",
            "library.gloss-wal",
            "library.gloss-shm",
            "library.gloss-sessions",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        remove_sidecars(&path);
        assert!(path.exists() && !sibling(&path, "-wal").exists());
        remove_with_sidecars(&path);
        assert!(!path.exists());
        assert!(sibling(&path, "-sessions").exists());
    }
}
