//! Words as the search index sees them, for the vocabulary table.
//!
//! The library keeps every distinct word of its stories (folded: lower
//! case, no diacritics) in a small table with its own trigram index. A
//! prefix such as `inter*` or a part of a word such as `nuklir` is looked up
//! there first and searched as the list of whole words it stands for: the
//! word index then reads only the newest stories of those words, where
//! FTS5's own prefix search merges every story of every such word, and a
//! trigram index of whole stories would be twice the size of the stories.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::expansions::{has_expansion, push_expanded};
use super::is_cjk;

/// Longer "words" are hashes, base64 and URLs: not worth looking up.
const MAX_WORD_CHARS: usize = 64;

/// One word of a text: where it is and its folded form.
pub(crate) struct Token<'a> {
    pub range: Range<usize>,
    pub folded: Cow<'a, str>,
}

/// Whether `c` belongs to a word, as FTS5's unicode61 tokenizer sees it
/// (letters and numbers; combining marks stay with their letter).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The words of `text` in order. A CJK character is a word of its own, as
/// in the word index (see [`super::index_text`]).
pub(crate) fn tokens<'a>(text: &'a str) -> Vec<Token<'a>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let close = |out: &mut Vec<Token<'a>>, range: Range<usize>| {
        out.push(Token {
            folded: fold_cow(&text[range.clone()]),
            range,
        });
    };
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            if let Some(s) = start.take() {
                close(&mut out, s..i);
            }
            close(&mut out, i..i + c.len_utf8());
        } else if is_word_char(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            close(&mut out, s..i);
        }
    }
    if let Some(s) = start {
        close(&mut out, s..text.len());
    }
    out
}

/// [`fold`] without a copy for the common case, a word already folded
/// (snippets fold every word of every hit's text).
fn fold_cow(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        Cow::Borrowed(word)
    } else if word.is_ascii() {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Owned(fold(word))
    }
}

/// A word as the vocabulary stores it and as lookups compare it: lower
/// case, diacritics removed (`Économie` → `economie`), and the letters
/// that full case folding writes as several expanded (`Straße` →
/// `strasse`, see [`super::expansions`]).
pub fn fold(word: &str) -> String {
    let expanded: Cow<'_, str> = if has_expansion(word) {
        let mut out = String::with_capacity(word.len() + 4);
        word.chars().for_each(|c| push_expanded(&mut out, c));
        Cow::Owned(out)
    } else {
        Cow::Borrowed(word)
    };
    expanded
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The distinct folded words of `texts` the vocabulary keeps: two
/// characters or more, not CJK (CJK text is already searchable character
/// by character), not absurdly long.
pub fn vocabulary<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for text in texts {
        for token in tokens(text) {
            let chars = token.folded.chars().count();
            if (2..=MAX_WORD_CHARS).contains(&chars) && !token.folded.chars().any(is_cjk) {
                words.insert(token.folded.into_owned());
            }
        }
    }
    words
}

/// Whether a typed word can be looked up in the vocabulary: one word (as
/// the tokenizer splits) with no CJK in it.
pub(crate) fn is_single_word(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| is_word_char(c) && !is_cjk(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_diacritics() {
        assert_eq!(fold("Économie"), "economie");
        assert_eq!(fold("Ärger"), "arger");
        assert_eq!(fold("naïve"), "naive");
        assert_eq!(fold("ABC123"), "abc123");
    }

    #[test]
    fn folding_expands_sharp_s_and_ligatures() {
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("STRAẞE"), "strasse");
        assert_eq!(fold("Straße"), fold("STRASSE"));
        assert_eq!(fold("ﬁnancial"), "financial");
        assert_eq!(fold("Eﬄeurer"), "effleurer");
        // Full folding that only adds a diacritic was folded already.
        assert_eq!(fold("ǰ"), "j");
        assert_eq!(fold("İstanbul"), "istanbul");
        // The iota subscript is a diacritic, as before.
        assert_eq!(fold("τῇ"), "τη");
    }

    #[test]
    fn vocabulary_keeps_distinct_words_of_two_characters_or_more() {
        let words = vocabulary(["Denuklirisasi, a plan: denuklirisasi!", "東京 in 2024 x"]);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        assert_eq!(words, ["2024", "denuklirisasi", "in", "plan"]);
    }

    #[test]
    fn tokens_split_cjk_into_characters_and_keep_byte_ranges() {
        let text = "Tokyo東京, café";
        let toks = tokens(text);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.range.clone()]).collect();
        assert_eq!(words, ["Tokyo", "東", "京", "café"]);
        assert_eq!(toks[3].folded, "cafe");
    }

    #[test]
    fn single_words_only() {
        assert!(is_single_word("nuklir"));
        assert!(!is_single_word("c++"));
        assert!(!is_single_word("prime minister"));
        assert!(!is_single_word("東京"));
        assert!(!is_single_word(""));
    }
}
