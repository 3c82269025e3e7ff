//! Plain text files (`.txt`) as articles.
//!
//! The first non-empty line is the title (and is not repeated in the body).
//! Blank lines separate paragraphs; the lines of one paragraph are joined
//! with a space, since text files are often hard-wrapped. A short line that
//! stands alone between paragraphs and does not end like a sentence becomes
//! an `<h2>`. Everything is HTML-escaped, so no markup in a text file is
//! ever interpreted.

use super::{assemble, Extracted, Parts};
use crate::markup::{escape, Escaping};

/// Longest line, in characters, that can be a heading.
const HEADING_MAX_CHARS: usize = 80;

/// Last characters that make a short line a sentence rather than a heading:
/// sentence punctuation, and closing quotes (a line of dialogue).
const SENTENCE_ENDINGS: &[char] = &[
    '.', ',', ';', ':', '…', '。', '，', '、', '；', '：', '"', '”', '’', '\'', '»',
];

/// Turns the text of a `.txt` file into an article (see the module
/// documentation for the rules). `fallback_title` (the file name) is used
/// when the file has no non-empty line.
pub fn extract_plain_text(text: &str, fallback_title: &str) -> Extracted {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    let title = lines
        .next()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "));

    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }

    let mut html = String::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        let has_next = i + 1 < paragraphs.len();
        let tag = if has_next && is_heading(&paragraph) {
            "h2"
        } else {
            "p"
        };
        html.push_str(&format!(
            "<{tag}>{}</{tag}>\n",
            escape(&paragraph, Escaping::HTML_ALL_QUOTES)
        ));
    }

    assemble(
        Parts {
            title,
            html,
            ..Parts::default()
        },
        fallback_title,
        None,
    )
}

/// A short single line with a letter in it that does not end like a sentence.
fn is_heading(line: &str) -> bool {
    line.chars().count() <= HEADING_MAX_CHARS
        && line.chars().any(char::is_alphabetic)
        && !line.ends_with(SENTENCE_ENDINGS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "../../../shared/fixtures/articles/putin-kim-denuclearization.id.txt";

    #[test]
    fn title_paragraphs_and_headings() {
        let text = "\u{feff}\r\n  My   Notes \r\n\r\nFirst paragraph,\r\nwrapped here.\r\n\r\nA Heading\r\n\r\nSecond <b>para</b> & more.\r\n\r\nShort line.\r\n\r\nLast words";
        let e = extract_plain_text(text, "notes.txt");
        assert_eq!(e.title, "My Notes");
        assert_eq!(
            e.html,
            "<p>First paragraph, wrapped here.</p>\n<h2>A Heading</h2>\n\
             <p>Second &lt;b&gt;para&lt;/b&gt; &amp; more.</p>\n<p>Short line.</p>\n<p>Last words</p>\n"
        );
        assert_eq!(
            e.text,
            "First paragraph, wrapped here.\nA Heading\nSecond <b>para</b> & more.\nShort line.\nLast words"
        );
        assert_eq!(e.word_count, 13);
        assert_eq!(e.excerpt.as_deref(), Some("First paragraph, wrapped here."));
    }

    #[test]
    fn an_empty_file_takes_the_fallback_title() {
        let e = extract_plain_text(" \n\n ", "empty.txt");
        assert_eq!(e.title, "empty.txt");
        assert_eq!(e.text, "");
        assert_eq!(e.word_count, 0);
        assert_eq!(e.language, None);
    }

    #[test]
    fn a_title_only_file_has_an_empty_body() {
        let e = extract_plain_text("Just a title\n", "x.txt");
        assert_eq!(e.title, "Just a title");
        assert_eq!(e.html, "");
    }

    #[test]
    fn the_indonesian_fixture_keeps_title_language_and_whole_body() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
        let Ok(source) = std::fs::read_to_string(&path) else {
            eprintln!("note: {} is absent; fixture test skipped", path.display());
            return;
        };
        let e = extract_plain_text(&source, "putin-kim-denuclearization.id.txt");
        let mut lines = source.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap();
        assert_eq!(e.title, first);
        assert!(
            !e.text.contains(first),
            "the title is not repeated in the body"
        );
        assert_eq!(e.language.as_deref(), Some("id"));
        assert_eq!(e.dir, None);
        // Every other line of the file is in the body, in order (with runs of
        // whitespace, a no-break space among them, collapsed).
        let body: Vec<String> = lines
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(e.text.lines().collect::<Vec<_>>(), body);
        assert_eq!(body.len(), 14);
        assert!(e
            .html
            .contains("<h2>Jaminan Keamanan Bilateral Bagi Korea Utara Belum Cukup</h2>"));
        let words: usize = body.iter().map(|l| l.split_whitespace().count()).sum();
        assert_eq!(e.word_count as usize, words);
    }
}
