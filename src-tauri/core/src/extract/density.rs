//! A second opinion on a page, independent of Readability: every block of
//! the whole body is classified by its own length, its link density and the
//! boxes it sits in, in the way trafilatura and jusText work (our own code).
//!
//! Readability scores containers and keeps one; it cannot say that a
//! paragraph inside that container is an author bio, nor that the story
//! goes on in a sibling container. The classifier sees each block:
//!
//! - **Boilerplate boxes**: a block inside an element whose class, id or
//!   role names page furniture (comments, related, newsletter, share, bio,
//!   cookie, ...; whole words of the class, not substrings) is boilerplate,
//!   unless that element holds most of the page's text (then the name is
//!   the site's, not a box's).
//! - **Density**: a block whose text is mostly link text is boilerplate; a
//!   long block with few links is content; a short one takes the verdict of
//!   the content around it (jusText's "near good").
//!
//! The verdicts are keyed by the block's letters and digits, so that the
//! units of Readability's output (a copy of part of the page) find theirs.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use dom_query::{Document, NodeRef};

use super::dom::{local_name, with_text};
use super::text::{for_each_run, NameBits, BLOCKS};
use super::tuning::Tuning;

/// Words of a class or id (split at `-`, `_` and spaces) that name a box
/// of page furniture.
const BOX_WORDS: &[&str] = &[
    "comment",
    "comments",
    "disqus",
    "respond",
    "related",
    "recommended",
    "recommendations",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "share",
    "sharing",
    "social",
    "sharebar",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "bio",
    "authorbio",
    "promo",
    "teaser",
    "teasers",
    "outbrain",
    "taboola",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "popular",
    "trending",
    "advert",
    "advertisement",
    "sponsored",
    "footer",
    "nav",
    "navbar",
    "menu",
];

/// Words of a class or id that name a call to action, a paywall or an
/// appeal for money (used when `Tuning::pitch_boxes` is on).
const PITCH_BOX_WORDS: &[&str] = &[
    "cta",
    "paywall",
    "membership",
    "donate",
    "donation",
    "upsell",
    "optin",
];

/// Roles and elements that are furniture whatever their class.
const BOX_ELEMENTS: &[&str] = &["nav", "footer", "aside", "form"];
const BOX_ROLES: &[&str] = &["navigation", "contentinfo", "complementary", "banner"];
/// Never text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "template", "noscript", "title", "svg", "math", "iframe", "object",
    "select", "textarea", "button",
];

/// Bits of [`CLASSIFY_NAMES`].
const SKIP: u8 = 1;
const BLOCK: u8 = 1 << 1;
const BOX: u8 = 1 << 2;

/// The lists the classifier asks of every element, looked up once.
static CLASSIFY_NAMES: NameBits = NameBits::new(&[
    (SKIPPED, SKIP),
    (BLOCKS, BLOCK),
    (&["td", "th"], BLOCK),
    (BOX_ELEMENTS, BOX),
]);

/// A box that holds more than this share of the page's text is not a box.
const BOX_MAX_SHARE: f64 = 0.4;

/// The classifier's verdict on one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Content,
    /// Inside a furniture box (by class, id, role or element).
    Boxed,
    /// Mostly link text.
    Links,
    /// Short, between boilerplate.
    Short,
}

/// One block of the page: its own text (not that of nested blocks).
#[derive(Debug)]
pub(crate) struct Block {
    pub tag: String,
    pub text: String,
    pub verdict: Verdict,
}

/// The page's blocks in document order, and where to find them by text.
#[derive(Debug, Default)]
pub(crate) struct Blocks {
    pub blocks: Vec<Block>,
    by_key: HashMap<String, usize>,
    /// The lengths (in bytes) of the keys of `by_key`: a text whose key has
    /// none of them is not looked for (most units of an article).
    key_lens: HashSet<usize>,
}

impl Blocks {
    /// The block whose letters and digits are those of `text`.
    pub(crate) fn find(&self, text: &str) -> Option<usize> {
        // Nothing to find (no text kept: no box on the page) is common;
        // the key costs a pass over the text.
        if self.by_key.is_empty() || !self.key_lens.contains(&key_len(text)) {
            return None;
        }
        self.by_key.get(&key(text)).copied()
    }
}

/// Letters and digits of a text: what survives a copy of the block however
/// its whitespace was rewritten.
pub(crate) fn key(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// `key(text).len()`, without building the key (ASCII a byte at a time).
fn key_len(text: &str) -> usize {
    if text.is_ascii() {
        text.bytes().filter(u8::is_ascii_alphanumeric).count()
    } else {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .map(char::len_utf8)
            .sum()
    }
}

/// A block being read.
struct Open {
    slot: usize,
    tag: String,
    text: String,
    chars: usize,
    link_chars: usize,
    pending_space: bool,
    /// Whether the text is kept or only counted: when the combination only
    /// drops boxed units, only the text inside boxes is ever looked up.
    keep_text: bool,
}

enum Step<'a> {
    Enter(NodeRef<'a>),
    Exit {
        block: bool,
        link: bool,
        boxed: bool,
    },
}

/// Classifies the blocks of `doc`'s body (see the module documentation).
pub(crate) fn classify(doc: &Document, tuning: &Tuning) -> Blocks {
    let root = doc.body().unwrap_or_else(|| doc.root());
    // slot -> (tag, text, chars, link chars); boxes as (first slot, end slot).
    let mut slots: Vec<Option<(String, String, usize, usize)>> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut boxes: Vec<(usize, usize)> = Vec::new();
    let mut box_starts: Vec<usize> = Vec::new();
    let mut link_depth = 0usize;
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit { block, link, boxed } => {
                if link {
                    link_depth = link_depth.saturating_sub(1);
                }
                if block {
                    if let Some(b) = open.pop() {
                        let text = b.text.trim_end().to_string();
                        if b.chars > 0 {
                            slots[b.slot] = Some((b.tag, text, b.chars, b.link_chars));
                        }
                    }
                }
                if boxed {
                    if let Some(start) = box_starts.pop() {
                        boxes.push((start, slots.len()));
                    }
                }
            }
            Step::Enter(n) => {
                let in_link = link_depth > 0;
                let was_text = with_text(&n, |text| {
                    if let Some(b) = open.last_mut() {
                        push_text(b, text, in_link);
                    }
                });
                if was_text.is_some() {
                    continue;
                }
                let Some(name) = local_name(&n) else { continue };
                // html5ever writes HTML names in lowercase already; only
                // foreign (SVG, MathML) names have capitals, and those are
                // skipped with their `<svg>` or `<math>`.
                let name: &str = &name;
                let bits = CLASSIFY_NAMES.get(name);
                if bits & SKIP != 0 {
                    continue;
                }
                if name == "br" {
                    if let Some(b) = open.last_mut() {
                        b.pending_space = true;
                    }
                    continue;
                }
                let block = bits & BLOCK != 0;
                let link = name == "a";
                let boxed = bits & BOX != 0 || is_box(&n, tuning.pitch_boxes);
                if boxed {
                    box_starts.push(slots.len());
                }
                if block {
                    open.push(Open {
                        slot: slots.len(),
                        tag: name.to_string(),
                        text: String::new(),
                        chars: 0,
                        link_chars: 0,
                        pending_space: false,
                        keep_text: tuning.combine.adds() || !box_starts.is_empty(),
                    });
                    slots.push(None);
                }
                if link {
                    link_depth += 1;
                }
                stack.push(Step::Exit { block, link, boxed });
                for child in n.children_it(true) {
                    stack.push(Step::Enter(child));
                }
            }
        }
    }
    // Blocks with text, in document order; the slot of each.
    let mut index_of_slot = vec![usize::MAX; slots.len()];
    let mut raw = Vec::new();
    for (slot, s) in slots.into_iter().enumerate() {
        if let Some(s) = s {
            index_of_slot[slot] = raw.len();
            raw.push(s);
        }
    }
    let total: usize = raw.iter().map(|r| r.2).sum();
    let mut boxed = vec![false; raw.len()];
    for (start, end) in boxes {
        let members: Vec<usize> = index_of_slot[start..end.min(index_of_slot.len())]
            .iter()
            .copied()
            .filter(|&i| i != usize::MAX)
            .collect();
        let chars: usize = members.iter().map(|&i| raw[i].2).sum();
        if (chars as f64) <= BOX_MAX_SHARE * total as f64 {
            for i in members {
                boxed[i] = true;
            }
        }
    }
    let mut verdicts: Vec<Option<Verdict>> = raw
        .iter()
        .zip(&boxed)
        .map(|((_, _, chars, links), &boxed)| {
            if boxed {
                Some(Verdict::Boxed)
            } else if *chars > 0 && *links as f64 > tuning.density_max_links * *chars as f64 {
                Some(Verdict::Links)
            } else if *chars >= tuning.density_good_chars {
                Some(Verdict::Content)
            } else {
                None
            }
        })
        .collect();
    resolve_short(&mut verdicts);
    let mut out = Blocks::default();
    for ((tag, text, _, _), verdict) in raw.into_iter().zip(verdicts) {
        let k = key(&text);
        if !k.is_empty() {
            out.key_lens.insert(k.len());
            out.by_key.entry(k).or_insert(out.blocks.len());
        }
        out.blocks.push(Block {
            tag,
            text,
            verdict: verdict.unwrap_or(Verdict::Short),
        });
    }
    out
}

/// A short block between content (the nearest decided blocks on both sides
/// are content, or content on one side and the page's edge on the other)
/// is content; otherwise it is `Short`.
fn resolve_short(verdicts: &mut [Option<Verdict>]) {
    let n = verdicts.len();
    let mut prev: Vec<Option<Verdict>> = vec![None; n];
    let mut last = None;
    for i in 0..n {
        prev[i] = last;
        if verdicts[i].is_some() {
            last = verdicts[i];
        }
    }
    let mut next = None;
    for i in (0..n).rev() {
        if verdicts[i].is_none() {
            let content = |v: Option<Verdict>| v == Some(Verdict::Content);
            let near = (content(prev[i]) && (content(next) || next.is_none()))
                || (prev[i].is_none() && content(next));
            verdicts[i] = Some(if near {
                Verdict::Content
            } else {
                Verdict::Short
            });
        } else {
            next = verdicts[i];
        }
    }
}

/// Adds a text node's text to the block being read: whitespace collapses,
/// and the runs between are counted (and kept) whole.
fn push_text(b: &mut Open, text: &str, in_link: bool) {
    if !b.keep_text {
        // Only counted: the characters that are not whitespace.
        let chars = if text.is_ascii() {
            text.bytes().filter(|&c| !is_ascii_space(c)).count()
        } else {
            text.chars().filter(|c| !c.is_whitespace()).count()
        };
        b.chars += chars;
        if in_link {
            b.link_chars += chars;
        }
        return;
    }
    let trailing = for_each_run(text, |spaced, word| {
        if b.keep_text {
            if (spaced || b.pending_space) && !b.text.is_empty() {
                b.text.push(' ');
            }
            b.text.push_str(word);
        }
        b.pending_space = false;
        let chars = word.chars().count();
        b.chars += chars;
        if in_link {
            b.link_chars += chars;
        }
    });
    if trailing {
        b.pending_space = true;
    }
}

/// Whether an element is a box of page furniture by its role, class or id
/// (its name is looked up with [`CLASSIFY_NAMES`]).
fn is_box(n: &NodeRef, pitch_boxes: bool) -> bool {
    let named = |v: &str| {
        if v.is_ascii() {
            // The same split, a byte at a time.
            v.as_bytes()
                .split(|&c| c == b'-' || c == b'_' || is_ascii_space(c))
                .any(|w| is_box_word(w, pitch_boxes))
        } else {
            v.split(|c: char| c == '-' || c == '_' || c.is_whitespace())
                .any(|w| is_box_word(w.as_bytes(), pitch_boxes))
        }
    };
    // One pass over the attributes (a parsed element has at most one of
    // each name).
    let Some(element) = n.element_ref() else {
        return false;
    };
    element.attrs.iter().any(|a| match &*a.name.local {
        "role" => BOX_ROLES.iter().any(|b| a.value.eq_ignore_ascii_case(b)),
        "class" | "id" => named(&a.value),
        _ => false,
    })
}

/// [`BOX_WORDS`] and [`PITCH_BOX_WORDS`] (`true` for the latter), by
/// their length in bytes: every class and id word of a page is looked up,
/// and comparing each with every listed word cost 2% of extraction.
static BOX_WORDS_BY_LEN: LazyLock<Vec<Vec<(&'static str, bool)>>> = LazyLock::new(|| {
    let mut by_len = vec![Vec::new(); BOX_WORD_MAX + 1];
    let listed = BOX_WORDS.iter().map(|w| (*w, false));
    for (word, pitch) in listed.chain(PITCH_BOX_WORDS.iter().map(|w| (*w, true))) {
        if let Some(same_len) = by_len.get_mut(word.len()) {
            same_len.push((word, pitch));
        }
    }
    by_len
});

/// Longest listed word, in bytes: longer words are not looked up.
const BOX_WORD_MAX: usize = 16;

/// What `char::is_whitespace` says of an ASCII byte.
fn is_ascii_space(c: u8) -> bool {
    c == b' ' || (b'\t'..=b'\r').contains(&c)
}

/// Whether a word of a class or id (UTF-8; ASCII case ignored) names a box.
fn is_box_word(word: &[u8], pitch_boxes: bool) -> bool {
    BOX_WORDS_BY_LEN.get(word.len()).is_some_and(|same_len| {
        same_len
            .iter()
            .any(|(w, pitch)| (!pitch || pitch_boxes) && w.as_bytes().eq_ignore_ascii_case(word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "This paragraph is long enough to count as content for the classifier, \
        with clauses, commas and a full stop at the end of the sentence.";

    #[test]
    fn blocks_in_boxes_links_and_content_are_told_apart() {
        let html = format!(
            "<html><body><div class=\"story\"><h2>Heading</h2><p>{LONG}</p><p>Short one.</p>\
             <p>{LONG} Two.</p></div><div class=\"author-bio\"><p>{LONG} Bio.</p></div>\
             <ul><li><a href=\"/a\">A story elsewhere</a></li></ul>\
             <div id=\"comments\"><p>{LONG} Comment.</p></div></body></html>"
        );
        let tuning = Tuning {
            combine: super::super::Combine::Both,
            ..Tuning::default()
        };
        let blocks = classify(&Document::from(html.as_str()), &tuning);
        let verdict = |t: &str| {
            blocks
                .blocks
                .iter()
                .find(|b| b.text.contains(t))
                .map(|b| b.verdict)
        };
        assert_eq!(verdict("Heading"), Some(Verdict::Content));
        assert_eq!(verdict("Short one."), Some(Verdict::Content));
        assert_eq!(verdict("Two."), Some(Verdict::Content));
        assert_eq!(verdict("Bio."), Some(Verdict::Boxed));
        assert_eq!(verdict("A story elsewhere"), Some(Verdict::Links));
        assert_eq!(verdict("Comment."), Some(Verdict::Boxed));
        assert_eq!(blocks.find("Short  one ."), blocks.find("Short one."));
        for text in [
            "",
            "a b-c",
            "Ärger über 3 Äpfel",
            "日本語 テキスト",
            "x\u{a0}y",
        ] {
            assert_eq!(key_len(text), key(text).len(), "{text}");
        }
    }

    #[test]
    fn only_boxed_text_is_kept_when_the_combination_only_drops() {
        let html = format!(
            "<html><body><p>{LONG}</p><div class=\"newsletter\"><p>{LONG} Box.</p></div></body></html>"
        );
        let blocks = classify(&Document::from(html.as_str()), &Tuning::default());
        assert_eq!(blocks.blocks[0].text, "");
        assert!(blocks.blocks[1].text.ends_with("Box."), "{blocks:?}");
        assert_eq!(blocks.find(&format!("{LONG} Box.")), Some(1));
    }

    #[test]
    fn calls_to_action_are_boxes_when_asked() {
        let html = format!(
            "<html><body><p>{LONG}</p><p>{LONG} Two.</p><div class=\"story-cta\"><h3>Want more?</h3>\
             <p>Every day we send an email.</p></div><div id=\"donate_box\"><p>Spenden Sie.</p></div>\
             </body></html>"
        );
        let boxed = |t: &Tuning, text: &str| {
            let b = classify(&Document::from(html.as_str()), t);
            b.find(text)
                .is_some_and(|i| b.blocks[i].verdict == Verdict::Boxed)
        };
        assert!(boxed(&Tuning::default(), "Want more?"));
        assert!(boxed(&Tuning::default(), "Spenden Sie."));
        let off = Tuning {
            pitch_boxes: false,
            ..Tuning::default()
        };
        assert!(!boxed(&off, "Want more?"));
    }

    #[test]
    fn box_words_are_matched_whole_and_without_case() {
        assert!(BOX_WORDS
            .iter()
            .chain(PITCH_BOX_WORDS)
            .all(|w| w.len() <= BOX_WORD_MAX && *w == w.to_ascii_lowercase()));
        let word = |w: &str, pitch: bool| is_box_word(w.as_bytes(), pitch);
        assert!(word("Comments", false));
        assert!(word("SIDEBAR", false));
        assert!(!word("comment2", false));
        assert!(!word("", false));
        assert!(!word("recommendationsandmore", false));
        assert!(word("Paywall", true));
        assert!(!word("paywall", false));
        assert!(!word("bïo", false));
        assert!((0..=127u8).all(|c| is_ascii_space(c) == char::from(c).is_whitespace()));
    }

    #[test]
    fn a_box_that_holds_the_whole_story_is_not_a_box() {
        let html = format!(
            "<html><body><div class=\"post has-comments\"><p>{LONG}</p><p>{LONG}</p></div>\
             <p>Tiny.</p></body></html>"
        );
        let blocks = classify(&Document::from(html.as_str()), &Tuning::default());
        assert!(blocks.blocks[0].verdict == Verdict::Content, "{blocks:?}");
    }
}
