//! Writing the search indexes: the word index (`search_words`) and the
//! vocabulary (`search_terms` with its trigram index `search_term_grams`).
//! Reading them is `search.rs`; the tables are described in `schema.rs`.
//!
//! The word index is contentless: it keeps no copy of the text, so a row
//! is always written whole, from the story's stored fields and notes.
//! The vocabulary only grows: a word left by a deleted story costs a few
//! bytes and finds nothing.

use rusqlite::{params, OptionalExtension, Transaction};

use crate::model::StoryId;
use crate::search::{index_text, vocabulary};
use crate::{Error, Result};

/// (Re)writes a story's row of the word index and adds its words to the
/// vocabulary. The notes are read from its annotations.
pub(super) fn index_story(
    tx: &Transaction<'_>,
    id: StoryId,
    title: &str,
    byline: Option<&str>,
    site: Option<&str>,
    text: &str,
) -> Result<()> {
    let notes: Vec<String> = tx
        .prepare_cached(
            "SELECT note FROM annotations WHERE article_id = ?1 AND note != '' ORDER BY id",
        )
        .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
        .map_err(|e| Error::db("reading notes", e))?;
    let notes = notes.join("\n");
    unindex_story(tx, id)?;
    tx.prepare_cached(
        "INSERT INTO search_words (rowid, title, byline, site, body, notes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut s| {
        s.execute(params![
            id,
            index_text(title),
            byline.map(index_text),
            site.map(index_text),
            index_text(text),
            index_text(&notes),
        ])
    })
    .map_err(|e| Error::db("indexing the story", e))?;
    add_words(tx, [title, text, notes.as_str()])
}

/// Rewrites a story's row from what the library stores, after its notes
/// changed. A story that is gone has nothing to index.
pub(super) fn reindex_story(tx: &Transaction<'_>, id: StoryId) -> Result<()> {
    type Fields = (String, Option<String>, Option<String>, String);
    let fields: Option<Fields> = tx
        .prepare_cached(
            "SELECT a.title, a.byline, a.site, coalesce(c.text, '') \
             FROM articles a LEFT JOIN article_content c ON c.article_id = a.id \
             WHERE a.id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()
        })
        .map_err(|e| Error::db("reading a story to index", e))?;
    match fields {
        Some((title, byline, site, text)) => {
            index_story(tx, id, &title, byline.as_deref(), site.as_deref(), &text)
        }
        None => Ok(()),
    }
}

/// Takes a story out of the word index.
pub(super) fn unindex_story(tx: &Transaction<'_>, id: StoryId) -> Result<()> {
    tx.prepare_cached("DELETE FROM search_words WHERE rowid = ?1")
        .and_then(|mut s| s.execute([id]))
        .map_err(|e| Error::db("updating the search index", e))?;
    Ok(())
}

/// Adds the words of `texts` the vocabulary does not have yet.
fn add_words<'a>(tx: &Transaction<'_>, texts: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let mut add = tx
        .prepare_cached("INSERT OR IGNORE INTO search_terms (term) VALUES (?1)")
        .map_err(|e| Error::db("preparing the vocabulary", e))?;
    let mut index = tx
        .prepare_cached("INSERT INTO search_term_grams (rowid, term) VALUES (?1, ?2)")
        .map_err(|e| Error::db("preparing the vocabulary", e))?;
    for word in vocabulary(texts) {
        let added = add
            .execute([&word])
            .map_err(|e| Error::db("adding to the vocabulary", e))?;
        if added == 1 {
            index
                .execute(params![tx.last_insert_rowid(), word])
                .map_err(|e| Error::db("indexing the vocabulary", e))?;
        }
    }
    Ok(())
}

/// Fills the word index and the vocabulary from every stored story (the
/// schema upgrade that made them, run inside its transaction).
pub(super) fn rebuild(tx: &Transaction<'_>) -> Result<()> {
    let ids: Vec<StoryId> = tx
        .prepare("SELECT id FROM articles ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| Error::db("listing stories to index", e))?;
    for id in ids {
        reindex_story(tx, id)?;
    }
    Ok(())
}
