//! Annotations in the shapes other tools read: W3C Web Annotations (JSON and
//! JSON-LD) and Markdown notes (one per story, Obsidian-friendly).

use serde_json::{json, Value};

use crate::annotate::Annotation;
use crate::model::Story;
use crate::text::one_line;

/// The W3C Web Annotation context.
pub const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// One annotation shaped like a W3C Web Annotation, as `gloss annotations
/// --json` prints it: the id is the library's number, the selectors are both
/// there (only the quote while orphaned), and Gloss's colour, note and
/// orphaned flag sit beside them.
pub fn web_annotation(a: &Annotation, source: &str) -> Value {
    let mut selectors = vec![json!({
        "type": "TextQuoteSelector",
        "exact": a.quote.exact,
        "prefix": a.quote.prefix,
        "suffix": a.quote.suffix,
    })];
    if let Some(p) = a.position {
        selectors.push(json!({"type": "TextPositionSelector", "start": p.start, "end": p.end}));
    }
    json!({
        "id": a.id,
        "type": "Annotation",
        "story_id": a.story_id,
        "target": {"source": source, "selector": selectors},
        "color": a.color.name(),
        "note": a.note,
        "tags": a.tags,
        "created": a.created,
        "modified": a.modified,
        "orphaned": a.orphaned(),
    })
}

/// The IRI of the exported collection and the stem of its page's IRI.
/// Gloss's ids are its own (`urn:gloss:`), as the annotations' are: a
/// library has no public address to name them by.
const COLLECTION_ID: &str = "urn:gloss:annotations";

/// Annotations as a W3C JSON-LD collection that meets the MUSTs of the W3C
/// test suite (checked by `tests/w3c_annotations`): the collection and its
/// one page have IRIs; each annotation names the context itself, so one
/// copied out of the file stands alone; its id is an IRI; the note is a
/// `TextualBody` in Markdown and tags are `tagging` bodies. A highlight
/// with neither has no `body` at all (an empty array is not "no body").
/// Gloss's colour, story and orphaned flag stay as its own terms.
pub fn json_ld(items: &[(Annotation, String)]) -> Value {
    let items: Vec<Value> = items
        .iter()
        .map(|(a, source)| json_ld_item(a, source))
        .collect();
    json!({
        "@context": ANNO_CONTEXT,
        "id": COLLECTION_ID,
        "type": "AnnotationCollection",
        "label": "Gloss annotations",
        "total": items.len(),
        "first": {
            "id": format!("{COLLECTION_ID}:page:1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    })
}

/// One annotation of the JSON-LD collection.
fn json_ld_item(a: &Annotation, source: &str) -> Value {
    let mut v = web_annotation(a, source);
    let mut body = Vec::new();
    if !a.note.is_empty() {
        body.push(json!({"type": "TextualBody", "value": a.note, "format": "text/markdown", "purpose": "commenting"}));
    }
    for tag in &a.tags {
        body.push(json!({"type": "TextualBody", "value": tag, "purpose": "tagging"}));
    }
    if let Some(obj) = v.as_object_mut() {
        obj.insert("@context".into(), json!(ANNO_CONTEXT));
        obj.insert("id".into(), json!(format!("urn:gloss:annotation:{}", a.id)));
        obj.insert(
            "motivation".into(),
            json!(if a.note.is_empty() {
                "highlighting"
            } else {
                "commenting"
            }),
        );
        if !body.is_empty() {
            obj.insert("body".into(), json!(body));
        }
        obj.remove("note");
        obj.remove("tags");
    }
    v
}

/// A story as a Markdown note: YAML front matter, the title, its highlights
/// as quotes with their notes under them, then the story itself.
pub fn story_markdown(story: &Story, annotations: &[Annotation], body_markdown: &str) -> String {
    let s = &story.summary;
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", yaml_string(&s.title)));
    out.push_str(&format!("url: {}\n", yaml_string(&s.url)));
    if let Some(site) = &s.site {
        out.push_str(&format!("site: {}\n", yaml_string(site)));
    }
    if let Some(byline) = &story.byline {
        out.push_str(&format!("author: {}\n", yaml_string(byline)));
    }
    if let Some(published) = &s.published_at {
        out.push_str(&format!("published: {published}\n"));
    }
    out.push_str(&format!("saved: {}\n", s.saved_at));
    out.push_str(&format!("starred: {}\n", s.starred));
    out.push_str(&format!("archived: {}\n", s.archived));
    out.push_str("tags:");
    if s.tags.is_empty() {
        out.push_str(" []\n");
    } else {
        out.push('\n');
        for t in &s.tags {
            out.push_str(&format!("  - {}\n", yaml_string(t)));
        }
    }
    out.push_str("---\n\n");
    out.push_str(&format!("# {}\n\n", one_line(&s.title)));
    if !annotations.is_empty() {
        out.push_str("## Highlights\n\n");
        for a in annotations {
            for line in a.quote.exact.lines() {
                out.push_str(&format!("> {line}\n"));
            }
            let mut meta = vec![a.color.name().to_string()];
            if a.orphaned() {
                meta.push("no longer in the text".into());
            }
            meta.extend(a.tags.iter().map(|t| format!("#{}", t.replace(' ', "-"))));
            out.push_str(&format!("\n*{}*\n\n", meta.join(" · ")));
            if !a.note.trim().is_empty() {
                out.push_str(a.note.trim());
                out.push_str("\n\n");
            }
        }
    }
    out.push_str("## Story\n\n");
    out.push_str(body_markdown.trim());
    out.push('\n');
    out
}

/// A file name for a story's note: its title made safe for every file
/// system, with the id so two stories never share one.
pub fn markdown_file_name(story: &Story) -> String {
    let title: String = story
        .summary
        .title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '-' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title: String = title.chars().take(80).collect();
    if title.is_empty() {
        format!("{}.md", story.summary.id)
    } else {
        format!("{title} ({}).md", story.summary.id)
    }
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(&one_line(s)).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::{Color, TextPositionSelector, TextQuoteSelector};

    fn annotation(position: Option<TextPositionSelector>) -> Annotation {
        Annotation {
            id: 7,
            story_id: 3,
            color: Color::Green,
            note: "Why *this* matters".into(),
            quote: TextQuoteSelector {
                exact: "jaminan keamanan".into(),
                prefix: "butuhkan “".into(),
                suffix: "” untuk".into(),
            },
            position,
            tags: vec!["korea".into()],
            created: "2026-11-28T10:00:00Z".into(),
            modified: "2026-11-28T10:05:00Z".into(),
        }
    }

    #[test]
    fn web_annotations_carry_both_selectors_or_only_the_quote_when_orphaned() {
        let v = web_annotation(
            &annotation(Some(TextPositionSelector { start: 10, end: 26 })),
            "https://x/a",
        );
        assert_eq!(v["target"]["source"], "https://x/a");
        assert_eq!(v["target"]["selector"][0]["type"], "TextQuoteSelector");
        assert_eq!(v["target"]["selector"][1]["type"], "TextPositionSelector");
        assert_eq!(v["target"]["selector"][1]["end"], 26);
        assert_eq!(v["orphaned"], false);
        let v = web_annotation(&annotation(None), "https://x/a");
        assert_eq!(v["target"]["selector"].as_array().unwrap().len(), 1);
        assert_eq!(v["orphaned"], true);
    }

    #[test]
    fn json_ld_is_a_collection_with_bodies() {
        let v = json_ld(&[(annotation(None), "https://x/a".into())]);
        assert_eq!(v["@context"], ANNO_CONTEXT);
        let item = &v["first"]["items"][0];
        assert_eq!(item["id"], "urn:gloss:annotation:7");
        assert_eq!(item["motivation"], "commenting");
        assert_eq!(item["body"][0]["value"], "Why *this* matters");
        assert_eq!(item["body"][1]["purpose"], "tagging");
    }
}
