//! The door: the one way a change gets into the library.
//!
//! Every public method of [`Library`] that writes opens a [`Write`] (a
//! transaction that also carries the changes it makes), records what it
//! changes as a typed [`Change`] before it commits, and commits through it.
//! After the commit the door tells its listeners the list of changes: the
//! app turns them into its `library-changed` event; sync and feed accounts
//! will record them here, in the same place, without another path to find.
//!
//! In the crate's own tests every row change is watched (SQLite's update
//! hook): a row written outside a `Write`, or a `Write` that writes rows
//! and records no change, is counted, and the library's `Drop` fails the
//! test. So no writing method can go round the door unnoticed.

use std::ops::Deref;

use rusqlite::Transaction;

use crate::model::StoryId;

/// One change to the library, as the writer that made it knows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A story saved, or saved again over the one with its URL.
    StorySaved {
        story: StoryId,
        created: bool,
    },
    Starred {
        stories: Vec<StoryId>,
        value: bool,
    },
    Archived {
        stories: Vec<StoryId>,
        value: bool,
    },
    Read {
        stories: Vec<StoryId>,
        value: bool,
    },
    Progress {
        story: StoryId,
        value: f64,
    },
    Tagged {
        story: StoryId,
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// Stories deleted (by hand, with their feed, or by a feed's retention).
    StoriesDeleted {
        stories: Vec<StoryId>,
    },
    AnnotationAdded {
        story: StoryId,
        annotation: i64,
    },
    AnnotationUpdated {
        story: StoryId,
        annotation: i64,
    },
    AnnotationDeleted {
        story: StoryId,
        annotation: i64,
    },
    FeedAdded {
        feed: i64,
    },
    FeedUpdated {
        feed: i64,
    },
    FeedRemoved {
        feed: i64,
    },
    /// A feed checked: its state, and how many new stories its items became.
    FeedChecked {
        feed: i64,
        new_stories: u32,
    },
    FolderAdded {
        folder: i64,
    },
    FolderRenamed {
        folder: i64,
    },
    FolderDeleted {
        folder: i64,
    },
    /// Feeds and folders of a subscription list (OPML, or a Gloss export).
    SubscriptionsAdded {
        feeds: u32,
        folders: u32,
    },
    /// The stories an import wrote (new or merged).
    StoriesImported {
        stories: Vec<StoryId>,
    },
    /// A feed account added (its feeds come with its first sync).
    AccountAdded {
        account: i64,
    },
    /// An account renamed, or the state of its sync recorded (an error,
    /// changes the server confirmed).
    AccountUpdated {
        account: i64,
    },
    /// An account removed with its feeds.
    AccountRemoved {
        account: i64,
    },
    /// What a sync pulled from the server: subscriptions, new stories, and
    /// read and star states.
    AccountSynced {
        account: i64,
        new_stories: u32,
    },
}

impl Change {
    /// The stories this change is about; `None` when it is about the
    /// library as a whole (feeds, folders), where a view reloads everything.
    pub fn stories(&self) -> Option<Vec<StoryId>> {
        use Change::*;
        match self {
            StorySaved { story, .. }
            | Progress { story, .. }
            | Tagged { story, .. }
            | AnnotationAdded { story, .. }
            | AnnotationUpdated { story, .. }
            | AnnotationDeleted { story, .. } => Some(vec![*story]),
            Starred { stories, .. }
            | Archived { stories, .. }
            | Read { stories, .. }
            | StoriesDeleted { stories }
            | StoriesImported { stories } => Some(stories.clone()),
            FeedChecked { .. }
            | FeedAdded { .. }
            | FeedUpdated { .. }
            | FeedRemoved { .. }
            | FolderAdded { .. }
            | FolderRenamed { .. }
            | FolderDeleted { .. }
            | SubscriptionsAdded { .. }
            | AccountAdded { .. }
            | AccountUpdated { .. }
            | AccountRemoved { .. }
            | AccountSynced { .. } => None,
        }
    }
}

/// The stories a list of changes is about, each once; empty when any of
/// them is about the library as a whole (the `library-changed` event's
/// `ids`: empty means reload everything).
pub fn stories_of(changes: &[Change]) -> Vec<StoryId> {
    let mut ids = Vec::new();
    for change in changes {
        match change.stories() {
            Some(stories) => {
                for id in stories {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            None => return Vec::new(),
        }
    }
    ids
}

/// Told the changes of each committed write, in order.
type Listener = Box<dyn FnMut(&[Change]) + Send>;

/// The door's side of a library: who hears of changes.
#[derive(Default)]
pub(super) struct Door {
    listeners: Vec<Listener>,
    #[cfg(test)]
    pub(super) watch: watch::Watch,
}

impl Door {
    pub(super) fn listen(&mut self, listener: Listener) {
        self.listeners.push(listener);
    }
}

/// A transaction through the door: reads and writes as a `Transaction`
/// (it derefs to one), and carries the changes recorded in it until its
/// [`commit`](Write::commit). Dropped without a commit, it rolls back and
/// tells no one.
pub(super) struct Write<'c> {
    /// `Some` until the commit takes it.
    tx: Option<Transaction<'c>>,
    door: &'c mut Door,
    changes: Vec<Change>,
}

impl<'c> Write<'c> {
    /// Opens a write on a transaction of the library's connection.
    pub(super) fn new(tx: Transaction<'c>, door: &'c mut Door) -> Self {
        #[cfg(test)]
        door.watch.begin();
        Write {
            tx: Some(tx),
            door,
            changes: Vec::new(),
        }
    }

    /// Records a change made (or about to be made) in this transaction.
    pub(super) fn record(&mut self, change: Change) {
        self.changes.push(change);
    }

    /// Commits, then tells the listeners what changed (when anything did).
    pub(super) fn commit(mut self) -> rusqlite::Result<()> {
        let Some(tx) = self.tx.take() else {
            return Ok(());
        };
        let committed = tx.commit();
        // After the commit: FTS5 writes its buffered index rows then.
        #[cfg(test)]
        match &committed {
            Ok(()) => self.door.watch.end(self.changes.len()),
            Err(_) => self.door.watch.abandon(),
        }
        committed?;
        if !self.changes.is_empty() {
            for listener in &mut self.door.listeners {
                listener(&self.changes);
            }
        }
        Ok(())
    }
}

impl<'c> Deref for Write<'c> {
    type Target = Transaction<'c>;

    fn deref(&self) -> &Transaction<'c> {
        match &self.tx {
            Some(tx) => tx,
            // `commit` consumes the write, so no one derefs it after.
            None => unreachable!("a write is used only until its commit"),
        }
    }
}

impl Drop for Write<'_> {
    fn drop(&mut self) {
        // A write dropped without its commit (an error) is rolled back by
        // its transaction's own drop, and tells no one.
        #[cfg(test)]
        if self.tx.is_some() {
            self.door.watch.abandon();
        }
    }
}

/// The test-only watch on row changes (see the module's doc).
#[cfg(test)]
pub(super) mod watch {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;

    #[derive(Default, Clone)]
    pub struct Watch {
        inside: Arc<AtomicBool>,
        rows: Arc<AtomicUsize>,
        /// What went round the door, for the failure message.
        pub bypasses: Arc<std::sync::Mutex<Vec<String>>>,
    }

    impl Watch {
        /// Installs the hook on `conn`: every row change is counted, and
        /// one outside a write is a bypass.
        pub fn install(&self, conn: &rusqlite::Connection) {
            let watch = self.clone();
            conn.update_hook(Some(
                move |_: rusqlite::hooks::Action, db: &str, table: &str, _: i64| {
                    if db == "temp" {
                        return;
                    }
                    if watch.inside.load(Ordering::SeqCst) {
                        watch.rows.fetch_add(1, Ordering::SeqCst);
                    } else {
                        watch.bypass(format!("a row of {table} written outside a write"));
                    }
                },
            ))
            .ok();
        }

        fn bypass(&self, what: String) {
            if let Ok(mut all) = self.bypasses.lock() {
                all.push(what);
            }
        }

        pub fn begin(&self) {
            self.inside.store(true, Ordering::SeqCst);
            self.rows.store(0, Ordering::SeqCst);
        }

        pub fn end(&self, changes: usize) {
            let rows = self.rows.swap(0, Ordering::SeqCst);
            if rows > 0 && changes == 0 {
                self.bypass(format!(
                    "a write changed {rows} rows and recorded no change"
                ));
            }
            self.inside.store(false, Ordering::SeqCst);
        }

        pub fn abandon(&self) {
            self.inside.store(false, Ordering::SeqCst);
            self.rows.store(0, Ordering::SeqCst);
        }

        pub fn bypasses(&self) -> Vec<String> {
            self.bypasses.lock().map(|b| b.clone()).unwrap_or_default()
        }
    }
}
