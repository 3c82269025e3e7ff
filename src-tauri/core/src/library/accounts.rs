//! Feed accounts in the library: the accounts, their feeds (rows of
//! `feeds` with the account's id), the server's id of each item
//! (`feed_items.guid`), and the pending queue of read and star changes made
//! in Gloss that the server has not confirmed (schema migration 9).
//!
//! A change made in Gloss is queued in the same write that makes it
//! ([`queue_state_tx`], called by `set_read` and `set_starred`), so it can
//! never be made and not queued. What the server says is applied only
//! where no change of the same item and field waits ([`Library::apply_remote_state`]
//! checks inside its write): a pending local change always wins.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension, Row, Transaction};

use super::account_rows::{
    AccountFeedRow, AccountItems, AccountSyncOutcome, AccountSyncState, KnownItem, NewAccountRow,
    PendingChange, RemoteFeed, RemoteState, StateField,
};
use super::changes::Change;
use super::feed_rows::FeedUpdate;
use super::feeds::{clean_name, folder_id_tx, store_items_tx, NOT_KEPT};
use super::stories::delete_stories_tx;
use super::{ms_to_rfc3339, now_ms, Library};
use crate::model::{AccountInfo, AccountKind, StoryId};
use crate::{Error, Result};

/// The longest account name accepted, in characters.
const MAX_NAME_CHARS: usize = 200;

const ACCOUNT_COLUMNS: &str = "c.id, c.kind, c.name, c.url, c.username, c.created_at, \
     c.last_synced, nullif(max(coalesce(c.retry_after, 0), coalesce(c.backoff_until, 0)), 0), \
     c.error_count, CASE WHEN c.error_count > 0 THEN c.last_error END, \
     (SELECT count(*) FROM feeds f WHERE f.account_id = c.id), \
     (SELECT count(*) FROM feeds f JOIN articles a ON a.feed_id = f.id \
      WHERE f.account_id = c.id AND a.read_at IS NULL), \
     (SELECT count(*) FROM account_pending p WHERE p.account_id = c.id) \
     FROM accounts c";

fn account_from_row(r: &Row<'_>) -> rusqlite::Result<AccountInfo> {
    let kind: String = r.get(1)?;
    let kind = AccountKind::parse(&kind).unwrap_or(AccountKind::Greader);
    Ok(AccountInfo {
        id: r.get(0)?,
        kind,
        name: r.get(2)?,
        url: r.get(3)?,
        username: r.get(4)?,
        created_at: ms_to_rfc3339(r.get(5)?),
        last_synced: r.get::<_, Option<i64>>(6)?.map(ms_to_rfc3339),
        next_sync: r.get::<_, Option<i64>>(7)?.map(ms_to_rfc3339),
        error_count: r.get(8)?,
        last_error: r.get(9)?,
        feeds: r.get(10)?,
        unread: r.get(11)?,
        pending: r.get(12)?,
        manages_subscriptions: kind.manages_subscriptions(),
    })
}

fn no_account(id: i64) -> Error {
    Error::NotFound(format!(
        "no feed account with id {id} in this library; `gloss accounts list` shows the ids"
    ))
}

fn clean_account_name(name: &str) -> Result<String> {
    clean_name(name, "an account's name", MAX_NAME_CHARS)
}

fn require_account_tx(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.query_row("SELECT 1 FROM accounts WHERE id = ?1", [id], |_| Ok(()))
        .optional()
        .map_err(|e| Error::db("looking up a feed account", e))?
        .ok_or_else(|| no_account(id))
}

/// Deletes the feeds `feeds` with their stories, except the ones kept
/// (starred, tagged, annotated: they stay as saved stories). Returns the
/// stories deleted.
fn delete_feeds_tx(tx: &Transaction<'_>, feeds: &[i64]) -> Result<Vec<StoryId>> {
    let mut doomed = Vec::new();
    for feed in feeds {
        let ids: Vec<StoryId> = tx
            .prepare_cached(&format!(
                "SELECT a.id FROM articles a WHERE a.feed_id = ?1 AND {NOT_KEPT}"
            ))
            .and_then(|mut s| s.query_map([feed], |r| r.get(0))?.collect())
            .map_err(|e| Error::db("finding a feed's stories", e))?;
        doomed.extend(ids);
    }
    delete_stories_tx(tx, &doomed)?;
    for feed in feeds {
        tx.execute("DELETE FROM feeds WHERE id = ?1", [feed])
            .map_err(|e| Error::db("removing a feed", e))?;
    }
    Ok(doomed)
}

impl Library {
    /// Adds a feed account (its password is not here: see `secrets`).
    pub fn add_account(&mut self, account: &NewAccountRow) -> Result<AccountInfo> {
        let name = clean_account_name(&account.name)?;
        let mut tx = self.write("starting to add a feed account")?;
        tx.execute(
            "INSERT INTO accounts (kind, name, url, username, secret_key, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                account.kind.as_str(),
                name,
                account.url,
                account.username,
                account.secret_key,
                now_ms()
            ],
        )
        .map_err(|e| Error::db("adding a feed account", e))?;
        let id = tx.last_insert_rowid();
        tx.record(Change::AccountAdded { account: id });
        tx.commit()
            .map_err(|e| Error::db("adding a feed account", e))?;
        self.account(id)
    }

    /// One account with its counts.
    pub fn account(&self, id: i64) -> Result<AccountInfo> {
        self.conn
            .prepare_cached(&format!("SELECT {ACCOUNT_COLUMNS} WHERE c.id = ?1"))
            .and_then(|mut s| s.query_row([id], account_from_row).optional())
            .map_err(|e| Error::db("reading a feed account", e))?
            .ok_or_else(|| no_account(id))
    }

    /// Every account, by name.
    pub fn accounts(&self) -> Result<Vec<AccountInfo>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {ACCOUNT_COLUMNS} ORDER BY c.name COLLATE NOCASE, c.id"
            ))
            .and_then(|mut s| s.query_map([], account_from_row)?.collect())
            .map_err(|e| Error::db("listing feed accounts", e))
    }

    /// Renames an account (in Gloss only: the server does not know it).
    pub fn rename_account(&mut self, id: i64, name: &str) -> Result<AccountInfo> {
        let name = clean_account_name(name)?;
        let mut tx = self.write("starting to rename a feed account")?;
        require_account_tx(&tx, id)?;
        tx.record(Change::AccountUpdated { account: id });
        tx.execute(
            "UPDATE accounts SET name = ?2 WHERE id = ?1",
            params![id, name],
        )
        .map_err(|e| Error::db("renaming a feed account", e))?;
        tx.commit()
            .map_err(|e| Error::db("renaming a feed account", e))?;
        self.account(id)
    }

    /// Removes an account, its feeds, their stories and its pending
    /// changes; starred, tagged and annotated stories stay as saved
    /// stories. Returns how many stories were deleted.
    pub fn remove_account(&mut self, id: i64) -> Result<u32> {
        let mut tx = self.write("starting to remove a feed account")?;
        require_account_tx(&tx, id)?;
        let feeds: Vec<i64> = tx
            .prepare("SELECT id FROM feeds WHERE account_id = ?1")
            .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
            .map_err(|e| Error::db("finding the account's feeds", e))?;
        let doomed = delete_feeds_tx(&tx, &feeds)?;
        if !doomed.is_empty() {
            tx.record(Change::StoriesDeleted {
                stories: doomed.clone(),
            });
        }
        tx.record(Change::AccountRemoved { account: id });
        tx.execute("DELETE FROM accounts WHERE id = ?1", [id])
            .map_err(|e| Error::db("removing a feed account", e))?;
        super::assets::delete_orphan_assets(&tx)?;
        tx.commit()
            .map_err(|e| Error::db("removing a feed account", e))?;
        Ok(doomed.len() as u32)
    }

    /// What a sync needs of an account.
    pub fn account_sync_state(&self, id: i64) -> Result<AccountSyncState> {
        let head = self
            .conn
            .prepare_cached(
                "SELECT kind, name, url, username, items_cursor, retry_after, backoff_until, \
                 error_count, secret_key FROM accounts WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.query_row([id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<i64>>(5)?,
                        r.get::<_, Option<i64>>(6)?,
                        r.get::<_, u32>(7)?,
                        r.get::<_, String>(8)?,
                    ))
                })
                .optional()
            })
            .map_err(|e| Error::db("reading a feed account", e))?
            .ok_or_else(|| no_account(id))?;
        let (
            kind,
            name,
            url,
            username,
            items_cursor,
            retry_after,
            backoff_until,
            error_count,
            secret_key,
        ) = head;
        let feeds = self.account_feeds(id)?;
        Ok(AccountSyncState {
            id,
            kind: AccountKind::parse(&kind).unwrap_or(AccountKind::Greader),
            name,
            url,
            username,
            secret_key,
            items_cursor,
            retry_after,
            backoff_until,
            error_count,
            feeds,
        })
    }

    /// The feeds of an account.
    pub fn account_feeds(&self, id: i64) -> Result<Vec<AccountFeedRow>> {
        self.conn
            .prepare_cached(
                "SELECT id, remote_id, coalesce(source_url, url), title, site_url, full_text \
                 FROM feeds WHERE account_id = ?1 ORDER BY id",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    Ok(AccountFeedRow {
                        id: r.get(0)?,
                        remote_id: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                        url: r.get(2)?,
                        title: r.get(3)?,
                        site_url: r.get(4)?,
                        full_text: r.get(5)?,
                    })
                })?
                .collect()
            })
            .map_err(|e| Error::db("listing an account's feeds", e))
    }

    /// The account and the server's id of a feed, when it belongs to one.
    pub fn feed_account(&self, feed: i64) -> Result<Option<(i64, String)>> {
        let row: Option<(Option<i64>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT account_id, remote_id FROM feeds WHERE id = ?1",
                [feed],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| Error::db("looking up a feed", e))?;
        match row {
            None => Err(Error::NotFound(format!(
                "no feed with id {feed} in this library; `gloss feeds list` shows the ids"
            ))),
            Some((Some(account), Some(remote))) => Ok(Some((account, remote))),
            Some(_) => Ok(None),
        }
    }

    /// Makes the account's feeds what the server lists: new ones added,
    /// titles, addresses and folders updated, the ones gone removed with
    /// their stories (kept ones stay as saved stories).
    pub fn apply_account_subscriptions(&mut self, id: i64, remote: &[RemoteFeed]) -> Result<()> {
        let mut tx = self.write("starting to store an account's subscriptions")?;
        require_account_tx(&tx, id)?;
        let now = now_ms();
        let mut listed = HashSet::new();
        for feed in remote {
            listed.insert(feed.remote_id.as_str());
            let folder = match feed.folder.as_deref().map(str::trim) {
                Some(name) if !name.is_empty() => Some(folder_id_tx(&tx, name)?.0),
                _ => None,
            };
            let title = match feed.title.trim() {
                "" => feed.url.as_str(),
                title => title,
            };
            let updated = tx
                .prepare_cached(
                    "UPDATE feeds SET title = ?3, source_url = ?4, site_url = ?5, folder_id = ?6 \
                     WHERE account_id = ?1 AND remote_id = ?2",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        id,
                        feed.remote_id,
                        title,
                        feed.url,
                        feed.site_url,
                        folder
                    ])
                })
                .map_err(|e| Error::db("updating an account's feed", e))?;
            if updated == 0 {
                tx.prepare_cached(
                    "INSERT INTO feeds (url, title, site_url, created_at, folder_id, account_id, \
                     remote_id, source_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        format!("gloss-account:{id}:{}", feed.remote_id),
                        title,
                        feed.site_url,
                        now,
                        folder,
                        id,
                        feed.remote_id,
                        feed.url
                    ])
                })
                .map_err(|e| Error::db("adding an account's feed", e))?;
            }
        }
        let gone: Vec<i64> = tx
            .prepare_cached("SELECT id, remote_id FROM feeds WHERE account_id = ?1")
            .and_then(|mut s| {
                s.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| Error::db("listing an account's feeds", e))?
            .into_iter()
            .filter(|(_, remote)| !listed.contains(remote.as_str()))
            .map(|(feed, _)| feed)
            .collect();
        let doomed = delete_feeds_tx(&tx, &gone)?;
        if !doomed.is_empty() {
            tx.record(Change::StoriesDeleted { stories: doomed });
        }
        tx.record(Change::AccountSynced {
            account: id,
            new_stories: 0,
        });
        tx.commit()
            .map_err(|e| Error::db("storing an account's subscriptions", e))
    }

    /// Every item of the account the library has seen, with its story's state.
    pub fn known_account_items(&self, id: i64) -> Result<Vec<KnownItem>> {
        self.conn
            .prepare_cached(
                "SELECT i.guid, a.id, a.read_at IS NOT NULL, coalesce(a.starred, 0) \
                 FROM feeds f JOIN feed_items i ON i.feed_id = f.id \
                 LEFT JOIN articles a ON a.id = i.article_id WHERE f.account_id = ?1",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    Ok(KnownItem {
                        item_id: r.get(0)?,
                        story: r.get(1)?,
                        read: r.get(2)?,
                        starred: r.get(3)?,
                    })
                })?
                .collect()
            })
            .map_err(|e| Error::db("reading an account's items", e))
    }

    /// Stores new items of an account's feeds as stories (each item once,
    /// as a refresh does) and where the next pull starts. Returns the
    /// stories added.
    pub fn store_account_items(
        &mut self,
        id: i64,
        batches: &[AccountItems],
        cursor: Option<&str>,
    ) -> Result<u32> {
        let mut tx = self.write("starting to store an account's items")?;
        require_account_tx(&tx, id)?;
        let now = now_ms();
        let mut added = 0;
        for batch in batches {
            let update = FeedUpdate {
                items: batch.items.clone(),
                ..FeedUpdate::default()
            };
            added += store_items_tx(&tx, batch.feed_id, &update, now)?;
            tx.execute(
                "UPDATE feeds SET last_checked = ?2 WHERE id = ?1",
                params![batch.feed_id, now],
            )
            .map_err(|e| Error::db("recording an account's feed", e))?;
        }
        if let Some(cursor) = cursor {
            tx.execute(
                "UPDATE accounts SET items_cursor = ?2 WHERE id = ?1",
                params![id, cursor],
            )
            .map_err(|e| Error::db("recording where the account's items stop", e))?;
        }
        tx.record(Change::AccountSynced {
            account: id,
            new_stories: added,
        });
        tx.commit()
            .map_err(|e| Error::db("storing an account's items", e))?;
        Ok(added)
    }

    /// The changes made in Gloss that the server has not confirmed, oldest first.
    pub fn pending_changes(&self, id: i64) -> Result<Vec<PendingChange>> {
        self.conn
            .prepare_cached(
                "SELECT seq, item_id, field, value FROM account_pending WHERE account_id = ?1 \
                 ORDER BY seq",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    let field: String = r.get(2)?;
                    Ok(PendingChange {
                        seq: r.get(0)?,
                        item_id: r.get(1)?,
                        field: StateField::parse(&field).unwrap_or(StateField::Read),
                        value: r.get(3)?,
                    })
                })?
                .collect()
            })
            .map_err(|e| Error::db("reading an account's pending changes", e))
    }

    /// Removes the pending changes the server confirmed (by `seq`: a later
    /// change of the same item stays).
    pub fn confirm_pending(&mut self, id: i64, seqs: &[i64]) -> Result<()> {
        if seqs.is_empty() {
            return Ok(());
        }
        let mut tx = self.write("starting to record confirmed changes")?;
        tx.record(Change::AccountUpdated { account: id });
        for seq in seqs {
            tx.prepare_cached("DELETE FROM account_pending WHERE account_id = ?1 AND seq = ?2")
                .and_then(|mut s| s.execute(params![id, seq]))
                .map_err(|e| Error::db("recording a confirmed change", e))?;
        }
        tx.commit()
            .map_err(|e| Error::db("recording confirmed changes", e))
    }

    /// Applies the read and starred states the server holds, except where a
    /// change made in Gloss waits for the same item and field (checked in
    /// this write, so a change made since the pull began still wins).
    /// Returns the stories changed.
    pub fn apply_remote_state(&mut self, id: i64, states: &[RemoteState]) -> Result<u32> {
        if states.is_empty() {
            return Ok(0);
        }
        let mut tx = self.write("starting to apply the server's read and starred states")?;
        let now = now_ms();
        let mut changed: [(Vec<StoryId>, Vec<StoryId>); 2] = Default::default();
        for state in states {
            let waiting = tx
                .prepare_cached(
                    "SELECT 1 FROM account_pending WHERE account_id = ?1 AND item_id = ?2 \
                     AND field = ?3",
                )
                .and_then(|mut s| s.exists(params![id, state.item_id, state.field.as_str()]))
                .map_err(|e| Error::db("reading an account's pending changes", e))?;
            if waiting {
                continue;
            }
            let n = match state.field {
                StateField::Read => tx
                    .prepare_cached(
                        "UPDATE articles SET read_at = CASE WHEN ?2 THEN coalesce(read_at, ?3) END \
                         WHERE id = ?1 AND (read_at IS NOT NULL) <> ?2",
                    )
                    .and_then(|mut s| s.execute(params![state.story, state.value, now])),
                StateField::Starred => tx
                    .prepare_cached("UPDATE articles SET starred = ?2 WHERE id = ?1 AND starred <> ?2")
                    .and_then(|mut s| s.execute(params![state.story, state.value])),
            }
            .map_err(|e| Error::db("applying the server's state", e))?;
            if n > 0 {
                let slot = &mut changed[usize::from(state.field == StateField::Starred)];
                if state.value {
                    slot.0.push(state.story);
                } else {
                    slot.1.push(state.story);
                }
            }
        }
        let mut count = 0;
        for (i, (on, off)) in changed.into_iter().enumerate() {
            for (stories, value) in [(on, true), (off, false)] {
                if stories.is_empty() {
                    continue;
                }
                count += stories.len() as u32;
                tx.record(if i == 0 {
                    Change::Read { stories, value }
                } else {
                    Change::Starred { stories, value }
                });
            }
        }
        tx.commit()
            .map_err(|e| Error::db("applying the server's read and starred states", e))?;
        Ok(count)
    }

    /// Records how a sync ended: the error in plain words and the waits, or
    /// success (the error count back to 0).
    pub fn record_account_sync(&mut self, id: i64, outcome: &AccountSyncOutcome) -> Result<()> {
        let mut tx = self.write("starting to record a sync")?;
        require_account_tx(&tx, id)?;
        tx.record(Change::AccountUpdated { account: id });
        let now = now_ms();
        match &outcome.error {
            None => tx.execute(
                "UPDATE accounts SET last_synced = ?2, error_count = 0, last_error = NULL, \
                 retry_after = NULL, backoff_until = NULL WHERE id = ?1",
                params![id, now],
            ),
            Some(error) => tx.execute(
                "UPDATE accounts SET error_count = error_count + 1, last_error = ?2, \
                 retry_after = ?3, backoff_until = ?4 WHERE id = ?1",
                params![id, error, outcome.retry_after, outcome.backoff_until],
            ),
        }
        .map_err(|e| Error::db("recording a sync", e))?;
        tx.commit().map_err(|e| Error::db("recording a sync", e))
    }
}
