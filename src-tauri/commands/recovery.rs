//! The library's health and putting a backup in place of a damaged file
//! (see `crate::services::recovery`). Restoring happens only when the user asks.

use gloss_core::model::LibraryHealth;
use tauri::{AppHandle, Runtime, State};

use super::CommandResult;
use crate::services::recovery::{self, Recovery};

/// Whether the library is sound, with the backups that could replace it.
/// Waits for the start-up check if it is still running.
#[tauri::command]
pub async fn library_health<R: Runtime>(
    app: AppHandle<R>,
    recovery: State<'_, Recovery>,
) -> CommandResult<LibraryHealth> {
    Ok(recovery.health(&app).await?)
}

/// Replaces a damaged library with the backup at `path` (one of those
/// `library_health` lists, or another backup file); the damaged file is
/// kept aside.
#[tauri::command]
pub async fn restore_backup<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> CommandResult<LibraryHealth> {
    Ok(recovery::restore(&app, path.into()).await?)
}

/// Starts with an empty library in place of a damaged one (kept aside).
#[tauri::command]
pub async fn start_empty_library<R: Runtime>(app: AppHandle<R>) -> CommandResult<LibraryHealth> {
    Ok(recovery::start_empty(&app).await?)
}
