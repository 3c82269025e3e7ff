//! Highlights and notes: the W3C Web Annotation model, anchored to a story's
//! plain text so they survive the story being saved or extracted again.
//!
//! - [`anchor`]: placing a highlight from its selectors.
//! - [`fuzzy`]: approximate search, the last resort of anchoring.
//! - [`selection`]: a browser's selection placed on a story's text.

pub mod anchor;
pub mod fuzzy;
pub mod selection;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use anchor::{anchor, Placement, Text, TextPositionSelector, TextQuoteSelector};
pub use selection::place_selection;

/// The colours a highlight can have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    #[default]
    Yellow,
    Green,
    Blue,
    Pink,
    Purple,
}

impl Color {
    pub const ALL: [Color; 5] = [
        Color::Yellow,
        Color::Green,
        Color::Blue,
        Color::Pink,
        Color::Purple,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Color::Yellow => "yellow",
            Color::Green => "green",
            Color::Blue => "blue",
            Color::Pink => "pink",
            Color::Purple => "purple",
        }
    }

    /// Reads a colour name as people type it.
    pub fn parse(name: &str) -> crate::Result<Color> {
        let name = name.trim().to_ascii_lowercase();
        Color::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| {
                crate::Error::InvalidInput(format!(
                    "{name} is not a highlight colour; use yellow, green, blue, pink or purple"
                ))
            })
    }
}

/// A highlight with its note, as the library keeps it and the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Annotation {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub story_id: crate::model::StoryId,
    pub color: Color,
    /// Markdown.
    pub note: String,
    pub quote: TextQuoteSelector,
    /// Where it is in the story's text now; `None` while orphaned.
    pub position: Option<TextPositionSelector>,
    pub tags: Vec<String>,
    pub created: String,
    pub modified: String,
}

impl Annotation {
    /// An annotation that could not be placed in the story's current text:
    /// kept with its quote, shown apart, never deleted.
    pub fn orphaned(&self) -> bool {
        self.position.is_none()
    }
}

/// What a new highlight is made of.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct NewAnnotation {
    pub quote: TextQuoteSelector,
    pub position: Option<TextPositionSelector>,
    pub color: Color,
    pub note: String,
    pub tags: Vec<String>,
}

/// Which annotations the Notebook shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct AnnotationQuery {
    #[ts(type = "number | null")]
    pub story_id: Option<crate::model::StoryId>,
    pub color: Option<Color>,
    pub tag: Option<String>,
    /// Words in the note or the highlighted text.
    pub text: Option<String>,
    pub limit: Option<u32>,
}

/// One row of the Notebook: the annotation and its story's title and link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NotebookEntry {
    #[serde(flatten)]
    pub annotation: Annotation,
    pub story_title: String,
    pub story_url: String,
}
