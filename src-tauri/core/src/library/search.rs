//! Full-text search over the two indexes (words, then substrings).

use std::collections::HashSet;

use rusqlite::params;

use super::{ms_to_rfc3339, Library};
use crate::model::{SearchHit, SearchQuery};
use crate::search::{substring_query, tidy_snippet, word_query};
use crate::{Error, Result};

/// How many hits a search returns when no limit is given.
const DEFAULT_LIMIT: u32 = 50;

/// One of the two full-text tables and how to rank and quote it.
struct Index {
    table: &'static str,
    rank: &'static str,
    snippet_tokens: u32,
}

/// Words: title weighs most, then notes, byline and site, then the body.
const WORDS: Index = Index {
    table: "search_words",
    rank: "bm25(search_words, 10.0, 2.0, 2.0, 1.0, 3.0)",
    snippet_tokens: 24,
};

/// Substrings: trigram "tokens" are characters, so the longest snippet FTS5 gives.
const SUBSTRINGS: Index = Index {
    table: "search_substrings",
    rank: "bm25(search_substrings, 10.0, 1.0)",
    snippet_tokens: 64,
};

impl Library {
    /// Stories matching `query`, best first: word matches ranked by bm25
    /// (title weighs most), then stories that contain a query word only as
    /// part of a longer word. Nothing a person types is a syntax error.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT).max(1);
        let mut hits = Vec::new();
        if let Some(fts) = word_query(&query.text) {
            hits = self.search_index(&WORDS, &fts, query, limit, &HashSet::new())?;
        }
        if (hits.len() as u32) < limit {
            if let Some(fts) = substring_query(&query.text) {
                let seen: HashSet<i64> = hits.iter().map(|h: &SearchHit| h.id).collect();
                let more =
                    self.search_index(&SUBSTRINGS, &fts, query, limit - hits.len() as u32, &seen)?;
                hits.extend(more);
            }
        }
        Ok(hits)
    }

    fn search_index(
        &self,
        index: &Index,
        fts: &str,
        query: &SearchQuery,
        limit: u32,
        skip: &HashSet<i64>,
    ) -> Result<Vec<SearchHit>> {
        let Index {
            table,
            rank,
            snippet_tokens,
        } = index;
        let sql = format!(
            "SELECT a.id, a.title, a.url, a.site, \
               snippet({table}, -1, char(2), char(3), '…', {snippet_tokens}), \
               a.starred, a.archived, a.read_at IS NOT NULL, a.saved_at, \
               (SELECT group_concat(t.name, char(31)) FROM article_tags x \
                JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id) \
             FROM {table} JOIN articles a ON a.id = {table}.rowid \
             WHERE {table} MATCH ?1 \
               AND (?2 IS NULL OR a.starred = ?2) \
               AND (?3 IS NULL OR (a.read_at IS NULL) = ?3) \
               AND (?4 IS NULL OR a.archived = ?4) \
               AND (?5 IS NULL OR a.id IN (SELECT x.article_id FROM article_tags x \
                    JOIN tags t ON t.id = x.tag_id WHERE t.name = ?5)) \
             ORDER BY {rank} LIMIT ?6"
        );
        let fetch = i64::from(limit) + skip.len() as i64;
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(|e| Error::db("preparing a search", e))?;
        let rows = stmt
            .query_map(
                params![
                    fts,
                    query.starred,
                    query.unread,
                    query.archived,
                    query.tag,
                    fetch
                ],
                |r| {
                    let tags: Option<String> = r.get(9)?;
                    let mut tags: Vec<String> = tags
                        .map(|t| t.split('\u{1f}').map(str::to_string).collect())
                        .unwrap_or_default();
                    tags.sort_by_key(|t| t.to_lowercase());
                    let snippet: String = r.get(4)?;
                    Ok(SearchHit {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        url: r.get(2)?,
                        site: r.get(3)?,
                        snippet: tidy_snippet(&snippet),
                        starred: r.get(5)?,
                        archived: r.get(6)?,
                        read: r.get(7)?,
                        saved_at: ms_to_rfc3339(r.get(8)?),
                        tags,
                    })
                },
            )
            .map_err(|e| Error::db("searching", e))?;
        let mut hits = Vec::new();
        for row in rows {
            let hit = row.map_err(|e| Error::db("reading a search result", e))?;
            if !skip.contains(&hit.id) {
                hits.push(hit);
            }
            if hits.len() as u32 >= limit {
                break;
            }
        }
        Ok(hits)
    }
}
