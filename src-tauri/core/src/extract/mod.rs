//! Readable article, metadata and sanitized HTML from a web page, a text file
//! or a Markdown file.
//!
//! Every path ends the same way (`assemble`): sanitized HTML, the plain text
//! of that HTML ([`html_to_text`]), its word count, language, direction and
//! excerpt. The submodules each do one job:
//!
//! - `readable`: the article of a page (`dom_smoothie`, Readability.js).
//! - `density`: a second opinion, every block of the page classified by
//!   length, link density and the boxes it sits in.
//! - `prune`: boilerplate inside Readability's article, and the combination
//!   with the second opinion.
//! - `tuning`: the chosen rules and thresholds, for cross-validation.
//! - `sanitize`: URL resolution and the `ammonia` allow-list.
//! - `metadata`: dates, declared language and direction, excerpts.
//! - `nesting`: how deep a page may nest before it is parsed.
//! - `images`: lazy images, the images to download, rewriting to assets.
//! - `language`: ISO 639-1 codes, detection, right-to-left scripts.
//! - `text`: HTML to plain text and word counts.
//! - `plain_text` and `markdown`: `.txt` and `.md` files.

mod density;
mod dom;
mod images;
mod language;
mod markdown;
mod metadata;
mod names;
mod nesting;
mod plain_text;
mod prune;
mod readable;
mod sanitize;
mod text;
mod tuning;

use dom_query::Document;
use serde::Serialize;
use url::Url;

use crate::Result;

pub(crate) use dom::limit_nesting;
pub use images::{image_urls, replace_images};
pub use markdown::{extract_markdown, html_to_markdown};
pub use plain_text::extract_plain_text;
pub use text::html_to_text;
pub use tuning::{Combine, Tuning};

/// Sanitizes HTML that is already an article (Gloss's own export read
/// back) with the same allow-list as a saved page, without extracting again.
pub fn sanitize_html(html: &str) -> String {
    sanitize::sanitize(html, None)
}

/// Title of last resort, when neither the page, the caller nor a URL gives one.
const UNTITLED: &str = "Untitled";

/// Everything the reader needs from one page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extracted {
    /// Never empty: the page's title, else the caller's fallback (a file
    /// name), else the URL's host and path.
    pub title: String,
    pub byline: Option<String>,
    pub site_name: Option<String>,
    /// RFC 3339 (ISO 8601) in the page's time zone
    /// ("2024-03-05T10:00:00+01:00"; "Z" for UTC or an undeclared zone).
    pub published_at: Option<String>,
    /// ISO 639-1 ("en", "id", "ja"): declared by the page, else detected.
    pub language: Option<String>,
    /// "rtl" or "ltr" when the page says so, "rtl" for right-to-left languages.
    pub dir: Option<String>,
    /// At most about 300 characters.
    pub excerpt: Option<String>,
    /// Absolute http(s) URL of the image that represents the article.
    pub lead_image_url: Option<String>,
    /// The readable article, sanitized, URLs absolute.
    pub html: String,
    /// Plain text of `html`: one line per block, no blank lines.
    pub text: String,
    /// Words of `text`; Han and kana count one word per two characters.
    pub word_count: u32,
    /// Whether the page reads as an article. A home page or an index is
    /// still extracted (with what it has) but says `false`, so the reader
    /// can show it as a saved page rather than a story.
    pub readerable: bool,
}

/// Extracts the article of a web page.
///
/// `base_url` is the page's address (after redirects): relative links and
/// images are resolved against it (or against the page's `<base href>`).
/// Without it (a local file), relative links become plain text and relative
/// images are dropped. `fallback_title` is used when the page has no title.
///
/// When Readability finds no article (a very short page), the page's body,
/// without navigation, header and footer, is kept instead: saving a page
/// always gives something. The `Result` is the interface's, for callers that
/// treat every step of a save alike; extraction itself has no failure mode.
pub fn extract_html(html: &str, base_url: Option<&Url>, fallback_title: &str) -> Result<Extracted> {
    extract_html_tuned(html, base_url, fallback_title, &Tuning::default())
}

/// [`extract_html`] with other rules and thresholds: for the evaluation
/// (`extract_bench eval --folds`), which chooses them by cross-validation.
pub fn extract_html_tuned(
    html: &str,
    base_url: Option<&Url>,
    fallback_title: &str,
    tuning: &Tuning,
) -> Result<Extracted> {
    let html = &*dom::page_for_parsing(html);
    let doc = Document::from(html);
    let hints = metadata::page_hints(&doc);
    let base = effective_base(hints.base_href.as_deref(), base_url);
    images::promote_lazy_images(&doc);
    let blocks = if tuning.combine == Combine::Readability {
        density::Blocks::default()
    } else {
        density::classify(&doc, tuning)
    };
    let found = readable::readable(html, doc, base_url.filter(|u| sanitize::is_http(u)));
    let article = found.content.root();
    prune::prune(&article, found.byline.as_deref(), tuning, &blocks);
    sanitize::resolve_urls(&article, base.as_ref());
    let clean = sanitize::clean(&found.content.html());
    // Parsed once for its text, its first `<time>` and its first image.
    let clean_doc = text::parse_for_text(&clean);

    let published_at = found
        .published
        .as_deref()
        .and_then(metadata::normalize_date)
        .or_else(|| hints.published.first().cloned())
        .or_else(|| first_time_in(&clean, &clean_doc));
    let lead_image_url = found
        .image
        .as_deref()
        .and_then(|i| sanitize::resolve(i, base.as_ref()))
        .filter(sanitize::is_http)
        .map(String::from)
        .or_else(|| images::first_large_image(&clean_doc));

    Ok(assemble(
        Parts {
            title: metadata::clean_field(Some(&found.title)),
            byline: metadata::clean_field(found.byline.as_deref()),
            site_name: metadata::clean_field(found.site_name.as_deref()),
            published_at,
            language: hints.language,
            dir: hints.dir.or(found.dir),
            // The page's own summary; not `found.excerpt`, which falls back
            // to the first `<p>` even when that is a byline or a dateline.
            excerpt: hints.description,
            lead_image_url,
            text: Some(text::node_text(&clean_doc.root())),
            html: clean,
            not_readerable: !found.readerable,
        },
        fallback_title,
        base_url,
    ))
}

/// What a source-specific extractor found; [`assemble`] derives the rest.
#[derive(Debug, Default)]
struct Parts {
    title: Option<String>,
    byline: Option<String>,
    site_name: Option<String>,
    published_at: Option<String>,
    /// Declared language, already ISO 639-1.
    language: Option<String>,
    /// Declared direction, as written.
    dir: Option<String>,
    /// Declared excerpt (meta description), unbounded.
    excerpt: Option<String>,
    lead_image_url: Option<String>,
    /// Sanitized HTML.
    html: String,
    /// The plain text of `html`, when the source has it already; else
    /// [`assemble`] derives it.
    text: Option<String>,
    /// `false` when the page is not an article (see [`Extracted::readerable`]).
    not_readerable: bool,
}

/// Completes an [`Extracted`] from sanitized HTML and what the source said:
/// text, word count, language (detected when undeclared), direction,
/// excerpt (first paragraph when undeclared) and a title that is never empty.
fn assemble(parts: Parts, fallback_title: &str, url: Option<&Url>) -> Extracted {
    let text = parts.text.unwrap_or_else(|| html_to_text(&parts.html));
    let language = parts.language.or_else(|| language::detect(&text));
    let dir = language::direction(parts.dir.as_deref(), language.as_deref());
    let excerpt = parts
        .excerpt
        .as_deref()
        .and_then(metadata::excerpt)
        .or_else(|| first_paragraph(&text).and_then(metadata::excerpt));
    let title = parts
        .title
        .or_else(|| metadata::clean_field(Some(fallback_title)))
        .or_else(|| url.and_then(url_title))
        .unwrap_or_else(|| UNTITLED.to_string());
    Extracted {
        title,
        byline: parts.byline,
        site_name: parts.site_name,
        published_at: parts.published_at,
        language,
        dir,
        excerpt,
        lead_image_url: parts.lead_image_url,
        word_count: text::word_count(&text),
        html: parts.html,
        text,
        readerable: !parts.not_readerable,
    }
}

/// The base that relative URLs of the page resolve against: its `<base
/// href>` (`base_href`, itself resolved against the page URL) when that is
/// http(s), else the page URL.
fn effective_base(base_href: Option<&str>, page_url: Option<&Url>) -> Option<Url> {
    let declared = base_href
        .and_then(|href| sanitize::resolve(href, page_url))
        .filter(sanitize::is_http);
    declared.or_else(|| page_url.cloned())
}

/// "news.example/2024/story" for a title of last resort.
fn url_title(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    let path = url.path().trim_end_matches('/');
    Some(format!("{host}{path}"))
}

/// The first line of text that reads like a paragraph (not a dateline or a
/// caption), else the first line.
fn first_paragraph(text: &str) -> Option<&str> {
    text.lines()
        .find(|l| l.chars().count() >= 80)
        .or_else(|| text.lines().next())
}

/// The first `<time datetime>` of the article (`html`, parsed as `doc`),
/// normalised.
fn first_time_in(html: &str, doc: &Document) -> Option<String> {
    if !html.contains("<time") {
        return None;
    }
    let times = doc.select("time[datetime]");
    times.nodes().iter().find_map(|t| {
        t.attr("datetime")
            .and_then(|d| metadata::normalize_date(&d))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = r#"<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>Harbour Seals Return to the Estuary | The Coastal Times</title>
<meta property="og:title" content="Harbour Seals Return to the Estuary">
<meta property="og:site_name" content="The Coastal Times">
<meta name="author" content="Mira Jensen">
<meta property="article:published_time" content="2024-05-06T07:30:00+02:00">
<script>window.tracker = function () { document.cookie = "x"; };</script>
<style>body { background: url(https://tracker.example/bg.png) }</style>
</head>
<body>
<header class="site-header"><div class="logo">The Coastal Times</div>
  <nav class="main-nav"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
  <li><a href="/weather">Weather</a></li><li><a href="/subscribe">Subscribe today</a></li></ul></nav>
</header>
<div class="layout">
<main>
<article class="story">
  <h1>Harbour Seals Return to the Estuary</h1>
  <p class="byline">By Mira Jensen</p>
  <p>For the first time in three decades, harbour seals have been seen resting on the sandbanks of
  the estuary, surprising the volunteers who have counted wildlife along the river every spring since
  the old cannery closed and the water slowly began to clear.</p>
  <figure><img src="images/seals.jpg" alt="Seals on a sandbank" width="800" height="450"
    onerror="alert('img')"><figcaption>Seals on the northern sandbank.</figcaption></figure>
  <p>Volunteers counted fourteen animals on Saturday morning, most of them adults, and two pups
  sheltering close to the water's edge. "We had almost given up hope," said one of the counters,
  who has walked the same route along the embankment every week for more than twenty years.</p>
  <p>Biologists say the return is a sign that fish stocks in the lower river have recovered after
  years of careful management, and that the seals are likely following the salmon upstream as the
  water warms. They <a href="javascript:alert('link')">warned</a> that disturbance from boats could
  still drive the animals away, and asked visitors to keep their distance and their dogs on leads.</p>
  <script>alert('inline')</script>
  <p>The council plans to put up signs along the footpath this summer, and a local school has
  already started a project to name each of the returning seals, with a full
  <a href="/reports/seals-2024.pdf">survey report</a> due to be published in the autumn.</p>
</article>
</main>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Ferry timetable changes announced</a></li>
<li><a href="/b">Lighthouse open day draws record crowds</a></li></ul></aside>
</div>
<footer class="site-footer"><p>Copyright 2024 The Coastal Times. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>"#;

    fn page_url() -> Url {
        Url::parse("https://coastal.example/2024/05/seals.html").unwrap()
    }

    #[test]
    fn an_article_page_gives_its_article_and_metadata() {
        let e = extract_html(ARTICLE, Some(&page_url()), "fallback").unwrap();
        assert_eq!(e.title, "Harbour Seals Return to the Estuary");
        assert_eq!(e.byline.as_deref(), Some("Mira Jensen"));
        assert_eq!(e.site_name.as_deref(), Some("The Coastal Times"));
        assert_eq!(e.published_at.as_deref(), Some("2024-05-06T07:30:00+02:00"));
        assert_eq!(e.language.as_deref(), Some("en"));
        assert_eq!(e.dir, None);
        assert_eq!(
            e.lead_image_url.as_deref(),
            Some("https://coastal.example/2024/05/images/seals.jpg")
        );
        assert!(
            e.html
                .contains(r#"src="https://coastal.example/2024/05/images/seals.jpg""#),
            "{}",
            e.html
        );
        assert!(
            e.html
                .contains(r#"href="https://coastal.example/reports/seals-2024.pdf""#),
            "{}",
            e.html
        );
        for furniture in [
            "Sport",
            "Subscribe",
            "Most read",
            "Ferry",
            "Copyright",
            "Privacy",
        ] {
            assert!(
                !e.text.contains(furniture),
                "{furniture} in the text: {}",
                e.text
            );
            assert!(!e.html.contains(furniture), "{furniture} in the html");
        }
        for bad in [
            "<script",
            "alert",
            "onerror",
            "javascript",
            "tracker",
            "style",
        ] {
            assert!(!e.html.contains(bad), "{bad} in the html: {}", e.html);
        }
        assert!(
            e.text.contains("warned that disturbance"),
            "link text kept: {}",
            e.text
        );
        // Paragraphs are lines of their own.
        let lines: Vec<&str> = e.text.lines().collect();
        assert!(lines
            .iter()
            .any(|l| l.starts_with("For the first time") && l.ends_with("clear.")));
        assert!(lines.iter().any(|l| l.starts_with("Volunteers counted")));
        assert!(lines.contains(&"Seals on the northern sandbank."));
        assert_eq!(e.word_count, text::word_count(&e.text));
        assert!(e.word_count > 150, "{}", e.word_count);
        let excerpt = e.excerpt.as_deref().unwrap();
        assert!(excerpt.starts_with("For the first time"), "{excerpt}");
        assert!(excerpt.chars().count() <= metadata::EXCERPT_MAX_CHARS);
        assert_eq!(
            image_urls(&e.html),
            vec!["https://coastal.example/2024/05/images/seals.jpg"]
        );
    }

    #[test]
    fn lazy_images_reach_the_article_with_their_real_source() {
        let html = ARTICLE.replace(
            r#"<img src="images/seals.jpg""#,
            r#"<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="images/seals-lazy.jpg""#,
        );
        let e = extract_html(&html, Some(&page_url()), "").unwrap();
        assert_eq!(
            image_urls(&e.html),
            vec!["https://coastal.example/2024/05/images/seals-lazy.jpg"]
        );
        assert!(!e.html.contains("data:"), "{}", e.html);
    }

    #[test]
    fn without_a_url_relative_images_and_links_are_dropped() {
        let e = extract_html(ARTICLE, None, "seals.html").unwrap();
        assert!(!e.html.contains("images/seals.jpg"), "{}", e.html);
        assert!(
            e.html.contains(r#"alt="Seals on a sandbank""#),
            "{}",
            e.html
        );
        assert!(!e.html.contains("href"), "{}", e.html);
        assert!(e.text.contains("survey report"), "{}", e.text);
        assert_eq!(image_urls(&e.html), Vec::<String>::new());
        assert_eq!(e.lead_image_url, None);
    }

    #[test]
    fn base_href_is_honoured() {
        let html = ARTICLE.replace(
            "<meta charset=\"utf-8\">",
            "<meta charset=\"utf-8\"><base href=\"https://cdn.coastal.example/static/\">",
        );
        let e = extract_html(&html, Some(&page_url()), "").unwrap();
        assert_eq!(
            image_urls(&e.html),
            vec!["https://cdn.coastal.example/static/images/seals.jpg"]
        );
    }

    #[test]
    fn xss_vectors_in_a_page_are_stripped() {
        let body = "<p>Readable text that is long enough to be an article paragraph, with several \
            clauses, commas, and words so that Readability scores it as content, not chrome.</p>";
        let vectors = [
            r#"<img src=x onerror=alert(1)>"#,
            r#"<svg onload=alert(1)><script>alert(1)</script></svg>"#,
            r#"<a href="javascript:alert(1)">x</a>"#,
            r#"<a href="JaVaScRiPt&colon;alert(1)">x</a>"#,
            r#"<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>"#,
            r#"<iframe src="javascript:alert(1)"></iframe>"#,
            r#"<iframe srcdoc="<script>alert(1)</script>"></iframe>"#,
            r#"<object data="data:text/html,<script>alert(1)</script>"></object>"#,
            r#"<embed src="data:image/svg+xml,<svg onload=alert(1)>">"#,
            r#"<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>"#,
            r#"<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>"#,
            r#"<div style="background:url(javascript:alert(1))">x</div>"#,
            r#"<p onmouseover="alert(1)">x</p>"#,
            r#"<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">"#,
            r#"<a href="vbscript:msgbox(1)">x</a>"#,
            r#"<details open ontoggle=alert(1)>x</details>"#,
            r#"<noscript><p title="</noscript><img src=x onerror=alert(1)>">"#,
            r#"<meta http-equiv="refresh" content="0;url=javascript:alert(1)">"#,
            r#"<base href="javascript:alert(1)//">"#,
            r#"<link rel="import" href="data:text/html,<script>alert(1)</script>">"#,
            r#"<template><script>alert(1)</script></template>"#,
            r#"<video><source onerror="alert(1)"></video>"#,
        ];
        for v in vectors {
            let page = format!("<html><body><article>{body}{v}{body}</article></body></html>");
            let e = extract_html(&page, Some(&page_url()), "").unwrap();
            let lower = e.html.to_ascii_lowercase();
            for bad in [
                "alert", "script", "data:", "<iframe", "<object", "<embed", "<svg", "<math",
                "<form", "style=", " on",
            ] {
                assert!(!lower.contains(bad), "{v}: {bad} survived in {}", e.html);
            }
        }
    }

    #[test]
    fn right_to_left_pages_say_so() {
        let p = "<p>قال مسؤولون في وزارة الزراعة إن موسم الحصاد هذا العام كان أفضل من المتوقع، \
                 بعد أمطار غزيرة في الربيع ساعدت المزارعين في المناطق الشمالية على زيادة إنتاج القمح \
                 والشعير، وأضافوا أن الأسعار في الأسواق المحلية قد تنخفض خلال الأشهر المقبلة.</p>";
        let declared = format!("<html lang=\"ar\" dir=\"rtl\"><head><title>الحصاد</title></head><body><article>{p}{p}{p}</article></body></html>");
        let e = extract_html(&declared, None, "").unwrap();
        assert_eq!(e.language.as_deref(), Some("ar"));
        assert_eq!(e.dir.as_deref(), Some("rtl"));
        // Undeclared: the language is detected and its direction follows.
        let undeclared = format!("<html><head><title>الحصاد</title></head><body><article>{p}{p}{p}</article></body></html>");
        let e = extract_html(&undeclared, None, "").unwrap();
        assert_eq!(e.language.as_deref(), Some("ar"));
        assert_eq!(e.dir.as_deref(), Some("rtl"));
        assert_eq!(e.title, "الحصاد");
    }

    #[test]
    fn text_is_taken_as_given_whatever_charset_the_page_declared() {
        // The fetcher decodes bytes; extraction must not re-interpret the
        // already-decoded text because of a stale <meta charset>.
        let p = "<p>Ærøskøbing’s café served crème brûlée — naïve façade, Straße, Zürich, \
                 日本語のテキスト, and ÅÄÖ letters in a paragraph long enough to be kept as content.</p>";
        let html = format!("<html><head><meta charset=\"iso-8859-1\"><title>Café</title></head><body><article>{p}{p}</article></body></html>");
        let e = extract_html(&html, None, "").unwrap();
        assert_eq!(e.title, "Café");
        assert!(e.text.contains("Ærøskøbing’s café served crème brûlée — naïve façade, Straße, Zürich, 日本語のテキスト"), "{}", e.text);
    }

    #[test]
    fn titles_fall_back_to_the_caller_then_the_url() {
        let html = "<html><body><p>No title anywhere on this page.</p></body></html>";
        let url = Url::parse("https://site.example/notes/today/").unwrap();
        assert_eq!(
            extract_html(html, Some(&url), "My file.html")
                .unwrap()
                .title,
            "My file.html"
        );
        assert_eq!(
            extract_html(html, Some(&url), "  ").unwrap().title,
            "site.example/notes/today"
        );
        assert_eq!(extract_html("", None, "").unwrap().title, UNTITLED);
    }

    #[test]
    fn an_empty_page_gives_an_empty_article_not_an_error() {
        let e = extract_html("", None, "empty").unwrap();
        assert_eq!(e.text, "");
        assert_eq!(e.word_count, 0);
        assert_eq!(e.excerpt, None);
    }

    #[test]
    fn extracted_serializes_with_the_documented_keys() {
        let e = extract_plain_text("T\n\nBody.", "t.txt");
        let json = serde_json::to_value(&e).unwrap();
        for key in [
            "title",
            "byline",
            "site_name",
            "published_at",
            "language",
            "dir",
            "excerpt",
            "lead_image_url",
            "html",
            "text",
            "word_count",
            "readerable",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
    }

    /// Runs extraction over the development corpus in `../shared/corpus`
    /// (read in place: the pages belong to their publishers).
    #[test]
    fn the_corpus_extracts_without_errors() {
        let shared =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
        if !shared.is_dir() {
            eprintln!("note: {} is absent; corpus test skipped", shared.display());
            return;
        }
        let mut pages = Vec::new();
        for entry in std::fs::read_dir(shared.join("mozilla")).unwrap() {
            pages.push(entry.unwrap().path().join("source.html"));
        }
        for entry in std::fs::read_dir(shared.join("scrapinghub/html")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                pages.push(path);
            }
        }
        pages.sort();
        assert!(pages.len() > 150, "{} pages", pages.len());
        let mut times = Vec::new();
        let mut with_text = 0;
        for page in &pages {
            let bytes = std::fs::read(page).unwrap();
            let html = String::from_utf8_lossy(&bytes);
            let url = Url::parse("https://corpus.example/article/page.html").unwrap();
            let started = std::time::Instant::now();
            let e = extract_html(&html, Some(&url), "fallback")
                .unwrap_or_else(|err| panic!("{}: {err}", page.display()));
            times.push(started.elapsed());
            assert!(!e.title.trim().is_empty(), "{}", page.display());
            assert!(
                !e.html.to_ascii_lowercase().contains("<script"),
                "{}",
                page.display()
            );
            assert!(!e.text.contains("\n\n"), "{}", page.display());
            if e.text.chars().count() > 200 {
                with_text += 1;
            }
        }
        assert!(
            with_text * 100 >= pages.len() * 95,
            "only {with_text} of {} pages gave text",
            pages.len()
        );
        times.sort();
        let median = times[times.len() / 2];
        let max = times[times.len() - 1];
        eprintln!(
            "corpus: {} pages, {with_text} with text, median {median:?}, max {max:?} per page \
             (build profile: {})",
            pages.len(),
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
        );
    }
}
