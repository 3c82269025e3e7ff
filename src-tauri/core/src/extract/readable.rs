//! Finding the article in a page with `dom_smoothie`, a faithful port of
//! Mozilla's Readability.js, and falling back to the page body when it finds
//! none (a user who saves a page always gets something).

use dom_query::Document;
use dom_smoothie::{Metadata, Readability};
use url::Url;

use super::images::promote_lazy_images;
use super::text::node_text;

/// Page furniture removed from the body when Readability found no article:
/// the fallback should still not open with a menu.
const FALLBACK_FURNITURE: &str = "script, style, noscript, template, nav, header, footer, aside, \
     [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true]";

/// What `dom_smoothie` found, before sanitizing. Strings are as the page
/// wrote them (entities decoded); normalising is the caller's job.
#[derive(Debug, Default)]
pub(crate) struct Readable {
    pub title: String,
    pub byline: Option<String>,
    pub site_name: Option<String>,
    pub published: Option<String>,
    pub image: Option<String>,
    /// `dir` of the article's container or its ancestors.
    pub dir: Option<String>,
    /// The article's HTML, unsanitized, URLs absolute when a base was
    /// given; the page body when Readability found no article.
    pub content: String,
    /// Readability's `isProbablyReaderable` on the page, and `false` when
    /// the page body had to be kept instead of an article.
    pub readerable: bool,
}

/// Extracts the article of `doc` (already parsed from `html`, lazy images
/// promoted). `doc_url` is the page's absolute http(s) address, if any.
pub(crate) fn readable(html: &str, doc: Document, doc_url: Option<&Url>) -> Readable {
    let url = doc_url.map(Url::as_str);
    if let Ok(mut readability) = Readability::with_document(doc, url, None) {
        let readerable = readability.is_probably_readable();
        if let Ok(article) = readability.parse() {
            if !article.text_content.trim().is_empty() {
                return Readable {
                    title: article.title,
                    byline: article.byline,
                    site_name: article.site_name,
                    published: article.published_time,
                    image: article.image,
                    dir: article.dir,
                    content: article.content.to_string(),
                    readerable,
                };
            }
        }
    }
    fallback(html, url)
}

/// The page's metadata and its body without furniture (or the whole body
/// when the furniture was all there was).
fn fallback(html: &str, url: Option<&str>) -> Readable {
    let doc = Document::from(html);
    promote_lazy_images(&doc);
    let meta = Readability::with_document(doc.clone(), url, None)
        .ok()
        .map(|r| r.get_article_metadata(r.parse_json_ld()))
        .unwrap_or_default();
    let Metadata {
        title,
        byline,
        site_name,
        published_time,
        image,
        dir,
        ..
    } = meta;
    let full_body = body_html(&doc);
    doc.select(FALLBACK_FURNITURE).remove();
    let pruned = doc.body().filter(|b| !node_text(b).is_empty());
    let content = match pruned {
        Some(body) => body
            .try_inner_html()
            .map(|h| h.to_string())
            .unwrap_or_default(),
        None => full_body,
    };
    Readable {
        title,
        byline,
        site_name,
        published: published_time,
        image,
        dir,
        content,
        readerable: false,
    }
}

/// The inner HTML of `<body>`, or of the whole document when there is none.
fn body_html(doc: &Document) -> String {
    doc.body()
        .unwrap_or_else(|| doc.root())
        .try_inner_html()
        .map(|h| h.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(html: &str, url: Option<&str>) -> Readable {
        let url = url.map(|u| Url::parse(u).unwrap());
        readable(html, Document::from(html), url.as_ref())
    }

    #[test]
    fn the_fallback_is_the_body_without_menus_plus_the_metadata() {
        let html = r#"<html><head><title>Tiny</title>
            <meta property="og:site_name" content="Tiny Site"></head><body>
            <nav><a href="/">Home</a> <a href="/about">About</a></nav>
            <p>Just one short line.</p>
            <footer>Copyright</footer></body></html>"#;
        let r = fallback(html, Some("https://tiny.example/"));
        assert_eq!(r.title, "Tiny");
        assert_eq!(r.site_name.as_deref(), Some("Tiny Site"));
        assert!(r.content.contains("Just one short line."), "{}", r.content);
        assert!(!r.content.contains("About"), "{}", r.content);
        assert!(!r.content.contains("Copyright"), "{}", r.content);
    }

    #[test]
    fn a_body_of_furniture_only_is_kept_whole() {
        let html = "<html><body><header>Only a header here</header></body></html>";
        let r = fallback(html, None);
        assert!(r.content.contains("Only a header here"), "{}", r.content);
    }

    #[test]
    fn an_empty_page_gives_empty_content_not_a_panic() {
        let r = run("", None);
        assert!(r.title.is_empty());
        assert!(r.content.trim().is_empty(), "{}", r.content);
    }
}
