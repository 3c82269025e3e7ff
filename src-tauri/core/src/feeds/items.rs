//! From feed items to stories.
//!
//! A feed's own content goes through the same extraction and sanitizer as
//! a saved page (with the item's link as base URL, so relative links and
//! images resolve), and its images are stored like a saved story's. With
//! "full text" on, the linked page is fetched and extracted as if it had
//! been saved by hand; when that fails, the feed's content is kept instead,
//! so the item is never lost.

use url::Url;

use super::parse::FeedItem;
use super::politeness::HostLimits;
use crate::extract::{self, Extracted};
use crate::fetch::{Fetcher, PageKind};
pub use crate::library::NewFeedItem;
use crate::library::{sha256_hex, NewStory};
use crate::save::{self, SaveOptions};
use crate::urls;

/// What items are turned into stories with.
#[derive(Debug, Clone)]
pub(crate) struct ItemContext {
    pub feed_id: i64,
    pub feed_url: Url,
    /// Shown as the story's site when the item names none.
    pub feed_title: String,
    pub site_url: Option<String>,
    pub full_text: bool,
    pub images: bool,
}

/// An item's extraction from the feed's content (CPU only).
pub(crate) struct ExtractedItem {
    item: FeedItem,
    extracted: Extracted,
    url: String,
    url_key: String,
    item_key: String,
}

/// Extracts each item's own content. Runs on a blocking thread: it is the
/// CPU-heavy part of a refresh.
pub(crate) fn extract_items(items: Vec<FeedItem>, ctx: &ItemContext) -> Vec<ExtractedItem> {
    items
        .into_iter()
        .map(|item| {
            let (url, url_key, item_key) = addresses(&item, ctx);
            let title = item.title.clone().unwrap_or_else(|| "Untitled".to_string());
            let html = item.html.as_deref().unwrap_or("");
            let mut extracted = extract::extract_html(html, item.link.as_ref(), &title)
                .unwrap_or_else(|_| extract::extract_plain_text(&title, &title));
            // An item's content is the story as its feed tells it, however
            // short: Readability's page test does not apply to it.
            extracted.readerable = true;
            ExtractedItem {
                item,
                extracted,
                url,
                url_key,
                item_key,
            }
        })
        .collect()
}

/// The story of one extracted item: the linked page in full-text mode (when
/// it can be fetched), else the feed's content, images stored either way
/// unless images are off.
pub(crate) async fn story_of(
    fetcher: &Fetcher,
    limits: &HostLimits,
    ctx: &ItemContext,
    item: ExtractedItem,
) -> NewFeedItem {
    let options = SaveOptions {
        skip_images: !ctx.images,
        feed_id: Some(ctx.feed_id),
        ..Default::default()
    };
    let ExtractedItem {
        item,
        extracted,
        url,
        url_key,
        item_key,
    } = item;
    let mut story = None;
    if ctx.full_text {
        if let Some(link) = &item.link {
            let permits = limits.acquire(link).await;
            let page = full_page(fetcher, link, item.title.as_deref(), &options).await;
            drop(permits);
            story = page.ok();
        }
    }
    let from_page = story.is_some();
    let mut story = match story {
        Some(story) => story,
        None => {
            save::story_from_extracted(fetcher, extracted, url, url_key, &options, &quiet).await
        }
    };
    // The feed knows its own item best: its title, author and date win over
    // what extraction guessed from a fragment; a full page keeps its own title.
    if !from_page {
        if let Some(title) = &item.title {
            story.title = title.clone();
        }
        if item.summary.is_some() {
            story.excerpt = item.summary.clone().map(|s| truncate(&s, 300));
        }
    }
    if item.author.is_some() {
        story.byline = item.author.clone();
    }
    if item.published_at.is_some() {
        story.published_at = item.published_at.clone();
    }
    if story.site.is_none() {
        story.site = Some(ctx.feed_title.clone());
    }
    story.feed_id = Some(ctx.feed_id);
    NewFeedItem {
        guid: item.guid,
        former_guid: item.former_guid,
        item_key,
        story,
    }
}

/// The item's linked page, fetched and extracted as a saved page is; the
/// item's title stands in for a page that has none (rather than the
/// page's address, which a saved page gets).
async fn full_page(
    fetcher: &Fetcher,
    link: &Url,
    item_title: Option<&str>,
    options: &SaveOptions,
) -> crate::Result<NewStory> {
    let page = fetcher.fetch_page(link).await?;
    let extracted = match item_title {
        Some(title) => match page.kind {
            PageKind::Html => extract::extract_html(&page.body, Some(&page.final_url), title)?,
            PageKind::Text => extract::extract_plain_text(&page.body, title),
        },
        None => save::extract_page(&page)?,
    };
    let url = urls::clean(&page.final_url).to_string();
    let key = urls::normalize(&page.final_url);
    Ok(save::story_from_extracted(fetcher, extracted, url, key, options, &quiet).await)
}

/// The address shown, the de-duplication key, and the item's own key. The
/// own key is made from the feed and the item's id (a fragment no
/// normalised URL has); it is the story's key when the item has no link,
/// and when another item of the feed already has its link (the library
/// decides that). An item with no link opens the site's (or feed's) address.
fn addresses(item: &FeedItem, ctx: &ItemContext) -> (String, String, String) {
    let hash = sha256_hex(item.guid.as_bytes());
    let item_key = format!(
        "{}#gloss-item-{}",
        urls::normalize(&ctx.feed_url),
        &hash[..32]
    );
    match &item.link {
        Some(link) => (
            urls::clean(link).to_string(),
            urls::normalize(link),
            item_key,
        ),
        None => {
            let shown = ctx
                .site_url
                .clone()
                .unwrap_or_else(|| ctx.feed_url.to_string());
            (shown, item_key.clone(), item_key)
        }
    }
}

/// Progress of an item's story: nobody watches it (the refresh reports per feed).
fn quiet(_: crate::model::SaveStage, _: u32, _: u32) {}

fn truncate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max_chars).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ItemContext {
        ItemContext {
            feed_id: 1,
            feed_url: Url::parse("http://127.0.0.1:9/feed.xml").unwrap(),
            feed_title: "Feed".into(),
            site_url: None,
            full_text: false,
            images: false,
        }
    }

    #[test]
    fn content_is_sanitized_with_links_resolved_against_the_item() {
        let item = FeedItem {
            guid: "g".into(),
            former_guid: None,
            has_own_id: true,
            link: Some(Url::parse("http://127.0.0.1:9/posts/1").unwrap()),
            title: Some("T".into()),
            author: None,
            published_at: None,
            html: Some(
                r#"<p>Read <a href="../about">this</a> and the rest of the long paragraph here.</p><script>alert(1)</script><p onclick="x()">More</p>"#
                    .into(),
            ),
            summary: None,
        };
        let out = extract_items(vec![item], &ctx());
        let html = &out[0].extracted.html;
        assert!(html.contains("http://127.0.0.1:9/about"), "{html}");
        assert!(
            !html.contains("script") && !html.contains("onclick"),
            "{html}"
        );
        assert_eq!(out[0].url_key, "http://127.0.0.1:9/posts/1");
    }

    #[test]
    fn items_without_links_get_keys_of_their_own() {
        let item = |guid: &str| FeedItem {
            guid: guid.into(),
            former_guid: None,
            has_own_id: true,
            link: None,
            title: None,
            author: None,
            published_at: None,
            html: None,
            summary: None,
        };
        let (url_a, key_a, own_a) = addresses(&item("a"), &ctx());
        let (_, key_b, _) = addresses(&item("b"), &ctx());
        assert_eq!(key_a, own_a);
        assert_eq!(url_a, "http://127.0.0.1:9/feed.xml");
        assert_ne!(key_a, key_b);
        assert!(key_a.starts_with("http://127.0.0.1:9/feed.xml#gloss-item-"));
    }
}
