//! Feeds: following sites, refreshing them politely, keeping their stories.
//!
//! - [`discover`]: from a page or feed address to the feed, its title and icon.
//! - [`parse`]: RSS, Atom and JSON Feed documents (safely) into items;
//!   `salvage` reads what it can of a document feed-rs refuses whole.
//! - [`identity`]: how an item is recognised from one refresh to the next.
//! - [`items`]: items into stories (the feed's content sanitized, or the full page).
//! - [`refresh`]: conditional GETs under the politeness limits, one task per feed.
//! - [`politeness`]: per-host and total connection limits, backoff.
//! - [`opml`]: subscription lists in and out.
//! - `stored`: these policies applied to the library's rows ([`FeedsInLibrary`]).
//!
//! All SQL is in `library/feeds.rs`. The network work never holds the
//! library: [`discover`](discover::discover) and
//! [`check_feeds`](refresh::check_feeds) return what to store and the caller
//! stores it. The app does that in steps (lock the library only to store);
//! [`subscribe`] and [`refresh_library`] do the whole thing for the command line.

pub mod discover;
pub(crate) mod identity;
pub mod items;
pub mod opml;
pub mod parse;
pub mod politeness;
pub mod refresh;
mod salvage;
mod stored;

/// Cancels a refresh (re-exported so callers need no tokio-util of their own).
pub use tokio_util::sync::CancellationToken;

pub use discover::{discover, Discovered};
pub use items::NewFeedItem;
pub use opml::{read_opml, write_opml, OpmlDocument, OpmlFeed};
pub use politeness::HostLimits;
pub use refresh::{
    check_feeds, ingest, FeedCheck, FeedOutcome, FeedUpdate, FetchResult, RefreshEvent,
    RefreshOptions,
};
pub use stored::FeedsInLibrary;

use crate::fetch::Fetcher;
/// Where the feeds code has always named it; it is the library's (see `library::access`).
pub use crate::library::LibraryAccess;
use crate::library::{NewFeed, RefreshPlan};
use crate::model::{FeedInfo, FeedProgress, FeedRefreshResult, FeedStage};
use crate::Result;

/// Days a feed story is kept unless starred, annotated or tagged, when the
/// feed sets no retention of its own.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;

/// How to subscribe.
#[derive(Debug, Clone, Default)]
pub struct SubscribeOptions {
    /// A folder name (created when new).
    pub folder: Option<String>,
    /// Fetch each new item's page and store it whole.
    pub full_text: bool,
}

/// Subscribes to the feed at (or named by the page at) `input` and stores
/// its current items, from the response discovery already fetched.
///
/// `lib` is reached only around adding the feed and storing its items (see
/// [`LibraryAccess`]), never across the network work.
pub async fn subscribe(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    input: &str,
    options: &SubscribeOptions,
    refresh: &RefreshOptions,
) -> Result<(FeedInfo, FeedRefreshResult)> {
    let found = discover(fetcher, input).await?;
    subscribe_discovered(lib, fetcher, found, options, refresh).await
}

/// The second half of [`subscribe`]: adds a feed discovery found and stores
/// its items (the command line discovers before it opens the library, so a
/// failed subscription leaves no trace).
pub async fn subscribe_discovered(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    found: Discovered,
    options: &SubscribeOptions,
    refresh: &RefreshOptions,
) -> Result<(FeedInfo, FeedRefreshResult)> {
    let new = NewFeed {
        url: found.url.to_string(),
        title: found.title.clone(),
        site_url: found.site_url.as_ref().map(|u| u.to_string()),
        icon_url: found.icon_url.as_ref().map(|u| u.to_string()),
        icon: found.icon.clone(),
        folder: options.folder.clone(),
        full_text: options.full_text,
    };
    let (feed, check) = lib.with(|l| {
        let feed = l.add_feed(&new)?;
        let check = l.feed_check(feed.id)?;
        Ok((feed, check))
    })?;
    let limits = HostLimits::new(refresh.per_host, refresh.total);
    let result = ingest(
        fetcher,
        &limits,
        &check,
        found.body,
        Some(found.parsed),
        refresh,
    )
    .await;
    let outcome = FeedOutcome {
        feed_id: feed.id,
        result,
    };
    lib.with(|l| {
        let stored = l.apply_feed_outcome(&outcome)?;
        Ok((l.feed(feed.id)?, stored))
    })
}

/// Refreshes the feeds `ids` (all when empty), stores what they bring as
/// each finishes, then prunes old feed stories. `progress` hears of every
/// feed as it starts and ends. The results are in feed id order.
///
/// `lib` is reached only for each step (see [`LibraryAccess`]).
pub async fn refresh_library(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    ids: &[i64],
    options: &RefreshOptions,
    cancel: &CancellationToken,
    progress: &mut (dyn FnMut(&FeedProgress) + Send),
) -> Result<Vec<FeedRefreshResult>> {
    let now = chrono::Utc::now().timestamp_millis();
    let plan = lib.with(|l| l.feeds_to_check(ids, now))?;
    let results = run_refresh(fetcher, plan, options, cancel, progress, &mut |outcome| {
        lib.with(|l| l.apply_feed_outcome(outcome))
    })
    .await;
    let now = chrono::Utc::now().timestamp_millis();
    lib.with(|l| l.prune_feed_stories(DEFAULT_RETENTION_DAYS, now))?;
    Ok(results)
}

/// Checks the planned feeds and hands each outcome to `apply` (which stores
/// it) as it finishes; reports every feed's stages to `progress`. A failure
/// to store one feed is that feed's error; the others go on. The results are
/// in feed id order.
async fn run_refresh(
    fetcher: &Fetcher,
    plan: RefreshPlan,
    options: &RefreshOptions,
    cancel: &CancellationToken,
    progress: &mut (dyn FnMut(&FeedProgress) + Send),
    apply: &mut (dyn FnMut(&FeedOutcome) -> Result<FeedRefreshResult> + Send),
) -> Vec<FeedRefreshResult> {
    let total = (plan.checks.len() + plan.skipped.len()) as u32;
    let mut done = 0u32;
    let mut results = Vec::with_capacity(total as usize);
    for skipped in plan.skipped {
        done += 1;
        progress(&FeedProgress {
            feed_id: skipped.id,
            stage: FeedStage::Skipped,
            done,
            total,
            result: Some(skipped.clone()),
        });
        results.push(skipped);
    }
    let titles: std::collections::HashMap<i64, String> = plan
        .checks
        .iter()
        .map(|c| (c.id, c.title.clone()))
        .collect();
    check_feeds(fetcher, plan.checks, options, cancel, |event| match event {
        RefreshEvent::Started(feed_id) => progress(&FeedProgress {
            feed_id,
            stage: FeedStage::Checking,
            done,
            total,
            result: None,
        }),
        RefreshEvent::Finished(outcome) => {
            let feed_id = outcome.feed_id;
            let cancelled = matches!(outcome.result, FetchResult::Cancelled);
            let result = apply(&outcome).unwrap_or_else(|e| FeedRefreshResult {
                id: feed_id,
                title: titles.get(&feed_id).cloned().unwrap_or_default(),
                new: 0,
                error: Some(e.to_string()),
                warning: None,
                not_modified: false,
                skipped_until: None,
            });
            done += 1;
            let stage = match (&result.error, cancelled) {
                (_, true) => FeedStage::Cancelled,
                (Some(_), _) => FeedStage::Failed,
                (None, _) => FeedStage::Done,
            };
            progress(&FeedProgress {
                feed_id,
                stage,
                done,
                total,
                result: Some(result.clone()),
            });
            results.push(result);
        }
    })
    .await;
    results.sort_by_key(|r| r.id);
    results
}

#[cfg(test)]
mod entry_tests;
#[cfg(test)]
mod tests;
