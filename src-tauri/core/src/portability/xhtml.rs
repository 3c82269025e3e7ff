//! Stored article HTML (HTML5, sanitized) written as well-formed XHTML for
//! EPUB: every element closed, void elements self-closed, text and
//! attributes escaped, attributes that are not XML names dropped.

use dom_query::{Document, NodeRef};

use crate::markup::{escape, Escaping};

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The body of `html` as XHTML. `image` maps an `<img src>` to the path
/// inside the book, or `None` to leave the image out.
pub fn body_xhtml(html: &str, image: &mut dyn FnMut(&str) -> Option<String>) -> String {
    let doc = Document::fragment(html);
    let root = doc.root();
    let start = root
        .first_element_child()
        .filter(|n| n.has_name("html"))
        .unwrap_or(root);
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    for child in start.children() {
        write_node(&child, &mut out, image);
    }
    out
}

fn write_node(node: &NodeRef, out: &mut String, image: &mut dyn FnMut(&str) -> Option<String>) {
    if node.is_text() {
        out.push_str(&escape(&node.text(), Escaping::XML_TEXT));
        return;
    }
    if !node.is_element() {
        return;
    }
    let Some(name) = node.node_name() else { return };
    let name = name.to_lowercase();
    if !is_xml_name(&name) {
        for child in node.children() {
            write_node(&child, out, image);
        }
        return;
    }
    let mut attrs: Vec<(String, String)> = node
        .attrs()
        .iter()
        .map(|a| (a.name.local.to_lowercase(), a.value.to_string()))
        .filter(|(k, _)| is_xml_name(k) && !k.starts_with("xmlns"))
        .collect();
    if name == "img" {
        let src = attrs
            .iter()
            .find(|(k, _)| k == "src")
            .map(|(_, v)| v.clone());
        match src.and_then(|s| image(&s)) {
            Some(path) => {
                attrs.retain(|(k, _)| k != "src" && k != "srcset");
                attrs.push(("src".into(), path));
                if !attrs.iter().any(|(k, _)| k == "alt") {
                    attrs.push(("alt".into(), String::new()));
                }
            }
            None => {
                let alt = attrs
                    .iter()
                    .find(|(k, _)| k == "alt")
                    .map(|(_, v)| v.clone());
                if let Some(alt) = alt.filter(|a| !a.is_empty()) {
                    out.push_str(&escape(&alt, Escaping::XML_TEXT));
                }
                return;
            }
        }
    }
    out.push('<');
    out.push_str(&name);
    for (k, v) in &attrs {
        out.push_str(&format!(" {k}=\"{}\"", escape(v, Escaping::XML_ATTRIBUTE)));
    }
    if VOID.contains(&name.as_str()) {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for child in node.children() {
        write_node(&child, out, image);
    }
    out.push_str(&format!("</{name}>"));
}

fn is_xml_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn void_elements_close_and_text_is_escaped() {
        let x = body_xhtml(
            "<p>a &amp; b<br>c <img src=\"x\" alt=\"pic\"><img src=\"y\" alt=\"gone\"></p><hr>",
            &mut |s| (s == "x").then(|| "images/x.png".to_string()),
        );
        assert_eq!(
            x,
            "<p>a &amp; b<br/>c <img alt=\"pic\" src=\"images/x.png\"/>gone</p><hr/>"
        );
    }
}
