//! Feed accounts through the window's commands (the mock runtime, the real
//! core, a temporary library) against the in-repo fake Google Reader API
//! server on 127.0.0.1: add (a refused password adds nothing), list, sync
//! with an `accounts-progress` event per account, a read made through
//! `set_read` reaching the server at the next sync, a Google Reader
//! account's subscriptions, rename and remove.

mod support;

use std::sync::mpsc;
use std::time::Duration;

use gloss_core::testing::fake_greader::{FakeGReader, FakeGReaderOptions};
use serde_json::{json, Value};
use support::TestApp;
use tauri::Listener;

const USER: &str = "reader";
const PASSWORD: &str = "a password for the tests";

impl TestApp {
    fn add_greader(&self, server: &FakeGReader, password: &str) -> Result<Value, Value> {
        self.call(
            "add_account",
            json!({"kind": "greader", "url": server.url(), "username": USER, "name": "Home server", "secret": password}),
        )
    }

    fn feeds_of(&self, account: i64) -> Vec<Value> {
        let feeds = self.ok("list_feeds", json!({}));
        feeds
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["account_id"] == account)
            .cloned()
            .collect()
    }
}

fn server_with(feeds: usize, items: usize) -> (FakeGReader, Vec<i64>) {
    let server = FakeGReader::start(USER, PASSWORD, FakeGReaderOptions::default());
    let mut numbers = Vec::new();
    for f in 0..feeds {
        let id = server.add_feed(
            &format!("Feed {f}"),
            &format!("http://127.0.0.1:9/{f}.xml"),
            Some(if f % 2 == 0 { "News" } else { "Tech" }),
        );
        numbers.extend(server.add_items(&id, items));
    }
    (server, numbers)
}

#[test]
fn an_account_from_the_window_syncs_both_ways() {
    let t = TestApp::new();
    let (server, numbers) = server_with(6, 500);
    let progress = {
        let (tx, rx) = mpsc::channel::<Value>();
        t.app.listen_any("accounts-progress", move |e| {
            let _ = tx.send(serde_json::from_str(e.payload()).unwrap());
        });
        rx
    };

    // A refused password adds nothing, and says so in words.
    let refused = t.add_greader(&server, "not the password").unwrap_err();
    assert_eq!(refused["kind"], "invalid_input", "{refused}");
    assert!(!refused["message"]
        .as_str()
        .unwrap()
        .contains("not the password"));
    assert_eq!(t.ok("list_accounts", json!({})), json!([]));

    let account = t.add_greader(&server, PASSWORD).unwrap();
    let id = account["id"].as_i64().unwrap();
    assert_eq!(account["name"], "Home server");
    assert_eq!(account["manages_subscriptions"], true);
    let listed = t.ok("list_accounts", json!({}));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(
        !listed.to_string().contains(PASSWORD),
        "the password is never sent to the window"
    );

    // Sync all: one event for the account, 3,000 stories, feeds under it.
    let results = t.ok("sync_accounts", json!({"ids": []}));
    assert_eq!(results[0]["id"], id);
    assert_eq!(results[0]["error"], Value::Null, "{results}");
    assert_eq!(results[0]["new_stories"], 3000);
    let event = progress
        .recv_timeout(Duration::from_secs(10))
        .expect("an accounts-progress event");
    assert_eq!(event["id"], id);
    let feeds = t.feeds_of(id);
    assert_eq!(feeds.len(), 6);
    assert!(feeds
        .iter()
        .all(|f| f["folder"] == "News" || f["folder"] == "Tech"));
    let unread = t.ok("sidebar_counts", json!({}))["unread"]
        .as_u64()
        .unwrap();
    assert_eq!(unread, 3000);

    // Reads made in the window queue at the door and reach the server.
    let page = t.ok(
        "list_stories",
        json!({"query": {"filter": "unread", "tag": null, "feed_id": null, "limit": 1200, "before": null}}),
    );
    let ids: Vec<i64> = page["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 1200);
    t.ok("set_read", json!({"ids": ids, "value": true}));
    assert_eq!(t.ok("list_accounts", json!({}))[0]["pending"], 1200);
    let results = t.ok("sync_accounts", json!({"ids": [id]}));
    assert_eq!(results[0]["pushed"], 1200, "{results}");
    assert_eq!(t.ok("list_accounts", json!({}))[0]["pending"], 0);
    let read_on_server = numbers.iter().filter(|&&n| server.is_read(n)).count();
    assert_eq!(read_on_server, 1200);

    // A Google Reader account's subscriptions, from the window.
    let feed = t.ok(
        "account_subscribe",
        json!({"accountId": id, "url": "http://127.0.0.1:9/new.xml", "folder": "Later"}),
    );
    let feed_id = feed["id"].as_i64().unwrap();
    assert_eq!(feed["account_id"], id);
    let moved = t.ok(
        "account_edit_feed",
        json!({"feedId": feed_id, "title": "Renamed on the server", "folder": "News"}),
    );
    assert_eq!(moved["folder"], "News");
    assert!(server
        .feeds()
        .iter()
        .any(|(_, title, labels)| title == "Renamed on the server" && labels == &["News"]));
    t.ok("account_unsubscribe", json!({"feedId": feed_id}));
    assert_eq!(t.feeds_of(id).len(), 6);
    assert_eq!(server.feeds().len(), 6);

    // Rename, then remove: its feeds go, a starred story stays.
    t.ok("rename_account", json!({"id": id, "name": "Kitchen"}));
    assert_eq!(t.ok("list_accounts", json!({}))[0]["name"], "Kitchen");
    let kept = ids[0];
    t.ok("set_starred", json!({"ids": [kept], "value": true}));
    let deleted = t.ok("remove_account", json!({"id": id})).as_u64().unwrap();
    assert_eq!(deleted, 2999);
    assert_eq!(t.ok("list_accounts", json!({})), json!([]));
    assert!(t.feeds_of(id).is_empty());
    assert_eq!(t.ok("get_story", json!({"id": kept}))["starred"], true);
}

#[test]
fn a_server_that_is_down_is_a_result_with_its_error_not_a_failed_call() {
    let t = TestApp::new();
    let (server, _) = server_with(1, 10);
    let id = t.add_greader(&server, PASSWORD).unwrap()["id"]
        .as_i64()
        .unwrap();
    server.set_down(true);
    let results = t.ok("sync_accounts", json!({"ids": [id]}));
    let error = results[0]["error"].as_str().expect("an error in words");
    assert!(!error.is_empty());
    let account = &t.ok("list_accounts", json!({}))[0];
    assert_eq!(account["error_count"], 1);
    assert_eq!(account["last_error"].as_str(), Some(error));
}
