//! Images of an article: lazy-loading markup undone before extraction, the
//! list of images to download, and the rewrite to stored assets after.

use std::collections::{HashMap, HashSet};

use dom_query::{Document, NodeRef};
use url::Url;

use super::dom::{fragment_html, parse_fragment};
use super::sanitize::{is_http, resolve};

/// Attributes where lazy-loading scripts keep the real image URL.
const LAZY_SRC_ATTRIBUTES: &[&str] = &[
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
];

/// Attributes where lazy-loading scripts keep the real `srcset`.
const LAZY_SRCSET_ATTRIBUTES: &[&str] = &["data-srcset", "data-lazy-srcset"];

/// Words in a `src` that mark a placeholder shown until a script swaps in the
/// real image.
const PLACEHOLDER_HINTS: &[&str] = &[
    "placeholder",
    "blank.",
    "spacer",
    "transparent",
    "lazy",
    "1x1",
    "pixel.",
];

/// Images smaller than this (in either declared dimension) are icons,
/// avatars or tracking pixels, never the lead image.
const MIN_LEAD_IMAGE_SIDE: u32 = 100;

/// True when `src` is missing, an inline `data:` URI, or a known placeholder.
fn is_placeholder(src: Option<&str>) -> bool {
    let Some(src) = src.map(str::trim).filter(|s| !s.is_empty()) else {
        return true;
    };
    let lower = src.to_ascii_lowercase();
    lower.starts_with("data:") || PLACEHOLDER_HINTS.iter().any(|h| lower.contains(h))
}

/// The best candidate of a `srcset`: the widest (`w`) or densest (`x`)
/// descriptor, else the last one listed.
pub(crate) fn best_srcset_candidate(srcset: &str) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for (url, descriptor) in srcset_candidates(srcset) {
        if url.to_ascii_lowercase().starts_with("data:") {
            continue;
        }
        let score = descriptor
            .strip_suffix(['w', 'x'])
            .and_then(|n| n.trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        if best.is_none_or(|(s, _)| score >= s) {
            best = Some((score, url));
        }
    }
    best.map(|(_, url)| url.to_string())
}

/// Splits a `srcset` into `(url, descriptor)` pairs the way the HTML spec
/// does: a URL runs to whitespace (so commas inside URLs, as image CDNs use,
/// survive), a trailing comma ends a candidate without descriptor, otherwise
/// the descriptor runs to the next comma.
fn srcset_candidates(srcset: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            break;
        }
        let (url, tail) = rest
            .split_once(|c: char| c.is_ascii_whitespace())
            .unwrap_or((rest, ""));
        if let Some(url) = url.strip_suffix(',') {
            out.push((url, ""));
            rest = tail;
        } else {
            let (descriptor, tail) = tail.split_once(',').unwrap_or((tail, ""));
            out.push((url, descriptor.trim()));
            rest = tail;
        }
    }
    out
}

/// Moves the real URL of lazily loaded images into `src`, so extraction keeps
/// them and sanitizing (which keeps only `src`) does not lose them.
pub(crate) fn promote_lazy_images(doc: &Document) {
    for img in doc.select("img").nodes() {
        let src = img.attr("src");
        if !is_placeholder(src.as_deref()) {
            continue;
        }
        if let Some(real) = lazy_source(img) {
            img.set_attr("src", &real);
        }
    }
}

/// The real URL of a lazily loaded `img`: a `data-*` attribute, else its
/// own or its `<picture>`'s `srcset`.
fn lazy_source(img: &NodeRef) -> Option<String> {
    let direct = LAZY_SRC_ATTRIBUTES
        .iter()
        .filter_map(|a| img.attr(a))
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty() && !v.to_ascii_lowercase().starts_with("data:"));
    if direct.is_some() {
        return direct;
    }
    let own_srcset = LAZY_SRCSET_ATTRIBUTES
        .iter()
        .chain(["srcset"].iter())
        .filter_map(|a| img.attr(a))
        .find_map(|v| best_srcset_candidate(&v));
    if own_srcset.is_some() {
        return own_srcset;
    }
    let picture = img.parent().filter(|p| p.has_name("picture"))?;
    picture
        .children_it(false)
        .filter(|c| c.has_name("source"))
        .flat_map(|s| {
            LAZY_SRCSET_ATTRIBUTES
                .iter()
                .chain(["srcset"].iter())
                .filter_map(move |a| s.attr(a))
        })
        .find_map(|v| best_srcset_candidate(&v))
}

/// Absolute http(s) sources of the `<img>` elements of sanitized HTML, in
/// document order, each once: the images the save pipeline downloads.
pub fn image_urls(sanitized_html: &str) -> Vec<String> {
    let doc = parse_fragment(sanitized_html);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for img in doc.select("img[src]").nodes() {
        let Some(src) = img.attr("src") else { continue };
        let Ok(url) = Url::parse(src.trim()) else {
            continue;
        };
        if is_http(&url) && seen.insert(url.to_string()) {
            out.push(url.to_string());
        }
    }
    out
}

/// Points every `<img>` at its stored copy, so a saved article loads nothing
/// remote. `stored` maps a source (as given by [`image_urls`]) to the asset
/// URL it was saved as, or to `None` when the download failed. An image that
/// was not stored, or whose source is not in the map, is replaced by its alt
/// text (escaped, as a text node) or removed when it has none.
pub fn replace_images(sanitized_html: &str, stored: &HashMap<String, Option<String>>) -> String {
    let doc = parse_fragment(sanitized_html);
    for img in doc.select("img").nodes() {
        let asset = img.attr("src").and_then(|src| {
            let key = Url::parse(src.trim())
                .map(|u| u.to_string())
                .unwrap_or_else(|_| src.to_string());
            stored.get(&key).cloned().flatten()
        });
        match asset {
            Some(asset) => {
                img.set_attr("src", &asset);
                img.remove_attrs(&["srcset", "sizes"]);
            }
            None => {
                let alt = img
                    .attr("alt")
                    .map(|a| a.trim().to_string())
                    .unwrap_or_default();
                if alt.is_empty() {
                    img.remove_from_parent();
                } else {
                    let text = doc.tree.new_text(alt);
                    img.replace_with(&text);
                }
            }
        }
    }
    // Nothing else may point at a remote image either.
    doc.select("source").remove();
    fragment_html(&doc)
}

/// The first image of a sanitized article (parsed) that is not declared
/// small: the lead image when the page's metadata names none.
pub(crate) fn first_large_image(doc: &Document) -> Option<String> {
    let is_small = |img: &NodeRef, attr: &str| {
        img.attr(attr)
            .and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
            .is_some_and(|v| v < MIN_LEAD_IMAGE_SIDE)
    };
    doc.select("img[src]")
        .nodes()
        .iter()
        .filter(|img| !is_small(img, "width") && !is_small(img, "height"))
        .find_map(|img| {
            let src = img.attr("src")?;
            resolve(&src, None).filter(is_http).map(|u| u.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lazy_images_get_their_real_source() {
        let doc = Document::from(
            r#"<body>
            <img id="a" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/real-a.jpg">
            <img id="b" data-lazy-src="https://cdn.example/b.jpg">
            <img id="c" src="/img/placeholder.png" data-original="/c.jpg">
            <img id="d" data-srcset="/d-400.jpg 400w, /d-800.jpg 800w">
            <picture><source srcset="/e-1x.webp 1x, /e-2x.webp 2x"><img id="e"></picture>
            <img id="f" src="/kept.jpg" data-src="/other.jpg">
            </body>"#,
        );
        promote_lazy_images(&doc);
        let src = |id: &str| {
            doc.select(&format!("#{id}"))
                .attr("src")
                .map(|s| s.to_string())
        };
        assert_eq!(src("a").as_deref(), Some("/real-a.jpg"));
        assert_eq!(src("b").as_deref(), Some("https://cdn.example/b.jpg"));
        assert_eq!(src("c").as_deref(), Some("/c.jpg"));
        assert_eq!(src("d").as_deref(), Some("/d-800.jpg"));
        assert_eq!(src("e").as_deref(), Some("/e-2x.webp"));
        assert_eq!(src("f").as_deref(), Some("/kept.jpg"));
    }

    #[test]
    fn srcset_best_candidate_is_the_widest() {
        assert_eq!(
            best_srcset_candidate("a.jpg 320w, b.jpg 1024w, c.jpg 640w").as_deref(),
            Some("b.jpg")
        );
        assert_eq!(
            best_srcset_candidate("a.jpg, b.jpg 2x").as_deref(),
            Some("b.jpg")
        );
        assert_eq!(
            best_srcset_candidate("only.jpg").as_deref(),
            Some("only.jpg")
        );
        assert_eq!(
            best_srcset_candidate(
                "https://c.example/w_300,h_200/a.jpg 300w,https://c.example/w_900,h_600/a.jpg 900w"
            )
            .as_deref(),
            Some("https://c.example/w_900,h_600/a.jpg")
        );
        assert_eq!(
            best_srcset_candidate("a.jpg, b.jpg,").as_deref(),
            Some("b.jpg")
        );
        assert_eq!(best_srcset_candidate(""), None);
    }

    #[test]
    fn image_urls_are_absolute_ordered_and_unique() {
        let html = r#"<p><img src="https://a.example/1.jpg"><img alt="no src">
            <img src="https://a.example/2.png?x=1&amp;y=2"><img src="https://a.example/1.jpg">
            <img src="relative.jpg"><img src="http://b.example/3.gif"></p>"#;
        assert_eq!(
            image_urls(html),
            vec![
                "https://a.example/1.jpg".to_string(),
                "https://a.example/2.png?x=1&y=2".to_string(),
                "http://b.example/3.gif".to_string(),
            ]
        );
    }

    #[test]
    fn replace_images_points_at_assets_and_never_keeps_remote_urls() {
        let html = r#"<p>A<img src="https://a.example/1.jpg" srcset="https://a.example/1-2x.jpg 2x" sizes="1px" alt="one">B<img src="https://a.example/2.jpg" alt="Fish &amp; &lt;chips&gt;">C<img src="https://a.example/3.jpg">D<img src="https://a.example/unknown.jpg" alt="four">E<img alt="no src"></p>"#;
        let stored = HashMap::from([
            (
                "https://a.example/1.jpg".to_string(),
                Some("gloss-asset://localhost/abc".to_string()),
            ),
            ("https://a.example/2.jpg".to_string(), None),
            ("https://a.example/3.jpg".to_string(), None),
        ]);
        let out = replace_images(html, &stored);
        assert_eq!(
            out,
            r#"<p>A<img src="gloss-asset://localhost/abc" alt="one">BFish &amp; &lt;chips&gt;CDfourEno src</p>"#
        );
        assert!(!out.contains("a.example"));
    }

    #[test]
    fn replace_images_round_trips_urls_with_entities() {
        let html = r#"<img src="https://a.example/i?x=1&amp;y=2" alt="q">"#;
        let urls = image_urls(html);
        let stored = HashMap::from([(urls[0].clone(), Some("asset:1".to_string()))]);
        assert_eq!(
            replace_images(html, &stored),
            r#"<img src="asset:1" alt="q">"#
        );
    }

    #[test]
    fn lead_image_skips_small_images() {
        let html = r#"<img src="https://a.example/icon.png" width="16" height="16">
            <img src="https://a.example/avatar.png" width="48">
            <img src="https://a.example/photo.jpg" width="800" height="450">"#;
        assert_eq!(
            first_large_image(&parse_fragment(html)).as_deref(),
            Some("https://a.example/photo.jpg")
        );
        assert_eq!(first_large_image(&parse_fragment("<p>none</p>")), None);
    }
}
