//! How sync stands, as `gloss sync status` prints it and the window shows
//! it (Settings › Sync and the sidebar): one type for both.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::target::Target;
use super::SyncReport;
use crate::{Library, Result};

/// The status of sync in one library.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SyncStatus {
    pub on: bool,
    /// Where it syncs to, in words ("folder /home/me/Sync/gloss").
    pub target: Option<String>,
    /// The folder's path when the target is a folder (to edit it).
    pub folder: Option<String>,
    /// The WebDAV address and user when the target is a WebDAV server.
    pub url: Option<String>,
    pub user: Option<String>,
    /// Every file on the shared storage is encrypted.
    pub encrypted: bool,
    pub device: Option<String>,
    /// RFC 3339, UTC.
    pub last_sync: Option<String>,
    /// Local changes that have not gone out yet.
    pub waiting: u32,
    pub last_error: Option<String>,
    pub last_report: Option<SyncReport>,
}

/// Reads the status from the library.
pub fn status(lib: &Library) -> Result<SyncStatus> {
    let Some(state) = lib.sync_state()? else {
        return Ok(SyncStatus::default());
    };
    let target = Target::of(&state).ok();
    let webdav = target.as_ref().and_then(Target::webdav);
    Ok(SyncStatus {
        on: true,
        target: Some(target.as_ref().map(Target::describe).unwrap_or_default()),
        folder: target.as_ref().and_then(Target::folder),
        url: webdav.as_ref().map(|(url, _)| url.clone()),
        user: webdav.map(|(_, user)| user),
        encrypted: target.as_ref().is_some_and(Target::encrypted),
        device: Some(state.device.clone()),
        last_sync: state.last_sync.clone(),
        waiting: state.waiting,
        last_error: state.last_error.clone(),
        last_report: state
            .last_report
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok()),
    })
}
