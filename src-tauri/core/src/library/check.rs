//! `gloss check`: is the file sound, and what is in it.

use super::Library;
use crate::model::CheckReport;
use crate::{Error, Result};

impl Library {
    /// Runs SQLite's integrity and foreign-key checks and the indexes' own
    /// checks, and counts what the library holds.
    pub fn check(&self) -> Result<CheckReport> {
        let mut problems = Vec::new();
        let integrity: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| Error::db("checking the library's integrity", e))?;
        problems.extend(integrity.into_iter().filter(|l| l != "ok"));
        let fk: Vec<String> = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(format!(
                        "row {} of {} points at a missing {}",
                        r.get::<_, i64>(1).unwrap_or_default(),
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(2)?
                    ))
                })?
                .collect()
            })
            .map_err(|e| Error::db("checking the library's links", e))?;
        problems.extend(fk);
        for table in ["search_words", "search_term_grams"] {
            if let Err(e) = self.conn.execute(
                &format!("INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"),
                [],
            ) {
                problems.push(format!("the search index {table} is damaged: {e}"));
            }
        }
        let unindexed: i64 = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM search_words)",
                [],
                |r| r.get(0),
            )
            .map_err(|e| Error::db("comparing the index with the stories", e))?;
        if unindexed != 0 {
            problems.push(format!(
                "{} stories are missing from the search index",
                unindexed.abs()
            ));
        }
        // The sidebar reads counts kept by triggers; they must agree with
        // the stories themselves.
        let drift: Vec<String> = self
            .conn
            .prepare(
                "SELECT c.total - (SELECT count(*) FROM articles), \
                        c.inbox - (SELECT count(*) FROM articles WHERE archived = 0), \
                        c.unread - (SELECT count(*) FROM articles WHERE read_at IS NULL), \
                        c.starred - (SELECT count(*) FROM articles WHERE starred = 1), \
                        c.archived - (SELECT count(*) FROM articles WHERE archived = 1), \
                        c.annotated - (SELECT count(*) FROM articles WHERE annotation_count > 0) \
                 FROM story_counts c WHERE c.id = 1",
            )
            .and_then(|mut s| {
                s.query_row([], |r| {
                    let names = ["all", "inbox", "unread", "starred", "archived", "annotated"];
                    let mut off = Vec::new();
                    for (i, name) in names.iter().enumerate() {
                        if r.get::<_, i64>(i)? != 0 {
                            off.push((*name).to_string());
                        }
                    }
                    Ok(off)
                })
            })
            .map_err(|e| Error::db("checking the sidebar counts", e))?;
        if !drift.is_empty() {
            problems.push(format!(
                "the sidebar counts are wrong for: {}",
                drift.join(", ")
            ));
        }
        let count = |sql: &str| -> Result<u32> {
            self.conn
                .query_row(sql, [], |r| r.get(0))
                .map_err(|e| Error::db("counting", e))
        };
        Ok(CheckReport {
            ok: problems.is_empty(),
            problems,
            stories: count("SELECT count(*) FROM articles")?,
            assets: count("SELECT count(*) FROM assets")?,
            tags: count("SELECT count(*) FROM tags")?,
            schema_version: self.schema_version()?,
            path: self.path.display().to_string(),
        })
    }
}
