//! The library's health in the app: a check after start-up, a verified
//! backup every day while the app runs, and, when the file is damaged,
//! putting a backup in its place with the user's consent.
//!
//! Start-up never waits for any of it: the check (`PRAGMA quick_check` on a
//! read-only connection of its own), run only after an unclean exit, and the
//! backups (from a minute after start-up) run on a background thread while
//! the window shows the list. When the file cannot be opened
//! at all, the app still starts, without a library, and the window shows
//! the recovery dialog: a damaged file has then already been moved aside
//! (renamed with the time, never deleted), and nothing is written until the
//! user picks a backup or an empty library.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use gloss_core::clock::now_ms;
use gloss_core::library::durability::restore::{replace_library, KeepOld, Replacement};
use gloss_core::library::durability::{aside, backups, health};
use gloss_core::model::{BackupKind, HealthState, LibraryHealth};
use gloss_core::{Error, Result};
use tauri::{AppHandle, Manager, Runtime};

use crate::events;
use crate::state::{AppState, Shared};

/// How long after start-up the first daily backup may be taken.
const FIRST_BACKUP_AFTER: Duration = Duration::from_secs(60);

/// How often the background thread asks whether a daily backup is due.
const BACKUP_POLL: Duration = Duration::from_secs(60 * 60);

/// The library's health as the app knows it.
pub struct Recovery {
    /// The library file the app was started with (when none could be opened).
    path: PathBuf,
    /// `None` until the first check; the async lock makes a second asker
    /// wait for the check under way instead of starting another.
    health: tokio::sync::Mutex<Option<LibraryHealth>>,
}

impl Recovery {
    /// The library opened: its health is known after [`Recovery::health`].
    pub fn opened(path: PathBuf) -> Recovery {
        Recovery {
            path,
            health: tokio::sync::Mutex::new(None),
        }
    }

    /// The library opened after a clean exit: sound as far as anyone can
    /// tell without reading the whole file, which the daily backup's check
    /// does later. Start-up reads nothing more.
    pub fn opened_sound(path: PathBuf) -> Recovery {
        let health = health_of(&path, HealthState::Ok, None, None);
        Recovery::known(path, health)
    }

    /// The library could not be opened. A damaged file is moved aside now,
    /// so that the user sees a clear choice and nothing is written into it.
    pub fn failed(path: PathBuf, error: &Error) -> Recovery {
        let health = match error {
            Error::Damaged(_) => {
                let now = now_ms();
                match aside::set_aside(&path, now) {
                    Ok(aside) => damaged(&path, error.to_string(), Some(aside)),
                    Err(e) => damaged(&path, format!("{error}; {e}"), None),
                }
            }
            other => health_of(
                &path,
                HealthState::Unavailable,
                Some(other.to_string()),
                None,
            ),
        };
        Recovery::known(path, health)
    }

    fn known(path: PathBuf, health: LibraryHealth) -> Recovery {
        Recovery {
            path,
            health: tokio::sync::Mutex::new(Some(health)),
        }
    }

    /// The health, checking the file first if nobody has yet.
    pub async fn health<R: Runtime>(&self, app: &AppHandle<R>) -> Result<LibraryHealth> {
        let mut known = self.health.lock().await;
        if let Some(h) = known.as_ref() {
            return Ok(h.clone());
        }
        let state = app.try_state::<Shared>().map(|s| s.inner().clone());
        let fallback = self.path.clone();
        let checked = tauri::async_runtime::spawn_blocking(move || {
            let path = state.map(|s| s.path()).unwrap_or(fallback);
            check(&path)
        })
        .await
        .map_err(|e| Error::io("checking the library", std::io::Error::other(e.to_string())))?;
        *known = Some(checked.clone());
        Ok(checked)
    }

    async fn set<R: Runtime>(&self, app: &AppHandle<R>, health: LibraryHealth) {
        *self.health.lock().await = Some(health.clone());
        // Sent when the health changes (a check found damage, a backup
        // failed, a backup was put back).
        events::emit(app, &health);
    }
}

/// The health of the library at `path`, with the backups there are.
fn health_of(
    path: &Path,
    state: HealthState,
    message: Option<String>,
    set_aside: Option<PathBuf>,
) -> LibraryHealth {
    LibraryHealth {
        path: path.display().to_string(),
        state,
        message,
        set_aside: set_aside.map(|p| p.display().to_string()),
        backups: backups::list(path).unwrap_or_default(),
        backup_error: None,
    }
}

fn damaged(path: &Path, message: String, set_aside: Option<PathBuf>) -> LibraryHealth {
    health_of(path, HealthState::Damaged, Some(message), set_aside)
}

/// Checks the open library's file (blocking: run it off the async runtime).
fn check(path: &Path) -> LibraryHealth {
    match health::check_file(path) {
        Ok(problems) if problems.is_empty() => health_of(path, HealthState::Ok, None, None),
        Ok(problems) => damaged(
            path,
            format!(
                "the library is damaged: {} failed its check ({})",
                path.display(),
                problems.join("; ")
            ),
            None,
        ),
        Err(e) => damaged(path, e.to_string(), None),
    }
}

/// Starts the background work: the check, then a daily backup whenever
/// one is due. Only while a library is open; call again after a restore.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("gloss-durability".into())
        .spawn(move || {
            let Some(recovery) = app.try_state::<Recovery>() else {
                return;
            };
            let health = tauri::async_runtime::block_on(recovery.health(&app));
            match health {
                Ok(h) if h.state == HealthState::Ok => {}
                Ok(h) => {
                    // The window may have asked already; tell it either way.
                    events::emit(&app, &h);
                    return;
                }
                Err(_) => return,
            }
            // The first backup of the day copies and checks the whole file:
            // not while the window is starting.
            std::thread::sleep(FIRST_BACKUP_AFTER);
            loop {
                let Some(state) = app.try_state::<Shared>().map(|s| s.inner().clone()) else {
                    return;
                };
                if !daily_backup(&app, &recovery, &state) {
                    return;
                }
                std::thread::sleep(BACKUP_POLL);
            }
        });
    // Without the thread there are no automatic backups; the app still runs.
    if let Err(e) = spawned {
        eprintln!("gloss: automatic backups are off: {e}");
    }
}

/// Takes the daily backup when it is due; a failure is kept in the health
/// and sent to the window (the copy that failed was deleted). False when
/// the library turned out damaged: no more backups until it is replaced.
fn daily_backup<R: Runtime>(app: &AppHandle<R>, recovery: &Recovery, state: &AppState) -> bool {
    let path = state.path();
    let due = backups::daily_due(&path, now_ms());
    let result = match due {
        Ok(false) => return true,
        Ok(true) => backups::take_of_file(&path, BackupKind::Daily).map(|_| ()),
        Err(e) => Err(e),
    };
    tauri::async_runtime::block_on(async {
        let mut health = match recovery.health.lock().await.clone() {
            Some(h) => h,
            None => return true,
        };
        health.backups = backups::list(&path).unwrap_or_default();
        health.backup_error = result.as_ref().err().map(|e| e.to_string());
        // A copy that fails its check may mean the library itself is damaged.
        if let Err(Error::Damaged(_)) = &result {
            let checked = check(&path);
            if checked.state != HealthState::Ok {
                health = LibraryHealth {
                    backup_error: health.backup_error,
                    ..checked
                };
            }
        }
        let sound = health.state == HealthState::Ok;
        recovery.set(app, health).await;
        sound
    })
}

/// Puts the backup `backup` in place of the library, with the user's
/// consent: the damaged file (if it is still there) is moved aside, the
/// backup checked and copied in, and the library opened again.
pub async fn restore<R: Runtime>(app: &AppHandle<R>, backup: PathBuf) -> Result<LibraryHealth> {
    replace(app, Some(backup)).await
}

/// Starts over with an empty library in place of a damaged one (the
/// damaged file is kept aside).
pub async fn start_empty<R: Runtime>(app: &AppHandle<R>) -> Result<LibraryHealth> {
    replace(app, None).await
}

async fn replace<R: Runtime>(app: &AppHandle<R>, backup: Option<PathBuf>) -> Result<LibraryHealth> {
    let recovery = app
        .try_state::<Recovery>()
        .ok_or_else(|| Error::InvalidInput("the app has no recovery state".into()))?;
    let current = recovery.health(app).await?;
    match current.state {
        HealthState::Damaged => {}
        HealthState::Ok => {
            return Err(Error::InvalidInput(
                "the library is sound; nothing was replaced".into(),
            ))
        }
        // Not a library, or not reachable: the file is not Gloss's to replace.
        HealthState::Unavailable => {
            return Err(Error::InvalidInput(format!(
                "{}; nothing was replaced",
                current
                    .message
                    .as_deref()
                    .unwrap_or("the library cannot be opened")
            )))
        }
    }
    let state = app.try_state::<Shared>().map(|s| s.inner().clone());
    let path = state
        .as_ref()
        .map(|s| s.path())
        .unwrap_or_else(|| recovery.path.clone());
    let mut set_aside = current.set_aside.clone();
    let (opened, aside) = tauri::async_runtime::spawn_blocking(move || {
        // The core's one sequence: the backup checked before anything moves,
        // then the damaged file (if still there) set aside, then the backup in.
        let change = |path: &Path| -> Result<Option<PathBuf>> {
            let replacement = match &backup {
                Some(b) => Replacement::Backup(b),
                None => Replacement::Empty,
            };
            Ok(replace_library(path, replacement, KeepOld::AsDamaged)?.previous)
        };
        match state {
            Some(state) => {
                let mut aside = None;
                state.replace_file(|p| {
                    aside = change(p)?;
                    Ok(())
                })?;
                Ok::<_, Error>((None, aside))
            }
            None => {
                let aside = change(&path)?;
                Ok((Some(AppState::open(&path)?), aside))
            }
        }
    })
    .await
    .map_err(|e| {
        Error::io(
            "replacing the library",
            std::io::Error::other(e.to_string()),
        )
    })??;
    if aside.is_some() {
        set_aside = aside.map(|p| p.display().to_string());
    }
    if let Some(state) = opened {
        crate::events::relay_library_changes(app, &state);
        app.manage::<Shared>(Arc::clone(&state));
    }
    let path = app
        .try_state::<Shared>()
        .map(|s| s.path())
        .unwrap_or_default();
    let mut health = tauri::async_runtime::spawn_blocking(move || check(&path))
        .await
        .map_err(|e| Error::io("checking the library", std::io::Error::other(e.to_string())))?;
    health.set_aside = set_aside;
    recovery.set(app, health.clone()).await;
    events::notify_changed(app, &[]);
    // The background work stopped when the damage was found; it starts again
    // on the file now in place.
    start(app);
    Ok(health)
}
