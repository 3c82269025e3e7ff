//! The one error type of the core.
//!
//! Every error carries a [`ErrorKind`] the UI can branch on and a message a
//! person can act on ("what was wrong and what to do"). Both cross IPC as
//! `{kind, message}`.

use serde::Serialize;
use ts_rs::TS;

/// What sort of failure happened, for callers that decide by category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input was not acceptable (bad URL, unsupported scheme, bad option).
    InvalidInput,
    /// A story, tag, file or asset that was asked for does not exist.
    NotFound,
    /// The network failed: DNS, connect, TLS, timeout, HTTP error status.
    Network,
    /// The content is of a type Gloss does not save (PDF, image, JSON, ...).
    Unsupported,
    /// A limit was exceeded (body size, redirects, image count).
    TooLarge,
    /// The SQLite library failed or is damaged.
    Database,
    /// A local file could not be read or written.
    Io,
    /// Work was cancelled by the user.
    Cancelled,
}

/// An error of the core: a kind and a message meant for people.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Network(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("library error: {context}: {source}")]
    Database {
        context: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the library is damaged: {0}")]
    Damaged(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cancelled")]
    Cancelled,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Network(_) => ErrorKind::Network,
            Error::Unsupported(_) => ErrorKind::Unsupported,
            Error::TooLarge(_) => ErrorKind::TooLarge,
            Error::Database { .. } | Error::Damaged(_) => ErrorKind::Database,
            Error::Io { .. } => ErrorKind::Io,
            Error::Cancelled => ErrorKind::Cancelled,
        }
    }

    /// Wraps an I/O error with what was being done ("reading notes.txt").
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// Wraps a SQLite error with what was being done ("saving a story").
    pub fn db(context: impl Into<String>, source: rusqlite::Error) -> Self {
        Error::Database {
            context: context.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The serialisable form of an error that crosses IPC: `{kind, message}`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ErrorPayload {
    pub kind: ErrorKind,
    pub message: String,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        ErrorPayload {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}
