//! The convergence property: three libraries make random changes and sync
//! in random orders through one folder, some of them cut off from it for a
//! while; after a final round every library's canonical dump is the same,
//! and no change is lost unless a later one replaced it by the rules of
//! docs/sync.md.
//!
//! `GLOSS_SYNC_CASES` sets the number of cases (bench/sync_soak.sh runs
//! many more than the test command's 500).

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use gloss_core::annotate::{Color, NewAnnotation, TextQuoteSelector};
use gloss_core::library::Fields;
use gloss_core::sync::folder::Folder;
use gloss_core::sync::{record_local, SyncOptions};
use proptest::prelude::*;
use serde_json::Value;

use crate::helpers::*;

const DEVICES: usize = 3;
const STORIES: usize = 4;
const TAGS: [&str; 3] = ["news", "Rust", "later"];
const QUOTES: [&str; 2] = ["beta gamma", "Alpha"];

#[derive(Debug, Clone)]
enum Action {
    Save(usize, u8),
    Star(usize, bool),
    Archive(usize, bool),
    Read(usize, bool),
    Progress(usize, u8),
    TagAdd(usize, usize),
    TagRemove(usize, usize),
    Highlight(usize, usize),
    Note(usize, usize, u8),
    DeleteHighlight(usize, usize),
    Delete(usize),
}

#[derive(Debug, Clone)]
enum Step {
    Act(usize, Action),
    Sync(usize),
    /// A device loses (true) or gets back (false) the folder.
    Cut(usize, bool),
}

fn action() -> impl Strategy<Value = Action> {
    let s = 0..STORIES;
    prop_oneof![
        3 => (s.clone(), 0..2u8).prop_map(|(i, v)| Action::Save(i, v)),
        2 => (s.clone(), any::<bool>()).prop_map(|(i, b)| Action::Star(i, b)),
        2 => (s.clone(), any::<bool>()).prop_map(|(i, b)| Action::Archive(i, b)),
        2 => (s.clone(), any::<bool>()).prop_map(|(i, b)| Action::Read(i, b)),
        1 => (s.clone(), 0..5u8).prop_map(|(i, p)| Action::Progress(i, p)),
        2 => (s.clone(), 0..TAGS.len()).prop_map(|(i, t)| Action::TagAdd(i, t)),
        2 => (s.clone(), 0..TAGS.len()).prop_map(|(i, t)| Action::TagRemove(i, t)),
        2 => (s.clone(), 0..QUOTES.len()).prop_map(|(i, q)| Action::Highlight(i, q)),
        2 => (s.clone(), 0..2usize, 0..3u8).prop_map(|(i, k, n)| Action::Note(i, k, n)),
        1 => (s.clone(), 0..2usize).prop_map(|(i, k)| Action::DeleteHighlight(i, k)),
        1 => s.prop_map(Action::Delete),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let d = 0..DEVICES;
    prop_oneof![
        6 => (d.clone(), action()).prop_map(|(d, a)| Step::Act(d, a)),
        3 => d.clone().prop_map(Step::Sync),
        1 => (d, any::<bool>()).prop_map(|(d, c)| Step::Cut(d, c)),
    ]
}

/// Each story's fields as a device holds them.
fn stories(device: &mut Device) -> BTreeMap<String, Fields> {
    device
        .lib
        .sync_dump()
        .unwrap()
        .into_iter()
        .filter(|(kind, _, _)| kind == "story")
        .map(|(_, key, fields)| (key, fields))
        .collect()
}

/// What the devices did, in the order they did it: the reference the
/// final library is checked against.
#[derive(Default)]
struct History {
    /// Story → the step of its last change and whether it was a deletion.
    last_event: BTreeMap<String, (usize, bool)>,
    /// (story, field) → the last value written (tags apart: they are sets).
    last_write: BTreeMap<(String, String), Value>,
}

impl History {
    fn note(
        &mut self,
        n: usize,
        before: &BTreeMap<String, Fields>,
        after: &BTreeMap<String, Fields>,
    ) {
        for (key, old) in before {
            if !after.contains_key(key) {
                self.last_event.insert(key.clone(), (n, true));
            } else if after[key] != *old {
                self.last_event.insert(key.clone(), (n, false));
            }
        }
        for (key, new) in after {
            let old = before.get(key);
            if old.is_none() {
                self.last_event.insert(key.clone(), (n, false));
            }
            for (field, value) in new {
                if field != "tags" && old.and_then(|o| o.get(field)) != Some(value) {
                    self.last_write
                        .insert((key.clone(), field.clone()), value.clone());
                }
            }
        }
    }
}

fn act(device: &mut Device, action: &Action) {
    let id = |d: &Device, i: usize| d.id(&url(i));
    match *action {
        Action::Save(i, v) => {
            device.lib.store_story(story(&url(i), v)).unwrap();
        }
        Action::Star(i, b) => {
            if let Some(s) = id(device, i) {
                device.lib.set_starred(&[s], b).unwrap();
            }
        }
        Action::Archive(i, b) => {
            if let Some(s) = id(device, i) {
                device.lib.set_archived(&[s], b).unwrap();
            }
        }
        Action::Read(i, b) => {
            if let Some(s) = id(device, i) {
                device.lib.set_read(&[s], b).unwrap();
            }
        }
        Action::Progress(i, p) => {
            if let Some(s) = id(device, i) {
                device.lib.set_progress(s, f64::from(p) / 4.0).unwrap();
            }
        }
        Action::TagAdd(i, t) | Action::TagRemove(i, t) => {
            if let Some(s) = id(device, i) {
                let tag = vec![TAGS[t].to_string()];
                if matches!(action, Action::TagAdd(..)) {
                    device.lib.set_tags(s, &tag, &[]).unwrap();
                } else {
                    device.lib.set_tags(s, &[], &tag).unwrap();
                }
            }
        }
        Action::Highlight(i, q) => {
            if let Some(s) = id(device, i) {
                let new = NewAnnotation {
                    quote: TextQuoteSelector {
                        exact: QUOTES[q].into(),
                        prefix: String::new(),
                        suffix: String::new(),
                    },
                    position: None,
                    color: Color::Green,
                    note: String::new(),
                    tags: Vec::new(),
                };
                device.lib.add_annotation(s, new).unwrap();
            }
        }
        Action::Note(i, k, note) => {
            if let Some(s) = id(device, i) {
                if let Some(a) = device.lib.annotations_of(s).unwrap().get(k) {
                    let color = [Color::Blue, Color::Pink, Color::Yellow][note as usize];
                    device
                        .lib
                        .update_annotation(a.id, Some(color), Some(format!("note {note}")), None)
                        .unwrap();
                }
            }
        }
        Action::DeleteHighlight(i, k) => {
            if let Some(s) = id(device, i) {
                if let Some(a) = device.lib.annotations_of(s).unwrap().get(k) {
                    device.lib.delete_annotation(a.id).unwrap();
                }
            }
        }
        Action::Delete(i) => {
            if let Some(s) = id(device, i) {
                device.lib.delete(&[s]).unwrap();
            }
        }
    }
}

fn cases() -> u32 {
    std::env::var("GLOSS_SYNC_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn three_libraries_converge(steps in prop::collection::vec(step(), 1..40)) {
        // In memory where the system has it: the property is about the
        // merge, not the disk (the other tests use a real folder).
        let dir = match std::path::Path::new("/dev/shm").is_dir() {
            true => tempfile::tempdir_in("/dev/shm").unwrap(),
            false => tempfile::tempdir().unwrap(),
        };
        let folders: Vec<Flaky> = (0..DEVICES).map(|_| Flaky::new(Folder::new(dir.path()))).collect();
        let mut devices: Vec<Device> = (0..DEVICES).map(|d| Device::joined(&folders[d])).collect();
        let mut history = History::default();
        for (n, step) in steps.iter().enumerate() {
            match step {
                Step::Act(d, a) => {
                    // Each step a second later than the one before on every
                    // device's clock, and its change stamped at once: the
                    // order of the steps is the order of the stamps, so
                    // the history says what must win.
                    let device = &mut devices[*d];
                    device.skew = n as i64 * 1_000;
                    let before = stories(device);
                    act(device, a);
                    record_local(&mut device.lib, &SyncOptions { clock_skew_ms: device.skew }).unwrap();
                    let after = stories(device);
                    history.note(n, &before, &after);
                }
                Step::Sync(d) => {
                    let result = devices[*d].sync(&folders[*d]);
                    prop_assert_eq!(result.is_err(), folders[*d].offline.load(Ordering::SeqCst));
                }
                Step::Cut(d, cut) => folders[*d].offline.store(*cut, Ordering::SeqCst),
            }
        }
        for folder in &folders {
            folder.offline.store(false, Ordering::SeqCst);
        }
        for _ in 0..2 {
            for d in 0..DEVICES {
                devices[d].sync(&folders[d]).unwrap();
            }
        }
        let dumps: Vec<String> = devices.iter_mut().map(Device::dump).collect();
        prop_assert_eq!(&dumps[0], &dumps[1]);
        prop_assert_eq!(&dumps[0], &dumps[2]);

        // Nothing lost: each story is there unless its last change was a
        // deletion, and each of its fields holds the last value written.
        let end = stories(&mut devices[0]);
        for (key, (n, deleted)) in &history.last_event {
            prop_assert_eq!(end.contains_key(key), !deleted, "story {} after step {}", key, n);
        }
        for ((key, field), value) in &history.last_write {
            if let Some(fields) = end.get(key) {
                prop_assert_eq!(fields.get(field), Some(value), "{} of {}", field, key);
            }
        }
    }
}
