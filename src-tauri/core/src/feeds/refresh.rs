//! Checking feeds: conditional GETs under the politeness limits, each feed
//! on its own task so that a slow or broken feed holds up no other, and
//! the new items turned into stories.
//!
//! This is the network side only; the library is written by the caller as
//! each feed finishes ([`RefreshEvent::Finished`] → `Library::apply_feed_outcome`),
//! so the app never holds the library while it waits on a server.

use std::collections::HashSet;
use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::discover::fetch_icon;
use super::items::{self, ItemContext};
use super::parse::{parse_feed_typed, ParsedFeed};
use super::politeness::{HostLimits, PER_HOST, TOTAL};
use crate::fetch::{FeedBody, FeedResponse, Fetcher};
pub use crate::library::{FeedCheck, FeedOutcome, FeedUpdate, FetchResult};
use crate::text::one_line;
use crate::Error;

/// How a refresh behaves.
#[derive(Debug, Clone)]
pub struct RefreshOptions {
    /// Store the images of new items (so they read offline); off, images
    /// are replaced by their alt text.
    pub images: bool,
    /// Requests in flight per host and in all.
    pub per_host: usize,
    pub total: usize,
}

impl Default for RefreshOptions {
    fn default() -> Self {
        RefreshOptions {
            images: true,
            per_host: PER_HOST,
            total: TOTAL,
        }
    }
}

/// Told as a refresh goes on, on the caller's task, one at a time.
#[derive(Debug)]
pub enum RefreshEvent {
    /// The feed's request is about to be sent.
    Started(i64),
    /// Boxed: an outcome carries the new stories and is far larger than an id.
    Finished(Box<FeedOutcome>),
}

/// Checks every feed in `checks`, at most `per_host` requests per host and
/// `total` in all, and calls `on_event` as each starts and finishes. Every
/// feed gets exactly one `Finished`, whatever happens to the others; after
/// `cancel`, the ones not finished get [`FetchResult::Cancelled`].
pub async fn check_feeds(
    fetcher: &Fetcher,
    checks: Vec<FeedCheck>,
    options: &RefreshOptions,
    cancel: &CancellationToken,
    mut on_event: impl FnMut(RefreshEvent),
) {
    let limits = Arc::new(HostLimits::new(options.per_host, options.total));
    let (tx, mut rx) = mpsc::unbounded_channel::<RefreshEvent>();
    let mut pending: HashSet<i64> = checks.iter().map(|c| c.id).collect();
    let mut tasks = tokio::task::JoinSet::new();
    for check in checks {
        let fetcher = fetcher.clone();
        let limits = Arc::clone(&limits);
        let options = options.clone();
        let cancel = cancel.clone();
        let tx = tx.clone();
        tasks.spawn(async move {
            let id = check.id;
            let work = async {
                let permits = limits.acquire(&check.url).await;
                let _ = tx.send(RefreshEvent::Started(id));
                let response = fetcher.fetch_feed(&check.url, &check.validators).await;
                drop(permits);
                match response {
                    Ok(FeedResponse::NotModified(v)) => FetchResult::NotModified(v),
                    Ok(FeedResponse::Body(body)) => {
                        ingest(&fetcher, &limits, &check, body, None, &options).await
                    }
                    Err(e) => FetchResult::Failed {
                        error: one_line(&e.error.to_string()),
                        retry_after: e.retry_after,
                    },
                }
            };
            let result = cancel
                .run_until_cancelled(work)
                .await
                .unwrap_or(FetchResult::Cancelled);
            let _ = tx.send(RefreshEvent::Finished(Box::new(FeedOutcome {
                feed_id: id,
                result,
            })));
        });
    }
    drop(tx);
    while let Some(event) = rx.recv().await {
        if let RefreshEvent::Finished(outcome) = &event {
            pending.remove(&outcome.feed_id);
        }
        on_event(event);
    }
    // A task that panicked sent no `Finished`: say so for its feed.
    while tasks.join_next().await.is_some() {}
    let mut left: Vec<i64> = pending.into_iter().collect();
    left.sort_unstable();
    for feed_id in left {
        on_event(RefreshEvent::Finished(Box::new(FeedOutcome {
            feed_id,
            result: if cancel.is_cancelled() {
                FetchResult::Cancelled
            } else {
                FetchResult::Failed {
                    error: "reading this feed failed unexpectedly; please report it".into(),
                    retry_after: None,
                }
            },
        })));
    }
}

/// Reads a fetched feed document (or uses `parsed`, when discovery already
/// read it) and makes stories of the items not seen before.
pub async fn ingest(
    fetcher: &Fetcher,
    limits: &HostLimits,
    check: &FeedCheck,
    body: FeedBody,
    parsed: Option<ParsedFeed>,
    options: &RefreshOptions,
) -> FetchResult {
    let feed = match parsed {
        Some(feed) => feed,
        None => {
            let (bytes, base) = (body.bytes, body.final_url.clone());
            let content_type = body.content_type.clone();
            let parsed = tokio::task::spawn_blocking(move || {
                parse_feed_typed(&bytes, content_type.as_deref(), &base)
            })
            .await;
            match parsed {
                Ok(Ok(feed)) => feed,
                Ok(Err(e)) => return failed(&e),
                Err(_) => return failed(&parser_crashed(&body.final_url)),
            }
        }
    };
    let site_url = feed.site_url.as_ref().map(Url::to_string);
    let ctx = ItemContext {
        feed_id: check.id,
        feed_url: body.final_url.clone(),
        feed_title: feed
            .title
            .clone()
            .filter(|_| check.title.is_empty())
            .unwrap_or_else(|| check.title.clone()),
        site_url: site_url.clone().or_else(|| check.site_url.clone()),
        full_text: check.full_text,
        images: options.images,
    };
    // New items only, each id once (a feed may repeat an id), oldest first.
    let mut seen = HashSet::new();
    let mut fresh: Vec<_> = feed
        .items
        .iter()
        .filter(|i| !i.is_known(&check.known_guids))
        .filter(|i| seen.insert(i.guid.clone()))
        .cloned()
        .collect();
    fresh.reverse();
    // Items known only by the id an earlier version gave them: their id is
    // recorded too, so they stay known when that id changes (a new title).
    let renamed = feed
        .items
        .iter()
        .filter(|i| !check.known_guids.contains(&i.guid) && i.is_known(&check.known_guids))
        .filter_map(|i| Some((i.former_guid.clone()?, i.guid.clone())))
        .collect();
    let extract_ctx = ctx.clone();
    let extracted = match tokio::task::spawn_blocking(move || {
        items::extract_items(fresh, &extract_ctx)
    })
    .await
    {
        Ok(extracted) => extracted,
        Err(_) => return failed(&parser_crashed(&body.final_url)),
    };
    let mut new_items = Vec::with_capacity(extracted.len());
    for item in extracted {
        new_items.push(items::story_of(fetcher, limits, &ctx, item).await);
    }
    let icon_url = feed.icon_url.clone().or_else(|| {
        feed.site_url
            .as_ref()
            .unwrap_or(&body.final_url)
            .join("/favicon.ico")
            .ok()
    });
    let icon = match (&icon_url, check.wants_icon) {
        (Some(u), true) => {
            let _permits = limits.acquire(u).await;
            fetch_icon(fetcher, u).await
        }
        _ => None,
    };
    FetchResult::Updated(Box::new(FeedUpdate {
        validators: body.validators,
        warning: feed.warning(),
        title: feed.title,
        site_url,
        icon_url: icon_url.map(|u| u.to_string()),
        icon,
        items: new_items,
        renamed,
    }))
}

fn failed(e: &Error) -> FetchResult {
    FetchResult::Failed {
        error: one_line(&e.to_string()),
        retry_after: None,
    }
}

fn parser_crashed(url: &Url) -> Error {
    Error::Unsupported(format!(
        "{url} could not be read as a feed (the reader failed); open it in a browser to check it"
    ))
}
