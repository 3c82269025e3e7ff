//! Small helpers over `dom_query`, the one HTML parser of the build (the one
//! `dom_smoothie` uses), so every step parses and serializes HTML the same way.

use std::cell::Ref;

use dom_query::{Document, NodeData, NodeRef};

pub(crate) use super::names::NameMap;
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

/// The contents of a text node, borrowed from the tree; `None` for any
/// other node. `NodeRef::text` copies them into a new string, and the walks
/// of extraction read every text node of the page.
pub(crate) fn with_text<R>(node: &NodeRef, f: impl FnOnce(&str) -> R) -> Option<R> {
    node.query(|n| match &n.data {
        NodeData::Text { contents } => Some(f(contents)),
        _ => None,
    })
    .flatten()
}

/// An element's local name (lowercase for HTML), borrowed from the tree;
/// `None` for any other node. `NodeRef::node_name` allocates a copy.
pub(crate) fn local_name<'a>(node: &NodeRef<'a>) -> Option<Ref<'a, str>> {
    node.qual_name_ref().map(|q| Ref::map(q, |q| &*q.local))
}

/// The value of an element's attribute `name`, borrowed from the tree
/// (`NodeRef::attr` allocates a copy).
pub(crate) fn attr_ref<'a>(node: &NodeRef<'a>, name: &str) -> Option<Ref<'a, str>> {
    let element = node.element_ref()?;
    Ref::filter_map(element, |e| {
        e.attrs
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| &*a.value)
    })
    .ok()
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
    fn borrowed_text_names_and_attributes_match_the_copies() {
        let doc = parse_fragment("<p class=\"a b\" id=\"x\">One <b>two</b></p>");
        let p = doc.select("p").nodes()[0];
        assert_eq!(local_name(&p).as_deref(), Some("p"));
        assert_eq!(attr_ref(&p, "class").as_deref(), Some("a b"));
        assert_eq!(attr_ref(&p, "id").as_deref(), Some("x"));
        assert!(attr_ref(&p, "title").is_none());
        let text = p.first_child().unwrap();
        assert_eq!(with_text(&text, str::to_string).as_deref(), Some("One "));
        assert!(local_name(&text).is_none());
        assert!(with_text(&p, str::len).is_none());
    }

    #[test]
    fn unwrapping_keeps_children_in_order() {
        let doc = parse_fragment("<p>a <a href=\"x\">b <i>c</i> d</a> e</p>");
        let a = doc.select("a").nodes()[0];
        unwrap_element(&a);
        assert_eq!(fragment_html(&doc), "<p>a b <i>c</i> d e</p>");
    }
}
