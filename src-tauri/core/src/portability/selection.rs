//! Which stories an export holds, and in what order. Apart from
//! `export.rs` so the writers it runs (`epub.rs`, `gloss_json.rs`) can ask
//! too without reaching back into it.

use crate::model::{ListQuery, StoryId, StorySummary};
use crate::{Library, Result};

/// The stories of a list, newest first (as the list shows them), all of them.
pub fn list_ids(lib: &Library, query: &ListQuery) -> Result<Vec<StoryId>> {
    let all = ListQuery {
        limit: None,
        before: None,
        ..query.clone()
    };
    Ok(lib.list(&all)?.stories.iter().map(|s| s.id).collect())
}

/// The summaries of `ids`, in that order (each must exist).
pub fn summaries(lib: &Library, ids: &[StoryId]) -> Result<Vec<StorySummary>> {
    ids.iter().map(|id| lib.summary(*id)).collect()
}
