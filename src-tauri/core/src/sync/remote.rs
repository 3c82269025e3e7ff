//! Where sync files live: a folder or a WebDAV collection, behind one small
//! trait so that the layout and the merge never know which.
//!
//! The trait is blocking: sync runs on a worker thread, never on the UI
//! thread, and a transport that speaks HTTP blocks on its own runtime.
//! Paths are relative, `/`-separated, and checked by [`check_path`] before
//! any transport sees them.

use crate::Error;

/// One file on the shared storage, as a listing reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    /// Relative to the sync root, `/`-separated.
    pub path: String,
    pub size: u64,
    /// Whatever changes when the file's content changes (a WebDAV ETag, or a
    /// folder's modification time and size), when the storage reports one.
    pub version: Option<String>,
}

/// The shared storage.
pub trait Remote: Send + Sync {
    /// Where this is, for messages: a folder's path or a URL without its
    /// credentials.
    fn describe(&self) -> String;

    /// The files directly inside `dir` (`""` is the root); not recursive,
    /// directories left out. A directory that does not exist has no files.
    fn list(&self, dir: &str) -> Result<Vec<RemoteFile>, RemoteError>;

    /// The whole content of `path`, or `None` when there is no such file.
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, RemoteError>;

    /// Writes `bytes` as `path`, replacing any file there: under a temporary
    /// name in the same directory first, then renamed into place (WebDAV
    /// `MOVE`), so that no reader ever sees a part. Missing directories are
    /// made.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RemoteError>;

    /// Removes `path`; removing a file that is not there is not an error.
    fn delete(&self, path: &str) -> Result<(), RemoteError>;
}

/// A boxed transport is a transport (the target picks one at run time, and
/// encryption wraps whichever it picked).
impl Remote for Box<dyn Remote> {
    fn describe(&self) -> String {
        self.as_ref().describe()
    }
    fn list(&self, dir: &str) -> Result<Vec<RemoteFile>, RemoteError> {
        self.as_ref().list(dir)
    }
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        self.as_ref().read(path)
    }
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        self.as_ref().write(path, bytes)
    }
    fn delete(&self, path: &str) -> Result<(), RemoteError> {
        self.as_ref().delete(path)
    }
}

/// What went wrong on the shared storage, in words that say what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    #[error(
        "the server refused the user name or password (HTTP 401): check them in Settings › Sync"
    )]
    Unauthorized,
    #[error("the server does not let this user use {0} (HTTP 403): check the account's rights")]
    Forbidden(String),
    #[error("{0} does not exist: check the address, or make the folder on the server")]
    NotFound(String),
    #[error("the server is full (HTTP 507 Insufficient Storage): free some space on it")]
    InsufficientStorage,
    #[error("the server failed (HTTP {status}); Gloss will try again later")]
    Server { status: u16 },
    #[error("the server did not answer in time; Gloss will try again later")]
    Timeout,
    #[error("the connection broke off before the whole file arrived; Gloss will try again later")]
    Interrupted,
    #[error("the secure connection failed: {0}")]
    Tls(String),
    #[error("cannot reach the server: {0}")]
    Network(String),
    #[error("{0} is read-only: Gloss needs to write there")]
    ReadOnly(String),
    #[error("{0} is not there: is the drive or network folder mounted?")]
    Unavailable(String),
    #[error("{0}")]
    Refused(String),
    #[error(
        "the passphrase does not open this encrypted sync folder: check it (it is the one chosen when sync was first set up)"
    )]
    WrongPassphrase,
    #[error("{0} on the sync storage is damaged or incomplete; Gloss skips it until it is whole")]
    Damaged(String),
}

impl From<RemoteError> for Error {
    fn from(e: RemoteError) -> Self {
        match e {
            RemoteError::Refused(_) | RemoteError::WrongPassphrase => {
                Error::InvalidInput(e.to_string())
            }
            RemoteError::NotFound(_) => Error::NotFound(e.to_string()),
            _ => Error::Network(e.to_string()),
        }
    }
}

/// Refuses a path that could leave the sync root or that a file system or
/// server would read otherwise: empty parts, `.` and `..`, backslashes,
/// absolute paths, control characters.
pub fn check_path(path: &str) -> Result<(), RemoteError> {
    let fine = !path.is_empty()
        && path.len() <= 512
        && path.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    if fine {
        Ok(())
    } else {
        Err(RemoteError::Refused(format!(
            "{path:?} is not a sync file's name"
        )))
    }
}

/// The path of the file `name` listed in `dir` (`""` is the root), or
/// `None` when that is no sync file's name (another program's file, which a
/// listing leaves out).
pub fn listed_path(dir: &str, name: &str) -> Option<String> {
    let path = if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    };
    check_path(&path).ok().map(|()| path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root() {
        for good in ["changes/dev-1.ops", "library.json", "packs/ab/abcd.pack"] {
            assert!(check_path(good).is_ok(), "{good}");
        }
        for bad in [
            "", "/abs", "a//b", "../up", "a/../b", "./a", "a\\b", "a b", "a/", "ü",
        ] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
    }
}
