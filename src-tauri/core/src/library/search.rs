//! Full-text search: whole words first, then parts of longer words.
//!
//! What a person typed is parsed once (`crate::search::Query`); its
//! prefixes (`inter*`) and, in the second pass, its words (`nuklir`) are
//! looked up in the vocabulary and searched as the whole words they stand
//! for. The indexes are written by `search_index.rs`.

use std::collections::HashSet;

use rusqlite::params;

use super::{ms_to_rfc3339, Library};
use crate::model::{SearchHit, SearchQuery};
use crate::search::{snippet, Expansions, Highlights, Query};
use crate::{Error, Result};

/// How many hits a search returns when no limit is given.
const DEFAULT_LIMIT: u32 = 50;

/// How many matches, newest first, a search ranks by bm25. Below this
/// every match is ranked; above it, a common word's best hits are the best
/// of the newest 2,000 stories that have it. Ranking every match of a word
/// found in all 100,000 stories took 200 ms on a 2-core machine; 2,000
/// take about 12 ms (docs/benchmarks.md, bench/scale.sh).
const RANKED: u32 = 2000;

/// At most this many vocabulary words stand for one prefix or part of a
/// word. A prefix with more (`s*`) is left to FTS5's own prefix query,
/// slower but complete; a part with more is searched with the first ones.
const MAX_EXPANSION: usize = 400;

/// How many words a snippet shows.
const SNIPPET_WORDS: usize = 24;

/// The word index's ranking: title weighs most, then notes, byline and
/// site, then the body.
const BM25: &str = "bm25(search_words, 10.0, 2.0, 2.0, 1.0, 3.0)";

/// How a pass orders its matches.
#[derive(Clone, Copy)]
enum Order {
    /// bm25 over the newest [`RANKED`] matches.
    Relevance,
    /// Newest first: for prefixes and parts of words, which stand for many
    /// words whose ranking would cost as much as reading all their stories.
    Newest,
}

impl Library {
    /// Stories matching `query`, best first: whole-word matches (ranked by
    /// bm25, or newest first when the query has a prefix), then stories that
    /// have a query word only inside a longer word. Nothing a person types
    /// is a syntax error.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT).max(1);
        let parsed = Query::parse(&query.text);
        let mut prefixes = Expansions::new();
        for prefix in parsed.prefixes() {
            let words = self.words_starting_with(&prefix)?;
            if words.len() <= MAX_EXPANSION {
                prefixes.insert(prefix, words);
            }
        }
        let mut hits = Vec::new();
        if let Some(fts) = parsed.words_fts(&prefixes) {
            let order = if parsed.has_prefix() {
                Order::Newest
            } else {
                Order::Relevance
            };
            let marks = parsed.highlights(false);
            hits = self.search_pass(&fts, order, &marks, query, limit, &HashSet::new())?;
        }
        if (hits.len() as u32) < limit {
            let mut parts = Expansions::new();
            for part in parsed.parts() {
                let words = self.words_containing(&part)?;
                parts.insert(part, words);
            }
            if let Some(fts) = parsed.parts_fts(&prefixes, &parts) {
                let seen: HashSet<i64> = hits.iter().map(|h: &SearchHit| h.id).collect();
                let marks = parsed.highlights(true);
                let rest = limit - hits.len() as u32;
                let more = self.search_pass(&fts, Order::Newest, &marks, query, rest, &seen)?;
                hits.extend(more);
            }
        }
        Ok(hits)
    }

    /// Vocabulary words that start with `prefix` (folded), up to one more
    /// than [`MAX_EXPANSION`] so that the caller sees there are too many.
    fn words_starting_with(&self, prefix: &str) -> Result<Vec<String>> {
        // Every word with the prefix sorts between the prefix and the prefix
        // followed by the highest character.
        let end = format!("{prefix}\u{10FFFF}");
        self.conn
            .prepare_cached(
                "SELECT term FROM search_terms WHERE term >= ?1 AND term < ?2 ORDER BY term LIMIT ?3",
            )
            .and_then(|mut s| {
                s.query_map(params![prefix, end, MAX_EXPANSION as i64 + 1], |r| {
                    r.get(0)
                })?
                .collect()
            })
            .map_err(|e| Error::db("looking up a prefix", e))
    }

    /// Vocabulary words longer than `part` (folded) that contain it.
    fn words_containing(&self, part: &str) -> Result<Vec<String>> {
        // `part` is one word of letters and digits (Query::parts), so it
        // holds no LIKE wildcard.
        self.conn
            .prepare_cached(
                "SELECT t.term FROM search_term_grams g JOIN search_terms t ON t.id = g.rowid \
                 WHERE g.term LIKE ?1 AND t.term != ?2 LIMIT ?3",
            )
            .and_then(|mut s| {
                s.query_map(
                    params![format!("%{part}%"), part, MAX_EXPANSION as i64],
                    |r| r.get(0),
                )?
                .collect()
            })
            .map_err(|e| Error::db("looking up a part of a word", e))
    }

    /// The best `limit` stories for `fts` that are not in `skip`, best first.
    ///
    /// Two steps, so that the cost of a common word stays small: first the
    /// ranking, which reads only the word index (and the story row when a
    /// filter needs it) and keeps the best few in a bounded sort; then the
    /// list fields and the snippet of those few only. The ranking reads at
    /// most the newest [`RANKED`] matches (the index walks rowids newest
    /// first and stops there), so a word in every story costs what a word in
    /// 2,000 does.
    fn search_pass(
        &self,
        fts: &str,
        order: Order,
        marks: &Highlights,
        query: &SearchQuery,
        limit: u32,
        skip: &HashSet<i64>,
    ) -> Result<Vec<SearchHit>> {
        let rank = match order {
            Order::Relevance => BM25,
            Order::Newest => "-search_words.rowid",
        };
        let filtered = query.starred.is_some()
            || query.unread.is_some()
            || query.archived.is_some()
            || query.tag.is_some();
        let ranking = if filtered {
            format!(
                "SELECT id FROM (SELECT search_words.rowid AS id, {rank} AS r \
                 FROM search_words CROSS JOIN articles a ON a.id = search_words.rowid \
                 WHERE search_words MATCH ?1 \
                   AND (?2 IS NULL OR a.starred = ?2) \
                   AND (?3 IS NULL OR (a.read_at IS NULL) = ?3) \
                   AND (?4 IS NULL OR a.archived = ?4) \
                   AND (?5 IS NULL OR a.id IN (SELECT x.article_id FROM article_tags x \
                        JOIN tags t ON t.id = x.tag_id WHERE t.name = ?5)) \
                 ORDER BY search_words.rowid DESC LIMIT {RANKED}) ORDER BY r LIMIT ?6"
            )
        } else {
            // ?2 to ?5 stay unused (and unread): the same parameters as above.
            format!(
                "SELECT id FROM (SELECT rowid AS id, {rank} AS r FROM search_words \
                 WHERE search_words MATCH ?1 ORDER BY rowid DESC LIMIT {RANKED}) \
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
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.title, a.url, a.site, coalesce(c.text, ''), \
                   a.starred, a.archived, a.read_at IS NOT NULL, a.saved_at, \
                   (SELECT group_concat(t.name, char(31)) FROM article_tags x \
                    JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id) \
                 FROM articles a LEFT JOIN article_content c ON c.article_id = a.id \
                 WHERE a.id = ?1",
            )
            .map_err(|e| Error::db("preparing a search", e))?;
        let mut hits = Vec::new();
        for id in ids.into_iter().filter(|id| !skip.contains(id)) {
            if hits.len() as u32 >= limit {
                break;
            }
            let hit = stmt
                .query_row(params![id], |r| {
                    let tags: Option<String> = r.get(9)?;
                    let mut tags: Vec<String> = tags
                        .map(|t| t.split('\u{1f}').map(str::to_string).collect())
                        .unwrap_or_default();
                    tags.sort_by_key(|t| t.to_lowercase());
                    let text: String = r.get(4)?;
                    Ok(SearchHit {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        url: r.get(2)?,
                        site: r.get(3)?,
                        snippet: snippet(&text, marks, SNIPPET_WORDS),
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

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::super::schema::MIGRATIONS;
    use super::super::story_tests::{old_library, search, story};
    use super::*;

    #[test]
    fn sharp_s_and_ss_find_each_other_both_ways() {
        let mut lib = Library::open_in_memory().unwrap();
        let stories = [
            ("Die Straße", "Eine lange Straße am Fluss."),
            ("Die Strasse", "Eine lange Strasse in Zürich."),
            ("GROẞE STRAẞE", "Ein ﬁnaler Bericht."),
        ];
        let all: Vec<i64> = (1..)
            .zip(stories)
            .map(|(n, (title, text))| lib.store_story(story(n, title, text)).unwrap().id)
            .collect();
        let (german, capital) = (all[0], all[2]);
        // Whole words, prefixes and a part of a word, typed either way.
        let typed = [
            "strasse", "Straße", "STRASSE", "straẞe", "stras*", "straß*", "trass",
        ];
        for typed in typed {
            let mut found = search(&lib, typed);
            found.sort_unstable();
            assert_eq!(found, all, "{typed}");
        }
        assert_eq!(search(&lib, "finaler"), vec![capital], "ﬁ is fi");
        assert_eq!(search(&lib, "grosse"), vec![capital]);
        // The snippet marks the word as written, whichever way it was typed.
        let hits = lib
            .search(&SearchQuery {
                text: "strasse".into(),
                ..Default::default()
            })
            .unwrap();
        let german_hit = hits.iter().find(|h| h.id == german).unwrap();
        assert!(
            german_hit.snippet.contains("\u{2}Straße\u{3}"),
            "{:?}",
            german_hit.snippet
        );
    }

    #[test]
    fn a_library_indexed_before_the_folding_finds_strasse_after_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v7.gloss");
        // As Gloss 7 indexed it: the word index and the vocabulary kept ß
        // (unicode61 does not fold it).
        old_library(
            &path,
            7,
            "INSERT INTO articles (id, url, url_key, title, saved_at, updated_at) \
               VALUES (1, 'https://e.com/1', 'https://e.com/1', 'Die Straße', 1, 1);
             INSERT INTO article_content VALUES (1, '<p>x</p>', 'Eine Straße am Fluss.');
             INSERT INTO search_words (rowid, title, body) VALUES (1, 'Die Straße', 'Eine Straße am Fluss.');
             INSERT INTO search_terms (id, term) VALUES (1, 'die'), (2, 'straße'), (3, 'eine'), (4, 'am'), (5, 'fluss');
             INSERT INTO search_term_grams (rowid, term) SELECT id, term FROM search_terms;
             PRAGMA user_version = 7;",
        );
        let old: i64 = Connection::open(&path)
            .unwrap()
            .query_row(
                "SELECT count(*) FROM search_words WHERE search_words MATCH '\"strasse\"'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            old, 0,
            "the old index cannot find strasse: the upgrade must rebuild it"
        );
        let lib = Library::open(&path).unwrap();
        assert_eq!(lib.schema_version().unwrap(), MIGRATIONS.len() as u32);
        assert_eq!(search(&lib, "strasse"), vec![1]);
        assert_eq!(search(&lib, "Straße"), vec![1]);
        assert_eq!(search(&lib, "strass*"), vec![1]);
        assert_eq!(search(&lib, "fluss"), vec![1]);
        assert!(lib.check().unwrap().ok);
    }
}
