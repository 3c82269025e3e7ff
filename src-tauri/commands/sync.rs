//! Sync: set it up, sync now, see how it stands, turn it off (Settings ›
//! Sync and the sidebar's status line).

use gloss_core::sync::{Secrets, SyncStatus, Target};
use tauri::{AppHandle, Runtime, State};

use super::CommandResult;
use crate::services;
use crate::state::Shared;

#[tauri::command]
pub async fn sync_status(state: State<'_, Shared>) -> CommandResult<SyncStatus> {
    Ok(services::sync::status(&state).await?)
}

#[tauri::command]
pub async fn sync_now<R: Runtime>(app: AppHandle<R>) -> CommandResult<SyncStatus> {
    Ok(services::sync::sync_once(&app).await?)
}

#[tauri::command]
pub async fn sync_setup_folder<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    passphrase: Option<String>,
    merge: bool,
) -> CommandResult<SyncStatus> {
    let target = Target::Folder {
        path: path.into(),
        encrypted: passphrase.is_some(),
    };
    let secrets = Secrets {
        password: None,
        passphrase,
    };
    Ok(services::sync::setup(&app, target, secrets, merge).await?)
}

#[tauri::command]
pub async fn sync_setup_webdav<R: Runtime>(
    app: AppHandle<R>,
    url: String,
    user: String,
    password: String,
    passphrase: Option<String>,
    merge: bool,
) -> CommandResult<SyncStatus> {
    let target = Target::Webdav {
        url,
        user,
        encrypted: passphrase.is_some(),
    };
    let secrets = Secrets {
        password: Some(password),
        passphrase,
    };
    Ok(services::sync::setup(&app, target, secrets, merge).await?)
}

#[tauri::command]
pub async fn sync_off<R: Runtime>(app: AppHandle<R>) -> CommandResult<SyncStatus> {
    Ok(services::sync::off(&app).await?)
}
