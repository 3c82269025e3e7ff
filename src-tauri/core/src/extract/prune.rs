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
//! - **The end of the article**, read backwards: pitches addressed to the
//!   reader (subscriptions, newsletters, "follow us on ..."), the rules of
//!   the comment section, trailing labels, a list of links under a "more
//!   stories" title, the author's bio; then a "most popular" box of short
//!   blurbs.
//! - **Newsletter calls** anywhere ("Sign up for our daily newsletter").
//! - **Tag lists** (`rel="tag"` links), **gallery slides** (captions that
//!   open with "1of4") and **link cards** (a hover preview inside a
//!   sentence: an image and links).
//!
//! When the rules would remove more than half of the text, the page is
//! unusual and the article is kept as Readability gave it.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use dom_query::{NodeId, NodeRef};

use super::density::{Blocks, Verdict};
use super::dom::{local_name, with_text};
use super::text::{first_text_char, node_text, short_node_text, BLOCK_SET};
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

/// Phrases of a pitch: a subscription, a newsletter, a membership, "follow
/// us". A trailing unit with one of them, addressed to the reader (see
/// [`ADDRESS`]) or an imperative (see [`PITCH_CALLS`]), goes. A phrase
/// ending in `*` is a stem (matched at the start of a word).
const PITCHES: &[&str] = &[
    "subscribe",
    "subscription",
    "subscriptions",
    "newsletter",
    "newsletters",
    "sign up",
    "signup",
    "inbox",
    "click here",
    "if you enjoyed this",
    "if you liked this",
    "abonnieren",
    "abonnement",
    "abonnements",
    "abo",
    "suscripción",
    "suscribirse",
    "boletín",
    "assinatura",
    "assinante",
    "abonnez",
    "langganan",
    "berlangganan",
    "buletin",
    "подписк*",
    "рассылк*",
    "подпис*",
    "iscriviti",
    "abbonamento",
];

/// Imperatives of a pitch: enough without an address to the reader.
const PITCH_CALLS: &[&str] = &[
    "subscribe now",
    "subscribe today",
    "subscribe to",
    "sign up",
    "click here",
    "follow us",
    "follow him",
    "follow her",
    "follow them",
    "folgen sie",
    "jetzt abonnieren",
    "suscríbete",
    "síguenos",
    "inscreva-se",
    "assine",
    "siga-nos",
    "abonnez-vous",
    "inscrivez-vous",
    "suivez-nous",
    "ikuti kami",
    "подпишитесь",
    "подписывайтесь",
    "seguici",
    "iscriviti",
    "abbonati",
];

/// Words that address the reader or speak for the publisher: a pitch is
/// addressed ("... delivered to your inbox", "our newsletter").
const ADDRESS: &[&str] = &[
    "you", "your", "our", "us", "sie", "ihr", "ihre", "unser", "unseren", "unserem", "uns", "tu",
    "tú", "usted", "nuestro", "nuestra", "te", "você", "seu", "sua", "nosso", "nossa", "vous",
    "votre", "notre", "nous", "anda", "kami", "вы", "вас", "ваш", "наш", "нас", "tuo", "tua",
    "nostro", "nostra",
];

/// Words of the title of a "more stories" box (a list of links at the end).
const MORE_WORDS: &[&str] = &[
    "more",
    "related",
    "stories",
    "popular",
    "recommended",
    "also",
    "latest",
    "trending",
    "mehr",
    "weitere",
    "ähnliche",
    "más",
    "relacionadas",
    "relacionados",
    "plus",
    "lainnya",
    "terkait",
    "populer",
    "ещё",
    "еще",
    "популярные",
    "похожие",
    "также",
];

/// Longest unit that can be a pitch.
const PITCH_CHARS: usize = 400;

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
    if tuning.tag_lists {
        remove_tag_lists(root);
    }
    if tuning.link_cards {
        remove_link_cards(root);
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
        .filter(|n| local_name(n).is_some_and(|name| INLINE_CREDIT_TAGS.contains(&&*name)))
        .filter(|n| {
            // Most elements cannot open with a credit: only they are read.
            first_text_char(n).is_some_and(may_open_credit)
                && short_node_text(n, CREDIT_CHARS)
                    .is_some_and(|text| is_credit(&text.to_lowercase()))
        })
        .collect();
    for n in credits {
        n.remove_from_parent();
    }
}

/// Letters and digits that may sit around the links of a tag list: its
/// label ("Tags", "Schlagwörter", "Etiquetas") and separators.
const TAG_LIST_OTHER: usize = 20;

/// Removes tag lists: links marked `rel="tag"` (the microformat that blog
/// and news systems write), with the smallest element around them that
/// holds little else (the label "Tags:", commas).
fn remove_tag_lists(root: &NodeRef) {
    let is_tag = |n: &NodeRef| {
        n.has_name("a")
            && n.attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|w| w.eq_ignore_ascii_case("tag")))
    };
    let tags: Vec<NodeRef> = root.descendants_it().filter(is_tag).collect();
    let letters = |n: &NodeRef| node_text(n).chars().filter(|c| c.is_alphanumeric()).count();
    for a in tags {
        let mut top = a;
        for anc in a.ancestors_it(None) {
            if !anc.is_element() || anc.parent().is_none_or(|p| !p.is_element()) {
                break;
            }
            let tag_letters: usize = anc
                .descendants_it()
                .filter(is_tag)
                .map(|t| letters(&t))
                .sum();
            if letters(&anc).saturating_sub(tag_letters) > TAG_LIST_OTHER {
                break;
            }
            top = anc;
        }
        top.remove_from_parent();
    }
}

/// Removes link cards inside the text: an inline element (a `<span>`)
/// that opens with an image and holds two links or more, nearly all of its text link
/// text: the preview a page shows when a name is hovered (photo, name, the
/// person's latest headlines), which a reader never sees as text.
fn remove_link_cards(root: &NodeRef) {
    let cards: Vec<NodeRef> = root
        .descendants_it()
        .filter(|n| n.has_name("span") && opens_with_image(n))
        .filter(|n| {
            let links: Vec<NodeRef> = n.descendants_it().filter(|d| d.has_name("a")).collect();
            let chars = node_text(n).chars().count();
            let link_chars: usize = links.iter().map(|a| node_text(a).chars().count()).sum();
            links.len() >= 2 && chars > 0 && link_chars as f64 >= LINK_CARD_SHARE * chars as f64
        })
        .collect();
    for n in cards {
        n.remove_from_parent();
    }
}

/// Whether an element has an image before any text (a card opens with its
/// picture; the name that the card is attached to comes before it).
fn opens_with_image(n: &NodeRef) -> bool {
    for d in n.descendants_it() {
        if d.has_name("img") {
            return true;
        }
        if with_text(&d, |t| !t.trim().is_empty()) == Some(true) {
            return false;
        }
    }
    false
}

/// Share of link text in a link card.
const LINK_CARD_SHARE: f64 = 0.9;

/// Elements that hold a credit inside a caption or next to an image.
const INLINE_CREDIT_TAGS: &[&str] = &["span", "small", "em", "i", "cite", "figcaption", "p", "div"];

/// Whether a text that opens with `c` may, lowercased, open with one of
/// [`CREDITS`]: its first character lowercases to one that opens one.
fn may_open_credit(c: char) -> bool {
    c.to_lowercase()
        .next()
        .is_some_and(|l| CREDITS.iter().any(|p| p.starts_with(l)))
}

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
    local_name(node).is_some_and(|n| {
        BLOCK_SET.contains(&n)
            || (n.bytes().any(|b| b.is_ascii_uppercase())
                && BLOCK_SET.contains(&n.to_ascii_lowercase()))
    })
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
        let slide = t.gallery_slides && opens_with_counter(lower, u.in_figure);
        let pitch = t.inline_pitches && u.chars <= PITCH_CHARS && is_inline_pitch(lower);
        gone[i] =
            prompt || dateline || repeat || edge_label || edge_byline || boxed || slide || pitch;
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
    if t.tail_pitches || t.tail_bios {
        // The author's name as a bio opens with it: "Jane Roe is ...".
        let author = byline
            .as_deref()
            .map(|b| b.strip_prefix("by ").unwrap_or(b).trim())
            .filter(|b| b.chars().count() >= 5);
        tail(units, &lowered, t, author, &mut gone);
    }
    if t.tail_boxes {
        tail_box(units, &lowered, t, &mut gone);
    }
    gone.iter()
        .enumerate()
        .filter_map(|(i, &g)| g.then_some(i))
        .collect()
}

/// The end of the article, read backwards: pitches, labels, and a list of
/// links under a "more stories" title go (`tail_pitches`), and the author's
/// bio (`tail_bios`: a unit that opens with the declared author's name),
/// up to the first unit that is none of these.
fn tail(units: &[Unit], lowered: &[String], t: &Tuning, author: Option<&str>, gone: &mut [bool]) {
    // List items with a link, not yet known to sit under a box title.
    let mut pending: Vec<usize> = Vec::new();
    for i in (0..units.len()).rev() {
        if gone[i] {
            continue;
        }
        let u = &units[i];
        let bio = t.tail_bios
            && !u.heading
            && u.chars <= PITCH_CHARS
            && author.is_some_and(|a| {
                lowered[i]
                    .strip_prefix(a)
                    .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
            });
        if !t.tail_pitches {
            if bio {
                gone[i] = true;
                continue;
            }
            break;
        }
        if bio
            || (u.chars <= PITCH_CHARS && (is_pitch(&lowered[i]) || is_comment_policy(&lowered[i])))
        {
            gone[i] = true;
        } else if u.list_item && u.link_chars > 0 && u.chars <= t.short_chars {
            pending.push(i);
        } else if u.label() && !u.list_item {
            if !pending.is_empty() {
                if !names_more(&lowered[i]) {
                    break;
                }
                pending.drain(..).for_each(|p| gone[p] = true);
            }
            gone[i] = true;
        } else {
            break;
        }
    }
}

/// A box at the end: the last title (still kept) that names a "more
/// stories" or "most popular" box, when only short units follow it (two or
/// more, less than a third of the text): the teasers' blurbs. The title and
/// the rest go.
fn tail_box(units: &[Unit], lowered: &[String], t: &Tuning, gone: &mut [bool]) {
    let total: usize = units.iter().map(|u| u.chars).sum();
    let left: Vec<usize> = (0..units.len()).filter(|&i| !gone[i]).collect();
    let Some(at) = left
        .iter()
        .rposition(|&i| units[i].label() && !units[i].list_item && names_more(&lowered[i]))
    else {
        return;
    };
    let rest = &left[at + 1..];
    let chars: usize = rest.iter().map(|&i| units[i].chars).sum();
    let short = rest
        .iter()
        .all(|&i| units[i].chars <= t.short_chars && !units[i].heading);
    if rest.len() >= 2 && short && chars * 3 < total {
        for &i in &left[at..] {
            gone[i] = true;
        }
    }
}

/// Whether a box title names a "more stories" box.
fn names_more(lower: &str) -> bool {
    is_prompt(lower)
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| MORE_WORDS.contains(&w))
}

/// A phrase to look for as whole words in a text (a phrase ending in `*`:
/// as the start of a word), with its substring searcher.
struct Phrase {
    finder: memchr::memmem::Finder<'static>,
    /// Ends in `*`: the start of a word.
    stem: bool,
}

impl Phrase {
    fn new(phrase: &str) -> Self {
        let (phrase, stem) = match phrase.strip_suffix('*') {
            Some(p) => (p, true),
            None => (phrase, false),
        };
        Phrase {
            finder: memchr::memmem::Finder::new(phrase.as_bytes()).into_owned(),
            stem,
        }
    }

    /// Whether the phrase occurs in `text` as whole words: the matches
    /// `str::match_indices` gives (left to right, not overlapping), tested
    /// for word boundaries until one passes.
    fn is_in(&self, text: &str) -> bool {
        let len = self.finder.needle().len();
        let whole = |at: usize| {
            let before = text.get(..at).and_then(|t| t.chars().next_back());
            let after = text.get(at + len..).and_then(|t| t.chars().next());
            !before.is_some_and(char::is_alphanumeric)
                && (self.stem || !after.is_some_and(char::is_alphanumeric))
        };
        if len == 0 {
            // Every character boundary matches an empty phrase.
            return (0..=text.len())
                .filter(|&at| text.is_char_boundary(at))
                .any(whole);
        }
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(found) = bytes.get(from..).and_then(|rest| self.finder.find(rest)) {
            let at = from + found;
            if whole(at) {
                return true;
            }
            from = at + len;
        }
        false
    }
}

/// A list of phrases, their searchers built once: every short unit of
/// every article is searched for each phrase, and building a searcher for
/// each search cost more than the search.
struct Phrases {
    list: &'static [&'static str],
    built: OnceLock<Vec<Phrase>>,
}

impl Phrases {
    const fn new(list: &'static [&'static str]) -> Self {
        Phrases {
            list,
            built: OnceLock::new(),
        }
    }

    /// Whether any phrase of the list is in `text` (see [`Phrase::is_in`]).
    fn any_in(&self, text: &str) -> bool {
        self.built
            .get_or_init(|| self.list.iter().map(|p| Phrase::new(p)).collect())
            .iter()
            .any(|p| p.is_in(text))
    }
}

static PITCH_CALL_PHRASES: Phrases = Phrases::new(PITCH_CALLS);
static PITCH_PHRASES: Phrases = Phrases::new(PITCHES);
static PITCH_OBJECT_PHRASES: Phrases = Phrases::new(PITCH_OBJECTS);
static COMMENT_STEM_PHRASES: Phrases = Phrases::new(COMMENT_STEMS);
static POLICY_STEM_PHRASES: Phrases = Phrases::new(POLICY_STEMS);

/// A pitch: a subscription, newsletter or "follow us" line addressed to the
/// reader (lowercased text), and not a quotation.
fn is_pitch(lower: &str) -> bool {
    // A quotation ("“What's your strategy for subscriptions?” ...") is
    // somebody's speech, not the publisher's pitch.
    if lower
        .trim_start()
        .starts_with(['"', '“', '”', '«', '„', '‘', '\'', '「'])
    {
        return false;
    }
    if PITCH_CALL_PHRASES.any_in(lower) {
        return true;
    }
    let words = || lower.split(|c: char| !c.is_alphanumeric());
    // "Follow Newsbeat on Instagram, Facebook and YouTube.": opens with
    // the verb (an imperative) and names a network.
    if words()
        .find(|w| !w.is_empty())
        .is_some_and(|w| FOLLOW.contains(&w))
        && words().any(|w| NETWORKS.contains(&w))
    {
        return true;
    }
    PITCH_PHRASES.any_in(lower) && words().any(|w| ADDRESS.contains(&w))
}

/// A pitch that may stand anywhere in the article: it calls to act ("sign
/// up", "subscribe to") and names what for ("newsletter", ...).
fn is_inline_pitch(lower: &str) -> bool {
    // The call first: it is asked of every short unit, and few have one.
    PITCH_CALL_PHRASES.any_in(lower) && PITCH_OBJECT_PHRASES.any_in(lower) && is_pitch(lower)
}

/// What a pitch sells: "sign up for Facebook" is news, "sign up for the
/// newsletter" a pitch.
const PITCH_OBJECTS: &[&str] = &[
    "newsletter",
    "newsletters",
    "subscription",
    "subscriptions",
    "inbox",
    "abonnement",
    "abo",
    "suscripción",
    "boletín",
    "assinatura",
    "langganan",
    "buletin",
    "рассылк*",
    "abbonamento",
];

/// "Follow" in several languages.
const FOLLOW: &[&str] = &[
    "follow",
    "folgen",
    "folge",
    "sigue",
    "síguenos",
    "suivez",
    "suivre",
    "ikuti",
    "segui",
    "seguici",
    "siga",
    "подписывайтесь",
];

/// Social networks, by name.
const NETWORKS: &[&str] = &[
    "twitter",
    "facebook",
    "instagram",
    "youtube",
    "tiktok",
    "linkedin",
    "telegram",
    "whatsapp",
    "pinterest",
    "snapchat",
    "вконтакте",
];

/// Stems of "comment" in several languages.
const COMMENT_STEMS: &[&str] = &[
    "comment*",
    "comentário*",
    "comentario*",
    "komentar*",
    "kommentar*",
    "commento*",
    "commenti*",
    "комментари*",
];

/// Stems of the rules a comment section states.
const POLICY_STEMS: &[&str] = &[
    "moderat*",
    "moderador*",
    "moderier*",
    "approv*",
    "aprovad*",
    "aprobad*",
    "guideline*",
    "policy",
    "policies",
    "richtlinie*",
    "regeln",
    "política*",
    "normas",
    "règle*",
    "charte",
    "pedoman",
    "aturan",
    "правил*",
    "модерац*",
    "regolamento",
];

/// The rules of the comment section ("Comments that ... will not be
/// approved by the moderator"): a mention of comments and of their rules.
/// "He did not respond to a request for comment" names no rule.
fn is_comment_policy(lower: &str) -> bool {
    COMMENT_STEM_PHRASES.any_in(lower) && POLICY_STEM_PHRASES.any_in(lower)
}

/// A gallery slide's caption: it opens with a counter ("1of4 The mayor
/// ...", "2 / 5 ..."), followed by the caption. Outside a figure only the
/// spelled-out form counts ("3 of 7 ...": "1/4 cup" is a quantity).
fn opens_with_counter(lower: &str, in_figure: bool) -> bool {
    let t = lower.trim_start();
    let a_len = t.chars().take_while(char::is_ascii_digit).count();
    if a_len == 0 || a_len > 3 {
        return false;
    }
    let rest = t[a_len..].trim_start();
    let rest = if let Some(r) = rest.strip_prefix("of") {
        r
    } else if let Some(r) = rest.strip_prefix('/').filter(|_| in_figure) {
        r
    } else {
        return false;
    };
    let rest = rest.trim_start();
    let b_len = rest.chars().take_while(char::is_ascii_digit).count();
    if b_len == 0 || b_len > 3 {
        return false;
    }
    let (a, b): (usize, usize) = (
        t[..a_len].parse().unwrap_or(0),
        rest[..b_len].parse().unwrap_or(0),
    );
    let caption = rest[b_len..].trim_start();
    a >= 1 && a <= b && caption.chars().next().is_some_and(char::is_alphabetic)
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
    fn phrases_are_found_as_match_indices_finds_them() {
        // The search `Phrase::is_in` replaced, kept here as its specification.
        let reference = |text: &str, phrase: &str| {
            let (phrase, stem) = match phrase.strip_suffix('*') {
                Some(p) => (p, true),
                None => (phrase, false),
            };
            text.match_indices(phrase).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + phrase.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && (stem || !after.is_some_and(char::is_alphanumeric))
            })
        };
        let texts = [
            "sign up for our newsletter",
            "signup now, sign up!",
            "aaa",
            "résumé: sign up — über sign",
            "newsletters",
            "the newsletter.",
            "",
            "ss sign",
        ];
        let phrases = [
            "sign up",
            "newsletter",
            "newsletter*",
            "aa",
            "a",
            "sign",
            "über",
            "é",
            "",
            "*",
        ];
        for text in texts {
            for phrase in phrases {
                assert_eq!(
                    Phrase::new(phrase).is_in(text),
                    reference(text, phrase),
                    "{text:?} {phrase:?}"
                );
            }
        }
    }

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

    #[test]
    fn pitches_at_the_end_go_in_several_languages() {
        assert!(is_pitch(
            "sign up for the daily briefing to get it delivered to your inbox."
        ));
        assert!(is_pitch("need more space? subscribe to our sister title"));
        assert!(is_pitch("follow him on twitter @someone."));
        assert!(is_pitch(
            "abonnieren sie unseren newsletter und erhalten sie die nachrichten des tages."
        ));
        assert!(is_pitch("suscríbete al boletín para recibir las noticias."));
        assert!(is_pitch("ikuti kami di media sosial untuk berita terbaru."));
        assert!(is_pitch("подпишитесь на нашу рассылку."));
        // Reported speech and news about subscriptions are not pitches.
        assert!(!is_pitch(
            "“what kind of products are worth a digital subscription? what’s your strategy?”"
        ));
        assert!(!is_pitch(
            "the company said subscriptions rose by a tenth in the quarter."
        ));
        assert!(!is_pitch("subscribers said the price was too high"));
        let html = format!(
            "<p>{BODY}</p><p>{BODY} Two.</p><h3>More Great Stories</h3><ul>\
             <li>Why cities <a href=\"/a\">grow upwards</a></li>\
             <li>The plan <a href=\"/b\">to fix the trains</a></li></ul>\
             <p>Start your day with our briefing: sign up for the free daily newsletter \
             delivered to your inbox.</p>\
             <p>Abonnieren Sie unseren Newsletter, um keine Nachricht zu verpassen.</p>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        assert!(out.contains("Two."), "{out}");
        for gone in [
            "More Great",
            "grow upwards",
            "fix the trains",
            "sign up",
            "Abonnieren",
        ] {
            assert!(!out.contains(gone), "{gone}: {out}");
        }
        // A list of links at the end under a title that is no box's stays.
        let html = format!(
            "<p>{BODY}</p><p>{BODY} Two.</p><h3>Sources</h3><ul>\
             <li>The report <a href=\"/a\">of 2019</a></li><li>The <a href=\"/b\">data</a></li></ul>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        assert!(out.contains("of 2019") && out.contains("data"), "{out}");
    }

    #[test]
    fn comment_rules_at_the_end_go_but_requests_for_comment_stay() {
        assert!(is_comment_policy(
            "atenção: comentários com textos ininteligíveis não serão aprovados pelo moderador."
        ));
        assert!(is_comment_policy(
            "comments are moderated and must follow our community guidelines."
        ));
        assert!(is_comment_policy(
            "kommentare werden vor der veröffentlichung moderiert."
        ));
        assert!(!is_comment_policy(
            "the ministry did not respond to a request for comment."
        ));
        let html = format!(
            "<p>{BODY}</p><p>{BODY} The ministry did not respond to a request for comment.</p>\
             <p>Komentar yang tidak sesuai aturan akan dihapus oleh moderator.</p>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        assert!(
            out.contains("request for comment") && !out.contains("Komentar"),
            "{out}"
        );
    }

    #[test]
    fn gallery_slides_go() {
        assert!(opens_with_counter("1of4grass valley's shoppers", true));
        assert!(opens_with_counter("2 / 5 the mayor speaks", true));
        assert!(opens_with_counter("3 of 7 der bürgermeister", false));
        assert!(!opens_with_counter("1/4 cup of flour", false));
        assert!(!opens_with_counter("5 of 4 things", true));
        assert!(!opens_with_counter("2019 was a year", true));
        let html = format!(
            "<p>{BODY}</p><figure><img src=\"a.jpg\"><figcaption><span>1<span>of</span>2</span>\
             <span>Shoppers at the hardware store.</span></figcaption></figure>\
             <figure><img src=\"b.jpg\"><figcaption>2 / 2 Pembeli di toko.</figcaption></figure>\
             <p>{BODY} Two.</p>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        assert!(
            !out.contains("Shoppers") && !out.contains("Pembeli"),
            "{out}"
        );
        assert!(out.contains("Two."), "{out}");
    }

    #[test]
    fn tag_lists_go_with_their_label() {
        let html = format!(
            "<div><p>{BODY}</p><p>{BODY} Two.</p><strong>Tags<br>\
             <a href=\"/t/a\" rel=\"tag\">stock car</a>, <a href=\"/t/b\" rel=\"tag\">interlagos</a>\
             </strong><p>Schlagwörter: <a href=\"/t/c\" rel=\"tag\">Politik</a></p></div>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        for gone in ["Tags", "stock car", "interlagos", "Schlagwörter", "Politik"] {
            assert!(!out.contains(gone), "{gone}: {out}");
        }
        assert!(out.contains("Two."), "{out}");
        // A tag link inside a sentence leaves the sentence.
        let html = format!(
            "<p>{BODY} See <a href=\"/t/x\" rel=\"tag\">elections</a> for more.</p><p>{BODY}</p>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        assert!(out.contains("See") && out.contains("for more."), "{out}");
    }

    #[test]
    fn link_cards_inside_the_text_go_and_the_name_stays() {
        let html = format!(
            "<p>He threatened Rep. <span><a href=\"/p/jane\">Jane Roe</a><span><img src=\"j.jpg\">\
             <a href=\"/p/jane\">Jane Roe</a><a href=\"/s/1\">Latest: a headline about Jane</a>\
             </span></span> on Monday. {BODY}</p><p>{BODY}</p>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        assert!(
            out.contains("Jane Roe</a>") && out.contains("on Monday"),
            "{out}"
        );
        assert!(!out.contains("headline") && !out.contains("j.jpg"), "{out}");
        // An image with one link (a linked photo) stays.
        let html = format!(
            "<p>{BODY} <span><img src=\"k.jpg\"><a href=\"/k\">the map</a></span></p><p>{BODY}</p>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        assert!(out.contains("k.jpg"), "{out}");
    }

    #[test]
    fn the_authors_bio_at_the_end_goes() {
        for (bio, byline) in [
            (
                "Jane Roe is a reporter covering science. Follow her work online.",
                "By Jane Roe",
            ),
            (
                "Budi Santoso adalah wartawan yang meliput ekonomi dan politik.",
                "Budi Santoso",
            ),
        ] {
            let html = format!("<p>{BODY}</p><p>{BODY} Two.</p><p>{bio}</p>");
            let out = prune(&html, Some(byline), &Tuning::default(), &Blocks::default());
            assert!(out.contains("Two.") && !out.contains(&bio[..10]), "{out}");
        }
        // Inside the story the author's name is text.
        let html = format!("<p>Jane Roe is a reporter. {BODY}</p><p>{BODY} Two.</p>");
        let out = prune(
            &html,
            Some("Jane Roe"),
            &Tuning::default(),
            &Blocks::default(),
        );
        assert!(out.contains("Jane Roe is"), "{out}");
    }

    #[test]
    fn follow_us_and_newsletter_calls_go() {
        assert!(is_pitch(
            "follow newsbeat on instagram, facebook, twitter and youtube."
        ));
        assert!(is_pitch("folgen sie uns auf facebook und instagram."));
        assert!(is_pitch("ikuti kami di instagram dan twitter."));
        assert!(!is_pitch(
            "the minister said on twitter that the talks would follow."
        ));
        assert!(is_inline_pitch(
            "start your day with the bell. sign up for the free daily newsletter."
        ));
        assert!(is_inline_pitch("suscríbete al boletín de la mañana."));
        assert!(!is_inline_pitch("follow us on twitter."));
        assert!(!is_inline_pitch(
            "when you sign up for facebook, it encourages you to upload your contacts."
        ));
        let html = format!(
            "<p>{BODY}</p><p>Start your day with the bell. Sign up for the free daily newsletter.</p>\
             <p>{BODY} Two.</p>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        assert!(out.contains("Two.") && !out.contains("Sign up"), "{out}");
    }

    #[test]
    fn a_most_popular_box_at_the_end_goes() {
        for title in ["Most popular diets", "Самые популярные диеты"] {
            let html = format!(
                "<p>{BODY}</p><p>{BODY} Two.</p><p>{BODY} Three.</p><h2>{title}</h2>\
                 <div><p><a href=\"/a\"><img src=\"a.jpg\"></a></p>\
                 <p>A popular diet for a busy life: up to 10 kg in 14 days.</p></div>\
                 <div><p><a href=\"/b\"><img src=\"b.jpg\"></a></p>\
                 <p>Самая популярная диета. Сбрасывается до 12 кг за 14 дней.</p></div>"
            );
            let out = prune(&html, None, &Tuning::default(), &Blocks::default());
            assert!(out.contains("Three."), "{out}");
            for gone in [title, "up to 10", "Сбрасывается"] {
                assert!(!out.contains(gone), "{gone}: {out}");
            }
        }
        // A "more" heading followed by the story's paragraphs stays.
        let html = format!(
            "<p>{BODY}</p><h2>More about the plan</h2><p>{BODY} Two.</p><p>{BODY} Three.</p>"
        );
        let out = prune(&html, None, &Tuning::default(), &Blocks::default());
        assert!(out.contains("More about the plan"), "{out}");
    }
}
