//! wallabag's JSON export: an array of entries with `is_archived`,
//! `is_starred`, `tags`, `content` (HTML) and `annotations` (`quote`,
//! `text`). Fields are read leniently: 0/1 or booleans, tags as strings or
//! `{label}` objects.

use serde_json::Value;

use super::dates;
use super::item::{Highlight, Item, Parsed};

/// Whether a JSON document is a wallabag export.
pub fn is_wallabag(v: &Value) -> bool {
    v.as_array()
        .and_then(|a| a.first())
        .and_then(Value::as_object)
        .is_some_and(|o| o.contains_key("is_archived") || o.contains_key("is_starred"))
}

pub fn read(v: &Value) -> Parsed {
    let mut parsed = Parsed::default();
    let Some(entries) = v.as_array() else {
        parsed.fail("file", "not a list of wallabag entries");
        return parsed;
    };
    for (i, e) in entries.iter().enumerate() {
        let shown = format!("entry {}", i + 1);
        let s = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_string);
        let flag = |k: &str| match e.get(k) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            Some(Value::String(s)) => s == "1" || s == "true",
            _ => false,
        };
        let Some(url) = s("url")
            .or_else(|| s("given_url"))
            .filter(|u| !u.is_empty())
        else {
            parsed.fail(shown, "no URL");
            continue;
        };
        let tags = e
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(|t| match t {
                        Value::String(s) => Some(s.clone()),
                        Value::Object(o) => {
                            o.get("label").and_then(Value::as_str).map(str::to_string)
                        }
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let highlights = e
            .get("annotations")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|a| {
                        Some(Highlight {
                            quote: a.get("quote")?.as_str()?.to_string(),
                            note: a
                                .get("text")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .to_string(),
                            created: a
                                .get("created_at")
                                .and_then(Value::as_str)
                                .and_then(|d| dates::parse(d).ok().flatten()),
                            ..Default::default()
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let archived = flag("is_archived");
        parsed.items.push(Item {
            saved_at: dates::field(
                &s("created_at").unwrap_or_default(),
                &shown,
                &mut parsed.warnings,
            ),
            title: s("title"),
            url,
            archived,
            read: archived,
            starred: flag("is_starred"),
            tags,
            content_html: s("content").filter(|c| !c.trim().is_empty()),
            highlights,
            ..Default::default()
        });
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_with_states_tags_and_annotations() {
        let v: Value = serde_json::from_str(
            r#"[
          {"id":1,"title":"T","url":"https://e.com/a","is_archived":1,"is_starred":0,
           "content":"<p>Hello world</p>","created_at":"2016-10-04T08:27:32+0200",
           "tags":["a",{"label":"b"}],"annotations":[{"text":"note","quote":"world","ranges":[]}]},
          {"id":2,"title":"no url"}
        ]"#,
        )
        .unwrap();
        assert!(is_wallabag(&v));
        let p = read(&v);
        assert_eq!(p.items.len(), 1);
        assert!(p.items[0].archived && !p.items[0].starred);
        assert_eq!(p.items[0].tags, ["a", "b"]);
        assert_eq!(p.items[0].highlights[0].note, "note");
        assert_eq!(p.failed.len(), 1);
    }
}
