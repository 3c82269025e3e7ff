//! Saving one page or file, with `save-progress` events: the window's Save
//! field, links and files opened with Gloss, and `gloss save` handed over
//! from a shell all save through here.

use gloss_core::model::{SaveProgress, SaveStage, StorySummary};
use gloss_core::save::{self, SaveOptions};
use tauri::{AppHandle, Runtime};

use crate::events;
use crate::state::{Shared, WriterAccess};

/// Fetches and extracts without holding the library, then stores under the
/// writer lock (the core's one save pipeline, `save::save_into`, which
/// `gloss save` runs too); reports each stage as a `save-progress` event.
pub async fn save_source<R: Runtime>(
    app: AppHandle<R>,
    state: Shared,
    input: String,
    tags: Vec<String>,
) -> gloss_core::Result<StorySummary> {
    let options = SaveOptions {
        tags,
        ..Default::default()
    };
    save_source_with(app, state, input, options)
        .await
        .map(|(_, summary)| summary)
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
            events::emit(
                &app,
                &SaveProgress {
                    source: input.clone(),
                    stage,
                    done,
                    total,
                    message,
                    id,
                },
            );
        };
    let progress = |stage: SaveStage, done: u32, total: u32| emit(stage, done, total, None, None);
    let result = save::save_into(
        &mut WriterAccess(&state),
        &state.fetcher,
        &input,
        &options,
        &progress,
    )
    .await
    .map(|saved| (saved.created, saved.story));
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
