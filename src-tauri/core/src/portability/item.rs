//! What every importer produces: the stories of an export file in one
//! shape, before they are checked and written, and the report the user sees.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::annotate::Color;

/// One story as another reader exported it.
#[derive(Debug, Clone, Default)]
pub struct Item {
    /// As written in the file; checked and normalised when imported.
    pub url: String,
    /// Where the item is in the file (`entry 12`, `metadata_0_to_20.json
    /// item 4`), for the summary; parsers that leave it out are named by
    /// the URL, or by their position when the URL is empty too.
    pub place: Option<String>,
    pub title: Option<String>,
    /// Unix ms; `None` when the file has no date (the import's time is used).
    pub saved_at: Option<i64>,
    /// When the page itself was published (unix ms), as the export says;
    /// preferred to what extraction guesses from the content.
    pub published_at: Option<i64>,
    pub starred: bool,
    pub archived: bool,
    pub read: bool,
    /// 0.0 to 1.0.
    pub progress: f64,
    pub tags: Vec<String>,
    /// HTML the export carries (Omnivore, wallabag): sanitized on import.
    pub content_html: Option<String>,
    pub excerpt: Option<String>,
    pub byline: Option<String>,
    pub highlights: Vec<Highlight>,
}

/// A highlight as another reader exported it: the words, not a position.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Highlight {
    pub quote: String,
    pub note: String,
    pub color: Color,
    pub tags: Vec<String>,
    pub created: Option<i64>,
}

/// An item that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Failure {
    /// The row, entry or URL, as the user can find it in the file.
    pub item: String,
    pub reason: String,
}

impl Failure {
    pub fn new(item: impl Into<String>, reason: impl Into<String>) -> Self {
        Failure {
            item: item.into(),
            reason: reason.into(),
        }
    }
}

impl Item {
    /// How the summary names this item, the `n`th the parser read: its
    /// place and address, whichever the file gave, never an empty name.
    pub fn shown(&self, n: usize) -> String {
        let url = self.url.trim();
        match (&self.place, url.is_empty()) {
            (Some(place), false) => format!("{place} ({url})"),
            (Some(place), true) => place.clone(),
            (None, false) => url.to_string(),
            (None, true) => format!("entry {n} (no address)"),
        }
    }
}

/// What a parser read from a file.
#[derive(Debug, Default)]
pub struct Parsed {
    pub items: Vec<Item>,
    pub failed: Vec<Failure>,
    /// Left out on purpose (a book highlight has no web page to keep).
    pub skipped: Vec<Failure>,
    /// Imported, but not quite as written (an invalid date replaced by now).
    pub warnings: Vec<String>,
}

impl Parsed {
    pub fn fail(&mut self, item: impl Into<String>, reason: impl Into<String>) {
        self.failed.push(Failure::new(item, reason));
    }

    pub fn skip(&mut self, item: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Failure::new(item, reason));
    }
}

/// What an import did: `gloss import --json` prints it and the window's
/// import summary shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportReport {
    /// The format that was read (`pocket-csv`, `omnivore`, ...).
    pub format: String,
    /// Stories (or feeds, for OPML) added.
    pub imported: u32,
    /// Stories already in the library (or read twice in the file) merged
    /// into the story there; feeds already followed, for OPML.
    pub merged: u32,
    /// Items not imported, with the reason.
    pub failed: Vec<Failure>,
    /// Items left out on purpose, with the reason (Readwise book
    /// highlights, Readwise Reader rows of the Feed).
    pub skipped: Vec<Failure>,
    pub warnings: Vec<String>,
    /// Highlights added to the library: one whose words the story already
    /// has is not added again, nor counted (a second import of a file says 0).
    pub highlights: u32,
    /// Stories that wait for their content to be fetched (after the fetch,
    /// when there was one).
    pub waiting_for_content: u32,
    /// Stories whose content was fetched after the import.
    pub fetched: u32,
    /// Stories whose content could not be fetched (they keep waiting).
    pub fetch_failed: Vec<Failure>,
    /// Stopped by the user: what was written before stays, the rest of the
    /// file was not read into the library (import it again to finish: it
    /// merges).
    pub cancelled: bool,
}

/// Where an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportStage {
    /// Reading and understanding the file (nothing written yet).
    Reading,
    /// Writing its stories (with the images of content it carries).
    Importing,
    /// Downloading the content of stories that came as links.
    Fetching,
    Done,
}

/// The payload of the `import-progress` event: the stage, how far it is,
/// and the counts so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportProgress {
    pub stage: ImportStage,
    /// Items (or pages, while fetching) finished and in all.
    pub done: u32,
    pub total: u32,
    pub imported: u32,
    pub merged: u32,
    pub failed: u32,
}
