//! The hard cases of sync, one test each.

use std::sync::atomic::Ordering;

use gloss_core::annotate::{Color, NewAnnotation, TextQuoteSelector};
use gloss_core::sync::folder::Folder;
use gloss_core::sync::remote::Remote;
use gloss_core::sync::{self, files};
use gloss_core::Library;

use crate::helpers::*;

fn folder() -> (tempfile::TempDir, Folder) {
    let dir = tempfile::tempdir().unwrap();
    let folder = Folder::new(dir.path());
    (dir, folder)
}

fn highlight(words: &str) -> NewAnnotation {
    NewAnnotation {
        quote: TextQuoteSelector {
            exact: words.into(),
            prefix: String::new(),
            suffix: String::new(),
        },
        position: None,
        color: Color::Yellow,
        note: String::new(),
        tags: Vec::new(),
    }
}

#[test]
fn a_new_device_receives_stories_marks_tags_highlights_and_images_once() {
    let (dir, folder) = folder();
    let mut a = Device::joined(&folder);
    let image = b"\x89PNG one image shared by two stories".to_vec();
    let one = a
        .lib
        .store_story(story_with_image(&url(1), &image))
        .unwrap()
        .id;
    a.lib
        .store_story(story_with_image(&url(2), &image))
        .unwrap();
    for i in 3..1003 {
        a.save(&url(i), 0);
    }
    a.lib.set_starred(&[one], true).unwrap();
    a.lib.set_tags(one, &["Rust".into()], &[]).unwrap();
    a.lib.add_annotation(one, highlight("beta gamma")).unwrap();
    a.sync(&folder).unwrap();

    // 1,002 stories are a few files, not 1,002.
    let packs = folder.list(files::PACKS_DIR).unwrap();
    assert!(packs.len() <= 2, "{packs:?}");
    let all_packs: Vec<u8> = packs
        .iter()
        .flat_map(|p| std::fs::read(dir.path().join(&p.path)).unwrap())
        .collect();
    let times = all_packs
        .windows(image.len())
        .filter(|w| *w == &image[..])
        .count();
    assert_eq!(times, 1, "the image travels once");

    let mut b = Device::joined(&folder);
    let report = b.sync(&folder).unwrap();
    assert_eq!(report.downloaded, 1);
    assert_eq!(b.dump(), a.dump());
    let id = b.id(&url(1)).unwrap();
    let s = b.lib.story(id).unwrap();
    assert!(s.summary.starred);
    assert_eq!(s.summary.tags, ["Rust"]);
    assert!(b
        .lib
        .asset(&gloss_core::library::sha256_hex(&image))
        .unwrap()
        .is_some());
    let notes = b.lib.annotations_of(id).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].quote.exact, "beta gamma");
}

#[test]
fn a_sync_with_nothing_new_is_one_request() {
    let (_dir, folder) = folder();
    let mut a = Device::joined(&folder);
    let mut b = Device::joined(&folder);
    a.save(&url(1), 0);
    a.sync(&folder).unwrap();
    b.sync(&folder).unwrap();
    let counting = Counting::new(&folder);
    let report = b.sync(&counting).unwrap();
    assert_eq!((report.uploaded, report.downloaded), (0, 0));
    assert!(counting.take() <= 3);
    b.sync(&counting).unwrap();
    assert_eq!(counting.take(), 1);
}

#[test]
fn starring_on_one_and_archiving_on_the_other_keeps_both() {
    let (_dir, folder) = folder();
    let mut a = Device::joined(&folder);
    let mut b = Device::joined(&folder);
    let ia = a.save(&url(1), 0);
    a.sync(&folder).unwrap();
    b.sync(&folder).unwrap();
    let ib = b.id(&url(1)).unwrap();
    a.lib.set_starred(&[ia], true).unwrap();
    b.lib.set_archived(&[ib], true).unwrap();
    a.sync(&folder).unwrap();
    b.sync(&folder).unwrap();
    a.sync(&folder).unwrap();
    for (d, id) in [(&a, ia), (&b, ib)] {
        let s = d.lib.summary(id).unwrap();
        assert!(s.starred && s.archived);
    }
}

#[test]
fn a_local_change_not_yet_sent_survives_an_older_pulled_one() {
    // NetNewsWire #1516: B's older position must not overwrite A's newer one.
    let (_dir, folder) = folder();
    let mut a = Device::joined(&folder);
    let mut b = Device::joined(&folder);
    let ia = a.save(&url(1), 0);
    a.sync(&folder).unwrap();
    b.sync(&folder).unwrap();
    let ib = b.id(&url(1)).unwrap();
    b.skew = -HOUR; // B's change is older by the clock
    b.lib.set_progress(ib, 0.3).unwrap();
    b.sync(&folder).unwrap();
    a.lib.set_progress(ia, 0.8).unwrap();
    a.sync(&folder).unwrap();
    assert_eq!(a.lib.summary(ia).unwrap().progress, 0.8);
    b.sync(&folder).unwrap();
    assert_eq!(b.lib.summary(ib).unwrap().progress, 0.8);
    // And a pulled change that is newer does win.
    b.skew = 0;
    b.lib.set_starred(&[ib], true).unwrap();
    b.sync(&folder).unwrap();
    a.sync(&folder).unwrap();
    assert!(a.lib.summary(ia).unwrap().starred);
}

#[test]
fn clocks_hours_apart_still_let_the_later_change_win() {
    let (_dir, folder) = folder();
    let mut a = Device::joined(&folder);
    let mut b = Device::joined(&folder);
    a.skew = 5 * HOUR; // A's clock is five hours fast
    let ia = a.save(&url(1), 0);
    a.lib.set_starred(&[ia], true).unwrap();
    a.sync(&folder).unwrap();
    b.sync(&folder).unwrap();
    // B unstars after seeing A's star: its clock is behind, yet the unstar
    // is stamped after the star it saw.
    let ib = b.id(&url(1)).unwrap();
    assert!(b.lib.summary(ib).unwrap().starred);
    b.lib.set_starred(&[ib], false).unwrap();
    b.sync(&folder).unwrap();
    a.sync(&folder).unwrap();
    assert!(!a.lib.summary(ia).unwrap().starred);
    assert_eq!(a.dump(), b.dump());
}

#[test]
fn the_later_of_a_delete_and_a_change_wins() {
    let (_dir, folder) = folder();
    let mut a = Device::joined(&folder);
    let mut b = Device::joined(&folder);
    let ia = a.save(&url(1), 0);
    a.save(&url(2), 0);
    a.sync(&folder).unwrap();
    b.sync(&folder).unwrap();
    // Story 1: deleted on A, then starred later on B: it comes back, starred.
    a.lib.delete(&[ia]).unwrap();
    a.sync(&folder).unwrap();
    b.skew = HOUR;
    let ib1 = b.id(&url(1)).unwrap();
    b.lib.set_starred(&[ib1], true).unwrap();
    // Story 2: archived on B, then deleted later on A.
    let ib2 = b.id(&url(2)).unwrap();
    b.lib.set_archived(&[ib2], true).unwrap();
    b.sync(&folder).unwrap();
    a.skew = 2 * HOUR;
    let ia2 = a.id(&url(2)).unwrap();
    a.lib.delete(&[ia2]).unwrap();
    a.sync(&folder).unwrap();
    b.sync(&folder).unwrap();
    a.sync(&folder).unwrap();
    assert_eq!(a.dump(), b.dump());
    let back = a.id(&url(1)).expect("story 1 came back");
    assert!(a.lib.summary(back).unwrap().starred);
    assert!(a.lib.story(back).unwrap().text.contains("Alpha beta"));
    assert!(a.id(&url(2)).is_none() && b.id(&url(2)).is_none());
}

#[test]
fn a_damaged_file_is_skipped_until_it_is_whole() {
    let (dir, folder) = folder();
    let mut a = Device::joined(&folder);
    let mut b = Device::joined(&folder);
    for i in 0..50 {
        a.save(&url(i), 0);
    }
    a.sync(&folder).unwrap();
    let listed = folder.list(files::CHANGES_DIR).unwrap();
    let path = dir.path().join(&listed[0].path);
    let whole = std::fs::read(&path).unwrap();
    // Half copied by a sync tool.
    std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
    let report = b.sync(&folder).unwrap();
    assert_eq!((report.skipped, report.applied), (1, 0));
    assert_eq!(b.lib.info().unwrap().stories, 0, "nothing applied in part");
    // One byte changed.
    let mut flipped = whole.clone();
    let at = flipped.len() - 10;
    flipped[at] ^= 0x20;
    std::fs::write(&path, &flipped).unwrap();
    assert_eq!(b.sync(&folder).unwrap().skipped, 1);
    assert_eq!(b.lib.info().unwrap().stories, 0);
    std::fs::write(&path, &whole).unwrap();
    let report = b.sync(&folder).unwrap();
    assert_eq!(report.skipped, 0);
    assert_eq!(b.lib.info().unwrap().stories, 50);
    assert_eq!(a.dump(), b.dump());
}

#[test]
fn a_file_from_a_newer_gloss_is_refused_and_nothing_is_applied() {
    let (dir, folder) = folder();
    let mut a = Device::joined(&folder);
    let mut b = Device::joined(&folder);
    let mut c = Device::joined(&folder);
    a.save(&url(1), 0);
    a.sync(&folder).unwrap();
    c.save(&url(2), 0);
    c.sync(&folder).unwrap();
    // Rewrite C's file as a newer Gloss would have written it.
    let newer = folder
        .list(files::CHANGES_DIR)
        .unwrap()
        .into_iter()
        .map(|f| dir.path().join(f.path))
        .find(|p| {
            let text = String::from_utf8(std::fs::read(p).unwrap()).unwrap();
            text.contains("story-2")
        })
        .unwrap();
    let text = String::from_utf8(std::fs::read(&newer).unwrap()).unwrap();
    std::fs::write(
        &newer,
        text.replacen("GLOSS-CHANGES 1 ", "GLOSS-CHANGES 2 ", 1),
    )
    .unwrap();
    let err = b.sync(&folder).unwrap_err();
    assert!(err.to_string().contains("update Gloss"), "{err}");
    assert_eq!(b.lib.info().unwrap().stories, 0, "not even A's whole file");
    let status = b.lib.sync_state().unwrap().unwrap();
    assert!(status.last_error.unwrap().contains("update Gloss"));
}

#[test]
fn a_sync_cut_off_anywhere_loses_nothing_and_the_next_one_completes() {
    // Each place a process can die: before or after each write lands.
    for cut in 0..4 {
        for landed in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let flaky = Flaky::new(Folder::new(dir.path()));
            let mut a = Device::joined(&flaky);
            let mut b = Device::joined(&flaky);
            let image = format!("image for cut {cut}").into_bytes();
            let ia = a
                .lib
                .store_story(story_with_image(&url(1), &image))
                .unwrap()
                .id;
            a.save(&url(2), 0);
            a.sync(&flaky).unwrap();
            b.sync(&flaky).unwrap();
            a.lib.set_starred(&[ia], true).unwrap();
            a.save(&url(3), 1);
            flaky.writes_left.store(cut, Ordering::SeqCst);
            flaky.written.store(landed, Ordering::SeqCst);
            let first = a.sync(&flaky);
            flaky.writes_left.store(-1, Ordering::SeqCst);
            if first.is_err() {
                let status = a.lib.sync_state().unwrap().unwrap();
                assert!(status.waiting > 0, "cut {cut}: the changes still wait");
            }
            a.sync(&flaky).unwrap();
            b.sync(&flaky).unwrap();
            assert_eq!(a.dump(), b.dump(), "cut {cut}, landed {landed}");
            assert!(b.lib.summary(b.id(&url(1)).unwrap()).unwrap().starred);
            assert!(b.id(&url(3)).is_some());
            assert_eq!(a.lib.sync_state().unwrap().unwrap().waiting, 0);
        }
    }
}

#[test]
fn two_devices_syncing_at_the_same_moment_both_get_everything() {
    let (_dir, folder) = folder();
    let mut a = Device::joined(&folder);
    let mut b = Device::joined(&folder);
    for i in 0..200 {
        a.save(&url(i), 0);
        b.save(&url(1000 + i), 0);
    }
    let f = &folder;
    std::thread::scope(|s| {
        let ta = s.spawn(|| a.sync(f).map(|_| ()));
        let tb = s.spawn(|| b.sync(f).map(|_| ()));
        ta.join().unwrap().unwrap();
        tb.join().unwrap().unwrap();
    });
    a.sync(&folder).unwrap();
    b.sync(&folder).unwrap();
    assert_eq!(a.lib.info().unwrap().stories, 400);
    assert_eq!(a.dump(), b.dump());
}

#[test]
fn a_library_with_stories_joins_only_with_merge() {
    let (_dir, folder) = folder();
    let mut a = Device::joined(&folder);
    a.save(&url(1), 0);
    a.sync(&folder).unwrap();

    let mut own = Library::open_in_memory().unwrap();
    own.store_story(story(&url(2), 0)).unwrap();
    let err = sync::setup(&mut own, &folder, "{}", false).unwrap_err();
    assert!(err.to_string().contains("--merge"), "{err}");
    assert!(own.sync_state().unwrap().is_none(), "nothing changed");

    sync::setup(&mut own, &folder, "{}", true).unwrap();
    let mut own = Device { lib: own, skew: 0 };
    own.sync(&folder).unwrap();
    a.sync(&folder).unwrap();
    assert_eq!(a.lib.info().unwrap().stories, 2);
    assert_eq!(own.dump(), a.dump());
}

#[test]
fn pulled_changes_are_not_sent_back_as_local_ones() {
    let (_dir, folder) = folder();
    let mut a = Device::joined(&folder);
    let mut b = Device::joined(&folder);
    for i in 0..20 {
        a.save(&url(i), 0);
    }
    a.sync(&folder).unwrap();
    let report = b.sync(&folder).unwrap();
    assert!(report.applied > 0);
    assert_eq!(report.uploaded, 0);
    assert_eq!(b.lib.sync_state().unwrap().unwrap().waiting, 0);
}
