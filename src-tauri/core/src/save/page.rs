//! Saving a page as the browser showed it: the browser extension sends the
//! rendered HTML (after the page's scripts ran, with the reader's login),
//! its URL and title, and perhaps a selection. Gloss does not fetch the
//! page again; the HTML goes through the same extraction and sanitizing as
//! any page, and its images are fetched from their URLs (alt text where
//! that fails, as for any save). A selection becomes a highlight on the
//! same words of the stored text.

use url::Url;

use super::{story_from_extracted, Progress, SaveOptions, Saved};
use crate::annotate::{self, Annotation, NewAnnotation, TextQuoteSelector};
use crate::extract;
use crate::fetch::Fetcher;
use crate::library::{LibraryAccess, NewStory};
use crate::model::{Origin, SaveStage, StoryId};
use crate::{urls, Error, Library, Result};

/// The largest page HTML taken from a browser (32 MiB). A fetched page
/// stops at 15 MiB; a rendered page carries inline styles and scripts.
pub const MAX_PAGE_HTML: usize = 32 * 1024 * 1024;

/// A page as the browser has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppliedPage {
    /// The page's address: the story's URL and the base of its relative links.
    pub url: Url,
    /// The tab's title, used when the page names none.
    pub title: String,
    /// The rendered document (`document.documentElement.outerHTML`).
    pub html: String,
}

impl SuppliedPage {
    /// Checks what the browser sent: an http(s) URL and HTML of at most
    /// [`MAX_PAGE_HTML`] bytes. Anything else is refused before any work.
    pub fn new(url: &str, title: &str, html: String) -> Result<SuppliedPage> {
        let url = urls::parse_web_url(url)?;
        if html.len() > MAX_PAGE_HTML {
            return Err(Error::TooLarge(format!(
                "the page is {} MiB; Gloss takes pages of at most {} MiB from the browser",
                html.len() / (1024 * 1024),
                MAX_PAGE_HTML / (1024 * 1024)
            )));
        }
        Ok(SuppliedPage {
            url,
            title: title.trim().to_string(),
            html,
        })
    }
}

/// What became of a selection sent with the page.
#[derive(Debug, Clone)]
pub enum SelectionOutcome {
    /// A highlight on the same words (an existing one when the same words
    /// were highlighted before).
    Highlighted(Annotation),
    /// The words are not in the saved article (they were in a sidebar, a
    /// comment, a menu): the story is saved without a highlight.
    NotInArticle(String),
}

/// A page saved from the browser.
#[derive(Debug, Clone)]
pub struct SavedPage {
    pub saved: Saved,
    pub selection: Option<SelectionOutcome>,
}

/// Extracts the supplied page and downloads its images: a [`NewStory`]
/// marked as coming from the browser, with no library.
pub async fn prepare_page(
    fetcher: &Fetcher,
    page: &SuppliedPage,
    options: &SaveOptions,
    progress: Progress<'_>,
) -> Result<NewStory> {
    progress(SaveStage::Extracting, 0, 0);
    let fallback = if page.title.is_empty() {
        super::fallback_title(&page.url)
    } else {
        page.title.clone()
    };
    let extracted = extract::extract_html(&page.html, Some(&page.url), &fallback)?;
    let clean = urls::clean(&page.url);
    let key = urls::normalize(&page.url);
    let mut story = story_from_extracted(
        fetcher,
        extracted,
        clean.to_string(),
        key,
        options,
        progress,
    )
    .await;
    story.origin = Origin::Browser;
    Ok(story)
}

/// Saves a page as the browser showed it, and its selection as a highlight,
/// in one visit to the library once the story is ready.
pub async fn save_page_into(
    library: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    page: &SuppliedPage,
    selection: Option<&TextQuoteSelector>,
    options: &SaveOptions,
    progress: Progress<'_>,
) -> Result<SavedPage> {
    let story = prepare_page(fetcher, page, options, progress).await?;
    progress(SaveStage::Storing, 0, 0);
    library.with(|lib| {
        let outcome = lib.store_story(story)?;
        let selection = selection
            .map(|quote| highlight(lib, outcome.id, quote))
            .transpose()?;
        Ok(SavedPage {
            saved: Saved {
                created: outcome.created,
                story: lib.summary(outcome.id)?,
            },
            selection,
        })
    })
}

/// Places the browser's selection on the story's text and keeps it as a
/// highlight, unless the same words are highlighted already.
pub fn highlight(
    lib: &mut Library,
    story: StoryId,
    quote: &TextQuoteSelector,
) -> Result<SelectionOutcome> {
    let text = lib.story(story)?.text;
    let Some(position) = annotate::place_selection(&text, quote) else {
        return Ok(SelectionOutcome::NotInArticle(format!(
            "the selected words are not in the saved article (Gloss keeps only the article: \
             a selection in a menu, a sidebar or the comments has nothing to highlight): \"{}\"",
            crate::text::one_line(&quote.exact)
        )));
    };
    if let Some(same) = lib
        .annotations_of(story)?
        .into_iter()
        .find(|a| a.position == Some(position))
    {
        return Ok(SelectionOutcome::Highlighted(same));
    }
    let Some((quote, position)) =
        annotate::Text::new(&text).selectors(position.start as usize, position.end as usize)
    else {
        return Err(Error::InvalidInput(
            "a highlight needs at least one character".into(),
        ));
    };
    let new = NewAnnotation {
        quote,
        position: Some(position),
        ..Default::default()
    };
    lib.add_annotation(story, new)
        .map(SelectionOutcome::Highlighted)
}
