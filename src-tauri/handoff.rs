//! The running app's side of `gloss save` handed over from a shell, and of
//! the pages the browser extension sends through `gloss native-host` (the
//! protocol and the command line's side are in `gloss_cli::handoff`).
//!
//! The listener takes connections on 127.0.0.1 only, and only from a
//! process that read the invitation file, which is created readable by its
//! user alone: the token in it is the permission. A request is one line
//! (at most 1 MiB), then for a page its HTML (at most
//! `save::page::MAX_PAGE_HTML`), read only once the token matched; the
//! saves run one after the other through the same path as the window's
//! Save field, and each answer is written as it ends.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gloss_cli::handoff::{
    invitation_path, Greeting, Invitation, PageRequest, SaveReply, SaveRequest,
};
use gloss_core::annotate::TextQuoteSelector;
use gloss_core::save::page::MAX_PAGE_HTML;
use gloss_core::save::{SaveOptions, SavedPage, SelectionOutcome, SuppliedPage};
use gloss_core::{urls, Error, Result};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One save the listener was asked for.
#[derive(Debug, Clone)]
pub enum Job {
    /// A URL or a file's absolute path, as `gloss save` takes it.
    Source(String),
    /// A page as the browser showed it, and the words selected in it.
    Page {
        page: SuppliedPage,
        selection: Option<TextQuoteSelector>,
    },
}

/// Saves one job: the app passes its save service, tests the core.
pub type SaveFn = Arc<
    dyn Fn(Job, SaveOptions) -> Pin<Box<dyn Future<Output = Result<SavedPage>> + Send>>
        + Send
        + Sync,
>;

/// Told of every batch once it has ended (for a notification), and
/// whether it came from the browser (else from a shell).
pub type BatchDone = Arc<dyn Fn(&[SaveReply], bool) + Send + Sync>;

/// The longest request line taken: thousands of URLs, never a flood.
const MAX_REQUEST: u64 = 1 << 20;
/// A client that connects and says nothing is dropped after this.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A page's HTML must have arrived by then (32 MiB on a local socket).
const PAGE_TIMEOUT: Duration = Duration::from_secs(60);

/// A listening handoff: remove the invitation with [`Listener::close`] when
/// the app exits (dropping it does the same).
pub struct Listener {
    /// Where the invitation is: it follows the library the window has open.
    path: Mutex<PathBuf>,
    port: u16,
    token: String,
    task: tokio::task::JoinHandle<()>,
}

impl Listener {
    /// Where the invitation is (next to the library).
    pub fn invitation(&self) -> PathBuf {
        self.path.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The window now has `library` open: the invitation moves next to it,
    /// so that `gloss save` on the old library saves there itself and on
    /// the new one is handed to the window, which writes to the new one.
    pub fn follow(&self, library: &Path) -> Result<()> {
        let mut path = self.path.lock().unwrap_or_else(|p| p.into_inner());
        let new = invitation_path(library);
        if *path == new {
            return Ok(());
        }
        self.remove_if_ours(&path);
        write_invitation(
            &new,
            &Invitation {
                port: self.port,
                token: self.token.clone(),
            },
        )?;
        *path = new;
        Ok(())
    }

    /// Stops listening and removes the invitation, unless another app has
    /// since written its own there.
    pub fn close(&self) {
        self.task.abort();
        self.remove_if_ours(&self.invitation());
    }

    fn remove_if_ours(&self, path: &Path) {
        let ours = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| serde_json::from_str::<Invitation>(&t).ok())
            .is_some_and(|i| i.token == self.token);
        if ours {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.close();
    }
}

/// Starts listening for the library at `library` and writes the invitation.
/// Must be called inside the async runtime.
pub async fn listen(library: &Path, save: SaveFn, done: BatchDone) -> Result<Listener> {
    let socket = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| Error::io("listening for `gloss save` on 127.0.0.1", e))?;
    let port = socket
        .local_addr()
        .map_err(|e| Error::io("listening for `gloss save`", e))?
        .port();
    let token = new_token()?;
    let path = invitation_path(library);
    write_invitation(
        &path,
        &Invitation {
            port,
            token: token.clone(),
        },
    )?;
    let expected = token.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = socket.accept().await else {
                continue;
            };
            let (save, done, expected) = (save.clone(), done.clone(), expected.clone());
            tokio::spawn(async move {
                // A client that went away mid-answer is not the app's problem.
                let _ = serve(stream, &expected, save, done).await;
            });
        }
    });
    Ok(Listener {
        path: Mutex::new(path),
        port,
        token,
        task,
    })
}

async fn serve(
    stream: TcpStream,
    token: &str,
    save: SaveFn,
    done: BatchDone,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut line = String::new();
    let read = tokio::time::timeout(
        REQUEST_TIMEOUT,
        (&mut reader).take(MAX_REQUEST).read_line(&mut line),
    )
    .await;
    let request = match read {
        Ok(Ok(n)) if n > 0 => serde_json::from_str::<SaveRequest>(line.trim_end()).ok(),
        _ => None,
    };
    let Some(request) = request.filter(|r| tokens_match(&r.token, token)) else {
        let refused = Greeting::Refused {
            message: "the request did not carry this app's token".into(),
        };
        return send(&mut write, &refused).await;
    };
    send(&mut write, &Greeting::Accepted).await?;
    let base_url = match request.base_url.as_deref().map(urls::parse_web_url) {
        Some(Err(e)) => Err(e.to_string()),
        Some(Ok(u)) => Ok(Some(u)),
        None => Ok(None),
    };
    let from_browser = request.page.is_some();
    let jobs: Vec<(String, std::result::Result<Job, String>)> = match request.page {
        Some(page) => {
            let source = page.url.clone();
            vec![(source, read_page(&mut reader, page).await)]
        }
        None => request
            .sources
            .into_iter()
            .map(|s| (s.clone(), Ok(Job::Source(s))))
            .collect(),
    };
    let mut replies = Vec::with_capacity(jobs.len());
    for (source, job) in jobs {
        let job = job.and_then(|job| base_url.clone().map(|base| (job, base)));
        let reply = match job {
            Err(message) => SaveReply::Failed { source, message },
            Ok((job, base_url)) => {
                let options = SaveOptions {
                    tags: request.tags.clone(),
                    skip_images: request.skip_images,
                    base_url,
                    feed_id: None,
                };
                match save(job, options).await {
                    Ok(SavedPage { saved, selection }) => {
                        let (annotation, warning) = match selection {
                            Some(SelectionOutcome::Highlighted(a)) => (Some(a.id), None),
                            Some(SelectionOutcome::NotInArticle(why)) => (None, Some(why)),
                            None => (None, None),
                        };
                        SaveReply::Saved {
                            source,
                            created: saved.created,
                            story: Box::new(saved.story),
                            annotation,
                            warning,
                        }
                    }
                    Err(e) => SaveReply::Failed {
                        source,
                        message: e.to_string(),
                    },
                }
            }
        };
        // Keep saving if the shell went away: the user asked for these.
        let _ = send(&mut write, &reply).await;
        replies.push(reply);
    }
    done(&replies, from_browser);
    Ok(())
}

/// Reads the HTML that follows a page's request line; a page that is too
/// large, late or not UTF-8 is a failed save, said in plain words.
async fn read_page(
    reader: &mut (impl AsyncReadExt + Unpin),
    page: PageRequest,
) -> std::result::Result<Job, String> {
    if page.html_bytes > MAX_PAGE_HTML as u64 {
        return Err(format!(
            "the page is {} MiB; Gloss takes pages of at most {} MiB from the browser",
            page.html_bytes / (1024 * 1024),
            MAX_PAGE_HTML / (1024 * 1024)
        ));
    }
    let mut html = vec![0u8; page.html_bytes as usize];
    match tokio::time::timeout(PAGE_TIMEOUT, reader.read_exact(&mut html)).await {
        Ok(Ok(_)) => {}
        _ => return Err("the page's HTML did not arrive whole".into()),
    }
    let html = String::from_utf8(html).map_err(|_| "the page's HTML is not UTF-8".to_string())?;
    let supplied = SuppliedPage::new(&page.url, &page.title, html).map_err(|e| e.to_string())?;
    Ok(Job::Page {
        page: supplied,
        selection: page.selection,
    })
}

async fn send(
    write: &mut (impl AsyncWriteExt + Unpin),
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    let mut line = serde_json::to_string(value).map_err(std::io::Error::other)?;
    line.push('\n');
    write.write_all(line.as_bytes()).await?;
    write.flush().await
}

/// Compares without stopping at the first difference, so timing tells nothing.
fn tokens_match(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        Error::io(
            "drawing the handoff token",
            std::io::Error::other(e.to_string()),
        )
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Writes the invitation afresh (never through a file or link left there),
/// readable and writable by this user only.
fn write_invitation(path: &Path, invitation: &Invitation) -> Result<()> {
    use std::io::Write;
    let context = || format!("writing {}", path.display());
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(context(), e)),
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| Error::io(context(), e))?;
    let text = serde_json::to_string(invitation)
        .map_err(|e| Error::io(context(), std::io::Error::other(e)))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(context(), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gloss_cli::handoff::hand_off;
    use gloss_core::fetch::Fetcher;
    use gloss_core::save;
    use gloss_core::testing::{FixtureServer, Route};
    use gloss_core::Library;
    use std::sync::Mutex;

    /// The core's save into `library`: what the app does, minus the window.
    fn core_saver(library: PathBuf) -> SaveFn {
        let fetcher = Arc::new(Fetcher::new().unwrap());
        Arc::new(move |job: Job, options: SaveOptions| {
            let (fetcher, library) = (fetcher.clone(), library.clone());
            Box::pin(async move {
                let mut lib = Library::open(&library)?;
                match job {
                    Job::Source(input) => {
                        let saved =
                            save::save_into(&mut lib, &fetcher, &input, &options, &|_, _, _| {})
                                .await?;
                        Ok(SavedPage {
                            saved,
                            selection: None,
                        })
                    }
                    Job::Page { page, selection } => {
                        save::save_page_into(
                            &mut lib,
                            &fetcher,
                            &page,
                            selection.as_ref(),
                            &options,
                            &|_, _, _| {},
                        )
                        .await
                    }
                }
            })
        })
    }

    /// A job's source as `gloss save` names it.
    fn source_of(job: &Job) -> String {
        match job {
            Job::Source(s) => s.clone(),
            Job::Page { page, .. } => page.url.to_string(),
        }
    }

    fn request(sources: &[&str]) -> SaveRequest {
        SaveRequest {
            token: String::new(),
            sources: sources.iter().map(|s| s.to_string()).collect(),
            tags: vec!["shell".into()],
            skip_images: false,
            base_url: None,
            page: None,
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn gloss_save_is_done_by_the_listening_app_and_answered_per_source() {
        let server = FixtureServer::start(vec![(
            "/story.html",
            Route::html(
                "<html><head><title>Handed over</title></head><body><article><h1>Handed over</h1>\
                 <p>A story long enough to be taken for an article by the extractor, with a \
                 second sentence that says nothing more than the first one did.</p></article></body></html>",
            ),
        )]);
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.gloss");
        Library::open(&library).unwrap();
        let rt = runtime();
        let batches: Arc<Mutex<Vec<usize>>> = Arc::default();
        let seen = batches.clone();
        let listener = rt
            .block_on(listen(
                &library,
                core_saver(library.clone()),
                Arc::new(move |replies: &[SaveReply], _| seen.lock().unwrap().push(replies.len())),
            ))
            .unwrap();

        // Only this user may read the invitation.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(listener.invitation())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let story = server.url("/story.html");
        let mut replies = Vec::new();
        let handed = hand_off(
            &library,
            request(&[&story, "https://no-such-host.invalid:99999/"]),
            |r| {
                replies.push(r);
                Ok(())
            },
        )
        .unwrap();
        assert!(handed.is_some(), "the app took the saves");
        assert_eq!(replies.len(), 2);
        match &replies[0] {
            SaveReply::Saved {
                source,
                created,
                story: summary,
                ..
            } => {
                assert_eq!(source, &story);
                assert!(created);
                assert_eq!(summary.title, "Handed over");
                let lib = Library::open(&library).unwrap();
                assert_eq!(lib.summary(summary.id).unwrap().tags, vec!["shell"]);
            }
            other => panic!("expected a save, got {other:?}"),
        }
        assert!(matches!(&replies[1], SaveReply::Failed { message, .. } if !message.is_empty()));
        assert_eq!(*batches.lock().unwrap(), vec![2]);

        // Closing removes the invitation: the next `gloss save` saves itself.
        listener.close();
        assert!(!invitation_path(&library).exists());
        assert!(hand_off(&library, request(&[&story]), |_| Ok(()))
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_page_is_read_after_the_token_and_within_its_limit() {
        use std::io::{BufRead, Write};
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.gloss");
        Library::open(&library).unwrap();
        let rt = runtime();
        let calls = Arc::new(Mutex::new(0));
        let counted = calls.clone();
        let save: SaveFn = Arc::new(move |_, _| {
            *counted.lock().unwrap() += 1;
            Box::pin(async { Err(Error::InvalidInput("not expected".into())) })
        });
        let listener = rt
            .block_on(listen(&library, save, Arc::new(|_: &[SaveReply], _| {})))
            .unwrap();
        let invitation = gloss_cli::handoff::read_invitation(&library).unwrap();
        let page = |html_bytes: u64| PageRequest {
            url: "https://example.com/story".into(),
            title: "A story".into(),
            selection: None,
            html_bytes,
            html: String::new(),
        };
        // Sends a page request line (and no HTML); the lines answered.
        let ask = |token: String, html_bytes: u64| -> Vec<String> {
            let mut stream = std::net::TcpStream::connect(("127.0.0.1", invitation.port)).unwrap();
            let line = serde_json::to_string(&SaveRequest {
                token,
                page: Some(page(html_bytes)),
                ..request(&["https://example.com/story"])
            })
            .unwrap();
            stream.write_all(format!("{line}\n").as_bytes()).unwrap();
            stream.shutdown(std::net::Shutdown::Write).unwrap();
            std::io::BufReader::new(stream)
                .lines()
                .map(|l| l.unwrap())
                .collect()
        };
        // Without the token, nothing more is read: refused at once.
        let answer = ask("0".repeat(64), 10 << 20);
        assert_eq!(answer.len(), 1);
        assert!(answer[0].contains("refused"), "{answer:?}");
        // With it, a page over the limit is a failed save, not a read.
        let answer = ask(invitation.token.clone(), (MAX_PAGE_HTML + 1) as u64);
        assert_eq!(answer.len(), 2, "{answer:?}");
        assert!(answer[1].contains("at most 32 MiB"), "{answer:?}");
        // A page whose HTML never comes whole is a failed save too.
        let answer = ask(invitation.token.clone(), 1000);
        assert!(answer[1].contains("did not arrive whole"), "{answer:?}");
        assert_eq!(*calls.lock().unwrap(), 0, "nothing was saved");
        drop(listener);
    }

    #[test]
    fn a_request_without_the_token_is_refused_and_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.gloss");
        Library::open(&library).unwrap();
        let rt = runtime();
        let calls = Arc::new(Mutex::new(0));
        let counted = calls.clone();
        let save: SaveFn = Arc::new(move |_, _| {
            *counted.lock().unwrap() += 1;
            Box::pin(async { Err(Error::InvalidInput("not expected".into())) })
        });
        let listener = rt
            .block_on(listen(&library, save, Arc::new(|_: &[SaveReply], _| {})))
            .unwrap();
        let port = gloss_cli::handoff::read_invitation(&library).unwrap().port;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        use std::io::{BufRead, Write};
        let forged = serde_json::to_string(&SaveRequest {
            token: "0".repeat(64),
            ..request(&["https://example.com/"])
        })
        .unwrap();
        stream.write_all(format!("{forged}\n").as_bytes()).unwrap();
        let mut answer = String::new();
        std::io::BufReader::new(stream)
            .read_line(&mut answer)
            .unwrap();
        assert!(
            matches!(
                serde_json::from_str::<Greeting>(&answer).unwrap(),
                Greeting::Refused { .. }
            ),
            "{answer}"
        );
        assert_eq!(*calls.lock().unwrap(), 0);
        drop(listener);
        assert!(!invitation_path(&library).exists());
    }

    #[test]
    fn the_invitation_follows_the_library_the_window_switches_to() {
        let dir = tempfile::tempdir().unwrap();
        let (first, second) = (dir.path().join("a.gloss"), dir.path().join("b.gloss"));
        let rt = runtime();
        let sources: Arc<Mutex<Vec<String>>> = Arc::default();
        let seen = sources.clone();
        let save: SaveFn = Arc::new(move |job, _| {
            seen.lock().unwrap().push(source_of(&job));
            Box::pin(async { Err(Error::InvalidInput("only counted".into())) })
        });
        let listener = rt
            .block_on(listen(&first, save, Arc::new(|_: &[SaveReply], _| {})))
            .unwrap();
        let token = gloss_cli::handoff::read_invitation(&first).unwrap().token;

        listener.follow(&second).unwrap();
        assert!(
            !invitation_path(&first).exists(),
            "the old library's invitation is gone"
        );
        let moved = gloss_cli::handoff::read_invitation(&second).unwrap();
        assert_eq!(moved.token, token, "the same listener, the same permission");
        assert_eq!(listener.invitation(), invitation_path(&second));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(invitation_path(&second))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        // `gloss save` on the old library is no longer the window's to do.
        let url = "https://example.com/tides";
        assert!(hand_off(&first, request(&[url]), |_| Ok(()))
            .unwrap()
            .is_none());
        assert!(hand_off(&second, request(&[url]), |_| Ok(()))
            .unwrap()
            .is_some());
        assert_eq!(*sources.lock().unwrap(), vec![url.to_string()]);

        // Following the same library again changes nothing; closing removes it.
        listener.follow(&second).unwrap();
        assert!(invitation_path(&second).exists());
        listener.close();
        assert!(!invitation_path(&second).exists());
    }
}
