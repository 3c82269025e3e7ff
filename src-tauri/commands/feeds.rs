//! Feeds from the window: subscribe, refresh with progress, organise, read.

use gloss_core::feeds::{
    self, CancellationToken, FeedsInLibrary, RefreshOptions, SubscribeOptions,
};
use gloss_core::model::{
    FeedInfo, FeedProgress, FeedRefreshResult, FeedSettings, FolderInfo, ImportSummary, ListQuery,
    StoryId, StorySummary,
};
use gloss_core::Error;
use tauri::{AppHandle, Runtime, State};

use super::CommandResult;
use crate::events;
use crate::services;
use crate::state::{blocking, Shared, WriterAccess};

#[tauri::command]
pub async fn list_feeds(state: State<'_, Shared>) -> CommandResult<Vec<FeedInfo>> {
    Ok(blocking(&state, |s| s.reader().feeds()).await?)
}

#[tauri::command]
pub async fn list_folders(state: State<'_, Shared>) -> CommandResult<Vec<FolderInfo>> {
    Ok(blocking(&state, |s| s.reader().folders()).await?)
}

/// Subscribes to a feed, or to the feed a site's home page names, and
/// stores its current items.
#[tauri::command]
pub async fn add_feed(
    state: State<'_, Shared>,
    url: String,
    folder: Option<String>,
    full_text: bool,
) -> CommandResult<FeedInfo> {
    let options = SubscribeOptions { folder, full_text };
    let (feed, _) = feeds::subscribe(
        &mut WriterAccess(&state),
        &state.fetcher,
        &url,
        &options,
        &RefreshOptions::default(),
    )
    .await?;
    Ok(feed)
}

/// Unsubscribes; returns how many of its stories were deleted (starred,
/// annotated and tagged ones stay, and all of them with `keep_stories`).
#[tauri::command]
pub async fn remove_feed(
    state: State<'_, Shared>,
    id: i64,
    keep_stories: bool,
) -> CommandResult<u32> {
    let deleted = blocking(&state, move |s| s.writer().remove_feed(id, keep_stories)).await?;
    Ok(deleted)
}

#[tauri::command]
pub async fn update_feed(
    state: State<'_, Shared>,
    id: i64,
    settings: FeedSettings,
) -> CommandResult<FeedInfo> {
    let feed = blocking(&state, move |s| s.writer().update_feed(id, &settings)).await?;
    Ok(feed)
}

/// Refreshes the feeds `ids` (all when empty), reporting each feed as a
/// `feeds-progress` event. One refresh runs at a time; a second call waits.
#[tauri::command]
pub async fn refresh_feeds<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    ids: Vec<i64>,
) -> CommandResult<Vec<FeedRefreshResult>> {
    let _one_at_a_time = state.refreshing.lock().await;
    let cancel = CancellationToken::new();
    *state
        .refresh_cancel
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = cancel.clone();
    let mut progress = |p: &FeedProgress| events::emit(&app, p);
    let results = feeds::refresh_library(
        &mut WriterAccess(&state),
        &state.fetcher,
        &ids,
        &RefreshOptions::default(),
        &cancel,
        &mut progress,
    )
    .await?;
    crate::notify::feeds_refreshed(&app, &results);
    Ok(results)
}

/// Stops the refresh under way; feeds not finished report `cancelled`.
#[tauri::command]
pub fn cancel_refresh(state: State<'_, Shared>) {
    state
        .refresh_cancel
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .cancel();
}

/// Marks every story of a list read; returns their ids for undo.
#[tauri::command]
pub async fn mark_all_read(
    state: State<'_, Shared>,
    query: ListQuery,
) -> CommandResult<Vec<StoryId>> {
    let ids = blocking(&state, move |s| s.writer().mark_all_read(&query)).await?;
    Ok(ids)
}

/// The next unread story of a list after `after` (wrapping round).
#[tauri::command]
pub async fn next_unread(
    state: State<'_, Shared>,
    query: ListQuery,
    after: Option<StoryId>,
) -> CommandResult<Option<StorySummary>> {
    Ok(blocking(&state, move |s| s.reader().next_unread(&query, after)).await?)
}

#[tauri::command]
pub async fn import_opml(state: State<'_, Shared>, path: String) -> CommandResult<ImportSummary> {
    Ok(services::feeds::import_opml(&state, path).await?)
}

#[tauri::command]
pub async fn export_opml(state: State<'_, Shared>, path: String) -> CommandResult<()> {
    let text = blocking(&state, |s| s.reader().export_opml()).await?;
    std::fs::write(&path, text).map_err(|e| Error::io(format!("writing {path}"), e))?;
    Ok(())
}

#[tauri::command]
pub async fn add_folder(state: State<'_, Shared>, name: String) -> CommandResult<FolderInfo> {
    let folder = blocking(&state, move |s| s.writer().add_folder(&name)).await?;
    Ok(folder)
}

#[tauri::command]
pub async fn rename_folder(state: State<'_, Shared>, id: i64, name: String) -> CommandResult<()> {
    blocking(&state, move |s| s.writer().rename_folder(id, &name)).await?;
    Ok(())
}

/// Deletes a folder; its feeds stay, outside any folder.
#[tauri::command]
pub async fn delete_folder(state: State<'_, Shared>, id: i64) -> CommandResult<()> {
    blocking(&state, move |s| s.writer().delete_folder(id)).await?;
    Ok(())
}
