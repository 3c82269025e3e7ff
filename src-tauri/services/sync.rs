//! Sync in the window: at start (the window asks once it has painted), a
//! few seconds after a change, every ten minutes, and when the user asks.
//! Each sync runs on the blocking pool, never on the UI thread, one at a
//! time; how it went reaches the window as a `sync-status` event. Offline
//! is normal: the sync fails, the library records why, the changes wait
//! and go out with a later sync.

use std::path::PathBuf;
use std::time::Duration;

use gloss_core::sync::{self, SyncOptions, SyncStatus, Target};
use gloss_core::{Error, Result};
use tauri::{AppHandle, Manager, Runtime};

use crate::events::emit;
use crate::state::{blocking, Shared, SyncDue};

/// How long the library must be quiet after a change before it syncs.
const QUIET: Duration = Duration::from_secs(3);

/// How often it syncs with no change here (to hear of the others').
const EVERY: Duration = Duration::from_secs(600);

/// One sync at a time: the loop's and the user's wait for each other.
#[derive(Default)]
pub struct SyncRunner(tokio::sync::Mutex<()>);

/// Starts the loop that syncs after changes and every ten minutes.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    app.manage(SyncDue::default());
    app.manage(SyncRunner::default());
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let Some(due) = app.try_state::<SyncDue>() else {
                return;
            };
            tokio::select! {
                _ = due.0.notified() => {
                    // Debounced: wait until the changes stop for a while.
                    while tokio::time::timeout(QUIET, due.0.notified()).await.is_ok() {}
                }
                _ = tokio::time::sleep(EVERY) => {}
            }
            // A failure is in the status the window was sent.
            let _ = sync_once(&app).await;
        }
    });
}

/// The open library, or why there is none (the recovery dialog shows).
fn library<R: Runtime>(app: &AppHandle<R>) -> Result<Shared> {
    app.try_state::<Shared>()
        .map(|s| s.inner().clone())
        .ok_or_else(|| Error::InvalidInput("no library is open".into()))
}

/// Syncs once when sync is on, and tells the window how it stands. A
/// failed sync is not an error here: the library records it, and the
/// status says what went wrong and how many changes wait.
pub async fn sync_once<R: Runtime>(app: &AppHandle<R>) -> Result<SyncStatus> {
    let runner = app.try_state::<SyncRunner>();
    let _one = match &runner {
        Some(r) => Some(r.0.lock().await),
        None => None,
    };
    let state = library(app)?;
    let status = blocking(&state, |s| {
        let mut lib = s.writer();
        if lib.sync_state()?.is_some() {
            let (_, target) = sync::target::configured(&lib)?;
            // The outcome, error or report, is kept in the library.
            let _ = sync::sync_now(&mut lib, target.remote().as_ref(), &SyncOptions::default());
        }
        sync::status(&lib)
    })
    .await?;
    emit(app, &status);
    Ok(status)
}

/// How sync stands.
pub async fn status(state: &Shared) -> Result<SyncStatus> {
    blocking(state, |s| sync::status(&s.reader())).await
}

/// Sets sync up through a folder and syncs once.
pub async fn setup_folder<R: Runtime>(
    app: &AppHandle<R>,
    path: PathBuf,
    merge: bool,
) -> Result<SyncStatus> {
    let state = library(app)?;
    blocking(&state, move |s| {
        let path = std::path::absolute(&path)
            .map_err(|e| Error::io(format!("finding the folder {}", path.display()), e))?;
        let target = Target::Folder { path };
        let remote = target.remote();
        remote.list("")?;
        sync::setup(&mut s.writer(), remote.as_ref(), &target.settings()?, merge)?;
        Ok(())
    })
    .await?;
    sync_once(app).await
}

/// Stops syncing (the files on the shared storage stay).
pub async fn off<R: Runtime>(app: &AppHandle<R>) -> Result<SyncStatus> {
    let state = library(app)?;
    let status = blocking(&state, |s| {
        let mut lib = s.writer();
        lib.sync_stop()?;
        sync::status(&lib)
    })
    .await?;
    emit(app, &status);
    Ok(status)
}
