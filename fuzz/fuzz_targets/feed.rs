//! Feed parsing: arbitrary bytes as an RSS, Atom or JSON feed fetched from
//! a base address. Every item link must be absolute http(s), and every
//! item's content, once sanitized as a story, must pass the safety oracle.
#![no_main]

use gloss_core::extract::extract_html;
use gloss_core::feeds::parse::{looks_like_feed, parse_feed, MAX_ITEMS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(base) = url::Url::parse("https://harbour.example/feed.xml") else {
        return;
    };
    let _ = looks_like_feed(data);
    let Ok(feed) = parse_feed(data, &base) else {
        return;
    };
    assert!(feed.items.len() <= MAX_ITEMS);
    for item in &feed.items {
        if let Some(link) = &item.link {
            assert!(matches!(link.scheme(), "http" | "https"), "{link}");
        }
        if let Some(html) = &item.html {
            if let Ok(e) = extract_html(html, item.link.as_ref(), "item") {
                gloss_fuzz::assert_safe("feed item", &e.html);
            }
        }
    }
});
