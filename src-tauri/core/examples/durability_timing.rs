//! What durability costs: N single-story saves and N highlight writes (each
//! its own transaction, as a user's action is) with `synchronous = NORMAL`
//! and `FULL` in WAL mode, then the start-up check (`quick_check`) and a
//! verified backup of a library grown to `BIG` stories. Used by
//! `bench/durability.sh`; prints `key=value` lines.
//!
//! usage: durability_timing DIR N BIG

use std::path::Path;
use std::time::Instant;

use gloss_core::annotate::{NewAnnotation, TextQuoteSelector};
use gloss_core::library::durability::{backups, health, Synchronous};
use gloss_core::library::NewStory;
use gloss_core::model::BackupKind;
use gloss_core::Library;

fn story(n: usize) -> NewStory {
    let text = format!("Story {n} says something worth reading. ").repeat(100);
    NewStory {
        url: format!("https://example.com/{n}"),
        url_key: format!("https://example.com/{n}"),
        title: format!("Story {n}"),
        html: format!("<p>{text}</p>"),
        text,
        ..Default::default()
    }
}

/// Milliseconds per operation: median and mean.
fn stats(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(|a, b| a.total_cmp(b));
    let median = ms[ms.len() / 2];
    let mean = ms.iter().sum::<f64>() / ms.len() as f64;
    (median, mean)
}

fn run(
    dir: &Path,
    name: &str,
    mode: Synchronous,
    n: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let path = dir.join(format!("{name}.gloss"));
    let _ = std::fs::remove_file(&path);
    let mut lib = Library::open(&path)?;
    lib.set_synchronous(mode)?;
    let mut saves = Vec::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        ids.push(lib.store_story(story(i))?.id);
        saves.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let mut notes = Vec::with_capacity(n);
    for (i, id) in ids.iter().enumerate() {
        let new = NewAnnotation {
            quote: TextQuoteSelector {
                exact: "worth reading".into(),
                ..Default::default()
            },
            note: format!("note {i}"),
            ..Default::default()
        };
        let t = Instant::now();
        lib.add_annotation(*id, new)?;
        notes.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (median, mean) = stats(saves);
    println!("{name}_save_median_ms={median:.2}");
    println!("{name}_save_mean_ms={mean:.2}");
    let (median, mean) = stats(notes);
    println!("{name}_annotation_median_ms={median:.2}");
    println!("{name}_annotation_mean_ms={mean:.2}");
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: durability_timing DIR N BIG";
    let dir = std::path::PathBuf::from(args.next().ok_or(usage)?);
    let n: usize = args.next().ok_or(usage)?.parse()?;
    let big: usize = args.next().ok_or(usage)?.parse()?;
    std::fs::create_dir_all(&dir)?;
    println!("n={n}");
    run(&dir, "normal", Synchronous::Normal, n)?;
    run(&dir, "full", Synchronous::Full, n)?;

    // A bigger library for the check and the backup (grown quickly: NORMAL).
    let path = dir.join("big.gloss");
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_dir_all(backups::backups_dir(&path));
    {
        let mut lib = Library::open(&path)?;
        lib.set_synchronous(Synchronous::Normal)?;
        for i in 0..big {
            lib.store_story(story(i))?;
        }
    }
    println!("big_stories={big}");
    println!(
        "big_mib={:.1}",
        std::fs::metadata(&path)?.len() as f64 / 1048576.0
    );
    let t = Instant::now();
    let problems = health::check_file(&path)?;
    println!("quick_check_ms={:.0}", t.elapsed().as_secs_f64() * 1000.0);
    assert!(problems.is_empty(), "{problems:?}");
    let t = Instant::now();
    let b = backups::take_of_file(&path, BackupKind::Daily)?;
    println!("backup_ms={:.0}", t.elapsed().as_secs_f64() * 1000.0);
    assert_eq!(b.stories, Some(big as u32));
    let t = Instant::now();
    let lib = Library::open(&path)?;
    println!("open_ms={:.1}", t.elapsed().as_secs_f64() * 1000.0);
    drop(lib);
    std::fs::remove_dir_all(backups::backups_dir(&path))?;
    Ok(())
}
