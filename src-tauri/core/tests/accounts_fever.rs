//! Fever accounts against a real Fever server: Coldsweat 0.10.2 (see
//! `gloss_core::testing::coldsweat`), its feeds served from 127.0.0.1 with
//! an icon there too. Gloss pulls groups, feeds and items; a read and a
//! star made in Gloss reach the server (checked through the server's own
//! API); a change made on the server reaches Gloss; 1,000 items marked read
//! while the server is stopped are all applied once it is back, and none
//! flips back; subscriptions cannot be changed ("not supported by Fever").

use std::collections::HashSet;

use gloss_core::accounts::{self, NewAccount};
use gloss_core::feeds::RefreshOptions;
use gloss_core::fetch::Fetcher;
use gloss_core::model::{AccountKind, ListFilter, ListQuery, StorySummary};
use gloss_core::testing::coldsweat::Coldsweat;
use gloss_core::testing::{FixtureServer, Route};
use gloss_core::{ErrorKind, Library};

const EMAIL: &str = "reader@example.org";
const PASSWORD: &str = "twelve or more characters";

/// An Atom feed of `count` entries whose icon is on the same server.
fn atom(server_url: &str, name: &str, count: usize) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>{name}</title><id>urn:{name}</id><updated>2026-11-01T00:00:00Z</updated>\
         <link href=\"{server_url}/{name}/\"/><icon>{server_url}/icon.png</icon>\n"
    );
    for i in 0..count {
        out.push_str(&format!(
            "<entry><id>urn:{name}:{i}</id><title>{name} story {i}</title>\
             <link href=\"{server_url}/{name}/{i}.html\"/>\
             <updated>2026-10-{:02}T{:02}:{:02}:00Z</updated>\
             <content type=\"html\">&lt;p&gt;Story {i} of {name}, long enough to be read as an \
             article by the extraction.&lt;/p&gt;</content></entry>\n",
            1 + i % 28,
            i % 24,
            i % 60
        ));
    }
    out.push_str("</feed>\n");
    out
}

fn png() -> Vec<u8> {
    // A 1×1 PNG.
    vec![
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0,
        0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44,
        0x41, 0x54, 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0,
        0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ]
}

fn options() -> RefreshOptions {
    RefreshOptions {
        images: false,
        ..RefreshOptions::default()
    }
}

fn all_stories(lib: &Library) -> Vec<StorySummary> {
    lib.list(&ListQuery {
        filter: ListFilter::All,
        limit: Some(1_000_000),
        ..ListQuery::default()
    })
    .unwrap()
    .stories
}

#[tokio::test]
async fn a_fever_account_syncs_both_ways_with_coldsweat() {
    let feeds = FixtureServer::start(vec![("/icon.png", Route::bytes("image/png", png()))]);
    let base = feeds.url("").trim_end_matches('/').to_string();
    feeds.set_route(
        "/alpha.xml",
        Route::bytes(
            "application/atom+xml",
            atom(&base, "alpha", 700).into_bytes(),
        ),
    );
    feeds.set_route(
        "/beta.xml",
        Route::bytes(
            "application/atom+xml",
            atom(&base, "beta", 500).into_bytes(),
        ),
    );
    let alpha = feeds.url("/alpha.xml");
    let beta = feeds.url("/beta.xml");
    let mut server = Coldsweat::start(
        EMAIL,
        PASSWORD,
        &[(Some("Tech"), "Alpha", &alpha), (None, "Beta", &beta)],
    );
    assert!(
        feeds.hits("/icon.png") > 0,
        "Coldsweat took the icon from 127.0.0.1"
    );

    let fetcher = Fetcher::new().unwrap();
    let mut lib = Library::open_in_memory().unwrap();
    let new = NewAccount {
        kind: AccountKind::Fever,
        url: server.url(),
        username: EMAIL.into(),
        name: Some("Coldsweat".into()),
    };
    let id = accounts::add_account(&mut lib, &fetcher, &new, PASSWORD)
        .await
        .unwrap()
        .id;

    // Groups, feeds and items.
    let first = accounts::sync_account(&mut lib, &fetcher, id, &options())
        .await
        .unwrap();
    assert_eq!(first.error, None);
    assert_eq!(first.new_stories, 1_200);
    let local = lib.feeds().unwrap();
    assert_eq!(local.len(), 2);
    let alpha_feed = local.iter().find(|f| f.url == alpha).unwrap();
    assert_eq!(alpha_feed.folder.as_deref(), Some("Tech"));
    assert_eq!(alpha_feed.stories, 700);
    assert_eq!(alpha_feed.account_id, Some(id));
    let stories = all_stories(&lib);
    assert_eq!(stories.len(), 1_200);
    assert!(stories.iter().all(|s| !s.read && !s.starred));

    // A read and a star made in Gloss reach the server.
    let read = stories
        .iter()
        .find(|s| s.title == "alpha story 3")
        .unwrap()
        .id;
    let star = stories
        .iter()
        .find(|s| s.title == "beta story 4")
        .unwrap()
        .id;
    lib.set_read(&[read], true).unwrap();
    lib.set_starred(&[star], true).unwrap();
    let unread_before: HashSet<i64> = server.ids("unread_item_ids").into_iter().collect();
    let pushed = accounts::sync_account(&mut lib, &fetcher, id, &options())
        .await
        .unwrap();
    assert_eq!(pushed.error, None);
    assert_eq!(pushed.pushed, 2);
    let unread_after: HashSet<i64> = server.ids("unread_item_ids").into_iter().collect();
    assert_eq!(unread_before.len() - unread_after.len(), 1);
    let saved = server.ids("saved_item_ids");
    assert_eq!(saved.len(), 1);
    let saved_item = &server.api(&format!("items&with_ids={}", saved[0]), &[])["items"][0];
    assert_eq!(saved_item["title"], "beta story 4");

    // A change made on the server reaches Gloss.
    let gone_unread = unread_after.iter().next().copied().unwrap();
    server.api(
        "mark",
        &[
            ("mark", "item"),
            ("as", "read"),
            ("id", &gone_unread.to_string()),
        ],
    );
    server.api(
        "mark",
        &[
            ("mark", "item"),
            ("as", "unsaved"),
            ("id", &saved[0].to_string()),
        ],
    );
    let pulled = accounts::sync_account(&mut lib, &fetcher, id, &options())
        .await
        .unwrap();
    assert_eq!(pulled.error, None);
    assert_eq!(pulled.updated, 2);
    assert!(!lib.summary(star).unwrap().starred);
    assert_eq!(lib.account(id).unwrap().unread, 1_198);

    // New items on the server come with the next sync.
    feeds.set_route(
        "/beta.xml",
        Route::bytes(
            "application/atom+xml",
            atom(&base, "beta", 520).into_bytes(),
        ),
    );
    server.fetch();
    let more = accounts::sync_account(&mut lib, &fetcher, id, &options())
        .await
        .unwrap();
    assert_eq!((more.error.as_deref(), more.new_stories), (None, 20));

    // 1,000 marked read while the server is stopped: queued, nothing flips.
    server.pause();
    let thousand: Vec<i64> = all_stories(&lib)
        .iter()
        .filter(|s| !s.read)
        .take(1_000)
        .map(|s| s.id)
        .collect();
    assert_eq!(thousand.len(), 1_000);
    lib.set_read(&thousand, true).unwrap();
    let down = accounts::sync_account(&mut lib, &fetcher, id, &options())
        .await
        .unwrap();
    let error = down.error.unwrap();
    assert!(error.contains("could not connect"), "{error}");
    let info = lib.account(id).unwrap();
    assert_eq!(info.last_error.as_deref(), Some(error.as_str()));
    assert_eq!(info.pending, 1_000);
    let unread_local = lib.account(id).unwrap().unread;

    // Back: all applied, none flips back.
    server.resume();
    let back = accounts::sync_account(&mut lib, &fetcher, id, &options())
        .await
        .unwrap();
    assert_eq!(back.error, None);
    assert_eq!(back.pushed, 1_000);
    let info = lib.account(id).unwrap();
    assert_eq!((info.pending, info.error_count), (0, 0));
    assert_eq!(info.unread, unread_local);
    assert!(thousand.iter().all(|s| lib.summary(*s).unwrap().read));
    let unread_server = server.ids("unread_item_ids").len() as u32;
    assert_eq!(unread_server, info.unread);

    // Fever cannot change subscriptions.
    let err = accounts::subscribe(&mut lib, &fetcher, id, "http://127.0.0.1:9/x.xml", None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert!(err.to_string().contains("not supported by Fever"), "{err}");
    assert!(!lib.account(id).unwrap().manages_subscriptions);

    accounts::remove_account(&mut lib, id).unwrap();
}

#[tokio::test]
async fn a_wrong_fever_password_adds_nothing() {
    let feeds = FixtureServer::start(vec![("/icon.png", Route::bytes("image/png", png()))]);
    let base = feeds.url("").trim_end_matches('/').to_string();
    feeds.set_route(
        "/a.xml",
        Route::bytes("application/atom+xml", atom(&base, "a", 3).into_bytes()),
    );
    let server = Coldsweat::start(EMAIL, PASSWORD, &[(None, "A", &feeds.url("/a.xml"))]);
    let mut lib = Library::open_in_memory().unwrap();
    let new = NewAccount {
        kind: AccountKind::Fever,
        url: server.url(),
        username: EMAIL.into(),
        name: None,
    };
    let err = accounts::add_account(&mut lib, &Fetcher::new().unwrap(), &new, "wrong password!")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(
        err.to_string().contains("refused the email and password"),
        "{err}"
    );
    assert!(lib.accounts().unwrap().is_empty());
}
