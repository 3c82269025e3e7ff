//! The app's services: plain functions over the app state that do what the
//! window, a link from the browser, `gloss save` from a shell, the menu or
//! the recovery dialog ask.
//!
//! Layer order inside the app crate (each arrow only points down):
//!
//! ```text
//! commands/ (Tauri IPC)   app.rs, launch.rs, handoff wiring, menu.rs
//!                  \        /
//!                  services/            (this module)
//!                      |
//!        state.rs, events.rs, notify.rs, handoff::Listener
//!                      |
//!                  gloss-core
//! ```
//!
//! Commands parse arguments and map errors; everything more than one core
//! call lives here so that the other ways in reach it without going
//! through a command.

pub mod accounts;
pub mod browser;
pub mod deferred;
pub mod feeds;
pub mod launches;
pub mod library;
pub mod recovery;
pub mod saving;
pub mod sync;
pub mod updates;
