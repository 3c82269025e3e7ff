//! The rows a feed account's sync and the library pass each other. Plain
//! data: what a sync means (the APIs, the order of push and pull, backoff)
//! is the `accounts` module's, which builds and reads these.

use super::NewFeedItem;
use crate::model::{AccountKind, StoryId};

/// An account to add (after its server accepted the login).
#[derive(Debug, Clone)]
pub struct NewAccountRow {
    pub kind: AccountKind,
    pub name: String,
    pub url: String,
    pub username: String,
    /// The name its password is kept under in the system keyring.
    pub secret_key: String,
}

/// Which state of an item a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateField {
    Read,
    Starred,
}

impl StateField {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            StateField::Read => "read",
            StateField::Starred => "starred",
        }
    }

    pub(super) fn parse(name: &str) -> Option<Self> {
        match name {
            "read" => Some(StateField::Read),
            "starred" => Some(StateField::Starred),
            _ => None,
        }
    }
}

/// A read or star change made in Gloss, waiting for the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingChange {
    /// Names this change (not a later one of the same item) when it is confirmed.
    pub seq: i64,
    /// The item's id as the server gave it.
    pub item_id: String,
    pub field: StateField,
    pub value: bool,
}

/// A feed of an account as the library keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFeedRow {
    pub id: i64,
    /// The server's id for it (`feed/<url>`, `feed/12`, or Fever's number).
    pub remote_id: String,
    /// The feed's own address.
    pub url: String,
    pub title: String,
    pub site_url: Option<String>,
    pub full_text: bool,
}

/// What a sync needs to know of an account.
#[derive(Debug, Clone)]
pub struct AccountSyncState {
    pub id: i64,
    pub kind: AccountKind,
    pub name: String,
    pub url: String,
    pub username: String,
    /// The name its password is kept under in the system keyring.
    pub secret_key: String,
    /// Where the last pull of items stopped (see schema migration 9).
    pub items_cursor: Option<String>,
    pub retry_after: Option<i64>,
    pub backoff_until: Option<i64>,
    pub error_count: u32,
    pub feeds: Vec<AccountFeedRow>,
}

/// A feed on the server, as its subscription list gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFeed {
    pub remote_id: String,
    pub title: String,
    /// The feed's own address.
    pub url: String,
    pub site_url: Option<String>,
    /// Its folder (a Google Reader label, a Fever group), if any.
    pub folder: Option<String>,
}

/// An item the library holds for an account: its id on the server, its
/// story (none once pruned or deleted) and the story's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownItem {
    pub item_id: String,
    pub story: Option<StoryId>,
    pub read: bool,
    pub starred: bool,
}

/// A state the server holds for an item, to apply unless a change made in
/// Gloss is waiting for that item and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteState {
    pub story: StoryId,
    pub item_id: String,
    pub field: StateField,
    pub value: bool,
}

/// New items of one feed of an account, to store as stories.
#[derive(Debug, Clone)]
pub struct AccountItems {
    pub feed_id: i64,
    pub items: Vec<NewFeedItem>,
}

/// How a sync ended, for the account's row.
#[derive(Debug, Clone, Default)]
pub struct AccountSyncOutcome {
    /// `None`: it worked (the error count goes back to 0).
    pub error: Option<String>,
    /// Not before this time (unix ms): the server's `Retry-After`.
    pub retry_after: Option<i64>,
    /// Not before this time (unix ms) in a sync of all accounts: backoff.
    pub backoff_until: Option<i64>,
}
