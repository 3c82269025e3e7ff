//! wallabag's JSON export: an array of entries with `is_archived`,
//! `is_starred`, `tags`, `content` (HTML) and `annotations` (`quote`,
//! `text`); wallabag v1's has `is_read`, `is_fav` and its tags as one
//! comma-separated string. Fields are read leniently: 0/1, "0"/"1" or
//! booleans, tags as strings or `{label}` objects.

use serde_json::Value;

use super::item::{Highlight, Item, Parsed};
use super::{dates, jsonlist};
use crate::Result;

/// Whether a JSON list's first entry is a wallabag entry: v2's
/// `is_archived`/`is_starred`, or v1's `is_read`/`is_fav`.
pub fn is_wallabag(first: &Value) -> bool {
    first.as_object().is_some_and(|o| {
        ["is_archived", "is_starred", "is_read", "is_fav"]
            .iter()
            .any(|k| o.contains_key(*k))
    })
}

/// Reads the entries; one damaged entry fails alone (see [`jsonlist`]).
pub fn read(bytes: &[u8]) -> Result<Parsed> {
    let not_a_list = |why: &str| {
        format!("the file is not a list of wallabag entries ({why}); export it again from wallabag")
    };
    jsonlist::read_export(
        bytes,
        "entry",
        not_a_list,
        |element, shown, parsed| match element {
            Ok(e) => entry(&e, shown, parsed),
            Err(why) => parsed.fail(shown, why),
        },
    )
}

fn entry(e: &Value, shown: String, parsed: &mut Parsed) {
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
        return;
    };
    let tags = match e.get("tags") {
        Some(Value::Array(t)) => jsonlist::labels(t, "label"),
        // v1 writes its tags as one comma-separated string.
        Some(Value::String(t)) => t
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
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
    // v1 has `is_read` (its archive) and `is_fav` where v2 has `is_archived` and `is_starred`.
    let archived = flag("is_archived") || flag("is_read");
    let date = |k: &str, warnings: &mut Vec<String>| {
        dates::field(&s(k).unwrap_or_default(), &shown, warnings)
    };
    let saved_at = date("created_at", &mut parsed.warnings);
    let published_at = date("published_at", &mut parsed.warnings);
    parsed.items.push(Item {
        place: Some(shown),
        saved_at,
        published_at,
        title: s("title"),
        url,
        archived,
        read: archived,
        starred: flag("is_starred") || flag("is_fav"),
        tags,
        content_html: s("content").filter(|c| !c.trim().is_empty()),
        highlights,
        ..Default::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that the file is told as wallabag's, then reads it.
    fn detected_and_read(v: &[u8]) -> Parsed {
        let first: Vec<Value> = serde_json::from_slice(v).unwrap();
        assert!(is_wallabag(&first[0]));
        read(v).unwrap()
    }

    #[test]
    fn entries_with_states_tags_and_annotations() {
        let v = br#"[
          {"id":1,"title":"T","url":"https://e.com/a","is_archived":1,"is_starred":0,
           "content":"<p>Hello world</p>","created_at":"2016-10-04T08:27:32+0200",
           "tags":["a",{"label":"b"}],"annotations":[{"text":"note","quote":"world","ranges":[]}]},
          {"id":2,"title":"no url"}
        ]"#;
        let p = detected_and_read(v);
        assert_eq!(p.items.len(), 1);
        assert!(p.items[0].archived && !p.items[0].starred);
        assert_eq!(p.items[0].tags, ["a", "b"]);
        assert_eq!(p.items[0].highlights[0].note, "note");
        assert_eq!(p.failed.len(), 1);
    }

    #[test]
    fn v1_entries_keep_their_states_and_tags() {
        // The shape of wallabag v1's export: numbered copies of the columns,
        // strings for numbers, tags as one string.
        let v = br#"[
          {"0":"3","1":"Features","2":"https://e.com/features/","id":"3","title":"Features",
           "url":"https://e.com/features/","is_read":"0","is_fav":"1",
           "content":"<p>Some features</p>","user_id":"1","tags":"tools, self-hosting"},
          {"id":"10","title":"Done","url":"https://e.com/done","is_read":"1","is_fav":"0",
           "content":"","user_id":"1","tags":""}
        ]"#;
        let p = detected_and_read(v);
        assert_eq!(p.items.len(), 2);
        assert!(p.items[0].starred && !p.items[0].archived);
        assert_eq!(p.items[0].tags, ["tools", "self-hosting"]);
        assert!(p.items[1].archived && p.items[1].read && !p.items[1].starred);
        assert!(p.items[1].tags.is_empty());
    }
}
