//! What other programs ask the running app to do: a `gloss://save?url=…`
//! link from the browser, or a page or OPML file the desktop opens with
//! Gloss. Each goes through the same path as the window's own Save field
//! (progress, toasts, the story shown) or OPML import.
//!
//! Requests that arrive before the window's front end listens (the app was
//! started by the link) wait until it says it is ready (`launch_ready`), so
//! none of their progress or outcome is lost. `crate::launch` turns command
//! lines and links into the requests submitted here.

use std::sync::{Mutex, MutexGuard};

use gloss_cli::links::OpenRequest;
use gloss_core::save::SaveOptions;
use gloss_core::Result;
use tauri::{AppHandle, Manager, Runtime};

use crate::events::{self, AppMessage, ShowStory};
use crate::notify;
use crate::services;
use crate::state::Shared;

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
            Err(e) => events::emit(&app, &AppMessage(e.to_string())),
        }
    });
}

async fn save<R: Runtime>(app: AppHandle<R>, source: String) {
    let state = app.state::<Shared>().inner().clone();
    let options = SaveOptions::default();
    match services::saving::save_source_with(app.clone(), state, source, options).await {
        Ok((_, story)) => {
            events::emit(&app, &ShowStory(story.id));
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
    let state = app.state::<Shared>().inner().clone();
    let message = match services::feeds::import_opml(&state, path).await {
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
        Err(e) => format!("Could not import {name}: {e}"),
    };
    events::emit(&app, &AppMessage(message.clone()));
    notify::background_done(&app, "Gloss import", &message);
}
