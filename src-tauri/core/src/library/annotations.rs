//! Annotations: highlights and notes on stories, and keeping them anchored
//! when a story's text changes.

use rusqlite::{params, OptionalExtension, Row, Transaction};

use super::changes::Change;
use super::{ms_to_rfc3339, now_ms, Library};
use crate::annotate::{
    anchor, Annotation, AnnotationQuery, Color, NewAnnotation, NotebookEntry, Text,
    TextPositionSelector, TextQuoteSelector,
};
use crate::model::StoryId;
use crate::{Error, Result};

/// How many Notebook rows come back when no limit is given.
const DEFAULT_LIMIT: u32 = 500;

const COLUMNS: &str = "n.id, n.article_id, n.color, n.note, n.exact, n.prefix, n.suffix, \
     n.start, n.\"end\", n.created_at, n.modified_at, \
     (SELECT group_concat(t.name, char(31)) FROM annotation_tags y JOIN tags t ON t.id = y.tag_id \
      WHERE y.annotation_id = n.id)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Annotation> {
    let color: String = r.get(2)?;
    let start: Option<u32> = r.get(7)?;
    let end: Option<u32> = r.get(8)?;
    let tags: Option<String> = r.get(11)?;
    let mut tags: Vec<String> = tags
        .map(|t| t.split('\u{1f}').map(str::to_string).collect())
        .unwrap_or_default();
    tags.sort_by_key(|t| t.to_lowercase());
    Ok(Annotation {
        id: r.get(0)?,
        story_id: r.get(1)?,
        // The CHECK constraint keeps the column to the five names.
        color: Color::parse(&color).unwrap_or_default(),
        note: r.get(3)?,
        quote: TextQuoteSelector {
            exact: r.get(4)?,
            prefix: r.get(5)?,
            suffix: r.get(6)?,
        },
        position: start
            .zip(end)
            .map(|(start, end)| TextPositionSelector { start, end }),
        tags,
        created: ms_to_rfc3339(r.get(9)?),
        modified: ms_to_rfc3339(r.get(10)?),
    })
}

impl Library {
    /// Adds a highlight to a story. It is anchored to the story's text now:
    /// a quote that is not in the text is refused.
    pub fn add_annotation(&mut self, story: StoryId, new: NewAnnotation) -> Result<Annotation> {
        let text = Text::new(&self.story(story)?.text);
        let (placed, _) = anchor(&text, &new.quote, new.position).ok_or_else(|| {
            Error::InvalidInput(format!(
                "\"{}\" is not in the text of story {story}; quote words as `gloss show {story} --format text` prints them",
                new.quote.exact
            ))
        })?;
        // The context is taken from the text itself, whatever the caller sent.
        let (quote, position) = text
            .selectors(placed.start as usize, placed.end as usize)
            .ok_or_else(|| {
                Error::InvalidInput("a highlight needs at least one character".into())
            })?;
        let mut tx = self.checked(&[story])?;
        let now = now_ms();
        tx.execute(
            "INSERT INTO annotations (article_id, color, note, exact, prefix, suffix, start, \"end\", \
             created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![
                story,
                new.color.name(),
                new.note,
                quote.exact,
                quote.prefix,
                quote.suffix,
                position.start,
                position.end,
                now
            ],
        )
        .map_err(|e| Error::db("saving the highlight", e))?;
        let id = tx.last_insert_rowid();
        tx.record(Change::AnnotationAdded {
            story,
            annotation: id,
        });
        set_annotation_tags(&tx, id, &new.tags)?;
        index_notes(&tx, story)?;
        tx.commit()
            .map_err(|e| Error::db("saving the highlight", e))?;
        self.annotation(id)
    }

    /// One annotation.
    pub fn annotation(&self, id: i64) -> Result<Annotation> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM annotations n WHERE n.id = ?1"
            ))
            .and_then(|mut s| s.query_row([id], from_row).optional())
            .map_err(|e| Error::db("reading a highlight", e))?
            .ok_or_else(|| Error::NotFound(format!("no highlight with id {id}")))
    }

    /// A story's annotations in reading order; orphaned ones last.
    pub fn annotations_of(&self, story: StoryId) -> Result<Vec<Annotation>> {
        self.summary(story)?;
        self.conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM annotations n WHERE n.article_id = ?1 \
                 ORDER BY n.start IS NULL, n.start, n.id"
            ))
            .and_then(|mut s| s.query_map([story], from_row)?.collect())
            .map_err(|e| Error::db("reading highlights", e))
    }

    /// The Notebook: annotations across the library, newest first, narrowed
    /// by story, colour, tag and words in the note or the highlight.
    pub fn notebook(&self, query: &AnnotationQuery) -> Result<Vec<NotebookEntry>> {
        let mut sql = format!(
            "SELECT {COLUMNS}, a.title, a.url FROM annotations n JOIN articles a ON a.id = n.article_id WHERE 1"
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(story) = query.story_id {
            sql.push_str(" AND n.article_id = ?");
            args.push(story.into());
        }
        if let Some(color) = query.color {
            sql.push_str(" AND n.color = ?");
            args.push(color.name().to_string().into());
        }
        if let Some(tag) = &query.tag {
            sql.push_str(
                " AND n.id IN (SELECT y.annotation_id FROM annotation_tags y \
                 JOIN tags t ON t.id = y.tag_id WHERE t.name = ?)",
            );
            args.push(tag.clone().into());
        }
        if let Some(words) = query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            // instr, not LIKE: what people type is matched as text, never as a pattern.
            sql.push_str(
                " AND (instr(lower(n.note), lower(?)) > 0 OR instr(lower(n.exact), lower(?)) > 0)",
            );
            args.push(words.to_string().into());
            args.push(words.to_string().into());
        }
        sql.push_str(" ORDER BY n.created_at DESC, n.id DESC LIMIT ?");
        args.push(i64::from(query.limit.unwrap_or(DEFAULT_LIMIT)).into());
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_map(rusqlite::params_from_iter(args), |r| {
                    Ok(NotebookEntry {
                        annotation: from_row(r)?,
                        story_title: r.get(12)?,
                        story_url: r.get(13)?,
                    })
                })?
                .collect()
            })
            .map_err(|e| Error::db("reading the notebook", e))
    }

    /// Changes a highlight's colour, note or tags (`None` keeps what it has).
    pub fn update_annotation(
        &mut self,
        id: i64,
        color: Option<Color>,
        note: Option<String>,
        tags: Option<Vec<String>>,
    ) -> Result<Annotation> {
        let story = self.annotation(id)?.story_id;
        let mut tx = self.write("updating a highlight")?;
        tx.record(Change::AnnotationUpdated {
            story,
            annotation: id,
        });
        tx.execute(
            "UPDATE annotations SET color = coalesce(?2, color), note = coalesce(?3, note), \
             modified_at = ?4 WHERE id = ?1",
            params![id, color.map(Color::name), note, now_ms()],
        )
        .map_err(|e| Error::db("updating a highlight", e))?;
        if let Some(tags) = tags {
            tx.execute("DELETE FROM annotation_tags WHERE annotation_id = ?1", [id])
                .map_err(|e| Error::db("updating a highlight's tags", e))?;
            set_annotation_tags(&tx, id, &tags)?;
            super::tags::delete_unused_tags(&tx)?;
        }
        index_notes(&tx, story)?;
        tx.commit()
            .map_err(|e| Error::db("updating a highlight", e))?;
        self.annotation(id)
    }

    /// Deletes a highlight; returns it, so the caller can offer undo by
    /// adding it again.
    pub fn delete_annotation(&mut self, id: i64) -> Result<Annotation> {
        let gone = self.annotation(id)?;
        let mut tx = self.write("deleting a highlight")?;
        tx.record(Change::AnnotationDeleted {
            story: gone.story_id,
            annotation: id,
        });
        tx.execute("DELETE FROM annotations WHERE id = ?1", [id])
            .map_err(|e| Error::db("deleting a highlight", e))?;
        super::tags::delete_unused_tags(&tx)?;
        index_notes(&tx, gone.story_id)?;
        tx.commit()
            .map_err(|e| Error::db("deleting a highlight", e))?;
        Ok(gone)
    }
}

impl Library {
    /// Replaces a story's content with a fresh copy (fetched again, or read
    /// from a file) while it keeps its URL, state and tags, and re-anchors its
    /// annotations. Returns how many were placed and how many are orphaned.
    pub fn replace_content(
        &mut self,
        story: StoryId,
        mut fresh: super::NewStory,
    ) -> Result<(u32, u32)> {
        let (url, key): (String, String) = self
            .conn
            .query_row(
                "SELECT url, url_key FROM articles WHERE id = ?1",
                [story],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| Error::db("reading a story", e))?
            .ok_or_else(|| super::missing(story))?;
        fresh.url = url;
        fresh.url_key = key;
        self.store_story(fresh)?;
        let all = self.annotations_of(story)?;
        let orphaned = all.iter().filter(|a| a.orphaned()).count() as u32;
        Ok((all.len() as u32 - orphaned, orphaned))
    }
}

/// Re-anchors inside a transaction (also used when a story is saved again).
pub(super) fn reanchor_tx(tx: &Transaction<'_>, story: StoryId) -> Result<(u32, u32)> {
    let text: String = tx
        .query_row(
            "SELECT text FROM article_content WHERE article_id = ?1",
            [story],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| Error::db("reading the story's text", e))?
        .ok_or_else(|| super::missing(story))?;
    let annotations: Vec<Annotation> = tx
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM annotations n WHERE n.article_id = ?1"
        ))
        .and_then(|mut s| s.query_map([story], from_row)?.collect())
        .map_err(|e| Error::db("reading highlights", e))?;
    if annotations.is_empty() {
        return Ok((0, 0));
    }
    let text = Text::new(&text);
    let (mut placed, mut orphaned) = (0, 0);
    for a in annotations {
        let now = anchor(&text, &a.quote, a.position).map(|(p, _)| p);
        if now.is_some() {
            placed += 1;
        } else {
            orphaned += 1;
        }
        if now != a.position {
            tx.prepare_cached("UPDATE annotations SET start = ?2, \"end\" = ?3 WHERE id = ?1")
                .and_then(|mut s| {
                    s.execute(params![a.id, now.map(|p| p.start), now.map(|p| p.end)])
                })
                .map_err(|e| Error::db("moving a highlight", e))?;
        }
    }
    Ok((placed, orphaned))
}

pub(super) fn set_annotation_tags(tx: &Transaction<'_>, id: i64, tags: &[String]) -> Result<()> {
    for name in tags {
        let name = super::tags::clean_tag(name)?;
        tx.prepare_cached("INSERT OR IGNORE INTO tags (name) VALUES (?1)")
            .and_then(|mut s| s.execute([&name]))
            .map_err(|e| Error::db("creating a tag", e))?;
        tx.prepare_cached(
            "INSERT OR IGNORE INTO annotation_tags (annotation_id, tag_id) \
             SELECT ?1, id FROM tags WHERE name = ?2",
        )
        .and_then(|mut s| s.execute(params![id, name]))
        .map_err(|e| Error::db("tagging a highlight", e))?;
    }
    Ok(())
}

/// Puts a story's notes in the word index (its `notes` column), so a search
/// finds stories by what was written about them.
pub(super) fn index_notes(tx: &Transaction<'_>, story: StoryId) -> Result<()> {
    super::search_index::reindex_story(tx, story)
}
