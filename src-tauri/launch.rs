//! What other programs ask the running app to do: a `gloss://save?url=…`
//! link from the browser, or a page or OPML file the desktop opens with
//! Gloss. Each goes through the same path as the window's own Save field
//! (progress, toasts, the story shown) or OPML import.
//!
//! Requests that arrive before the window's front end listens (the app was
//! started by the link) wait until it says it is ready (`launch_ready`), so
//! none of their progress or outcome is lost.

use std::sync::{Mutex, MutexGuard};

use gloss_cli::links::OpenRequest;
use gloss_core::save::SaveOptions;
use gloss_core::Result;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::commands;
use crate::notify;
use crate::state::Shared;

/// Event: open this story (payload: its id) after a link or file saved it.
pub const SHOW_STORY: &str = "show-story";
/// Event: a sentence for the user (a refused link, an import's outcome).
pub const APP_MESSAGE: &str = "app-message";

/// The requests waiting for the front end, and whether it is ready.
#[derive(Default)]
pub struct Launches(Mutex<Queue>);

#[derive(Default)]
struct Queue {
    ready: bool,
    waiting: Vec<Result<OpenRequest>>,
}

impl Launches {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Carries out a request now, or once the front end is ready.
    pub fn submit<R: Runtime>(&self, app: &AppHandle<R>, request: Result<OpenRequest>) {
        let mut queue = self.lock();
        if queue.ready {
            drop(queue);
            perform(app.clone(), request);
        } else {
            queue.waiting.push(request);
        }
    }

    /// The front end listens now: carry out what waited, in order.
    pub fn ready<R: Runtime>(&self, app: &AppHandle<R>) {
        let waiting = {
            let mut queue = self.lock();
            queue.ready = true;
            std::mem::take(&mut queue.waiting)
        };
        for request in waiting {
            perform(app.clone(), request);
        }
    }
}

/// Runs one request on the async runtime; a refusal becomes a message.
fn perform<R: Runtime>(app: AppHandle<R>, request: Result<OpenRequest>) {
    tauri::async_runtime::spawn(async move {
        // No library could be opened (the recovery dialog is showing):
        // nothing to save into until the user picks one.
        let request = request.and_then(|r| match app.try_state::<Shared>() {
            Some(_) => Ok(r),
            None => Err(gloss_core::Error::InvalidInput(
                "no library is open; choose a backup or an empty library first".into(),
            )),
        });
        match request {
            Ok(OpenRequest::SaveUrl(url)) => save(app, url.to_string()).await,
            Ok(OpenRequest::SaveFile(path)) => save(app, path.to_string_lossy().into_owned()).await,
            Ok(OpenRequest::ImportOpml(path)) => {
                import(app, path.to_string_lossy().into_owned()).await
            }
            Err(e) => {
                let _ = app.emit(APP_MESSAGE, e.to_string());
            }
        }
    });
}

async fn save<R: Runtime>(app: AppHandle<R>, source: String) {
    let state = app.state::<Shared>().inner().clone();
    let options = SaveOptions::default();
    match commands::save_source_with(app.clone(), state, source, options).await {
        Ok((_, story)) => {
            let _ = app.emit(SHOW_STORY, story.id);
            notify::background_done(&app, "Saved to Gloss", &story.title);
        }
        // The window shows the failure on the save's own line, with Retry.
        Err(e) => notify::background_done(&app, "Gloss could not save a page", &e.to_string()),
    }
}

async fn import<R: Runtime>(app: AppHandle<R>, path: String) {
    let name = std::path::Path::new(&path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.clone());
    let message = match commands::import_opml(app.state(), path).await {
        Ok(summary) => {
            let mut text = format!(
                "Imported {name}: {} new feeds, {} already followed.",
                summary.added, summary.existing
            );
            if !summary.skipped.is_empty() {
                text.push_str(&format!(" {} entries skipped.", summary.skipped.len()));
            }
            text
        }
        Err(e) => format!("Could not import {name}: {}", e.message()),
    };
    let _ = app.emit(APP_MESSAGE, &message);
    notify::background_done(&app, "Gloss import", &message);
}
