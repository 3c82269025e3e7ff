//! Times saving local HTML files in-process: read, decode, extract,
//! sanitize, store and index, one story at a time, into a fresh library.
//! Used by `bench/save.sh`; prints one line per figure.
//!
//! usage: save_timing LIBRARY FILE...

use std::time::Instant;

use gloss_core::fetch::Fetcher;
use gloss_core::save::{self, SaveOptions, Source};
use gloss_core::Library;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let library = args.next().ok_or("usage: save_timing LIBRARY FILE...")?;
    let files: Vec<String> = args.collect();
    let mut lib = Library::open(&library)?;
    let fetcher = Fetcher::new()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let options = SaveOptions {
        skip_images: true,
        ..Default::default()
    };
    let mut times = Vec::with_capacity(files.len());
    let mut failed = 0;
    let all = Instant::now();
    for file in &files {
        let start = Instant::now();
        let result = Source::parse(file)
            .and_then(|source| {
                rt.block_on(save::prepare(&fetcher, &source, &options, &|_, _, _| {}))
            })
            .and_then(|story| lib.store_story(story));
        match result {
            Ok(_) => times.push(start.elapsed().as_secs_f64() * 1000.0),
            Err(e) => {
                failed += 1;
                eprintln!("{file}: {e}");
            }
        }
    }
    let total = all.elapsed().as_secs_f64();
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!("pages={}", times.len());
    println!("failed={failed}");
    println!("median_ms={:.2}", pct(0.5));
    println!("p95_ms={:.2}", pct(0.95));
    println!("max_ms={:.2}", pct(1.0));
    println!("stories_per_s={:.1}", times.len() as f64 / total);
    Ok(())
}
