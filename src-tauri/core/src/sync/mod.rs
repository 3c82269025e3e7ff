//! The library on several computers: two-way sync through storage the user
//! already has, a folder that a sync tool keeps in step or a WebDAV server.
//! No Gloss server is involved. docs/sync.md has the model, the layout on the
//! shared storage and the conflict rules.
//!
//! - [`remote`]: the one small trait both transports implement.
//! - [`webdav`]: the WebDAV transport.
//! - [`crypt`]: end-to-end encryption, a transport wrapped around another.

pub mod crypt;
pub mod remote;
pub mod webdav;
