//! The feeds module's policies applied to what the library stores.
//!
//! The library keeps plain rows (a check's outcome, the subscription list);
//! what they mean is decided here: how long a failing feed waits
//! ([`backoff`]) and how a subscription list is written (OPML). As a trait
//! on [`Library`], so callers keep calling `lib.apply_feed_outcome(..)`.

use super::opml::{write_opml, OpmlDocument};
use super::politeness::backoff;
use crate::library::FeedOutcome;
use crate::model::{FeedRefreshResult, ImportSummary};
use crate::{Library, Result};

/// What the feeds module does with a library (see the module's doc).
pub trait FeedsInLibrary {
    /// Stores what checking a feed gave, with the politeness backoff for a
    /// failure (see `Library::record_feed_check`).
    fn apply_feed_outcome(&mut self, outcome: &FeedOutcome) -> Result<FeedRefreshResult>;
    /// Adds the feeds and folders of an OPML file (no network).
    fn import_opml(&mut self, doc: &OpmlDocument) -> Result<ImportSummary>;
    /// Every feed and folder as an OPML file.
    fn export_opml(&self) -> Result<String>;
}

impl FeedsInLibrary for Library {
    fn apply_feed_outcome(&mut self, outcome: &FeedOutcome) -> Result<FeedRefreshResult> {
        self.record_feed_check(outcome, backoff)
    }

    fn import_opml(&mut self, doc: &OpmlDocument) -> Result<ImportSummary> {
        self.add_subscriptions(doc)
    }

    fn export_opml(&self) -> Result<String> {
        let list = self.subscriptions()?;
        Ok(write_opml(
            "Gloss subscriptions",
            &list.folders,
            &list.feeds,
        ))
    }
}
