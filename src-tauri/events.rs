//! Every event the backend sends the window, in one place: its name and the
//! type of its payload.
//!
//! The names are an enum so that the UI gets them as a generated TypeScript
//! union (`ui/src/bindings/EventName.ts`, checked by `tests/event_bindings.rs`):
//! `ui/src/api.ts` can only listen to a name that exists here. Each payload
//! type names its event ([`Event`]), so a payload cannot be sent under
//! another event's name.

use gloss_core::library::{stories_of, Change};
use gloss_core::model::{
    AccountSyncResult, FeedProgress, LibraryChanged, LibraryHealth, MenuAction, SaveProgress,
    StoryId,
};
use gloss_core::portability::export::ExportProgress;
use gloss_core::portability::item::ImportProgress;
use gloss_core::sync::SyncStatus;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use ts_rs::TS;

use crate::state::{AppState, SyncDue};

/// The name of every event the window listens to (serialised as the UI
/// sees it: `"library-changed"`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum EventName {
    /// Stories, feeds or the library file changed: the UI reloads (payload
    /// [`LibraryChanged`]).
    LibraryChanged,
    /// A save went through a stage ([`SaveProgress`]).
    SaveProgress,
    /// A feed of a refresh ended ([`FeedProgress`]).
    FeedsProgress,
    /// A feed account's sync ended ([`AccountSyncResult`]).
    AccountsProgress,
    /// An import went through a stage ([`ImportProgress`]).
    ImportProgress,
    /// An export wrote more stories ([`ExportProgress`]).
    ExportProgress,
    /// A native menu item was clicked ([`MenuAction`]).
    MenuAction,
    /// Open this story after a link or file saved it ([`ShowStory`]).
    ShowStory,
    /// The library's health changed ([`LibraryHealth`]).
    LibraryHealth,
    /// A sentence for the user: a refused link, an import's outcome ([`AppMessage`]).
    AppMessage,
    /// Sync ran, was set up or turned off ([`SyncStatus`]).
    SyncStatus,
}

impl EventName {
    /// Every event, for the tests that hold the names to their serialisation.
    pub const ALL: [EventName; 11] = [
        EventName::LibraryChanged,
        EventName::SaveProgress,
        EventName::FeedsProgress,
        EventName::AccountsProgress,
        EventName::ImportProgress,
        EventName::ExportProgress,
        EventName::MenuAction,
        EventName::ShowStory,
        EventName::LibraryHealth,
        EventName::AppMessage,
        EventName::SyncStatus,
    ];

    /// The name on the wire (the same as the serde form).
    pub const fn as_str(self) -> &'static str {
        match self {
            EventName::LibraryChanged => "library-changed",
            EventName::SaveProgress => "save-progress",
            EventName::FeedsProgress => "feeds-progress",
            EventName::AccountsProgress => "accounts-progress",
            EventName::ImportProgress => "import-progress",
            EventName::ExportProgress => "export-progress",
            EventName::MenuAction => "menu-action",
            EventName::ShowStory => "show-story",
            EventName::LibraryHealth => "library-health",
            EventName::AppMessage => "app-message",
            EventName::SyncStatus => "sync-status",
        }
    }
}

/// A payload, and the one event it is sent as.
pub trait Event: Serialize {
    const NAME: EventName;
}

/// Payload of `show-story`: the id of the story to open.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(transparent)]
pub struct ShowStory(pub StoryId);

/// Payload of `app-message`: a sentence for the user.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct AppMessage(pub String);

macro_rules! events {
    ($($payload:ty => $name:ident),* $(,)?) => {$(
        impl Event for $payload {
            const NAME: EventName = EventName::$name;
        }
    )*};
}

events!(
    LibraryChanged => LibraryChanged,
    SaveProgress => SaveProgress,
    FeedProgress => FeedsProgress,
    AccountSyncResult => AccountsProgress,
    ImportProgress => ImportProgress,
    ExportProgress => ExportProgress,
    MenuAction => MenuAction,
    ShowStory => ShowStory,
    LibraryHealth => LibraryHealth,
    AppMessage => AppMessage,
    SyncStatus => SyncStatus,
);

/// Sends `payload` to the window under its event's name. A window that is
/// gone cannot be told; nothing else is to be done about it.
pub fn emit<R: Runtime, E: Event>(app: &impl Emitter<R>, payload: &E) {
    let _ = app.emit(E::NAME.as_str(), payload);
}

/// Tells the window that stories changed, so it reloads what it shows.
pub fn notify_changed<R: Runtime>(app: &impl Emitter<R>, ids: &[StoryId]) {
    emit(app, &LibraryChanged { ids: ids.to_vec() });
}

/// Turns the library's changes into `library-changed` events: the door
/// (`gloss_core::library::Change`) tells of every committed write, and the
/// window hears which stories changed (none named: reload everything).
/// Reading progress alone sends none: the reader scrolls often and must
/// not make the list reload, nor does sync's bookkeeping. Every change
/// but sync's own wakes the sync loop.
pub fn relay_library_changes<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    let app = app.clone();
    state.relay_changes(move |changes| {
        if changes.iter().any(|c| !matches!(c, Change::Synced { .. })) {
            if let Some(due) = app.try_state::<SyncDue>() {
                due.0.notify_one();
            }
        }
        if changes.iter().all(|c| match c {
            Change::Progress { .. } => true,
            Change::Synced { stories } => stories.is_empty(),
            _ => false,
        }) {
            return;
        }
        notify_changed(&app, &stories_of(changes));
    });
}

/// The names as strings, for code that listens by name (tests).
pub const LIBRARY_CHANGED: &str = EventName::LibraryChanged.as_str();
pub const SHOW_STORY: &str = EventName::ShowStory.as_str();
pub const APP_MESSAGE: &str = EventName::AppMessage.as_str();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_serialised_names() {
        for name in EventName::ALL {
            let json = serde_json::to_value(name).expect("an event name serialises");
            assert_eq!(json, name.as_str());
        }
    }
}
