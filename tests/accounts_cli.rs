//! `gloss accounts …` as scripts use it: the real binary, a temporary
//! library, and the fake Google Reader server (a fake following FreshRSS's
//! documented behaviour, `gloss_core::testing::fake_greader`) on 127.0.0.1.

mod support;

use gloss_core::testing::fake_greader::{FakeGReader, FakeGReaderOptions};
use serde_json::Value;
use support::Gloss;

const USER: &str = "reader@example.org";
const PASSWORD: &str = "a long enough password";

#[test]
fn accounts_are_added_listed_synced_renamed_and_removed() {
    let server = FakeGReader::start(
        USER,
        PASSWORD,
        FakeGReaderOptions {
            long_item_ids: true,
            numeric_feed_ids: true,
        },
    );
    let feed = server.add_feed("Alpha", "http://127.0.0.1:9/alpha.xml", Some("Tech"));
    let numbers = server.add_items(&feed, 1_200);
    server.set_read(numbers[0], true);
    let g = Gloss::new();

    // The password comes only from standard input, and a wrong one adds nothing.
    let error = g.fails(&["accounts", "add", "greader", &server.url(), "--user", USER]);
    assert!(error.contains("--password-stdin"), "{error}");
    let out = g.run_with_stdin(
        &[
            "accounts",
            "add",
            "greader",
            &server.url(),
            "--user",
            USER,
            "--password-stdin",
        ],
        Some("wrong one\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refused the user name or password"),
        "{stderr}"
    );
    assert!(!stderr.contains("wrong one"));

    let out = g.run_with_stdin(
        &[
            "accounts",
            "add",
            "greader",
            &server.url(),
            "--user",
            USER,
            "--password-stdin",
            "--name",
            "Home server",
            "--json",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let added: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(added["name"], "Home server");
    assert_eq!(added["kind"], "greader");
    let id = added["id"].as_i64().unwrap().to_string();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(PASSWORD));

    let synced = g.json(&["accounts", "sync", &id, "--json"]);
    assert_eq!(synced[0]["error"], Value::Null);
    assert_eq!(synced[0]["new_stories"], 1_200);
    assert_eq!(synced[0]["pulled"], 1_200);
    assert!(synced[0]["took_ms"].is_u64());

    // Account feeds are listed with the local ones, and their stories by feed.
    let feeds = g.json(&["feeds", "list", "--json"]);
    assert_eq!(feeds[0]["account_id"].to_string(), id);
    assert_eq!(feeds[0]["folder"], "Tech");
    assert_eq!(feeds[0]["unread"], 1_199);
    let feed_id = feeds[0]["id"].as_i64().unwrap().to_string();
    let text = g.ok(&["feeds", "list"]);
    assert!(text.contains(&format!("(account {id})")), "{text}");
    let listed = g.json(&["list", "--feed", &feed_id, "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1_200);

    // A read made here reaches the server with the next sync.
    let first = listed[0]["id"].as_i64().unwrap().to_string();
    g.ok(&["read", &first]);
    let list = g.json(&["accounts", "list", "--json"]);
    assert_eq!(list[0]["pending"], 1);
    let synced = g.json(&["accounts", "sync", "--json"]);
    assert_eq!(synced[0]["pushed"], 1);
    assert_eq!(g.json(&["accounts", "list", "--json"])[0]["pending"], 0);

    // Subscriptions from the command line.
    let out = g.ok(&[
        "accounts",
        "subscribe",
        &id,
        "http://127.0.0.1:9/beta.xml",
        "--folder",
        "News",
    ]);
    assert!(out.starts_with("subscribed to feed "), "{out}");
    assert!(server.feeds().iter().any(|f| f.2 == ["News"]));
    g.ok(&["accounts", "rename-feed", &feed_id, "Alpha Renamed"]);
    g.ok(&["accounts", "move-feed", &feed_id, "News"]);
    assert!(server
        .feeds()
        .iter()
        .any(|f| f.1 == "Alpha Renamed" && f.2 == ["News"]));

    // A failing server: its error in plain words in the list.
    server.set_down(true);
    let synced = g.json(&["accounts", "sync", &id, "--json"]);
    let error = synced[0]["error"].as_str().unwrap().to_string();
    assert!(error.contains("HTTP 503"), "{error}");
    let text = g.ok(&["accounts", "list"]);
    assert!(text.contains(&format!("error (1x): {error}")), "{text}");
    server.set_down(false);

    g.ok(&["accounts", "rename", &id, "Renamed"]);
    assert_eq!(
        g.json(&["accounts", "list", "--json"])[0]["name"],
        "Renamed"
    );
    let removed = g.ok(&["accounts", "remove", &id]);
    assert!(removed.contains("1200 stories deleted"), "{removed}");
    assert_eq!(
        g.json(&["accounts", "list", "--json"]),
        Value::Array(vec![])
    );
    assert_eq!(g.json(&["feeds", "list", "--json"]), Value::Array(vec![]));
    let error = g.fails(&["accounts", "sync", &id]);
    assert!(error.contains("no feed account with id"), "{error}");
}
