//! The rows a feed refresh and the library pass each other: what to check
//! of a feed (read from the library) and what checking it gave (written to
//! it). Plain data: what a refresh means (politeness, backoff, parsing,
//! identity) is the `feeds` module's, which builds and reads these.

use std::collections::HashSet;
use std::time::Duration;

use url::Url;

use super::{NewAsset, NewStory};
use crate::model::Validators;

/// What a refresh needs to know of one feed (read from the library by
/// `Library::feeds_to_check`).
#[derive(Debug, Clone)]
pub struct FeedCheck {
    pub id: i64,
    pub url: Url,
    pub title: String,
    pub site_url: Option<String>,
    pub full_text: bool,
    pub validators: Validators,
    /// Item ids already seen: their items are not extracted again.
    pub known_guids: HashSet<String>,
    /// Look for an icon on this check (the feed has none and was never checked).
    pub wants_icon: bool,
}

/// What checking one feed gave.
#[derive(Debug, Clone)]
pub enum FetchResult {
    NotModified(Validators),
    /// Boxed: an update carries the new stories and is far larger than the rest.
    Updated(Box<FeedUpdate>),
    Failed {
        error: String,
        /// The server's `Retry-After`.
        retry_after: Option<Duration>,
    },
    Cancelled,
}

/// A feed that answered with a document.
#[derive(Debug, Clone, Default)]
pub struct FeedUpdate {
    pub validators: Validators,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub icon_url: Option<String>,
    pub icon: Option<NewAsset>,
    /// Items not seen before, oldest first (so the newest gets the highest id).
    pub items: Vec<NewFeedItem>,
    /// Items known under the id earlier versions gave them: (that id, the
    /// item's id now), to record the new id for the same story.
    pub renamed: Vec<(String, String)>,
    /// Entries that could not be read and were skipped ("1 entry skipped:
    /// unsupported title type \"\""); the feed itself worked.
    pub warning: Option<String>,
}

/// One feed's result, for the library to store.
#[derive(Debug, Clone)]
pub struct FeedOutcome {
    pub feed_id: i64,
    pub result: FetchResult,
}

/// A story made from a feed item, with the item's id for de-duplication.
#[derive(Debug, Clone)]
pub struct NewFeedItem {
    /// The item's id in its feed (see `feeds::identity`).
    pub guid: String,
    /// The id earlier versions of Gloss stored for the item, if any.
    pub former_guid: Option<String>,
    /// The story's key when its link is already the story of another item
    /// of the same feed: made from the feed and the item's id, so two items
    /// that share a link are two stories.
    pub item_key: String,
    /// The story; its `url_key` is the link's normalised URL (or
    /// `item_key` when the item has no link).
    pub story: NewStory,
}

/// One feed followed, as a subscription list (OPML) names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub url: String,
    pub title: Option<String>,
    pub site_url: Option<String>,
    /// The folder it is in, if any (nested folders joined by " / ").
    pub folder: Option<String>,
}

/// Feeds and folders as a subscription list holds them, in list order.
/// `folders` also lists folders with no feeds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subscriptions {
    pub feeds: Vec<Subscription>,
    pub folders: Vec<String>,
}
