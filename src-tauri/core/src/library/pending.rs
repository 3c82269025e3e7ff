//! What the rest of the library must know of feed accounts, kept apart
//! from `accounts.rs` (which uses stories and feeds) so that stories and
//! feeds can use it: the pending queue that `set_read` and `set_starred`
//! fill in their own write, and the refusal to remove an account's feed as
//! if it were a local one.

use rusqlite::{params, OptionalExtension, Transaction};

use super::account_rows::StateField;
use super::now_ms;
use crate::model::StoryId;
use crate::{Error, Result};

/// Refuses to remove an account's feed as if it were a local one: the next
/// sync would bring it back.
pub(super) fn refuse_account_feed_tx(tx: &Transaction<'_>, feed: i64) -> Result<()> {
    let account: Option<i64> = tx
        .query_row("SELECT account_id FROM feeds WHERE id = ?1", [feed], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| Error::db("looking up a feed", e))?
        .flatten();
    match account {
        Some(account) => Err(Error::InvalidInput(format!(
            "feed {feed} belongs to feed account {account}; unsubscribe on the server \
             (`gloss accounts unsubscribe {feed}`) or remove the account"
        ))),
        None => Ok(()),
    }
}

/// Queues a change made in Gloss for every account item among `stories`,
/// replacing a change of the same item and field still waiting.
pub(super) fn queue_state_tx(
    tx: &Transaction<'_>,
    stories: &[StoryId],
    field: StateField,
    value: bool,
) -> Result<()> {
    let now = now_ms();
    for story in stories {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO account_pending (account_id, item_id, field, value, queued_at) \
             SELECT f.account_id, i.guid, ?2, ?3, ?4 FROM feed_items i \
             JOIN feeds f ON f.id = i.feed_id \
             WHERE i.article_id = ?1 AND f.account_id IS NOT NULL",
        )
        .and_then(|mut s| s.execute(params![story, field.as_str(), value, now]))
        .map_err(|e| Error::db("queuing a change for a feed account", e))?;
    }
    Ok(())
}
