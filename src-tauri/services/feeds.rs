//! Feed work that more than the window asks for: an OPML file opened with
//! Gloss imports the same way as one picked in Settings.

use gloss_core::feeds;
use gloss_core::model::ImportSummary;
use gloss_core::{Error, Result};
use tauri::{AppHandle, Runtime};

use crate::events::notify_changed;
use crate::state::{blocking, Shared};

/// Subscribes to the feeds of the OPML file at `path` (folders kept).
pub async fn import_opml<R: Runtime>(
    app: &AppHandle<R>,
    state: &Shared,
    path: String,
) -> Result<ImportSummary> {
    let bytes = std::fs::read(&path).map_err(|e| Error::io(format!("reading {path}"), e))?;
    let doc = feeds::read_opml(&bytes)?;
    let summary = blocking(state, move |s| s.writer().import_opml(&doc)).await?;
    notify_changed(app, &[]);
    Ok(summary)
}
