//! Devices, stories and transports for the sync tests.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, Ordering};

use gloss_core::library::{NewAsset, NewStory};
use gloss_core::model::StoryId;
use gloss_core::sync::folder::Folder;
use gloss_core::sync::remote::{Remote, RemoteError, RemoteFile};
use gloss_core::sync::{self, SyncOptions, SyncReport};
use gloss_core::{Library, Result};

pub const HOUR: i64 = 3_600_000;

/// A library on one computer, whose clock may be off by `skew` ms.
pub struct Device {
    pub lib: Library,
    pub skew: i64,
}

impl Device {
    /// A new, empty library joined to the storage.
    pub fn joined(remote: &dyn Remote) -> Device {
        let mut lib = Library::open_in_memory().unwrap();
        sync::setup(&mut lib, remote, "{}", false).unwrap();
        Device { lib, skew: 0 }
    }

    pub fn sync(&mut self, remote: &dyn Remote) -> Result<SyncReport> {
        sync::sync_now(
            &mut self.lib,
            remote,
            &SyncOptions {
                clock_skew_ms: self.skew,
            },
        )
    }

    pub fn id(&self, url: &str) -> Option<StoryId> {
        self.lib.story_id_by_key(url).unwrap()
    }

    pub fn save(&mut self, url: &str, variant: u8) -> StoryId {
        self.lib.store_story(story(url, variant)).unwrap().id
    }

    /// The canonical dump, as text for readable failures.
    pub fn dump(&mut self) -> String {
        self.lib
            .sync_dump()
            .unwrap()
            .into_iter()
            .map(|(kind, key, fields)| {
                format!("{kind} {key} {}\n", serde_json::to_string(&fields).unwrap())
            })
            .collect()
    }
}

pub fn url(i: usize) -> String {
    format!("https://example.org/story-{i}")
}

/// A small story; `variant` changes its text (a story saved again).
pub fn story(url: &str, variant: u8) -> NewStory {
    let text = format!("Alpha beta gamma delta. Version {variant} of {url}.");
    NewStory {
        url: url.into(),
        url_key: url.into(),
        title: format!("Story {url}"),
        html: format!("<p>{text}</p>"),
        text,
        word_count: 9,
        ..NewStory::default()
    }
}

/// A story with an image (the same image in every story given the same `image`).
pub fn story_with_image(url: &str, image: &[u8]) -> NewStory {
    let sha = gloss_core::library::sha256_hex(image);
    let mut s = story(url, 0);
    s.html = format!(
        "<p>{}</p><img src=\"{}\">",
        s.text,
        gloss_core::library::asset_url(&sha)
    );
    s.assets = vec![NewAsset {
        sha256: sha.clone(),
        mime: "image/png".into(),
        bytes: image.to_vec(),
        source_url: format!("{url}/image.png"),
    }];
    s.lead_image = Some(sha);
    s
}

/// Counts requests (a listing counts as one).
pub struct Counting<'r> {
    pub inner: &'r dyn Remote,
    pub requests: AtomicU32,
}

impl<'r> Counting<'r> {
    pub fn new(inner: &'r dyn Remote) -> Self {
        Counting {
            inner,
            requests: AtomicU32::new(0),
        }
    }

    pub fn take(&self) -> u32 {
        self.requests.swap(0, Ordering::SeqCst)
    }

    fn count(&self) {
        self.requests.fetch_add(1, Ordering::SeqCst);
    }
}

impl Remote for Counting<'_> {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn list(&self, dir: &str) -> Result<Vec<RemoteFile>, RemoteError> {
        self.count();
        self.inner.list(dir)
    }
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        self.count();
        self.inner.read(path)
    }
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        self.count();
        self.inner.write(path, bytes)
    }
    fn delete(&self, path: &str) -> Result<(), RemoteError> {
        self.count();
        self.inner.delete(path)
    }
}

/// A folder that can be out of reach (a partition), or that lets only so
/// many writes through and then stops, as a process killed mid-sync does
/// (`written` says whether the last write reached the disk before the stop).
pub struct Flaky {
    pub inner: Folder,
    pub offline: AtomicBool,
    /// Writes allowed before the cut; negative is no cut.
    pub writes_left: AtomicI64,
    pub written: AtomicBool,
}

impl Flaky {
    pub fn new(inner: Folder) -> Self {
        Flaky {
            inner,
            offline: AtomicBool::new(false),
            writes_left: AtomicI64::new(-1),
            written: AtomicBool::new(false),
        }
    }

    fn reachable(&self) -> Result<(), RemoteError> {
        if self.offline.load(Ordering::SeqCst) {
            Err(RemoteError::Unavailable(self.describe()))
        } else {
            Ok(())
        }
    }
}

impl Remote for Flaky {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn list(&self, dir: &str) -> Result<Vec<RemoteFile>, RemoteError> {
        self.reachable()?;
        self.inner.list(dir)
    }
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        self.reachable()?;
        self.inner.read(path)
    }
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        self.reachable()?;
        let left = self.writes_left.load(Ordering::SeqCst);
        if left == 0 {
            if self.written.load(Ordering::SeqCst) {
                self.inner.write(path, bytes)?;
            }
            return Err(RemoteError::Interrupted);
        }
        if left > 0 {
            self.writes_left.store(left - 1, Ordering::SeqCst);
        }
        self.inner.write(path, bytes)
    }
    fn delete(&self, path: &str) -> Result<(), RemoteError> {
        self.reachable()?;
        self.inner.delete(path)
    }
}
