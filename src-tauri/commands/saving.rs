//! Saving from the window: URLs and dropped or picked files (the work is
//! `crate::services::saving`, which links and `gloss save` share).

use gloss_core::model::StorySummary;
use tauri::{AppHandle, Runtime, State};

use super::CommandResult;
use crate::services::saving::save_source;
use crate::state::Shared;

#[tauri::command]
pub async fn save_url<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    url: String,
    tags: Vec<String>,
) -> CommandResult<StorySummary> {
    Ok(save_source(app, state.inner().clone(), url, tags).await?)
}

#[tauri::command]
pub async fn save_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    path: String,
    tags: Vec<String>,
) -> CommandResult<StorySummary> {
    Ok(save_source(app, state.inner().clone(), path, tags).await?)
}
