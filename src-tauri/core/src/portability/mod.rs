//! Moving stories and annotations out of (and later into) Gloss in formats
//! other tools read.
//!
//! - [`annotations`]: W3C Web Annotation JSON and JSON-LD, Markdown notes.
//! - [`export_markdown`]: one Markdown file per story in a folder.
//! - [`export_annotations`]: every annotation as one JSON-LD collection.

pub mod annotations;

use std::path::Path;

use crate::annotate::AnnotationQuery;
use crate::model::{ListQuery, StoryId};
use crate::{extract, Error, Library, Result};

/// Writes one Markdown file per story into `dir` (created if needed): front
/// matter, highlights with their notes, then the story. Returns how many.
pub fn export_markdown(lib: &Library, dir: &Path) -> Result<u32> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let ids: Vec<StoryId> = lib
        .list(&ListQuery::default())?
        .stories
        .iter()
        .map(|s| s.id)
        .collect();
    for id in &ids {
        let story = lib.story(*id)?;
        let notes = lib.annotations_of(*id)?;
        let body = extract::html_to_markdown(&story.html);
        let text = annotations::story_markdown(&story, &notes, &body);
        let path = dir.join(annotations::markdown_file_name(&story));
        std::fs::write(&path, text)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    }
    Ok(ids.len() as u32)
}

/// Every annotation in the library as a W3C JSON-LD collection.
pub fn export_annotations(lib: &Library) -> Result<serde_json::Value> {
    let all = lib.notebook(&AnnotationQuery {
        limit: Some(u32::MAX),
        ..Default::default()
    })?;
    let items: Vec<_> = all
        .into_iter()
        .map(|e| (e.annotation, e.story_url))
        .collect();
    Ok(annotations::json_ld(&items))
}
