//! Tags: free-form labels on stories. Names are unique regardless of case
//! ("Rust" and "rust" are one tag; the first spelling is kept).

use rusqlite::{params, Transaction};

use super::changes::Change;
use super::Library;
use crate::model::StoryId;
use crate::{Error, Result};

/// The longest tag name accepted, in characters.
const MAX_TAG_CHARS: usize = 100;

/// Trims a tag and refuses ones a sidebar could not show.
pub(super) fn clean_tag(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::InvalidInput("a tag cannot be empty".into()));
    }
    if name.chars().count() > MAX_TAG_CHARS {
        return Err(Error::InvalidInput(format!(
            "a tag can be at most {MAX_TAG_CHARS} characters long"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::InvalidInput(
            "a tag cannot contain control characters".into(),
        ));
    }
    Ok(name.to_string())
}

pub(super) fn add_tags_tx(tx: &Transaction<'_>, id: StoryId, names: &[String]) -> Result<()> {
    for name in names {
        let name = clean_tag(name)?;
        tx.prepare_cached("INSERT OR IGNORE INTO tags (name) VALUES (?1)")
            .and_then(|mut s| s.execute([&name]))
            .map_err(|e| Error::db("creating a tag", e))?;
        tx.prepare_cached(
            "INSERT OR IGNORE INTO article_tags (article_id, tag_id, saved_at) \
             SELECT a.id, t.id, a.saved_at FROM articles a, tags t WHERE a.id = ?1 AND t.name = ?2",
        )
        .and_then(|mut s| s.execute(params![id, name]))
        .map_err(|e| Error::db("tagging a story", e))?;
    }
    Ok(())
}

pub(super) fn delete_unused_tags(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "DELETE FROM tags WHERE NOT EXISTS \
         (SELECT 1 FROM article_tags x WHERE x.tag_id = tags.id) \
         AND NOT EXISTS (SELECT 1 FROM annotation_tags y WHERE y.tag_id = tags.id)",
        [],
    )
    .map_err(|e| Error::db("removing unused tags", e))?;
    Ok(())
}

impl Library {
    /// Adds and removes tags on one story; returns its tags afterwards.
    pub fn set_tags(
        &mut self,
        id: StoryId,
        add: &[String],
        remove: &[String],
    ) -> Result<Vec<String>> {
        let mut tx = self.checked(&[id])?;
        tx.record(Change::Tagged {
            story: id,
            added: add.to_vec(),
            removed: remove.to_vec(),
        });
        add_tags_tx(&tx, id, add)?;
        for name in remove {
            tx.prepare_cached(
                "DELETE FROM article_tags WHERE article_id = ?1 \
                 AND tag_id IN (SELECT id FROM tags WHERE name = ?2)",
            )
            .and_then(|mut s| s.execute(params![id, name.trim()]))
            .map_err(|e| Error::db("untagging a story", e))?;
        }
        delete_unused_tags(&tx)?;
        tx.commit().map_err(|e| Error::db("saving tags", e))?;
        Ok(self.summary(id)?.tags)
    }
}
