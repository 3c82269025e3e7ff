//! Sync in the window: at start (the window asks once it has painted), a
//! few seconds after a change, every ten minutes, and when the user asks.
//! Each sync runs on the blocking pool, never on the UI thread, one at a
//! time; how it went reaches the window as a `sync-status` event. Offline
//! is normal: the sync fails, the library records why, the changes wait
//! and go out with a later sync.

use std::sync::Arc;
use std::time::Duration;

use gloss_core::sync::remote::Remote;
use gloss_core::sync::{self, Secrets, SyncOptions, SyncStatus, Target};
use gloss_core::{Error, Result};
use tauri::{AppHandle, Manager, Runtime};

use crate::events::emit;
use crate::state::{blocking, AppState, Shared, SyncDue};

/// How long the library must be quiet after a change before it syncs.
const QUIET: Duration = Duration::from_secs(3);

/// How often it syncs with no change here (to hear of the others').
const EVERY: Duration = Duration::from_secs(600);

/// The shared storage as last opened, with the settings it was opened for:
/// opening encrypted storage costs one scrypt (3.2 s in bench/sync.sh), so
/// it is done once.
type Opened = (String, Arc<dyn Remote>);

/// One sync at a time: the loop's and the user's wait for each other. It
/// keeps the opened storage between syncs.
#[derive(Default)]
pub struct SyncRunner(tokio::sync::Mutex<Option<Opened>>);

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
    let mut kept = match &runner {
        Some(r) => Some(r.0.lock().await),
        None => None,
    };
    let state = library(app)?;
    let cached = kept.as_deref().cloned().flatten();
    // Opened without the writer: opening may take a second (scrypt) and
    // reaches the network.
    let opened = blocking(&state, move |s| open(s, cached)).await?;
    let remote = opened.as_ref().map(|(_, remote)| Arc::clone(remote));
    let (status, synced) = blocking(&state, move |s| {
        let mut lib = s.writer();
        // The outcome, error or report, is kept in the library.
        let synced = match &remote {
            Some(remote) => {
                sync::sync_now(&mut lib, remote.as_ref(), &SyncOptions::default()).is_ok()
            }
            None => false,
        };
        Ok((sync::status(&lib)?, synced))
    })
    .await?;
    if let Some(kept) = kept.as_deref_mut() {
        // A failed sync opens the storage afresh next time (a password
        // changed, a server moved).
        *kept = opened.filter(|_| synced);
    }
    emit(app, &status);
    Ok(status)
}

/// The storage the library syncs to, opened (or as kept from the last
/// sync), or `None` when sync is off or the storage cannot be opened; the
/// library then records why, as a failed sync would.
fn open(s: &AppState, cached: Option<Opened>) -> Result<Option<Opened>> {
    let Some(sync_state) = s.reader().sync_state()? else {
        return Ok(None);
    };
    if let Some(cached) = cached.filter(|(settings, _)| *settings == sync_state.settings) {
        return Ok(Some(cached));
    }
    match Target::of(&sync_state).and_then(|target| target.remote(&sync_state.device)) {
        Ok(remote) => Ok(Some((sync_state.settings, Arc::from(remote)))),
        Err(e) => {
            s.writer().sync_finished(Some(&e.to_string()), None)?;
            Ok(None)
        }
    }
}

/// How sync stands.
pub async fn status(state: &Shared) -> Result<SyncStatus> {
    blocking(state, |s| sync::status(&s.reader())).await
}

/// Sets sync up (a folder or a WebDAV server, encrypted or not) and syncs
/// once.
pub async fn setup<R: Runtime>(
    app: &AppHandle<R>,
    target: Target,
    secrets: Secrets,
    merge: bool,
) -> Result<SyncStatus> {
    let state = library(app)?;
    let target = match target {
        Target::Folder { path, encrypted } => Target::Folder {
            path: std::path::absolute(&path)
                .map_err(|e| Error::io(format!("finding the folder {}", path.display()), e))?,
            encrypted,
        },
        webdav => webdav,
    };
    let settings = target.settings()?;
    let remote = blocking(&state, move |s| {
        let (_, remote) = sync::target::set_up(&mut s.writer(), &target, &secrets, merge)?;
        Ok(remote)
    })
    .await?;
    if let Some(runner) = app.try_state::<SyncRunner>() {
        *runner.0.lock().await = Some((settings, Arc::from(remote)));
    }
    sync_once(app).await
}

/// Stops syncing (the files on the shared storage stay).
pub async fn off<R: Runtime>(app: &AppHandle<R>) -> Result<SyncStatus> {
    let state = library(app)?;
    let status = blocking(&state, |s| {
        let mut lib = s.writer();
        // The secrets go with the setting; a keyring that cannot be
        // reached does not keep sync on.
        if let Some(state) = lib.sync_state()? {
            let _ = sync::target::forget(&state.device);
        }
        lib.sync_stop()?;
        sync::status(&lib)
    })
    .await?;
    if let Some(runner) = app.try_state::<SyncRunner>() {
        *runner.0.lock().await = None;
    }
    emit(app, &status);
    Ok(status)
}
