//! HTML to plain text, and counting the words of that text.
//!
//! The plain text is what full-text search indexes and what annotation
//! positions (W3C `TextPositionSelector`) count in, so its shape is a contract:
//! every block element (paragraph, heading, list item, table row, ...) and
//! every `<br>` ends a line; runs of whitespace inside a line collapse to one
//! space; lines are trimmed and empty lines are dropped, so the text has no
//! blank lines. Table cells of a row are separated by one space. `<pre>` keeps
//! its line breaks (each source line becomes a line) but, like everything
//! else, collapses spaces. Images contribute nothing (their alt text is an
//! attribute, not text, as in the DOM's `textContent`).

use std::sync::OnceLock;

use dom_query::{Document, NodeRef};

use super::dom::{local_name, with_text, NameMap};

/// Elements that start and end a line of text.
pub(crate) const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Looks up a name in a fixed list of names: the walks over a page ask
/// this of every element, and comparing the name with each listed name
/// cost more than the rest of the visit.
pub(crate) struct NameSet {
    names: &'static [&'static str],
    set: OnceLock<NameMap<()>>,
}

impl NameSet {
    /// The set of `names`, built at first use.
    pub(crate) const fn new(names: &'static [&'static str]) -> Self {
        NameSet {
            names,
            set: OnceLock::new(),
        }
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.set
            .get_or_init(|| self.names.iter().map(|n| (*n, ())).collect())
            .contains_key(name)
    }
}

/// Looks up which of some fixed lists of names a name is in, as bits: one
/// lookup where a walk asks several lists of every element.
pub(crate) struct NameBits {
    lists: &'static [(&'static [&'static str], u8)],
    map: OnceLock<NameMap<u8>>,
}

impl NameBits {
    /// Each list with its bit, built at first use.
    pub(crate) const fn new(lists: &'static [(&'static [&'static str], u8)]) -> Self {
        NameBits {
            lists,
            map: OnceLock::new(),
        }
    }

    /// The bits of the lists `name` is in (0 when in none).
    pub(crate) fn get(&self, name: &str) -> u8 {
        let map = self.map.get_or_init(|| {
            let mut map = NameMap::default();
            for (names, bit) in self.lists {
                for name in *names {
                    *map.entry(*name).or_insert(0) |= bit;
                }
            }
            map
        });
        map.get(name).copied().unwrap_or(0)
    }
}

/// [`BLOCKS`] as a set.
pub(crate) static BLOCK_SET: NameSet = NameSet::new(BLOCKS);

/// Bits of [`TEXT_NAMES`].
const SKIP: u8 = 1;
const BLOCK: u8 = 1 << 1;

/// [`SKIPPED`] and [`BLOCKS`], for the text walk.
static TEXT_NAMES: NameBits = NameBits::new(&[(SKIPPED, SKIP), (BLOCKS, BLOCK)]);

/// Elements whose content is never reader-visible text.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "template", "noscript", "title", "svg", "math", "iframe", "object",
    "select", "textarea",
];

/// The plain text of an HTML fragment or document, block elements separated
/// by `"\n"` and whitespace collapsed (see the module documentation).
pub fn html_to_text(html: &str) -> String {
    node_text(&parse_for_text(html).root())
}

/// HTML parsed the way [`html_to_text`] parses it, for a caller that reads
/// more than the text from the same HTML.
pub(crate) fn parse_for_text(html: &str) -> Document {
    Document::fragment(super::dom::limit_nesting(html).as_ref())
}

/// Builds lines of text while walking a tree.
struct Lines {
    /// The finished lines, joined by `"\n"`, and the current line. A line
    /// never ends in whitespace (a space is only written before a word),
    /// so lines need no trimming, only to be skipped while empty.
    out: String,
    /// Nothing written on the current line yet.
    line_empty: bool,
    pending_space: bool,
    /// Characters of the text so far, line breaks included: the finished
    /// text has exactly as many once nothing more is added.
    chars: usize,
}

impl Default for Lines {
    fn default() -> Self {
        Lines {
            out: String::new(),
            line_empty: true,
            pending_space: false,
            chars: 0,
        }
    }
}

impl Lines {
    /// Adds inline text: whitespace collapses (see [`for_each_run`]).
    fn push_inline(&mut self, text: &str) {
        let trailing = for_each_run(text, |spaced, word| {
            if spaced {
                self.pending_space = true;
            }
            self.push_word(word);
        });
        if trailing {
            self.pending_space = true;
        }
    }

    /// Adds a run of non-whitespace characters, after one space when
    /// whitespace came before it inside the line.
    fn push_word(&mut self, word: &str) {
        if self.line_empty {
            // The line break before this line, when one comes before it.
            if !self.out.is_empty() {
                self.out.push('\n');
                self.chars += 1;
            }
            self.line_empty = false;
        } else if self.pending_space {
            self.out.push(' ');
            self.chars += 1;
        }
        self.pending_space = false;
        self.out.push_str(word);
        self.chars += word.chars().count();
    }

    fn break_line(&mut self) {
        self.line_empty = true;
        self.pending_space = false;
    }

    fn finish(self) -> String {
        self.out
    }
}

/// The runs of non-whitespace in `text` (whitespace as
/// `char::is_whitespace` says), each with whether whitespace came before
/// it, and whether whitespace ends the text. A run is handed over whole,
/// and a run of whitespace (most text nodes of a page are only that) is
/// skipped in one step: a character at a time cost more than the rest of
/// the text passes.
pub(crate) fn for_each_run<'a>(text: &'a str, mut run: impl FnMut(bool, &'a str)) -> bool {
    let mut rest = text;
    loop {
        let word = rest.trim_start();
        let spaced = word.len() != rest.len();
        if word.is_empty() {
            return spaced;
        }
        let end = word.find(char::is_whitespace).unwrap_or(word.len());
        run(spaced, &word[..end]);
        rest = &word[end..];
    }
}

/// One step of the explicit-stack walk (hostile pages nest deep enough to
/// overflow a recursive walk).
enum Step<'a> {
    Enter(NodeRef<'a>),
    /// Leaving an element: whether it was a block, and whether it was `<pre>`.
    Exit {
        block: bool,
        pre: bool,
    },
}

/// The plain text of `node` and its descendants, with the rules of
/// [`html_to_text`].
pub(crate) fn node_text(node: &NodeRef) -> String {
    text_within(node, usize::MAX).unwrap_or_default()
}

/// [`node_text`] when it has at most `max_chars` characters, else `None`.
/// It stops reading as soon as the text is longer, so asking it of every
/// element of an article does not read the whole article for each element
/// that holds it.
pub(crate) fn short_node_text(node: &NodeRef, max_chars: usize) -> Option<String> {
    text_within(node, max_chars)
}

fn text_within(node: &NodeRef, max_chars: usize) -> Option<String> {
    let mut out = Lines::default();
    let mut pre_depth = 0usize;
    let mut stack = vec![Step::Enter(*node)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit { block, pre } => {
                if pre {
                    pre_depth = pre_depth.saturating_sub(1);
                }
                if block {
                    out.break_line();
                }
            }
            Step::Enter(n) => {
                let was_text = with_text(&n, |text| {
                    if pre_depth > 0 {
                        let mut first = true;
                        for segment in text.split('\n') {
                            if !first {
                                out.break_line();
                            }
                            first = false;
                            out.push_inline(segment);
                        }
                    } else {
                        out.push_inline(text);
                    }
                });
                if was_text.is_some() {
                    if out.chars > max_chars {
                        return None;
                    }
                    continue;
                }
                let name = local_name(&n);
                let is_element = name.is_some();
                let name = name.as_deref().unwrap_or("");
                let bits = TEXT_NAMES.get(name);
                if bits & SKIP != 0 {
                    continue;
                }
                match name {
                    "br" => {
                        out.break_line();
                        continue;
                    }
                    "td" | "th" => out.pending_space = true,
                    _ => {}
                }
                let block = bits & BLOCK != 0;
                let pre = name == "pre";
                if block {
                    out.break_line();
                }
                if pre {
                    pre_depth += 1;
                }
                if is_element {
                    stack.push(Step::Exit { block, pre });
                }
                // Children are pushed in reverse so they pop in document order.
                for child in n.children_it(true) {
                    stack.push(Step::Enter(child));
                }
            }
        }
    }
    (out.chars <= max_chars).then(|| out.finish())
}

/// The first character of [`node_text`] of `node` (`None` when the text is
/// empty), found without building the text: the first non-whitespace
/// character of the first text node outside skipped elements.
pub(crate) fn first_text_char(node: &NodeRef) -> Option<char> {
    let mut stack = vec![*node];
    while let Some(n) = stack.pop() {
        let first = with_text(&n, |text| text.trim_start().chars().next());
        match first {
            Some(Some(c)) => return Some(c),
            Some(None) => continue,
            None => {}
        }
        let name = local_name(&n);
        if TEXT_NAMES.get(name.as_deref().unwrap_or("")) & SKIP != 0 {
            continue;
        }
        stack.extend(n.children_it(true));
    }
    None
}

/// Words in `text`, for reading time.
///
/// Space-separated tokens that contain a letter or digit count one word each.
/// Han and kana characters are not separated by spaces, so they count as one
/// word per two characters (rounded up): about 500 characters a minute is a
/// common reading speed for Chinese and Japanese, which at 230 words a minute
/// gives roughly that ratio. Korean separates words with spaces and is
/// counted like English.
pub(crate) fn word_count(text: &str) -> u32 {
    let mut words: u64 = 0;
    let mut unspaced_chars: u64 = 0;
    for token in text.split_whitespace() {
        // ASCII (most tokens of most pages) holds no Han or kana, and its
        // letters and digits are the ASCII ones: no character to decode.
        if token.is_ascii() {
            words += u64::from(token.bytes().any(|b| b.is_ascii_alphanumeric()));
            continue;
        }
        let mut has_spaced_word = false;
        for c in token.chars() {
            if crate::search::is_han_or_kana(c) {
                unspaced_chars += 1;
            } else if c.is_alphanumeric() {
                has_spaced_word = true;
            }
        }
        if has_spaced_word {
            words += 1;
        }
    }
    let total = words + unspaced_chars.div_ceil(2);
    u32::try_from(total).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_inline_whitespace_collapses() {
        let html = "<div><h1>Title\n here</h1><p>One   <em>two</em>\n three.</p>\
                    <p>Four<br>five</p><ul><li>a</li><li>b <b>c</b></li></ul></div>";
        assert_eq!(
            html_to_text(html),
            "Title here\nOne two three.\nFour\nfive\na\nb c"
        );
    }

    #[test]
    fn short_text_is_the_text_up_to_its_limit_and_none_past_it() {
        let doc = Document::fragment(
            "<div><p>One  <b>two</b></p><script>x()</script><p>three\n four</p></div>",
        );
        let div = doc.select("div").nodes()[0];
        let whole = node_text(&div);
        assert_eq!(whole, "One two\nthree four");
        let len = whole.chars().count();
        assert_eq!(short_node_text(&div, len).as_deref(), Some(whole.as_str()));
        assert_eq!(
            short_node_text(&div, len + 10).as_deref(),
            Some(whole.as_str())
        );
        assert_eq!(short_node_text(&div, len - 1), None);
        assert_eq!(short_node_text(&div, 3), None);
    }

    #[test]
    fn runs_are_what_std_split_gives() {
        for text in [
            "",
            " ",
            "a",
            "  a  b ",
            "a\u{a0}bé\u{b}\u{3000}c\u{85}d\u{1c}e\u{2028}",
            "日本語 テキスト\t\r\n\u{c}x",
            "\u{2003}",
        ] {
            let mut runs = Vec::new();
            let trailing = for_each_run(text, |spaced, word| runs.push((spaced, word)));
            // The same from `split`: a run after an empty piece or after the
            // first had whitespace before it.
            let pieces: Vec<&str> = text.split(char::is_whitespace).collect();
            let mut expected = Vec::new();
            for (i, p) in pieces.iter().enumerate() {
                if !p.is_empty() {
                    expected.push((i > 0, *p));
                }
            }
            assert_eq!(runs, expected, "{text:?}");
            assert_eq!(
                trailing,
                pieces.len() > 1 && pieces.last() == Some(&""),
                "{text:?}"
            );
        }
    }

    #[test]
    fn any_unicode_whitespace_collapses() {
        assert_eq!(
            html_to_text("<p> a\u{a0}bé\u{b}\u{3000}c  <b>d</b>e\u{2003}</p><p>\u{a0}f</p>"),
            "a bé c de\nf"
        );
    }

    #[test]
    fn the_first_character_is_that_of_the_text() {
        let doc = Document::fragment(
            "<div> <script>x</script><p>\n</p><span>  <b>«Ab</b> c</span></div><div></div>",
        );
        let divs = doc.select("div");
        let first = |n: &NodeRef| node_text(n).chars().next();
        for div in divs.nodes() {
            assert_eq!(first_text_char(div), first(div));
        }
        assert_eq!(first_text_char(&divs.nodes()[0]), Some('«'));
    }

    #[test]
    fn inline_elements_do_not_split_words() {
        assert_eq!(html_to_text("<p>un<b>break</b>able</p>"), "unbreakable");
    }

    #[test]
    fn tables_give_one_line_per_row() {
        let html =
            "<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>31</td></tr></table>";
        assert_eq!(html_to_text(html), "Name Age\nAnn 31");
    }

    #[test]
    fn pre_keeps_its_lines() {
        let html = "<p>Code:</p><pre>fn main() {\n    run();\n}</pre>";
        assert_eq!(html_to_text(html), "Code:\nfn main() {\nrun();\n}");
    }

    #[test]
    fn scripts_styles_and_images_give_no_text() {
        let html = "<p>a<script>alert(1)</script><style>p{}</style><img alt=\"pic\">b</p>";
        assert_eq!(html_to_text(html), "ab");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            html_to_text("<p>Fish &amp; chips&nbsp;&lt;3</p>"),
            "Fish & chips <3"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        // Built directly (html5ever takes quadratic time on deep nesting);
        // 100 000 levels overflow any recursive walk on a test thread's stack.
        let doc = Document::fragment("<div></div>");
        let mut current = doc.select("div").nodes()[0];
        for _ in 0..100_000 {
            let child = doc.tree.new_element("div");
            current.append_child(&child);
            current = child;
        }
        current.append_child(&doc.tree.new_text("deep"));
        assert_eq!(node_text(&doc.root()), "deep");
    }

    #[test]
    fn words_are_counted_by_spaces_and_cjk_by_character_pairs() {
        assert_eq!(word_count("The quick brown fox — jumps."), 5);
        assert_eq!(word_count(""), 0);
        // 7 Han/kana characters -> 4 words; "2024" is one more word.
        assert_eq!(word_count("東京は雨でした 2024"), 5);
        assert_eq!(word_count("안녕하세요 세계"), 2);
    }
}
