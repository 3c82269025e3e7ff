//! What every export writer shares with the export that runs it: the
//! counts it reports and the step it calls after each story. Apart from
//! `export.rs` so the writers (`epub.rs`, `gloss_json.rs`) need nothing of
//! the export that calls them.

use crate::Result;

/// Called after each story an export writes; an error (a cancel) stops it.
pub type Step<'a> = &'a mut dyn FnMut() -> Result<()>;

/// What an export held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportCounts {
    pub stories: u32,
    pub images: u32,
    pub feeds: u32,
    pub annotations: u32,
}
