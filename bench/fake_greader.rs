//! The in-repo **fake** Google Reader API server (`gloss_core::testing::
//! FakeGReader`, built from FreshRSS's and Miniflux's documented behaviour)
//! as a process of its own, for bench/accounts.sh: it starts on 127.0.0.1
//! with `--feeds` feeds of `--items` items each, writes its API address to
//! `--url-file`, then answers lines on standard input:
//! `requests` prints how many requests it has served so far, `read` how
//! many items are read on the server; the end of input stops it.

use std::io::BufRead;

use gloss_core::testing::fake_greader::{FakeGReader, FakeGReaderOptions};

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let feeds = arg(&args, "--feeds", 50);
    let items = arg(&args, "--items", 400);
    let Some(url_file) = args
        .iter()
        .position(|a| a == "--url-file")
        .and_then(|i| args.get(i + 1))
    else {
        eprintln!("usage: fake_greader --url-file FILE [--feeds 50] [--items 400]");
        std::process::exit(2);
    };
    let server = FakeGReader::start("bench", "bench password", FakeGReaderOptions::default());
    let mut numbers = Vec::with_capacity(feeds * items);
    for f in 0..feeds {
        let label = format!("Folder {}", f % 5);
        let id = server.add_feed(
            &format!("Bench feed {f}"),
            &format!("http://127.0.0.1:9/feeds/{f}.xml"),
            Some(&label),
        );
        numbers.extend(server.add_items(&id, items));
    }
    if let Err(e) = std::fs::write(url_file, server.url()) {
        eprintln!("fake_greader: cannot write {url_file}: {e}");
        std::process::exit(1);
    }
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["requests"] => println!("{}", server.total_requests()),
            ["read"] => println!("{}", numbers.iter().filter(|&&i| server.is_read(i)).count()),
            _ => println!("?"),
        }
    }
}
