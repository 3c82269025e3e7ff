//! Every rule and threshold of extraction that was *chosen* rather than
//! derived, in one value, so that the evaluation can change them.
//!
//! `extract_bench eval --folds 5` picks each of them on four folds of the
//! corpus and scores the choice on the fifth (sites never straddle folds);
//! [`Tuning::default`] holds the values that survived that test (see
//! `docs/extraction.md`). The app and the CLI always use the default.

/// How Readability's container and the density classifier's verdicts
/// (`density.rs`) are combined on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// Readability's container alone (after pruning).
    Readability,
    /// Readability's container without the units the classifier found
    /// inside a boilerplate box (a bio, a newsletter box, comments).
    Drop,
    /// Readability's container plus the content blocks the classifier
    /// found right before or after it.
    Add,
    /// Both of the above.
    Both,
}

impl Combine {
    pub(crate) fn drops(self) -> bool {
        matches!(self, Combine::Drop | Combine::Both)
    }

    pub(crate) fn adds(self) -> bool {
        matches!(self, Combine::Add | Combine::Both)
    }
}

/// Rules and thresholds of pruning and of the second candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Tuning {
    /// Prune units that are a box title, a furniture word or a call to action.
    pub prompts: bool,
    /// Prune short units that read as a date or a time.
    pub datelines: bool,
    /// Prune repeated captions and texts seen three times or more.
    pub repeats: bool,
    /// Prune label-like units before the first and after the last paragraph.
    pub edge_labels: bool,
    /// Prune "By ..." units at the edges.
    pub edge_bylines: bool,
    /// Prune runs of link-dense units ("more stories" boxes).
    pub link_runs: bool,
    /// Remove inline image credits ("(Image: GETTY)").
    pub inline_credits: bool,
    /// Prune the pitches at the end of the article (subscriptions,
    /// newsletters, "follow us"), and a "more stories" list there.
    pub tail_pitches: bool,
    /// Prune the author's bio at the end of the article (a unit that opens
    /// with the declared author's name).
    pub tail_bios: bool,
    /// Prune pitches anywhere in the article: units that both call to act
    /// ("sign up", "subscribe to") and name what ("newsletter", ...).
    pub inline_pitches: bool,
    /// Prune a box at the end: a "more stories"/"most popular" title
    /// followed to the end by short units only.
    pub tail_boxes: bool,
    /// Remove tag lists (links marked `rel="tag"`, with their label).
    pub tag_lists: bool,
    /// Remove link cards: a span with an image and links only (the preview
    /// shown when a name is hovered).
    pub link_cards: bool,
    /// Prune gallery slides: captions that open with a counter ("1of4 ...").
    pub gallery_slides: bool,
    /// Keep Readability's article untouched when pruning would remove more
    /// than half of its text.
    pub half_guard: bool,
    /// A unit this long (and mostly not links) is a real paragraph.
    pub paragraph_chars: usize,
    /// Units longer than this are never boilerplate by phrase or links.
    pub short_chars: usize,
    /// Share of a unit's characters inside links that makes it a link.
    pub link_dense: f64,
    /// How the second candidate joins Readability's.
    pub combine: Combine,
    /// A block of the whole page at least this long, outside boilerplate
    /// and not link-dense, is content for the density classifier.
    pub density_good_chars: usize,
    /// Link density above which the classifier calls a block boilerplate.
    pub density_max_links: f64,
    /// The classifier also calls boxes named for a call to action, a
    /// paywall or an appeal for money (`cta`, `paywall`, `donate`, ...).
    pub pitch_boxes: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            prompts: true,
            datelines: true,
            repeats: true,
            edge_labels: true,
            edge_bylines: true,
            link_runs: true,
            inline_credits: true,
            tail_pitches: true,
            tail_bios: true,
            inline_pitches: true,
            tail_boxes: true,
            tag_lists: true,
            gallery_slides: true,
            link_cards: true,
            half_guard: true,
            paragraph_chars: 150,
            short_chars: 220,
            link_dense: 0.7,
            combine: Combine::Drop,
            density_good_chars: 100,
            density_max_links: 0.4,
            pitch_boxes: true,
        }
    }
}
