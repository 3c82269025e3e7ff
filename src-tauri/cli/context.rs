//! What the subcommands share around their work: the library, opened the
//! way the command needs it, and the runtime for the network.

use std::path::PathBuf;

use gloss_core::library::durability::Synchronous;
use gloss_core::library::LibraryAccess;
use gloss_core::{paths, Error, Library, Result};

/// Opens (or, on first use, creates) the library for a command that adds
/// to it: save, import, feeds.
pub fn open_library(explicit: Option<PathBuf>) -> Result<Library> {
    Library::open(paths::resolve_library_path(explicit)?)
}

/// Opens the library for a command that reads it or changes what is
/// already in it (list, show, search, export, annotations, check, backup,
/// star, tag, …). Where there is no library, such a command says so and
/// fails: creating an empty one would hide a mistyped `--library` behind
/// "0 stories". A 0-byte file (SQLite would take it for a new database) is
/// called empty for the same reason.
pub fn open_existing_library(explicit: Option<PathBuf>) -> Result<Library> {
    let path = paths::resolve_library_path(explicit)?;
    match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NotFound(format!(
            "there is no library at {}; check the path (--library or GLOSS_LIBRARY), or save or \
             import something to start a library there",
            path.display()
        ))),
        Ok(meta) if meta.is_file() && meta.len() == 0 => Err(Error::InvalidInput(format!(
            "{} is an empty file (0 bytes), not a Gloss library; give the path of your library, \
             or delete the file to start a new one there",
            path.display()
        ))),
        _ => Library::open(path),
    }
}

/// A runtime on this thread for the network work of one command.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the network runtime", e))
}

/// The library as `gloss save` reaches it: opened (or created) at the
/// first story that is ready to store, so a save that fails before that
/// leaves no trace, not even a new file.
pub struct LazyLibrary {
    path: PathBuf,
    /// Saving several stories: the disk is not waited on at each one.
    bulk: bool,
    library: Option<Library>,
}

impl LazyLibrary {
    pub fn new(path: PathBuf, bulk: bool) -> Self {
        LazyLibrary {
            path,
            bulk,
            library: None,
        }
    }
}

impl LibraryAccess for LazyLibrary {
    fn with<T>(&mut self, work: impl FnOnce(&mut Library) -> Result<T>) -> Result<T> {
        let library = match &mut self.library {
            Some(library) => library,
            None => {
                let opened = Library::open(&self.path)?;
                if self.bulk {
                    // A bulk save does not wait for the disk at each story
                    // (4 ms each): in WAL mode a killed process still loses
                    // nothing it reported saved; a power cut may lose the
                    // last few, and the same command run again saves them
                    // (docs/durability.md).
                    opened.set_synchronous(Synchronous::Normal)?;
                }
                self.library.insert(opened)
            }
        };
        work(library)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lazy_library_is_created_at_its_first_use_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.gloss");
        let mut lazy = LazyLibrary::new(path.clone(), true);
        assert!(!path.exists());
        let stories = lazy.with(|l| Ok(l.info()?.stories)).unwrap();
        assert_eq!(stories, 0);
        assert!(path.exists());
    }
}
