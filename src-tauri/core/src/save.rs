//! Saving a story: from a URL or a local file to a [`NewStory`] ready for the
//! library, with every image the article shows downloaded and referenced
//! through the asset scheme.
//!
//! Preparing (network, extraction) is separate from storing so that the app
//! never holds the library while it waits on the network.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use url::Url;

use crate::extract::{self, Extracted};
use crate::fetch::{self, FetchedPage, Fetcher, PageKind};
use crate::library::{asset_url, sha256_hex, NewAsset, NewStory};
use crate::model::SaveStage;
use crate::{urls, Error, Result};

/// At most this many images are stored per story.
pub const MAX_IMAGES_PER_STORY: usize = 50;
/// Images downloaded at the same time for one story.
const IMAGE_CONCURRENCY: usize = 4;
/// Local files larger than this are refused, like web pages (15 MiB).
const MAX_FILE_BYTES: u64 = 15 * 1024 * 1024;

/// What the user asked to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Url(Url),
    File(PathBuf),
}

impl Source {
    /// Reads a command-line or drop argument: an http(s) URL, or a path to an
    /// `.html`, `.htm`, `.xhtml`, `.txt` or `.md` file. Other URL schemes
    /// (`file:`, `ftp:`, `javascript:`) are refused.
    pub fn parse(input: &str) -> Result<Source> {
        let input = input.trim();
        if input.is_empty() {
            return Err(Error::InvalidInput(
                "nothing to save: give a URL or a file".into(),
            ));
        }
        if looks_like_url(input) {
            return urls::parse_web_url(input).map(Source::Url);
        }
        let path = PathBuf::from(input);
        if !path.exists() {
            return Err(Error::NotFound(format!(
                "no such file: {input}; give an http(s) URL or the path of an .html, .txt or .md file"
            )));
        }
        if path.is_dir() {
            return Err(Error::InvalidInput(format!(
                "{input} is a folder; give a file or a URL"
            )));
        }
        file_kind(&path)?;
        Ok(Source::File(path))
    }

    /// How the source is shown in messages and progress events.
    pub fn display(&self) -> String {
        match self {
            Source::Url(u) => u.to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// `scheme:` at the start, as in `https://`, `file:///`, `mailto:` or
/// `javascript:` (a Windows drive letter like `C:\` is a path).
fn looks_like_url(input: &str) -> bool {
    match input.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Html,
    Text,
    Markdown,
}

fn file_kind(path: &Path) -> Result<FileKind> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => Ok(FileKind::Html),
        "txt" | "text" => Ok(FileKind::Text),
        "md" | "markdown" => Ok(FileKind::Markdown),
        _ => Err(Error::Unsupported(format!(
            "{} is not a page Gloss can save; it saves .html, .htm, .txt and .md files and http(s) URLs",
            path.display()
        ))),
    }
}

/// How to save.
#[derive(Debug, Clone, Default)]
pub struct SaveOptions {
    pub tags: Vec<String>,
    /// Leave images out (their alt text stays): for saving with no network.
    pub skip_images: bool,
    /// The base URL of a local HTML file, to resolve its relative links and images.
    pub base_url: Option<Url>,
    pub feed_id: Option<i64>,
}

/// Told of each stage of a save: the stage, images done and images in all.
pub type Progress<'a> = &'a (dyn Fn(SaveStage, u32, u32) + Send + Sync);

/// Fetches or reads the source, extracts the article and downloads its images.
pub async fn prepare(
    fetcher: &Fetcher,
    source: &Source,
    options: &SaveOptions,
    progress: Progress<'_>,
) -> Result<NewStory> {
    let (extracted, page_url, url_key) = match source {
        Source::Url(url) => {
            progress(SaveStage::Fetching, 0, 0);
            let page = fetcher.fetch_page(url).await?;
            progress(SaveStage::Extracting, 0, 0);
            let extracted = extract_page(&page)?;
            let clean = urls::clean(&page.final_url);
            let key = urls::normalize(&page.final_url);
            (extracted, clean.to_string(), key)
        }
        Source::File(path) => {
            progress(SaveStage::Extracting, 0, 0);
            let (extracted, file_url) = extract_file(path, options.base_url.as_ref())?;
            (extracted, file_url.clone(), file_url)
        }
    };
    Ok(story_from_extracted(fetcher, extracted, page_url, url_key, options, progress).await)
}

/// The story of an extraction, with its images downloaded (unless
/// `options.skip_images`) and the HTML pointing at them. Feeds use it for
/// the content of their items.
pub async fn story_from_extracted(
    fetcher: &Fetcher,
    extracted: Extracted,
    url: String,
    url_key: String,
    options: &SaveOptions,
    progress: Progress<'_>,
) -> NewStory {
    let mut story = NewStory {
        url,
        url_key,
        title: extracted.title.clone(),
        byline: extracted.byline.clone(),
        site: extracted.site_name.clone(),
        language: extracted.language.clone(),
        dir: extracted.dir.clone(),
        excerpt: extracted.excerpt.clone(),
        published_at: extracted.published_at.clone(),
        text: extracted.text.clone(),
        word_count: extracted.word_count,
        readerable: extracted.readerable,
        tags: options.tags.clone(),
        feed_id: options.feed_id,
        ..Default::default()
    };
    let (html, assets, lead) =
        store_images(fetcher, &extracted, options.skip_images, progress).await;
    story.html = html;
    story.assets = assets;
    story.lead_image = lead;
    story
}

/// Extracts a fetched page (HTML or plain text).
pub fn extract_page(page: &FetchedPage) -> Result<Extracted> {
    let fallback = fallback_title(&page.final_url);
    match page.kind {
        PageKind::Html => extract::extract_html(&page.body, Some(&page.final_url), &fallback),
        PageKind::Text => Ok(extract::extract_plain_text(&page.body, &fallback)),
    }
}

/// Reads a local file (size-capped, charset-decoded) and extracts it. Returns
/// the extraction and the file's `file://` URL, which identifies the story.
pub fn extract_file(path: &Path, base_url: Option<&Url>) -> Result<(Extracted, String)> {
    let kind = file_kind(path)?;
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::TooLarge(format!(
            "{shown} is {} MiB; Gloss saves files of at most 15 MiB",
            meta.len() / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    let absolute =
        std::fs::canonicalize(path).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    let file_url = Url::from_file_path(&absolute)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| format!("file://{}", absolute.display()));
    let fallback = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("Untitled")
        .to_string();
    let extracted = match kind {
        FileKind::Html => {
            extract::extract_html(&fetch::decode_html(&bytes, None), base_url, &fallback)?
        }
        FileKind::Text => extract::extract_plain_text(&fetch::decode_text(&bytes, None), &fallback),
        FileKind::Markdown => {
            extract::extract_markdown(&fetch::decode_text(&bytes, None), &fallback)
        }
    };
    Ok((extracted, file_url))
}

/// The title of a page that has none: its host and path.
fn fallback_title(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    format!("{host}{path}")
}

/// Downloads the article's images (at most [`MAX_IMAGES_PER_STORY`], a few
/// at a time) and the lead image, and rewrites the HTML to the asset scheme.
/// An image that fails is replaced by its alt text; the story is still saved.
async fn store_images(
    fetcher: &Fetcher,
    extracted: &Extracted,
    skip: bool,
    progress: Progress<'_>,
) -> (String, Vec<NewAsset>, Option<String>) {
    let mut wanted = extract::image_urls(&extracted.html);
    if let Some(lead) = &extracted.lead_image_url {
        if !wanted.contains(lead) {
            wanted.push(lead.clone());
        }
    }
    wanted.truncate(if skip { 0 } else { MAX_IMAGES_PER_STORY });
    let total = wanted.len() as u32;
    let mut stored: HashMap<String, Option<String>> = HashMap::new();
    let mut assets: Vec<NewAsset> = Vec::new();
    if total > 0 {
        progress(SaveStage::Images, 0, total);
    }
    for chunk in wanted.chunks(IMAGE_CONCURRENCY) {
        let mut tasks = tokio::task::JoinSet::new();
        for src in chunk {
            let fetcher = fetcher.clone();
            let src = src.clone();
            tasks.spawn(async move {
                let result = match Url::parse(&src) {
                    Ok(url) => fetcher.fetch_image(&url).await.ok(),
                    Err(_) => None,
                };
                (src, result)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let Ok((src, image)) = joined else { continue };
            let sha = image.map(|image| {
                let sha = sha256_hex(&image.bytes);
                if !assets.iter().any(|a| a.sha256 == sha) {
                    assets.push(NewAsset {
                        sha256: sha.clone(),
                        mime: image.mime.to_string(),
                        bytes: image.bytes,
                        source_url: src.clone(),
                    });
                }
                sha
            });
            stored.insert(src, sha.map(|s| asset_url(&s)));
        }
        progress(SaveStage::Images, stored.len() as u32, total);
    }
    let lead = extracted
        .lead_image_url
        .as_ref()
        .and_then(|u| stored.get(u).cloned().flatten())
        .and_then(|u| crate::library::parse_asset_url(&u).map(str::to_string));
    let html = extract::replace_images(&extracted.html, &stored);
    // Only keep the images the final HTML (or the lead) still uses.
    assets.retain(|a| html.contains(&a.sha256) || lead.as_deref() == Some(a.sha256.as_str()));
    (html, assets, lead)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_urls_or_existing_files_of_known_types() {
        assert!(matches!(
            Source::parse("https://example.com/a").unwrap(),
            Source::Url(_)
        ));
        for bad in [
            "file:///etc/passwd",
            "ftp://example.com/x",
            "javascript:alert(1)",
            "data:text/html,hi",
        ] {
            assert_eq!(
                Source::parse(bad).unwrap_err().kind(),
                crate::ErrorKind::InvalidInput,
                "{bad}"
            );
        }
        assert_eq!(
            Source::parse("/no/such/file.html").unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("paper.pdf");
        std::fs::write(&pdf, b"%PDF-1.4").unwrap();
        assert_eq!(
            Source::parse(pdf.to_str().unwrap()).unwrap_err().kind(),
            crate::ErrorKind::Unsupported
        );
        let txt = dir.path().join("note.TXT");
        std::fs::write(&txt, b"Title\n\nBody").unwrap();
        assert!(matches!(
            Source::parse(txt.to_str().unwrap()).unwrap(),
            Source::File(_)
        ));
        assert!(!looks_like_url("C:\\Users\\me\\page.html"));
    }
}
