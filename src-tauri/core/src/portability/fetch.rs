//! After an import: fetching the content of the stories that came as links
//! only. A few at a time, each through the same pipeline as `gloss save`;
//! a story keeps `needs_content` until its content is stored, so a fetch
//! that is interrupted or cancelled (or a page that failed) is picked up by
//! the next one.

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::item::Failure;
use crate::fetch::Fetcher;
use crate::library::{LibraryAccess, NewStory};
use crate::model::StoryId;
use crate::save::{self, SaveOptions, Source};
use crate::{urls, Library, Result};

/// Pages fetched at the same time. Imports put many stories of one site
/// side by side; a handful at once stays polite.
pub const CONCURRENCY: usize = 3;

/// What a fetch after import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FetchReport {
    pub fetched: u32,
    /// Pages that could not be fetched; they keep waiting for a later fetch.
    pub failed: Vec<Failure>,
    /// Stopped by the user; the stories not fetched keep waiting.
    pub cancelled: bool,
}

/// Fetches the content of every story waiting for it (up to `limit`),
/// calling `progress(done, total)` after each. The library is reached only
/// to list the stories and to store each page, never across the network
/// wait. After `cancel`, pages under way are dropped and no more start.
pub async fn fetch_missing(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    limit: u32,
    skip_images: bool,
    cancel: &CancellationToken,
    progress: &mut (dyn FnMut(u32, u32) + Send),
) -> Result<FetchReport> {
    let pending = lib.with(|l| l.stories_needing_content(limit))?;
    let total = pending.len() as u32;
    let mut report = FetchReport::default();
    let mut done = 0;
    for chunk in pending.chunks(CONCURRENCY) {
        if cancel.is_cancelled() {
            break;
        }
        let mut tasks = tokio::task::JoinSet::new();
        for (id, url) in chunk {
            let (id, url, fetcher, cancel): (StoryId, String, Fetcher, CancellationToken) =
                (*id, url.clone(), fetcher.clone(), cancel.clone());
            tasks.spawn(async move {
                let options = SaveOptions {
                    skip_images,
                    ..Default::default()
                };
                let work = async {
                    let page = urls::parse_web_url(&url)?;
                    save::prepare(&fetcher, &Source::Url(page), &options, &|_, _, _| {}).await
                };
                // `None`: cancelled before the page was in.
                let result = cancel.run_until_cancelled(work).await;
                (id, url, result)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let Ok((id, url, result)) = joined else {
                continue;
            };
            let Some(result) = result else { continue };
            match result.and_then(|story| lib.with(|l| keep_excerpt_and_store(l, id, story))) {
                Ok(_) => report.fetched += 1,
                Err(e) => report.failed.push(Failure::new(url, e.to_string())),
            }
            done += 1;
            progress(done, total);
        }
    }
    report.cancelled = cancel.is_cancelled() && done < total;
    Ok(report)
}

/// Stores a fetched page as the story's content, keeping the excerpt the
/// import gave it: a bookmark's description or an Instapaper selection is
/// the user's words, which the page's own summary must not replace.
fn keep_excerpt_and_store(lib: &mut Library, id: StoryId, mut story: NewStory) -> Result<()> {
    if let Some(kept) = lib.summary(id)?.excerpt.filter(|e| !e.trim().is_empty()) {
        story.excerpt = Some(kept);
    }
    lib.replace_content(id, story).map(|_| ())
}
