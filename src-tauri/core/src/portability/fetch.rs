//! After an import: fetching the content of the stories that came as links
//! only. A few at a time, each through the same pipeline as `gloss save`;
//! a story keeps `needs_content` until its content is stored, so a fetch
//! that is interrupted (or a page that failed) is picked up by the next one.

use serde::Serialize;

use super::item::Failure;
use crate::fetch::Fetcher;
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
}

/// Fetches the content of every story waiting for it (up to `limit`),
/// calling `progress(done, total)` after each.
pub async fn fetch_missing(
    lib: &mut Library,
    fetcher: &Fetcher,
    limit: u32,
    skip_images: bool,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<FetchReport> {
    let pending = lib.stories_needing_content(limit)?;
    let total = pending.len() as u32;
    let mut report = FetchReport::default();
    let mut done = 0;
    for chunk in pending.chunks(CONCURRENCY) {
        let mut tasks = tokio::task::JoinSet::new();
        for (id, url) in chunk {
            let (id, url, fetcher): (StoryId, String, Fetcher) =
                (*id, url.clone(), fetcher.clone());
            tasks.spawn(async move {
                let options = SaveOptions {
                    skip_images,
                    ..Default::default()
                };
                let result = match urls::parse_web_url(&url) {
                    Ok(u) => {
                        save::prepare(&fetcher, &Source::Url(u), &options, &|_, _, _| {}).await
                    }
                    Err(e) => Err(e),
                };
                (id, url, result)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let Ok((id, url, result)) = joined else {
                continue;
            };
            match result.and_then(|story| lib.replace_content(id, story)) {
                Ok(_) => report.fetched += 1,
                Err(e) => report.failed.push(Failure::new(url, e.to_string())),
            }
            done += 1;
            progress(done, total);
        }
    }
    Ok(report)
}
