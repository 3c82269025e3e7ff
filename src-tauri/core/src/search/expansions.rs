//! Letters that Unicode's full case folding writes as two or more letters
//! (`ß` → `ss`, `ﬁ` → `fi`), so that `strasse` finds `Straße` and
//! `Straße` finds `STRASSE`.
//!
//! FTS5's unicode61 tokenizer folds case one letter for one letter and
//! removes diacritics; it leaves `ß` and the ligatures as they are. The
//! library therefore hands it text with these letters already expanded,
//! and the query goes through the same expansion (`super::index_text`);
//! the vocabulary and the snippets fold with it too (`super::fold`).
//!
//! The table is the entries of status F in Unicode's CaseFolding.txt whose
//! folding the diacritics rule does not already give. The others either
//! only add a combining mark that is then removed (`ǰ` → `ǰ`, `ΐ`, `İ`,
//! which search finds already), or are the Greek letters with iota
//! subscript (`ᾳ` → `αι`). Those are left out on purpose: the subscript is
//! a combining mark (U+0345) that the diacritics rule removes, so `τη`
//! finds `τῇ` as someone typing modern Greek expects; expanding it to a
//! full `ι` would lose that.

/// (letter, what it folds to), sorted by letter for the binary search.
const EXPANSIONS: [(char, &str); 17] = [
    ('\u{00DF}', "ss"),               // ß LATIN SMALL LETTER SHARP S
    ('\u{0149}', "\u{02BC}n"),        // ŉ N PRECEDED BY APOSTROPHE
    ('\u{0587}', "\u{0565}\u{0582}"), // և ARMENIAN SMALL LIGATURE ECH YIWN
    ('\u{1E9A}', "a\u{02BE}"),        // ẚ A WITH RIGHT HALF RING
    ('\u{1E9E}', "ss"),               // ẞ LATIN CAPITAL LETTER SHARP S
    ('\u{FB00}', "ff"),               // ﬀ
    ('\u{FB01}', "fi"),               // ﬁ
    ('\u{FB02}', "fl"),               // ﬂ
    ('\u{FB03}', "ffi"),              // ﬃ
    ('\u{FB04}', "ffl"),              // ﬄ
    ('\u{FB05}', "st"),               // ﬅ LONG S T
    ('\u{FB06}', "st"),               // ﬆ
    ('\u{FB13}', "\u{0574}\u{0576}"), // ﬓ ARMENIAN MEN NOW
    ('\u{FB14}', "\u{0574}\u{0565}"), // ﬔ ARMENIAN MEN ECH
    ('\u{FB15}', "\u{0574}\u{056B}"), // ﬕ ARMENIAN MEN INI
    ('\u{FB16}', "\u{057E}\u{0576}"), // ﬖ ARMENIAN VEW NOW
    ('\u{FB17}', "\u{0574}\u{056D}"), // ﬗ ARMENIAN MEN XEH
];

/// What `c` folds to when full case folding writes it as several letters.
pub(crate) fn expansion(c: char) -> Option<&'static str> {
    // Every entry is at or above ß: most text has nothing to look up.
    if c < '\u{00DF}' {
        return None;
    }
    EXPANSIONS
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .map(|i| EXPANSIONS[i].1)
}

/// Whether `text` has a letter to expand.
pub(crate) fn has_expansion(text: &str) -> bool {
    text.chars().any(|c| expansion(c).is_some())
}

/// Appends `c` to `out`, expanded when it folds to several letters.
pub(crate) fn push_expanded(out: &mut String, c: char) {
    match expansion(c) {
        Some(letters) => out.push_str(letters),
        None => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_its_binary_search() {
        assert!(EXPANSIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn sharp_s_and_ligatures_expand_and_other_letters_stay() {
        assert_eq!(expansion('ß'), Some("ss"));
        assert_eq!(expansion('ẞ'), Some("ss"));
        assert_eq!(expansion('ﬁ'), Some("fi"));
        assert_eq!(expansion('ﬃ'), Some("ffi"));
        assert_eq!(expansion('ŉ'), Some("\u{2BC}n"));
        for c in ['s', 'é', 'Ä', 'ᾳ', '東', 'ǰ'] {
            assert_eq!(expansion(c), None, "{c}");
        }
        assert!(has_expansion("Straße"));
        assert!(!has_expansion("Strasse"));
    }
}
