//! Reading and organising stories.

use gloss_core::model::{
    ListQuery, SearchHit, SearchQuery, SidebarCounts, Story, StoryId, StoryPage,
};
use gloss_core::Library;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::CommandResult;
use crate::state::{blocking, Shared};

#[tauri::command]
pub async fn list_stories(state: State<'_, Shared>, query: ListQuery) -> CommandResult<StoryPage> {
    Ok(blocking(&state, move |s| s.reader().list(&query)).await?)
}

/// Everything the window's first paint needs, in one answer: the first page
/// of the list it shows and the sidebar's counts. (The theme is the window's
/// own setting, read before its script mounts.) One call instead of two
/// means one trip through IPC and one turn of the reader connection while
/// the window is starting.
#[derive(Debug, Serialize, TS)]
pub struct FirstScreen {
    pub page: StoryPage,
    pub counts: SidebarCounts,
}

#[tauri::command]
pub async fn first_screen(
    state: State<'_, Shared>,
    query: ListQuery,
) -> CommandResult<FirstScreen> {
    crate::startup_trace::mark("first-ipc-received");
    let screen = blocking(&state, move |s| {
        let reader = s.reader();
        Ok(FirstScreen {
            page: reader.list(&query)?,
            counts: reader.counts()?,
        })
    })
    .await?;
    crate::startup_trace::mark("first-ipc");
    Ok(screen)
}

#[tauri::command]
pub async fn get_story(state: State<'_, Shared>, id: StoryId) -> CommandResult<Story> {
    Ok(blocking(&state, move |s| s.reader().story(id)).await?)
}

#[tauri::command]
pub async fn sidebar_counts(state: State<'_, Shared>) -> CommandResult<SidebarCounts> {
    Ok(blocking(&state, |s| s.reader().counts()).await?)
}

#[tauri::command]
pub async fn search_stories(
    state: State<'_, Shared>,
    query: SearchQuery,
) -> CommandResult<Vec<SearchHit>> {
    Ok(blocking(&state, move |s| s.reader().search(&query)).await?)
}

#[tauri::command]
pub async fn set_starred(
    state: State<'_, Shared>,
    ids: Vec<StoryId>,
    value: bool,
) -> CommandResult<()> {
    change(&state, ids, move |lib, ids| lib.set_starred(ids, value)).await
}

#[tauri::command]
pub async fn set_archived(
    state: State<'_, Shared>,
    ids: Vec<StoryId>,
    value: bool,
) -> CommandResult<()> {
    change(&state, ids, move |lib, ids| lib.set_archived(ids, value)).await
}

#[tauri::command]
pub async fn set_read(
    state: State<'_, Shared>,
    ids: Vec<StoryId>,
    value: bool,
) -> CommandResult<()> {
    change(&state, ids, move |lib, ids| lib.set_read(ids, value)).await
}

#[tauri::command]
pub async fn set_tags(
    state: State<'_, Shared>,
    id: StoryId,
    add: Vec<String>,
    remove: Vec<String>,
) -> CommandResult<Vec<String>> {
    let tags = blocking(&state, move |s| s.writer().set_tags(id, &add, &remove)).await?;
    Ok(tags)
}

/// Saves how far a story is read. The list does not show progress, so no
/// change event: the reader scrolls often and must not make the list reload.
#[tauri::command]
pub async fn set_progress(
    state: State<'_, Shared>,
    id: StoryId,
    progress: f64,
) -> CommandResult<()> {
    Ok(blocking(&state, move |s| s.writer().set_progress(id, progress)).await?)
}

#[tauri::command]
pub async fn delete_stories(state: State<'_, Shared>, ids: Vec<StoryId>) -> CommandResult<()> {
    change(&state, ids, |lib, ids| lib.delete(ids)).await
}

/// Makes one change to some stories on the writer (the library's door
/// tells the window which stories changed: `relay_library_changes`).
async fn change(
    state: &Shared,
    ids: Vec<StoryId>,
    work: impl FnOnce(&mut Library, &[StoryId]) -> gloss_core::Result<()> + Send + 'static,
) -> CommandResult<()> {
    blocking(state, move |s| work(&mut s.writer(), &ids)).await?;
    Ok(())
}
