//! `gloss native-host`: the browser extension's way into Gloss. The browser
//! starts `gloss` (the path in the host manifest, see `host_manifest.rs`)
//! and talks to it in native messaging frames (`framing.rs`) on standard
//! input and output: one reply per message, in order, until it closes the
//! input. The messages are documented in docs/browser.md.
//!
//! Only the documented messages are read; anything else gets a reply that
//! says what was wrong and the host goes on reading. Page content is data
//! only: it never reaches a shell, a command line or a path. While the
//! window is open on the library, a save is handed to it (as `gloss save`
//! does, `handoff.rs`) so the user sees the story arrive; otherwise it is
//! saved here.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gloss_core::annotate::TextQuoteSelector;
use gloss_core::fetch::Fetcher;
use gloss_core::save::{self, SaveOptions, SelectionOutcome, SuppliedPage};
use gloss_core::text::one_line;
use gloss_core::{paths, Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};

use crate::context::{runtime, LazyLibrary};
use crate::framing::{read_frame, write_frame, Frame, MAX_INCOMING};
use crate::handoff::{self, PageRequest, SaveReply, SaveRequest};
use crate::host_manifest::{CHROMIUM_ORIGIN_PREFIX, FIREFOX_EXTENSION_ID};

/// What the extension may ask.
#[derive(Debug, Deserialize)]
/// Fields Gloss does not know are passed over, so that a newer extension
/// still works with this Gloss.
#[serde(tag = "type", rename_all = "snake_case")]
enum Request {
    /// Is Gloss there? Answered with its version.
    Ping,
    /// Save the page as the browser shows it.
    SavePage {
        url: String,
        #[serde(default)]
        title: String,
        html: String,
        #[serde(default)]
        selection: Option<Selection>,
        #[serde(default)]
        tags: Vec<String>,
    },
    /// Save a link: Gloss fetches it, as `gloss save URL` does.
    SaveLink {
        url: String,
        #[serde(default)]
        tags: Vec<String>,
    },
}

/// The message types, for the reply to an unknown one.
const TYPES: &str = "ping, save_page, save_link";

/// A W3C TextQuoteSelector; the context may be left out.
#[derive(Debug, Deserialize)]
struct Selection {
    exact: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
}

/// The one reply to each message.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Reply {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// False when the page was saved before and its story was updated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<bool>,
    /// The highlight made of the selection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation_id: Option<i64>,
    /// Saved, but not all as asked (the selection is not in the article).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// Whether the open window did the save (and shows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_window: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ReplyError>,
}

/// Why a message was refused or failed.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ReplyError {
    /// `bad_message` (not JSON, unknown type, missing field: the
    /// extension's fault), or the kind of Gloss's error (`too_large`,
    /// `invalid_input`, `network`, …).
    pub kind: String,
    pub message: String,
}

/// Messages in replies are kept short: a reply must stay under 1 MB.
const MAX_MESSAGE_CHARS: usize = 2000;

impl Reply {
    fn failed(kind: &str, message: &str) -> Reply {
        Reply {
            ok: false,
            error: Some(ReplyError {
                kind: kind.to_string(),
                message: short(message),
            }),
            ..Default::default()
        }
    }

    fn error(e: &Error) -> Reply {
        Reply::failed(&kind_name(e.kind()), &e.to_string())
    }
}

fn kind_name(kind: ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "error".into())
}

/// One line of at most [`MAX_MESSAGE_CHARS`] characters.
fn short(text: &str) -> String {
    let line = one_line(text);
    match line.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// True when a browser started `gloss` as its native messaging host: Chrome
/// passes the extension's origin (`chrome-extension://<id>/`, and on
/// Windows `--parent-window=<n>`), Firefox the manifest's path and the
/// extension's id. The manifest's `path` cannot carry arguments, so this
/// is how `gloss` knows.
pub fn started_by_browser(args: &[OsString]) -> bool {
    let args: Vec<&str> = args.iter().skip(1).filter_map(|a| a.to_str()).collect();
    match args.as_slice() {
        [origin, ..] if origin.starts_with(CHROMIUM_ORIGIN_PREFIX) => true,
        [manifest, id] => *id == FIREFOX_EXTENSION_ID && manifest.ends_with(".json"),
        _ => false,
    }
}

/// Answers the browser until it closes the input. Exits with 0 when the
/// input ends between messages, 1 when it ends inside one or cannot be read.
pub fn run(library: Option<PathBuf>) -> ExitCode {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut host = Host::new(library);
    match serve(&mut stdin.lock(), &mut stdout.lock(), &mut host) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The browser shows standard error in its own log.
            eprintln!("gloss native-host: {}", one_line(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// The loop: read a frame, answer it, until the end of the input.
pub fn serve(input: &mut impl Read, output: &mut impl Write, host: &mut Host) -> Result<()> {
    let lost = |e: std::io::Error| Error::io("talking to the browser", e);
    loop {
        let reply = match read_frame(input).map_err(lost)? {
            Frame::End => return Ok(()),
            Frame::Truncated => {
                return Err(Error::io(
                    "reading the browser's message",
                    std::io::Error::from(std::io::ErrorKind::UnexpectedEof),
                ))
            }
            Frame::TooLarge(length) => Reply::failed(
                "too_large",
                &format!(
                    "the message is {} MiB; Gloss takes messages of at most {} MiB",
                    length / (1024 * 1024),
                    MAX_INCOMING / (1024 * 1024)
                ),
            ),
            Frame::Message(bytes) => host.answer(&bytes),
        };
        let json = serde_json::to_vec(&reply)
            .map_err(|e| Error::InvalidInput(format!("the reply to the browser: {e}")))?;
        write_frame(output, &json).map_err(lost)?;
    }
}

/// What the host keeps between messages.
pub struct Host {
    library: Option<PathBuf>,
    fetcher: Option<Fetcher>,
}

impl Host {
    pub fn new(library: Option<PathBuf>) -> Host {
        Host {
            library,
            fetcher: None,
        }
    }

    /// The reply to one message's bytes.
    pub fn answer(&mut self, bytes: &[u8]) -> Reply {
        let request = match parse(bytes) {
            Ok(request) => request,
            Err(message) => return Reply::failed("bad_message", &message),
        };
        match request {
            Request::Ping => Reply {
                ok: true,
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
                ..Default::default()
            },
            Request::SavePage {
                url,
                title,
                html,
                selection,
                tags,
            } => {
                let selection = selection.map(|s| TextQuoteSelector {
                    exact: s.exact,
                    prefix: s.prefix,
                    suffix: s.suffix,
                });
                self.save_page(&url, &title, html, selection, tags)
                    .unwrap_or_else(|e| Reply::error(&e))
            }
            Request::SaveLink { url, tags } => self
                .save_link(&url, tags)
                .unwrap_or_else(|e| Reply::error(&e)),
        }
    }

    fn library_path(&self) -> Result<PathBuf> {
        paths::resolve_library_path(self.library.clone())
    }

    fn fetcher(&mut self) -> Result<&Fetcher> {
        if self.fetcher.is_none() {
            self.fetcher = Some(Fetcher::new()?);
        }
        self.fetcher
            .as_ref()
            .ok_or_else(|| Error::InvalidInput("no fetcher".into()))
    }

    fn save_page(
        &mut self,
        url: &str,
        title: &str,
        html: String,
        selection: Option<TextQuoteSelector>,
        tags: Vec<String>,
    ) -> Result<Reply> {
        // Checked before anything: an http(s) URL and HTML of a size taken.
        let page = SuppliedPage::new(url, title, html)?;
        let library = self.library_path()?;
        let request = window_request(
            page.url.to_string(),
            &tags,
            Some(PageRequest {
                url: page.url.to_string(),
                title: page.title.clone(),
                selection: selection.clone(),
                html_bytes: 0,
                html: page.html.clone(),
            }),
        );
        if let Some(reply) = hand_to_window(&library, request)? {
            return Ok(reply);
        }
        let options = SaveOptions {
            tags,
            ..Default::default()
        };
        let fetcher = self.fetcher()?.clone();
        let mut access = LazyLibrary::new(library, false);
        let saved = runtime()?.block_on(save::save_page_into(
            &mut access,
            &fetcher,
            &page,
            selection.as_ref(),
            &options,
            &|_, _, _| {},
        ))?;
        let (annotation_id, warning) = selection_parts(saved.selection);
        Ok(Reply {
            ok: true,
            story_id: Some(saved.saved.story.id),
            title: Some(short(&saved.saved.story.title)),
            created: Some(saved.saved.created),
            annotation_id,
            warning,
            by_window: Some(false),
            ..Default::default()
        })
    }

    fn save_link(&mut self, url: &str, tags: Vec<String>) -> Result<Reply> {
        let url = gloss_core::urls::parse_web_url(url)?.to_string();
        let library = self.library_path()?;
        let request = window_request(url.clone(), &tags, None);
        if let Some(reply) = hand_to_window(&library, request)? {
            return Ok(reply);
        }
        let options = SaveOptions {
            tags,
            ..Default::default()
        };
        let fetcher = self.fetcher()?.clone();
        let mut access = LazyLibrary::new(library, false);
        let saved = runtime()?.block_on(save::save_into(
            &mut access,
            &fetcher,
            &url,
            &options,
            &|_, _, _| {},
        ))?;
        Ok(Reply {
            ok: true,
            story_id: Some(saved.story.id),
            title: Some(short(&saved.story.title)),
            created: Some(saved.created),
            by_window: Some(false),
            ..Default::default()
        })
    }
}

/// Reads a message: JSON, an object, of a known type, with its fields.
fn parse(bytes: &[u8]) -> std::result::Result<Request, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("the message is not valid JSON ({e})"))?;
    let Some(kind) = value.get("type") else {
        return Err(format!(
            "the message has no \"type\"; Gloss understands {TYPES}"
        ));
    };
    let known = kind
        .as_str()
        .is_some_and(|k| TYPES.split(", ").any(|t| t == k));
    if !known {
        return Err(format!(
            "unknown message type {}; Gloss understands {TYPES}",
            short(&kind.to_string())
        ));
    }
    serde_json::from_value(value).map_err(|e| format!("the message is not one Gloss reads: {e}"))
}

/// The highlight's id, or why there is none.
fn selection_parts(outcome: Option<SelectionOutcome>) -> (Option<i64>, Option<String>) {
    match outcome {
        Some(SelectionOutcome::Highlighted(a)) => (Some(a.id), None),
        Some(SelectionOutcome::NotInArticle(why)) => (None, Some(short(&why))),
        None => (None, None),
    }
}

/// What the open window is asked to save for the extension: one address
/// with its tags and, for a page, the page as the browser showed it.
fn window_request(source: String, tags: &[String], page: Option<PageRequest>) -> SaveRequest {
    SaveRequest {
        token: String::new(),
        sources: vec![source],
        tags: tags.to_vec(),
        skip_images: false,
        base_url: None,
        page,
    }
}

/// Hands one save to the window open on `library`; `None` when no window
/// took it (save here).
fn hand_to_window(library: &Path, request: SaveRequest) -> Result<Option<Reply>> {
    let mut answer = None;
    let handed = handoff::hand_off(library, request, |reply| {
        answer = Some(match reply {
            SaveReply::Saved {
                created,
                story,
                annotation,
                warning,
                ..
            } => Reply {
                ok: true,
                story_id: Some(story.id),
                title: Some(short(&story.title)),
                created: Some(created),
                annotation_id: annotation,
                warning: warning.as_deref().map(short),
                by_window: Some(true),
                ..Default::default()
            },
            SaveReply::Failed { message, .. } => {
                let mut reply = Reply::failed("failed", &message);
                reply.by_window = Some(true);
                reply
            }
        });
        Ok(())
    })?;
    Ok(handed.and(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(host: &mut Host, message: &str) -> Reply {
        host.answer(message.as_bytes())
    }

    fn error_kind(reply: &Reply) -> &str {
        reply.error.as_ref().map_or("", |e| e.kind.as_str())
    }

    #[test]
    fn the_browser_is_recognised_by_the_arguments_it_starts_gloss_with() {
        let args = |a: &[&str]| -> Vec<OsString> { a.iter().map(OsString::from).collect() };
        let chrome = format!("{CHROMIUM_ORIGIN_PREFIX}abc/");
        assert!(started_by_browser(&args(&["gloss", &chrome])));
        assert!(started_by_browser(&args(&[
            "gloss.exe",
            &chrome,
            "--parent-window=0"
        ])));
        assert!(started_by_browser(&args(&[
            "gloss",
            "/usr/lib/mozilla/native-messaging-hosts/org.glossreader.gloss.json",
            FIREFOX_EXTENSION_ID
        ])));
        assert!(!started_by_browser(&args(&["gloss"])));
        assert!(!started_by_browser(&args(&["gloss", "list"])));
        assert!(!started_by_browser(&args(&[
            "gloss",
            "page.json",
            "other@example.com"
        ])));
        assert!(!started_by_browser(&args(&[
            "gloss",
            "gloss://save?url=https://example.com/"
        ])));
    }

    #[test]
    fn ping_answers_with_the_version() {
        let mut host = Host::new(None);
        let reply = ask(&mut host, r#"{"type":"ping"}"#);
        assert!(reply.ok);
        assert_eq!(reply.version.as_deref(), Some(env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn messages_that_are_not_the_documented_ones_are_refused_with_a_reason() {
        let mut host = Host::new(None);
        for (message, says) in [
            ("not json", "not valid JSON"),
            ("[1,2]", "no \"type\""),
            ("{}", "no \"type\""),
            (
                r#"{"type":"run","command":"rm -rf ~"}"#,
                "unknown message type \"run\"",
            ),
            (r#"{"type":7}"#, "unknown message type 7"),
            (
                r#"{"type":"save_page","url":"https://example.com/"}"#,
                "missing field `html`",
            ),
            (r#"{"type":"save_link"}"#, "missing field `url`"),
            (
                r#"{"type":"save_page","url":"https://example.com/","html":"","selection":{"prefix":"a"}}"#,
                "missing field `exact`",
            ),
        ] {
            let reply = ask(&mut host, message);
            assert!(!reply.ok, "{message}");
            assert_eq!(error_kind(&reply), "bad_message", "{message}");
            let text = &reply.error.as_ref().unwrap().message;
            assert!(text.contains(says), "{message}: {text}");
        }
    }

    #[test]
    fn pages_that_are_not_web_pages_are_refused_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.gloss");
        let mut host = Host::new(Some(library.clone()));
        for url in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "chrome://settings",
            "",
        ] {
            let message = serde_json::json!({"type": "save_page", "url": url, "html": "<p>x</p>"});
            let reply = ask(&mut host, &message.to_string());
            assert_eq!(error_kind(&reply), "invalid_input", "{url}");
        }
        let reply = ask(
            &mut host,
            r#"{"type":"save_link","url":"ftp://example.com/"}"#,
        );
        assert_eq!(error_kind(&reply), "invalid_input");
        assert!(!library.exists(), "nothing was written");
    }

    #[test]
    fn a_page_over_the_limit_is_refused_as_too_large() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.gloss");
        let mut host = Host::new(Some(library.clone()));
        let html = "x".repeat(save::page::MAX_PAGE_HTML + 1);
        let message =
            serde_json::json!({"type": "save_page", "url": "https://example.com/", "html": html});
        let reply = ask(&mut host, &message.to_string());
        assert_eq!(error_kind(&reply), "too_large");
        assert!(reply.error.unwrap().message.contains("32 MiB"));
        assert!(!library.exists());
    }

    #[test]
    fn the_loop_answers_each_frame_in_order_and_ends_with_the_input() {
        let mut input = Vec::new();
        for m in [
            r#"{"type":"ping"}"#,
            "{bad",
            r#"{"type":"nope"}"#,
            r#"{"type":"ping"}"#,
        ] {
            write_frame(&mut input, m.as_bytes()).unwrap();
        }
        let length = MAX_INCOMING + 1;
        input.extend(length.to_ne_bytes());
        input.resize(input.len() + length as usize, b'{');
        write_frame(&mut input, br#"{"type":"ping"}"#).unwrap();
        let mut output = Vec::new();
        serve(&mut input.as_slice(), &mut output, &mut Host::new(None)).unwrap();
        let mut replies = Vec::new();
        let mut rest = output.as_slice();
        while let Frame::Message(bytes) = read_frame(&mut rest).unwrap() {
            replies.push(serde_json::from_slice::<Reply>(&bytes).unwrap());
        }
        let kinds: Vec<(bool, &str)> = replies.iter().map(|r| (r.ok, error_kind(r))).collect();
        assert_eq!(
            kinds,
            [
                (true, ""),
                (false, "bad_message"),
                (false, "bad_message"),
                (true, ""),
                (false, "too_large"),
                (true, "")
            ]
        );
        // Cut inside a frame: an error, after answering what came whole.
        let mut cut = Vec::new();
        write_frame(&mut cut, br#"{"type":"ping"}"#).unwrap();
        cut.extend(100u32.to_ne_bytes());
        cut.extend(b"{\"ty");
        let mut output = Vec::new();
        assert!(serve(&mut cut.as_slice(), &mut output, &mut Host::new(None)).is_err());
        assert!(matches!(
            read_frame(&mut output.as_slice()).unwrap(),
            Frame::Message(_)
        ));
    }
}
