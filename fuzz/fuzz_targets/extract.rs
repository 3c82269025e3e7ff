//! Extraction: arbitrary bytes as a fetched page (charset detection, then
//! Readability, pruning and the sanitizer), as a Markdown file and as a
//! text file. Beyond not crashing, every result must pass the safety
//! oracle: the stored HTML, parsed again, holds nothing active.
#![no_main]

use gloss_core::extract::{extract_html, extract_markdown, extract_plain_text, sanitize_html};
use gloss_core::fetch::decode_html;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let base = url::Url::parse("https://news.example/2024/story.html").ok();
    match mode % 4 {
        0 => {
            let html = decode_html(rest, None);
            if let Ok(e) = extract_html(&html, base.as_ref(), "fallback") {
                gloss_fuzz::assert_safe("page", &e.html);
                assert!(!e.title.is_empty());
            }
        }
        1 => {
            let html = String::from_utf8_lossy(rest);
            gloss_fuzz::assert_safe("fragment", &sanitize_html(&html));
        }
        2 => {
            let md = String::from_utf8_lossy(rest);
            gloss_fuzz::assert_safe("markdown", &extract_markdown(&md, "fallback").html);
        }
        _ => {
            let text = String::from_utf8_lossy(rest);
            gloss_fuzz::assert_safe("text", &extract_plain_text(&text, "fallback").html);
        }
    }
});
