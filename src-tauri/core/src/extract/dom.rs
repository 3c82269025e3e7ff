//! Small helpers over `dom_query`, the one HTML parser of the build (the one
//! `dom_smoothie` uses), so every step parses and serializes HTML the same way.

use std::borrow::Cow;

use dom_query::{Document, NodeRef};

/// How deep elements may nest before parsing. WebKit's parser stops nesting
/// at 512 too; no article comes near it. html5ever checks its stack of open
/// elements for every tag, so 50,000 nested `<div>`s (350 KB) take minutes to
/// parse, and later passes recurse over the tree: a hostile page could hang
/// a save or overflow the stack.
const MAX_NESTING: usize = 512;

/// Elements that never hold others, so their start tag does not nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "image",
];

/// `html` with start tags beyond [`MAX_NESTING`] open elements left out
/// (their text stays, and their end tags are ignored by the parser).
///
/// A rough tag scan, not a parser: it does not know about comments, raw text
/// or attributes holding `>`, so on a hostile page it may drop a tag that
/// would not have nested. That only changes how such a page looks, never
/// what is safe: the sanitizer runs on whatever comes out.
pub(crate) fn limit_nesting(html: &str) -> Cow<'_, str> {
    // Cheap test first: a page with few tags cannot be deep.
    if html.bytes().filter(|&b| b == b'<').count() <= MAX_NESTING {
        return Cow::Borrowed(html);
    }
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let (mut depth, mut skipped, mut copied, mut i) = (0usize, 0usize, 0usize, 0usize);
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let closing = bytes.get(i + 1) == Some(&b'/');
        let name_at = i + 1 + usize::from(closing);
        let name_len = bytes[name_at.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        let starts_with_letter = bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic);
        let Some(end) = bytes[i..].iter().position(|&b| b == b'>').map(|p| i + p) else {
            break;
        };
        if !starts_with_letter {
            i += 1;
            continue;
        }
        let name = html[name_at..name_at + name_len].to_ascii_lowercase();
        let self_closing = bytes[end - 1] == b'/';
        if closing {
            if skipped > 0 {
                skipped -= 1;
            } else {
                depth = depth.saturating_sub(1);
            }
        } else if !self_closing && !VOID.contains(&name.as_str()) {
            if depth >= MAX_NESTING {
                // Leave the tag out: copy what came before it, skip it.
                out.push_str(&html[copied..i]);
                copied = end + 1;
                skipped += 1;
            } else {
                depth += 1;
            }
        }
        i = end + 1;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Parses an HTML fragment (an article body, not a whole page) as the
/// children of a `<body>`.
pub(crate) fn parse_fragment(html: &str) -> Document {
    Document::fragment(html)
}

/// Serializes the content of a document made by [`parse_fragment`], without
/// the `<html>` wrapper the fragment parser adds.
pub(crate) fn fragment_html(doc: &Document) -> String {
    let root = doc.root();
    let container = root.first_element_child().filter(|n| n.has_name("html"));
    container
        .unwrap_or(root)
        .try_inner_html()
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Replaces an element by its children (keeps a link's text, drops the link).
pub(crate) fn unwrap_element(node: &NodeRef) {
    for child in node.children() {
        node.insert_before(&child);
    }
    node.remove_from_parent();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_cut_at_the_limit_and_the_text_kept() {
        let deep = format!("{}deep text{}", "<div>".repeat(2000), "</div>".repeat(2000));
        let limited = limit_nesting(&deep);
        assert_eq!(limited.matches("<div>").count(), MAX_NESTING);
        assert!(limited.contains("deep text"));
        let doc = parse_fragment(&limited);
        assert!(doc.select("div").length() <= MAX_NESTING);
        // Ordinary pages, with many tags but little depth, are untouched.
        let wide = "<p>a<br><img src=x><b>b</b></p>".repeat(1000);
        assert!(matches!(limit_nesting(&wide), Cow::Borrowed(_)));
    }

    #[test]
    fn fragments_round_trip_without_a_wrapper() {
        let doc = parse_fragment("<p>One <b>two</b></p><p>three</p>");
        assert_eq!(fragment_html(&doc), "<p>One <b>two</b></p><p>three</p>");
    }

    #[test]
    fn unwrapping_keeps_children_in_order() {
        let doc = parse_fragment("<p>a <a href=\"x\">b <i>c</i> d</a> e</p>");
        let a = doc.select("a").nodes()[0];
        unwrap_element(&a);
        assert_eq!(fragment_html(&doc), "<p>a b <i>c</i> d e</p>");
    }
}
