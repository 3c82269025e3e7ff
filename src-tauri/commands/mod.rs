//! Tauri commands: each parses its arguments, makes one call into
//! `gloss-core` off the async runtime or into `crate::services`, and maps
//! the error to `{kind, message}`. No SQL and no HTML handling here, and
//! nothing else in the app calls a command: the other ways in (links,
//! `gloss save`, the menu, recovery) use the services.

mod accounts;
mod annotations;
mod app_info;
mod feeds;
mod library;
mod portability;
mod recovery;
mod saving;
mod stories;
mod sync;

use gloss_core::error::ErrorPayload;

pub use accounts::*;
pub use annotations::*;
pub use app_info::*;
pub use feeds::*;
pub use library::*;
pub use portability::*;
pub use recovery::*;
pub use saving::*;
pub use stories::*;
pub use sync::*;

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

/// Every command, for `invoke_handler`.
#[macro_export]
macro_rules! all_commands {
    () => {
        tauri::generate_handler![
            $crate::commands::list_stories,
            $crate::commands::first_screen,
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
            $crate::commands::list_accounts,
            $crate::commands::add_account,
            $crate::commands::rename_account,
            $crate::commands::remove_account,
            $crate::commands::sync_accounts,
            $crate::commands::account_subscribe,
            $crate::commands::account_unsubscribe,
            $crate::commands::account_edit_feed,
            $crate::commands::about_info,
            $crate::commands::check_for_update,
            $crate::commands::install_update,
            $crate::commands::launch_ready,
            $crate::commands::import_file,
            $crate::commands::cancel_import,
            $crate::commands::export_library,
            $crate::commands::cancel_export,
            $crate::commands::sync_status,
            $crate::commands::sync_now,
            $crate::commands::sync_setup_folder,
            $crate::commands::sync_setup_webdav,
            $crate::commands::sync_off,
        ]
    };
}
