//! EPUB 3 of chosen stories, for e-readers: one XHTML chapter per story
//! (title, site, link, then the article), the images the library stored,
//! a table of contents. Written in process by epub-builder (no `zip`
//! command is run).

use std::collections::HashMap;
use std::io::Write;

use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, ZipLibrary};

use super::export_counts::{ExportCounts, Step};
use super::xhtml::body_xhtml;
use crate::library::parse_asset_url;
use crate::markup::{escape, Escaping};
use crate::model::StoryId;
use crate::{Error, Library, Result};

const CSS: &str = "body { font-family: serif; line-height: 1.5; margin: 0 5%; }\n\
    h1 { font-size: 1.5em; line-height: 1.2; }\n\
    p.meta { color: #555; font-size: 0.85em; }\n\
    img { max-width: 100%; height: auto; }\n\
    blockquote { margin-left: 1em; padding-left: 1em; border-left: 3px solid #ccc; }\n\
    pre { white-space: pre-wrap; }\n";

fn epub_err(e: epub_builder::Error) -> Error {
    Error::io("writing the EPUB", std::io::Error::other(e.to_string()))
}

/// Writes the stories `ids` (newest first, as a list gives them; the book
/// is oldest first) as an EPUB 3 book. `step` is called after each chapter.
pub fn write_epub(
    lib: &Library,
    ids: &[StoryId],
    title: &str,
    out: impl Write,
    step: Step<'_>,
) -> Result<ExportCounts> {
    let mut stories = super::selection::summaries(lib, ids)?;
    if stories.is_empty() {
        return Err(Error::NotFound(
            "no story matches; the EPUB would be empty (check the filters)".into(),
        ));
    }
    stories.reverse();
    let mut book = EpubBuilder::new(ZipLibrary::new().map_err(epub_err)?).map_err(epub_err)?;
    book.epub_version(EpubVersion::V30);
    book.set_title(title);
    // No author: epub-builder 0.8.3 gives dc:language and the first
    // dc:creator the same id ("epub-creator-0"), which epubcheck refuses.
    book.set_generator("Gloss");
    book.add_language(
        stories
            .iter()
            .find_map(|s| s.language.clone())
            .unwrap_or_else(|| "en".into()),
    );
    book.stylesheet(CSS.as_bytes()).map_err(epub_err)?;
    book.inline_toc();
    let mut images: HashMap<String, Option<String>> = HashMap::new();
    for (n, summary) in stories.iter().enumerate() {
        let story = lib.story(summary.id)?;
        let mut wanted: Vec<(String, String)> = Vec::new();
        let body = body_xhtml(&story.html, &mut |src| {
            let sha = parse_asset_url(src)?.to_string();
            if let Some(path) = images.get(&sha) {
                return path.clone();
            }
            // Looked up once per image; missing images are left out.
            let path = lib.asset(&sha).ok().flatten().and_then(|a| {
                let ext = match a.mime.as_str() {
                    "image/png" => "png",
                    "image/gif" => "gif",
                    "image/webp" => "webp",
                    "image/svg+xml" => "svg",
                    "image/jpeg" => "jpg",
                    _ => return None,
                };
                Some(format!("images/{sha}.{ext}"))
            });
            images.insert(sha.clone(), path.clone());
            if let Some(p) = &path {
                wanted.push((sha, p.clone()));
            }
            path
        });
        for (sha, path) in wanted {
            if let Some(a) = lib.asset(&sha)? {
                book.add_resource(&path, a.bytes.as_slice(), a.mime.as_str())
                    .map_err(epub_err)?;
            }
        }
        let lang = summary.language.clone().unwrap_or_else(|| "en".into());
        let title_x = escape(&summary.title, Escaping::XML_TEXT);
        let site = summary
            .site
            .as_deref()
            .map(|s| format!("{} · ", escape(s, Escaping::XML_TEXT)))
            .unwrap_or_default();
        let xhtml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
             <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">\n\
             <head><meta charset=\"UTF-8\"/><title>{title_x}</title>\
             <link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/></head>\n\
             <body><section epub:type=\"chapter\"><h1>{title_x}</h1>\
             <p class=\"meta\">{site}<a href=\"{}\">{}</a></p>\n{body}</section></body></html>\n",
            escape(&summary.url, Escaping::XML_ATTRIBUTE),
            escape(&summary.url, Escaping::XML_TEXT),
            lang = escape(&lang, Escaping::XML_ATTRIBUTE),
        );
        book.add_content(
            EpubContent::new(format!("story-{:04}.xhtml", n + 1), xhtml.as_bytes())
                .title(summary.title.clone())
                .reftype(ReferenceType::Text),
        )
        .map_err(epub_err)?;
        step()?;
    }
    book.generate(out).map_err(epub_err)?;
    Ok(ExportCounts {
        stories: stories.len() as u32,
        images: images.values().filter(|p| p.is_some()).count() as u32,
        ..Default::default()
    })
}
