//! The save pipeline: one input, from its parsing to the stored story's
//! summary. The window and the command line both save through
//! [`save_into`]; they differ only in how they reach the library (see
//! [`LibraryAccess`]) and in what they do with the progress and the result.

use super::{prepare, Progress, SaveOptions, Source};
use crate::fetch::Fetcher;
use crate::library::LibraryAccess;
use crate::model::{SaveStage, StorySummary};
use crate::Result;

/// A story that a save stored.
#[derive(Debug, Clone)]
pub struct Saved {
    /// False when the page was saved before and its story was updated.
    pub created: bool,
    pub story: StorySummary,
}

/// Saves `input` (a URL or a page file): parses it, fetches or reads and
/// extracts it without the library, then stores it and reads its summary
/// in one visit to the library. `progress` hears each stage up to
/// [`SaveStage::Storing`]; what follows (done, failed) is the caller's to
/// report, with the story or the error this returns.
///
/// The library is reached only once the story is ready, so an access that
/// opens the library on first use (the command line's) leaves no trace of
/// a save that failed before.
pub async fn save_into(
    library: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    input: &str,
    options: &SaveOptions,
    progress: Progress<'_>,
) -> Result<Saved> {
    let source = Source::parse(input)?;
    let story = prepare(fetcher, &source, options, progress).await?;
    progress(SaveStage::Storing, 0, 0);
    library.with(|lib| {
        let outcome = lib.store_story(story)?;
        Ok(Saved {
            created: outcome.created,
            story: lib.summary(outcome.id)?,
        })
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::Library;

    /// An access that counts its visits, as the command line's lazy one
    /// would open the library at the first.
    struct Counting {
        library: Library,
        visits: u32,
    }

    impl LibraryAccess for Counting {
        fn with<T>(&mut self, work: impl FnOnce(&mut Library) -> Result<T>) -> Result<T> {
            self.visits += 1;
            work(&mut self.library)
        }
    }

    /// A new library in `dir`, not yet visited.
    fn counting(dir: &std::path::Path) -> Counting {
        Counting {
            library: Library::open(dir.join("library.gloss")).unwrap(),
            visits: 0,
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_file_is_stored_once_and_updated_the_second_time() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("note.md");
        std::fs::write(&page, "# A note\n\nSome words to keep.").unwrap();
        let mut access = counting(dir.path());
        let fetcher = Fetcher::new().unwrap();
        let stages = Mutex::new(Vec::new());
        let progress = |stage: SaveStage, _: u32, _: u32| stages.lock().unwrap().push(stage);
        let input = page.display().to_string();
        let options = SaveOptions::default();
        let rt = runtime();
        let mut save = || {
            rt.block_on(save_into(
                &mut access,
                &fetcher,
                &input,
                &options,
                &progress,
            ))
            .unwrap()
        };
        let first = save();
        assert!(first.created);
        assert_eq!(first.story.title, "A note");
        assert_eq!(
            *stages.lock().unwrap(),
            [SaveStage::Extracting, SaveStage::Storing]
        );
        let again = save();
        assert!(!again.created);
        assert_eq!(again.story.id, first.story.id);
        assert_eq!(access.visits, 2);
    }

    #[test]
    fn a_save_that_fails_before_storing_never_reaches_the_library() {
        let dir = tempfile::tempdir().unwrap();
        let mut access = counting(dir.path());
        let missing = dir.path().join("missing.html").display().to_string();
        let error = runtime()
            .block_on(save_into(
                &mut access,
                &Fetcher::new().unwrap(),
                &missing,
                &SaveOptions::default(),
                &|_, _, _| {},
            ))
            .unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::NotFound);
        assert_eq!(access.visits, 0);
    }
}
