//! Switching the window to another library file (Settings).

use std::path::PathBuf;

use gloss_core::model::LibraryInfo;
use gloss_core::Result;
use tauri::{AppHandle, Manager, Runtime};

use crate::events::notify_changed;
use crate::handoff::Listener;
use crate::state::{blocking, Shared};

/// Opens the library at `path` in place of the current one; `gloss save`
/// from a shell follows it, and the window reloads.
pub async fn open<R: Runtime>(
    app: &AppHandle<R>,
    state: &Shared,
    library: PathBuf,
) -> Result<LibraryInfo> {
    let opened = library.clone();
    let info = blocking(state, move |s| {
        s.reopen(opened)?;
        s.reader().info()
    })
    .await?;
    // `gloss save` must reach the window through the library it now shows.
    if let Some(listener) = app.try_state::<Listener>() {
        if let Err(e) = listener.follow(&library) {
            eprintln!("gloss: `gloss save` will write to the library itself: {e}");
        }
    }
    notify_changed(app, &[]);
    Ok(info)
}
