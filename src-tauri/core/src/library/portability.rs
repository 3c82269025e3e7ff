//! The SQL of imports and of Gloss's own export: many stories written in one
//! transaction (a 10,000-row Pocket file is one commit, not 10,000), merged
//! with what the library already has, and the whole library read back as
//! plain data for `library.json`.
//!
//! Merge rule (docs/portability.md): a URL already in the library keeps its
//! story, saved time and content; the import adds its tags and highlights
//! and can only make the state stronger (starred, archived, read, further
//! progress), never weaker. A story still waiting for content takes the
//! content an import brings.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::changes::Change;
use super::stories::store_story_tx;
use super::{now_ms, Library, NewStory};
use crate::annotate::{anchor, Color, Text, TextPositionSelector, TextQuoteSelector};
use crate::model::{Origin, StoryId};
use crate::{Error, Result};

/// One story of an import, ready for the library.
#[derive(Debug, Clone, Default)]
pub struct ImportRow {
    /// The story; empty `html`/`text` when the export had no content.
    pub story: NewStory,
    /// True when the content is still to be fetched (a placeholder story).
    pub needs_content: bool,
    pub starred: bool,
    pub archived: bool,
    /// When it was read (unix ms); `None`: unread.
    pub read_at: Option<i64>,
    pub progress: f64,
    pub annotations: Vec<ImportAnnotation>,
}

/// A highlight of an import. Anchored to the story's text when it has one;
/// kept orphaned (quote only) until the content arrives otherwise.
#[derive(Debug, Clone, Default)]
pub struct ImportAnnotation {
    pub quote: TextQuoteSelector,
    pub position: Option<TextPositionSelector>,
    pub color: Color,
    pub note: String,
    pub tags: Vec<String>,
    pub created_ms: Option<i64>,
    pub modified_ms: Option<i64>,
}

/// What happened to one [`ImportRow`]. `highlights` counts the highlights
/// actually added: one whose words the story already has is not, so a
/// second import of the same file reports none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    Created {
        id: StoryId,
        highlights: u32,
    },
    /// The URL was already in the library: merged into that story.
    Merged {
        id: StoryId,
        highlights: u32,
    },
    /// Not imported, with the reason.
    Failed(String),
}

/// A story in `library.json`: everything but its images' bytes, no ids
/// (stories are known by URL, so an export of a library rebuilt from it is
/// the same file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedStory {
    pub url: String,
    pub url_key: String,
    pub title: String,
    pub byline: Option<String>,
    pub site: Option<String>,
    pub language: Option<String>,
    pub dir: Option<String>,
    pub excerpt: Option<String>,
    pub published_at: Option<String>,
    /// RFC 3339 with milliseconds.
    pub saved_at: String,
    pub read_at: Option<String>,
    pub starred: bool,
    pub archived: bool,
    pub progress: f64,
    pub word_count: u32,
    pub readerable: bool,
    #[serde(default)]
    pub needs_content: bool,
    /// Fetched by Gloss or sent by the browser (exports before it: fetched).
    #[serde(default)]
    pub origin: Origin,
    /// sha256 of the lead image (in `assets/`).
    pub lead_image: Option<String>,
    /// The address of the feed it came from.
    pub feed: Option<String>,
    pub tags: Vec<String>,
    pub html: String,
    pub text: String,
    /// The images its HTML uses: sha256 and where each was downloaded from.
    pub assets: Vec<ExportedAsset>,
    pub annotations: Vec<ExportedAnnotation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedAsset {
    pub sha256: String,
    pub mime: String,
    pub source_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedAnnotation {
    pub color: Color,
    pub note: String,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub tags: Vec<String>,
    pub created: String,
    pub modified: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedFeed {
    pub url: String,
    pub title: String,
    pub site_url: Option<String>,
    pub folder: Option<String>,
    pub full_text: bool,
    pub retention_days: Option<u32>,
}

/// Milliseconds as RFC 3339 with milliseconds (exact round trips).
pub(crate) fn ms_to_rfc3339_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Library {
    /// Writes an import's stories in one transaction. A row that fails (a
    /// bad tag, a missing URL) is rolled back alone and reported; the others
    /// are kept.
    pub fn import_rows(&mut self, rows: Vec<ImportRow>) -> Result<Vec<RowOutcome>> {
        let mut tx = self.write("starting the import")?;
        let mut outcomes = Vec::with_capacity(rows.len());
        // Only content replaced in a story can leave images unused.
        let mut replaced = false;
        let sql = |tx: &Transaction<'_>, sql: &str| {
            tx.execute_batch(sql)
                .map_err(|e| Error::db("writing an imported story", e))
        };
        for row in rows {
            // A savepoint per row: a row that fails is undone alone.
            sql(&tx, "SAVEPOINT import_row")?;
            match import_row_tx(&tx, &row, &mut replaced) {
                Ok(outcome) => {
                    sql(&tx, "RELEASE import_row")?;
                    outcomes.push(outcome);
                }
                Err(e) => {
                    sql(&tx, "ROLLBACK TO import_row; RELEASE import_row")?;
                    if is_fatal(&e) {
                        return Err(e);
                    }
                    outcomes.push(RowOutcome::Failed(e.to_string()));
                }
            }
        }
        if replaced {
            super::assets::delete_orphan_assets(&tx)?;
        }
        let stories: Vec<StoryId> = outcomes
            .iter()
            .filter_map(|o| match o {
                RowOutcome::Created { id, .. } | RowOutcome::Merged { id, .. } => Some(*id),
                RowOutcome::Failed(_) => None,
            })
            .collect();
        if !stories.is_empty() {
            tx.record(Change::StoriesImported { stories });
        }
        tx.commit()
            .map_err(|e| Error::db("committing the import", e))?;
        Ok(outcomes)
    }

    /// Stories still waiting for their content, oldest import first: the
    /// fetch after an import (and a later one that resumes it) reads these.
    pub fn stories_needing_content(&self, limit: u32) -> Result<Vec<(StoryId, String)>> {
        self.conn
            .prepare_cached(
                "SELECT id, url FROM articles INDEXED BY articles_needs_content \
                 WHERE needs_content = 1 ORDER BY id LIMIT ?1",
            )
            .and_then(|mut s| {
                s.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .map_err(|e| Error::db("listing stories waiting for content", e))
    }

    /// How many stories wait for their content.
    pub fn count_needing_content(&self) -> Result<u32> {
        self.conn
            .query_row(
                "SELECT count(*) FROM articles INDEXED BY articles_needs_content \
                 WHERE needs_content = 1",
                [],
                |r| r.get(0),
            )
            .map_err(|e| Error::db("counting stories waiting for content", e))
    }

    /// Whether a story still waits for its content.
    pub fn needs_content(&self, id: StoryId) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT needs_content FROM articles WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| Error::db("reading a story", e))?
            .ok_or_else(|| super::missing(id))
    }

    /// One story with everything Gloss's own export keeps.
    pub fn export_story(&self, id: StoryId) -> Result<ExportedStory> {
        let s = self.summary(id)?;
        let err = |e| Error::db("reading a story for the export", e);
        let mut story = self
            .conn
            .prepare_cached(
                "SELECT a.url, a.url_key, a.title, a.byline, a.site, a.language, a.dir, a.excerpt, \
                 a.published_at, a.saved_at, a.read_at, a.starred, a.archived, a.progress, \
                 a.word_count, a.readerable, a.needs_content, a.lead_image, \
                 (SELECT url FROM feeds f WHERE f.id = a.feed_id), c.html, c.text, a.origin \
                 FROM articles a JOIN article_content c ON c.article_id = a.id WHERE a.id = ?1",
            )
            .and_then(|mut st| {
                st.query_row([id], |r| {
                    Ok(ExportedStory {
                        url: r.get(0)?,
                        url_key: r.get(1)?,
                        title: r.get(2)?,
                        byline: r.get(3)?,
                        site: r.get(4)?,
                        language: r.get(5)?,
                        dir: r.get(6)?,
                        excerpt: r.get(7)?,
                        published_at: r.get(8)?,
                        saved_at: ms_to_rfc3339_ms(r.get(9)?),
                        read_at: r.get::<_, Option<i64>>(10)?.map(ms_to_rfc3339_ms),
                        starred: r.get(11)?,
                        archived: r.get(12)?,
                        progress: r.get(13)?,
                        word_count: r.get(14)?,
                        readerable: r.get(15)?,
                        needs_content: r.get(16)?,
                        origin: Origin::from_name(&r.get::<_, String>(21)?),
                        lead_image: r.get(17)?,
                        feed: r.get(18)?,
                        tags: Vec::new(),
                        html: r.get(19)?,
                        text: r.get(20)?,
                        assets: Vec::new(),
                        annotations: Vec::new(),
                    })
                })
            })
            .map_err(err)?;
        story.tags = s.tags;
        story.assets = self
            .conn
            .prepare_cached(
                "SELECT x.sha256, s.mime, x.source_url FROM article_assets x \
                 JOIN assets s ON s.sha256 = x.sha256 WHERE x.article_id = ?1 ORDER BY x.sha256",
            )
            .and_then(|mut st| {
                st.query_map([id], |r| {
                    Ok(ExportedAsset {
                        sha256: r.get(0)?,
                        mime: r.get(1)?,
                        source_url: r.get(2)?,
                    })
                })?
                .collect()
            })
            .map_err(err)?;
        story.annotations = self
            .conn
            .prepare_cached(
                "SELECT n.color, n.note, n.exact, n.prefix, n.suffix, n.start, n.\"end\", \
                 n.created_at, n.modified_at, \
                 (SELECT group_concat(t.name, char(31)) FROM annotation_tags y \
                  JOIN tags t ON t.id = y.tag_id WHERE y.annotation_id = n.id) \
                 FROM annotations n WHERE n.article_id = ?1 ORDER BY n.created_at, n.id",
            )
            .and_then(|mut st| {
                st.query_map([id], |r| {
                    let color: String = r.get(0)?;
                    let tags: Option<String> = r.get(9)?;
                    let mut tags: Vec<String> = tags
                        .map(|t| t.split('\u{1f}').map(str::to_string).collect())
                        .unwrap_or_default();
                    tags.sort_by_key(|t| t.to_lowercase());
                    Ok(ExportedAnnotation {
                        color: Color::parse(&color).unwrap_or_default(),
                        note: r.get(1)?,
                        exact: r.get(2)?,
                        prefix: r.get(3)?,
                        suffix: r.get(4)?,
                        start: r.get(5)?,
                        end: r.get(6)?,
                        created: ms_to_rfc3339_ms(r.get(7)?),
                        modified: ms_to_rfc3339_ms(r.get(8)?),
                        tags,
                    })
                })?
                .collect()
            })
            .map_err(err)?;
        Ok(story)
    }

    /// Every feed with its settings, for `library.json`.
    pub fn export_feeds(&self) -> Result<Vec<ExportedFeed>> {
        Ok(self
            .feeds()?
            .into_iter()
            .map(|f| ExportedFeed {
                url: f.url,
                title: f.title,
                site_url: f.site_url,
                folder: f.folder,
                full_text: f.full_text,
                retention_days: f.retention_days,
            })
            .collect())
    }

    /// Adds feeds from `library.json` (one already followed is left as it
    /// is). Returns how many were added.
    pub fn import_feeds(&mut self, feeds: &[ExportedFeed]) -> Result<u32> {
        let mut tx = self.write("starting the feed import")?;
        let now = now_ms();
        let (mut added, mut folders) = (0, 0);
        for f in feeds {
            crate::urls::parse_web_url(&f.url)?;
            let folder = match f.folder.as_deref() {
                Some(name) => {
                    let (id, created) = super::feeds::folder_id_tx(&tx, name)?;
                    folders += u32::from(created);
                    Some(id)
                }
                None => None,
            };
            added += tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO feeds (url, title, site_url, created_at, folder_id, \
                     full_text, retention_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        f.url,
                        f.title,
                        f.site_url,
                        now,
                        folder,
                        f.full_text,
                        f.retention_days
                    ])
                })
                .map_err(|e| Error::db("importing a feed", e))? as u32;
        }
        if added > 0 || folders > 0 {
            tx.record(Change::SubscriptionsAdded {
                feeds: added,
                folders,
            });
        }
        tx.commit()
            .map_err(|e| Error::db("finishing the feed import", e))?;
        Ok(added)
    }

    /// The id of the feed with this address, if followed.
    pub fn feed_id_by_url(&self, url: &str) -> Result<Option<i64>> {
        self.conn
            .prepare_cached("SELECT id FROM feeds WHERE url = ?1")
            .and_then(|mut s| s.query_row([url], |r| r.get(0)).optional())
            .map_err(|e| Error::db("looking up a feed", e))
    }
}

/// Errors that mean the database itself is failing (disk full, locked), not
/// that one row was bad: the import stops.
fn is_fatal(e: &Error) -> bool {
    match e {
        Error::Database {
            source: rusqlite::Error::SqliteFailure(f, _),
            ..
        } => !matches!(f.code, rusqlite::ErrorCode::ConstraintViolation),
        _ => false,
    }
}

/// Writes one row; sets `replaced` when it replaced a story's content.
fn import_row_tx(tx: &Transaction<'_>, row: &ImportRow, replaced: &mut bool) -> Result<RowOutcome> {
    if row.story.url_key.is_empty() {
        return Err(Error::InvalidInput("no URL".into()));
    }
    let existing: Option<(StoryId, bool)> = tx
        .prepare_cached("SELECT id, needs_content FROM articles WHERE url_key = ?1")
        .and_then(|mut s| {
            s.query_row([&row.story.url_key], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(|e| Error::db("looking for the story in the library", e))?;
    let id = match existing {
        None => {
            let id = store_story_tx(tx, &row.story)?.id;
            tx.prepare_cached(
                "UPDATE articles SET starred = ?2, archived = ?3, read_at = ?4, progress = ?5, \
                 needs_content = ?6 WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    row.starred,
                    row.archived,
                    row.read_at,
                    row.progress.clamp(0.0, 1.0),
                    row.needs_content
                ])
            })
            .map_err(|e| Error::db("setting an imported story's state", e))?;
            id
        }
        Some((id, waiting)) => {
            if waiting && !row.needs_content {
                // The library had only the link; the import brings the content.
                let mut story = row.story.clone();
                story.saved_at = None;
                store_story_tx(tx, &story)?;
                *replaced = true;
            } else {
                super::tags::add_tags_tx(tx, id, &row.story.tags)?;
            }
            tx.prepare_cached(
                "UPDATE articles SET starred = max(starred, ?2), archived = max(archived, ?3), \
                 read_at = coalesce(read_at, ?4), progress = max(progress, ?5) WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    row.starred,
                    row.archived,
                    row.read_at,
                    row.progress.clamp(0.0, 1.0)
                ])
            })
            .map_err(|e| Error::db("merging an imported story's state", e))?;
            id
        }
    };
    let highlights = if row.annotations.is_empty() {
        0
    } else {
        import_annotations_tx(tx, id, &row.annotations)?
    };
    Ok(match existing {
        None => RowOutcome::Created { id, highlights },
        Some(_) => RowOutcome::Merged { id, highlights },
    })
}

/// Adds highlights to a story: placed in its text when they can be, orphaned
/// (quote kept) when not. A highlight with the same words already on the
/// story is not added twice, so importing a file again changes nothing.
/// Returns how many were added.
fn import_annotations_tx(
    tx: &Transaction<'_>,
    id: StoryId,
    all: &[ImportAnnotation],
) -> Result<u32> {
    let text: String = tx
        .query_row(
            "SELECT text FROM article_content WHERE article_id = ?1",
            [id],
            |r| r.get(0),
        )
        .map_err(|e| Error::db("reading the story's text", e))?;
    let text = Text::new(&text);
    let now = now_ms();
    let mut added = 0;
    for a in all {
        if a.quote.exact.trim().is_empty() {
            continue;
        }
        let known = tx
            .prepare_cached("SELECT 1 FROM annotations WHERE article_id = ?1 AND exact = ?2")
            .and_then(|mut s| s.exists(params![id, a.quote.exact]))
            .map_err(|e| Error::db("looking for a highlight", e))?;
        if known {
            continue;
        }
        let placed = anchor(&text, &a.quote, a.position).map(|(p, _)| p);
        let mut quote = a.quote.clone();
        if let Some(p) = placed {
            if quote.prefix.is_empty() && quote.suffix.is_empty() {
                if let Some((q, _)) = text.selectors(p.start as usize, p.end as usize) {
                    quote = q;
                }
            }
        }
        let created = a.created_ms.unwrap_or(now);
        tx.prepare_cached(
            "INSERT INTO annotations (article_id, color, note, exact, prefix, suffix, start, \"end\", \
             created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                a.color.name(),
                a.note,
                quote.exact,
                quote.prefix,
                quote.suffix,
                placed.map(|p| p.start),
                placed.map(|p| p.end),
                created,
                a.modified_ms.unwrap_or(created)
            ])
        })
        .map_err(|e| Error::db("saving an imported highlight", e))?;
        let annotation = tx.last_insert_rowid();
        super::annotations::set_annotation_tags(tx, annotation, &a.tags)?;
        added += 1;
    }
    super::annotations::index_notes(tx, id)?;
    Ok(added)
}
