//! Every public method of the library that writes passes the door: each
//! is called here with the update hook watching every row, and each must
//! record its change in its own transaction. A method added later that
//! writes around the door fails the last test of its kind here as soon as
//! it is exercised: the watch sees every library's rows.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::changes::Change;
use super::story_tests::story;
use super::*;
use crate::annotate::{Color, NewAnnotation, TextQuoteSelector};
use crate::model::{FeedSettings, ListQuery, StoryId, Validators};

/// A library whose changes are collected, batch by batch (one per commit).
fn watched() -> (Library, Arc<Mutex<Vec<Vec<Change>>>>) {
    let mut lib = Library::open_in_memory().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    lib.on_change(move |changes| sink.lock().unwrap().push(changes.to_vec()));
    (lib, seen)
}

/// The changes of the commits since the last call, flattened.
fn taken(seen: &Arc<Mutex<Vec<Vec<Change>>>>) -> Vec<Change> {
    std::mem::take(&mut *seen.lock().unwrap())
        .into_iter()
        .flatten()
        .collect()
}

fn quote(exact: &str) -> TextQuoteSelector {
    TextQuoteSelector {
        exact: exact.into(),
        ..Default::default()
    }
}

#[test]
fn every_public_write_passes_the_door_with_its_change() {
    let (mut lib, seen) = watched();

    let first = lib
        .store_story(story(1, "Harbour", "The harbour opened at dawn."))
        .unwrap()
        .id;
    assert_eq!(
        taken(&seen),
        vec![Change::StorySaved {
            story: first,
            created: true
        }]
    );
    lib.store_story(story(1, "Harbour", "The harbour opened at dawn again."))
        .unwrap();
    assert_eq!(
        taken(&seen),
        vec![Change::StorySaved {
            story: first,
            created: false
        }]
    );
    let second = lib
        .store_story(story(2, "River", "The river rose by a metre."))
        .unwrap()
        .id;
    taken(&seen);

    lib.set_starred(&[first, second], true).unwrap();
    lib.set_archived(&[first], true).unwrap();
    lib.set_read(&[second], true).unwrap();
    lib.set_progress(first, 0.5).unwrap();
    lib.set_tags(first, &["port".into()], &[]).unwrap();
    assert_eq!(
        taken(&seen),
        vec![
            Change::Starred {
                stories: vec![first, second],
                value: true
            },
            Change::Archived {
                stories: vec![first],
                value: true
            },
            Change::Read {
                stories: vec![second],
                value: true
            },
            Change::Progress {
                story: first,
                value: 0.5
            },
            Change::Tagged {
                story: first,
                added: vec!["port".into()],
                removed: vec![]
            },
        ]
    );
    assert_eq!(
        lib.mark_all_read(&ListQuery::default()).unwrap(),
        vec![first]
    );
    assert_eq!(
        taken(&seen),
        vec![Change::Read {
            stories: vec![first],
            value: true
        }]
    );

    let note = lib
        .add_annotation(
            first,
            NewAnnotation {
                quote: quote("harbour opened"),
                position: None,
                color: Color::Yellow,
                note: "early".into(),
                tags: vec![],
            },
        )
        .unwrap();
    lib.update_annotation(note.id, Some(Color::Green), None, None)
        .unwrap();
    lib.delete_annotation(note.id).unwrap();
    let (placed, _) = lib
        .replace_content(first, story(1, "Harbour", "The harbour opened at noon."))
        .unwrap();
    assert_eq!(placed, 0);
    assert_eq!(
        taken(&seen),
        vec![
            Change::AnnotationAdded {
                story: first,
                annotation: note.id
            },
            Change::AnnotationUpdated {
                story: first,
                annotation: note.id
            },
            Change::AnnotationDeleted {
                story: first,
                annotation: note.id
            },
            Change::StorySaved {
                story: first,
                created: false
            },
        ]
    );

    let folder = lib.add_folder("News").unwrap().id;
    lib.rename_folder(folder, "Local news").unwrap();
    let feed = lib
        .add_feed(&NewFeed {
            url: "https://news.example/feed.xml".into(),
            title: "News".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    lib.update_feed(
        feed,
        &FeedSettings {
            title: Some("Local".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let mut item = story(3, "Flood", "The flood came in the night.");
    item.feed_id = Some(feed);
    let outcome = FeedOutcome {
        feed_id: feed,
        result: FetchResult::Updated(Box::new(FeedUpdate {
            validators: Validators::default(),
            items: vec![NewFeedItem {
                guid: "flood".into(),
                former_guid: None,
                item_key: "flood-key".into(),
                story: item,
            }],
            ..Default::default()
        })),
    };
    lib.record_feed_check(&outcome, |_| Duration::from_secs(60))
        .unwrap();
    let failed = FeedOutcome {
        feed_id: feed,
        result: FetchResult::Failed {
            error: "timed out".into(),
            retry_after: None,
        },
    };
    lib.record_feed_check(&failed, |_| Duration::from_secs(60))
        .unwrap();
    assert_eq!(
        taken(&seen),
        vec![
            Change::FolderAdded { folder },
            Change::FolderRenamed { folder },
            Change::FeedAdded { feed },
            Change::FeedUpdated { feed },
            Change::FeedChecked {
                feed,
                new_stories: 1
            },
            Change::FeedChecked {
                feed,
                new_stories: 0
            },
        ]
    );
    let far_future = i64::MAX / 4;
    assert_eq!(lib.prune_feed_stories(1, far_future).unwrap(), 1);
    assert!(
        matches!(&taken(&seen)[..], [Change::StoriesDeleted { stories }] if stories.len() == 1)
    );
    assert_eq!(lib.remove_feed(feed, false).unwrap(), 0);
    lib.delete_folder(folder).unwrap();
    assert_eq!(
        taken(&seen),
        vec![
            Change::FeedRemoved { feed },
            Change::FolderDeleted { folder },
        ]
    );

    let summary = lib
        .add_subscriptions(&Subscriptions {
            feeds: vec![Subscription {
                url: "https://other.example/rss".into(),
                title: None,
                site_url: None,
                folder: Some("Other".into()),
            }],
            folders: vec![],
        })
        .unwrap();
    assert_eq!((summary.added, summary.folders), (1, 1));
    let added = lib
        .import_feeds(&[ExportedFeed {
            url: "https://third.example/atom".into(),
            title: "Third".into(),
            site_url: None,
            folder: None,
            full_text: false,
            retention_days: None,
        }])
        .unwrap();
    assert_eq!(added, 1);
    let rows = lib
        .import_rows(vec![ImportRow {
            story: story(4, "Imported", "An imported story."),
            needs_content: false,
            starred: true,
            archived: false,
            read_at: None,
            progress: 0.0,
            annotations: vec![],
        }])
        .unwrap();
    let imported = match rows[..] {
        [RowOutcome::Created { id, .. }] => id,
        ref other => panic!("{other:?}"),
    };
    lib.delete(&[second, imported]).unwrap();
    assert_eq!(
        taken(&seen),
        vec![
            Change::SubscriptionsAdded {
                feeds: 1,
                folders: 1
            },
            Change::SubscriptionsAdded {
                feeds: 1,
                folders: 0
            },
            Change::StoriesImported {
                stories: vec![imported]
            },
            Change::StoriesDeleted {
                stories: vec![second, imported]
            },
        ]
    );

    assert_eq!(lib.door.watch.bypasses(), Vec::<String>::new());
}

#[test]
fn a_refused_write_tells_no_one() {
    let (mut lib, seen) = watched();
    assert!(lib.set_starred(&[42], true).is_err());
    assert!(lib.rename_folder(7, "Nothing").is_err());
    assert_eq!(taken(&seen), vec![]);
    assert_eq!(lib.door.watch.bypasses(), Vec::<String>::new());
}

#[test]
fn the_watch_sees_a_write_around_the_door() {
    let (mut lib, _) = watched();
    lib.conn
        .execute(
            "INSERT INTO folders (name, created_at) VALUES ('Sneaky', 0)",
            [],
        )
        .unwrap();
    assert_eq!(
        lib.door.watch.bypasses(),
        vec!["a row of folders written outside a write".to_string()]
    );
    // And a write through the door that records nothing.
    let tx = lib.write("a test write").unwrap();
    tx.execute("DELETE FROM folders", []).unwrap();
    tx.commit().unwrap();
    assert_eq!(
        lib.door.watch.bypasses().last().map(String::as_str),
        Some("a write changed 1 rows and recorded no change")
    );
}

#[test]
fn changes_name_the_stories_the_window_reloads() {
    let changes = [
        Change::Starred {
            stories: vec![3, 4],
            value: true,
        },
        Change::Progress {
            story: 4,
            value: 0.2,
        },
    ];
    assert_eq!(stories_of(&changes), vec![3, 4]);
    let with_feed = [changes[0].clone(), Change::FeedAdded { feed: 1 }];
    assert_eq!(stories_of(&with_feed), Vec::<StoryId>::new());
}

#[test]
fn sync_writes_pass_the_door_and_notes_are_taken_in_the_same_transaction() {
    let (mut lib, seen) = watched();
    let id = lib
        .store_story(story(1, "Harbour", "The harbour opened at dawn."))
        .unwrap()
        .id;
    taken(&seen);
    lib.sync_start("shared", "{}").unwrap();
    assert_eq!(taken(&seen), vec![Change::Synced { stories: vec![] }]);
    // Turning sync on notes what the library already holds.
    let replica = lib.replica().unwrap();
    let dirty = replica.take_dirty().unwrap();
    assert!(
        dirty.iter().any(|(kind, _, _)| kind == "story"),
        "{dirty:?}"
    );
    let fields = replica.fields("story", &dirty[0].1).unwrap().unwrap();
    replica.commit().unwrap();
    taken(&seen);
    // A user's write is noted by the triggers inside its own transaction.
    lib.set_starred(&[id], true).unwrap();
    let replica = lib.replica().unwrap();
    assert_eq!(replica.take_dirty().unwrap().len(), 1);
    replica.commit().unwrap();
    taken(&seen);
    // Sync's own writes record the stories they touch.
    let mut replica = lib.replica().unwrap();
    let story_key = dirty[0].1.clone();
    replica
        .write_story(&story_key, Some(&fields), None)
        .unwrap();
    replica.write_story(&story_key, None, None).unwrap();
    replica.commit().unwrap();
    // Written, then deleted: the story once.
    assert_eq!(taken(&seen), vec![Change::Synced { stories: vec![id] }]);
    assert!(lib.story_id_by_key(&story_key).unwrap().is_none());
    lib.sync_move("{\"moved\":true}").unwrap();
    lib.sync_finished(None, Some("{}")).unwrap();
    lib.sync_finished(Some("the folder is gone"), None).unwrap();
    lib.sync_stop().unwrap();
    assert_eq!(taken(&seen).len(), 4);
    assert!(lib.sync_state().unwrap().is_none());
}
