//! Small helpers over `dom_query`, the one HTML parser of the build (the one
//! `dom_smoothie` uses), so every step parses and serializes HTML the same way.

use dom_query::{Document, NodeRef};

pub(crate) use super::nesting::{limit_nesting, page_for_parsing};

/// Parses an HTML fragment (an article body, not a whole page) as the
/// children of a `<body>`.
pub(crate) fn parse_fragment(html: &str) -> Document {
    Document::fragment(html)
}

/// Serializes the content of a document made by [`parse_fragment`], without
/// the `<html>` wrapper the fragment parser adds.
pub(crate) fn fragment_html(doc: &Document) -> String {
    fragment_container(doc)
        .try_inner_html()
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The element that holds a fragment's content (the `<html>` wrapper the
/// fragment parser adds, else the root).
pub(crate) fn fragment_container(doc: &Document) -> NodeRef<'_> {
    let root = doc.root();
    root.first_element_child()
        .filter(|n| n.has_name("html"))
        .unwrap_or(root)
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
