//! Saving one page or file, with `save-progress` events: the window's Save
//! field, links and files opened with Gloss, `gloss save` handed over from
//! a shell and pages sent by the browser extension all save through here.

use gloss_core::annotate::TextQuoteSelector;
use gloss_core::model::{SaveProgress, SaveStage, StorySummary};
use gloss_core::save::{self, SaveOptions, SavedPage, SuppliedPage};
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
    let reporter = Reporter {
        app: &app,
        source: input.clone(),
    };
    let progress = |stage: SaveStage, done: u32, total: u32| reporter.stage(stage, done, total);
    let result = save::save_into(
        &mut WriterAccess(&state),
        &state.fetcher,
        &input,
        &options,
        &progress,
    )
    .await;
    reporter.end(result.as_ref().map(|saved| saved.story.id));
    result.map(|saved| (saved.created, saved.story))
}

/// Saves a page as the browser showed it (the browser extension, through
/// `gloss native-host` and the handoff), and its selection as a highlight.
pub async fn save_page_with<R: Runtime>(
    app: AppHandle<R>,
    state: Shared,
    page: SuppliedPage,
    selection: Option<TextQuoteSelector>,
    options: SaveOptions,
) -> gloss_core::Result<SavedPage> {
    let reporter = Reporter {
        app: &app,
        source: page.url.to_string(),
    };
    let progress = |stage: SaveStage, done: u32, total: u32| reporter.stage(stage, done, total);
    let result = save::save_page_into(
        &mut WriterAccess(&state),
        &state.fetcher,
        &page,
        selection.as_ref(),
        &options,
        &progress,
    )
    .await;
    reporter.end(result.as_ref().map(|page| page.saved.story.id));
    result
}

/// Tells the window how one save goes, as `save-progress` events.
struct Reporter<'a, R: Runtime> {
    app: &'a AppHandle<R>,
    source: String,
}

impl<R: Runtime> Reporter<'_, R> {
    fn emit(
        &self,
        stage: SaveStage,
        done: u32,
        total: u32,
        message: Option<String>,
        id: Option<i64>,
    ) {
        events::emit(
            self.app,
            &SaveProgress {
                source: self.source.clone(),
                stage,
                done,
                total,
                message,
                id,
            },
        );
    }

    fn stage(&self, stage: SaveStage, done: u32, total: u32) {
        self.emit(stage, done, total, None, None);
    }

    /// The save ended: with the story's id, or failed with why.
    fn end(&self, result: Result<i64, &gloss_core::Error>) {
        match result {
            Ok(id) => self.emit(SaveStage::Done, 0, 0, None, Some(id)),
            Err(e) => self.emit(SaveStage::Failed, 0, 0, Some(e.to_string()), None),
        }
    }
}
