//! Import and Export from the window, through `tauri::test`: the mock
//! runtime, the real commands and core, a temporary library. Progress
//! events, cancel commands and the summaries are what the dialog shows.

mod support;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

use gloss_core::portability::zipread::{self, ZipLimits};
use serde_json::{json, Value};
use support::TestApp;
use tauri::Listener;

impl TestApp {
    /// Every payload of `event`, as they come.
    fn events(&self, event: &str) -> mpsc::Receiver<Value> {
        let (tx, rx) = mpsc::channel();
        self.app.listen_any(event, move |e| {
            let _ = tx.send(serde_json::from_str(e.payload()).unwrap());
        });
        rx
    }

    fn titles(&self, filter: &str) -> Vec<String> {
        let page = self.ok("list_stories", json!({"query": {"filter": filter, "tag": null, "feed_id": null, "limit": null, "before": null}}));
        page["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_string())
            .collect()
    }
}

const POCKET_CSV: &str = "title,url,time_added,tags,status\n\
    \"Harbour, at dawn\",https://news.example/harbour?utm_source=pocket,1600000000,boats|sea,unread\n\
    Old mill,https://news.example/mill,1600000100,,archive\n\
    Harbour again,https://news.example/harbour,1600000200,later,unread\n\
    Not a link,ftp://news.example/file,1600000300,,unread\n";

#[test]
fn a_pocket_csv_imports_with_progress_and_a_summary() {
    let t = TestApp::new();
    let progress = t.events("import-progress");
    let changed = t.events("library-changed");
    let path = t.file("pocket.csv", POCKET_CSV);
    let report = t.ok(
        "import_file",
        json!({"path": path, "format": null, "fetch": false}),
    );
    assert_eq!(report["format"], "pocket-csv");
    assert_eq!(
        (&report["imported"], &report["merged"], &report["cancelled"]),
        (&json!(2), &json!(1), &json!(false))
    );
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    // Named by its line in the file (the header is line 1) and its address.
    assert_eq!(failed[0]["item"], "line 5 (ftp://news.example/file)");
    assert!(!failed[0]["reason"].as_str().unwrap().is_empty());
    assert_eq!(report["waiting_for_content"], 2);

    let events: Vec<Value> = progress.try_iter().collect();
    assert_eq!(events.first().unwrap()["stage"], "reading");
    let last = events.last().unwrap();
    assert_eq!(
        (&last["stage"], &last["imported"]),
        (&json!("done"), &json!(2))
    );
    assert!(events
        .iter()
        .any(|e| e["stage"] == "importing" && e["total"] == 4));
    assert!(changed.try_iter().count() >= 1, "the list is told");

    let mut titles = t.titles("all");
    titles.sort();
    assert_eq!(titles, ["Harbour, at dawn", "Old mill"]);
    assert_eq!(t.titles("archived"), ["Old mill"]);

    // A format named by the user is used; a wrong one is a clear error and
    // leaves the library as it was.
    let err = t.err(
        "import_file",
        json!({"path": path, "format": "wallabag", "fetch": false}),
    );
    assert_eq!(err["kind"], "invalid_input");
    let err = t.err(
        "import_file",
        json!({"path": t.path("missing.csv"), "format": null, "fetch": false}),
    );
    assert!(err["message"].as_str().unwrap().contains("missing.csv"));
    assert_eq!(t.titles("all").len(), 2);
}

#[test]
fn readwise_book_highlights_are_skipped_with_the_reason() {
    let t = TestApp::new();
    let path = t.file(
        "readwise.csv",
        "Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags,URL\n\
         a web quote,Web page,Someone,,,yellow,,offset,1,2023-01-05 10:00:00,,https://e.example/p\n\
         a book quote,A Book,An Author,B0001,,yellow,,location,2,2023-01-05 10:00:00,,\n\
         another,A Book,An Author,B0001,,yellow,,location,3,2023-01-05 10:00:00,,\n",
    );
    let r = t.ok(
        "import_file",
        json!({"path": path, "format": null, "fetch": false}),
    );
    assert_eq!((&r["imported"], &r["failed"]), (&json!(1), &json!([])));
    assert_eq!(
        r["skipped"],
        json!([{"item": "A Book by An Author (2 highlights)", "reason": "no URL (book highlight)"}])
    );
}

#[test]
fn reader_feed_rows_and_damaged_omnivore_entries_are_listed_and_add_up() {
    let t = TestApp::new();
    let reader = t.file(
        "reader.csv",
        "Title,URL,ID,Document tags,Saved date,Reading progress,Location,Seen\n\
         Saved,https://e.example/saved,1,,2023-01-05 10:00:00,0,later,false\n\
         From a feed,https://e.example/feed-item,2,,2023-01-05 10:00:00,0,feed,false\n",
    );
    let r = t.ok(
        "import_file",
        json!({"path": reader, "format": null, "fetch": false}),
    );
    assert_eq!(
        (&r["format"], &r["imported"]),
        (&json!("readwise-reader"), &json!(1))
    );
    assert_eq!(r["skipped"].as_array().unwrap().len(), 1);
    assert_eq!(r["skipped"][0]["item"], "line 3");

    // Omnivore's items as one JSON list, named "omnivore" by the user, with
    // one entry broken in the middle: it alone fails.
    let omnivore = t.file(
        "omnivore.json",
        r#"[{"id":"1","slug":"a","title":"A","url":"https://e.example/a","labels":["x"],"savedAt":"2024-01-02T03:04:05.000Z","publishedAt":"2023-12-01T08:00:00.000Z"},
            {"id":"2","slug":"b","title":"B","url": ,"labels":[]},
            {"id":"3","slug":"c","title":"C","url":"https://e.example/c","labels":[],"savedAt":"2024-01-02T03:04:05.000Z"}]"#,
    );
    let r = t.ok(
        "import_file",
        json!({"path": omnivore, "format": "omnivore", "fetch": false}),
    );
    assert_eq!(
        (&r["format"], &r["imported"], &r["merged"]),
        (&json!("omnivore-json"), &json!(2), &json!(0))
    );
    assert_eq!(r["failed"].as_array().unwrap().len(), 1);
    assert_eq!(r["failed"][0]["item"], "item 2");
    assert_eq!(t.titles("all").len(), 3);
}

#[test]
fn a_cancelled_import_stops_early_and_leaves_a_consistent_library() {
    let t = TestApp::new();
    let mut csv = String::from("title,url,time_added,tags,status\n");
    for i in 0..20_000 {
        csv.push_str(&format!(
            "Story {i},https://site{}.example/{i},1600000000,t,unread\n",
            i % 50
        ));
    }
    let path = t.file("big.csv", &csv);
    // The first written batch holds the import in its progress event until
    // the test has cancelled it, so the cancel lands at a known place.
    let (first_batch_tx, first_batch) = mpsc::channel::<()>();
    let (go_on_tx, go_on) = mpsc::channel::<()>();
    let go_on = std::sync::Mutex::new(go_on);
    t.app.listen_any("import-progress", move |e| {
        let p: Value = serde_json::from_str(e.payload()).unwrap();
        if p["stage"] == "importing"
            && p["imported"].as_u64() > Some(0)
            && first_batch_tx.send(()).is_ok()
        {
            let _ = go_on.lock().unwrap().recv();
        }
    });
    let webview = t.webview.clone();
    let importing = std::thread::spawn(move || {
        support::invoke(
            &webview,
            "import_file",
            json!({"path": path, "format": null, "fetch": false}),
        )
    });
    first_batch.recv().unwrap();
    // One import at a time.
    let err = t.err(
        "import_file",
        json!({"path": t.path("big.csv"), "format": null, "fetch": false}),
    );
    assert!(err["message"].as_str().unwrap().contains("already running"));
    t.ok("cancel_import", json!({}));
    go_on_tx.send(()).unwrap();
    drop(go_on_tx);
    let report = importing.join().unwrap().unwrap();
    assert_eq!(report["cancelled"], true);
    let imported = report["imported"].as_u64().unwrap();
    assert!(
        imported > 0 && imported < 20_000,
        "stopped early: {imported} imported"
    );
    let counts = t.ok("sidebar_counts", json!({}));
    assert_eq!(counts["all"].as_u64(), Some(imported));
    assert_eq!(counts["tags"], json!([{"name": "t", "count": imported}]));
    // The next import runs (the first one let go of its slot) and merges.
    let again = t.ok(
        "import_file",
        json!({"path": t.path("big.csv"), "format": null, "fetch": false}),
    );
    assert_eq!(again["merged"].as_u64(), Some(imported));
    assert_eq!(again["imported"].as_u64(), Some(20_000 - imported));
}

/// A small library: two stories with content (one starred, with a highlight), a feed.
fn library_to_export(t: &TestApp) -> (i64, i64) {
    let a = t.ok("save_file", json!({"path": t.file("harbour.txt", "The harbour\n\nBoats came in at dawn with the tide."), "tags": ["sea"]}));
    let b = t.ok("save_file", json!({"path": t.file("mill.txt", "The old mill\n\nThe wheel turned slowly all afternoon."), "tags": []}));
    let (a, b) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());
    t.ok("set_starred", json!({"ids": [a], "value": true}));
    t.ok(
        "add_annotation",
        json!({"storyId": a, "annotation": {"quote": {"exact": "at dawn", "prefix": "", "suffix": ""}, "position": null, "color": "yellow", "note": "early", "tags": []}}),
    );
    let opml = t.file("feeds.opml", "<?xml version=\"1.0\"?><opml version=\"2.0\"><head/><body><outline type=\"rss\" text=\"News\" xmlUrl=\"https://news.example/feed.xml\"/></body></opml>");
    t.ok(
        "import_file",
        json!({"path": opml, "format": null, "fetch": false}),
    );
    (a, b)
}

fn export(t: &TestApp, format: &str, path: &Path, query: Value, ids: Value) -> Value {
    t.ok(
        "export_library",
        json!({"request": {"format": format, "path": path, "query": query, "ids": ids}}),
    )
}

fn all_query() -> Value {
    json!({"filter": "all", "tag": null, "feed_id": null, "limit": 100, "before": null})
}

/// One entry of a ZIP file, read with the core's own (safe) reader.
fn zip_entry(path: &Path, name: &str) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut failed = Vec::new();
    let entries = zipread::read(&bytes, ZipLimits::default(), |n| n == name, &mut failed).unwrap();
    String::from_utf8(entries.into_iter().next().unwrap().bytes).unwrap()
}

#[test]
fn every_export_format_writes_its_file_with_progress() {
    let t = TestApp::new();
    let (starred, _) = library_to_export(&t);
    let progress = t.events("export-progress");

    let json_path = t.path("out/gloss-export.zip");
    std::fs::create_dir_all(json_path.parent().unwrap()).unwrap();
    let r = export(&t, "json", &json_path, all_query(), json!([]));
    assert_eq!(
        (&r["stories"], &r["feeds"], &r["cancelled"]),
        (&json!(2), &json!(1), &json!(false))
    );
    let library = zip_entry(&json_path, "library.json");
    assert!(library.contains("The old mill") && library.contains("\"early\""));
    let seen: Vec<Value> = progress.try_iter().collect();
    assert_eq!(seen.last().unwrap(), &json!({"done": 2, "total": 2}));

    let epub = t.path("out/stories.epub");
    let r = export(&t, "epub", &epub, all_query(), json!([]));
    assert_eq!(r["stories"], 2);
    assert_eq!(zip_entry(&epub, "mimetype"), "application/epub+zip");

    let md = t.path("out/notes");
    let r = export(&t, "markdown", &md, all_query(), json!([]));
    assert_eq!(r["stories"], 2);
    let files: Vec<_> = std::fs::read_dir(&md).unwrap().collect();
    assert_eq!(files.len(), 2);

    let bookmarks = t.path("out/bookmarks.html");
    export(&t, "netscape", &bookmarks, all_query(), json!([]));
    let text = std::fs::read_to_string(&bookmarks).unwrap();
    assert!(text.starts_with("<!DOCTYPE NETSCAPE-Bookmark-file-1>"));
    assert_eq!(text.matches("<DT><A ").count(), 2);

    let opml = t.path("out/feeds.opml");
    let r = export(&t, "opml", &opml, all_query(), json!([]));
    assert_eq!(r["feeds"], 1);
    assert!(std::fs::read_to_string(&opml)
        .unwrap()
        .contains("https://news.example/feed.xml"));

    let notes = t.path("out/annotations.json");
    let r = export(&t, "annotations", &notes, all_query(), json!([]));
    assert_eq!(r["annotations"], 1);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&notes).unwrap()).unwrap();
    assert_eq!(doc["total"], 1);

    // Scope: the list shown (starred) or chosen stories.
    let starred_query =
        json!({"filter": "starred", "tag": null, "feed_id": null, "limit": 100, "before": null});
    let one = t.path("out/starred.html");
    let r = export(&t, "netscape", &one, starred_query, json!([]));
    assert_eq!(r["stories"], 1);
    let chosen = t.path("out/chosen.epub");
    let r = export(&t, "epub", &chosen, all_query(), json!([starred]));
    assert_eq!(r["stories"], 1);
    assert!(!t.path("out/chosen.epub.partial").exists());
}

#[test]
fn export_errors_are_clear_and_leave_nothing_behind() {
    let t = TestApp::new();
    library_to_export(&t);
    let nowhere = t.path("no/such/folder/x.zip");
    let err = t.err(
        "export_library",
        json!({"request": {"format": "json", "path": nowhere, "query": all_query(), "ids": []}}),
    );
    assert_eq!(err["kind"], "io");
    assert!(err["message"].as_str().unwrap().contains("x.zip"));
    let empty =
        json!({"filter": "archived", "tag": null, "feed_id": null, "limit": null, "before": null});
    let book = t.path("empty.epub");
    let err = t.err(
        "export_library",
        json!({"request": {"format": "epub", "path": book, "query": empty, "ids": []}}),
    );
    assert_eq!(err["kind"], "not_found");
    assert!(!book.exists() && !t.path("empty.epub.partial").exists());
    let err = t.err(
        "export_library",
        json!({"request": {"format": "epub", "path": "", "query": all_query(), "ids": []}}),
    );
    assert_eq!(err["kind"], "invalid_input");
}

#[test]
fn a_cancelled_export_writes_nothing() {
    let t = TestApp::new();
    for i in 0..5 {
        t.ok(
            "save_file",
            json!({"path": t.file(&format!("s{i}.txt"), &format!("Story {i}\n\nSome words of story {i}.")), "tags": []}),
        );
    }
    // Cancelled from the first story's progress, through the command.
    let webview = t.webview.clone();
    let armed = Arc::new(AtomicBool::new(true));
    let trigger = Arc::clone(&armed);
    t.app.listen_any("export-progress", move |e| {
        let p: Value = serde_json::from_str(e.payload()).unwrap();
        if p["done"] == 1 && trigger.swap(false, Ordering::SeqCst) {
            support::invoke(&webview, "cancel_export", json!({})).unwrap();
        }
    });
    let out = t.path("all.zip");
    let r = export(&t, "json", &out, all_query(), json!([]));
    assert_eq!((&r["cancelled"], &r["stories"]), (&json!(true), &json!(0)));
    assert!(!out.exists() && !t.path("all.zip.partial").exists());
    // The slot is free again: the next export runs to the end.
    assert!(!armed.load(Ordering::SeqCst));
    let r = export(&t, "json", &out, all_query(), json!([]));
    assert_eq!((&r["cancelled"], &r["stories"]), (&json!(false), &json!(5)));
}
