//! Turning what a person typed into FTS5 queries that cannot fail.
//!
//! The library keeps a word index (unicode61 with diacritics folded) and a
//! vocabulary of every word, with a trigram index of its own, through which
//! prefixes and parts of longer words are searched as the whole words they
//! stand for (see `library::schema`, migration 7). This module owns the text
//! transformations both sides must agree on, the MATCH expressions and the
//! snippets; the SQL itself lives in `library`.
//!
//! unicode61 treats a run of Chinese or Japanese characters with no spaces as
//! one token, so `東京` would never match inside `東京都`. We index CJK
//! text one character per token and search CJK words as phrases of
//! characters, which finds any sequence, of any length, exactly.

use std::borrow::Cow;
use std::collections::HashMap;

mod expansions;
mod snippet;
mod vocabulary;

pub use snippet::{snippet, Highlights};
use vocabulary::is_single_word;
pub use vocabulary::{fold, vocabulary};

/// Marks the start of a matched word in snippets (STX; appears in no text).
pub const MARK_START: char = '\u{2}';
/// Marks the end of a matched word in snippets (ETX).
pub const MARK_END: char = '\u{3}';

/// Han and kana: scripts written without spaces between words, where a
/// "word" for search or reading time has to be counted by characters.
pub fn is_han_or_kana(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK Extension A
        | 0x4E00..=0x9FFF   // CJK Unified Ideographs
        | 0xF900..=0xFAFF   // CJK Compatibility Ideographs
        | 0xFF66..=0xFF9D   // half-width Katakana
        | 0x20000..=0x2FA1F) // CJK Extensions B-F, compatibility supplement
}

/// Characters the word index keeps one to a token: Han and kana, and Hangul,
/// whose space-separated words carry particles (서울에서 holds 서울).
pub fn is_cjk(c: char) -> bool {
    is_han_or_kana(c) || matches!(c as u32, 0xAC00..=0xD7AF)
}

/// Text as the word index stores it, and queries are matched against it:
/// every CJK character stands alone, and letters that full case folding
/// writes as several are written so (`ß` → `ss`, see [`expansions`]);
/// unicode61 does the rest of the folding.
pub fn index_text(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_cjk(c) || expansions::expansion(c).is_some())
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut prev_cjk = false;
    for c in text.chars() {
        let cjk = is_cjk(c);
        // A CJK character starts a token, and so does whatever follows one.
        let starts_token = (cjk && !out.is_empty() && !out.ends_with(' '))
            || (!cjk && prev_cjk && !c.is_whitespace());
        if starts_token {
            out.push(' ');
        }
        expansions::push_expanded(&mut out, c);
        prev_cjk = cjk;
    }
    Cow::Owned(out)
}

/// A snippet for plain-text output: matched words in `[brackets]`.
pub fn snippet_with_brackets(snippet: &str) -> String {
    snippet.replace(MARK_START, "[").replace(MARK_END, "]")
}

/// A snippet for scripts: the text without marks, and where the matched
/// words are in it as `[start, end)` counted in Unicode code points (what
/// Python's and Rust's `chars()` count; not bytes, not UTF-16 units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainSnippet {
    pub text: String,
    pub matches: Vec<[usize; 2]>,
}

/// Splits a marked snippet (see [`MARK_START`]) into its text and the
/// ranges of its matches. A mark left open runs to the end; an end with no
/// start is dropped, as are empty matches.
pub fn plain_snippet(marked: &str) -> PlainSnippet {
    let mut text = String::with_capacity(marked.len());
    let mut matches = Vec::new();
    let mut at = 0usize;
    let mut open: Option<usize> = None;
    let mut close = |open: &mut Option<usize>, at: usize| {
        if let Some(start) = open.take().filter(|&start| start < at) {
            matches.push([start, at]);
        }
    };
    for c in marked.chars() {
        match c {
            MARK_START => {
                close(&mut open, at);
                open = Some(at);
            }
            MARK_END => close(&mut open, at),
            c => {
                text.push(c);
                at += 1;
            }
        }
    }
    close(&mut open, at);
    PlainSnippet { text, matches }
}

#[derive(Debug, Clone, PartialEq)]
enum Term {
    /// Words to match in this order; `prefix` allows more letters after the last.
    Phrase {
        text: String,
        prefix: bool,
    },
    Op(&'static str),
}

/// Splits input into phrases and operators, the way people type searches:
/// `"exact phrase"`, `word`, `pre*`, `-excluded`, `a OR b`, `a NOT b`.
fn parse(input: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    // Control characters separate words: FTS5 ends a query string at a NUL
    // ("unterminated string"), and none of them is part of a word.
    let input: String = input
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '"' {
            chars.next();
            let mut text = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                text.push(c);
            }
            let prefix = chars.peek() == Some(&'*');
            if prefix {
                chars.next();
            }
            push_phrase(&mut terms, text, prefix, false);
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '"' {
                break;
            }
            word.push(c);
            chars.next();
        }
        match word.as_str() {
            "OR" => terms.push(Term::Op("OR")),
            "AND" => terms.push(Term::Op("AND")),
            "NOT" => terms.push(Term::Op("NOT")),
            _ => {
                let negated = word.len() > 1 && word.starts_with('-');
                let word = if negated { &word[1..] } else { &word[..] };
                let prefix = word.ends_with('*');
                let word = word.trim_end_matches('*');
                push_phrase(&mut terms, word.to_string(), prefix, negated);
            }
        }
    }
    tidy_operators(terms)
}

fn push_phrase(terms: &mut Vec<Term>, text: String, prefix: bool, negated: bool) {
    // A phrase with no letters or digits would be an empty FTS5 phrase.
    if !text.chars().any(char::is_alphanumeric) {
        return;
    }
    if negated {
        terms.push(Term::Op("NOT"));
    }
    terms.push(Term::Phrase { text, prefix });
}

/// Drops operators that have no phrase on one side, so the expression is
/// always valid: `OR a` → `a`, `a NOT` → `a`, `a OR NOT b` → `a NOT b`.
/// An exclusion typed first (`-utara korea`) moves to the end, where FTS5's
/// NOT has a phrase on its left (`korea NOT utara`); a query that only
/// excludes has nothing to search for (FTS5 cannot say "everything but"),
/// and must never find the very stories it excludes.
fn tidy_operators(terms: Vec<Term>) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::with_capacity(terms.len());
    let mut excluded: Vec<Term> = Vec::new();
    let mut excluding = false;
    for term in terms {
        match term {
            Term::Op(op) => match out.last() {
                None => excluding |= op == "NOT",
                Some(Term::Op(_)) => {
                    out.pop();
                    out.push(Term::Op(op));
                }
                Some(Term::Phrase { .. }) => out.push(Term::Op(op)),
            },
            phrase if excluding => {
                excluded.push(phrase);
                excluding = false;
            }
            phrase => out.push(phrase),
        }
    }
    while matches!(out.last(), Some(Term::Op(_))) {
        out.pop();
    }
    if out.is_empty() {
        return out;
    }
    for phrase in excluded {
        out.push(Term::Op("NOT"));
        out.push(phrase);
    }
    out
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The word-index MATCH expression for `input` with FTS5's own prefix
/// queries, or `None` when there is nothing to search for. Every phrase is
/// quoted, so no input is a syntax error.
pub fn word_query(input: &str) -> Option<String> {
    Query::parse(input).build(&Expansions::new(), None)
}

/// Whole words of the vocabulary, by the folded prefix or part of a word
/// they were found for (see [`vocabulary`]).
pub type Expansions = HashMap<String, Vec<String>>;

/// Parts of words shorter than this are not looked up: the vocabulary's
/// trigram index cannot find them.
const MIN_PART_CHARS: usize = 3;

/// A typed query, parsed once. The library looks its prefixes and parts of
/// words up in the vocabulary, then builds the MATCH expressions from it.
#[derive(Debug, Clone)]
pub struct Query {
    terms: Vec<Term>,
}

impl Query {
    pub fn parse(input: &str) -> Self {
        Query {
            terms: parse(input),
        }
    }

    /// The phrases with whether each is a prefix and whether it is negated.
    fn phrases(&self) -> impl Iterator<Item = (&str, bool, bool)> {
        let mut negated = false;
        self.terms.iter().filter_map(move |t| match t {
            Term::Op(op) => {
                negated = *op == "NOT";
                None
            }
            Term::Phrase { text, prefix } => {
                let was = std::mem::take(&mut negated);
                Some((text.as_str(), *prefix, was))
            }
        })
    }

    /// Folded prefixes (`inter*`) to look up in the vocabulary.
    pub fn prefixes(&self) -> Vec<String> {
        self.phrases()
            .filter(|&(text, prefix, _)| prefix && is_single_word(text))
            .map(|(text, ..)| fold(text))
            .collect()
    }

    /// Whether the query has a prefix: its hits are listed newest first,
    /// since ranking every word a prefix stands for costs as much as
    /// reading all their stories.
    pub fn has_prefix(&self) -> bool {
        self.phrases().any(|(_, prefix, _)| prefix)
    }

    /// Folded words to look for inside longer words (`nuklir` in
    /// `denuklirisasi`). None when the query has OR: a part found in one
    /// branch would change what the other means.
    pub fn parts(&self) -> Vec<String> {
        if self.terms.contains(&Term::Op("OR")) {
            return Vec::new();
        }
        self.phrases()
            .filter(|&(text, prefix, negated)| {
                !prefix
                    && !negated
                    && is_single_word(text)
                    && text.chars().count() >= MIN_PART_CHARS
            })
            .map(|(text, ..)| fold(text))
            .collect()
    }

    /// The MATCH expression for whole words, prefixes standing for the
    /// vocabulary words in `prefixes` (FTS5's own prefix query for one
    /// that is not there).
    pub fn words_fts(&self, prefixes: &Expansions) -> Option<String> {
        self.build(prefixes, None)
    }

    /// The MATCH expression for the second pass: each part of a word also
    /// stands for the longer words in `parts` that contain it. `None` when
    /// no part has any, as the first pass found everything then.
    pub fn parts_fts(&self, prefixes: &Expansions, parts: &Expansions) -> Option<String> {
        if parts.values().all(Vec::is_empty) {
            return None;
        }
        self.build(prefixes, Some(parts))
    }

    fn build(&self, prefixes: &Expansions, parts: Option<&Expansions>) -> Option<String> {
        if self.terms.is_empty() {
            return None;
        }
        let mut out: Vec<String> = Vec::with_capacity(self.terms.len());
        let mut after_phrase = false;
        for term in &self.terms {
            match term {
                Term::Op(op) => {
                    out.push((*op).to_string());
                    after_phrase = false;
                }
                Term::Phrase { text, prefix } => {
                    let exact = quote(&index_text(text));
                    let words = if !is_single_word(text) {
                        None
                    } else if *prefix {
                        prefixes.get(&fold(text))
                    } else {
                        parts.and_then(|p| p.get(&fold(text)))
                    };
                    let part = match words {
                        Some(words) => any_of(exact, words),
                        None if *prefix => format!("{exact}*"),
                        None => exact,
                    };
                    // FTS5 joins two phrases with an implicit AND, but not a
                    // phrase and a `(… OR …)` group: that is a syntax error.
                    let grouped = part.starts_with('(')
                        || out.last().is_some_and(|last| last.starts_with('('));
                    if after_phrase && grouped {
                        out.push("AND".to_string());
                    }
                    out.push(part);
                    after_phrase = true;
                }
            }
        }
        Some(out.join(" "))
    }

    /// What a snippet marks. With `parts`, a word found inside longer
    /// words is marked there too.
    pub fn highlights(&self, parts: bool) -> Highlights {
        let mut highlights = Highlights::default();
        let part_words = if parts { self.parts() } else { Vec::new() };
        for (text, prefix, negated) in self.phrases() {
            if negated {
                continue;
            }
            if part_words.contains(&fold(text)) {
                highlights.inside(text);
            } else {
                highlights.words(text, prefix);
            }
        }
        highlights
    }
}

/// `"exact"` or, with more words, `("exact" OR "word" OR ...)`.
fn any_of(exact: String, words: &[String]) -> String {
    let mut alternatives = vec![exact];
    for word in words {
        let quoted = quote(word);
        if !alternatives.contains(&quoted) {
            alternatives.push(quoted);
        }
    }
    if alternatives.len() == 1 {
        return alternatives.remove(0);
    }
    format!("({})", alternatives.join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_are_quoted() {
        assert_eq!(
            word_query("jaminan keamanan").unwrap(),
            "\"jaminan\" \"keamanan\""
        );
    }

    #[test]
    fn fts_syntax_typed_by_people_is_made_safe() {
        for input in [
            "AND",
            "OR OR",
            "\"",
            "*",
            "a:b",
            "NEAR(",
            "(((",
            "-",
            "c++ \"unclosed",
            "title:",
            "'; DROP TABLE articles; --",
            "%_%",
            "^x",
            "NOT",
            "a NOT",
            "x OR",
        ] {
            if let Some(q) = word_query(input) {
                assert!(
                    !q.starts_with("OR") && !q.starts_with("NOT") && !q.ends_with("OR"),
                    "{input} -> {q}"
                );
            }
        }
        assert_eq!(word_query("\"a\"\"b\""), Some("\"a\" \"b\"".to_string()));
        assert_eq!(word_query("it's"), Some("\"it's\"".to_string()));
    }

    #[test]
    fn operators_prefixes_and_exclusions() {
        assert_eq!(word_query("putin OR kim").unwrap(), "\"putin\" OR \"kim\"");
        assert_eq!(word_query("nukl*").unwrap(), "\"nukl\"*");
        assert_eq!(
            word_query("korea -utara").unwrap(),
            "\"korea\" NOT \"utara\""
        );
        assert_eq!(
            word_query("\"jaminan keamanan\"").unwrap(),
            "\"jaminan keamanan\""
        );
        assert_eq!(word_query("OR putin NOT").unwrap(), "\"putin\"");
    }

    #[test]
    fn plain_snippets_give_code_point_ranges_of_the_marked_words() {
        let marked = "L'\u{2}Économie\u{3} à 😀 \u{2}東京\u{3}都";
        let plain = plain_snippet(marked);
        assert_eq!(plain.text, "L'Économie à 😀 東京都");
        assert_eq!(plain.matches, [[2, 10], [15, 17]]);
        let chars: Vec<char> = plain.text.chars().collect();
        let words: Vec<String> = plain
            .matches
            .iter()
            .map(|&[s, e]| chars[s..e].iter().collect())
            .collect();
        assert_eq!(words, ["Économie", "東京"]);
        // Unbalanced marks: an open one runs to the end, a stray end goes.
        let plain = plain_snippet("a\u{3}b\u{2}cd");
        assert_eq!((plain.text.as_str(), plain.matches), ("abcd", vec![[2, 4]]));
        assert_eq!(
            plain_snippet("\u{2}\u{3}x").matches,
            Vec::<[usize; 2]>::new()
        );
    }

    #[test]
    fn cjk_is_split_into_characters() {
        assert_eq!(index_text("東京都に住む"), "東 京 都 に 住 む");
        assert_eq!(index_text("Tokyo東京Japan"), "Tokyo 東 京 Japan");
        assert_eq!(word_query("東京").unwrap(), "\"東 京\"");
        assert!(matches!(index_text("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn sharp_s_and_ligatures_are_expanded_on_both_sides() {
        assert_eq!(index_text("Die Straße, ﬁnal"), "Die Strasse, final");
        assert_eq!(index_text("東京のStraße"), "東 京 の Strasse");
        assert_eq!(word_query("straße").unwrap(), "\"strasse\"");
        assert_eq!(word_query("STRAẞ*").unwrap(), "\"STRAss\"*");
        assert_eq!(Query::parse("Straß*").prefixes(), ["strass"]);
    }

    #[test]
    fn prefixes_and_parts_stand_for_the_vocabulary_words_found() {
        let q = Query::parse("Inter* nuklir -kim ab");
        assert_eq!(q.prefixes(), ["inter"]);
        assert_eq!(q.parts(), ["nuklir"]);
        assert!(q.has_prefix());
        let prefixes = Expansions::from([(
            "inter".to_string(),
            vec!["inter".to_string(), "internet".to_string()],
        )]);
        assert_eq!(
            q.words_fts(&prefixes).unwrap(),
            "(\"Inter\" OR \"inter\" OR \"internet\") AND \"nuklir\" NOT \"kim\" \"ab\""
        );
        // A prefix not looked up stays FTS5's own prefix query.
        assert_eq!(
            q.words_fts(&Expansions::new()).unwrap(),
            "\"Inter\"* \"nuklir\" NOT \"kim\" \"ab\""
        );
        let parts = Expansions::from([("nuklir".to_string(), vec!["denuklirisasi".to_string()])]);
        assert_eq!(
            q.parts_fts(&Expansions::new(), &parts).unwrap(),
            "\"Inter\"* AND (\"nuklir\" OR \"denuklirisasi\") NOT \"kim\" \"ab\""
        );
        let nothing = Expansions::from([("nuklir".to_string(), vec![])]);
        assert_eq!(q.parts_fts(&Expansions::new(), &nothing), None);
        // Parts are not looked up for OR queries, short words, phrases or CJK.
        assert!(Query::parse("nuklir OR kim").parts().is_empty());
        assert!(Query::parse("ab \"prime minister\" 東京")
            .parts()
            .is_empty());
    }

    #[test]
    fn exclusions_typed_first_move_last_and_alone_search_nothing() {
        assert_eq!(
            word_query("-utara korea").unwrap(),
            "\"korea\" NOT \"utara\""
        );
        assert_eq!(word_query("-utara"), None);
        assert_eq!(word_query("NOT utara"), None);
        assert_eq!(word_query("OR -utara"), None);
    }

    #[test]
    fn a_word_standing_for_several_is_joined_to_its_neighbours_with_and() {
        let parts = Expansions::from([("table".to_string(), vec!["tables".to_string()])]);
        let q = Query::parse("drop table now");
        assert_eq!(
            q.parts_fts(&Expansions::new(), &parts).unwrap(),
            "\"drop\" AND (\"table\" OR \"tables\") AND \"now\""
        );
    }

    #[test]
    fn control_characters_separate_words() {
        // Found by the `search` fuzz target: a NUL ended the FTS5 string.
        assert_eq!(
            word_query("drop \0\0'tap t\0\0e").unwrap(),
            "\"drop\" \"'tap\" \"t\" \"e\""
        );
    }
}
