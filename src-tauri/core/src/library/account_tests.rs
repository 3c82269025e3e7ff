//! Feed accounts in the library, under the door's watch: the pending queue
//! is filled in the same write as the change, a confirmation removes only
//! the change it names, the server's state never overrides a waiting
//! change, and removing an account keeps what the user kept.

use super::story_tests::story;
use super::*;
use crate::model::{AccountKind, StoryId};

fn account(lib: &mut Library) -> i64 {
    lib.add_account(&NewAccountRow {
        kind: AccountKind::Greader,
        name: "Server".into(),
        url: "http://127.0.0.1:9/api/greader.php".into(),
        username: "me".into(),
        secret_key: "account:test".into(),
    })
    .unwrap()
    .id
}

/// An account with one feed and `n` items as stories; returns the account,
/// the feed and the stories with their item ids.
fn with_items(lib: &mut Library, n: u32) -> (i64, i64, Vec<(StoryId, String)>) {
    let id = account(lib);
    lib.apply_account_subscriptions(
        id,
        &[RemoteFeed {
            remote_id: "feed/1".into(),
            title: "Alpha".into(),
            url: "http://127.0.0.1:9/alpha.xml".into(),
            site_url: None,
            folder: Some("Tech".into()),
        }],
    )
    .unwrap();
    let feed = lib.account_feeds(id).unwrap()[0].id;
    let items: Vec<NewFeedItem> = (0..n)
        .map(|i| {
            let mut s = story(i, &format!("Item {i}"), "Some words of the item.");
            s.feed_id = Some(feed);
            NewFeedItem {
                guid: format!("tag:google.com,2005:reader/item/{i:016x}"),
                former_guid: None,
                item_key: format!("{}#item", s.url_key),
                story: s,
            }
        })
        .collect();
    let added = lib
        .store_account_items(
            id,
            &[AccountItems {
                feed_id: feed,
                items,
            }],
            Some("100"),
        )
        .unwrap();
    assert_eq!(added, n);
    let stories = lib
        .known_account_items(id)
        .unwrap()
        .into_iter()
        .map(|k| (k.story.unwrap(), k.item_id))
        .collect();
    (id, feed, stories)
}

#[test]
fn a_change_is_queued_in_its_own_write_and_confirmed_by_its_sequence() {
    let mut lib = Library::open_in_memory().unwrap();
    let (id, feed, stories) = with_items(&mut lib, 2_000);
    assert_eq!(lib.feed(feed).unwrap().account_id, Some(id));
    assert_eq!(lib.feed(feed).unwrap().url, "http://127.0.0.1:9/alpha.xml");
    assert_eq!(lib.feed(feed).unwrap().folder.as_deref(), Some("Tech"));
    let ids: Vec<StoryId> = stories.iter().map(|s| s.0).collect();
    lib.set_read(&ids, true).unwrap();
    lib.set_starred(&ids[..1], true).unwrap();
    let pending = lib.pending_changes(id).unwrap();
    assert_eq!(pending.len(), 2_001);
    assert_eq!(lib.account(id).unwrap().pending, 2_001);
    // A later change of the same item and field replaces the waiting one...
    lib.set_read(&ids[..1], false).unwrap();
    let now = lib.pending_changes(id).unwrap();
    assert_eq!(now.len(), 2_001);
    let replaced = now
        .iter()
        .find(|p| p.item_id == stories[0].1 && p.field == StateField::Read);
    assert_eq!(replaced.map(|p| p.value), Some(false));
    // ... so confirming what was sent before leaves it waiting.
    let sent: Vec<i64> = pending.iter().map(|p| p.seq).collect();
    lib.confirm_pending(id, &sent).unwrap();
    let left = lib.pending_changes(id).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(
        (left[0].item_id.as_str(), left[0].value),
        (stories[0].1.as_str(), false)
    );
    // A local story is not queued.
    let local = lib.store_story(story(9_999, "Local", "Mine.")).unwrap().id;
    lib.set_read(&[local], true).unwrap();
    assert_eq!(lib.pending_changes(id).unwrap().len(), 1);
    assert_eq!(lib.door.watch.bypasses(), Vec::<String>::new());
}

#[test]
fn the_server_state_never_overrides_a_waiting_change() {
    let mut lib = Library::open_in_memory().unwrap();
    let (id, _, stories) = with_items(&mut lib, 1_000);
    let (waiting, _) = stories[0].clone();
    lib.set_read(&[waiting], true).unwrap();
    // The pull says every item is unread and the first three starred.
    let states: Vec<RemoteState> = stories
        .iter()
        .flat_map(|(story, item)| {
            [
                RemoteState {
                    story: *story,
                    item_id: item.clone(),
                    field: StateField::Read,
                    value: false,
                },
                RemoteState {
                    story: *story,
                    item_id: item.clone(),
                    field: StateField::Starred,
                    value: true,
                },
            ]
        })
        .collect();
    let changed = lib.apply_remote_state(id, &states).unwrap();
    // Only the stars changed (1,000); the waiting read stayed read.
    assert_eq!(changed, 1_000);
    assert!(lib.summary(waiting).unwrap().read);
    assert!(lib.summary(waiting).unwrap().starred);
    // Applying the server's state queues nothing.
    assert_eq!(lib.pending_changes(id).unwrap().len(), 1);
    assert_eq!(lib.door.watch.bypasses(), Vec::<String>::new());
}

#[test]
fn a_sync_outcome_is_recorded_and_removing_the_account_keeps_kept_stories() {
    let mut lib = Library::open_in_memory().unwrap();
    let (id, feed, stories) = with_items(&mut lib, 1_000);
    lib.record_account_sync(
        id,
        &AccountSyncOutcome {
            error: Some("the server has a problem (HTTP 503)".into()),
            retry_after: Some(now_ms() + 60_000),
            backoff_until: Some(now_ms() + 300_000),
        },
    )
    .unwrap();
    let info = lib.account(id).unwrap();
    assert_eq!(info.error_count, 1);
    assert_eq!(
        info.last_error.as_deref(),
        Some("the server has a problem (HTTP 503)")
    );
    assert!(info.next_sync.is_some());
    lib.record_account_sync(id, &AccountSyncOutcome::default())
        .unwrap();
    let info = lib.account(id).unwrap();
    assert_eq!((info.error_count, info.last_error.clone()), (0, None));
    assert!(info.last_synced.is_some());
    assert_eq!(
        lib.rename_account(id, "  My   server ").unwrap().name,
        "My server"
    );
    assert!(lib.rename_account(id, " ").is_err());

    // The local refresh leaves account feeds alone.
    assert!(lib.feeds_to_check(&[], now_ms()).unwrap().checks.is_empty());
    assert!(lib.feeds_to_check(&[feed], now_ms()).is_err());
    assert!(lib.remove_feed(feed, false).is_err());

    lib.set_starred(&[stories[0].0], true).unwrap();
    lib.set_tags(stories[1].0, &["keep".into()], &[]).unwrap();
    let deleted = lib.remove_account(id).unwrap();
    assert_eq!(deleted, 998);
    assert!(lib.accounts().unwrap().is_empty());
    assert!(lib.feeds().unwrap().is_empty());
    assert_eq!(lib.info().unwrap().stories, 2);
    assert_eq!(lib.summary(stories[0].0).unwrap().feed_id, None);
    assert_eq!(lib.door.watch.bypasses(), Vec::<String>::new());
}
