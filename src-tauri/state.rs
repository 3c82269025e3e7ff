//! What the app keeps while it runs: the open library and the fetcher.
//!
//! The library has one writer connection and one reader connection (WAL lets
//! them work at once), each behind a mutex and only ever used inside
//! `spawn_blocking`, so SQLite never runs on the async runtime or the UI
//! thread. Saves do their network work without holding either.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use gloss_core::feeds::{CancellationToken, LibraryAccess};
use gloss_core::fetch::Fetcher;
use gloss_core::{Error, Library, Result};

pub struct AppState {
    writer: Mutex<Library>,
    reader: Mutex<Library>,
    pub fetcher: Fetcher,
    /// One feed refresh at a time: a second waits for the first.
    pub refreshing: tokio::sync::Mutex<()>,
    /// Cancels the refresh under way (a fresh token for each refresh).
    pub refresh_cancel: std::sync::Mutex<CancellationToken>,
}

/// The state as Tauri manages it: shared with blocking tasks.
pub type Shared = Arc<AppState>;

impl AppState {
    pub fn open(path: &Path) -> Result<Shared> {
        let writer = Library::open(path)?;
        let reader = Library::open(path)?;
        Ok(Arc::new(AppState {
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            fetcher: Fetcher::new()?,
            refreshing: tokio::sync::Mutex::new(()),
            refresh_cancel: std::sync::Mutex::new(CancellationToken::new()),
        }))
    }

    /// Opens another library file in place of the current one (Settings).
    pub fn reopen(&self, path: PathBuf) -> Result<()> {
        let writer = Library::open(&path)?;
        let reader = Library::open(&path)?;
        *lock(&self.writer) = writer;
        *lock(&self.reader) = reader;
        Ok(())
    }

    pub fn writer(&self) -> MutexGuard<'_, Library> {
        lock(&self.writer)
    }

    pub fn reader(&self) -> MutexGuard<'_, Library> {
        lock(&self.reader)
    }
}

/// A poisoned lock only means another command panicked mid-way; SQLite's
/// transactions kept the file consistent, so carry on with the connection.
fn lock(m: &Mutex<Library>) -> MutexGuard<'_, Library> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs library work on the blocking pool, off the async runtime.
pub async fn blocking<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(&AppState) -> Result<T> + Send + 'static,
) -> Result<T> {
    let state = Arc::clone(state);
    tauri::async_runtime::spawn_blocking(move || work(&state))
        .await
        .map_err(|e| Error::Io {
            context: "running a library task".into(),
            source: std::io::Error::other(e.to_string()),
        })?
}

/// The writer as the feeds code reaches it: locked only for each step, on a
/// thread the async runtime sets aside for blocking work.
pub struct WriterAccess<'a>(pub &'a AppState);

impl LibraryAccess for WriterAccess<'_> {
    fn with<T>(&mut self, work: impl FnOnce(&mut Library) -> Result<T>) -> Result<T> {
        tokio::task::block_in_place(|| work(&mut self.0.writer()))
    }
}
