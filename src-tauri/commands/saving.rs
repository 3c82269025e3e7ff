//! Saving from the window: URLs and dropped or picked files.

use gloss_core::model::{SaveProgress, SaveStage, StorySummary};
use gloss_core::save::{self, SaveOptions, Source};
use tauri::{AppHandle, Emitter, Runtime, State};

use super::{CommandResult, SAVE_PROGRESS};
use crate::state::{blocking, Shared};

#[tauri::command]
pub async fn save_url<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    url: String,
    tags: Vec<String>,
) -> CommandResult<StorySummary> {
    save_source(app, state.inner().clone(), url, tags).await
}

#[tauri::command]
pub async fn save_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    path: String,
    tags: Vec<String>,
) -> CommandResult<StorySummary> {
    save_source(app, state.inner().clone(), path, tags).await
}

/// Fetches and extracts without holding the library, then stores under the
/// writer lock; reports each stage as a `save-progress` event.
pub async fn save_source<R: Runtime>(
    app: AppHandle<R>,
    state: Shared,
    input: String,
    tags: Vec<String>,
) -> CommandResult<StorySummary> {
    let options = SaveOptions {
        tags,
        ..Default::default()
    };
    save_source_with(app, state, input, options)
        .await
        .map(|(_, summary)| summary)
        .map_err(Into::into)
}

/// [`save_source`] with every option of `gloss save` (saves handed over by
/// the command line); also tells whether the story is new.
pub async fn save_source_with<R: Runtime>(
    app: AppHandle<R>,
    state: Shared,
    input: String,
    options: SaveOptions,
) -> gloss_core::Result<(bool, StorySummary)> {
    let emit =
        |stage: SaveStage, done: u32, total: u32, message: Option<String>, id: Option<i64>| {
            let _ = app.emit(
                SAVE_PROGRESS,
                SaveProgress {
                    source: input.clone(),
                    stage,
                    done,
                    total,
                    message,
                    id,
                },
            );
        };
    let result = async {
        let source = Source::parse(&input)?;
        let progress =
            |stage: SaveStage, done: u32, total: u32| emit(stage, done, total, None, None);
        let story = save::prepare(&state.fetcher, &source, &options, &progress).await?;
        emit(SaveStage::Storing, 0, 0, None, None);
        blocking(&state, move |s| {
            let mut lib = s.writer();
            let outcome = lib.store_story(story)?;
            Ok((outcome.created, lib.summary(outcome.id)?))
        })
        .await
    }
    .await;
    match result {
        Ok((created, summary)) => {
            emit(SaveStage::Done, 0, 0, None, Some(summary.id));
            Ok((created, summary))
        }
        Err(e) => {
            emit(SaveStage::Failed, 0, 0, Some(e.to_string()), None);
            Err(e)
        }
    }
}
