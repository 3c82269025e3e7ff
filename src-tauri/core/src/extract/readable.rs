//! Finding the article in a page with `dom_smoothie`, a faithful port of
//! Mozilla's Readability.js, and falling back to the page body when it finds
//! none (a user who saves a page always gets something).

use dom_query::{Document, NodeId, NodeRef};
use dom_smoothie::{Metadata, Readability};
use url::Url;

use super::images::promote_lazy_images;
use super::text::node_text;

/// Page furniture removed from the body when Readability found no article:
/// the fallback should still not open with a menu.
const FALLBACK_FURNITURE: &str = "script, style, noscript, template, nav, header, footer, aside, \
     [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true]";

/// The element `dom_smoothie` puts the article in (Readability.js's page
/// wrapper, `<div id="readability-page-1" class="page">`).
const ARTICLE_ROOT: &str = "#readability-page-1";

/// What `dom_smoothie` found, before sanitizing. Strings are as the page
/// wrote them (entities decoded); normalising is the caller's job.
pub(crate) struct Readable {
    pub title: String,
    pub byline: Option<String>,
    pub site_name: Option<String>,
    pub published: Option<String>,
    pub image: Option<String>,
    /// `dir` of the article's container or its ancestors.
    pub dir: Option<String>,
    /// The article, unsanitized, URLs absolute when a base was given; the
    /// page body when Readability found no article.
    pub content: ArticleTree,
    /// Readability's `isProbablyReaderable` on the page, and `false` when
    /// the page body had to be kept instead of an article.
    pub readerable: bool,
}

/// An article as a tree: the document Readability worked on and the element
/// that holds the article in it. Kept as a tree so that pruning works on it
/// directly: serializing the article and parsing it again cost about 7% of
/// all extraction time (perf, over the corpus).
pub(crate) struct ArticleTree {
    doc: Document,
    root: NodeId,
}

impl ArticleTree {
    /// The element of `doc` that holds the article.
    fn new(doc: Document, root: NodeId) -> Self {
        ArticleTree { doc, root }
    }

    /// An article given as HTML, held in a `<div>` of its own.
    fn from_html(html: &str) -> Self {
        let doc = Document::fragment(format!("<div>{html}</div>"));
        let root = doc.select_single("div").nodes().first().map(|n| n.id);
        let root = root.unwrap_or_else(|| doc.root().id);
        ArticleTree { doc, root }
    }

    /// The element that holds the article.
    pub(crate) fn root(&self) -> NodeRef<'_> {
        self.doc
            .tree
            .get(&self.root)
            .unwrap_or_else(|| self.doc.root())
    }

    /// The article's HTML: its holding element and everything in it.
    pub(crate) fn html(&self) -> String {
        self.root()
            .try_html()
            .map(|h| h.to_string())
            .unwrap_or_default()
    }
}

/// Extracts the article of `doc` (already parsed from `html`, lazy images
/// promoted). `doc_url` is the page's absolute http(s) address, if any.
pub(crate) fn readable(html: &str, doc: Document, doc_url: Option<&Url>) -> Readable {
    let url = doc_url.map(Url::as_str);
    if let Ok(mut readability) = Readability::with_document(doc, url, None) {
        let readerable = readability.is_probably_readable();
        if let Ok(article) = readability.parse() {
            // `parse` leaves the article in `readability.doc`, under the
            // element it serialized as `article.content`.
            let root = readability
                .doc
                .select_single(ARTICLE_ROOT)
                .nodes()
                .first()
                .map(|n| n.id);
            if let (Some(root), false) = (root, article.text_content.trim().is_empty()) {
                return Readable {
                    title: article.title,
                    byline: article.byline,
                    site_name: article.site_name,
                    published: article.published_time,
                    image: article.image,
                    dir: article.dir,
                    content: ArticleTree::new(readability.doc, root),
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
        content: ArticleTree::from_html(&content),
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
        let content = r.content.html();
        assert!(content.contains("Just one short line."), "{content}");
        assert!(!content.contains("About"), "{content}");
        assert!(!content.contains("Copyright"), "{content}");
    }

    #[test]
    fn a_body_of_furniture_only_is_kept_whole() {
        let html = "<html><body><header>Only a header here</header></body></html>";
        let r = fallback(html, None);
        let content = r.content.html();
        assert!(content.contains("Only a header here"), "{content}");
    }

    #[test]
    fn an_empty_page_gives_empty_content_not_a_panic() {
        let r = run("", None);
        assert!(r.title.is_empty());
        assert!(
            node_text(&r.content.root()).is_empty(),
            "{}",
            r.content.html()
        );
    }
}
