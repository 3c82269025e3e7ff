//! Turning what a person typed into FTS5 queries that cannot fail.
//!
//! The library keeps two full-text indexes (see `library::schema`): a word
//! index (unicode61 with diacritics folded) and a trigram index for substrings
//! of long words. This module owns the text transformations both sides must
//! agree on; the SQL itself lives in `library`.
//!
//! unicode61 treats a run of Chinese or Japanese characters with no spaces as
//! one token, so `東京` would never match inside `東京都`. We index CJK
//! text one character per token and search CJK words as phrases of
//! characters, which finds any sequence, of any length, exactly.

use std::borrow::Cow;

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

/// Text as the word index stores it: every CJK character stands alone.
pub fn index_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_cjk) {
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
        out.push(c);
        prev_cjk = cjk;
    }
    Cow::Owned(out)
}

/// Undoes [`index_text`] in a snippet: joins CJK characters again and merges
/// adjacent marks, so `\x02東\x03 \x02京\x03` reads `\x02東京\x03`.
pub fn tidy_snippet(snippet: &str) -> String {
    let chars: Vec<char> = snippet.chars().collect();
    let mut out = String::with_capacity(snippet.len());
    let cjk_at = |i: usize, step: isize| -> bool {
        // The next character that is not a mark, in the given direction.
        let mut j = i as isize + step;
        while j >= 0 && (j as usize) < chars.len() {
            let c = chars[j as usize];
            if c != MARK_START && c != MARK_END {
                return is_cjk(c);
            }
            j += step;
        }
        false
    };
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && cjk_at(i, -1) && cjk_at(i, 1) {
            continue;
        }
        out.push(c);
    }
    out.replace(&format!("{MARK_END}{MARK_START}"), "")
}

/// A snippet for plain-text output: matched words in `[brackets]`.
pub fn snippet_with_brackets(snippet: &str) -> String {
    snippet.replace(MARK_START, "[").replace(MARK_END, "]")
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
fn tidy_operators(terms: Vec<Term>) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::with_capacity(terms.len());
    for term in terms {
        match term {
            Term::Op(op) => match out.last() {
                None => {}
                Some(Term::Op(_)) => {
                    out.pop();
                    out.push(Term::Op(op));
                }
                Some(Term::Phrase { .. }) => out.push(Term::Op(op)),
            },
            phrase => out.push(phrase),
        }
    }
    while matches!(out.last(), Some(Term::Op(_))) {
        out.pop();
    }
    out
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The word-index MATCH expression for `input`, or `None` when there is
/// nothing to search for. Every phrase is quoted, so no input is a syntax error.
pub fn word_query(input: &str) -> Option<String> {
    let terms = parse(input);
    if terms.is_empty() {
        return None;
    }
    let parts: Vec<String> = terms
        .iter()
        .map(|t| match t {
            Term::Op(op) => (*op).to_string(),
            Term::Phrase { text, prefix } => {
                let q = quote(&index_text(text));
                if *prefix {
                    format!("{q}*")
                } else {
                    q
                }
            }
        })
        .collect();
    Some(parts.join(" "))
}

/// The substring-index MATCH expression: every positive phrase of at least
/// three characters must occur somewhere (trigrams cannot find shorter ones).
pub fn substring_query(input: &str) -> Option<String> {
    let terms = parse(input);
    let mut parts = Vec::new();
    let mut negated = false;
    for t in &terms {
        match t {
            Term::Op(op) => negated = *op == "NOT",
            Term::Phrase { text, .. } => {
                if !negated && text.chars().count() >= 3 {
                    parts.push(quote(text));
                }
                negated = false;
            }
        }
    }
    if parts.is_empty() || terms.contains(&Term::Op("OR")) {
        // An OR query means "either": requiring all substrings would be wrong.
        return None;
    }
    Some(parts.join(" AND "))
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
    fn cjk_is_split_into_characters() {
        assert_eq!(index_text("東京都に住む"), "東 京 都 に 住 む");
        assert_eq!(index_text("Tokyo東京Japan"), "Tokyo 東 京 Japan");
        assert_eq!(word_query("東京").unwrap(), "\"東 京\"");
        assert!(matches!(index_text("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn snippets_of_cjk_text_read_as_written() {
        let s = format!("住 む {MARK_START}東{MARK_END} {MARK_START}京{MARK_END} 都");
        assert_eq!(
            tidy_snippet(&s),
            format!("住む{MARK_START}東京{MARK_END}都")
        );
        assert_eq!(tidy_snippet("a b"), "a b");
    }

    #[test]
    fn substring_queries_need_three_characters() {
        assert_eq!(substring_query("nuklir").unwrap(), "\"nuklir\"");
        assert_eq!(substring_query("ab"), None);
        assert_eq!(substring_query("korea -utara").unwrap(), "\"korea\"");
        assert_eq!(substring_query("a OR b"), None);
    }
}
