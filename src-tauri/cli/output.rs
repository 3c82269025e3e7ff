//! How the command line prints: plain text for people, JSON for scripts.

use std::io::Write;

use gloss_core::model::{CheckReport, SearchHit, StorySummary};
use gloss_core::search::snippet_with_brackets;
use gloss_core::{Error, Result};
use serde::Serialize;

/// `gloss save --json`: one object per saved story.
#[derive(Debug, Serialize)]
pub struct SavedJson {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub language: Option<String>,
    pub word_count: u32,
}

impl From<&StorySummary> for SavedJson {
    fn from(s: &StorySummary) -> Self {
        SavedJson {
            id: s.id,
            title: s.title.clone(),
            url: s.url.clone(),
            language: s.language.clone(),
            word_count: s.word_count,
        }
    }
}

fn write_err(e: std::io::Error) -> Error {
    Error::io("writing the output", e)
}

/// Writes a value as pretty JSON and a newline.
pub fn json(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|e| Error::io("writing JSON", std::io::Error::other(e)))?;
    writeln!(out).map_err(write_err)
}

/// Writes text, ending it with a newline if it has none.
pub fn text(out: &mut impl Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes()).map_err(write_err)?;
    if !text.ends_with('\n') {
        writeln!(out).map_err(write_err)?;
    }
    Ok(())
}

/// One line per story: id, marks (★ starred, • unread, A archived), title, site, date.
pub fn story_lines(out: &mut impl Write, stories: &[StorySummary]) -> Result<()> {
    for s in stories {
        let marks = format!(
            "{}{}{}",
            if s.starred { '★' } else { ' ' },
            if s.read { ' ' } else { '•' },
            if s.archived { 'A' } else { ' ' }
        );
        let site = s
            .site
            .as_deref()
            .map(|s| format!(" — {s}"))
            .unwrap_or_default();
        let tags = if s.tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", s.tags.join(", "))
        };
        let date = s.saved_at.get(..10).unwrap_or(&s.saved_at);
        writeln!(
            out,
            "{:>6} {marks} {}{site}{tags} ({date}, {} min)",
            s.id, s.title, s.reading_minutes
        )
        .map_err(write_err)?;
    }
    Ok(())
}

/// Search hits: id and title, then the snippet with matches in [brackets].
pub fn search_lines(out: &mut impl Write, hits: &[SearchHit]) -> Result<()> {
    for h in hits {
        writeln!(out, "{:>6} {}", h.id, h.title).map_err(write_err)?;
        let snippet = snippet_with_brackets(&h.snippet)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !snippet.is_empty() {
            writeln!(out, "       {snippet}").map_err(write_err)?;
        }
    }
    Ok(())
}

pub fn check_report(out: &mut impl Write, r: &CheckReport) -> Result<()> {
    writeln!(out, "library: {}", r.path).map_err(write_err)?;
    writeln!(
        out,
        "schema {}, {} stories, {} images, {} tags",
        r.schema_version, r.stories, r.assets, r.tags
    )
    .map_err(write_err)?;
    if r.ok {
        writeln!(out, "ok").map_err(write_err)?;
    } else {
        for p in &r.problems {
            writeln!(out, "problem: {p}").map_err(write_err)?;
        }
    }
    Ok(())
}
