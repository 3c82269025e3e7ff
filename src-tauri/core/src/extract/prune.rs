//! Boilerplate inside the article: what Readability keeps but a reader does
//! not want. Readability picks the right container; inside it, news pages
//! still carry related-links boxes ("Read also", "Baca Juga"), share and
//! comment prompts, datelines, bylines, image credits and breadcrumbs.
//!
//! The article is cut into *units*: block elements with no block inside
//! (paragraphs, list items, headings, captions, leaf `<div>`s). Each rule
//! looks at one unit and its neighbours, never at a site:
//!
//! - **Prompts**: short units that open with a boilerplate phrase ("Read
//!   also:", "Baca juga:", "Related:", "Leave a comment", "Subscribe", ...)
//!   or are one of the words of page furniture ("Advertisement", "Tags").
//! - **Link lists**: runs of two or more units that are mostly link text (a
//!   "more stories" box), with the short label that introduces them; one
//!   such unit alone goes when a label introduces it or it sits outside the
//!   body of the text.
//! - **Datelines and credits**: short units that are a date or a time, and
//!   image credits ("Photo: ...", "Image copyright ...").
//! - **Edges**: before the first and after the last real paragraph, short
//!   label-like units (breadcrumbs, section names, "By ..." bylines) and
//!   headings that introduce nothing.
//! - **Repeats**: a unit whose text already appeared (gallery captions,
//!   pull quotes).
//!
//! When the rules would remove more than half of the text, the page is
//! unusual and the article is kept as Readability gave it.

use std::collections::{HashMap, HashSet};

use dom_query::{NodeId, NodeRef};

use super::density::{Blocks, Verdict};
use super::text::{node_text, short_node_text, BLOCKS};
use super::tuning::Tuning;

/// A unit of at least this many characters that ends a sentence also counts
/// as a real paragraph (the other thresholds are in [`Tuning`]).
const SENTENCE_CHARS: usize = 50;

/// Titles of boilerplate boxes and furniture words (compared lowercased,
/// after leading punctuation): a unit that is one of them, or one of them
/// followed by punctuation ("Baca juga: ...", "Read more »"), goes.
const LABELS: &[&str] = &[
    "read also",
    "read more",
    "also read",
    "read next",
    "see also",
    "see more",
    "more",
    "related",
    "related articles",
    "related stories",
    "related content",
    "related posts",
    "recommended",
    "recommended for you",
    "you may also like",
    "you might also like",
    "you may like",
    "don't miss",
    "don’t miss",
    "must read",
    "trending",
    "most read",
    "most popular",
    "baca juga",
    "baca pula",
    "lihat juga",
    "simak juga",
    "berita terkait",
    "artikel terkait",
    "komentar",
    "comments",
    "comment",
    "share",
    "share this",
    "share this article",
    "tags",
    "tagged",
    "topics",
    "filed under",
    "advertisement",
    "advert",
    "caption",
    "close",
    "sponsored",
    "print",
    "print article",
    "order reprints",
    "text size",
    "source",
    "sumber",
    "editor",
    "penulis",
];

/// Openings of calls to action and credits: a short unit that opens with
/// one of them goes, whatever follows.
const CALLS: &[&str] = &[
    "tinggalkan sebuah komentar",
    "tinggalkan komentar",
    "tulis komentar",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "add a comment",
    "join the conversation",
    "join our ",
    "sign up for",
    "sign up to",
    "subscribe to",
    "subscribe for",
    "get the latest",
    "share this on",
    "share on ",
    "follow us on",
    "follow us at",
    "click here",
    "have a tip",
    "image credit",
    "image copyright",
    "image caption",
    "image:",
    "images:",
    "photo:",
    "photos:",
    "photo by ",
    "photo credit",
    "picture:",
    "credit:",
    "foto:",
    "©",
    "(image",
    "(photo",
];

/// Openings of image credits. An element anywhere in the article whose
/// whole (short) text opens with one goes: "(Image: GETTY)" at the end of a
/// caption, "Image copyright" before an agency name.
const CREDITS: &[&str] = &[
    "image credit",
    "image copyright",
    "image:",
    "images:",
    "photo:",
    "photos:",
    "photo by ",
    "photo credit",
    "picture:",
    "credit:",
    "foto:",
    "©",
    "copyright ",
    "(image",
    "(photo",
    "(credit",
    "(foto",
];

/// Longest text of an inline credit.
const CREDIT_CHARS: usize = 80;

/// What is known about one unit.
struct Unit<'a> {
    node: NodeRef<'a>,
    text: String,
    chars: usize,
    link_chars: usize,
    heading: bool,
    has_time: bool,
    /// Inside a `<figure>` (a caption).
    in_figure: bool,
    /// A list item or a table cell: short by nature, not a label.
    list_item: bool,
    /// A table row or cell: figures, never a dateline.
    table: bool,
}

impl Unit<'_> {
    fn link_dense(&self, t: &Tuning) -> bool {
        self.chars > 0 && self.link_chars as f64 >= t.link_dense * self.chars as f64
    }

    /// A real paragraph: long, or a full sentence of some length.
    fn paragraph(&self, t: &Tuning) -> bool {
        !self.heading
            && !self.link_dense(t)
            && (self.chars >= t.paragraph_chars
                || (self.chars >= SENTENCE_CHARS && ends_sentence(&self.text)))
    }

    /// A short line that introduces something: a box title, a section name.
    fn label(&self) -> bool {
        self.chars > 0
            && self.chars <= 60
            && !self.text.ends_with(['.', '?', '!', '"', '”', '。'])
            && self.text.split_whitespace().count() <= 6
    }
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['"', '”', '’', '»', ')', '」'])
        .ends_with(['.', '!', '?', '。', '！', '？', ':'])
}

/// Removes boilerplate units from an article's HTML (see the module
/// documentation). `byline` is the author the page declared, if any;
/// `blocks` is the density classifier's view of the whole page, used as
/// `tuning.combine` says.
/// `root` is the element that holds the article; the article is changed in
/// place.
pub(crate) fn prune(root: &NodeRef, byline: Option<&str>, tuning: &Tuning, blocks: &Blocks) {
    let units = units(root);
    let total: usize = units.iter().map(|u| u.chars).sum();
    let doomed = doomed(&units, byline, tuning, blocks);
    let removed: usize = doomed.iter().map(|&i| units[i].chars).sum();
    if tuning.half_guard && removed * 2 > total {
        return;
    }
    for &i in &doomed {
        units[i].node.remove_from_parent();
    }
    if tuning.inline_credits {
        remove_inline_credits(root);
    }
    if tuning.combine.adds() {
        let (before, after) = adjacent_content(&units, blocks);
        if !before.is_empty() {
            root.prepend_html(before);
        }
        if !after.is_empty() {
            root.append_html(after);
        }
    }
}

/// The HTML of the content blocks the classifier found right before and
/// right after the blocks of Readability's container (a story split over
/// two containers, a lead paragraph outside the body). Headings of rank 1
/// (the title, which Readability shows apart) stop the search backwards.
fn adjacent_content(units: &[Unit], blocks: &Blocks) -> (String, String) {
    let found: Vec<usize> = units.iter().filter_map(|u| blocks.find(&u.text)).collect();
    let (Some(&lo), Some(&hi)) = (found.iter().min(), found.iter().max()) else {
        return (String::new(), String::new());
    };
    let content = |i: &usize| {
        let b = &blocks.blocks[*i];
        b.verdict == Verdict::Content && b.tag != "h1"
    };
    let mut before: Vec<usize> = (0..lo).rev().take_while(content).collect();
    before.reverse();
    let after: Vec<usize> = (hi + 1..blocks.blocks.len()).take_while(content).collect();
    let html = |ids: &[usize]| {
        ids.iter()
            .map(|&i| {
                let b = &blocks.blocks[i];
                let tag = match b.tag.as_str() {
                    t @ ("h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre") => t,
                    _ => "p",
                };
                let text = crate::markup::escape(&b.text, crate::markup::Escaping::HTML);
                format!("<{tag}>{text}</{tag}>")
            })
            .collect::<String>()
    };
    (html(&before), html(&after))
}

/// The units of `root` in document order.
fn units<'a>(root: &NodeRef<'a>) -> Vec<Unit<'a>> {
    // Elements in document order, each with whether it is a block.
    let mut order: Vec<(NodeRef<'a>, bool)> = Vec::new();
    let mut stack = vec![*root];
    while let Some(node) = stack.pop() {
        order.push((node, is_block_element(&node)));
        for child in node.children_it(true) {
            if child.is_element() {
                stack.push(child);
            }
        }
    }
    // Whether an element is_or_holds a block, found children first (in reverse
    // document order every descendant comes before its ancestor): one pass
    // instead of a walk of every block's subtree.
    let mut is_or_holds: HashMap<NodeId, bool> = HashMap::with_capacity(order.len());
    let mut holds_block: HashMap<NodeId, bool> = HashMap::with_capacity(order.len());
    for (node, block) in order.iter().rev() {
        let h = node
            .children_it(false)
            .any(|c| is_or_holds.get(&c.id).copied().unwrap_or(false));
        is_or_holds.insert(node.id, h || *block);
        holds_block.insert(node.id, h);
    }
    let mut out = Vec::new();
    for (node, block) in order {
        if !block || holds_block.get(&node.id).copied().unwrap_or(false) {
            continue;
        }
        let text = node_text(&node).replace('\n', " ");
        let chars = text.chars().count();
        if chars == 0 {
            continue;
        }
        let name = node.node_name().map(|n| n.to_ascii_lowercase());
        let link_chars = node
            .descendants_it()
            .filter(|d| d.has_name("a"))
            .map(|a| node_text(&a).chars().count())
            .sum();
        out.push(Unit {
            heading: name
                .as_deref()
                .is_some_and(|n| n.len() == 2 && n.starts_with('h') && n != "hr"),
            has_time: node.descendants_it().any(|d| d.has_name("time")),
            list_item: ["li", "dd", "dt", "td", "th", "tr"]
                .iter()
                .any(|n| node.has_name(n)),
            table: ["td", "th", "tr"].iter().any(|n| node.has_name(n)),
            in_figure: node.has_name("figcaption")
                || node.ancestors_it(Some(4)).any(|a| a.has_name("figure")),
            node,
            text,
            chars,
            link_chars,
        });
    }
    out
}

/// Removes the inline elements whose whole text is an image credit.
fn remove_inline_credits(root: &NodeRef) {
    let credits: Vec<NodeRef> = root
        .descendants_it()
        .filter(|n| {
            n.is_element()
                && n.node_name()
                    .is_some_and(|name| INLINE_CREDIT_TAGS.contains(&name.as_ref()))
        })
        .filter(|n| {
            short_node_text(n, CREDIT_CHARS).is_some_and(|text| is_credit(&text.to_lowercase()))
        })
        .collect();
    for n in credits {
        n.remove_from_parent();
    }
}

/// Elements that hold a credit inside a caption or next to an image.
const INLINE_CREDIT_TAGS: &[&str] = &["span", "small", "em", "i", "cite", "figcaption", "p", "div"];

fn is_credit(lower: &str) -> bool {
    let t = lower.trim_start();
    CREDITS.iter().any(|p| t.starts_with(p))
}

/// "Image 1 of 5", "1 / 5", "2of4": a gallery's counter.
fn is_counter(lower: &str) -> bool {
    let t = lower
        .trim_start_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
        .trim_end();
    let mut parts = t
        .split(|c: char| c == '/' || c.is_whitespace())
        .flat_map(|w| w.split("of"))
        .filter(|w| !w.is_empty());
    let (Some(a), b) = (parts.next(), parts.next()) else {
        return false;
    };
    let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    number(a) && b.is_some_and(number) && parts.next().is_none() && lower.len() <= 20
}

fn is_block_element(node: &NodeRef) -> bool {
    node.is_element()
        && node
            .node_name()
            .is_some_and(|n| BLOCKS.contains(&n.to_ascii_lowercase().as_str()))
}

/// Indexes of the units to remove.
fn doomed(units: &[Unit], byline: Option<&str>, t: &Tuning, blocks: &Blocks) -> Vec<usize> {
    let first = units.iter().position(|u| u.paragraph(t));
    let last = units.iter().rposition(|u| u.paragraph(t));
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    let edge = |i: usize| i < first || i > last;
    let byline = byline
        .map(|b| b.trim().to_lowercase())
        .filter(|b| !b.is_empty());
    let mut gone = vec![false; units.len()];
    let mut seen = HashSet::new();
    let lowered: Vec<String> = units.iter().map(|u| u.text.to_lowercase()).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in &lowered {
        *counts.entry(l.as_str()).or_default() += 1;
    }

    for (i, u) in units.iter().enumerate() {
        let lower = &lowered[i];
        let short = u.chars <= t.short_chars;
        let prompt =
            t.prompts && ((short && (is_prompt(lower) || is_credit(lower))) || is_counter(lower));
        let dateline = t.datelines
            && u.chars <= 100
            && (u.has_time || is_dateline(lower))
            && !u.heading
            && !u.table;
        // The first of repeated texts stays.
        let repeat = t.repeats
            && !prompt
            && !dateline
            && u.chars >= 20
            && (u.in_figure || (u.chars >= SENTENCE_CHARS && counts[lower.as_str()] >= 3))
            && !seen.insert(lower.as_str());
        let edge_label = t.edge_labels
            && edge(i)
            && if u.heading {
                i > last
            } else {
                u.label() && !u.list_item
            };
        let edge_byline = t.edge_bylines
            && edge(i)
            && u.chars <= 80
            && (lower.starts_with("by ") || byline.as_deref().is_some_and(|b| lower.contains(b)));
        let boxed = t.combine.drops()
            && blocks
                .find(&u.text)
                .is_some_and(|b| blocks.blocks[b].verdict == Verdict::Boxed);
        gone[i] = prompt || dateline || repeat || edge_label || edge_byline || boxed;
    }

    // Runs of link-dense units, and the label that introduces them.
    let listy = |u: &Unit| u.link_dense(t) && u.chars <= t.short_chars;
    let mut i = 0;
    while t.link_runs && i < units.len() {
        if !listy(&units[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < units.len() && listy(&units[i]) {
            i += 1;
        }
        let labelled = start > 0 && units[start - 1].label() && !units[start - 1].link_dense(t);
        if i - start >= 2 || labelled || edge(start) {
            gone[start..i].iter_mut().for_each(|g| *g = true);
            if labelled {
                gone[start - 1] = true;
            }
        }
    }
    // A label whose box is gone has nothing left to introduce.
    for i in 0..units.len().saturating_sub(1) {
        if !gone[i] && gone[i + 1] && units[i].label() && is_prompt(&units[i].text.to_lowercase()) {
            gone[i] = true;
        }
    }
    gone.iter()
        .enumerate()
        .filter_map(|(i, &g)| g.then_some(i))
        .collect()
}

/// Whether lowercased `text` is a box title or furniture word (possibly
/// followed by punctuation and more), or opens with a call to action.
fn is_prompt(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '©' && c != '(');
    if CALLS.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    // Emails to the author: "Email Jane at jane@news.example", "Write to ...".
    if (t.starts_with("email ") || t.starts_with("write to ") || t.starts_with("contact "))
        && t.contains('@')
    {
        return true;
    }
    LABELS.iter().any(|p| {
        t.strip_prefix(p).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.is_empty()
                || rest.starts_with([':', '|', '»', '›', '>', '-', '–', '—', '.', '…', '('])
        })
    })
}

const MONTHS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "januari",
    "februari",
    "maret",
    "mei",
    "juni",
    "juli",
    "agustus",
    "oktober",
    "desember",
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
    "enero",
    "febrero",
    "marzo",
    "mayo",
    "junio",
    "julio",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "janvier",
    "février",
    "mars",
    "avril",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A short line that says when: it has a year or a clock time, and a month
/// name or a numeric date, and few other words.
fn is_dateline(text: &str) -> bool {
    if text.split_whitespace().count() > 20 || !text.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let bytes = text.as_bytes();
    let clock = bytes.windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    });
    let numeric_date = bytes.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && (w[1] == b'/' || w[1] == b'.' || w[1] == b'-')
            && w[2].is_ascii_digit()
            && (w[3] == b'/' || w[3] == b'.' || w[3] == b'-' || w[3].is_ascii_digit())
    });
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let month = words.iter().any(|w| {
        MONTHS
            .iter()
            .any(|m| *w == *m || (w.len() > 3 && m.len() >= 3 && w.starts_with(m) && m.len() == 3))
    });
    let year = words.iter().any(|w| {
        w.len() == 4 && w.starts_with(['1', '2']) && w.chars().all(|c| c.is_ascii_digit())
    });
    (clock && (month || numeric_date || year || words.len() <= 8))
        || (year && (month || numeric_date) && words.len() <= 8)
}

#[cfg(test)]
mod tests {
    use super::super::dom;
    use super::*;

    fn prune(html: &str, byline: Option<&str>, tuning: &Tuning, blocks: &Blocks) -> String {
        let doc = dom::parse_fragment(html);
        super::prune(&dom::fragment_container(&doc), byline, tuning, blocks);
        dom::fragment_html(&doc)
    }

    const BODY: &str = "This paragraph is long enough to count as the body of the article, with \
        clauses, commas and a full stop at the end of a sentence that goes on for a while.";

    #[test]
    fn related_boxes_prompts_and_datelines_go() {
        let html = format!(
            "<p>Home</p><p>Updated 10:48, Tue, Nov 19, 2019</p><p>{BODY}</p>\
             <p>Baca Juga: <a href=\"/x\">Sesuatu yang lain terjadi</a></p>\
             <p>{BODY} Two.</p><h3>You may also like</h3><ul><li><a href=\"/a\">One story</a></li>\
             <li><a href=\"/b\">Another story</a></li></ul><p>{BODY} Three.</p>\
             <p>Tinggalkan sebuah Komentar</p>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        assert!(out.contains("Three."), "{out}");
        for gone in [
            "Home",
            "Nov 19",
            "Baca",
            "also like",
            "One story",
            "Tinggalkan",
        ] {
            assert!(!out.contains(gone), "{gone}: {out}");
        }
    }

    #[test]
    fn links_inside_paragraphs_stay() {
        let html = format!("<p>{BODY} <a href=\"/a\">a link</a></p><p>{BODY}</p>");
        assert_eq!(
            prune(&html, None, &Tuning::default(), &Blocks::default()),
            html
        );
    }

    #[test]
    fn datelines_are_recognised() {
        assert!(is_dateline("posted: fri 6:45 pm, feb 16, 2018 |"));
        assert!(is_dateline("segunda-feira, 22 de janeiro de 2018 às 0:13"));
        assert!(is_dateline("november 20, 2019"));
        assert!(!is_dateline(
            "the 2019 season was the best in years for the club and its fans"
        ));
        assert!(!is_dateline("mayors met on tuesday"));
    }

    #[test]
    fn gallery_counters_and_credits_are_recognised() {
        assert!(is_counter("image 1 of 5"));
        assert!(is_counter("1 / 5"));
        assert!(is_counter("2of4"));
        assert!(!is_counter("1 of the best"));
        assert!(!is_counter("step 2"));
        assert!(is_credit("(image: getty )"));
        let out = prune(
            &format!(
                "<p>{BODY}</p><figure><figcaption>Seals <span>(Image: GETTY)</span></figcaption>\
                 </figure><p>{BODY}</p>"
            ),
            None,
            &Tuning::default(),
            &Blocks::default(),
        );
        assert!(out.contains("Seals") && !out.contains("GETTY"), "{out}");
    }

    #[test]
    fn prompts_are_whole_phrases() {
        assert!(is_prompt("baca juga: sesuatu"));
        assert!(is_prompt("— read more"));
        assert!(is_prompt("you may also like..."));
        assert!(is_prompt("tags"));
        assert!(!is_prompt("subscribers said the price was too high"));
        assert!(!is_prompt("comments from the minister were brief"));
    }
}
