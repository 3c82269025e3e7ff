//! Sync through the app's commands and its background loop (`tauri::test`,
//! the real core, temporary libraries and a temporary sync folder): Settings
//! › Sync's setup joins library B's folder and receives its stories, and a
//! star made in the window goes out by itself, a few seconds after the
//! change, with no "Sync now".

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use gloss_app::app::{context, with_core};
use gloss_app::services;
use gloss_app::state::AppState;
use gloss_core::library::NewStory;
use gloss_core::sync::{self, SyncOptions, Target};
use gloss_core::Library;
use serde_json::{json, Value};
use tauri::test::{mock_builder, MockRuntime};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

const STORIES: u32 = 2_000;

fn story(n: u32) -> NewStory {
    NewStory {
        url: format!("https://example.com/{n}"),
        url_key: format!("https://example.com/{n}"),
        title: format!("Story {n:04}"),
        html: format!("<p>{}</p>", "Words of a story worth keeping. ".repeat(20)),
        text: "Words of a story worth keeping. ".repeat(20),
        ..Default::default()
    }
}

/// Library B with its stories, syncing through `folder`.
fn library_b(path: &Path, folder: &Path) -> Library {
    let mut lib = Library::open(path).unwrap();
    for n in 0..STORIES {
        lib.store_story(story(n)).unwrap();
    }
    let target = Target::Folder {
        path: folder.to_path_buf(),
        encrypted: false,
    };
    let (_, remote) = sync::target::set_up(&mut lib, &target, &Default::default(), false).unwrap();
    sync::sync_now(&mut lib, remote.as_ref(), &SyncOptions::default()).unwrap();
    lib
}

fn sync_b(lib: &mut Library, folder: &Path) {
    let target = Target::Folder {
        path: folder.to_path_buf(),
        encrypted: false,
    };
    let device = lib.sync_state().unwrap().unwrap().device;
    let remote = target.remote(&device).unwrap();
    sync::sync_now(lib, remote.as_ref(), &SyncOptions::default()).unwrap();
}

struct TestApp {
    app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl TestApp {
    fn start(path: &Path) -> Self {
        let app = with_core(mock_builder(), AppState::open(path).unwrap())
            .build(context())
            .unwrap();
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        TestApp { app, webview }
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        support::invoke(&self.webview, cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
}

/// Polls `check` until it holds, for at most a minute.
fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(60);
    while !check() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::yield_now();
        std::thread::park_timeout(Duration::from_millis(50));
    }
}

#[test]
fn setup_joins_the_folder_and_a_change_goes_out_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("sync");
    std::fs::create_dir(&folder).unwrap();
    let mut b = library_b(&dir.path().join("b.gloss"), &folder);

    let a = TestApp::start(&dir.path().join("a.gloss"));
    let off = a.ok("sync_status", json!({}));
    assert_eq!(off["on"], false);

    // Settings › Sync: an empty library joins and receives everything.
    let status = a.ok(
        "sync_setup_folder",
        json!({"path": folder.display().to_string(), "merge": false}),
    );
    assert_eq!(status["on"], true, "{status}");
    assert_eq!(status["last_error"], Value::Null, "{status}");
    assert!(status["last_sync"].is_string(), "{status}");
    assert_eq!(status["waiting"], 0);
    assert_eq!(a.ok("library_info", json!({}))["stories"], STORIES);

    // The loop: a star made in the window goes out a few seconds later.
    services::sync::start(a.app.handle());
    let page = a.ok(
        "list_stories",
        json!({"query": {"filter": "all", "tag": null, "feed_id": null, "limit": 3, "before": null}}),
    );
    let ids: Vec<i64> = page["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    a.ok("set_starred", json!({"ids": ids, "value": true}));
    wait_until("the star to go out", || {
        let s = a.ok("sync_status", json!({}));
        s["waiting"] == 0 && s["last_report"]["uploaded"].as_u64().unwrap_or(0) > 0
    });
    sync_b(&mut b, &folder);
    assert_eq!(b.counts().unwrap().starred, 3);

    // Off: the status says so, and the folder keeps its files.
    let off = a.ok("sync_off", json!({}));
    assert_eq!(off["on"], false);
    assert!(std::fs::read_dir(&folder).unwrap().count() > 0);
}
