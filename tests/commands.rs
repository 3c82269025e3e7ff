//! Every Tauri command through `tauri::test`: the mock runtime, the real
//! core, a temporary library. What the window gets is what is checked here.

mod support;

use std::path::Path;
use std::sync::mpsc;

use gloss_app::app::asset_response;
use gloss_core::testing::{FixtureServer, Route};
use serde_json::{json, Value};
use support::TestApp;
use tauri::Listener;

impl TestApp {
    fn list(&self, filter: &str) -> Vec<i64> {
        let page = self.ok("list_stories", json!({"query": {"filter": filter, "tag": null, "feed_id": null, "limit": 100, "before": null}}));
        page["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    }
}

fn png() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend_from_slice(&[
        0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
    ]);
    v.extend_from_slice(&[0x1F, 0x15, 0xC4, 0x89]);
    v
}

#[test]
fn saving_reading_and_organising_through_ipc() {
    let t = TestApp::new();
    let changed = {
        let (tx, rx) = mpsc::channel::<String>();
        t.app.listen_any("library-changed", move |e| {
            let _ = tx.send(e.payload().to_string());
        });
        rx
    };
    let path = t.file(
        "evening.txt",
        "Evening news\n\nThe river rose by a metre overnight.\n\nRoads closed",
    );
    let saved = t.ok("save_file", json!({"path": path, "tags": ["local"]}));
    let id = saved["id"].as_i64().unwrap();
    assert_eq!(saved["title"], "Evening news");
    assert_eq!(saved["tags"], json!(["local"]));
    assert!(
        changed.try_recv().unwrap().contains(&id.to_string()),
        "a save tells the window"
    );

    let story = t.ok("get_story", json!({"id": id}));
    assert!(story["text"]
        .as_str()
        .unwrap()
        .contains("The river rose by a metre overnight."));
    assert!(story["html"].as_str().unwrap().contains("<p>"));

    assert_eq!(t.list("inbox"), vec![id]);
    t.ok("set_starred", json!({"ids": [id], "value": true}));
    assert!(changed.try_recv().is_ok());
    assert_eq!(t.list("starred"), vec![id]);
    t.ok("set_archived", json!({"ids": [id], "value": true}));
    assert_eq!(t.list("inbox"), Vec::<i64>::new());
    assert_eq!(t.list("archived"), vec![id]);
    t.ok("set_read", json!({"ids": [id], "value": true}));
    assert_eq!(t.list("unread"), Vec::<i64>::new());
    t.ok("set_progress", json!({"id": id, "progress": 0.5}));
    assert_eq!(t.ok("get_story", json!({"id": id}))["progress"], 0.5);
    assert_eq!(
        t.ok(
            "set_tags",
            json!({"id": id, "add": ["river"], "remove": ["local"]})
        ),
        json!(["river"])
    );

    let counts = t.ok("sidebar_counts", json!({}));
    assert_eq!(
        (
            counts["all"].as_u64(),
            counts["starred"].as_u64(),
            counts["archived"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(counts["tags"], json!([{"name": "river", "count": 1}]));

    let hits = t.ok("search_stories", json!({"query": {"text": "metre", "starred": null, "unread": null, "archived": null, "tag": null, "limit": 10}}));
    assert_eq!(hits[0]["id"].as_i64(), Some(id));
    assert!(hits[0]["snippet"]
        .as_str()
        .unwrap()
        .contains("\u{2}metre\u{3}"));

    let info = t.ok("library_info", json!({}));
    assert_eq!(info["stories"], 1);
    assert!(info["path"].as_str().unwrap().ends_with("library.gloss"));

    t.ok("delete_stories", json!({"ids": [id]}));
    assert_eq!(t.list("all"), Vec::<i64>::new());
}

#[test]
fn errors_cross_as_kind_and_message() {
    let t = TestApp::new();
    let err = t.call("get_story", json!({"id": 4242})).unwrap_err();
    assert_eq!(err["kind"], "not_found");
    assert!(err["message"].as_str().unwrap().contains("4242"));
    let err = t
        .call("save_url", json!({"url": "file:///etc/passwd", "tags": []}))
        .unwrap_err();
    assert_eq!(err["kind"], "invalid_input");
    let err = t
        .call("open_external", json!({"url": "file:///etc/passwd"}))
        .unwrap_err();
    assert_eq!(err["kind"], "invalid_input");
    let err = t
        .call("open_external", json!({"url": "javascript:alert(1)"}))
        .unwrap_err();
    assert_eq!(err["kind"], "invalid_input");
    let err = t
        .call("set_progress", json!({"id": 1, "progress": 0.2}))
        .unwrap_err();
    assert_eq!(err["kind"], "not_found");
    let err = t
        .call(
            "open_library",
            json!({"path": t.file("not-a-library.gloss", &"x".repeat(5000))}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "database");
    // The failed open left the first library in place.
    assert!(t.ok("library_info", json!({}))["path"]
        .as_str()
        .unwrap()
        .ends_with("library.gloss"));
}

#[test]
fn a_url_is_saved_with_progress_events_and_its_image_is_served_from_the_library() {
    let t = TestApp::new();
    let progress = {
        let (tx, rx) = mpsc::channel::<Value>();
        t.app.listen_any("save-progress", move |e| {
            let _ = tx.send(serde_json::from_str(e.payload()).unwrap());
        });
        rx
    };
    let page = r#"<html><head><title>Tide tables</title></head><body><article><h1>Tide tables</h1>
        <p>High tide comes an hour later each day, and the harbour master posts the times on the door.</p>
        <p><img src="/tide.png" alt="Tide chart"></p>
        <p>Low tide uncovers the old causeway, which walkers cross to the island in the summer months.</p>
        </article></body></html>"#;
    let server = FixtureServer::start(vec![
        ("/tides", Route::html(page)),
        ("/tide.png", Route::bytes("image/png", png())),
    ]);
    let url = server.url("/tides");
    let saved = t.ok("save_url", json!({"url": url, "tags": []}));
    server.stop();
    let stages: Vec<String> = progress
        .try_iter()
        .map(|p| p["stage"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stages.first().map(String::as_str), Some("fetching"));
    assert!(stages.contains(&"images".to_string()), "{stages:?}");
    assert_eq!(
        stages.last().map(String::as_str),
        Some("done"),
        "{stages:?}"
    );

    let story = t.ok("get_story", json!({"id": saved["id"]}));
    let html = story["html"].as_str().unwrap();
    let start = html
        .find("gloss-asset://localhost/")
        .expect("image refers to the asset scheme");
    let sha = &html[start + 24..start + 24 + 64];
    let response = asset_response(&t.state, &format!("/{sha}"));
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    // The frame must not sniff a stored file into another type (say, HTML).
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.body(), &png());
    assert_eq!(asset_response(&t.state, "/../../etc/passwd").status(), 404);
    assert_eq!(
        asset_response(&t.state, &format!("/{}", "0".repeat(64))).status(),
        404
    );
}

#[test]
fn a_failed_save_reports_failed_with_the_message() {
    let t = TestApp::new();
    let (tx, rx) = mpsc::channel::<Value>();
    t.app.listen_any("save-progress", move |e| {
        let _ = tx.send(serde_json::from_str(e.payload()).unwrap());
    });
    let server = FixtureServer::start(vec![("/gone", Route::status(410))]);
    let err = t
        .call("save_url", json!({"url": server.url("/gone"), "tags": []}))
        .unwrap_err();
    assert_eq!(err["kind"], "network");
    let last = rx.try_iter().last().unwrap();
    assert_eq!(last["stage"], "failed");
    assert_eq!(last["message"], err["message"]);
    assert_eq!(t.list("all"), Vec::<i64>::new());
}

#[test]
fn another_library_can_be_opened() {
    let t = TestApp::new();
    t.ok(
        "save_file",
        json!({"path": t.file("a.txt", "In the first\n\nbody"), "tags": []}),
    );
    let other = t.path("second.gloss");
    let info = t.ok("open_library", json!({"path": other.display().to_string()}));
    assert_eq!(info["stories"], 0);
    assert!(Path::new(info["path"].as_str().unwrap()).ends_with("second.gloss"));
    assert_eq!(t.list("all"), Vec::<i64>::new());
}

#[test]
fn the_app_identifier_is_the_one_the_core_uses_for_the_default_library() {
    let conf: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tauri.conf.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(conf["identifier"], gloss_core::APP_IDENTIFIER);
    let csp = conf["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP string, never null");
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(csp.contains(directive), "CSP lacks {directive}");
    }
    assert!(
        !csp.contains("unsafe-eval")
            && !csp
                .split(';')
                .any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline"))
    );
}

#[test]
fn highlights_are_added_listed_edited_and_deleted_through_ipc() {
    let t = TestApp::new();
    let path = t.file(
        "tides.txt",
        "Tide tables\n\nHigh tide comes an hour later each day.\n\nLow tide uncovers the causeway.",
    );
    let id = t.ok("save_file", json!({"path": path, "tags": []}))["id"]
        .as_i64()
        .unwrap();
    let quote = json!({"exact": "an hour later", "prefix": "", "suffix": ""});
    let made = t.ok(
        "add_annotation",
        json!({"storyId": id, "annotation": {"quote": quote, "position": null, "color": "blue", "note": "check", "tags": ["sea"]}}),
    );
    assert_eq!(made["color"], "blue");
    assert_eq!(
        made["quote"]["prefix"], "High tide comes ",
        "context comes from the story text"
    );
    assert!(made["position"]["start"].as_u64().is_some());
    let listed = t.ok("story_annotations", json!({"storyId": id}));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let notebook = t.ok("notebook", json!({"query": {"story_id": null, "color": "blue", "tag": null, "text": null, "limit": null}}));
    assert_eq!(notebook[0]["story_title"], "Tide tables");
    assert_eq!(t.ok("sidebar_counts", json!({}))["annotated"], 1);

    let aid = made["id"].as_i64().unwrap();
    let changed = t.ok(
        "update_annotation",
        json!({"id": aid, "color": "pink", "note": null, "tags": null}),
    );
    assert_eq!(
        (changed["color"].as_str(), changed["note"].as_str()),
        (Some("pink"), Some("check"))
    );
    let gone = t.ok("delete_annotation", json!({"id": aid}));
    assert_eq!(gone["id"].as_i64(), Some(aid));
    assert_eq!(t.ok("story_annotations", json!({"storyId": id})), json!([]));

    let err = t
        .call("add_annotation", json!({"storyId": id, "annotation": {"quote": {"exact": "not there", "prefix": "", "suffix": ""}, "position": null, "color": "yellow", "note": "", "tags": []}}))
        .unwrap_err();
    assert_eq!(err["kind"], "invalid_input");
}

fn rss(items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title)| {
            format!(
                "<item><guid>{guid}</guid><title>{title}</title><link>http://example.invalid/{guid}</link>\
                 <description>&lt;p&gt;{title}: the whole story of it, told at length for readers.&lt;/p&gt;</description></item>"
            )
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour News</title><link>http://example.invalid/</link>{items}</channel></rss>")
}

#[test]
fn feeds_are_followed_refreshed_and_read_through_ipc() {
    let t = TestApp::new();
    let progress = {
        let (tx, rx) = mpsc::channel::<Value>();
        t.app.listen_any("feeds-progress", move |e| {
            let _ = tx.send(serde_json::from_str(e.payload()).unwrap());
        });
        rx
    };
    let server = FixtureServer::start(vec![(
        "/feed.xml",
        Route::bytes(
            "application/rss+xml",
            rss(&[("a", "Ferry late"), ("b", "Tide high")]).into_bytes(),
        )
        .with_header("ETag", "\"v1\""),
    )]);
    let feed = t.ok(
        "add_feed",
        json!({"url": server.url("/feed.xml"), "folder": "Local", "fullText": false}),
    );
    let id = feed["id"].as_i64().unwrap();
    assert_eq!(feed["title"], "Harbour News");
    assert_eq!(feed["folder"], "Local");
    assert_eq!(feed["unread"], 2);
    assert_eq!(t.ok("list_folders", json!({}))[0]["unread"], 2);
    let page = t.ok("list_stories", json!({"query": {"filter": "all", "tag": null, "feed_id": id, "limit": 10, "before": null}}));
    assert_eq!(page["stories"].as_array().unwrap().len(), 2);

    // The second refresh is a 304 and adds nothing; progress is reported per feed.
    let results = t.ok("refresh_feeds", json!({"ids": []}));
    assert_eq!(results[0]["not_modified"], true);
    assert_eq!(results[0]["new"], 0);
    let stages: Vec<String> = progress
        .try_iter()
        .map(|p| p["stage"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stages, vec!["checking", "done"]);

    // Mark all read, undo through set_read; next unread walks the feed.
    let query = json!({"filter": "all", "tag": null, "feed_id": id, "limit": null, "before": null});
    let next = t.ok("next_unread", json!({"query": query, "after": null}));
    assert!(next["id"].as_i64().is_some());
    let marked = t.ok("mark_all_read", json!({"query": query}));
    assert_eq!(marked.as_array().unwrap().len(), 2);
    assert_eq!(t.ok("list_feeds", json!({}))[0]["unread"], 0);
    assert_eq!(
        t.ok("next_unread", json!({"query": query, "after": null})),
        Value::Null
    );
    t.ok("set_read", json!({"ids": marked, "value": false}));
    assert_eq!(t.ok("list_feeds", json!({}))[0]["unread"], 2);

    // OPML out and into a second library keeps the feed and its folder.
    let opml = t.path("feeds.opml");
    t.ok("export_opml", json!({"path": opml.display().to_string()}));
    t.ok(
        "open_library",
        json!({"path": t.path("other.gloss").display().to_string()}),
    );
    let summary = t.ok("import_opml", json!({"path": opml.display().to_string()}));
    assert_eq!(
        (summary["added"].as_u64(), summary["folders"].as_u64()),
        (Some(1), Some(1))
    );
    let feeds = t.ok("list_feeds", json!({}));
    assert_eq!(feeds[0]["folder"], "Local");

    let renamed = t.ok("update_feed", json!({"id": feeds[0]["id"], "settings": {"title": "The Harbour", "folder": "", "full_text": true, "retention_days": null}}));
    assert_eq!(
        (
            renamed["title"].as_str(),
            renamed["folder"].as_str(),
            renamed["full_text"].as_bool()
        ),
        (Some("The Harbour"), None, Some(true))
    );
    let folder = t.ok("add_folder", json!({"name": "Sea"}));
    t.ok(
        "rename_folder",
        json!({"id": folder["id"], "name": "Coast"}),
    );
    assert!(t
        .ok("list_folders", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["name"] == "Coast"));
    t.ok("delete_folder", json!({"id": folder["id"]}));
    t.ok(
        "remove_feed",
        json!({"id": feeds[0]["id"], "keepStories": false}),
    );
    assert_eq!(t.ok("list_feeds", json!({})), json!([]));
    t.ok("cancel_refresh", json!({}));
}

#[test]
fn a_page_with_no_feed_is_a_clear_error() {
    let t = TestApp::new();
    let server = FixtureServer::start(vec![(
        "/",
        Route::html("<html><head><title>No feeds</title></head><body><p>Hello</p></body></html>"),
    )]);
    let err = t
        .call(
            "add_feed",
            json!({"url": server.url("/"), "folder": null, "fullText": false}),
        )
        .unwrap_err();
    assert!(!err["message"].as_str().unwrap().is_empty());
    assert_eq!(t.ok("list_feeds", json!({})), json!([]));
}

/// The window's first paint asks for one thing, `first_screen`: it must be
/// exactly the first page `list_stories` gives and the counts
/// `sidebar_counts` gives, on a library of real size.
#[test]
fn the_first_screen_is_the_first_page_and_the_counts_in_one_answer() {
    let t = TestApp::new();
    for i in 0..1200 {
        let path = t.file(
            &format!("story-{i}.txt"),
            &format!("Harbour notes {i}\n\nThe ferry left at {i} past the hour, and the market stayed open late."),
        );
        let id = t.ok("save_file", json!({"path": path, "tags": []}))["id"].clone();
        if i % 3 == 0 {
            t.ok("set_starred", json!({"ids": [id], "value": true}));
        }
    }
    let query =
        json!({"filter": "inbox", "tag": null, "feed_id": null, "limit": 100, "before": null});
    let screen = t.ok("first_screen", json!({"query": query}));
    assert_eq!(
        screen["page"],
        t.ok("list_stories", json!({"query": query}))
    );
    assert_eq!(screen["counts"], t.ok("sidebar_counts", json!({})));
    assert_eq!(
        screen["page"]["stories"].as_array().map(Vec::len),
        Some(100)
    );
    assert!(screen["page"]["next"].is_object(), "more pages follow");
    assert_eq!(screen["counts"]["all"], 1200);
    assert_eq!(screen["counts"]["starred"], 400);
}
