//! The browser extension's way in: the real `gloss` binary started as the
//! native messaging host (as `gloss native-host`, and with the arguments
//! Chromium and Firefox start it with), spoken to in frames on its standard
//! input and output; the manifests `gloss browser-setup` writes; and a
//! save handed to the window when one is open.

mod support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};

use gloss_app::handoff::{listen, Job, SaveFn};
use gloss_cli::framing::{read_frame, write_frame, Frame};
use gloss_cli::host_manifest::{CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID};
use gloss_core::fetch::Fetcher;
use gloss_core::save::{self, SavedPage};
use gloss_core::testing::{tiny_png, FixtureServer, Route};
use gloss_core::Library;
use serde_json::{json, Value};
use support::Gloss;

/// A running host; killed if a test ends before it does.
struct Host {
    child: Child,
    input: Option<ChildStdin>,
    output: ChildStdout,
}

impl Host {
    /// Starts `gloss ARGS` the way a browser does: the library comes from
    /// the environment (a browser passes no `--library`).
    fn start(library: &Path, args: &[&str]) -> Host {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .env("GLOSS_LIBRARY", library)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("gloss starts");
        let input = child.stdin.take();
        let output = child.stdout.take().expect("a pipe");
        Host {
            child,
            input,
            output,
        }
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        let input = self.input.as_mut().expect("the input is open");
        write_frame(input, bytes).expect("the host reads");
    }

    fn ask(&mut self, message: &Value) -> Value {
        self.send_bytes(message.to_string().as_bytes());
        self.reply()
    }

    fn reply(&mut self) -> Value {
        match read_frame(&mut self.output).expect("the host answers") {
            Frame::Message(bytes) => serde_json::from_slice(&bytes).expect("a JSON reply"),
            other => panic!("expected a reply, got {other:?}"),
        }
    }

    /// Closes the input as the browser does; the host's exit status.
    fn close(mut self) -> std::process::ExitStatus {
        drop(self.input.take());
        let mut rest = Vec::new();
        self.output.read_to_end(&mut rest).expect("the output ends");
        assert!(rest.is_empty(), "nothing after the last reply");
        self.child.wait().expect("the host ends")
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn paragraph(i: usize) -> String {
    format!(
        "Paragraph {i} of the harbour story: the ferry was late again, the tide was high and the \
         committee argued about the new terminal until the lights of the pier came on."
    )
}

/// The page as the browser has it after its script wrote the article; a
/// plain fetch of the same URL gets an empty shell.
fn rendered_page(paragraphs: usize) -> String {
    let body: String = (0..paragraphs)
        .map(|i| format!("\n      <p>{}</p>", paragraph(i)))
        .collect();
    format!(
        "<html><head><title>Harbour story</title></head><body><nav>Home · Subscribe</nav>\
         <main><article><h1>Harbour story</h1><img src=\"/pier.png\" alt=\"The pier\">{body}\
         </article></main><script src=\"/app.js\"></script></body></html>"
    )
}

fn server() -> FixtureServer {
    FixtureServer::start(vec![
        (
            "/story",
            Route::html(
                "<html><head><title>Harbour story</title></head><body><main id=app></main>\
                 <script src=/app.js></script></body></html>",
            ),
        ),
        ("/pier.png", Route::bytes("image/png", tiny_png())),
    ])
}

#[test]
fn the_host_saves_the_page_the_browser_sent_and_its_selection() {
    let server = server();
    let gloss = Gloss::new();
    let mut host = Host::start(&gloss.library, &["native-host"]);

    let pong = host.ask(&json!({"type": "ping"}));
    assert_eq!(pong["ok"], true);
    assert_eq!(pong["version"], env!("CARGO_PKG_VERSION"));

    // What the extension sends: the rendered page and a selection across
    // two paragraphs, with the page's line breaks.
    let selection = json!({
        "type": "TextQuoteSelector",
        "exact": "the lights of the pier came on.\n      Paragraph 8 of the harbour story",
        "prefix": "the new terminal until ",
        "suffix": ": the ferry was late"
    });
    let reply = host.ask(&json!({
        "type": "save_page",
        "url": server.url("/story"),
        "title": "Harbour story – tab",
        "html": rendered_page(300),
        "selection": selection,
        "tags": ["from-browser"]
    }));
    assert_eq!(reply["ok"], true, "{reply}");
    assert_eq!(reply["created"], true);
    assert_eq!(reply["by_window"], false);
    assert_eq!(reply["title"], "Harbour story");
    let id = reply["story_id"].as_i64().expect("a story id");
    let annotation = reply["annotation_id"].as_i64().expect("a highlight");

    // Not the documented messages: a reason each, and the host reads on.
    host.send_bytes(b"{not json");
    let bad = host.reply();
    assert_eq!(bad["ok"], false);
    assert_eq!(bad["error"]["kind"], "bad_message");
    let unknown = host.ask(&json!({"type": "run_shell", "command": "touch /tmp/owned"}));
    assert_eq!(unknown["error"]["kind"], "bad_message");
    assert!(unknown["error"]["message"]
        .as_str()
        .unwrap()
        .contains("save_page"));
    let refused =
        host.ask(&json!({"type": "save_page", "url": "file:///etc/passwd", "html": "<p>x</p>"}));
    assert_eq!(refused["error"]["kind"], "invalid_input");
    assert_eq!(host.ask(&json!({"type": "ping"}))["ok"], true);
    assert!(
        host.close().success(),
        "the host ends cleanly when the browser closes"
    );

    // The story has the paragraphs the script wrote, and the highlight.
    let text = gloss.ok(&["show", &id.to_string(), "--format", "text"]);
    for i in [0, 150, 299] {
        assert!(text.contains(&paragraph(i)), "paragraph {i} missing");
    }
    let shown = gloss.json(&["show", &id.to_string(), "--format", "json"]);
    assert_eq!(shown["origin"], "browser");
    assert_eq!(shown["tags"], json!(["from-browser"]));
    let annotations = gloss.json(&["annotations", &id.to_string(), "--json"]);
    let listed = annotations.as_array().expect("a list");
    assert_eq!(listed.len(), 1, "{annotations}");
    assert_eq!(listed[0]["id"].as_i64(), Some(annotation));
    let exact = listed[0]["target"]["selector"][0]["exact"]
        .as_str()
        .unwrap();
    assert_eq!(
        exact.split_whitespace().collect::<Vec<_>>().join(" "),
        "the lights of the pier came on. Paragraph 8 of the harbour story"
    );
    // Gloss never fetched the page: the browser sent it.
    assert_eq!(server.hits("/story"), 0);
    assert_eq!(server.hits("/pier.png"), 1);
}

#[test]
fn browsers_start_gloss_with_their_own_arguments() {
    let gloss = Gloss::new();
    let chromium = format!("chrome-extension://{CHROMIUM_EXTENSION_ID}/");
    let manifest = gloss.path("org.glossreader.gloss.json");
    let manifest = manifest.to_str().unwrap();
    for args in [
        vec![chromium.as_str()],
        vec![chromium.as_str(), "--parent-window=0"],
        vec![manifest, FIREFOX_EXTENSION_ID],
    ] {
        let mut host = Host::start(&gloss.library, &args);
        assert_eq!(host.ask(&json!({"type": "ping"}))["ok"], true, "{args:?}");
        assert!(host.close().success(), "{args:?}");
    }
}

#[test]
fn a_save_link_is_fetched_by_gloss() {
    let server = FixtureServer::start(vec![(
        "/plain",
        Route::html(&rendered_page(20).replace("<script src=\"/app.js\"></script>", "")),
    )]);
    let gloss = Gloss::new();
    let mut host = Host::start(&gloss.library, &["native-host"]);
    let reply = host.ask(&json!({"type": "save_link", "url": server.url("/plain")}));
    assert_eq!(reply["ok"], true, "{reply}");
    let id = reply["story_id"].as_i64().unwrap();
    assert!(host.close().success());
    assert_eq!(server.hits("/plain"), 1);
    let shown = gloss.json(&["show", &id.to_string(), "--format", "json"]);
    assert_eq!(shown["origin"], "fetched");
}

/// The window's save, minus the window: the core into the library.
fn core_saver(library: PathBuf, jobs: Arc<Mutex<Vec<String>>>) -> SaveFn {
    let fetcher = Arc::new(Fetcher::new().unwrap());
    Arc::new(move |job: Job, options| {
        let (fetcher, library, jobs) = (fetcher.clone(), library.clone(), jobs.clone());
        Box::pin(async move {
            let mut lib = Library::open(&library)?;
            match job {
                Job::Page { page, selection } => {
                    jobs.lock().unwrap().push(format!("page {}", page.url));
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
                Job::Source(source) => {
                    jobs.lock().unwrap().push(format!("source {source}"));
                    let saved =
                        save::save_into(&mut lib, &fetcher, &source, &options, &|_, _, _| {})
                            .await?;
                    Ok(SavedPage {
                        saved,
                        selection: None,
                    })
                }
            }
        })
    })
}

#[test]
fn with_the_window_open_the_page_is_handed_to_it() {
    let server = server();
    let gloss = Gloss::new();
    Library::open(&gloss.library).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let jobs: Arc<Mutex<Vec<String>>> = Arc::default();
    let batches: Arc<Mutex<Vec<(usize, bool)>>> = Arc::default();
    let seen = batches.clone();
    let listener = rt
        .block_on(listen(
            &gloss.library,
            core_saver(gloss.library.clone(), jobs.clone()),
            Arc::new(move |replies, from_browser| {
                seen.lock().unwrap().push((replies.len(), from_browser))
            }),
        ))
        .unwrap();

    let mut host = Host::start(&gloss.library, &["native-host"]);
    let html = rendered_page(2000);
    assert!(html.len() > 300_000);
    let reply = host.ask(&json!({
        "type": "save_page",
        "url": server.url("/story"),
        "title": "Harbour story",
        "html": html,
        "selection": {"exact": "Paragraph 1500 of the harbour story", "prefix": "", "suffix": ""}
    }));
    assert_eq!(reply["ok"], true, "{reply}");
    assert_eq!(reply["by_window"], true, "the window did the save");
    assert!(reply["annotation_id"].as_i64().is_some(), "{reply}");
    let link = host.ask(&json!({"type": "save_link", "url": server.url("/story")}));
    assert_eq!(link["by_window"], true, "{link}");
    assert!(host.close().success());

    let story = reply["story_id"].as_i64().unwrap();
    assert_eq!(
        *jobs.lock().unwrap(),
        vec![
            format!("page {}", server.url("/story")),
            format!("source {}", server.url("/story"))
        ]
    );
    assert_eq!(*batches.lock().unwrap(), vec![(1, true), (1, false)]);
    assert_eq!(
        server.hits("/story"),
        1,
        "only the save_link fetched the page"
    );
    let lib = Library::open(&gloss.library).unwrap();
    assert_eq!(lib.annotations_of(story).unwrap().len(), 1);
    listener.close();
}

/// `gloss browser-setup` with HOME in a temporary folder.
fn setup(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .arg("browser-setup")
        .args(args)
        .env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .expect("gloss runs")
}

fn setup_json(home: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = setup(home, &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("JSON")
}

fn action_of<'a>(done: &'a [Value], browser: &str) -> &'a str {
    done.iter()
        .find(|d| d["browser"] == browser)
        .and_then(|d| d["action"].as_str())
        .unwrap_or("")
}

#[cfg(target_os = "linux")]
#[test]
fn browser_setup_writes_the_manifests_where_each_browser_looks() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    // Chromium and Firefox have been run; the others are not installed.
    std::fs::create_dir_all(home.join(".config/chromium")).unwrap();
    std::fs::create_dir_all(home.join(".mozilla")).unwrap();
    let done = setup_json(home, &[]);
    assert_eq!(action_of(&done, "chromium"), "written");
    assert_eq!(action_of(&done, "firefox"), "written");
    for other in ["chrome", "brave", "edge", "vivaldi"] {
        assert_eq!(action_of(&done, other), "not_installed", "{other}");
    }
    assert!(
        !home.join(".config/google-chrome").exists(),
        "no folder made for Chrome"
    );

    let gloss = std::fs::canonicalize(env!("CARGO_BIN_EXE_gloss")).unwrap();
    let read = |rel: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(home.join(rel)).unwrap()).unwrap()
    };
    let chromium = read(".config/chromium/NativeMessagingHosts/org.glossreader.gloss.json");
    assert_eq!(chromium["name"], "org.glossreader.gloss");
    assert_eq!(chromium["type"], "stdio");
    assert_eq!(chromium["path"], gloss.to_str().unwrap());
    assert_eq!(
        chromium["allowed_origins"],
        json!([format!("chrome-extension://{CHROMIUM_EXTENSION_ID}/")])
    );
    let firefox = read(".mozilla/native-messaging-hosts/org.glossreader.gloss.json");
    assert_eq!(firefox["allowed_extensions"], json!([FIREFOX_EXTENSION_ID]));
    assert_eq!(firefox["path"], gloss.to_str().unwrap());

    // --all writes every browser's; --print shows what was written.
    let all = setup_json(home, &["--all"]);
    assert!(all.iter().all(|d| d["action"] == "written"), "{all:?}");
    assert!(home
        .join(".config/BraveSoftware/Brave-Browser/NativeMessagingHosts/org.glossreader.gloss.json")
        .is_file());
    let printed = setup(home, &["--browser", "vivaldi", "--print"]);
    let text = String::from_utf8_lossy(&printed.stdout);
    assert!(text.contains("vivaldi: wrote"), "{text}");
    assert!(text.contains(CHROMIUM_EXTENSION_ID), "{text}");

    // --remove takes them all away; a second time there is nothing to remove.
    let removed = setup_json(home, &["--remove"]);
    assert!(
        removed.iter().all(|d| d["action"] == "removed"),
        "{removed:?}"
    );
    let again = setup_json(home, &["--remove"]);
    assert!(again.iter().all(|d| d["action"] == "absent"), "{again:?}");
    assert!(!home
        .join(".mozilla/native-messaging-hosts/org.glossreader.gloss.json")
        .exists());

    let unknown = setup(home, &["--browser", "netscape"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("not a browser Gloss knows"));
}

/// A frame split across writes with pauses is read whole by the real binary.
#[test]
fn a_frame_written_in_pieces_is_answered_once_whole() {
    let gloss = Gloss::new();
    let mut host = Host::start(&gloss.library, &["native-host"]);
    let message = br#"{"type":"ping"}"#;
    let mut framed = (message.len() as u32).to_ne_bytes().to_vec();
    framed.extend_from_slice(message);
    let input = host.input.as_mut().unwrap();
    for piece in framed.chunks(3) {
        input.write_all(piece).unwrap();
        input.flush().unwrap();
    }
    assert_eq!(host.reply()["ok"], true);
    assert!(host.close().success());
}
