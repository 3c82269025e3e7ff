//! The library file itself, and leaving the app for the browser.

use gloss_core::model::LibraryInfo;
use tauri::{AppHandle, Runtime, State};

use super::CommandResult;
use crate::services;
use crate::state::{blocking, Shared};

#[tauri::command]
pub async fn library_info(state: State<'_, Shared>) -> CommandResult<LibraryInfo> {
    Ok(blocking(&state, |s| s.reader().info()).await?)
}

#[tauri::command]
pub async fn open_library<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    path: String,
) -> CommandResult<LibraryInfo> {
    Ok(services::library::open(&app, &state, path.into()).await?)
}

/// Opens a link from a story in the system browser: http, https and mailto
/// only, so a story cannot make the app open a file or run a program.
#[tauri::command]
pub async fn open_external(url: String) -> CommandResult<()> {
    Ok(services::browser::open_external(&url)?)
}
