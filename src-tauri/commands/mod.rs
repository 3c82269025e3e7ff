//! Tauri commands: each parses its arguments, makes one call into
//! `gloss-core` off the async runtime, and maps the error to `{kind, message}`.
//! No SQL and no HTML handling here.

mod annotations;
mod app_info;
mod feeds;
mod library;
mod portability;
mod recovery;
mod saving;
mod stories;

use gloss_core::error::ErrorPayload;
use gloss_core::library::{stories_of, Change};
use gloss_core::model::{LibraryChanged, StoryId};
use tauri::{AppHandle, Emitter, Runtime};

use crate::state::AppState;

pub use annotations::*;
pub use app_info::*;
pub use feeds::*;
pub use library::*;
pub use portability::*;
pub use recovery::*;
pub use saving::*;
pub use stories::*;

/// The error every command returns: serialises as `{kind, message}`.
#[derive(Debug, serde::Serialize)]
#[serde(transparent)]
pub struct CommandError(ErrorPayload);

impl From<gloss_core::Error> for CommandError {
    fn from(e: gloss_core::Error) -> Self {
        CommandError(ErrorPayload::from(&e))
    }
}

impl CommandError {
    /// What the user is told (the UI shows the same text).
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

/// Event names the UI listens to.
pub const LIBRARY_CHANGED: &str = "library-changed";
pub const SAVE_PROGRESS: &str = "save-progress";
pub const FEEDS_PROGRESS: &str = "feeds-progress";
pub const IMPORT_PROGRESS: &str = "import-progress";
pub const EXPORT_PROGRESS: &str = "export-progress";

/// Tells the window that stories changed, so it reloads what it shows.
pub fn notify_changed<R: Runtime>(app: &impl Emitter<R>, ids: &[StoryId]) {
    // A window that is gone cannot be told; nothing else to do about it.
    let _ = app.emit(LIBRARY_CHANGED, LibraryChanged { ids: ids.to_vec() });
}

/// Turns the library's changes into `library-changed` events: the door
/// (`gloss_core::library::Change`) tells of every committed write, and the
/// window hears which stories changed (none named: reload everything).
/// Reading progress alone sends none: the reader scrolls often and must
/// not make the list reload.
pub fn relay_library_changes<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    let app = app.clone();
    state.relay_changes(move |changes| {
        if changes.iter().all(|c| matches!(c, Change::Progress { .. })) {
            return;
        }
        notify_changed(&app, &stories_of(changes));
    });
}

/// Every command, for `invoke_handler`.
#[macro_export]
macro_rules! all_commands {
    () => {
        tauri::generate_handler![
            $crate::commands::list_stories,
            $crate::commands::library_health,
            $crate::commands::restore_backup,
            $crate::commands::start_empty_library,
            $crate::commands::get_story,
            $crate::commands::sidebar_counts,
            $crate::commands::search_stories,
            $crate::commands::set_starred,
            $crate::commands::set_archived,
            $crate::commands::set_read,
            $crate::commands::set_tags,
            $crate::commands::set_progress,
            $crate::commands::delete_stories,
            $crate::commands::save_url,
            $crate::commands::save_file,
            $crate::commands::library_info,
            $crate::commands::open_library,
            $crate::commands::open_external,
            $crate::commands::add_annotation,
            $crate::commands::story_annotations,
            $crate::commands::notebook,
            $crate::commands::update_annotation,
            $crate::commands::delete_annotation,
            $crate::commands::list_feeds,
            $crate::commands::list_folders,
            $crate::commands::add_feed,
            $crate::commands::remove_feed,
            $crate::commands::update_feed,
            $crate::commands::refresh_feeds,
            $crate::commands::cancel_refresh,
            $crate::commands::mark_all_read,
            $crate::commands::next_unread,
            $crate::commands::import_opml,
            $crate::commands::export_opml,
            $crate::commands::add_folder,
            $crate::commands::rename_folder,
            $crate::commands::delete_folder,
            $crate::commands::about_info,
            $crate::commands::check_for_update,
            $crate::commands::install_update,
            $crate::commands::launch_ready,
            $crate::commands::import_file,
            $crate::commands::cancel_import,
            $crate::commands::export_library,
            $crate::commands::cancel_export,
        ]
    };
}
