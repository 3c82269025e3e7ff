//! A selection made in a browser, placed on a story's text. The browser's
//! words are the page's rendered text: the same words as the story's plain
//! text, but its white space differs (a line break where the story has a
//! space, two newlines between paragraphs where the story has one, the
//! indentation of the page's source). So both sides are compared with every
//! run of white space read as one space, and the quote is then anchored as
//! any highlight is (exact words with their context, else a few edits away).

use super::anchor::{anchor, Text, TextPositionSelector, TextQuoteSelector};

/// Where the selection's words are in `text`, or `None` when they are not
/// in it (the selection was outside the article).
pub fn place_selection(text: &str, quote: &TextQuoteSelector) -> Option<TextPositionSelector> {
    let loose = TextQuoteSelector {
        exact: collapse(&quote.exact).trim().to_string(),
        prefix: collapse(&quote.prefix),
        suffix: collapse(&quote.suffix),
    };
    if loose.exact.is_empty() {
        return None;
    }
    let (collapsed, starts) = collapse_with_offsets(text);
    let (placed, _) = anchor(&Text::new(&collapsed), &loose, None)?;
    let (start, end) = (placed.start as usize, placed.end as usize);
    // Back to the story's own offsets: the first character's start and the
    // last character's end.
    let original_start = *starts.get(start)?;
    let original_end = starts.get(end - 1).map(|s| s + 1)?;
    Some(TextPositionSelector {
        start: original_start as u32,
        end: original_end as u32,
    })
}

/// `text` with every run of white space made one space.
fn collapse(text: &str) -> String {
    collapse_with_offsets(text).0
}

/// [`collapse`], and for each character of the result the offset (in code
/// points) of the character of `text` it stands for; a run of white space
/// stands for its first character.
fn collapse_with_offsets(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut starts = Vec::with_capacity(text.len());
    let mut in_space = false;
    for (i, c) in text.chars().enumerate() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
                starts.push(i);
            }
            in_space = true;
        } else {
            out.push(c);
            starts.push(i);
            in_space = false;
        }
    }
    (out, starts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(prefix: &str, exact: &str, suffix: &str) -> TextQuoteSelector {
        TextQuoteSelector {
            exact: exact.into(),
            prefix: prefix.into(),
            suffix: suffix.into(),
        }
    }

    fn placed<'a>(text: &'a str, q: &TextQuoteSelector) -> Option<&'a str> {
        let p = place_selection(text, q)?;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let byte = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
        Some(&text[byte(p.start as usize)..byte(p.end as usize)])
    }

    #[test]
    fn words_across_paragraphs_are_found_whatever_the_browser_made_of_the_breaks() {
        let text =
            "The tide came in early.\nBoats were lifted off the mud, one by one.\nNobody spoke.";
        let q = quote(
            "came in ",
            "early.\n\n\n      Boats were lifted",
            " off the mud",
        );
        assert_eq!(placed(text, &q), Some("early.\nBoats were lifted"));
    }

    #[test]
    fn the_context_picks_the_right_one_of_repeated_words() {
        let text = "Step one: wait. Step two: wait. Step three: go.";
        let q = quote("Step two: ", "wait", ". Step three");
        let p = place_selection(text, &q).unwrap();
        assert_eq!((p.start, p.end), (26, 30));
    }

    #[test]
    fn words_that_are_not_in_the_text_are_not_placed() {
        let text = "An article about tides.";
        assert!(place_selection(text, &quote("", "Subscribe to our newsletter", "")).is_none());
        assert!(place_selection(text, &quote("", " \n\t", "")).is_none());
    }

    #[test]
    fn offsets_count_code_points_after_collapsed_space() {
        let text = "Ünïcödé  words —\n\nthen   «quoted» ones.";
        let q = quote("— ", "then «quoted»", " ones");
        assert_eq!(placed(text, &q), Some("then   «quoted»"));
    }
}
