//! `gloss-core`: everything Gloss knows how to do, with no window attached.
//!
//! The desktop shell (`src-tauri/`) and the `gloss` command line are thin
//! layers over this crate. Each module owns one concept:
//!
//! - [`accounts`]: feed accounts (Fever and Google Reader API servers) kept in step with Gloss.
//! - [`annotate`]: highlights and notes, and how they are anchored to a story's text.
//! - [`library`]: the SQLite file (schema, migrations, stories, tags, assets, full-text index),
//!   and the door every write passes (`library::Change`). It uses only plain data and leaves;
//!   `tests/layering.rs` keeps the modules free of cycles.
//! - [`search`]: turning what a user typed into a safe FTS5 query.
//! - [`fetch`]: HTTP with limits (redirects, time, size, charset decoding).
//! - [`extract`]: readable article, metadata and sanitized HTML from a page.
//! - [`feeds`]: following feeds: discovery, parsing, polite refresh, OPML.
//! - [`portability`]: exports other tools read (Markdown notes, W3C annotations).
//! - [`save`]: the pipeline that fetches, extracts, stores images and writes a story.
//! - [`secrets`]: passwords and passphrases in the operating system's keyring.
//! - [`sync`]: the library on several computers, through a folder or WebDAV (see docs/sync.md).
//! - [`urls`]: URL normalisation (tracking parameters, fragments).
//! - [`model`]: the plain data types that cross into the UI and the CLI's JSON.
//! - [`markup`], [`text`], [`clock`]: leaf helpers every module may use
//!   (escaping for HTML and XML, one-line text, the time in milliseconds).

pub mod accounts;
pub mod annotate;
pub mod clock;
pub mod error;
pub mod extract;
pub mod feeds;
pub mod fetch;
pub mod library;
pub mod markup;
pub mod model;
pub mod paths;
pub mod portability;
pub mod save;
pub mod search;
pub mod secrets;
pub mod sync;
pub mod text;
pub mod urls;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use error::{Error, ErrorKind, Result};
pub use library::Library;

/// The app identifier in `tauri.conf.json`; the default library lives in the
/// platform data folder named after it (the folder Tauri's `app_data_dir` gives).
/// A test in the app crate checks that the two agree.
pub const APP_IDENTIFIER: &str = "org.glossreader.gloss";
