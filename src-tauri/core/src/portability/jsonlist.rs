//! A JSON list read one element at a time (Omnivore's metadata, wallabag's
//! entries): damage in the middle of an export costs the elements it
//! touches, not the whole file. `serde_json` on the whole array stops at the
//! first bad byte and says nothing of the hundreds of good entries after it.
//!
//! Each element's extent is found by counting brackets outside strings, then
//! the element alone is parsed. A file cut short ends with one damaged
//! element (the one it stops in); the caller, who may know how many there
//! should be, reports the rest.

use serde_json::Value;

use super::item::Parsed;
use crate::{Error, Result};

/// One element of the list: its value, or why it could not be read.
pub type Element = Result<Value, String>;

/// Reads an export that is one JSON list, handing each element to `each`
/// with its name in the summary (`{noun} N`). A file that is no list at all
/// is refused with `not_a_list`, told why.
pub fn read_export(
    bytes: &[u8],
    noun: &str,
    not_a_list: impl Fn(&str) -> String,
    mut each: impl FnMut(Element, String, &mut Parsed),
) -> Result<Parsed> {
    let elements = Elements::of(bytes).map_err(|why| Error::InvalidInput(not_a_list(&why)))?;
    let mut parsed = Parsed::default();
    for (i, element) in elements.enumerate() {
        each(element, format!("{noun} {}", i + 1), &mut parsed);
    }
    Ok(parsed)
}

/// The elements of a JSON array, in order. `Err` when the text is not a
/// JSON array at all (it does not start with `[`).
pub fn read(bytes: &[u8]) -> Result<Vec<Element>, String> {
    Ok(Elements::of(bytes)?.collect())
}

/// The first element that can be read, parsing no further: enough to tell
/// whose export a list is, even when damage comes later.
pub fn first_readable(bytes: &[u8]) -> Option<Value> {
    Elements::of(bytes).ok()?.find_map(Result::ok)
}

/// The elements of a list as they are reached.
struct Elements<'a> {
    bytes: &'a [u8],
    /// Where reading goes on; `None` after the end (or the damage that ends it).
    at: Option<usize>,
}

impl<'a> Elements<'a> {
    fn of(bytes: &'a [u8]) -> Result<Self, String> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = skip_space(bytes, 0);
        if bytes.get(start) != Some(&b'[') {
            return Err("it is not a JSON list".into());
        }
        Ok(Elements {
            bytes,
            at: Some(start + 1),
        })
    }
}

impl Iterator for Elements<'_> {
    type Item = Element;

    fn next(&mut self) -> Option<Element> {
        let bytes = self.bytes;
        let mut i = self.at?;
        loop {
            i = skip_space(bytes, i);
            match bytes.get(i) {
                None | Some(b']') => {
                    self.at = None;
                    return None;
                }
                Some(b',') => i += 1,
                Some(_) => break,
            }
        }
        match element_end(bytes, i) {
            Some(end) => {
                self.at = Some(end);
                Some(
                    serde_json::from_slice(&bytes[i..end])
                        .map_err(|e| format!("damaged JSON ({})", plain(&e))),
                )
            }
            None => {
                self.at = None;
                Some(Err(
                    "the file ends in the middle of it (cut short or damaged)".into(),
                ))
            }
        }
    }
}

/// Tags as JSON exports write them: strings, or objects with the name under
/// `key` (Omnivore's `{name}`, wallabag's `{label}`); anything else is left out.
pub fn labels(list: &[Value], key: &str) -> Vec<String> {
    list.iter()
        .filter_map(|t| match t {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get(key).and_then(Value::as_str).map(str::to_string),
            _ => None,
        })
        .collect()
}

/// serde's message without its line and column, which point into the
/// element alone and would mislead.
fn plain(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Where the element starting at `start` ends: the `,` or `]` after it at
/// the list's own depth. `None` when the file ends first.
fn element_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => depth -= 1,
                b',' | b']' if depth == 0 => return Some(i),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(elements: &[Element]) -> Vec<&str> {
        elements
            .iter()
            .map(|e| match e {
                Ok(v) => v["u"].as_str().unwrap_or("?"),
                Err(_) => "damaged",
            })
            .collect()
    }

    #[test]
    fn a_whole_list_reads_like_serde() {
        let text = br#" [ {"u":"a","t":"x, ] { \" y"}, {"u":"b","n":[1,[2]]} ,{"u":"c"} ] "#;
        let elements = read(text).unwrap();
        assert_eq!(kinds(&elements), ["a", "b", "c"]);
        let whole: Vec<Value> = serde_json::from_slice(text).unwrap();
        let each: Vec<Value> = elements.into_iter().map(Result::unwrap).collect();
        assert_eq!(whole, each);
        assert!(read(b"[]").unwrap().is_empty());
        assert!(read(br#"{"u":"a"}"#).is_err());
    }

    #[test]
    fn damage_in_the_middle_costs_only_that_element() {
        let text = br#"[{"u":"a"},{"u":"b","t": ,"x":1},{"u":"c"},{"u":"d"}]"#;
        let elements = read(text).unwrap();
        assert_eq!(kinds(&elements), ["a", "damaged", "c", "d"]);
        let reason = elements[1].as_ref().unwrap_err();
        assert!(reason.starts_with("damaged JSON"), "{reason}");
        assert!(!reason.contains("line"), "{reason}");
    }

    #[test]
    fn a_file_cut_short_ends_with_one_damaged_element() {
        let text = br#"[{"u":"a"},{"u":"b"},{"u":"c","title":"half a ti"#;
        let elements = read(text).unwrap();
        assert_eq!(kinds(&elements), ["a", "b", "damaged"]);
        assert!(elements[2]
            .as_ref()
            .unwrap_err()
            .contains("ends in the middle"));
    }
}
