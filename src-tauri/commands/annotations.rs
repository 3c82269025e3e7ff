//! Highlights and notes from the reader and the Notebook.

use gloss_core::annotate::{Annotation, AnnotationQuery, Color, NewAnnotation, NotebookEntry};
use gloss_core::model::StoryId;
use tauri::State;

use super::CommandResult;
use crate::state::{blocking, Shared};

#[tauri::command]
pub async fn add_annotation(
    state: State<'_, Shared>,
    story_id: StoryId,
    annotation: NewAnnotation,
) -> CommandResult<Annotation> {
    let made = blocking(&state, move |s| {
        s.writer().add_annotation(story_id, annotation)
    })
    .await?;
    Ok(made)
}

#[tauri::command]
pub async fn story_annotations(
    state: State<'_, Shared>,
    story_id: StoryId,
) -> CommandResult<Vec<Annotation>> {
    Ok(blocking(&state, move |s| s.reader().annotations_of(story_id)).await?)
}

#[tauri::command]
pub async fn notebook(
    state: State<'_, Shared>,
    query: AnnotationQuery,
) -> CommandResult<Vec<NotebookEntry>> {
    Ok(blocking(&state, move |s| s.reader().notebook(&query)).await?)
}

#[tauri::command]
pub async fn update_annotation(
    state: State<'_, Shared>,
    id: i64,
    color: Option<Color>,
    note: Option<String>,
    tags: Option<Vec<String>>,
) -> CommandResult<Annotation> {
    let changed = blocking(&state, move |s| {
        s.writer().update_annotation(id, color, note, tags)
    })
    .await?;
    Ok(changed)
}

/// Deletes a highlight and returns it, so the window can offer undo by
/// adding it again with `add_annotation`.
#[tauri::command]
pub async fn delete_annotation(state: State<'_, Shared>, id: i64) -> CommandResult<Annotation> {
    let gone = blocking(&state, move |s| s.writer().delete_annotation(id)).await?;
    Ok(gone)
}
