//! Full-text search over the two indexes (words, then substrings).

use std::collections::HashSet;

use rusqlite::params;

use super::{ms_to_rfc3339, Library};
use crate::model::{SearchHit, SearchQuery};
use crate::search::{substring_query, tidy_snippet, word_query};
use crate::{Error, Result};

/// How many hits a search returns when no limit is given.
const DEFAULT_LIMIT: u32 = 50;

/// How many matches, newest first, a search ranks by bm25. Below this
/// every match is ranked; above it, a common word's best hits are the best
/// of the newest 2,000 stories that have it. Ranking every match of a word
/// found in all 100,000 stories took 200 ms on a 2-core machine; 2,000
/// take about 12 ms (docs/benchmarks.md, bench/scale.sh).
const RANKED: u32 = 2000;

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

    /// One index's best `limit` stories not in `skip`, best first.
    ///
    /// Two steps, so that the cost of a common word stays small: first the
    /// ranking, which reads only the full-text index (and the story row
    /// when a filter needs it) and keeps the best few in a bounded sort;
    /// then the snippet and list fields of those few only. One query doing
    /// both would build the snippet and read the tags of every match before
    /// sorting, tens of thousands of them for a word like "people".
    /// The ranking itself reads at most the newest [`RANKED`] matches (the
    /// index walks rowids newest first and stops there), so a word in every
    /// story costs what a word in 2,000 does.
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
        let filtered = query.starred.is_some()
            || query.unread.is_some()
            || query.archived.is_some()
            || query.tag.is_some();
        let ranking = if filtered {
            format!(
                "SELECT id FROM (SELECT {table}.rowid AS id, {rank} AS r \
                 FROM {table} CROSS JOIN articles a ON a.id = {table}.rowid \
                 WHERE {table} MATCH ?1 \
                   AND (?2 IS NULL OR a.starred = ?2) \
                   AND (?3 IS NULL OR (a.read_at IS NULL) = ?3) \
                   AND (?4 IS NULL OR a.archived = ?4) \
                   AND (?5 IS NULL OR a.id IN (SELECT x.article_id FROM article_tags x \
                        JOIN tags t ON t.id = x.tag_id WHERE t.name = ?5)) \
                 ORDER BY {table}.rowid DESC LIMIT {RANKED}) ORDER BY r LIMIT ?6"
            )
        } else {
            // ?2 to ?5 stay unused (and unread): the same parameters as above.
            format!(
                "SELECT id FROM (SELECT rowid AS id, {rank} AS r FROM {table} \
                 WHERE {table} MATCH ?1 ORDER BY rowid DESC LIMIT {RANKED}) \
                 ORDER BY r LIMIT ?6"
            )
        };
        let fetch = i64::from(limit) + skip.len() as i64;
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(&ranking)
            .and_then(|mut s| {
                s.query_map(
                    params![
                        fts,
                        query.starred,
                        query.unread,
                        query.archived,
                        query.tag,
                        fetch
                    ],
                    |r| r.get(0),
                )?
                .collect()
            })
            .map_err(|e| Error::db("searching", e))?;
        // The snippet needs the match, so the row is found again through
        // the index, by rowid: a seek, not a second search.
        let details = format!(
            "SELECT a.id, a.title, a.url, a.site, \
               snippet({table}, -1, char(2), char(3), '…', {snippet_tokens}), \
               a.starred, a.archived, a.read_at IS NOT NULL, a.saved_at, \
               (SELECT group_concat(t.name, char(31)) FROM article_tags x \
                JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id) \
             FROM {table} CROSS JOIN articles a ON a.id = {table}.rowid \
             WHERE {table} MATCH ?1 AND {table}.rowid = ?2"
        );
        let mut stmt = self
            .conn
            .prepare_cached(&details)
            .map_err(|e| Error::db("preparing a search", e))?;
        let mut hits = Vec::new();
        for id in ids.into_iter().filter(|id| !skip.contains(id)) {
            if hits.len() as u32 >= limit {
                break;
            }
            let hit = stmt
                .query_row(params![fts, id], |r| {
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
                })
                .map_err(|e| Error::db("reading a search result", e))?;
            hits.push(hit);
        }
        Ok(hits)
    }
}
