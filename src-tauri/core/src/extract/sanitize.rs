//! Making article HTML safe to store and show: URLs resolved, then an
//! `ammonia` allow-list (DESIGN.md, "Security model", layer 1).
//!
//! URLs are resolved in a DOM pass *before* ammonia, because ammonia's
//! attribute filter sees relative URLs before it rewrites them, and because
//! what to do with a URL that cannot be made absolute differs by element: a
//! link becomes its plain text, an image loses its `src` (and is later
//! replaced by its alt text). After the pass every kept URL is absolute, so
//! ammonia is told to deny relative ones as a second line of defence.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use dom_query::{NodeRef, Selection};
use url::Url;

use super::dom::{
    fragment_container, fragment_html, limit_nesting, parse_fragment, unwrap_element,
};

/// Elements kept (their attributes are filtered separately). Anything else is
/// unwrapped: its text stays, the element goes.
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements removed together with their content: active content, and
/// widgets whose text means nothing outside the page (a `<select>`'s options,
/// a button's label, a video's "your browser does not support" fallback).
/// `form` is not here: some sites wrap the whole page in one, so it is
/// unwrapped like any other unknown element.
const REMOVED_WITH_CONTENT: &[&str] = &[
    "applet", "audio", "button", "canvas", "embed", "frame", "frameset", "iframe", "math",
    "noembed", "noframes", "noscript", "object", "script", "select", "style", "svg", "template",
    "textarea", "title", "video",
];

/// Attributes kept on every allowed element. `style` is never kept (simplest
/// safe choice: CSS can load URLs and hide or fake content), nor `on*`,
/// `class` or `id`.
const GENERIC_ATTRIBUTES: &[&str] = &["dir", "lang", "title"];

/// Attributes kept per element. No URL attribute other than `a href` and
/// `img src` is kept: ammonia does not check the scheme of `cite`, and
/// `srcset` is not resolved (images are downloaded from `src` only).
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    ("img", &["src", "alt", "width", "height"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed"]),
    ("li", &["value"]),
    ("time", &["datetime"]),
    ("details", &["open"]),
];

/// Schemes a link may have. Images are narrower still: http and https only.
const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Sanitizes article HTML: relative URLs resolved against `base`, unsafe or
/// unresolvable ones removed, then the allow-list applied. Without a base (a
/// local file), relative links become plain text and relative images lose
/// their `src`.
pub(crate) fn sanitize(html: &str, base: Option<&Url>) -> String {
    let doc = parse_fragment(&limit_nesting(html));
    resolve_urls(&fragment_container(&doc), base);
    clean(&fragment_html(&doc))
}

/// The allow-list alone, on HTML whose URLs [`resolve_urls`] already
/// resolved (extraction resolves them in the article it already parsed).
pub(crate) fn clean(resolved: &str) -> String {
    BUILDER.clean(resolved).to_string()
}

/// Resolves `raw` against `base` (or parses it alone when there is no base).
/// The `url` crate follows the WHATWG parser, as browsers do: it strips the
/// tabs, newlines and control characters used to disguise `javascript:`, and
/// the scheme it returns is lowercase.
pub(crate) fn resolve(raw: &str, base: Option<&Url>) -> Option<Url> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match base {
        Some(base) => base.join(raw).ok(),
        None => Url::parse(raw).ok(),
    }
}

/// True for an absolute http or https URL: the only images Gloss fetches.
pub(crate) fn is_http(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// The DOM pass: absolute URLs everywhere, links that cannot be followed
/// unwrapped to their text, image sources that cannot be fetched removed,
/// and `srcset`/`<source>` dropped (see [`TAG_ATTRIBUTES`]).
pub(crate) fn resolve_urls(root: &NodeRef, base: Option<&Url>) {
    let root = Selection::from(*root);
    for a in root.select("a[href]").nodes() {
        let href = a.attr("href").unwrap_or_default();
        match resolve(&href, base) {
            Some(url) if LINK_SCHEMES.contains(&url.scheme()) => {
                a.set_attr("href", url.as_str());
            }
            _ => unwrap_element(a),
        }
    }
    for img in root.select("img").nodes() {
        let src = img.attr("src").unwrap_or_default();
        match resolve(&src, base) {
            Some(url) if is_http(&url) => img.set_attr("src", url.as_str()),
            _ => img.remove_attr("src"),
        }
        img.remove_attrs(&["srcset", "sizes"]);
    }
    root.select("source").remove();
}

/// Built once: the allow-list's sets are the same for every page.
static BUILDER: LazyLock<Builder<'static>> = LazyLock::new(builder);

/// The ammonia configuration of the allow-list above.
fn builder() -> Builder<'static> {
    let tag_attributes: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
        .collect();
    let mut b = Builder::empty();
    b.tags(ALLOWED_TAGS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(LINK_SCHEMES.iter().copied().collect())
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .attribute_filter(|element, attribute, value| {
            // `mailto:` is a link scheme, never an image source.
            if element == "img" && attribute == "src" {
                let lower = value.trim_start().to_ascii_lowercase();
                if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                    return None;
                }
            }
            Some(value.into())
        });
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/2024/story.html").unwrap()
    }

    #[test]
    fn relative_urls_are_resolved_against_the_base() {
        let out = sanitize(
            r#"<p><a href="../about">About</a> <img src="img/a.jpg" alt="A"> <a href="/x?a=1&amp;b=2">x</a></p>"#,
            Some(&base()),
        );
        assert!(
            out.contains(r#"href="https://news.example/about""#),
            "{out}"
        );
        assert!(
            out.contains(r#"src="https://news.example/2024/img/a.jpg""#),
            "{out}"
        );
        assert!(
            out.contains(r#"href="https://news.example/x?a=1&amp;b=2""#),
            "{out}"
        );
        assert!(out.contains(r#"rel="noopener noreferrer""#), "{out}");
    }

    #[test]
    fn without_a_base_relative_links_become_text_and_images_lose_src() {
        let out = sanitize(
            r#"<p>See <a href="notes.html">my notes</a> <img src="a.png" alt="pic"> <a href="https://ok.example/">ok</a></p>"#,
            None,
        );
        assert!(out.contains("See my notes"), "{out}");
        assert!(!out.contains("notes.html"), "{out}");
        assert!(!out.contains("a.png"), "{out}");
        assert!(out.contains(r#"<img alt="pic">"#), "{out}");
        assert!(out.contains(r#"href="https://ok.example/""#), "{out}");
    }

    #[test]
    fn script_urls_are_dropped_in_any_disguise() {
        let vectors = [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "jav&#x09;ascript:alert(1)",
            "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
            "&#x6A;avascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        ];
        for v in vectors {
            for b in [Some(base()), None] {
                let html = format!(r#"<p><a href="{v}">click</a><img src="{v}" alt="i"></p>"#);
                let out = sanitize(&html, b.as_ref());
                let lower = out.to_ascii_lowercase();
                assert!(!lower.contains("script:"), "{v} -> {out}");
                assert!(!lower.contains("data:"), "{v} -> {out}");
                assert!(!lower.contains("href"), "{v} -> {out}");
                assert!(!lower.contains("src="), "{v} -> {out}");
                assert!(out.contains("click"), "the link text stays: {out}");
            }
        }
    }

    #[test]
    fn active_content_and_handlers_are_removed() {
        let html = r#"<div onclick="evil()" style="background:url(https://t.example/x)" class="c" id="i">
            <script>alert(1)</script><style>p{color:red}</style>
            <iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="x.swf">
            <svg><script>alert(2)</script><a xlink:href="javascript:alert(3)">s</a></svg>
            <math><mtext>m</mtext></math>
            <form action="https://evil.example/"><input name="q"><button>Send</button>Kept</form>
            <img src="https://ok.example/a.png" onerror="alert(4)" alt="ok">
            <base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">
            <link rel="stylesheet" href="https://evil.example/s.css">
            <p dir="rtl" lang="ar" onmouseover="x()">نص</p>
            <!-- comment --></div>"#;
        let out = sanitize(html, Some(&base()));
        for bad in [
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "svg",
            "math",
            "form",
            "input",
            "button",
            "onerror",
            "onclick",
            "onmouseover",
            "evil",
            "base",
            "meta",
            "link",
            "class=",
            "id=",
            "comment",
            "Send",
            "alert",
        ] {
            assert!(!out.contains(bad), "{bad} survived: {out}");
        }
        assert!(out.contains("Kept"), "{out}");
        assert!(
            out.contains(r#"<img src="https://ok.example/a.png" alt="ok">"#),
            "{out}"
        );
        assert!(out.contains(r#"<p dir="rtl" lang="ar">نص</p>"#), "{out}");
    }

    #[test]
    fn mailto_links_stay_but_are_never_image_sources() {
        let out = sanitize(
            r#"<a href="mailto:ed@news.example">Mail</a><img src="mailto:x@y.z" alt="m">"#,
            Some(&base()),
        );
        assert!(out.contains(r#"href="mailto:ed@news.example""#), "{out}");
        assert!(out.contains(r#"<img alt="m">"#), "{out}");
    }

    #[test]
    fn srcset_and_picture_sources_are_dropped_and_the_img_kept() {
        let out = sanitize(
            r#"<picture><source srcset="big.webp 2x" type="image/webp"><img src="small.jpg" srcset="big.jpg 2x" sizes="50vw" alt="p"></picture>"#,
            Some(&base()),
        );
        assert_eq!(
            out,
            r#"<picture><img src="https://news.example/2024/small.jpg" alt="p"></picture>"#
        );
    }

    #[test]
    fn structure_is_kept() {
        let html = "<h2>H</h2><ul><li>a</li></ul><blockquote><p>q</p></blockquote><pre><code>c</code></pre>\
                    <table><thead><tr><th colspan=\"2\">t</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>\
                    <figure><figcaption>cap</figcaption></figure><p><em>e</em><strong>s</strong><sub>1</sub><sup>2</sup></p>";
        assert_eq!(sanitize(html, None), html);
    }
}
