//! Placing a highlight in a story's text, the way Hypothesis does.
//!
//! An annotation remembers its span twice: where it was (a
//! [`TextPositionSelector`], code-point offsets into the plain text) and what
//! it said (a [`TextQuoteSelector`]: the exact words and ~32 characters on
//! either side). When the text changes, the position is tried first, then
//! every exact occurrence of the quote (ranked by how well its surroundings
//! match and how close it is to where it was), then a match that tolerates a
//! few edits. A candidate must be backed by its context before it is taken:
//! a highlight whose words are gone is reported as orphaned, never moved to
//! other words that happen to look alike.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fuzzy;

/// How many characters of context a quote keeps on each side.
pub const CONTEXT_CHARS: usize = 32;

/// The words of a highlight and what stood around them (W3C Web Annotation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextQuoteSelector {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

/// Where a highlight was: `[start, end)` in code points of the plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextPositionSelector {
    pub start: u32,
    pub end: u32,
}

/// A story's plain text as code points, which is what offsets count.
pub struct Text {
    chars: Vec<char>,
}

impl Text {
    pub fn new(text: &str) -> Self {
        Text {
            chars: text.chars().collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start.min(self.len())..end.min(self.len())]
            .iter()
            .collect()
    }

    /// Both selectors for the span `[start, end)`; `None` when the span is
    /// empty or outside the text.
    pub fn selectors(
        &self,
        start: usize,
        end: usize,
    ) -> Option<(TextQuoteSelector, TextPositionSelector)> {
        if start >= end || end > self.len() {
            return None;
        }
        let quote = TextQuoteSelector {
            exact: self.slice(start, end),
            prefix: self.slice(start.saturating_sub(CONTEXT_CHARS), start),
            suffix: self.slice(end, end + CONTEXT_CHARS),
        };
        Some((
            quote,
            TextPositionSelector {
                start: start as u32,
                end: end as u32,
            },
        ))
    }

    /// Every start offset where `needle` occurs exactly.
    pub fn find_all(&self, needle: &str) -> Vec<usize> {
        let needle: Vec<char> = needle.chars().collect();
        if needle.is_empty() || needle.len() > self.len() {
            return Vec::new();
        }
        self.chars
            .windows(needle.len())
            .enumerate()
            .filter(|(_, w)| *w == needle.as_slice())
            .map(|(i, _)| i)
            .collect()
    }

    /// How well the text around `[start, end)` matches the quote's context:
    /// 0.0 (nothing alike) to 1.0 (both sides as remembered). The start and
    /// end of the text stand in for an empty prefix or suffix.
    fn context_score(&self, quote: &TextQuoteSelector, start: usize, end: usize) -> f64 {
        let prefix: Vec<char> = quote.prefix.chars().collect();
        let suffix: Vec<char> = quote.suffix.chars().collect();
        let before = &self.chars[start.saturating_sub(prefix.len())..start];
        let after = &self.chars[end..(end + suffix.len()).min(self.len())];
        let side = |want: &[char], have: &[char], from_end: bool| -> f64 {
            if want.is_empty() {
                // Nothing was there: a match at the same edge of the text fits.
                return if have.is_empty() { 1.0 } else { 0.5 };
            }
            let same = if from_end {
                want.iter()
                    .rev()
                    .zip(have.iter().rev())
                    .take_while(|(a, b)| a == b)
                    .count()
            } else {
                want.iter()
                    .zip(have.iter())
                    .take_while(|(a, b)| a == b)
                    .count()
            };
            same as f64 / want.len() as f64
        };
        (side(&prefix, before, true) + side(&suffix, after, false)) / 2.0
    }
}

/// How an annotation was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The remembered position still holds the words.
    Position,
    /// The words were found elsewhere, exactly.
    Quote,
    /// Words a few edits away from the quote were found.
    Fuzzy,
}

/// Where an annotation is in `text` now, or `None` when it cannot be placed
/// (orphaned).
pub fn anchor(
    text: &Text,
    quote: &TextQuoteSelector,
    position: Option<TextPositionSelector>,
) -> Option<(TextPositionSelector, Placement)> {
    let exact_len = quote.exact.chars().count();
    if exact_len == 0 {
        return None;
    }
    if let Some(p) = position {
        let (s, e) = (p.start as usize, p.end as usize);
        if e <= text.len() && s < e && text.slice(s, e) == quote.exact {
            return Some((p, Placement::Position));
        }
    }
    let expected = position.map(|p| p.start as usize);
    let distance_penalty = |start: usize| -> f64 {
        expected.map_or(0.0, |x| {
            (start.abs_diff(x) as f64 / (text.len().max(1)) as f64) * 0.2
        })
    };
    // The best-scoring occurrence; on a tie, the first in the text.
    let best_exact = text
        .find_all(&quote.exact)
        .into_iter()
        .map(|s| {
            let context = text.context_score(quote, s, s + exact_len);
            (s, context, context - distance_penalty(s))
        })
        .fold(None, |best: Option<(usize, f64, f64)>, c| match best {
            Some(b) if b.2 >= c.2 => Some(b),
            _ => Some(c),
        });
    if let Some((s, context, _)) = best_exact {
        // A lone exact occurrence is trusted when any of its context agrees;
        // one of several needs its context to pick it out.
        if context >= MIN_CONTEXT {
            return Some((span(s, s + exact_len), Placement::Quote));
        }
    }
    let exact: Vec<char> = quote.exact.chars().collect();
    let max_edits = exact.len() / FUZZY_CHARS_PER_EDIT;
    if max_edits == 0 {
        return None;
    }
    fuzzy::find(&text.chars, &exact, max_edits, expected)
        .into_iter()
        .map(|(s, e)| (s, e, text.context_score(quote, s, e)))
        .filter(|&(_, _, context)| context >= MIN_FUZZY_CONTEXT)
        .max_by(|a, b| (a.2 - distance_penalty(a.0)).total_cmp(&(b.2 - distance_penalty(b.0))))
        .map(|(s, e, _)| (span(s, e), Placement::Fuzzy))
}

/// The share of remembered context an exact match elsewhere must still have.
const MIN_CONTEXT: f64 = 0.25;
/// A match with edits must stand where its surroundings still read as they
/// did: near-duplicates (numbered lists, repeated phrases) differ mostly there.
const MIN_FUZZY_CONTEXT: f64 = 0.6;
/// One edit is tolerated per this many characters of the quote.
const FUZZY_CHARS_PER_EDIT: usize = 10;

fn span(start: usize, end: usize) -> TextPositionSelector {
    TextPositionSelector {
        start: start as u32,
        end: end as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real article texts: the scrapinghub ground truth of the corpus (read in
    /// place, never copied) and the Indonesian seed story.
    fn corpus_texts() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");
        let gt = std::fs::read_to_string(format!("{root}/corpus/scrapinghub/ground-truth.json"))
            .expect("the corpus is at ../shared/corpus");
        let gt: serde_json::Value = serde_json::from_str(&gt).unwrap();
        let mut texts: Vec<String> = gt
            .as_object()
            .unwrap()
            .values()
            .filter_map(|v| v["articleBody"].as_str().map(str::to_string))
            .filter(|t| t.chars().count() > 2000)
            .take(30)
            .collect();
        texts.push(
            std::fs::read_to_string(format!(
                "{root}/fixtures/articles/putin-kim-denuclearization.id.txt"
            ))
            .unwrap(),
        );
        texts
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    /// A random span whose words occur only once in the text.
    fn unique_span(rng: &mut Rng, chars: &[char], text: &Text) -> Option<(usize, usize)> {
        let len = 8 + rng.below(110);
        if chars.len() <= len + 2 {
            return None;
        }
        let start = rng.below(chars.len() - len);
        let exact: String = chars[start..start + len].iter().collect();
        (exact.trim().chars().count() > 4 && text.find_all(&exact).len() == 1)
            .then_some((start, start + len))
    }

    /// One random edit away from `[keep_from, keep_to)`: insert, delete or
    /// replace a few characters. Returns how far the kept span moved.
    fn edit_elsewhere(
        rng: &mut Rng,
        chars: &mut Vec<char>,
        keep_from: usize,
        keep_to: usize,
    ) -> isize {
        let words = [
            " breaking: ",
            "update ",
            "Lorem ipsum ",
            "—",
            "\n",
            "Tambahan. ",
        ];
        let at = rng.below(chars.len());
        if at + 8 >= keep_from && at <= keep_to {
            return 0;
        }
        let removed = rng.below(8).min(chars.len() - at);
        let inserted: Vec<char> = match rng.below(3) {
            0 => Vec::new(),
            _ => words[rng.below(words.len())].chars().collect(),
        };
        if at + removed > keep_from && at < keep_to {
            return 0;
        }
        chars.splice(at..at + removed, inserted.iter().copied());
        if at < keep_from {
            inserted.len() as isize - removed as isize
        } else {
            0
        }
    }

    #[test]
    fn random_spans_survive_random_edits_elsewhere() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut checked = 0;
        for original in corpus_texts() {
            let chars: Vec<char> = original.chars().collect();
            let text = Text::new(&original);
            for _ in 0..40 {
                let Some((s, e)) = unique_span(&mut rng, &chars, &text) else {
                    continue;
                };
                let (quote, position) = text.selectors(s, e).unwrap();
                let mut edited = chars.clone();
                let (mut from, mut to) = (s, e);
                for _ in 0..1 + rng.below(6) {
                    // Edits stay clear of the span and its remembered context.
                    let guard_from = from.saturating_sub(CONTEXT_CHARS);
                    let shift =
                        edit_elsewhere(&mut rng, &mut edited, guard_from, to + CONTEXT_CHARS);
                    from = (from as isize + shift) as usize;
                    to = (to as isize + shift) as usize;
                }
                let edited_text: String = edited.iter().collect();
                let placed = anchor(&Text::new(&edited_text), &quote, Some(position));
                let (p, _) = placed.unwrap_or_else(|| panic!("lost {:?}", quote.exact));
                assert_eq!(
                    (p.start as usize, p.end as usize),
                    (from, to),
                    "moved {:?}",
                    quote.exact
                );
                checked += 1;
            }
        }
        assert!(checked > 500, "only {checked} spans checked");
    }

    #[test]
    fn spans_whose_words_were_deleted_become_orphans_never_misplaced() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut checked = 0;
        for original in corpus_texts() {
            let chars: Vec<char> = original.chars().collect();
            let text = Text::new(&original);
            for _ in 0..40 {
                let Some((s, e)) = unique_span(&mut rng, &chars, &text) else {
                    continue;
                };
                let (quote, position) = text.selectors(s, e).unwrap();
                let mut edited = chars.clone();
                // Delete the span, sometimes with some text around it.
                let from = s.saturating_sub(rng.below(20));
                let to = (e + rng.below(20)).min(edited.len());
                edited.drain(from..to);
                let edited: String = edited.iter().collect();
                let placed = anchor(&Text::new(&edited), &quote, Some(position));
                assert!(
                    placed.is_none(),
                    "{:?} was placed at {:?} after its words were deleted",
                    quote.exact,
                    placed
                );
                checked += 1;
            }
        }
        assert!(checked > 500, "only {checked} spans checked");
    }

    #[test]
    fn a_repeated_quote_goes_to_the_occurrence_with_its_context() {
        let text = "The vote is close. Analysts say the vote is close. Nobody knows.";
        let t = Text::new(text);
        let second = text.find("the vote is close").unwrap();
        let (quote, _) = t.selectors(second, second + 17).unwrap();
        let edited = format!("Intro paragraph added here. {text}");
        let (p, how) = anchor(&Text::new(&edited), &quote, None).unwrap();
        assert_eq!(how, Placement::Quote);
        assert_eq!(
            &edited[p.start as usize..p.end as usize],
            "the vote is close"
        );
        assert_eq!(p.start as usize, second + 28);
    }

    #[test]
    fn small_edits_inside_the_quote_are_found_fuzzily() {
        let text = "Putin said a bilateral security guarantee is not enough for the North.";
        let t = Text::new(text);
        let s = text.find("a bilateral security guarantee").unwrap();
        let (quote, position) = t.selectors(s, s + 30).unwrap();
        let edited = text.replace("bilateral security", "bilateral securty");
        let (p, how) = anchor(&Text::new(&edited), &quote, Some(position)).unwrap();
        assert_eq!(how, Placement::Fuzzy);
        assert_eq!(
            &edited[p.start as usize..p.end as usize],
            "a bilateral securty guarantee"
        );
    }

    #[test]
    fn an_unchanged_text_keeps_the_position() {
        let t = Text::new("héllo wörld, 東京 is here");
        let (quote, position) = t.selectors(13, 15).unwrap();
        assert_eq!(quote.exact, "東京");
        assert_eq!(
            anchor(&t, &quote, Some(position)),
            Some((position, Placement::Position))
        );
    }
}
