//! Stories: storing a saved page, reading it back, listing and organising.

use rusqlite::{params, OptionalExtension, Row, Transaction};

use super::account_rows::StateField;
use super::changes::{Change, Write};
use super::pending::queue_state_tx;
use super::search_index::index_story;
use super::{missing, ms_to_rfc3339, now_ms, Library};
use crate::model::reading_minutes;
use crate::model::{
    ListCursor, ListFilter, ListQuery, SidebarCounts, Story, StoryId, StoryPage, StorySummary,
    TagCount,
};
use crate::{Error, Result};

/// A story ready to be written: extracted, sanitized, images fetched.
#[derive(Debug, Clone)]
pub struct NewStory {
    /// The URL to show and open (tracking parameters already removed).
    pub url: String,
    /// The de-duplication key (`urls::normalize`); saving the same key again
    /// updates the story instead of adding a second one.
    pub url_key: String,
    pub title: String,
    pub byline: Option<String>,
    pub site: Option<String>,
    pub language: Option<String>,
    pub dir: Option<String>,
    pub excerpt: Option<String>,
    pub published_at: Option<String>,
    /// Sanitized HTML whose images already point at the asset scheme.
    pub html: String,
    pub text: String,
    pub word_count: u32,
    /// The images `html` refers to.
    pub assets: Vec<NewAsset>,
    /// sha256 of the lead image, one of `assets`.
    pub lead_image: Option<String>,
    pub tags: Vec<String>,
    pub feed_id: Option<i64>,
    /// False for pages that are not articles (home pages, indexes): kept
    /// with what they had, and marked so the reader can say so.
    pub readerable: bool,
    /// When the story was saved (unix ms), for imports that carry the date
    /// from the other reader; `None` is now. Used only when the story is
    /// new: a story's saved time never changes.
    pub saved_at: Option<i64>,
}

impl Default for NewStory {
    fn default() -> Self {
        NewStory {
            url: String::new(),
            url_key: String::new(),
            title: String::new(),
            byline: None,
            site: None,
            language: None,
            dir: None,
            excerpt: None,
            published_at: None,
            html: String::new(),
            text: String::new(),
            word_count: 0,
            assets: Vec::new(),
            lead_image: None,
            tags: Vec::new(),
            feed_id: None,
            readerable: true,
            saved_at: None,
        }
    }
}

/// An image (or other file) of a story, stored by the sha256 of its bytes.
#[derive(Debug, Clone)]
pub struct NewAsset {
    pub sha256: String,
    pub mime: String,
    pub bytes: Vec<u8>,
    /// Where it was downloaded from.
    pub source_url: String,
}

/// What [`Library::store_story`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOutcome {
    pub id: StoryId,
    /// False when a story with the same normalised URL was updated.
    pub created: bool,
}

/// The columns every summary query selects, in the order [`summary_from_row`] reads.
const SUMMARY_COLUMNS: &str = "a.id, a.url, a.title, a.site, a.excerpt, a.language, a.saved_at, \
     a.published_at, a.starred, a.archived, a.read_at IS NOT NULL, a.word_count, a.progress, \
     a.lead_image, a.feed_id, a.annotation_count, \
     (SELECT group_concat(t.name, char(31)) FROM article_tags x JOIN tags t ON t.id = x.tag_id \
      WHERE x.article_id = a.id), a.readerable";

/// Reads a row selected with [`SUMMARY_COLUMNS`]; also returns the raw
/// `saved_at` in ms, which the list's cursor needs.
fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<(StorySummary, i64)> {
    let saved_at: i64 = row.get(6)?;
    let word_count: u32 = row.get(11)?;
    let tags: Option<String> = row.get(16)?;
    let mut tags: Vec<String> = tags
        .map(|t| t.split('\u{1f}').map(str::to_string).collect())
        .unwrap_or_default();
    tags.sort_by_key(|t| t.to_lowercase());
    let lead: Option<String> = row.get(13)?;
    Ok((
        StorySummary {
            id: row.get(0)?,
            url: row.get(1)?,
            title: row.get(2)?,
            site: row.get(3)?,
            excerpt: row.get(4)?,
            language: row.get(5)?,
            saved_at: ms_to_rfc3339(saved_at),
            published_at: row.get(7)?,
            starred: row.get(8)?,
            archived: row.get(9)?,
            read: row.get(10)?,
            tags,
            word_count,
            reading_minutes: reading_minutes(word_count),
            progress: row.get(12)?,
            lead_image: lead.map(|sha| super::asset_url(&sha)),
            feed_id: row.get(14)?,
            annotation_count: row.get(15)?,
            readerable: row.get(17)?,
        },
        saved_at,
    ))
}

impl Library {
    /// Writes a story, or updates the one with the same `url_key` (keeping its
    /// saved time, star, archive, read state, progress and tags; new tags are
    /// added). Everything happens in one transaction.
    pub fn store_story(&mut self, story: NewStory) -> Result<StoreOutcome> {
        let mut tx = self.write("starting to save a story")?;
        let outcome = store_story_tx(&tx, &story)?;
        tx.record(Change::StorySaved {
            story: outcome.id,
            created: outcome.created,
        });
        super::assets::delete_orphan_assets(&tx)?;
        tx.commit()
            .map_err(|e| Error::db("committing the saved story", e))?;
        Ok(outcome)
    }

    /// One story with its content.
    pub fn story(&self, id: StoryId) -> Result<Story> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, a.byline, a.dir, c.html, c.text \
             FROM articles a JOIN article_content c ON c.article_id = a.id WHERE a.id = ?1"
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row([id], |row| {
                    Ok(Story {
                        summary: summary_from_row(row)?.0,
                        byline: row.get("byline")?,
                        dir: row.get("dir")?,
                        html: row.get("html")?,
                        text: row.get("text")?,
                    })
                })
                .optional()
            })
            .map_err(|e| Error::db("reading a story", e))?
            .ok_or_else(|| missing(id))
    }

    /// One story's list fields.
    pub fn summary(&self, id: StoryId) -> Result<StorySummary> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.id = ?1");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([id], summary_from_row).optional())
            .map_err(|e| Error::db("reading a story", e))?
            .map(|(s, _)| s)
            .ok_or_else(|| missing(id))
    }

    /// A page of stories, newest first, for a sidebar filter, a tag or a feed.
    pub fn list(&self, query: &ListQuery) -> Result<StoryPage> {
        let sql = list_sql(query);
        let limit = query.limit.map(i64::from).unwrap_or(-1);
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(tag) = &query.tag {
            args.push(tag.clone().into());
        }
        if let Some(feed) = query.feed_id {
            args.push(feed.into());
        }
        if let Some(folder) = query.folder_id {
            args.push(folder.into());
        }
        if let Some(c) = query.before {
            args.push(c.saved_at_ms.into());
            args.push(c.id.into());
        }
        args.push(limit.into());
        let rows: Vec<(StorySummary, i64)> = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_map(rusqlite::params_from_iter(args), summary_from_row)?
                    .collect()
            })
            .map_err(|e| Error::db("listing stories", e))?;
        let next = match (query.limit, rows.last()) {
            (Some(limit), Some((last, saved_at_ms))) if rows.len() as u32 >= limit => {
                Some(ListCursor {
                    saved_at_ms: *saved_at_ms,
                    id: last.id,
                })
            }
            _ => None,
        };
        Ok(StoryPage {
            stories: rows.into_iter().map(|(s, _)| s).collect(),
            next,
        })
    }

    /// The sidebar's counts: one row kept up to date by triggers (schema
    /// migration 6), so they cost the same at 100 stories or 100,000; tag
    /// counts walk the tag index, which holds only tagged stories.
    pub fn counts(&self) -> Result<SidebarCounts> {
        let tags = self
            .conn
            .prepare_cached(
                "SELECT t.name, count(*) FROM tags t JOIN article_tags x ON x.tag_id = t.id \
                 GROUP BY t.id ORDER BY t.name COLLATE NOCASE",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(TagCount {
                        name: r.get(0)?,
                        count: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| Error::db("counting tags", e))?;
        self.conn
            .prepare_cached(COUNTS_SQL)
            .and_then(|mut s| {
                s.query_row([], |r| {
                    Ok(SidebarCounts {
                        all: r.get(0)?,
                        inbox: r.get(1)?,
                        unread: r.get(2)?,
                        starred: r.get(3)?,
                        archived: r.get(4)?,
                        annotated: r.get(5)?,
                        tags,
                    })
                })
            })
            .map_err(|e| Error::db("counting stories", e))
    }

    /// Stars (bookmarks) or unstars stories. All or nothing: an unknown id
    /// changes none.
    /// A story of a feed account has the change queued for its server.
    pub fn set_starred(&mut self, ids: &[StoryId], starred: bool) -> Result<()> {
        let mut tx = self.checked(ids)?;
        tx.record(Change::Starred {
            stories: ids.to_vec(),
            value: starred,
        });
        for id in ids {
            tx.prepare_cached("UPDATE articles SET starred = ?2 WHERE id = ?1")
                .and_then(|mut s| s.execute(params![id, starred]))
                .map_err(|e| Error::db("starring a story", e))?;
        }
        queue_state_tx(&tx, ids, StateField::Starred, starred)?;
        tx.commit().map_err(|e| Error::db("starring stories", e))
    }

    /// Archives or moves stories back to the inbox.
    pub fn set_archived(&mut self, ids: &[StoryId], archived: bool) -> Result<()> {
        self.update_each(
            ids,
            "UPDATE articles SET archived = ?2 WHERE id = ?1",
            archived,
            Change::Archived {
                stories: ids.to_vec(),
                value: archived,
            },
        )
    }

    /// Marks stories read (keeping the first time they were read) or unread;
    /// a story of a feed account has the change queued for its server.
    pub fn set_read(&mut self, ids: &[StoryId], read: bool) -> Result<()> {
        let now = now_ms();
        let mut tx = self.checked(ids)?;
        tx.record(Change::Read {
            stories: ids.to_vec(),
            value: read,
        });
        for id in ids {
            tx.prepare_cached(
                "UPDATE articles SET read_at = CASE WHEN ?2 THEN coalesce(read_at, ?3) END \
                 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(params![id, read, now]))
            .map_err(|e| Error::db("marking a story read", e))?;
        }
        queue_state_tx(&tx, ids, StateField::Read, read)?;
        tx.commit()
            .map_err(|e| Error::db("marking stories read", e))
    }

    /// Remembers how far a story has been read (0.0 to 1.0).
    pub fn set_progress(&mut self, id: StoryId, progress: f64) -> Result<()> {
        if !progress.is_finite() {
            return Err(Error::InvalidInput(format!(
                "reading progress must be a number from 0 to 1, not {progress}"
            )));
        }
        self.update_each(
            &[id],
            "UPDATE articles SET progress = ?2 WHERE id = ?1",
            progress.clamp(0.0, 1.0),
            Change::Progress {
                story: id,
                value: progress.clamp(0.0, 1.0),
            },
        )
    }

    /// Deletes stories with their tags links, index entries and the images no
    /// other story uses.
    pub fn delete(&mut self, ids: &[StoryId]) -> Result<()> {
        let mut tx = self.checked(ids)?;
        tx.record(Change::StoriesDeleted {
            stories: ids.to_vec(),
        });
        delete_stories_tx(&tx, ids)?;
        tx.commit().map_err(|e| Error::db("deleting stories", e))
    }

    fn update_each<T: rusqlite::ToSql>(
        &mut self,
        ids: &[StoryId],
        sql: &str,
        value: T,
        change: Change,
    ) -> Result<()> {
        let mut tx = self.checked(ids)?;
        tx.record(change);
        for id in ids {
            tx.prepare_cached(sql)
                .and_then(|mut s| s.execute(params![id, value]))
                .map_err(|e| Error::db("updating a story", e))?;
        }
        tx.commit().map_err(|e| Error::db("updating stories", e))
    }

    /// Starts a transaction after checking that every id exists, so a typo
    /// in one id leaves the library unchanged.
    pub(super) fn checked(&mut self, ids: &[StoryId]) -> Result<Write<'_>> {
        if ids.is_empty() {
            return Err(Error::InvalidInput("no story was given".into()));
        }
        let tx = self.write("starting an update")?;
        let mut unknown = Vec::new();
        for id in ids {
            let found = tx
                .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")
                .and_then(|mut s| s.exists([id]))
                .map_err(|e| Error::db("looking up a story", e))?;
            if !found {
                unknown.push(id.to_string());
            }
        }
        if !unknown.is_empty() {
            return Err(Error::NotFound(format!(
                "no story with id {} in this library; `gloss list` shows the ids",
                unknown.join(", ")
            )));
        }
        Ok(tx)
    }
}

/// Writes a story inside the caller's transaction (see [`Library::store_story`]).
/// Unused images are not removed here: the caller does that once per transaction.
pub(super) fn store_story_tx(tx: &Transaction<'_>, story: &NewStory) -> Result<StoreOutcome> {
    if story.url_key.is_empty() {
        return Err(Error::InvalidInput("a story needs a URL".into()));
    }
    let now = now_ms();
    for asset in &story.assets {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO assets (sha256, mime, size, bytes, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut s| {
            s.execute(params![
                asset.sha256,
                asset.mime,
                asset.bytes.len() as i64,
                asset.bytes,
                now
            ])
        })
        .map_err(|e| Error::db("storing an image", e))?;
    }
    let existing: Option<StoryId> = tx
        .query_row(
            "SELECT id FROM articles WHERE url_key = ?1",
            [&story.url_key],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| Error::db("looking for an earlier copy of the story", e))?;
    let id = match existing {
        Some(id) => {
            tx.execute(
                "UPDATE articles SET url = ?2, title = ?3, byline = ?4, site = ?5, \
                 language = ?6, dir = ?7, excerpt = ?8, published_at = ?9, updated_at = ?10, \
                 word_count = ?11, lead_image = ?12, feed_id = coalesce(?13, feed_id), \
                 readerable = ?14, needs_content = 0 WHERE id = ?1",
                params![
                    id,
                    story.url,
                    story.title,
                    story.byline,
                    story.site,
                    story.language,
                    story.dir,
                    story.excerpt,
                    story.published_at,
                    now,
                    story.word_count,
                    story.lead_image,
                    story.feed_id,
                    story.readerable
                ],
            )
            .map_err(|e| Error::db("updating the story", e))?;
            tx.execute(
                "UPDATE article_content SET html = ?2, text = ?3 WHERE article_id = ?1",
                params![id, story.html, story.text],
            )
            .map_err(|e| Error::db("updating the story's text", e))?;
            tx.execute("DELETE FROM article_assets WHERE article_id = ?1", [id])
                .map_err(|e| Error::db("updating the story's images", e))?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO articles (url, url_key, title, byline, site, language, dir, \
                 excerpt, published_at, saved_at, updated_at, word_count, lead_image, feed_id, \
                 readerable) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?15, ?10, ?11, ?12, ?13, ?14)",
                params![
                    story.url,
                    story.url_key,
                    story.title,
                    story.byline,
                    story.site,
                    story.language,
                    story.dir,
                    story.excerpt,
                    story.published_at,
                    now,
                    story.word_count,
                    story.lead_image,
                    story.feed_id,
                    story.readerable,
                    story.saved_at.unwrap_or(now)
                ],
            )
            .map_err(|e| Error::db("saving the story", e))?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO article_content (article_id, html, text) VALUES (?1, ?2, ?3)",
                params![id, story.html, story.text],
            )
            .map_err(|e| Error::db("saving the story's text", e))?;
            id
        }
    };
    for asset in &story.assets {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO article_assets (article_id, sha256, source_url) \
             VALUES (?1, ?2, ?3)",
        )
        .and_then(|mut s| s.execute(params![id, asset.sha256, asset.source_url]))
        .map_err(|e| Error::db("linking an image to the story", e))?;
    }
    super::tags::add_tags_tx(tx, id, &story.tags)?;
    if existing.is_some() {
        // The text may have changed: every highlight is placed again.
        super::annotations::reanchor_tx(tx, id)?;
    }
    index_story(
        tx,
        id,
        &story.title,
        story.byline.as_deref(),
        story.site.as_deref(),
        &story.text,
    )?;
    Ok(StoreOutcome {
        id,
        created: existing.is_none(),
    })
}

/// Deletes stories with their index entries, then the images and tags no
/// story uses any more, inside the caller's transaction.
pub(super) fn delete_stories_tx(tx: &Transaction<'_>, ids: &[StoryId]) -> Result<()> {
    for id in ids {
        for sql in [
            "DELETE FROM search_words WHERE rowid = ?1",
            "DELETE FROM articles WHERE id = ?1",
        ] {
            tx.prepare_cached(sql)
                .and_then(|mut s| s.execute([id]))
                .map_err(|e| Error::db("deleting a story", e))?;
        }
    }
    super::assets::delete_orphan_assets(tx)?;
    super::tags::delete_unused_tags(tx)
}

/// The condition of a sidebar filter, written exactly as its partial index's
/// WHERE clause (`schema.rs`), so SQLite walks that index in order.
fn filter_clause(filter: ListFilter) -> &'static str {
    match filter {
        ListFilter::All => "1",
        ListFilter::Inbox => "a.archived = 0",
        ListFilter::Unread => "a.read_at IS NULL",
        ListFilter::Starred => "a.starred = 1",
        ListFilter::Archived => "a.archived = 1",
        ListFilter::Annotated => "a.annotation_count > 0",
    }
}

/// The list query for what `query` asks. Only the conditions in use are in
/// the text (each variant is its own cached statement), so a page after a
/// cursor is an index range, not a walk from the top. Parameters, in order:
/// tag, feed, folder, cursor time and id (when present), limit.
pub(super) fn list_sql(query: &ListQuery) -> String {
    // A tag's list walks the tag's own index (article_tags_by_tag), which is
    // in saved order too; every other list walks the filter's partial index.
    let (from, order) = if query.tag.is_some() {
        (
            // CROSS JOIN keeps article_tags the outer loop whatever the planner guesses.
            "article_tags x CROSS JOIN articles a ON a.id = x.article_id \
             WHERE x.tag_id = (SELECT id FROM tags WHERE name = ?)",
            ("x.saved_at", "x.article_id"),
        )
    } else {
        ("articles a WHERE 1", ("a.saved_at", "a.id"))
    };
    let mut sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {from} AND {}",
        filter_clause(query.filter)
    );
    if query.feed_id.is_some() {
        sql.push_str(" AND a.feed_id = ?");
    }
    if query.folder_id.is_some() {
        sql.push_str(" AND a.feed_id IN (SELECT id FROM feeds WHERE folder_id = ?)");
    }
    let (time, id) = order;
    if query.before.is_some() {
        sql.push_str(&format!(" AND ({time}, {id}) < (?, ?)"));
    }
    sql.push_str(&format!(" ORDER BY {time} DESC, {id} DESC LIMIT ?"));
    sql
}

/// The sidebar's counts as the triggers of `story_counts` keep them.
pub(super) const COUNTS_SQL: &str =
    "SELECT total, inbox, unread, starred, archived, annotated FROM story_counts WHERE id = 1";

/// The count for one sidebar filter the slow way, reading its partial index;
/// tests check the counter row against it. The index is named because, when
/// most stories match, the planner would otherwise read the whole table.
#[cfg(test)]
pub(super) fn count_sql(filter: ListFilter) -> String {
    let index = match filter {
        ListFilter::All => "articles_saved",
        ListFilter::Inbox => "articles_inbox",
        ListFilter::Unread => "articles_unread",
        ListFilter::Starred => "articles_starred",
        ListFilter::Archived => "articles_archived",
        ListFilter::Annotated => "articles_annotated",
    };
    format!(
        "SELECT count(*) FROM articles a INDEXED BY {index} WHERE {}",
        filter_clause(filter)
    )
}
