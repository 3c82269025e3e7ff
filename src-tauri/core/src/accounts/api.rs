//! The one shape every account's API has (NetNewsWire's account delegate,
//! cut to what Gloss syncs): log in, list subscriptions, pull items, pull
//! the unread and starred id sets, send read and star changes in batches,
//! and, where the API can, change subscriptions.
//!
//! Item ids are kept as the server wrote them (a Google Reader server may
//! use the long `tag:google.com,2005:reader/item/<hex>` form or the short
//! decimal one, and wants its own form back); [`AccountApi::item_number`]
//! gives the number both forms stand for, so that id sets in one form can
//! be matched against items stored in the other.

use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

use url::Url;

use crate::fetch::ApiFetchError;
use crate::library::{RemoteFeed, StateField};
use crate::text::one_line;
use crate::{Error, Result};

/// An item as a server gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteItem {
    /// As the server wrote it.
    pub id: String,
    /// The server's id of its feed (`RemoteFeed::remote_id`).
    pub feed: String,
    pub title: Option<String>,
    pub link: Option<Url>,
    pub author: Option<String>,
    /// RFC 3339.
    pub published_at: Option<String>,
    pub html: Option<String>,
}

/// A page of new items and where the next page starts (`None`: no more).
#[derive(Debug, Clone, Default)]
pub struct ItemPage {
    pub items: Vec<RemoteItem>,
    pub next: Option<String>,
    /// Where the next sync's pull starts, once every page is read.
    pub cursor: Option<String>,
}

/// A feed server's API as a sync uses it.
pub trait AccountApi {
    /// Checks the user name and password (and keeps what the API needs
    /// for the calls that follow).
    fn login(&mut self) -> impl Future<Output = Result<()>> + Send;

    /// The feeds followed on the server, with their folders.
    fn subscriptions(&mut self) -> impl Future<Output = Result<Vec<RemoteFeed>>> + Send;

    /// One page of items newer than `cursor` (the last sync's), starting at
    /// `page` (the previous page's `next`).
    fn items(
        &mut self,
        cursor: Option<&str>,
        page: Option<&str>,
    ) -> impl Future<Output = Result<ItemPage>> + Send;

    /// Specific items by id (ones in the unread or starred set the pull of
    /// new items did not bring), when the API can fetch them.
    fn items_by_id(&mut self, ids: &[i64]) -> impl Future<Output = Result<Vec<RemoteItem>>> + Send;

    /// The numbers of every unread item.
    fn unread_ids(&mut self) -> impl Future<Output = Result<HashSet<i64>>> + Send;

    /// The numbers of every starred (saved) item.
    fn starred_ids(&mut self) -> impl Future<Output = Result<HashSet<i64>>> + Send;

    /// Sets `field` to `value` on the items `ids` (as the server wrote
    /// them), in as few requests as the API allows. Returns the ids the
    /// server confirmed.
    fn mark(
        &mut self,
        ids: &[String],
        field: StateField,
        value: bool,
    ) -> impl Future<Output = Result<Vec<String>>> + Send;

    /// The number an item id stands for, in whichever form it is written.
    fn item_number(&self, id: &str) -> Option<i64>;

    /// The server's `Retry-After` from the last failed call, if it sent one.
    fn retry_after(&self) -> Option<Duration>;

    /// Requests sent so far (for `bench/accounts.sh`).
    fn requests(&self) -> u32;
}

/// Subscription changes, for APIs that allow them (Google Reader).
pub trait ManagesSubscriptions {
    /// Subscribes to the feed at `url` (in `folder`); returns the server's id for it.
    fn subscribe(
        &mut self,
        url: &str,
        folder: Option<&str>,
    ) -> impl Future<Output = Result<String>> + Send;
    fn unsubscribe(&mut self, feed: &str) -> impl Future<Output = Result<()>> + Send;
    fn rename_feed(&mut self, feed: &str, title: &str) -> impl Future<Output = Result<()>> + Send;
    /// Moves a feed from the folder `from` to `to` (either may be none).
    fn move_feed(
        &mut self,
        feed: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// An API's address as a client keeps it: no query, no fragment (a user
/// may paste `…/fever.php?api`).
pub(crate) fn api_root(url: &Url) -> Url {
    let mut root = url.clone();
    root.set_query(None);
    root.set_fragment(None);
    root
}

/// A failed API call in words that say what to do, naming the server.
pub(crate) fn describe_failure(server: &str, failed: ApiFetchError) -> Error {
    match failed.status {
        Some(401 | 403) => Error::InvalidInput(format!(
            "{server} refused the user name or password (HTTP {}); check them, then add the \
             account again with the right ones",
            failed.status.unwrap_or(401)
        )),
        Some(404) => Error::NotFound(format!(
            "{server} has no such API address (HTTP 404); check the account's address \
             (for FreshRSS it ends in /api/greader.php or /api/fever.php)"
        )),
        Some(429) => Error::Network(format!(
            "{server} is limiting requests (HTTP 429); Gloss will try again later"
        )),
        Some(status @ 500..=599) => Error::Network(format!(
            "{server} has a problem (HTTP {status}); Gloss will try again later"
        )),
        _ => match failed.error {
            Error::Network(message) => Error::Network(one_line(&message)),
            other => other,
        },
    }
}

/// A body that is not the JSON an API promises.
pub(crate) fn bad_answer(server: &str, what: &str, e: impl std::fmt::Display) -> Error {
    Error::Network(format!(
        "{server} answered {what} with something that is not what its API promises ({}); \
         check that the address is the server's API",
        one_line(&e.to_string())
    ))
}
