//! Saving a story: from a URL or a local file to a [`NewStory`] ready for the
//! library, with every image the article shows downloaded and referenced
//! through the asset scheme.
//!
//! Preparing (network, extraction) is separate from storing so that the app
//! never holds the library while it waits on the network.
//!
//! - [`save_into`] (`pipeline.rs`): the one way a page becomes a stored
//!   story, for the window and the command line alike.
//! - [`prepare`] (here): source to [`NewStory`], with no library.
//! - [`Source`] (`source.rs`): what a save may start from.
//! - `images.rs`: the article's images downloaded and referenced.
//! - [`page`]: a page as the browser showed it (the browser extension),
//!   with its selection as a highlight.

mod images;
pub mod page;
mod pipeline;
mod source;

use std::path::Path;

use url::Url;

use crate::extract::{self, Extracted};
use crate::fetch::{self, FetchedPage, Fetcher, PageKind};
use crate::library::NewStory;
use crate::model::SaveStage;
use crate::{urls, Error, Result};

use images::store_images;
pub use images::MAX_IMAGES_PER_STORY;
pub use page::{save_page_into, SavedPage, SelectionOutcome, SuppliedPage};
pub use pipeline::{save_into, Saved};
pub use source::Source;
use source::{file_kind, FileKind};

/// Local files larger than this are refused, like web pages (15 MiB).
const MAX_FILE_BYTES: u64 = 15 * 1024 * 1024;

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

#[cfg(test)]
mod page_tests;
