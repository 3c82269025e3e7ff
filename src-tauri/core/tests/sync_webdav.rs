//! Two libraries syncing through a real WebDAV server (`rclone serve
//! webdav` on 127.0.0.1), plain and end-to-end encrypted, at a realistic
//! size: hundreds of stories, a third of them with an image, with stars,
//! archives, tags and highlights made on both sides. Requests are counted by
//! the fault proxy in front of rclone; it also breaks one sync mid-way.

#[allow(dead_code)]
#[path = "sync/helpers.rs"]
mod helpers;

use gloss_core::annotate::{Color, NewAnnotation, TextQuoteSelector};
use gloss_core::sync::crypt::Encrypted;
use gloss_core::sync::remote::{Remote, RemoteError};
use gloss_core::sync::webdav::WebDav;
use gloss_core::testing::fault_proxy::{Fault, FaultProxy};
use gloss_core::testing::noise::png_like;
use gloss_core::testing::rclone::RcloneWebDav;

use helpers::{story_with_image, url, Device};

const STORIES: usize = 300;

struct Server {
    folder: tempfile::TempDir,
    rclone: RcloneWebDav,
    proxy: FaultProxy,
}

impl Server {
    fn start() -> Server {
        let folder = tempfile::tempdir().expect("a temp folder");
        std::fs::create_dir(folder.path().join("Gloss")).expect("the sync folder");
        let rclone = RcloneWebDav::start(folder.path());
        let proxy = FaultProxy::start(rclone.addr());
        Server {
            folder,
            rclone,
            proxy,
        }
    }

    /// A transport to the sync folder, through the proxy.
    fn dav(&self) -> WebDav {
        WebDav::new(
            &self.proxy.url("Gloss/"),
            &self.rclone.user,
            &self.rclone.password,
        )
        .expect("a valid address")
    }

    /// Bytes stored on the server.
    fn bytes_stored(&self) -> u64 {
        let mut total = 0;
        let mut stack = vec![self.folder.path().join("Gloss")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable") {
                let entry = entry.expect("an entry");
                let meta = entry.metadata().expect("metadata");
                if meta.is_dir() {
                    stack.push(entry.path());
                } else {
                    total += meta.len();
                }
            }
        }
        total
    }
}

/// An image-like blob, different for each `i`.
fn image(i: usize) -> Vec<u8> {
    png_like(i as u64, 12 * 1024)
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
        note: "a note".into(),
        tags: Vec::new(),
    }
}

/// Both ways, at size, through `remote_a` and `remote_b` (two transports
/// to the same server, as two computers have).
fn two_libraries_converge(server: &Server, remote_a: &dyn Remote, remote_b: &dyn Remote) {
    let mut a = Device::joined(remote_a);
    let mut ids = Vec::new();
    for i in 0..STORIES {
        let id = if i % 3 == 0 {
            a.lib
                .store_story(story_with_image(&url(i), &image(i)))
                .expect("stored")
                .id
        } else {
            a.save(&url(i), 0)
        };
        ids.push(id);
    }
    a.lib.set_starred(&ids[..50], true).expect("starred");
    a.lib
        .set_tags(ids[1], &["Harbour".into(), "Tides".into()], &[])
        .expect("tagged");
    a.lib
        .add_annotation(ids[2], highlight("beta gamma"))
        .expect("highlighted");
    let sent = a.sync(remote_a).expect("A syncs");
    assert!(sent.uploaded > 0);

    // A new device receives all of it.
    let mut b = Device::joined(remote_b);
    let received = b.sync(remote_b).expect("B syncs");
    assert!(received.downloaded > 0);
    assert_eq!(b.dump(), a.dump());
    let on_b = b.id(&url(3)).expect("story 3 on B");
    assert!(b.lib.story(on_b).expect("a story").summary.starred);
    assert_eq!(
        b.lib
            .asset(&gloss_core::library::sha256_hex(&image(3)))
            .expect("read")
            .map(|a| a.bytes.len()),
        Some(image(3).len()),
        "the image arrived"
    );

    // Changes on both sides, at once: B archives and unstars, A tags.
    let b_ids: Vec<_> = (0..100).map(|i| b.id(&url(i)).expect("on B")).collect();
    b.lib.set_archived(&b_ids[..40], true).expect("archived");
    b.lib.set_starred(&b_ids[..10], false).expect("unstarred");
    a.lib
        .set_tags(ids[60], &["Later".into()], &[])
        .expect("tagged");
    b.sync(remote_b).expect("B syncs");
    a.sync(remote_a).expect("A syncs");
    b.sync(remote_b).expect("B syncs again");
    assert_eq!(a.dump(), b.dump());
    let s = a.lib.story(ids[5]).expect("a story").summary;
    assert!(s.archived && !s.starred, "B's archive and unstar reached A");

    // A sync with nothing new, counted at the proxy.
    server.proxy.reset_requests();
    let report = b.sync(remote_b).expect("nothing new");
    assert_eq!(
        (report.uploaded, report.downloaded, report.applied),
        (0, 0, 0)
    );
    let requests = server.proxy.requests();
    assert!(requests.len() <= 3, "{requests:?}");

    // A connection dropped in the middle of a sync: an error, nothing lost,
    // and the next sync completes.
    b.lib.set_starred(&b_ids[90..], true).expect("starred");
    server.proxy.set_fault(Some("PUT"), Fault::DropMidUpload);
    let e = b.sync(remote_b).expect_err("the upload breaks");
    assert!(e.to_string().contains("broke off"), "{e}");
    server.proxy.clear_faults();
    b.sync(remote_b).expect("B syncs");
    a.sync(remote_a).expect("A syncs");
    assert_eq!(a.dump(), b.dump());
    assert!(a.lib.story(ids[95]).expect("a story").summary.starred);
}

#[test]
fn two_libraries_sync_through_webdav() {
    let server = Server::start();
    let (a, b) = (server.dav(), server.dav());
    two_libraries_converge(&server, &a, &b);
    assert!(server.bytes_stored() > (STORIES as u64 / 3) * 12 * 1024);
}

#[test]
fn two_libraries_sync_through_webdav_encrypted() {
    let server = Server::start();
    let a = Encrypted::open_with_work_factor(server.dav(), "pass phrase", Some(12))
        .expect("a new encrypted folder");
    let b = Encrypted::open_with_work_factor(server.dav(), "pass phrase", Some(12))
        .expect("opened on the second computer");
    two_libraries_converge(&server, &a, &b);

    // A third computer with the wrong passphrase gets nothing.
    let wrong = Encrypted::open_with_work_factor(server.dav(), "pass phrase?", Some(12))
        .expect_err("refused");
    assert_eq!(wrong, RemoteError::WrongPassphrase);
}
