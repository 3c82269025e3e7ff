//! Finding the feed behind what a person typed: a feed's address, or a
//! site's home page that names its feeds with `<link rel="alternate">`, or a
//! site that has one at a usual path (`/feed`, `/rss.xml`, ...).
//!
//! Also finds the feed's icon (the feed's own, else the page's
//! `<link rel="icon">`, else `/favicon.ico`) and downloads it, so the sidebar
//! shows it with no network.

use dom_query::Document;
use url::Url;

use super::parse::{looks_like_feed, parse_feed_typed, resolve, ParsedFeed};
use crate::fetch::{self, FeedBody, FeedResponse, Fetcher, Validators};
use crate::library::{sha256_hex, NewAsset};
use crate::{urls, Error, Result};

/// Feed types a page may link to.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/rdf+xml",
    "application/json",
];

/// Paths tried on the site when its page names no feed, in this order.
pub const COMMON_PATHS: &[&str] = &["/feed", "/rss.xml", "/atom.xml", "/index.xml", "/feed.xml"];

/// Candidates fetched at most, so a page with dozens of feed links cannot
/// turn one subscription into dozens of requests.
const MAX_CANDIDATES: usize = 8;

/// A feed found, with the response it came in (its items are stored from
/// it, so subscribing costs no second request).
#[derive(Debug, Clone)]
pub struct Discovered {
    /// The feed's address after discovery and redirects.
    pub url: Url,
    pub title: String,
    pub site_url: Option<Url>,
    pub icon_url: Option<Url>,
    pub icon: Option<NewAsset>,
    pub body: FeedBody,
    pub parsed: ParsedFeed,
}

/// Finds the feed for `input` (a feed or a page address) and its icon.
pub async fn discover(fetcher: &Fetcher, input: &str) -> Result<Discovered> {
    let url = urls::parse_web_url(input)?;
    let first = fetch_body(fetcher, &url).await?;
    let mut page_icon = None;
    let is_feed = looks_like_feed(&first.bytes) && !is_html_page(&first.bytes);
    let found = if is_feed {
        let parsed = parse_feed_typed(
            &first.bytes,
            first.content_type.as_deref(),
            &first.final_url,
        )?;
        (first, parsed)
    } else if first.is_html() || is_html_page(&first.bytes) || fetch::looks_like_html(&first.bytes)
    {
        let html = fetch::decode_html(&first.bytes, first.content_type.as_deref());
        page_icon = icon_link(&html, &first.final_url);
        let mut candidates = feed_links(&html, &first.final_url);
        for path in COMMON_PATHS {
            if let Ok(u) = first.final_url.join(path) {
                candidates.push(u);
            }
        }
        let mut found = None;
        for candidate in dedup(candidates).into_iter().take(MAX_CANDIDATES) {
            let Ok(body) = fetch_body(fetcher, &candidate).await else {
                continue;
            };
            if !looks_like_feed(&body.bytes) || is_html_page(&body.bytes) {
                continue;
            }
            if let Ok(parsed) =
                parse_feed_typed(&body.bytes, body.content_type.as_deref(), &body.final_url)
            {
                found = Some((body, parsed));
                break;
            }
        }
        found.ok_or_else(|| {
            Error::NotFound(format!(
                "found no feed at {url}: the page links to none and the site has none at {}; give the feed's own address",
                COMMON_PATHS.join(", ")
            ))
        })?
    } else {
        // Neither a page nor recognisably a feed: the parser says why.
        let parsed = parse_feed_typed(
            &first.bytes,
            first.content_type.as_deref(),
            &first.final_url,
        )?;
        (first, parsed)
    };
    let (body, parsed) = found;
    let feed_url = body.final_url.clone();
    let title = parsed
        .title
        .clone()
        .unwrap_or_else(|| feed_url.host_str().unwrap_or("Feed").to_string());
    let site_url = parsed.site_url.clone();
    let icon_url = parsed.icon_url.clone().or(page_icon).or_else(|| {
        site_url
            .as_ref()
            .unwrap_or(&feed_url)
            .join("/favicon.ico")
            .ok()
    });
    let icon = match &icon_url {
        Some(u) => fetch_icon(fetcher, u).await,
        None => None,
    };
    Ok(Discovered {
        url: feed_url,
        title,
        site_url,
        icon_url,
        icon,
        body,
        parsed,
    })
}

/// Downloads an icon; a missing or broken icon is no reason to refuse a feed.
pub async fn fetch_icon(fetcher: &Fetcher, url: &Url) -> Option<NewAsset> {
    let image = fetcher.fetch_image(url).await.ok()?;
    Some(NewAsset {
        sha256: sha256_hex(&image.bytes),
        mime: image.mime.to_string(),
        bytes: image.bytes,
        source_url: url.to_string(),
    })
}

async fn fetch_body(fetcher: &Fetcher, url: &Url) -> Result<FeedBody> {
    match fetcher.fetch_feed(url, &Validators::default()).await {
        Ok(FeedResponse::Body(body)) => Ok(body),
        Ok(FeedResponse::NotModified(_)) => Err(Error::Network(format!(
            "{url} answered 304 Not Modified to a request without validators; try again later"
        ))),
        Err(e) => Err(e.error),
    }
}

/// The feeds a page names with `<link rel="alternate" type="…">`, in page order.
pub fn feed_links(html: &str, base: &Url) -> Vec<Url> {
    let doc = Document::from(crate::extract::limit_nesting(html).as_ref());
    let mut out = Vec::new();
    for link in doc.select("link[href]").nodes() {
        let rel = link.attr("rel").unwrap_or_default().to_ascii_lowercase();
        if !rel.split_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let kind = link.attr("type").unwrap_or_default().to_ascii_lowercase();
        let kind = kind.split(';').next().unwrap_or("").trim();
        if !FEED_TYPES.contains(&kind) {
            continue;
        }
        if let Some(u) = link.attr("href").and_then(|h| resolve(&h, base)) {
            out.push(u);
        }
    }
    out
}

/// The page's icon: `<link rel="icon">` (or `shortcut icon`, `apple-touch-icon`).
pub fn icon_link(html: &str, base: &Url) -> Option<Url> {
    let doc = Document::from(crate::extract::limit_nesting(html).as_ref());
    let mut best: Option<(u8, Url)> = None;
    for link in doc.select("link[href]").nodes() {
        let rel = link.attr("rel").unwrap_or_default().to_ascii_lowercase();
        let rank = match rel.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["icon"] | ["shortcut", "icon"] => 2,
            r if r.contains(&"apple-touch-icon") => 1,
            _ => continue,
        };
        if link
            .attr("type")
            .is_some_and(|t| t.to_ascii_lowercase().contains("svg"))
        {
            continue;
        }
        if let Some(u) = link.attr("href").and_then(|h| resolve(&h, base)) {
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                best = Some((rank, u));
            }
        }
    }
    best.map(|(_, u)| u)
}

/// An HTML document (its doctype or root element near the start), whatever
/// the server called it; feeds that begin with a comment are not mistaken for one.
fn is_html_page(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    head.contains("<!doctype html") || head.contains("<html")
}

fn dedup(urls: Vec<Url>) -> Vec<Url> {
    let mut seen = std::collections::HashSet::new();
    urls.into_iter()
        .filter(|u| seen.insert(u.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_and_icon_links_are_found_and_resolved() {
        let base = Url::parse("http://127.0.0.1:9/news/").unwrap();
        let html = r#"<html><head>
            <link rel="stylesheet" href="/s.css">
            <link rel="alternate" type="application/atom+xml" href="atom.xml">
            <link rel="Alternate" type="application/rss+xml; charset=utf-8" href="/rss">
            <link rel="alternate" type="text/html" href="/fr/">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            <link rel="apple-touch-icon" href="/touch.png">
            <link rel="shortcut icon" href="/favicon.png">
            </head><body></body></html>"#;
        let links: Vec<String> = feed_links(html, &base).iter().map(Url::to_string).collect();
        assert_eq!(
            links,
            ["http://127.0.0.1:9/news/atom.xml", "http://127.0.0.1:9/rss"]
        );
        assert_eq!(
            icon_link(html, &base).unwrap().as_str(),
            "http://127.0.0.1:9/favicon.png"
        );
    }
}
