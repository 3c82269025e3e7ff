//! Moving into Gloss from other readers and out of it to other tools
//! (docs/portability.md has the decisions: merge rules, ZIP limits, the
//! export layout).
//!
//! Imports: [`detect`] tells the format, one module per format reads it
//! into [`item::Item`]s ([`pocket`], [`instapaper`], [`omnivore`],
//! [`wallabag`], [`readwise`], [`netscape`], [`gloss_json`]; OPML is
//! `feeds::opml`), [`import`] writes them, [`fetch`] gets the content of
//! those that came as links only. [`zipread`] and [`csvread`] read the
//! containers safely, [`jsonlist`] a JSON list entry by entry; [`decode`]
//! the text of any encoding; [`dates`] the dates.
//!
//! Exports: [`export`] picks the stories and writes any format (with
//! progress and cancel): [`gloss_json`] (everything, as a ZIP), [`epub`],
//! [`netscape`], [`export_markdown`], [`export_annotations`]
//! ([`annotations`]: W3C Web Annotations and Markdown notes).

pub mod annotations;
pub mod csvread;
pub mod dates;
pub mod decode;
pub mod detect;
pub mod epub;
pub mod export;
pub mod export_counts;
pub mod fetch;
pub mod gloss_json;
pub mod import;
pub mod instapaper;
pub mod item;
pub mod jsonlist;
pub mod netscape;
pub mod omnivore;
pub mod pocket;
pub mod readwise;
pub mod selection;
pub mod wallabag;
pub mod xhtml;
pub mod zipread;

#[cfg(test)]
mod counts_tests;
#[cfg(test)]
mod import_tests;
#[cfg(test)]
mod tests;

use std::path::Path;

use crate::annotate::AnnotationQuery;
use crate::model::StoryId;
use crate::{extract, Error, Library, Result};
use export_counts::Step;

/// Writes one Markdown file per story of `ids` into `dir` (created if
/// needed): front matter, highlights with their notes, then the story.
/// Returns how many; `step` is called after each file.
pub fn export_markdown(lib: &Library, dir: &Path, ids: &[StoryId], step: Step<'_>) -> Result<u32> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    for id in ids {
        let story = lib.story(*id)?;
        let notes = lib.annotations_of(*id)?;
        let body = extract::html_to_markdown(&story.html);
        let text = annotations::story_markdown(&story, &notes, &body);
        let path = dir.join(annotations::markdown_file_name(&story));
        std::fs::write(&path, text)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        step()?;
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
