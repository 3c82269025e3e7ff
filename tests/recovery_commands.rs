//! A damaged library through the app's commands (`tauri::test`, the real
//! core, a temporary library): the damage is found, the damaged file is
//! kept aside, and the newest backup is put back only when asked.

mod support;

use std::path::{Path, PathBuf};

use gloss_app::app::{context, with_core, with_core_unopened};
use gloss_app::services::recovery::Recovery;
use gloss_app::state::AppState;
use gloss_core::library::durability::damage::corrupt_table;
use gloss_core::library::NewStory;
use gloss_core::model::BackupKind;
use gloss_core::Library;
use serde_json::{json, Value};
use tauri::test::{mock_builder, MockRuntime};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

struct TestApp {
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl TestApp {
    /// The app as `app::run` starts it: with the library when it opens,
    /// without one (and the damaged file moved aside) when it does not.
    fn start(path: &Path) -> Self {
        let builder = match AppState::open(path) {
            Ok(state) => with_core(mock_builder(), state),
            Err(e) => with_core_unopened(mock_builder(), Recovery::failed(path.to_path_buf(), &e)),
        };
        let app = builder.build(context()).unwrap();
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        TestApp { _app: app, webview }
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        support::invoke(&self.webview, cmd, args)
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn titles(&self) -> Vec<String> {
        let page = self.ok(
            "list_stories",
            json!({"query": {"filter": "all", "tag": null, "feed_id": null, "limit": 100, "before": null}}),
        );
        let mut t: Vec<String> = page["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_string())
            .collect();
        t.sort();
        t
    }
}

fn story(n: u32) -> NewStory {
    NewStory {
        url: format!("https://example.com/{n}"),
        url_key: format!("https://example.com/{n}"),
        title: format!("Story {n:02}"),
        html: format!("<p>{}</p>", "Words of a story worth keeping. ".repeat(80)),
        text: "Words of a story worth keeping. ".repeat(80),
        ..Default::default()
    }
}

/// A library of 20 stories with a daily backup, then 2 more stories that
/// the backup does not have. Returns the backup's path.
fn library_with_backup(path: &Path) -> PathBuf {
    let mut lib = Library::open(path).unwrap();
    for n in 0..20 {
        lib.store_story(story(n)).unwrap();
    }
    let backup = lib.take_backup(BackupKind::Daily).unwrap();
    for n in 20..22 {
        lib.store_story(story(n)).unwrap();
    }
    PathBuf::from(backup.path)
}

/// Garbage over the middle half of the file, as a failing disk leaves it
/// (the schema, which spans pages there, with it).
fn corrupt_middle(path: &Path) {
    let len = std::fs::metadata(path).unwrap().len() as usize;
    let mut bytes = std::fs::read(path).unwrap();
    bytes[len / 4..len * 3 / 4].fill(0xA5);
    std::fs::write(path, bytes).unwrap();
}

fn backup_titles() -> Vec<String> {
    (0..20).map(|n| format!("Story {n:02}")).collect()
}

#[test]
fn a_corrupted_page_is_reported_and_the_newest_backup_put_back_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    let backup = library_with_backup(&path);
    corrupt_table(&path, "articles");
    let damaged_bytes = std::fs::read(&path).unwrap();

    let app = TestApp::start(&path);
    let health = app.ok("library_health", json!({}));
    assert_eq!(health["state"], "damaged", "{health}");
    assert!(
        health["message"].as_str().unwrap().contains("damaged"),
        "{health}"
    );
    // Nothing is moved while the user has not chosen.
    assert_eq!(health["set_aside"], Value::Null);
    assert_eq!(std::fs::read(&path).unwrap(), damaged_bytes);
    let offered = &health["backups"][0];
    assert_eq!(offered["path"], backup.display().to_string());
    assert_eq!(offered["stories"], 20);
    assert_eq!(offered["kind"], "daily");

    let after = app.ok("restore_backup", json!({"path": offered["path"]}));
    assert_eq!(after["state"], "ok", "{after}");
    assert_eq!(app.titles(), backup_titles());
    // The damaged file is kept aside, byte for byte.
    let aside = PathBuf::from(after["set_aside"].as_str().unwrap());
    assert!(aside
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("library.gloss.damaged-"));
    assert_eq!(std::fs::read(&aside).unwrap(), damaged_bytes);
    // And the library works: a change sticks.
    let id = app.ok(
        "list_stories",
        json!({"query": {"filter": "all", "tag": null, "feed_id": null, "limit": 1, "before": null}}),
    )["stories"][0]["id"]
        .clone();
    app.ok("set_starred", json!({"ids": [id], "value": true}));
    assert_eq!(app.ok("library_health", json!({}))["state"], "ok");
}

#[test]
fn a_damaged_header_starts_the_app_without_a_library_until_a_backup_is_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    let backup = library_with_backup(&path);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[..100].fill(0x42);
    std::fs::write(&path, &bytes).unwrap();

    let app = TestApp::start(&path);
    let health = app.ok("library_health", json!({}));
    assert_eq!(health["state"], "damaged", "{health}");
    // Set aside at once: the app could not use it anyway.
    let aside = PathBuf::from(health["set_aside"].as_str().unwrap());
    assert_eq!(std::fs::read(&aside).unwrap(), bytes);
    assert!(
        !path.exists(),
        "nothing new is made before the user chooses"
    );
    // The rest of the app answers with an error, not a crash.
    assert!(app
        .call(
            "list_stories",
            json!({"query": {"filter": "all", "tag": null, "feed_id": null, "limit": 1, "before": null}})
        )
        .is_err());

    let after = app.ok(
        "restore_backup",
        json!({"path": backup.display().to_string()}),
    );
    assert_eq!(after["state"], "ok", "{after}");
    assert_eq!(after["set_aside"], aside.display().to_string());
    assert_eq!(app.titles(), backup_titles());
    assert!(aside.exists());
}

#[test]
fn a_damaged_library_can_be_replaced_by_an_empty_one_and_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    library_with_backup(&path);
    corrupt_table(&path, "articles");
    let app = TestApp::start(&path);
    assert_eq!(app.ok("library_health", json!({}))["state"], "damaged");
    let after = app.ok("start_empty_library", json!({}));
    assert_eq!(after["state"], "ok");
    assert!(app.titles().is_empty());
    assert!(Path::new(after["set_aside"].as_str().unwrap()).exists());
    // The backups are still offered (and still there).
    assert_eq!(after["backups"][0]["stories"], 20);
}

#[test]
fn a_bad_backup_changes_nothing_and_a_sound_library_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    let backup = library_with_backup(&path);
    {
        let app = TestApp::start(&path);
        let health = app.ok("library_health", json!({}));
        assert_eq!(health["state"], "ok", "{health}");
        let err = app
            .call(
                "restore_backup",
                json!({"path": backup.display().to_string()}),
            )
            .unwrap_err();
        assert!(err["message"].as_str().unwrap().contains("sound"), "{err}");
        assert_eq!(app.titles().len(), 22);
    }
    corrupt_table(&path, "articles");
    let bad = dir.path().join("bad.gloss");
    std::fs::write(
        &bad,
        b"SQLite format 3\0 and then nothing that makes sense".repeat(200),
    )
    .unwrap();
    let app = TestApp::start(&path);
    assert_eq!(app.ok("library_health", json!({}))["state"], "damaged");
    let err = app
        .call("restore_backup", json!({"path": bad.display().to_string()}))
        .unwrap_err();
    assert_eq!(err["kind"], "database", "{err}");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("nothing was changed"),
        "{err}"
    );
    // Still the damaged library, still in place, still reported.
    assert!(path.exists());
    assert_eq!(app.ok("library_health", json!({}))["state"], "damaged");
}

#[test]
fn garbage_over_half_the_file_is_refused_at_start_up_and_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    let backup = library_with_backup(&path);
    corrupt_middle(&path);
    let app = TestApp::start(&path);
    let health = app.ok("library_health", json!({}));
    assert_eq!(health["state"], "damaged", "{health}");
    assert!(Path::new(health["set_aside"].as_str().unwrap()).exists());
    assert_eq!(health["backups"][0]["path"], backup.display().to_string());
    app.ok(
        "restore_backup",
        json!({"path": backup.display().to_string()}),
    );
    assert_eq!(app.titles(), backup_titles());
}

#[test]
fn another_file_given_as_the_library_is_left_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    // Not SQLite, not named *.gloss, no backups: someone's notes.
    let notes = dir.path().join("notes.txt");
    let text = "Buy rope. Call the harbour master about the mooring.\n".repeat(200);
    std::fs::write(&notes, &text).unwrap();
    let app = TestApp::start(&notes);
    let health = app.ok("library_health", json!({}));
    assert_eq!(health["state"], "unavailable", "{health}");
    assert!(
        health["message"]
            .as_str()
            .unwrap()
            .contains("notes.txt is not a Gloss library; nothing was changed"),
        "{health}"
    );
    assert_eq!(health["set_aside"], Value::Null);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), text);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["notes.txt"], "nothing moved or made beside it");
    // Neither choice of the damaged case may replace it.
    assert!(app.call("start_empty_library", json!({})).is_err());
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), text);

    // The control: the same bytes named like a library are a damaged one.
    let library = dir.path().join("library.gloss");
    std::fs::write(&library, &text).unwrap();
    let app = TestApp::start(&library);
    assert_eq!(app.ok("library_health", json!({}))["state"], "damaged");
    assert!(!library.exists(), "set aside");
}
