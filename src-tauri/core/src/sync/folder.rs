//! The folder transport: a local folder that a sync tool (Syncthing,
//! Dropbox, OneDrive, iCloud Drive, Google Drive) or a network mount keeps
//! in step. Each file is written under a temporary name in its directory,
//! flushed to the disk, and renamed into place, so no reader ever sees a
//! part of it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::remote::{check_path, Remote, RemoteError, RemoteFile};

/// The temporary files of one process are told apart by this counter.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A sync folder.
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    /// The folder must exist (a sync tool's folder, or a mounted drive):
    /// one that is missing is reported as unmounted, never made here.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Folder { root: root.into() }
    }

    fn path(&self, path: &str) -> Result<PathBuf, RemoteError> {
        check_path(path)?;
        self.mounted()?;
        Ok(self.root.join(path))
    }

    fn mounted(&self) -> Result<(), RemoteError> {
        if self.root.is_dir() {
            Ok(())
        } else {
            Err(RemoteError::Unavailable(self.describe()))
        }
    }

    fn error(&self, e: std::io::Error) -> RemoteError {
        match e.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                RemoteError::ReadOnly(self.describe())
            }
            std::io::ErrorKind::NotFound => RemoteError::Unavailable(self.describe()),
            std::io::ErrorKind::StorageFull => RemoteError::InsufficientStorage,
            _ => RemoteError::Refused(format!("{}: {e}", self.describe())),
        }
    }

    fn write_file(&self, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let dir = target.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = dir.join(format!(
            ".{name}.tmp-{}-{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            std::fs::rename(&temp, target)?;
            // The rename itself reaches the disk with the directory.
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(())
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }
}

impl Remote for Folder {
    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn list(&self, dir: &str) -> Result<Vec<RemoteFile>, RemoteError> {
        self.mounted()?;
        let path = if dir.is_empty() {
            self.root.clone()
        } else {
            self.path(dir)?
        };
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.error(e)),
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| self.error(e))?;
            let meta = entry.metadata().map_err(|e| self.error(e))?;
            if !meta.is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let modified = meta
                .modified()
                .ok()
                .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos());
            files.push(RemoteFile {
                path: if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                },
                size: meta.len(),
                version: modified.map(|m| format!("{m}-{}", meta.len())),
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        let full = self.path(path)?;
        match std::fs::read(full) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.error(e)),
        }
    }

    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        let full = self.path(path)?;
        self.write_file(&full, bytes).map_err(|e| self.error(e))
    }

    fn delete(&self, path: &str) -> Result<(), RemoteError> {
        let full = self.path(path)?;
        match std::fs::remove_file(full) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_lists_them() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        folder.write("changes/a-1.json", b"one").unwrap();
        folder.write("changes/a-1.json", b"two").unwrap();
        assert_eq!(folder.read("changes/a-1.json").unwrap().unwrap(), b"two");
        assert_eq!(folder.read("changes/none.json").unwrap(), None);
        let listed = folder.list("changes").unwrap();
        assert_eq!(listed.len(), 1, "no temporary file is left: {listed:?}");
        assert_eq!(listed[0].path, "changes/a-1.json");
        assert!(folder.list("packs").unwrap().is_empty());
        folder.delete("changes/a-1.json").unwrap();
        folder.delete("changes/a-1.json").unwrap();
        assert!(folder.write("../out", b"x").is_err());
    }

    #[test]
    fn an_unmounted_folder_is_unavailable() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path().join("gone"));
        assert!(matches!(folder.list(""), Err(RemoteError::Unavailable(_))));
        assert!(matches!(
            folder.write("library.json", b"x"),
            Err(RemoteError::Unavailable(_))
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_read_only_folder_says_so() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
        // Root ignores permissions (CI runs as root): there the folder is
        // /sys, where the kernel refuses new files to everyone.
        let probe = dir.path().join("probe");
        let root = if std::fs::write(&probe, b"x").is_ok() {
            std::path::PathBuf::from("/sys")
        } else {
            dir.path().to_path_buf()
        };
        let folder = Folder::new(&root);
        let err = folder.write("library.json", b"x").unwrap_err();
        assert!(matches!(err, RemoteError::ReadOnly(_)), "{root:?}: {err:?}");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
