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
        for table in ["search_words", "search_substrings"] {
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
