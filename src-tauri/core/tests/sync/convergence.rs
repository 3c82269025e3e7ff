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
use gloss_core::sync::folder::Folder;
use proptest::prelude::*;

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

/// A change a device made to a story's star or archive (for "nothing lost").
type Writes = BTreeMap<(usize, &'static str), Vec<(usize, bool)>>;

fn act(device: &mut Device, n: usize, action: &Action, writes: &mut Writes) {
    let id = |d: &Device, i: usize| d.id(&url(i));
    match *action {
        Action::Save(i, v) => {
            let created = device.lib.store_story(story(&url(i), v)).unwrap().created;
            if created {
                for field in ["starred", "archived"] {
                    writes.entry((i, field)).or_default().push((n, false));
                }
            }
        }
        Action::Star(i, b) => {
            if let Some(s) = id(device, i) {
                device.lib.set_starred(&[s], b).unwrap();
                writes.entry((i, "starred")).or_default().push((n, b));
            }
        }
        Action::Archive(i, b) => {
            if let Some(s) = id(device, i) {
                device.lib.set_archived(&[s], b).unwrap();
                writes.entry((i, "archived")).or_default().push((n, b));
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
        // Per device, which story fields it wrote and with what, in order.
        let mut writes: Vec<Writes> = vec![Writes::new(); DEVICES];
        for (n, step) in steps.iter().enumerate() {
            match step {
                Step::Act(d, a) => act(&mut devices[*d], n, a, &mut writes[*d]),
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

        // Nothing lost: a field only one device ever wrote holds that
        // device's last value wherever the story is.
        let mut writers: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
        for (d, w) in writes.iter().enumerate() {
            for key in w.keys() {
                writers.entry(*key).or_default().push(d);
            }
        }
        for ((i, field), who) in writers {
            if who.len() != 1 {
                continue;
            }
            let Some(id) = devices[0].id(&url(i)) else { continue };
            let last = writes[who[0]][&(i, field)].last().unwrap().1;
            let s = devices[0].lib.summary(id).unwrap();
            let now = if field == "starred" { s.starred } else { s.archived };
            prop_assert_eq!(now, last, "{} of story {} written only by device {}", field, i, who[0]);
        }
    }
}
