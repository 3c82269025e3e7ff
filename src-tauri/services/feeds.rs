//! Feed work that more than the window asks for: an OPML file opened with
//! Gloss imports the same way as one picked in Settings.

use gloss_core::feeds::{self, FeedsInLibrary};
use gloss_core::model::ImportSummary;
use gloss_core::{Error, Result};

use crate::state::{blocking, Shared};

/// Subscribes to the feeds of the OPML file at `path` (folders kept).
/// The window hears of the new feeds from the library's change door.
pub async fn import_opml(state: &Shared, path: String) -> Result<ImportSummary> {
    let bytes = std::fs::read(&path).map_err(|e| Error::io(format!("reading {path}"), e))?;
    let doc = feeds::read_opml(&bytes)?;
    let summary = blocking(state, move |s| s.writer().import_opml(&doc)).await?;
    Ok(summary)
}
