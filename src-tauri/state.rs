//! What the app keeps while it runs: the open library and the fetcher.
//!
//! The library has one writer connection and one reader connection (WAL lets
//! them work at once), each behind a mutex and only ever used inside
//! `spawn_blocking`, so SQLite never runs on the async runtime or the UI
//! thread. Saves do their network work without holding either.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use gloss_core::feeds::CancellationToken;
use gloss_core::fetch::Fetcher;
use gloss_core::library::Change;
use gloss_core::library::LibraryAccess;
use gloss_core::{Error, Library, Result};

pub struct AppState {
    writer: Mutex<Library>,
    reader: Mutex<Library>,
    pub fetcher: Fetcher,
    /// One feed refresh at a time: a second waits for the first.
    pub refreshing: tokio::sync::Mutex<()>,
    /// One sync of the feed accounts at a time: a second waits for the first.
    pub syncing_accounts: tokio::sync::Mutex<()>,
    /// Cancels the refresh under way (a fresh token for each refresh).
    pub refresh_cancel: std::sync::Mutex<CancellationToken>,
    /// The import under way, if any (one at a time), and its cancel.
    pub import_cancel: std::sync::Mutex<Option<CancellationToken>>,
    /// The export under way, if any (one at a time), and its cancel.
    pub export_cancel: std::sync::Mutex<Option<CancellationToken>>,
    /// Who hears of the library's changes (the `library-changed` event).
    /// Kept here, not on one writer, so every writer this state opens (at
    /// start, on a switch, after a restore) tells the same listener.
    relay: ChangeRelay,
}

/// The listener the writer's door calls after each committed write.
type ChangeRelay = Arc<Mutex<Option<Box<dyn Fn(&[Change]) + Send>>>>;

/// Opens the writer connection, wired to `relay`.
fn open_writer(path: &Path, relay: &ChangeRelay, checking_later: bool) -> Result<Library> {
    let mut writer = if checking_later {
        Library::open_checking_later(path)?
    } else {
        Library::open(path)?
    };
    let relay = Arc::clone(relay);
    writer.on_change(move |changes| {
        let relay = relay
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(tell) = relay.as_ref() {
            tell(changes);
        }
    });
    Ok(writer)
}

/// The state as Tauri manages it: shared with blocking tasks.
pub type Shared = Arc<AppState>;

impl AppState {
    pub fn open(path: &Path) -> Result<Shared> {
        // After an unclean exit the check runs in the background
        // (crate::services::recovery), not before the window shows.
        let relay = ChangeRelay::default();
        let writer = open_writer(path, &relay, true)?;
        let reader = Library::open(path)?;
        Ok(Arc::new(AppState {
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            fetcher: Fetcher::new()?,
            refreshing: tokio::sync::Mutex::new(()),
            syncing_accounts: tokio::sync::Mutex::new(()),
            refresh_cancel: std::sync::Mutex::new(CancellationToken::new()),
            import_cancel: std::sync::Mutex::new(None),
            export_cancel: std::sync::Mutex::new(None),
            relay,
        }))
    }

    /// Tells `listener` the changes of every write to the library from now
    /// on, in place of any listener before.
    pub fn relay_changes(&self, listener: impl Fn(&[Change]) + Send + 'static) {
        *self
            .relay
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Box::new(listener));
    }

    /// Opens another library file in place of the current one (Settings).
    pub fn reopen(&self, path: PathBuf) -> Result<()> {
        let writer = open_writer(&path, &self.relay, false)?;
        let reader = Library::open(&path)?;
        *lock(&self.writer) = writer;
        *lock(&self.reader) = reader;
        Ok(())
    }

    /// Whether the last exit was unclean and the file still wants its
    /// check (see `Library::open_checking_later`).
    pub fn check_due(&self) -> bool {
        self.writer().check_due()
    }

    /// Where the open library file is.
    pub fn path(&self) -> PathBuf {
        self.reader().path().to_path_buf()
    }

    /// Closes the library file, lets `change` work on it (set a damaged
    /// file aside, put a backup in its place), then opens what is there.
    /// Every other command waits meanwhile. Should there be no file to open
    /// afterwards, read-only empty stand-ins stay, so nothing can be written
    /// where it would be lost.
    pub fn replace_file(&self, change: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        let mut writer = lock(&self.writer);
        let mut reader = lock(&self.reader);
        let path = writer.path().to_path_buf();
        *reader = Library::stand_in(&path)?;
        *writer = Library::stand_in(&path)?;
        let changed = change(&path);
        // Open what is there now: the new file, or the old one when the
        // change failed before moving it. A failure that left no file
        // keeps the stand-ins (a retry still knows the path).
        if changed.is_ok() || path.exists() {
            *writer = open_writer(&path, &self.relay, false)?;
            *reader = Library::open(&path)?;
        }
        changed
    }

    /// Closes the library file (the app is exiting and will not drop its
    /// state): its sessions end cleanly, so the next start does not take
    /// this exit for a crash.
    pub fn close(&self) {
        let path = self.path();
        if let Ok(stand_in) = Library::stand_in(&path) {
            *lock(&self.reader) = stand_in;
        }
        if let Ok(stand_in) = Library::stand_in(&path) {
            *lock(&self.writer) = stand_in;
        }
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

/// Wakes the sync loop (`crate::services::sync`): a change was made here
/// and should go out once the library is quiet.
#[derive(Default)]
pub struct SyncDue(pub tokio::sync::Notify);

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
