//! `gloss save` while the window is open: the saves are handed to the running
//! app, which shows them as they happen, instead of being written from a
//! second process behind its back.
//!
//! While its window runs, the app listens on 127.0.0.1 (a port the system
//! picks) and writes `<library>.handoff`, readable by its user only, with
//! the port and a random token; it removes the file when it exits. `gloss
//! save` reads the file, connects, proves it may ask by sending the token,
//! and gets one answer per source as each save ends. The protocol is one
//! JSON object per line; a page sent by the browser extension (through
//! `gloss native-host`) follows its request line as `html_bytes` bytes of
//! UTF-8, read only once the token matched. A file left by an app that crashed (nobody
//! listening, or something else on the port) is ignored: the command saves
//! directly, as when no app runs.
//!
//! Both sides use the types here; the listener is `src-tauri/handoff.rs`.

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use gloss_core::annotate::TextQuoteSelector;
use gloss_core::model::StorySummary;
use gloss_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// What the app writes to `<library>.handoff`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub port: u16,
    /// 64 hex digits from the system's random source.
    pub token: String,
}

/// What `gloss save` sends: the first and only line from the command line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SaveRequest {
    pub token: String,
    /// URLs, and files as absolute paths (the app does not share our folder).
    pub sources: Vec<String>,
    pub tags: Vec<String>,
    pub skip_images: bool,
    pub base_url: Option<String>,
    /// A page as the browser showed it, to save instead of fetching
    /// `sources` (which then holds its URL alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageRequest>,
}

/// A page from the browser: the request line carries all but its HTML,
/// whose `html_bytes` bytes follow the line.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PageRequest {
    pub url: String,
    pub title: String,
    pub selection: Option<TextQuoteSelector>,
    /// How many bytes of HTML follow the request line.
    pub html_bytes: u64,
    /// The HTML itself: sent after the line, not in it.
    #[serde(skip)]
    pub html: String,
}

/// The app's first line: whether it took the request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Greeting {
    Accepted,
    Refused { message: String },
}

/// One line per source, in the order sent, as each save ends.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum SaveReply {
    Saved {
        source: String,
        created: bool,
        story: Box<StorySummary>,
        /// The highlight made of a page's selection.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        annotation: Option<i64>,
        /// Why a page's selection is not a highlight (the story is saved).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        warning: Option<String>,
    },
    Failed {
        source: String,
        message: String,
    },
}

/// How long `gloss save` waits to reach the app and for each save to end
/// (a save is bounded by the fetcher's own limits: 30 s a page, then images).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const GREETING_TIMEOUT: Duration = Duration::from_secs(10);
const REPLY_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// `<library>.handoff`, next to the library file.
pub fn invitation_path(library: &Path) -> PathBuf {
    // The app and the command line may name the library differently
    // (relative, through a symlink): the file exists while the app runs.
    let library = std::fs::canonicalize(library).unwrap_or_else(|_| library.to_path_buf());
    let mut name = library.file_name().unwrap_or_default().to_os_string();
    name.push(".handoff");
    library.with_file_name(name)
}

/// Reads the invitation the running app left, if there is one.
pub fn read_invitation(library: &Path) -> Option<Invitation> {
    let text = std::fs::read_to_string(invitation_path(library)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Hands the saves to the app running on `library`. `Ok(None)` means no app
/// took them (none runs, or the invitation is stale): save directly. Once
/// the app has accepted, `on_reply` is called for each source as it ends.
pub fn hand_off(
    library: &Path,
    request: SaveRequest,
    mut on_reply: impl FnMut(SaveReply) -> Result<()>,
) -> Result<Option<()>> {
    let Some(invitation) = read_invitation(library) else {
        return Ok(None);
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, invitation.port));
    let Ok(stream) = TcpStream::connect_timeout(&address, CONNECT_TIMEOUT) else {
        return Ok(None); // stale: the app that wrote it is gone
    };
    let lost = |e: std::io::Error| Error::io("handing the save to the running Gloss", e);
    let expected = request.sources.len();
    let mut request = SaveRequest {
        token: invitation.token,
        ..request
    };
    let html = match request.page.as_mut() {
        Some(page) => {
            page.html_bytes = page.html.len() as u64;
            std::mem::take(&mut page.html)
        }
        None => String::new(),
    };
    let mut writer = stream.try_clone().map_err(lost)?;
    let mut line = serde_json::to_string(&request)
        .map_err(|e| Error::InvalidInput(format!("the save request: {e}")))?;
    line.push('\n');
    if writer.write_all(line.as_bytes()).is_err() {
        return Ok(None);
    }
    if !html.is_empty() && writer.write_all(html.as_bytes()).is_err() {
        return Ok(None);
    }
    stream
        .set_read_timeout(Some(GREETING_TIMEOUT))
        .map_err(lost)?;
    let mut reader = BufReader::new(stream);
    // Anything but a greeting means whoever listens there is not Gloss.
    match read_line::<Greeting>(&mut reader) {
        Some(Greeting::Accepted) => {}
        Some(Greeting::Refused { message }) => {
            return Err(Error::InvalidInput(format!(
                "the running Gloss refused the save: {message}"
            )))
        }
        None => return Ok(None),
    }
    reader
        .get_ref()
        .set_read_timeout(Some(REPLY_TIMEOUT))
        .map_err(lost)?;
    for _ in 0..expected {
        match read_line::<SaveReply>(&mut reader) {
            Some(reply) => on_reply(reply)?,
            None => {
                return Err(Error::Io {
                    context: "the running Gloss stopped answering before every save ended".into(),
                    source: std::io::Error::from(std::io::ErrorKind::UnexpectedEof),
                })
            }
        }
    }
    Ok(Some(()))
}

fn read_line<T: for<'de> Deserialize<'de>>(reader: &mut impl BufRead) -> Option<T> {
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => serde_json::from_str(line.trim_end()).ok(),
    }
}

/// Sources as the app must see them: files made absolute, URLs as given.
pub fn absolute_sources(sources: &[String]) -> Vec<String> {
    let cwd = std::env::current_dir().ok();
    sources
        .iter()
        .map(|s| {
            let looks_like_url = s.contains("://");
            match (&cwd, looks_like_url) {
                (Some(cwd), false) if Path::new(s).is_relative() => {
                    cwd.join(s).to_string_lossy().into_owned()
                }
                _ => s.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes an invitation to `port` with a token no app holds.
    fn invite(lib: &Path, port: u16) {
        let invitation = Invitation {
            port,
            token: "00".into(),
        };
        std::fs::write(
            invitation_path(lib),
            serde_json::to_string(&invitation).unwrap(),
        )
        .unwrap();
    }

    #[test]
    fn the_invitation_sits_next_to_the_library() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("my.gloss");
        std::fs::write(&lib, "").unwrap();
        let expected = std::fs::canonicalize(dir.path())
            .unwrap()
            .join("my.gloss.handoff");
        assert_eq!(invitation_path(&lib), expected);
    }

    #[test]
    fn no_invitation_or_a_stale_one_means_save_directly() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib.gloss");
        let request = || SaveRequest {
            token: String::new(),
            sources: vec!["https://example.com/".into()],
            tags: vec![],
            skip_images: false,
            base_url: None,
            page: None,
        };
        assert!(hand_off(&lib, request(), |_| Ok(())).unwrap().is_none());
        // A port nobody listens on any more.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        invite(&lib, port);
        assert!(hand_off(&lib, request(), |_| Ok(())).unwrap().is_none());
    }

    #[test]
    fn something_else_listening_is_not_taken_for_gloss() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib.gloss");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        invite(&lib, port);
        let other = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut first = String::new();
            BufReader::new(s.try_clone().unwrap())
                .read_line(&mut first)
                .unwrap();
            s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").unwrap();
        });
        let request = SaveRequest {
            token: String::new(),
            sources: vec!["https://example.com/".into()],
            tags: vec![],
            skip_images: false,
            base_url: None,
            page: None,
        };
        assert!(hand_off(&lib, request, |_| Ok(())).unwrap().is_none());
        other.join().unwrap();
    }
}
