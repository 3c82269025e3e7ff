//! One sync of an account, in the order that keeps local changes safe:
//!
//! 1. **Push** the pending queue: every waiting read, unread, star and
//!    unstar, grouped so that thousands of changes are a few requests;
//!    each change leaves the queue only once the server confirmed it.
//! 2. **Pull** the subscription list (feeds and folders), then the items
//!    newer than the last sync, page by page (stopping on an empty, missing
//!    or repeated continuation), each new item made a story as a local
//!    feed's item is (same extraction, images stored, full text if the feed
//!    asks, indexed for search).
//! 3. **Reconcile**: the server's unread and starred id sets decide the
//!    state of every story of the account, except where a change made in
//!    Gloss still waits (checked in the same write that applies them), so
//!    the server never flips back what the user just did.
//!
//! The library is reached only between network calls (`LibraryAccess`).

use std::collections::{HashMap, HashSet};

use url::Url;

use super::api::{AccountApi, RemoteItem};
use crate::feeds::items::{self, ItemContext};
use crate::feeds::parse::FeedItem;
use crate::feeds::{HostLimits, RefreshOptions};
use crate::fetch::Fetcher;
use crate::library::{AccountFeedRow, AccountItems, LibraryAccess, RemoteState, StateField};
use crate::{Error, Result};

/// Unread or starred items not brought by the pull that are fetched by id,
/// at most, per sync.
const MAX_MISSING: usize = 5_000;
/// Pages of items read at most in one sync.
const MAX_PAGES: usize = 10_000;

/// What a sync did, before it is reported.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counts {
    pub pushed: u32,
    pub pulled: u32,
    pub new_stories: u32,
    pub updated: u32,
}

/// Runs steps 1 to 3. An error stops the sync where it is: what was
/// stored or confirmed before stays (a sync is safe to repeat).
pub(crate) async fn run(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    api: &mut (impl AccountApi + Send),
    account: i64,
    options: &RefreshOptions,
) -> Result<Counts> {
    let mut counts = Counts::default();
    api.login().await?;
    let unsent = push(lib, api, account, &mut counts).await?;

    let remote_feeds = api.subscriptions().await?;
    lib.with(|l| l.apply_account_subscriptions(account, &remote_feeds))?;
    let state = lib.with(|l| l.account_sync_state(account))?;
    let feeds: HashMap<String, AccountFeedRow> = state
        .feeds
        .iter()
        .map(|f| (f.remote_id.clone(), f.clone()))
        .collect();
    let mut known: HashSet<String> = lib
        .with(|l| l.known_account_items(account))?
        .into_iter()
        .map(|k| k.item_id)
        .collect();

    // New items, page by page.
    let limits = HostLimits::new(options.per_host, options.total);
    let cursor = state.items_cursor.clone();
    let mut newest = cursor.as_deref().and_then(|c| c.parse::<i64>().ok());
    let mut seen_pages = HashSet::new();
    let mut page: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let got = api.items(cursor.as_deref(), page.as_deref()).await?;
        counts.pulled += got.items.len() as u32;
        if let Some(c) = got.cursor.as_deref().and_then(|c| c.parse::<i64>().ok()) {
            newest = Some(newest.map_or(c, |n| n.max(c)));
        }
        counts.new_stories += store(
            lib, fetcher, &limits, options, account, &feeds, &mut known, got.items,
        )
        .await?;
        match got.next {
            Some(next) if seen_pages.insert(next.clone()) => page = Some(next),
            _ => break,
        }
    }
    if let Some(newest) = newest {
        let cursor = newest.to_string();
        lib.with(|l| l.store_account_items(account, &[], Some(&cursor)))?;
    }

    // The server's state.
    let unread = api.unread_ids().await?;
    let starred = api.starred_ids().await?;
    let numbers: HashSet<i64> = known.iter().filter_map(|id| api.item_number(id)).collect();
    let mut missing: Vec<i64> = unread
        .union(&starred)
        .filter(|n| !numbers.contains(n))
        .copied()
        .collect();
    missing.sort_unstable();
    missing.truncate(MAX_MISSING);
    if !missing.is_empty() {
        let fetched = api.items_by_id(&missing).await?;
        counts.pulled += fetched.len() as u32;
        counts.new_stories += store(
            lib, fetcher, &limits, options, account, &feeds, &mut known, fetched,
        )
        .await?;
    }
    let mut states = Vec::new();
    for item in lib.with(|l| l.known_account_items(account))? {
        let (Some(story), Some(number)) = (item.story, api.item_number(&item.item_id)) else {
            continue;
        };
        let read = !unread.contains(&number);
        let star = starred.contains(&number);
        for (field, now, wanted) in [
            (StateField::Read, item.read, read),
            (StateField::Starred, item.starred, star),
        ] {
            if now != wanted {
                states.push(RemoteState {
                    story,
                    item_id: item.item_id.clone(),
                    field,
                    value: wanted,
                });
            }
        }
    }
    counts.updated = lib.with(|l| l.apply_remote_state(account, &states))?;
    if unsent > 0 {
        return Err(Error::Network(format!(
            "{unsent} read or star changes could not be sent; they stay queued and are sent \
             at the next sync"
        )));
    }
    Ok(counts)
}

/// Sends the pending queue, grouped by what each change sets. Returns how
/// many changes the server did not confirm (they stay queued).
async fn push(
    lib: &mut (impl LibraryAccess + Send),
    api: &mut (impl AccountApi + Send),
    account: i64,
    counts: &mut Counts,
) -> Result<usize> {
    let pending = lib.with(|l| l.pending_changes(account))?;
    // What a group of changes sets, and its changes as (sequence, item id).
    type Group = ((StateField, bool), Vec<(i64, String)>);
    let mut groups: Vec<Group> = Vec::new();
    for change in pending {
        let key = (change.field, change.value);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push((change.seq, change.item_id)),
            None => groups.push((key, vec![(change.seq, change.item_id)])),
        }
    }
    let mut unsent = 0;
    for ((field, value), changes) in groups {
        let ids: Vec<String> = changes.iter().map(|(_, id)| id.clone()).collect();
        let confirmed: HashSet<String> = api.mark(&ids, field, value).await?.into_iter().collect();
        let seqs: Vec<i64> = changes
            .iter()
            .filter(|(_, id)| confirmed.contains(id))
            .map(|(seq, _)| *seq)
            .collect();
        unsent += changes.len() - seqs.len();
        counts.pushed += seqs.len() as u32;
        lib.with(|l| l.confirm_pending(account, &seqs))?;
    }
    Ok(unsent)
}

/// Makes stories of the items not known yet whose feed the account has
/// (grouped by feed) and stores them. Returns the stories added.
#[allow(clippy::too_many_arguments)]
async fn store(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    limits: &HostLimits,
    options: &RefreshOptions,
    account: i64,
    feeds: &HashMap<String, AccountFeedRow>,
    known: &mut HashSet<String>,
    items: Vec<RemoteItem>,
) -> Result<u32> {
    let mut by_feed: HashMap<String, Vec<FeedItem>> = HashMap::new();
    for item in items {
        if !feeds.contains_key(&item.feed) || !known.insert(item.id.clone()) {
            continue;
        }
        by_feed
            .entry(item.feed.clone())
            .or_default()
            .push(FeedItem {
                guid: item.id,
                former_guid: None,
                has_own_id: true,
                link: item.link,
                title: item.title,
                author: item.author,
                published_at: item.published_at,
                html: item.html,
                summary: None,
            });
    }
    let mut batches = Vec::new();
    for (remote, list) in by_feed {
        let Some(feed) = feeds.get(&remote) else {
            continue;
        };
        let ctx = ItemContext {
            feed_id: feed.id,
            feed_url: Url::parse(&feed.url)
                .or_else(|_| Url::parse("http://localhost/"))
                .map_err(|e| Error::InvalidInput(e.to_string()))?,
            feed_title: feed.title.clone(),
            site_url: feed.site_url.clone(),
            full_text: feed.full_text,
            images: options.images,
        };
        let extract_ctx = ctx.clone();
        let extracted =
            tokio::task::spawn_blocking(move || items::extract_items(list, &extract_ctx))
                .await
                .map_err(|_| {
                    Error::Unsupported(
                        "reading an account's items failed unexpectedly; please report it".into(),
                    )
                })?;
        let mut stories = Vec::with_capacity(extracted.len());
        for item in extracted {
            stories.push(items::story_of(fetcher, limits, &ctx, item).await);
        }
        batches.push(AccountItems {
            feed_id: feed.id,
            items: stories,
        });
    }
    if batches.is_empty() {
        return Ok(0);
    }
    lib.with(|l| l.store_account_items(account, &batches, None))
}
