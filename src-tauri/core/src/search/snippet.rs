//! Snippets of search hits, made from the story's stored text.
//!
//! The word index keeps no copy of the text (it is contentless, see
//! `library::schema`), so FTS5's `snippet()` has nothing to cut from. This
//! does the same job on the text the library stores anyway: find the words
//! the query asked for, pick the stretch of text with the most different
//! ones, and mark them with [`MARK_START`]/[`MARK_END`].

use super::vocabulary::{tokens, Token};
use super::{MARK_END, MARK_START};

/// What a snippet marks: the query's words as the text's words must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Highlights {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone, PartialEq)]
enum Pattern {
    /// Consecutive words (folded); the last one may be only a prefix.
    Words { words: Vec<String>, prefix: bool },
    /// A part of a longer word (folded).
    Inside(String),
}

impl Highlights {
    /// Marks `phrase` (one or more words, or CJK characters) where its words
    /// stand together; with `prefix`, its last word may continue.
    pub fn words(&mut self, phrase: &str, prefix: bool) {
        let words: Vec<String> = tokens(phrase)
            .into_iter()
            .map(|t| t.folded.into_owned())
            .collect();
        if !words.is_empty() {
            self.patterns.push(Pattern::Words { words, prefix });
        }
    }

    /// Marks any word with `part` inside it.
    pub fn inside(&mut self, part: &str) {
        let part = super::fold(part);
        if !part.is_empty() {
            self.patterns.push(Pattern::Inside(part));
        }
    }

    /// The matches in `toks`: (first token, past-the-last token, pattern).
    fn matches(&self, toks: &[Token<'_>]) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let mut i = 0;
        // Matches never overlap: after one, the search goes on past it.
        'tokens: while i < toks.len() {
            for (p, pattern) in self.patterns.iter().enumerate() {
                let len = match pattern {
                    Pattern::Words { words, prefix } => {
                        let fits = toks.len() - i >= words.len()
                            && words.iter().enumerate().all(|(k, w)| {
                                let t: &str = &toks[i + k].folded;
                                if *prefix && k + 1 == words.len() {
                                    t.starts_with(w.as_str())
                                } else {
                                    t == w
                                }
                            });
                        fits.then_some(words.len())
                    }
                    Pattern::Inside(part) => toks[i].folded.contains(part.as_str()).then_some(1),
                };
                if let Some(len) = len {
                    found.push((i, i + len, p));
                    i += len;
                    continue 'tokens;
                }
            }
            i += 1;
        }
        found
    }
}

/// At most `max_words` words of `text` around the best matches of
/// `highlights`, with the matches marked and `…` where text was left out.
/// With no match, the text's beginning.
pub fn snippet(text: &str, highlights: &Highlights, max_words: usize) -> String {
    let toks = tokens(text);
    if toks.is_empty() {
        return String::new();
    }
    let max_words = max_words.max(1);
    let matches = highlights.matches(&toks);
    // The window with the most different patterns; the earliest wins ties.
    // It starts a few words before its first match, for context.
    let lead = max_words / 4;
    let mut best = (0usize, 0usize);
    for &(first, _, _) in &matches {
        let start = first.saturating_sub(lead);
        let mut seen: Vec<usize> = matches
            .iter()
            .filter(|m| m.0 >= start && m.1 <= start + max_words)
            .map(|m| m.2)
            .collect();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() > best.1 {
            best = (start, seen.len());
        }
    }
    let start = best.0;
    let end = (start + max_words).min(toks.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let from = if start == 0 {
        0
    } else {
        toks[start].range.start
    };
    let mut at = from;
    for &(first, last, _) in matches.iter().filter(|m| m.0 >= start && m.1 <= end) {
        push_text(&mut out, &text[at..toks[first].range.start]);
        out.push(MARK_START);
        push_text(
            &mut out,
            &text[toks[first].range.start..toks[last - 1].range.end],
        );
        out.push(MARK_END);
        at = toks[last - 1].range.end;
    }
    let to = if end == toks.len() {
        text.len()
    } else {
        toks[end - 1].range.end
    };
    push_text(&mut out, &text[at.min(to)..to]);
    let mut out = out.trim().to_string();
    if end < toks.len() {
        out.push('…');
    }
    out
}

/// Appends `text` with every run of white space as one space: a snippet is
/// one line. Other control characters are left out: they are nothing to
/// read, and a stray STX or ETX in a story would pass for a mark.
fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else if !c.is_control() {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brackets(s: &str) -> String {
        s.replace(MARK_START, "[").replace(MARK_END, "]")
    }

    #[test]
    fn marks_words_whatever_their_case_and_accents() {
        let mut h = Highlights::default();
        h.words("economie", false);
        assert_eq!(
            brackets(&snippet("L'Économie va bien.", &h, 10)),
            "L'[Économie] va bien."
        );
    }

    #[test]
    fn picks_the_window_with_the_most_different_words() {
        let text = "alpha one two three four five six seven eight nine alpha beta gamma end";
        let mut h = Highlights::default();
        h.words("alpha", false);
        h.words("beta", false);
        let s = brackets(&snippet(text, &h, 4));
        assert_eq!(s, "…nine [alpha] [beta] gamma…");
    }

    #[test]
    fn phrases_prefixes_parts_and_cjk() {
        let mut h = Highlights::default();
        h.words("prime minister", false);
        h.words("inter", true);
        h.inside("nuklir");
        h.words("東京", false);
        let text = "The Prime\nMinister spoke of international denuklirisasi in 東京都.";
        assert_eq!(
            brackets(&snippet(text, &h, 40)),
            "The [Prime Minister] spoke of [international] [denuklirisasi] in [東京]都."
        );
        // "prime" alone is not the phrase.
        assert_eq!(brackets(&snippet("prime time", &h, 10)), "prime time");
    }

    #[test]
    fn control_characters_in_the_text_never_pass_for_marks() {
        let mut h = Highlights::default();
        h.words("word", false);
        let text = "a \u{2}stray\u{3} mark\u{7} and the word";
        assert_eq!(snippet(text, &h, 40), "a stray mark and the \u{2}word\u{3}");
    }

    #[test]
    fn no_match_gives_the_beginning() {
        let h = Highlights::default();
        assert_eq!(snippet("one two three four", &h, 2), "one two…");
        assert_eq!(snippet("", &h, 2), "");
        assert_eq!(snippet("  ...  ", &h, 2), "");
    }
}
