//! How a feed item is recognised from one refresh to the next.
//!
//! An item is known by its feed and an id, never by its link alone: a
//! changelog's items link `…/changelog#v1-3`, `#v1-2`, `#v1-1`, a notices
//! feed links every item to one page, and both are still different items.
//! The id is, as in NetNewsWire and feedparser:
//!
//! 1. the feed's own id for the item (RSS `<guid>`, Atom `<id>`, JSON `id`);
//! 2. else its link, fragment included, with its date when it has one (as
//!    NetNewsWire does: a notices feed that shows one dated item at a time,
//!    always linking the same page, still brings each notice);
//! 3. else a hash of its title, date and content, so an item with neither
//!    link nor id is the same item on every refresh.
//!
//! Two items of one document without an id that share a link and date (or
//! have no date) are told apart by the hash of their content (step 3 added
//! to step 2).
//!
//! Before this scheme Gloss kept feed-rs's generated id for items without
//! one (a hash of the first link and the title, or of the feed's address and
//! the title): [`former_id`] recomputes it, so that items stored under it are
//! not taken for new ones.

use feed_rs::model::{Entry, Link, Text};

use crate::library::sha256_hex;

/// The longest item id kept as it is; longer ones are kept as their sha256.
const MAX_ID_BYTES: usize = 512;

/// Marks an id that feed-rs had to make up (see [`generated_id`]).
const GENERATED: &str = "\u{1}gloss-generated:";

/// The id generator handed to feed-rs for entries without an id: the id
/// feed-rs itself would have made (which earlier versions of Gloss stored),
/// marked so that [`feed_id`] knows the feed gave none. When feed-rs would
/// have made a random id (no link and no title), there is nothing to mark.
pub(crate) fn generated_id(links: &[Link], title: &Option<Text>, uri: Option<&str>) -> String {
    let stable = !links.is_empty() || (uri.is_some() && title.is_some());
    if stable {
        format!(
            "{GENERATED}{}",
            feed_rs::parser::generate_id(links, title, uri)
        )
    } else {
        GENERATED.to_string()
    }
}

/// The entry's own id, if the feed gave one (not one [`generated_id`] made).
pub(crate) fn feed_id(entry: &Entry) -> Option<&str> {
    let id = entry.id.trim();
    (!id.is_empty() && !id.starts_with(GENERATED)).then_some(id)
}

/// The id Gloss stored for this entry before items were identified by
/// [`item_id`]: feed-rs's generated id, when it was not random.
pub(crate) fn former_id(entry: &Entry) -> Option<String> {
    let generated = entry.id.strip_prefix(GENERATED)?;
    (!generated.is_empty()).then(|| generated.to_string())
}

/// The item's id: the feed's id, else the link (with its fragment, and the
/// date when there is one), else the hash of its content.
pub(crate) fn item_id(feed_id: Option<&str>, link: Option<&url::Url>, content: &Content) -> String {
    match (feed_id, link, content.published_at) {
        (Some(id), _, _) => bounded(id),
        (None, Some(link), Some(date)) => bounded(&format!("{link} {date}")),
        (None, Some(link), None) => bounded(link.as_str()),
        (None, None, _) => content.hash(),
    }
}

/// The id of an item without an id of its own whose link another item of
/// the same document has too.
pub(crate) fn shared_link_id(link: &url::Url, content: &Content) -> String {
    bounded(&format!("{link} {}", content.hash()))
}

/// What an item says, for the identity of items that have nothing else.
pub(crate) struct Content<'a> {
    pub title: Option<&'a str>,
    pub published_at: Option<&'a str>,
    pub html: Option<&'a str>,
    pub summary: Option<&'a str>,
}

impl Content<'_> {
    fn hash(&self) -> String {
        let mut text = String::new();
        for part in [self.title, self.published_at, self.html, self.summary] {
            // Each part, present or not, ends with a separator no text
            // contains, so moving words between parts changes the hash.
            text.push_str(part.unwrap_or("").trim());
            text.push('\u{0}');
        }
        format!("content:{}", sha256_hex(text.as_bytes()))
    }
}

fn bounded(id: &str) -> String {
    if id.len() > MAX_ID_BYTES {
        sha256_hex(id.as_bytes())
    } else {
        id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content<'a>(title: Option<&'a str>, html: Option<&'a str>) -> Content<'a> {
        Content {
            title,
            published_at: None,
            html,
            summary: None,
        }
    }

    #[test]
    fn ids_come_from_the_feed_then_the_link_then_the_content() {
        let link = url::Url::parse("https://example.com/changelog#v1-3").unwrap();
        let body = content(Some("1.3"), Some("<p>Fixes</p>"));
        assert_eq!(item_id(Some("tag:x,1"), Some(&link), &body), "tag:x,1");
        assert_eq!(
            item_id(None, Some(&link), &body),
            "https://example.com/changelog#v1-3"
        );
        let dated = Content {
            published_at: Some("2024-03-05T09:00:00Z"),
            ..content(Some("1.3"), None)
        };
        assert_eq!(
            item_id(None, Some(&link), &dated),
            "https://example.com/changelog#v1-3 2024-03-05T09:00:00Z"
        );
        let hashed = item_id(None, None, &body);
        assert!(hashed.starts_with("content:"), "{hashed}");
        // The same content gives the same id; different content another.
        assert_eq!(
            hashed,
            item_id(None, None, &content(Some("1.3"), Some("<p>Fixes</p>")))
        );
        assert_ne!(
            hashed,
            item_id(None, None, &content(Some("1.3"), Some("<p>More</p>")))
        );
        // Words moved from the title to the body are another item.
        assert_ne!(
            item_id(None, None, &content(Some("a b"), Some("c"))),
            item_id(None, None, &content(Some("a"), Some("b c")))
        );
        let long = "x".repeat(MAX_ID_BYTES + 1);
        assert_eq!(item_id(Some(&long), None, &body).len(), 64);
    }
}
