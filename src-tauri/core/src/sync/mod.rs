//! The library on several computers: two-way sync through storage the user
//! already has, a folder that a sync tool keeps in step or a WebDAV server.
//! No Gloss server is involved. docs/sync.md has the model, the layout on the
//! shared storage and the conflict rules.
//!
//! - [`remote`]: the one small trait both transports implement.
//! - [`webdav`]: the WebDAV transport.
//! - [`crypt`]: end-to-end encryption, a transport wrapped around another.
//! - [`folder`]: the folder transport.
//! - [`hlc`]: the hybrid logical clock that stamps every change.
//! - [`ops`]: operations and the merge rules.
//! - [`files`]: change files and packs, byte for byte.
//! - [`engine`]: one sync, and the setup.
//! - [`target`]: where a library syncs to, as its settings keep it.
//! - [`status`]: how sync stands, for the command line and the window.

pub mod crypt;
pub mod engine;
pub mod files;
pub mod folder;
pub mod hlc;
pub mod ops;
pub mod remote;
pub mod status;
pub mod target;
pub mod webdav;

pub use engine::{record_local, setup, sync_now, SyncOptions, SyncReport};
pub use status::{status, SyncStatus};
pub use target::{Secrets, Target};
