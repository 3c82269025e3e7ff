//! Feeds and folders in the library: subscribing, the state a polite
//! refresh keeps per feed (validators, Retry-After, backoff, last error),
//! storing new items as stories once, unread counts, mark all read, next
//! unread, retention, the subscription list (its OPML form is
//! `feeds::opml`'s; backoff and what a check means are `feeds`').

use std::collections::HashSet;
use std::time::Duration;

use rusqlite::{params, OptionalExtension, Row, Transaction};
use url::Url;

use super::changes::Change;
use super::feed_rows::{
    FeedCheck, FeedOutcome, FeedUpdate, FetchResult, Subscription, Subscriptions,
};
use super::stories::{delete_stories_tx, store_story_tx};
use super::{asset_url, ms_to_rfc3339, now_ms, Library, NewAsset};
use crate::model::Validators;
use crate::model::{
    FeedInfo, FeedRefreshResult, FeedSettings, FolderInfo, ImportSummary, ListFilter, ListQuery,
    StoryId, StorySummary,
};
use crate::{urls, Error, Result};

/// The longest folder name accepted, in characters.
const MAX_FOLDER_CHARS: usize = 200;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A feed to subscribe to (after discovery).
#[derive(Debug, Clone, Default)]
pub struct NewFeed {
    pub url: String,
    pub title: String,
    pub site_url: Option<String>,
    pub icon_url: Option<String>,
    pub icon: Option<NewAsset>,
    pub folder: Option<String>,
    pub full_text: bool,
}

/// What a refresh should check now, and what it must leave for later.
#[derive(Debug, Clone, Default)]
pub struct RefreshPlan {
    pub checks: Vec<FeedCheck>,
    /// Feeds not checked now (`skipped_until` says till when).
    pub skipped: Vec<FeedRefreshResult>,
}

/// Every `FeedInfo` query selects these, in the order [`feed_from_row`] reads.
/// `last_error` holds the last check's message: an error while
/// `error_count` > 0, else a warning of entries skipped by a check that worked.
/// An account's feed shows its own address (`source_url`); its `url` is an
/// internal key (see schema migration 9).
const FEED_COLUMNS: &str =
    "f.id, coalesce(f.source_url, f.url), f.title, f.site_url, f.folder_id, d.name, f.icon, \
     f.full_text, f.retention_days, \
     (SELECT count(*) FROM articles a WHERE a.feed_id = f.id AND a.read_at IS NULL), \
     (SELECT count(*) FROM articles a WHERE a.feed_id = f.id), \
     f.created_at, f.last_checked, \
     nullif(max(coalesce(f.retry_after, 0), coalesce(f.backoff_until, 0)), 0), \
     f.error_count, CASE WHEN f.error_count > 0 THEN f.last_error END, \
     CASE WHEN f.error_count = 0 THEN f.last_error END, f.account_id \
     FROM feeds f LEFT JOIN folders d ON d.id = f.folder_id";

fn feed_from_row(r: &Row<'_>) -> rusqlite::Result<FeedInfo> {
    let icon: Option<String> = r.get(6)?;
    let ms = |i: usize| -> rusqlite::Result<Option<String>> {
        Ok(r.get::<_, Option<i64>>(i)?.map(ms_to_rfc3339))
    };
    Ok(FeedInfo {
        id: r.get(0)?,
        url: r.get(1)?,
        title: r.get(2)?,
        site_url: r.get(3)?,
        folder_id: r.get(4)?,
        folder: r.get(5)?,
        icon: icon.map(|sha| asset_url(&sha)),
        full_text: r.get(7)?,
        retention_days: r.get(8)?,
        unread: r.get(9)?,
        stories: r.get(10)?,
        created_at: ms_to_rfc3339(r.get(11)?),
        last_checked: ms(12)?,
        next_check: ms(13)?,
        error_count: r.get(14)?,
        last_error: r.get(15)?,
        warning: r.get(16)?,
        account_id: r.get(17)?,
    })
}

fn no_feed(id: i64) -> Error {
    Error::NotFound(format!(
        "no feed with id {id} in this library; `gloss feeds list` shows the ids"
    ))
}

/// Trims a folder name and refuses ones a sidebar could not show.
fn clean_folder(name: &str) -> Result<String> {
    clean_name(name, "a folder name", MAX_FOLDER_CHARS)
}

/// A name a sidebar shows (a folder's, an account's): spaces folded, not
/// empty, at most `max` characters; `what` names it in the error.
pub(super) fn clean_name(name: &str, what: &str, max: usize) -> Result<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::InvalidInput(format!("{what} cannot be empty")));
    }
    if name.chars().count() > max {
        return Err(Error::InvalidInput(format!(
            "{what} can be at most {max} characters long"
        )));
    }
    Ok(name)
}

/// The id of the folder named `name`, created if new; and whether it was.
pub(super) fn folder_id_tx(tx: &Transaction<'_>, name: &str) -> Result<(i64, bool)> {
    let name = clean_folder(name)?;
    let created = tx
        .prepare_cached("INSERT OR IGNORE INTO folders (name, created_at) VALUES (?1, ?2)")
        .and_then(|mut s| s.execute(params![name, now_ms()]))
        .map_err(|e| Error::db("creating a folder", e))?
        > 0;
    let id = tx
        .prepare_cached("SELECT id FROM folders WHERE name = ?1")
        .and_then(|mut s| s.query_row([&name], |r| r.get(0)))
        .map_err(|e| Error::db("finding a folder", e))?;
    Ok((id, created))
}

/// Fails with the user's message unless feed `id` exists.
fn require_feed_tx(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.query_row("SELECT 1 FROM feeds WHERE id = ?1", [id], |_| Ok(()))
        .optional()
        .map_err(|e| Error::db("looking up a feed", e))?
        .ok_or_else(|| no_feed(id))
}

pub(super) fn store_icon_tx(tx: &Transaction<'_>, icon: &NewAsset) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO assets (sha256, mime, size, bytes, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| {
        s.execute(params![
            icon.sha256,
            icon.mime,
            icon.bytes.len() as i64,
            icon.bytes,
            now_ms()
        ])
    })
    .map_err(|e| Error::db("storing a feed's icon", e))?;
    Ok(())
}

impl Library {
    /// Subscribes to a feed. A feed already followed is refused (its id is
    /// in the message).
    pub fn add_feed(&mut self, feed: &NewFeed) -> Result<FeedInfo> {
        let url = urls::parse_web_url(&feed.url)?.to_string();
        let mut tx = self.write("starting to add a feed")?;
        let existing: Option<i64> = tx
            .query_row("SELECT id FROM feeds WHERE url = ?1", [&url], |r| r.get(0))
            .optional()
            .map_err(|e| Error::db("looking for the feed", e))?;
        if let Some(id) = existing {
            return Err(Error::InvalidInput(format!(
                "you already follow {url} (feed {id}); `gloss feeds list` shows your feeds"
            )));
        }
        let folder = match feed.folder.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => Some(folder_id_tx(&tx, name)?.0),
            _ => None,
        };
        if let Some(icon) = &feed.icon {
            store_icon_tx(&tx, icon)?;
        }
        tx.execute(
            "INSERT INTO feeds (url, title, site_url, created_at, folder_id, full_text, icon_url, icon) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                url,
                feed.title.trim(),
                feed.site_url,
                now_ms(),
                folder,
                feed.full_text,
                feed.icon_url,
                feed.icon.as_ref().map(|i| &i.sha256)
            ],
        )
        .map_err(|e| Error::db("adding the feed", e))?;
        let id = tx.last_insert_rowid();
        tx.record(Change::FeedAdded { feed: id });
        tx.commit().map_err(|e| Error::db("adding the feed", e))?;
        self.feed(id)
    }

    /// One feed with its counts.
    pub fn feed(&self, id: i64) -> Result<FeedInfo> {
        self.conn
            .prepare_cached(&format!("SELECT {FEED_COLUMNS} WHERE f.id = ?1"))
            .and_then(|mut s| s.query_row([id], feed_from_row).optional())
            .map_err(|e| Error::db("reading a feed", e))?
            .ok_or_else(|| no_feed(id))
    }

    /// Every feed with its unread count, by folder then title.
    pub fn feeds(&self) -> Result<Vec<FeedInfo>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {FEED_COLUMNS} ORDER BY d.name IS NOT NULL, d.name COLLATE NOCASE, \
                 f.title COLLATE NOCASE, f.id"
            ))
            .and_then(|mut s| s.query_map([], feed_from_row)?.collect())
            .map_err(|e| Error::db("listing feeds", e))
    }

    /// Every folder with its feed and unread counts, by name.
    pub fn folders(&self) -> Result<Vec<FolderInfo>> {
        self.conn
            .prepare_cached(
                "SELECT d.id, d.name, \
                 (SELECT count(*) FROM feeds f WHERE f.folder_id = d.id), \
                 (SELECT count(*) FROM feeds f JOIN articles a ON a.feed_id = f.id \
                  WHERE f.folder_id = d.id AND a.read_at IS NULL) \
                 FROM folders d ORDER BY d.name COLLATE NOCASE",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(FolderInfo {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        feeds: r.get(2)?,
                        unread: r.get(3)?,
                    })
                })?
                .collect()
            })
            .map_err(|e| Error::db("listing folders", e))
    }

    /// Creates a folder (or finds the one with that name, whatever its case).
    pub fn add_folder(&mut self, name: &str) -> Result<FolderInfo> {
        let mut tx = self.write("starting to add a folder")?;
        let (id, created) = folder_id_tx(&tx, name)?;
        if created {
            tx.record(Change::FolderAdded { folder: id });
        }
        tx.commit().map_err(|e| Error::db("adding a folder", e))?;
        self.folders()?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or_else(|| Error::NotFound(format!("the folder {name} disappeared; try again")))
    }

    /// Renames a folder. Refused when another folder has the name.
    pub fn rename_folder(&mut self, id: i64, name: &str) -> Result<()> {
        let name = clean_folder(name)?;
        let mut tx = self.write("starting to rename a folder")?;
        tx.record(Change::FolderRenamed { folder: id });
        let changed = tx
            .execute(
                "UPDATE folders SET name = ?2 WHERE id = ?1",
                params![id, name],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Error::InvalidInput(format!(
                        "a folder named {name} exists already; choose another name"
                    ))
                }
                e => Error::db("renaming a folder", e),
            })?;
        if changed == 0 {
            return Err(Error::NotFound(format!("no folder with id {id}")));
        }
        tx.commit().map_err(|e| Error::db("renaming a folder", e))
    }

    /// Deletes a folder; its feeds stay, with no folder.
    pub fn delete_folder(&mut self, id: i64) -> Result<()> {
        let mut tx = self.write("starting to delete a folder")?;
        tx.record(Change::FolderDeleted { folder: id });
        let changed = tx
            .execute("DELETE FROM folders WHERE id = ?1", [id])
            .map_err(|e| Error::db("deleting a folder", e))?;
        if changed == 0 {
            return Err(Error::NotFound(format!("no folder with id {id}")));
        }
        tx.commit().map_err(|e| Error::db("deleting a folder", e))
    }

    /// Changes a feed's title, folder, full-text mode or retention.
    pub fn update_feed(&mut self, id: i64, settings: &FeedSettings) -> Result<FeedInfo> {
        let mut tx = self.write("starting to change a feed")?;
        require_feed_tx(&tx, id)?;
        tx.record(Change::FeedUpdated { feed: id });
        let update = |sql: &str, value: &dyn rusqlite::ToSql| -> Result<()> {
            tx.execute(sql, params![id, value])
                .map(|_| ())
                .map_err(|e| Error::db("changing a feed", e))
        };
        if let Some(title) = settings.title.as_deref().map(str::trim) {
            if title.is_empty() {
                return Err(Error::InvalidInput("a feed's title cannot be empty".into()));
            }
            update("UPDATE feeds SET title = ?2 WHERE id = ?1", &title)?;
        }
        if let Some(folder) = settings.folder.as_deref() {
            let folder_id = match folder.trim() {
                "" => None,
                name => Some(folder_id_tx(&tx, name)?.0),
            };
            update("UPDATE feeds SET folder_id = ?2 WHERE id = ?1", &folder_id)?;
        }
        if let Some(full_text) = settings.full_text {
            update("UPDATE feeds SET full_text = ?2 WHERE id = ?1", &full_text)?;
        }
        if let Some(days) = settings.retention_days {
            let days = (days > 0).then_some(days);
            update("UPDATE feeds SET retention_days = ?2 WHERE id = ?1", &days)?;
        }
        tx.commit().map_err(|e| Error::db("changing a feed", e))?;
        self.feed(id)
    }

    /// Unsubscribes. The feed's stories that are starred, annotated or
    /// tagged stay in the library as ordinary stories; the others are
    /// deleted with it, unless `keep_stories`. Returns how many were deleted.
    pub fn remove_feed(&mut self, id: i64, keep_stories: bool) -> Result<u32> {
        let mut tx = self.write("starting to remove a feed")?;
        require_feed_tx(&tx, id)?;
        super::pending::refuse_account_feed_tx(&tx, id)?;
        let doomed: Vec<StoryId> = if keep_stories {
            Vec::new()
        } else {
            tx.prepare(&format!(
                "SELECT a.id FROM articles a WHERE a.feed_id = ?1 AND {NOT_KEPT}"
            ))
            .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
            .map_err(|e| Error::db("finding the feed's stories", e))?
        };
        if !doomed.is_empty() {
            tx.record(Change::StoriesDeleted {
                stories: doomed.clone(),
            });
        }
        tx.record(Change::FeedRemoved { feed: id });
        delete_stories_tx(&tx, &doomed)?;
        tx.execute("DELETE FROM feeds WHERE id = ?1", [id])
            .map_err(|e| Error::db("removing the feed", e))?;
        super::assets::delete_orphan_assets(&tx)?;
        tx.commit().map_err(|e| Error::db("removing the feed", e))?;
        Ok(doomed.len() as u32)
    }

    /// What a refresh needs of one feed (whatever its schedule).
    pub fn feed_check(&self, id: i64) -> Result<FeedCheck> {
        let row = self.feed_check_row(id)?.ok_or_else(|| no_feed(id))?;
        Ok(row.check)
    }

    /// The feeds a refresh of `ids` (all when empty) checks now. A feed's
    /// `Retry-After` is always honoured; its backoff after errors only in a
    /// refresh of all feeds (asking for one feed by id is a person asking).
    /// An unknown id is an error and nothing is checked.
    pub fn feeds_to_check(&self, ids: &[i64], now: i64) -> Result<RefreshPlan> {
        let explicit = !ids.is_empty();
        let ids: Vec<i64> = if explicit {
            let mut seen = HashSet::new();
            ids.iter().copied().filter(|id| seen.insert(*id)).collect()
        } else {
            self.conn
                .prepare_cached("SELECT id FROM feeds WHERE account_id IS NULL ORDER BY id")
                .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                .map_err(|e| Error::db("listing feeds", e))?
        };
        let mut rows = Vec::with_capacity(ids.len());
        let mut unknown = Vec::new();
        for id in &ids {
            match self.feed_check_row(*id)? {
                Some(row) => rows.push(row),
                None => unknown.push(id.to_string()),
            }
        }
        if !unknown.is_empty() {
            return Err(Error::NotFound(format!(
                "no feed with id {} to refresh in this library; `gloss feeds list` shows the ids \
                 (an account's feeds are refreshed by `gloss accounts sync`)",
                unknown.join(", ")
            )));
        }
        let mut plan = RefreshPlan::default();
        for row in rows {
            let mut until = row.retry_after.unwrap_or(0);
            if !explicit {
                until = until.max(row.backoff_until.unwrap_or(0));
            }
            if until > now {
                plan.skipped.push(FeedRefreshResult {
                    id: row.check.id,
                    title: row.check.title.clone(),
                    new: 0,
                    error: None,
                    warning: None,
                    not_modified: false,
                    skipped_until: Some(ms_to_rfc3339(until)),
                });
            } else {
                plan.checks.push(row.check);
            }
        }
        Ok(plan)
    }

    fn feed_check_row(&self, id: i64) -> Result<Option<CheckRow>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT url, title, site_url, full_text, etag, last_modified, \
                 icon IS NULL AND last_checked IS NULL, retry_after, backoff_until \
                 FROM feeds WHERE id = ?1 AND account_id IS NULL",
            )
            .and_then(|mut s| {
                s.query_row([id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, bool>(3)?,
                        Validators {
                            etag: r.get(4)?,
                            last_modified: r.get(5)?,
                        },
                        r.get::<_, bool>(6)?,
                        r.get::<_, Option<i64>>(7)?,
                        r.get::<_, Option<i64>>(8)?,
                    ))
                })
                .optional()
            })
            .map_err(|e| Error::db("reading a feed", e))?;
        let Some((url, title, site_url, full_text, validators, wants_icon, retry, backoff)) = row
        else {
            return Ok(None);
        };
        let url = Url::parse(&url).map_err(|_| {
            Error::InvalidInput(format!(
                "feed {id} has an invalid address ({url}); remove it and subscribe again"
            ))
        })?;
        let known_guids = self
            .conn
            .prepare_cached("SELECT guid FROM feed_items WHERE feed_id = ?1")
            .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
            .map_err(|e| Error::db("reading a feed's items", e))?;
        Ok(Some(CheckRow {
            check: FeedCheck {
                id,
                url,
                title,
                site_url,
                full_text,
                validators,
                known_guids,
                wants_icon,
            },
            retry_after: retry,
            backoff_until: backoff,
        }))
    }

    /// Stores what checking a feed gave: new items as stories (each item
    /// once per feed, and a story already in the library by its URL is
    /// linked, not duplicated or overwritten), the validators for the next
    /// conditional GET, and the error count, backoff and `Retry-After`.
    /// `backoff` is the feeds module's policy: how long to wait after this
    /// many errors in a row.
    pub fn record_feed_check(
        &mut self,
        outcome: &FeedOutcome,
        backoff: impl Fn(u32) -> Duration,
    ) -> Result<FeedRefreshResult> {
        let id = outcome.feed_id;
        let mut tx = self.write("starting to store a feed")?;
        let (title, errors): (String, u32) = tx
            .query_row(
                "SELECT title, error_count FROM feeds WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| Error::db("reading a feed", e))?
            .ok_or_else(|| no_feed(id))?;
        let now = now_ms();
        let mut result = FeedRefreshResult {
            id,
            title,
            new: 0,
            error: None,
            warning: None,
            not_modified: false,
            skipped_until: None,
        };
        match &outcome.result {
            FetchResult::NotModified(v) => {
                tx.execute(
                    // An unchanged document keeps its warning of skipped entries.
                    "UPDATE feeds SET last_checked = ?2, error_count = 0, \
                     last_error = CASE WHEN error_count = 0 THEN last_error END, \
                     backoff_until = NULL, retry_after = NULL, \
                     etag = coalesce(?3, etag), last_modified = coalesce(?4, last_modified) \
                     WHERE id = ?1",
                    params![id, now, v.etag, v.last_modified],
                )
                .map_err(|e| Error::db("recording the feed's check", e))?;
                result.not_modified = true;
            }
            FetchResult::Updated(update) => {
                result.new = store_items_tx(&tx, id, update, now)?;
                result.warning = update.warning.clone();
                if let Some(icon) = &update.icon {
                    store_icon_tx(&tx, icon)?;
                }
                tx.execute(
                    "UPDATE feeds SET last_checked = ?2, error_count = 0, last_error = ?9, \
                     backoff_until = NULL, retry_after = NULL, etag = ?3, last_modified = ?4, \
                     site_url = coalesce(site_url, ?5), icon_url = coalesce(icon_url, ?6), \
                     icon = coalesce(icon, ?7), \
                     title = CASE WHEN title = '' THEN coalesce(?8, title) ELSE title END \
                     WHERE id = ?1",
                    params![
                        id,
                        now,
                        update.validators.etag,
                        update.validators.last_modified,
                        update.site_url,
                        update.icon_url,
                        update.icon.as_ref().map(|i| &i.sha256),
                        update.title,
                        update.warning
                    ],
                )
                .map_err(|e| Error::db("recording the feed's check", e))?;
                if result.title.is_empty() {
                    result.title = update.title.clone().unwrap_or_default();
                }
            }
            FetchResult::Failed { error, retry_after } => {
                let errors = errors.saturating_add(1);
                let until = now + duration_ms(backoff(errors));
                let retry = retry_after.map(|d| now + duration_ms(d));
                tx.execute(
                    "UPDATE feeds SET last_checked = ?2, error_count = ?3, last_error = ?4, \
                     backoff_until = ?5, retry_after = ?6 WHERE id = ?1",
                    params![id, now, errors, error, until, retry],
                )
                .map_err(|e| Error::db("recording the feed's error", e))?;
                result.error = Some(error.clone());
            }
            FetchResult::Cancelled => {
                result.error = Some("cancelled".into());
            }
        }
        if !matches!(outcome.result, FetchResult::Cancelled) {
            tx.record(Change::FeedChecked {
                feed: id,
                new_stories: result.new,
            });
        }
        tx.commit()
            .map_err(|e| Error::db("storing the feed's stories", e))?;
        Ok(result)
    }

    /// Deletes feed stories older than their feed's retention (or
    /// `default_days`) by the time they arrived, unless starred, annotated
    /// or tagged. Their items stay known, so they do not come back. Returns
    /// how many were deleted.
    pub fn prune_feed_stories(&mut self, default_days: u32, now: i64) -> Result<u32> {
        let mut tx = self.write("starting to prune feed stories")?;
        let doomed: Vec<StoryId> = tx
            .prepare(&format!(
                "SELECT a.id FROM articles a JOIN feeds f ON f.id = a.feed_id \
                 WHERE a.saved_at < ?1 - coalesce(f.retention_days, ?2) * {DAY_MS} AND {NOT_KEPT} \
                 AND EXISTS (SELECT 1 FROM feed_items i WHERE i.article_id = a.id)"
            ))
            .and_then(|mut s| {
                s.query_map(params![now, default_days], |r| r.get(0))?
                    .collect()
            })
            .map_err(|e| Error::db("finding old feed stories", e))?;
        if doomed.is_empty() {
            return Ok(0);
        }
        tx.record(Change::StoriesDeleted {
            stories: doomed.clone(),
        });
        delete_stories_tx(&tx, &doomed)?;
        tx.commit()
            .map_err(|e| Error::db("pruning feed stories", e))?;
        Ok(doomed.len() as u32)
    }

    /// Marks every unread story of a list read (a feed: `feed_id`; a
    /// folder: `folder_id`) and returns the ids it changed, so the UI can
    /// undo with `set_read(ids, false)`.
    pub fn mark_all_read(&mut self, query: &ListQuery) -> Result<Vec<StoryId>> {
        let mut q = query.clone();
        q.limit = None;
        q.before = None;
        if q.filter == ListFilter::All {
            q.filter = ListFilter::Unread;
        }
        let ids: Vec<StoryId> = self
            .list(&q)?
            .stories
            .into_iter()
            .filter(|s| !s.read)
            .map(|s| s.id)
            .collect();
        if !ids.is_empty() {
            self.set_read(&ids, true)?;
        }
        Ok(ids)
    }

    /// The next unread story of a list after the story `after` (in list
    /// order, newest first), wrapping round to the top; `None` when the
    /// list has no other unread story.
    pub fn next_unread(
        &self,
        query: &ListQuery,
        after: Option<StoryId>,
    ) -> Result<Option<StorySummary>> {
        const PAGE: u32 = 200;
        let mut q = query.clone();
        if matches!(q.filter, ListFilter::All | ListFilter::Unread) {
            q.filter = ListFilter::Unread;
        }
        q.limit = Some(PAGE);
        let cursor = match after {
            Some(id) => Some(crate::model::ListCursor {
                saved_at_ms: self
                    .conn
                    .query_row("SELECT saved_at FROM articles WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .optional()
                    .map_err(|e| Error::db("finding the current story", e))?
                    .ok_or_else(|| super::missing(id))?,
                id,
            }),
            None => None,
        };
        // After the current story, then from the top back to it.
        for (start, stop) in [(cursor, None), (None, cursor)] {
            q.before = start;
            loop {
                let page = self.list(&q)?;
                for s in &page.stories {
                    if Some(s.id) == after {
                        if stop.is_some() {
                            return Ok(None);
                        }
                        continue;
                    }
                    if !s.read {
                        return Ok(Some(s.clone()));
                    }
                }
                match page.next {
                    Some(next) => q.before = Some(next),
                    None => break,
                }
            }
            if cursor.is_none() {
                break;
            }
        }
        Ok(None)
    }

    /// Adds the feeds and folders of a subscription list (no network: the
    /// next refresh reads them). Feeds already followed are left as they are.
    pub fn add_subscriptions(&mut self, doc: &Subscriptions) -> Result<ImportSummary> {
        let mut tx = self.write("starting the import")?;
        let mut summary = ImportSummary::default();
        for name in &doc.folders {
            match folder_id_tx(&tx, name) {
                Ok((_, created)) => summary.folders += u32::from(created),
                Err(e) => summary.skipped.push(format!("folder {name}: {e}")),
            }
        }
        let now = now_ms();
        for feed in &doc.feeds {
            let url = match urls::parse_web_url(&feed.url) {
                Ok(url) => url.to_string(),
                Err(e) => {
                    summary.skipped.push(format!("{}: {e}", feed.url));
                    continue;
                }
            };
            let folder = match feed.folder.as_deref() {
                Some(name) => match folder_id_tx(&tx, name) {
                    Ok((id, created)) => {
                        summary.folders += u32::from(created);
                        Some(id)
                    }
                    Err(_) => None,
                },
                None => None,
            };
            let title = feed.title.clone().unwrap_or_else(|| {
                Url::parse(&url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
                    .unwrap_or_default()
            });
            let added = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO feeds (url, title, site_url, created_at, folder_id) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .and_then(|mut s| s.execute(params![url, title, feed.site_url, now, folder]))
                .map_err(|e| Error::db("importing a feed", e))?;
            if added > 0 {
                summary.added += 1;
            } else {
                summary.existing += 1;
            }
        }
        if summary.added > 0 || summary.folders > 0 {
            tx.record(Change::SubscriptionsAdded {
                feeds: summary.added,
                folders: summary.folders,
            });
        }
        tx.commit()
            .map_err(|e| Error::db("finishing the import", e))?;
        Ok(summary)
    }

    /// Every feed and folder, for a subscription list (`feeds::opml` writes it).
    pub fn subscriptions(&self) -> Result<Subscriptions> {
        let folders: Vec<String> = self
            .conn
            .prepare("SELECT name FROM folders ORDER BY name COLLATE NOCASE")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| Error::db("reading folders", e))?;
        let feeds: Vec<Subscription> = self
            .feeds()?
            .into_iter()
            .map(|f| Subscription {
                url: f.url,
                title: Some(f.title).filter(|t| !t.is_empty()),
                site_url: f.site_url,
                folder: f.folder,
            })
            .collect();
        Ok(Subscriptions { feeds, folders })
    }
}

/// The condition for a story the user has kept: never pruned, never deleted
/// with its feed.
pub(super) const NOT_KEPT: &str = "a.starred = 0 AND a.annotation_count = 0 \
     AND NOT EXISTS (SELECT 1 FROM article_tags x WHERE x.article_id = a.id)";

struct CheckRow {
    check: FeedCheck,
    retry_after: Option<i64>,
    backoff_until: Option<i64>,
}

/// Records the new ids of items known under their former ones, then
/// writes a feed's new items: an item the feed showed before is skipped
/// (by its id, or the id earlier versions gave it); an item whose link is
/// a story saved by hand or by another feed is linked to that story (its
/// content and state untouched); an item whose link is already the story
/// of another item of this feed becomes a story of its own under the
/// item's key; anything else becomes a story. Returns stories added.
pub(super) fn store_items_tx(
    tx: &Transaction<'_>,
    feed_id: i64,
    update: &FeedUpdate,
    now: i64,
) -> Result<u32> {
    for (former, now_known_as) in &update.renamed {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO feed_items (feed_id, guid, article_id, first_seen) \
             SELECT feed_id, ?3, article_id, first_seen FROM feed_items \
             WHERE feed_id = ?1 AND guid = ?2",
        )
        .and_then(|mut s| s.execute(params![feed_id, former, now_known_as]))
        .map_err(|e| Error::db("recording a feed item's new id", e))?;
    }
    let mut added = 0;
    for item in &update.items {
        let ids = std::iter::once(&item.guid).chain(item.former_guid.as_ref());
        let mut known = false;
        for guid in ids {
            known |= tx
                .prepare_cached("SELECT 1 FROM feed_items WHERE feed_id = ?1 AND guid = ?2")
                .and_then(|mut s| s.exists(params![feed_id, guid]))
                .map_err(|e| Error::db("looking up a feed item", e))?;
        }
        if known {
            continue;
        }
        let by_link = story_with_key_tx(tx, &item.story.url_key)?;
        let shared = match by_link {
            Some(id) => tx
                .prepare_cached("SELECT 1 FROM feed_items WHERE feed_id = ?1 AND article_id = ?2")
                .and_then(|mut s| s.exists(params![feed_id, id]))
                .map_err(|e| Error::db("looking up a feed's stories", e))?,
            None => false,
        };
        let article_id = match (by_link, shared) {
            (Some(id), false) => id,
            (_, true) => match story_with_key_tx(tx, &item.item_key)? {
                Some(id) => id,
                None => {
                    added += 1;
                    let mut own = item.story.clone();
                    own.url_key = item.item_key.clone();
                    store_story_tx(tx, &own)?.id
                }
            },
            (None, false) => {
                added += 1;
                store_story_tx(tx, &item.story)?.id
            }
        };
        tx.prepare_cached(
            "INSERT INTO feed_items (feed_id, guid, article_id, first_seen) VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut s| s.execute(params![feed_id, item.guid, article_id, now]))
        .map_err(|e| Error::db("recording a feed item", e))?;
    }
    Ok(added)
}

/// The story whose de-duplication key is `key`, if any.
fn story_with_key_tx(tx: &Transaction<'_>, key: &str) -> Result<Option<StoryId>> {
    tx.prepare_cached("SELECT id FROM articles WHERE url_key = ?1")
        .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
        .map_err(|e| Error::db("looking for the story", e))
}

fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)
}
