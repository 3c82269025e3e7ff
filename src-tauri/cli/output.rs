//! How the command line prints: plain text for people, JSON for scripts.

use std::io::Write;

use gloss_core::model::{CheckReport, SearchHit, StorySummary};
use gloss_core::search::{plain_snippet, snippet_with_brackets};
use gloss_core::text::one_line;
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

/// Standard output that notices when its reader goes away (`gloss list |
/// head`): the command then ends quietly instead of reporting the broken
/// pipe as an error.
pub struct Stdout {
    inner: std::io::StdoutLock<'static>,
    reader_left: bool,
}

impl Stdout {
    pub fn new() -> Self {
        Stdout {
            inner: std::io::stdout().lock(),
            reader_left: false,
        }
    }

    /// Whether a write failed because nothing reads the output any more.
    pub fn reader_left(&self) -> bool {
        self.reader_left
    }

    fn note<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result {
            self.reader_left |= e.kind() == std::io::ErrorKind::BrokenPipe;
        }
        result
    }
}

impl Default for Stdout {
    fn default() -> Self {
        Self::new()
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.inner.write(buf);
        self.note(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.inner.flush();
        self.note(result)
    }
}

/// A failed write to the output, as the command's error.
pub fn write_err(e: std::io::Error) -> Error {
    Error::io("writing the output", e)
}

/// `one` when there is one, else `many`: "1 story", "2 stories".
pub fn plural<'a>(n: u32, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Writes a value as pretty JSON and a newline.
pub fn json(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    // serde_json hands back the writer's own error (its kind intact: a
    // closed pipe stays a closed pipe) and anything else as InvalidData.
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|e| Error::io("writing JSON", e.into()))?;
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

/// `gloss search --json`: the hits with `snippet` as plain text and
/// `matches`, the `[start, end]` code-point ranges of the matched words in
/// it (the window's own copy keeps the marks it draws from).
pub fn search_json(out: &mut impl Write, hits: &[SearchHit]) -> Result<()> {
    let mut values = Vec::with_capacity(hits.len());
    for hit in hits {
        let plain = plain_snippet(&hit.snippet);
        let mut value =
            serde_json::to_value(hit).map_err(|e| Error::io("writing JSON", e.into()))?;
        if let Some(fields) = value.as_object_mut() {
            fields.insert("snippet".into(), plain.text.into());
            fields.insert("matches".into(), serde_json::json!(plain.matches));
        }
        values.push(value);
    }
    json(out, &values)
}

/// Search hits: id and title, then the snippet with matches in [brackets].
pub fn search_lines(out: &mut impl Write, hits: &[SearchHit]) -> Result<()> {
    for h in hits {
        writeln!(out, "{:>6} {}", h.id, h.title).map_err(write_err)?;
        let snippet = one_line(&snippet_with_brackets(&h.snippet));
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
