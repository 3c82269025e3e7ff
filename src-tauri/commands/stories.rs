//! Reading and organising stories.

use gloss_core::model::{
    ListFilter, ListQuery, SearchHit, SearchQuery, SidebarCounts, Story, StoryId, StoryPage,
};
use gloss_core::Library;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::CommandResult;
use crate::state::{blocking, AppState, Shared};

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

impl FirstScreen {
    fn read(lib: &Library, query: &ListQuery) -> gloss_core::Result<FirstScreen> {
        Ok(FirstScreen {
            page: lib.list(query)?,
            counts: lib.counts()?,
        })
    }
}

/// The first screen as the window asks for it when it opens: the inbox,
/// one page of `ui/src/api.ts`'s `PAGE_SIZE` (100) stories.
fn opening_query() -> ListQuery {
    ListQuery {
        filter: ListFilter::Inbox,
        limit: Some(100),
        ..ListQuery::default()
    }
}

/// A script that hands the window its first screen before the page's own
/// script runs, read (in a millisecond or two) while the window is built.
/// The first IPC of a new web view takes about 110 ms to arrive
/// (bench/startup.sh); with this the first list paints without waiting
/// for it. The page takes it only for the very query it was read for
/// (`takeFirstScreen` in ui/src/api.ts), and asks again after painting, so
/// a reload never shows it stale. `None` when the library cannot be read
/// (the page then asks as usual and shows the error).
pub fn first_screen_script(state: &AppState) -> Option<String> {
    let query = opening_query();
    let screen = FirstScreen::read(&state.reader(), &query).ok()?;
    let handed = serde_json::json!({ "query": query, "screen": screen });
    Some(format!("window.__GLOSS_FIRST_SCREEN__ = {handed};"))
}

#[tauri::command]
pub async fn first_screen(
    state: State<'_, Shared>,
    query: ListQuery,
) -> CommandResult<FirstScreen> {
    crate::startup_trace::mark("first-ipc-received");
    let screen = blocking(&state, move |s| FirstScreen::read(&s.reader(), &query)).await?;
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

#[cfg(test)]
mod tests {
    use gloss_core::library::NewStory;

    use super::*;

    #[test]
    fn the_handed_first_screen_is_the_inbox_page_the_window_asks_for() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(&dir.path().join("library.gloss")).unwrap();
        state
            .writer()
            .store_story(NewStory {
                url: "https://example.com/a".into(),
                url_key: "https://example.com/a".into(),
                title: "A story on the first screen".into(),
                html: "<p>Words.</p>".into(),
                text: "Words.".into(),
                ..Default::default()
            })
            .unwrap();
        let script = first_screen_script(&state).unwrap();
        let json = script
            .strip_prefix("window.__GLOSS_FIRST_SCREEN__ = ")
            .and_then(|s| s.strip_suffix(';'))
            .unwrap();
        let handed: serde_json::Value = serde_json::from_str(json).unwrap();
        // ui/src/lib/app.test.ts hands the page this very query.
        assert_eq!(
            handed["query"],
            serde_json::json!({"filter": "inbox", "tag": null, "feed_id": null, "limit": 100, "before": null})
        );
        assert_eq!(
            handed["screen"]["page"]["stories"][0]["title"],
            "A story on the first screen"
        );
        assert_eq!(handed["screen"]["counts"]["inbox"], 1);
        state.close();
    }
}
