//! Google Reader API accounts against the fake GReader server
//! (`gloss_core::testing::fake_greader`, a fake that follows FreshRSS's and
//! Miniflux's documented behaviour): both item-id forms, both feed-id
//! forms, continuation paging and its repeated-continuation bug, ClientLogin
//! and the `T` token refreshed on 401, the pending queue (batched, kept
//! across failures, winning over the pull), subscriptions both ways, and
//! removing an account. Sizes are thousands of items.

use gloss_core::accounts::{self, NewAccount};
use gloss_core::feeds::RefreshOptions;
use gloss_core::fetch::Fetcher;
use gloss_core::model::{AccountKind, ListFilter, ListQuery, StoryId};
use gloss_core::testing::fake_greader::{FakeGReader, FakeGReaderOptions};
use gloss_core::{ErrorKind, Library};

const USER: &str = "reader@example.org";
const PASSWORD: &str = "a long enough password";

fn options() -> RefreshOptions {
    RefreshOptions {
        images: false,
        ..RefreshOptions::default()
    }
}

async fn add(lib: &mut Library, server: &FakeGReader) -> i64 {
    let fetcher = Fetcher::new().unwrap();
    let new = NewAccount {
        kind: AccountKind::Greader,
        url: server.url(),
        username: USER.into(),
        name: Some("Fake FreshRSS".into()),
    };
    accounts::add_account(lib, &fetcher, &new, PASSWORD)
        .await
        .unwrap()
        .id
}

async fn sync(lib: &mut Library, id: i64) -> gloss_core::model::AccountSyncResult {
    let fetcher = Fetcher::new().unwrap();
    accounts::sync_account(lib, &fetcher, id, &options())
        .await
        .unwrap()
}

/// Every story of the library, with (read, starred), by the item number
/// the title carries ("Item <n>").
fn stories(lib: &Library) -> Vec<(StoryId, i64, bool, bool)> {
    let page = lib
        .list(&ListQuery {
            filter: ListFilter::All,
            limit: Some(1_000_000),
            ..ListQuery::default()
        })
        .unwrap();
    page.stories
        .iter()
        .map(|s| {
            let n = s.title.trim_start_matches("Item ").parse().unwrap();
            (s.id, n, s.read, s.starred)
        })
        .collect()
}

fn story_of(lib: &Library, number: i64) -> StoryId {
    stories(lib)
        .into_iter()
        .find(|s| s.1 == number)
        .map(|s| s.0)
        .unwrap()
}

/// Removes the account so its password leaves the keyring.
fn finish(mut lib: Library, id: i64) {
    accounts::remove_account(&mut lib, id).unwrap();
}

#[tokio::test]
async fn a_first_sync_pulls_feeds_folders_items_and_their_state() {
    let server = FakeGReader::start(
        USER,
        PASSWORD,
        FakeGReaderOptions {
            long_item_ids: true,
            numeric_feed_ids: false,
        },
    );
    let a = server.add_feed("Alpha", "http://127.0.0.1:9/alpha.xml", Some("Tech"));
    let b = server.add_feed("Beta", "http://127.0.0.1:9/beta.xml", None);
    let mut numbers = server.add_items(&a, 1_800);
    numbers.extend(server.add_items(&b, 1_200));
    for n in numbers.iter().step_by(3) {
        server.set_read(*n, true);
    }
    for n in numbers.iter().step_by(10) {
        server.set_starred(*n, true);
    }
    let mut lib = Library::open_in_memory().unwrap();
    let id = add(&mut lib, &server).await;
    let result = sync(&mut lib, id).await;
    assert_eq!(result.error, None);
    assert_eq!(result.new_stories, 3_000);
    assert_eq!(result.pulled, 3_000);
    // 3,000 items at 500 a page: six pages, then no continuation.
    assert_eq!(server.requests("GET", "/reader/api/0/stream/contents"), 6);

    let feeds: Vec<_> = lib.feeds().unwrap();
    assert_eq!(feeds.len(), 2);
    assert!(feeds.iter().all(|f| f.account_id == Some(id)));
    let alpha = feeds.iter().find(|f| f.title == "Alpha").unwrap();
    assert_eq!(alpha.folder.as_deref(), Some("Tech"));
    assert_eq!(alpha.url, "http://127.0.0.1:9/alpha.xml");
    assert_eq!(alpha.stories, 1_800);

    let all = stories(&lib);
    assert_eq!(all.len(), 3_000);
    for (_, n, read, starred) in &all {
        assert_eq!(*read, server.is_read(*n), "read state of item {n}");
        assert_eq!(*starred, server.is_starred(*n), "starred state of item {n}");
    }
    let info = lib.account(id).unwrap();
    assert_eq!(info.feeds, 2);
    assert_eq!(info.unread, 2_000);
    assert_eq!(info.pending, 0);
    assert!(info.last_synced.is_some());

    // Items are stories like a feed's: searchable.
    let hits = lib
        .search(&gloss_core::model::SearchQuery {
            text: format!("item {}", numbers[5]),
            limit: Some(5),
            ..Default::default()
        })
        .unwrap();
    assert!(!hits.is_empty());

    // A second sync brings only what is new.
    server.add_items(&b, 7);
    let again = sync(&mut lib, id).await;
    assert_eq!(again.error, None);
    assert_eq!(again.new_stories, 7);
    finish(lib, id);
}

#[tokio::test]
async fn changes_go_back_in_the_form_the_server_used_and_thousands_are_a_few_requests() {
    for long in [true, false] {
        let server = FakeGReader::start(
            USER,
            PASSWORD,
            FakeGReaderOptions {
                long_item_ids: long,
                numeric_feed_ids: !long,
            },
        );
        let feed = server.add_feed("Alpha", "http://127.0.0.1:9/alpha.xml", None);
        let numbers = server.add_items(&feed, 2_000);
        let mut lib = Library::open_in_memory().unwrap();
        let id = add(&mut lib, &server).await;
        assert_eq!(sync(&mut lib, id).await.error, None);
        if !long {
            assert!(lib.feeds().unwrap()[0].account_id.is_some());
            assert_eq!(server.feeds()[0].0, "feed/1");
        }

        let ids: Vec<StoryId> = stories(&lib).iter().map(|s| s.0).collect();
        lib.set_read(&ids, true).unwrap();
        let starred = story_of(&lib, numbers[10]);
        lib.set_starred(&[starred], true).unwrap();
        assert_eq!(lib.account(id).unwrap().pending, 2_001);

        let before = server.requests("POST", "/reader/api/0/edit-tag");
        let result = sync(&mut lib, id).await;
        assert_eq!(result.error, None, "long ids: {long}");
        assert_eq!(result.pushed, 2_001);
        // 2,000 reads at 250 ids a request, and one star.
        assert_eq!(
            server.requests("POST", "/reader/api/0/edit-tag") - before,
            9
        );
        assert!(numbers.iter().all(|n| server.is_read(*n)));
        assert!(server.is_starred(numbers[10]));
        assert_eq!(lib.account(id).unwrap().pending, 0);
        assert_eq!(lib.account(id).unwrap().unread, 0);
        finish(lib, id);
    }
}

#[tokio::test]
async fn a_pending_change_survives_a_failing_server_and_wins_over_the_pull() {
    let server = FakeGReader::start(USER, PASSWORD, FakeGReaderOptions::default());
    let feed = server.add_feed("Alpha", "http://127.0.0.1:9/alpha.xml", None);
    let numbers = server.add_items(&feed, 1_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    let mut lib = Library::open(&path).unwrap();
    let id = add(&mut lib, &server).await;
    assert_eq!(sync(&mut lib, id).await.error, None);

    // 1,000 marked read and one starred while the server is down.
    server.set_down(true);
    let ids: Vec<StoryId> = stories(&lib).iter().map(|s| s.0).collect();
    lib.set_read(&ids, true).unwrap();
    lib.set_starred(&[story_of(&lib, numbers[0])], true)
        .unwrap();
    let failed = sync(&mut lib, id).await;
    let error = failed.error.unwrap();
    assert!(error.contains("has a problem (HTTP 503)"), "{error}");
    let info = lib.account(id).unwrap();
    assert_eq!(info.error_count, 1);
    assert_eq!(info.last_error.as_deref(), Some(error.as_str()));
    assert!(info.next_sync.is_some(), "Retry-After is kept");
    assert_eq!(info.pending, 1_001);
    assert_eq!(info.unread, 0, "nothing local flipped");

    // A sync of all accounts honours the server's Retry-After.
    let fetcher = Fetcher::new().unwrap();
    let all = accounts::sync_accounts(&mut lib, &fetcher, &[], &options())
        .await
        .unwrap();
    assert!(all[0].skipped_until.is_some());

    // The queue survives a restart.
    drop(lib);
    let mut lib = Library::open(&path).unwrap();
    assert_eq!(lib.account(id).unwrap().pending, 1_001);

    // The server comes back, still saying every item is unread: the
    // changes are sent first, and none flips back.
    server.set_down(false);
    let result = sync(&mut lib, id).await;
    assert_eq!(result.error, None);
    assert_eq!(result.pushed, 1_001);
    assert!(numbers.iter().all(|n| server.is_read(*n)));
    assert!(server.is_starred(numbers[0]));
    let info = lib.account(id).unwrap();
    assert_eq!((info.pending, info.unread, info.error_count), (0, 0, 0));
    assert!(stories(&lib).iter().all(|s| s.2));

    // A change on the server reaches Gloss.
    server.set_read(numbers[3], false);
    server.set_starred(numbers[4], true);
    let result = sync(&mut lib, id).await;
    assert_eq!(result.updated, 2);
    let s = stories(&lib);
    assert!(s.iter().any(|x| x.1 == numbers[3] && !x.2));
    assert!(s.iter().any(|x| x.1 == numbers[4] && x.3));
    finish(lib, id);
}

#[tokio::test]
async fn a_repeated_continuation_ends_the_pull_and_an_expired_token_is_renewed() {
    let server = FakeGReader::start(
        USER,
        PASSWORD,
        FakeGReaderOptions {
            long_item_ids: true,
            numeric_feed_ids: true,
        },
    );
    let feed = server.add_feed("Alpha", "http://127.0.0.1:9/alpha.xml", None);
    let numbers = server.add_items(&feed, 1_500);
    server.repeat_continuation(true);
    let mut lib = Library::open_in_memory().unwrap();
    let id = add(&mut lib, &server).await;
    let result = sync(&mut lib, id).await;
    assert_eq!(result.error, None);
    // The first page, then the same continuation again: stop there.
    assert_eq!(server.requests("GET", "/reader/api/0/stream/contents"), 2);
    // The unread items the pages did not bring come by id (250 a request).
    assert_eq!(
        server.requests("POST", "/reader/api/0/stream/items/contents"),
        4
    );
    assert_eq!(result.new_stories, 1_500);
    assert_eq!(stories(&lib).len(), 1_500);

    server.expire_token();
    lib.set_starred(&[story_of(&lib, numbers[7])], true)
        .unwrap();
    let tokens = server.requests("GET", "/reader/api/0/token");
    let result = sync(&mut lib, id).await;
    assert_eq!(result.error, None);
    assert_eq!(result.pushed, 1);
    assert!(server.is_starred(numbers[7]));
    // One token for the first write, a new one after its 401.
    assert_eq!(server.requests("GET", "/reader/api/0/token") - tokens, 2);
    finish(lib, id);
}

#[tokio::test]
async fn subscriptions_change_both_ways_and_removing_the_account_keeps_starred_stories() {
    let server = FakeGReader::start(
        USER,
        PASSWORD,
        FakeGReaderOptions {
            long_item_ids: false,
            numeric_feed_ids: true,
        },
    );
    let feed = server.add_feed("Alpha", "http://127.0.0.1:9/alpha.xml", Some("Tech"));
    let numbers = server.add_items(&feed, 1_000);
    let mut lib = Library::open_in_memory().unwrap();
    let id = add(&mut lib, &server).await;
    assert_eq!(sync(&mut lib, id).await.error, None);
    let fetcher = Fetcher::new().unwrap();

    let added = accounts::subscribe(
        &mut lib,
        &fetcher,
        id,
        "http://127.0.0.1:9/gamma.xml",
        Some("News"),
    )
    .await
    .unwrap();
    assert_eq!(added.account_id, Some(id));
    assert_eq!(added.folder.as_deref(), Some("News"));
    assert!(server
        .feeds()
        .iter()
        .any(|f| f.0 == "feed/2" && f.2 == ["News"]));

    let renamed = accounts::rename_feed(&mut lib, &fetcher, added.id, "Gamma")
        .await
        .unwrap();
    assert_eq!(renamed.title, "Gamma");
    let moved = accounts::move_feed(&mut lib, &fetcher, added.id, Some("Tech"))
        .await
        .unwrap();
    assert_eq!(moved.folder.as_deref(), Some("Tech"));
    assert!(server
        .feeds()
        .iter()
        .any(|f| f.1 == "Gamma" && f.2 == ["Tech"]));

    // A change made on the server (another reader) comes with the next sync.
    let delta = server.add_feed("Delta", "http://127.0.0.1:9/delta.xml", None);
    server.add_items(&delta, 3);
    assert_eq!(sync(&mut lib, id).await.error, None);
    assert_eq!(lib.feeds().unwrap().len(), 3);

    accounts::unsubscribe(&mut lib, &fetcher, added.id)
        .await
        .unwrap();
    assert!(!server.feeds().iter().any(|f| f.1 == "Gamma"));
    assert!(lib.feed(added.id).is_err());

    // An account's feed is not removed as a local one.
    let alpha = lib
        .feeds()
        .unwrap()
        .into_iter()
        .find(|f| f.title == "Alpha")
        .unwrap();
    let err = lib.remove_feed(alpha.id, false).unwrap_err();
    assert!(err.to_string().contains("belongs to feed account"), "{err}");

    // Removing the account: starred and tagged stories stay, as saved stories.
    let kept = story_of(&lib, numbers[1]);
    let tagged = story_of(&lib, numbers[2]);
    lib.set_starred(&[kept], true).unwrap();
    lib.set_tags(tagged, &["keep".to_string()], &[]).unwrap();
    let deleted = accounts::remove_account(&mut lib, id).unwrap();
    assert_eq!(deleted, 1_001);
    assert!(lib.accounts().unwrap().is_empty());
    assert!(lib.feeds().unwrap().is_empty());
    let left = stories(&lib);
    assert_eq!(left.len(), 2);
    assert!(lib.summary(kept).unwrap().feed_id.is_none());
    // Its password left the keyring: syncing it again is an unknown account.
    let err = accounts::sync_account(&mut lib, &fetcher, id, &options())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn a_wrong_password_adds_nothing() {
    let server = FakeGReader::start(USER, PASSWORD, FakeGReaderOptions::default());
    let mut lib = Library::open_in_memory().unwrap();
    let fetcher = Fetcher::new().unwrap();
    let new = NewAccount {
        kind: AccountKind::Greader,
        url: server.url(),
        username: USER.into(),
        name: None,
    };
    let err = accounts::add_account(&mut lib, &fetcher, &new, "not the password")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(
        err.to_string()
            .contains("refused the user name or password"),
        "{err}"
    );
    assert!(!err.to_string().contains("not the password"));
    assert!(lib.accounts().unwrap().is_empty());
}
