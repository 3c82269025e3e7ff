//! The safety oracle: what stored article HTML may contain, checked the way
//! a browser would see it (the HTML is parsed again, as the reader's frame
//! parses it, so a mutation-XSS payload that only turns hostile on the
//! second parse is caught here).
//!
//! This is an independent statement of the sanitizer's contract (DESIGN.md,
//! "Security model", layer 1), not a copy of its configuration: elements of
//! the HTML namespace from a fixed list, a few inert attributes, links to
//! http, https and mailto, images from http(s) or the asset scheme, no
//! comments. Shared by the adversarial suite and the fuzz targets
//! (`fuzz/src/lib.rs` includes this file).

use dom_query::{Document, NodeRef};

const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// Elements a stored story may contain. No script, style, frames, forms,
/// embedded objects, media, SVG or MathML.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes allowed on any element: none of them loads, runs or styles anything.
const ANY_ELEMENT: &[&str] = &["dir", "lang", "title"];

/// Attributes allowed on one element.
fn allowed_on(element: &str, attribute: &str) -> bool {
    if ANY_ELEMENT.contains(&attribute) {
        return true;
    }
    matches!(
        (element, attribute),
        ("a", "href" | "rel")
            | ("img", "src" | "alt" | "width" | "height")
            | ("td" | "th", "colspan" | "rowspan")
            | ("th", "scope")
            | ("col" | "colgroup", "span")
            | ("ol", "start" | "reversed")
            | ("li", "value")
            | ("time", "datetime")
            | ("details", "open")
    )
}

/// The scheme of an absolute URL, lowercase, or `None` when the value is
/// not an absolute URL (a relative one would resolve against the reader's
/// `about:srcdoc`, which is never wanted).
fn scheme(value: &str) -> Option<String> {
    url::Url::parse(value).ok().map(|u| u.scheme().to_string())
}

/// Everything in `html` that breaks the contract, one line each; empty when
/// the HTML is safe to show.
pub fn violations(html: &str) -> Vec<String> {
    let doc = Document::fragment(html);
    let mut found = Vec::new();
    let root = doc.root();
    // The fragment parser puts the content in an `<html>` wrapper of its own.
    let container = root
        .first_element_child()
        .filter(|n| n.has_name("html"))
        .unwrap_or(root);
    for node in container.descendants() {
        check_node(&node, &mut found);
    }
    found
}

fn check_node(node: &NodeRef, found: &mut Vec<String>) {
    if node.is_comment() {
        found.push(format!("a comment: {:?}", node.text()));
        return;
    }
    if !node.is_element() {
        return;
    }
    let Some(qual) = node.qual_name_ref() else {
        return;
    };
    let name = qual.local.to_string();
    let ns = qual.ns.to_string();
    drop(qual);
    if ns != HTML_NS {
        found.push(format!("<{name}> in namespace {ns}"));
    }
    if !ELEMENTS.contains(&name.as_str()) {
        found.push(format!("element <{name}>"));
    }
    for attr in node.attrs() {
        let attr_name = attr.name.local.to_string();
        let value = attr.value.to_string();
        if !attr.name.ns.is_empty() || attr.name.prefix.is_some() {
            found.push(format!("namespaced attribute {attr_name} on <{name}>"));
        }
        if !allowed_on(&name, &attr_name) {
            found.push(format!("attribute {attr_name}={value:?} on <{name}>"));
            continue;
        }
        let scheme = scheme(&value);
        let allowed_schemes: &[&str] = match (name.as_str(), attr_name.as_str()) {
            ("a", "href") => &["http", "https", "mailto"],
            ("img", "src") => &["http", "https", "gloss-asset"],
            _ => continue,
        };
        if !scheme
            .as_deref()
            .is_some_and(|s| allowed_schemes.contains(&s))
        {
            found.push(format!(
                "<{name} {attr_name}={value:?}>: not an allowed address"
            ));
        }
    }
}

/// Panics with every violation when `html` is not safe; `what` names the case.
pub fn assert_safe(what: &str, html: &str) {
    let v = violations(html);
    assert!(v.is_empty(), "{what}: unsafe stored HTML: {v:#?}\n{html}");
}
