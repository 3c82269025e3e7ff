//! Sync over loopback WebDAV (`rclone serve webdav`), for `bench/sync.sh`:
//! a new device receiving N stories with images, 100 changes making a round
//! trip from A to B, a sync with nothing new (time, and requests counted by
//! the proxy in front of rclone), and the bytes on the server against the
//! library's content. Libraries are files in DIR; prints `key=value` lines.
//!
//! usage: sync_timing DIR N [encrypted]

use std::path::Path;
use std::time::Instant;

use gloss_core::library::durability::Synchronous;
use gloss_core::library::{sha256_hex, NewAsset, NewStory};
use gloss_core::sync::crypt::Encrypted;
use gloss_core::sync::remote::Remote;
use gloss_core::sync::webdav::WebDav;
use gloss_core::sync::{self, SyncOptions};
use gloss_core::testing::fault_proxy::FaultProxy;
use gloss_core::testing::noise::png_like;
use gloss_core::testing::rclone::RcloneWebDav;
use gloss_core::Library;

/// An incompressible image of about 8 KiB, different per story (photos
/// do not compress either).
fn image(n: usize) -> Vec<u8> {
    png_like(n as u64, 8 * 1024)
}

/// A story of about 4,000 words' worth of characters' HTML and text, with its image.
fn story(n: usize) -> NewStory {
    let url = format!("https://example.com/story/{n}");
    let text = format!("Story {n} says something worth reading about the harbour. ").repeat(40);
    let image = image(n);
    let sha = sha256_hex(&image);
    NewStory {
        url: url.clone(),
        url_key: url.clone(),
        title: format!("Story {n}"),
        html: format!(
            "<p>{text}</p><img src=\"{}\">",
            gloss_core::library::asset_url(&sha)
        ),
        text,
        word_count: 400,
        assets: vec![NewAsset {
            sha256: sha.clone(),
            mime: "image/png".into(),
            bytes: image,
            source_url: format!("{url}/photo.png"),
        }],
        lead_image: Some(sha),
        ..NewStory::default()
    }
}

fn ms(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

fn bytes_under(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable").flatten() {
            match entry.metadata() {
                Ok(m) if m.is_dir() => stack.push(entry.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

fn transport(url: &str, rclone: &RcloneWebDav, encrypted: bool) -> Box<dyn Remote> {
    let dav = WebDav::new(url, &rclone.user, &rclone.password).expect("a valid address");
    if encrypted {
        // age's calibrated scrypt cost, as a user gets it.
        Box::new(Encrypted::open(dav, "bench pass phrase").expect("opened"))
    } else {
        Box::new(dav)
    }
}

fn main() -> gloss_core::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("target/bench-sync"),
    );
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let encrypted = args.get(3).is_some_and(|s| s == "encrypted");
    let served = dir.join("server");
    std::fs::create_dir_all(served.join("Gloss")).expect("the served folder");
    let rclone = RcloneWebDav::start(&served);
    let proxy = FaultProxy::start(rclone.addr());
    let direct_url = format!("{}Gloss/", rclone.url());
    let options = SyncOptions::default();

    // Device A: N stories, each with its own image (built fast, not timed).
    let mut a = Library::open(dir.join("a.gloss"))?;
    a.set_synchronous(Synchronous::Normal)?;
    let mut content: u64 = 0;
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let s = story(i);
        content += (s.html.len() + s.text.len() + s.title.len() + s.url.len()) as u64;
        content += s.assets.iter().map(|a| a.bytes.len() as u64).sum::<u64>();
        ids.push(a.store_story(s)?.id);
    }
    a.set_synchronous(Synchronous::Full)?;
    let open_start = Instant::now();
    let remote_a = transport(&direct_url, &rclone, encrypted);
    let open_ms = ms(open_start);
    sync::setup(&mut a, remote_a.as_ref(), "{}", false)?;
    let start = Instant::now();
    let sent = sync::sync_now(&mut a, remote_a.as_ref(), &options)?;
    println!("first_upload_ms={}", ms(start));
    println!("first_upload_ops={}", sent.uploaded);

    // Device B: a new, empty library receives everything.
    let mut b = Library::open(dir.join("b.gloss"))?;
    let remote_b = transport(&direct_url, &rclone, encrypted);
    sync::setup(&mut b, remote_b.as_ref(), "{}", false)?;
    let start = Instant::now();
    let got = sync::sync_now(&mut b, remote_b.as_ref(), &options)?;
    println!("receive_ms={}", ms(start));
    println!("receive_applied={}", got.applied);
    println!("received_stories={}", b.info()?.stories);

    // 100 changes on A, sent, then received and applied on B.
    a.set_starred(&ids[..100], true)?;
    let start = Instant::now();
    let up = sync::sync_now(&mut a, remote_a.as_ref(), &options)?;
    let down = sync::sync_now(&mut b, remote_b.as_ref(), &options)?;
    println!("round_trip_100_ms={}", ms(start));
    println!("round_trip_ops={}/{}", up.uploaded, down.applied);

    // Nothing new: timed directly, then the requests counted at the proxy.
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        sync::sync_now(&mut b, remote_b.as_ref(), &options)?;
        times.push(ms(start));
    }
    times.sort();
    println!("nothing_new_ms_median_of_5={}", times[2]);
    let counted = transport(&proxy.url("Gloss/"), &rclone, encrypted);
    sync::sync_now(&mut b, counted.as_ref(), &options)?;
    proxy.reset_requests();
    sync::sync_now(&mut b, counted.as_ref(), &options)?;
    let requests = proxy.requests();
    println!("nothing_new_requests={}", requests.len());
    println!(
        "nothing_new_methods={}",
        requests
            .iter()
            .map(|r| r.method.as_str())
            .collect::<Vec<_>>()
            .join("+")
    );

    let stored = bytes_under(&served.join("Gloss"));
    println!("server_bytes={stored}");
    println!("content_bytes={content}");
    println!("server_over_content={:.2}", stored as f64 / content as f64);
    println!("open_ms={open_ms}");
    Ok(())
}
