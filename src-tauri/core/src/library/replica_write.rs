//! Sync's writes: stories, highlights, feeds and folders written from
//! the fields their registers hold, or deleted, inside sync's transaction.

use rusqlite::{params, OptionalExtension};
use serde_json::Value;

use super::now_ms;
use super::replica::{db, Body, Fields, Images, Replica};
use super::search_index::{index_story, reindex_story};
use crate::model::StoryId;
use crate::Result;

impl Replica<'_> {
    /// Writes a folder from its fields (its key is its name in lower
    /// case), or deletes it (`None`; its feeds leave it).
    pub fn write_folder(&mut self, key: &str, fields: Option<&Fields>) -> Result<()> {
        let name = fields
            .and_then(|f| f.get("name"))
            .and_then(Value::as_str)
            .filter(|n| n.to_ascii_lowercase() == key);
        match name {
            None => self
                .tx
                .execute("DELETE FROM folders WHERE lower(name) = ?1", [key])
                .map(|_| ())
                .map_err(db("deleting a synced folder")),
            Some(name) => {
                let renamed = self
                    .tx
                    .execute(
                        "UPDATE folders SET name = ?2 WHERE lower(name) = ?1 AND name != ?2",
                        params![key, name],
                    )
                    .map_err(db("renaming a synced folder"))?;
                if renamed == 0 {
                    self.tx
                        .execute(
                            "INSERT OR IGNORE INTO folders (name, created_at) VALUES (?1, ?2)",
                            params![name, now_ms()],
                        )
                        .map_err(db("adding a synced folder"))?;
                }
                Ok(())
            }
        }
    }

    /// Writes a feed subscription from its fields, or removes it (`None`;
    /// its stories stay, their own deletions travel as theirs). Its folder
    /// is the folder with that key when there is one.
    pub fn write_feed(&mut self, url: &str, fields: Option<&Fields>) -> Result<()> {
        let Some(f) = fields else {
            return self
                .tx
                .execute("DELETE FROM feeds WHERE url = ?1", [url])
                .map(|_| ())
                .map_err(db("removing a synced feed"));
        };
        let folder: Option<i64> = match f.get("folder").and_then(Value::as_str) {
            Some(key) => self
                .tx
                .prepare_cached("SELECT id FROM folders WHERE lower(name) = ?1")
                .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
                .map_err(db("finding a synced feed's folder"))?,
            None => None,
        };
        let title = f.get("title").and_then(Value::as_str).unwrap_or("");
        let site = f.get("site_url").and_then(Value::as_str);
        let full_text = f.get("full_text").and_then(Value::as_bool).unwrap_or(false);
        let days = f.get("retention_days").and_then(Value::as_i64);
        let updated = self
            .tx
            .execute(
                "UPDATE feeds SET title = ?2, site_url = ?3, folder_id = ?4, full_text = ?5, \
                 retention_days = ?6 WHERE url = ?1",
                params![url, title, site, folder, full_text, days],
            )
            .map_err(db("updating a synced feed"))?;
        if updated == 0 {
            self.tx
                .execute(
                    "INSERT INTO feeds (url, title, site_url, created_at, folder_id, full_text, \
                     retention_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![url, title, site, now_ms(), folder, full_text, days],
                )
                .map_err(db("adding a synced feed"))?;
        }
        Ok(())
    }

    /// Writes a story from its fields, or deletes it (`None`). `body` is
    /// its body when the `body` field names one the story does not have
    /// yet, with the images' bytes; a new story without one gets an empty
    /// body until it comes.
    pub fn write_story(
        &mut self,
        key: &str,
        fields: Option<&Fields>,
        body: Option<(&Body, &Images)>,
    ) -> Result<()> {
        let existing = self.story_id(key)?;
        let Some(f) = fields else {
            if let Some(id) = existing {
                super::stories::delete_stories_tx(&self.tx, &[id])?;
                self.touched.push(id);
            }
            return Ok(());
        };
        let text = |name: &str| f.get(name).and_then(Value::as_str).map(str::to_string);
        let meta = f.get("meta").cloned().unwrap_or(Value::Null);
        let m_str = |name: &str| meta.get(name).and_then(Value::as_str).map(str::to_string);
        let now = now_ms();
        let url = text("url").unwrap_or_else(|| key.to_string());
        let title = text("title").unwrap_or_default();
        let saved_at = meta.get("saved_at").and_then(Value::as_i64).unwrap_or(now);
        let word_count = meta.get("word_count").and_then(Value::as_i64).unwrap_or(0);
        let readerable = meta
            .get("readerable")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let starred = f.get("starred").and_then(Value::as_bool).unwrap_or(false);
        let archived = f.get("archived").and_then(Value::as_bool).unwrap_or(false);
        let read_at = f.get("read_at").and_then(Value::as_i64);
        let progress = f
            .get("progress")
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
            .clamp(0.0, 1.0);
        // The lead image must be one the library holds (a foreign key).
        let lead = m_str("lead_image");
        let lead = match (&lead, body) {
            (Some(sha), Some((_, bytes))) if bytes.contains_key(sha) => lead,
            (Some(sha), _) if self.asset_bytes(sha)?.is_some() => lead,
            _ => None,
        };
        let id = match existing {
            Some(id) => {
                self.tx
                    .prepare_cached(
                        "UPDATE articles SET url = ?2, title = ?3, byline = ?4, site = ?5, \
                         language = ?6, dir = ?7, excerpt = ?8, published_at = ?9, \
                         saved_at = ?10, word_count = ?11, readerable = ?12, starred = ?13, \
                         archived = ?14, read_at = ?15, progress = ?16, updated_at = ?17 \
                         WHERE id = ?1",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            id,
                            url,
                            title,
                            m_str("byline"),
                            m_str("site"),
                            m_str("language"),
                            m_str("dir"),
                            m_str("excerpt"),
                            m_str("published_at"),
                            saved_at,
                            word_count,
                            readerable,
                            starred,
                            archived,
                            read_at,
                            progress,
                            now
                        ])
                    })
                    .map_err(db("updating a synced story"))?;
                id
            }
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO articles (url, url_key, title, byline, site, language, dir, \
                         excerpt, published_at, saved_at, updated_at, word_count, readerable, \
                         starred, archived, read_at, progress) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, \
                         ?15, ?16, ?17)",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            url,
                            key,
                            title,
                            m_str("byline"),
                            m_str("site"),
                            m_str("language"),
                            m_str("dir"),
                            m_str("excerpt"),
                            m_str("published_at"),
                            saved_at,
                            now,
                            word_count,
                            readerable,
                            starred,
                            archived,
                            read_at,
                            progress
                        ])
                    })
                    .map_err(db("adding a synced story"))?;
                let id = self.tx.last_insert_rowid();
                self.tx
                    .execute(
                        "INSERT INTO article_content (article_id, html, text) VALUES (?1, '', '')",
                        [id],
                    )
                    .map_err(db("adding a synced story's text"))?;
                id
            }
        };
        if let Some((body, bytes)) = body {
            self.write_body(id, body, bytes)?;
        }
        self.tx
            .execute(
                "UPDATE articles SET lead_image = ?2 WHERE id = ?1 AND lead_image IS NOT ?2",
                params![id, lead],
            )
            .map_err(db("setting a synced story's image"))?;
        let tags = tags_of(f);
        self.tx
            .execute("DELETE FROM article_tags WHERE article_id = ?1", [id])
            .map_err(db("retagging a synced story"))?;
        super::tags::add_tags_tx(&self.tx, id, &tags)?;
        super::tags::delete_unused_tags(&self.tx)?;
        let text: String = self
            .tx
            .query_row(
                "SELECT text FROM article_content WHERE article_id = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(db("reading a synced story's text"))?;
        index_story(
            &self.tx,
            id,
            &title,
            m_str("byline").as_deref(),
            m_str("site").as_deref(),
            &text,
        )?;
        self.touched.push(id);
        Ok(())
    }

    fn write_body(&self, id: StoryId, body: &Body, bytes: &Images) -> Result<()> {
        let now = now_ms();
        self.tx
            .execute(
                "UPDATE article_content SET html = ?2, text = ?3 WHERE article_id = ?1",
                params![id, body.html, body.text],
            )
            .and_then(|_| {
                self.tx
                    .execute("DELETE FROM article_assets WHERE article_id = ?1", [id])
            })
            .map_err(db("writing a synced story's text"))?;
        for asset in &body.assets {
            if let Some(b) = bytes.get(&asset.sha256) {
                self.tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO assets (sha256, mime, size, bytes, created_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )
                    .and_then(|mut s| {
                        s.execute(params![asset.sha256, asset.mime, b.len() as i64, b, now])
                    })
                    .map_err(db("storing a synced image"))?;
            }
            self.tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO article_assets (article_id, sha256, source_url) \
                     SELECT ?1, sha256, ?3 FROM assets WHERE sha256 = ?2",
                )
                .and_then(|mut s| s.execute(params![id, asset.sha256, asset.source_url]))
                .map_err(db("linking a synced image"))?;
        }
        Ok(())
    }

    /// Writes a highlight from its fields, or deletes it (`None`). A
    /// highlight whose story is not here is left out (it comes with it).
    pub fn write_annotation(&mut self, uid: &str, fields: Option<&Fields>) -> Result<()> {
        let existing: Option<(i64, StoryId)> = self
            .tx
            .prepare_cached("SELECT id, article_id FROM annotations WHERE uid = ?1")
            .and_then(|mut s| {
                s.query_row([uid], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(db("looking up a highlight"))?;
        let story = match fields.and_then(|f| f.get("story")).and_then(Value::as_str) {
            Some(key) => self.story_id(key)?,
            None => None,
        };
        let (Some(f), Some(story)) = (fields, story) else {
            if let Some((id, story)) = existing {
                self.tx
                    .execute("DELETE FROM annotations WHERE id = ?1", [id])
                    .map_err(db("deleting a synced highlight"))?;
                reindex_story(&self.tx, story)?;
                self.touched.push(story);
            }
            return Ok(());
        };
        let s = |name: &str| {
            f.get(name)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let quote = f.get("quote").cloned().unwrap_or(Value::Null);
        let q = |name: &str| {
            quote
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let start = quote.get("start").and_then(Value::as_i64);
        let end = quote.get("end").and_then(Value::as_i64);
        let color = crate::annotate::Color::parse(&s("color"))
            .unwrap_or_default()
            .name();
        let created = f.get("created_at").and_then(Value::as_i64).unwrap_or(0);
        if let Some((id, old_story)) = existing {
            if old_story != story {
                self.tx
                    .execute("DELETE FROM annotations WHERE id = ?1", [id])
                    .map_err(db("moving a synced highlight"))?;
            }
        }
        let id: i64 = self
            .tx
            .query_row(
                "INSERT INTO annotations (uid, article_id, color, note, exact, prefix, suffix, \
                 start, \"end\", created_at, modified_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
                 ON CONFLICT (uid) DO UPDATE SET color = excluded.color, note = excluded.note, \
                 exact = excluded.exact, prefix = excluded.prefix, suffix = excluded.suffix, \
                 start = excluded.start, \"end\" = excluded.\"end\", \
                 created_at = excluded.created_at, modified_at = excluded.modified_at \
                 RETURNING id",
                params![
                    uid,
                    story,
                    color,
                    s("note"),
                    q("exact"),
                    q("prefix"),
                    q("suffix"),
                    start,
                    end,
                    created,
                    now_ms()
                ],
                |r| r.get(0),
            )
            .map_err(db("writing a synced highlight"))?;
        let tags = tags_of(f);
        self.tx
            .execute("DELETE FROM annotation_tags WHERE annotation_id = ?1", [id])
            .map_err(db("retagging a synced highlight"))?;
        super::annotations::set_annotation_tags(&self.tx, id, &tags)?;
        super::tags::delete_unused_tags(&self.tx)?;
        reindex_story(&self.tx, story)?;
        self.touched.push(story);
        Ok(())
    }
}

/// The `tags` field of a story or highlight.
fn tags_of(fields: &Fields) -> Vec<String> {
    fields
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}
