//! Killing Gloss in the middle of bulk work loses nothing it committed.
//!
//! - A bulk import (`gloss import` of a generated Pocket CSV, `--no-fetch`)
//!   is killed twenty times (SIGKILL on Unix, TerminateProcess on Windows:
//!   no chance to clean up) at a random moment: once a reader in this test
//!   sees at least N stories committed, N drawn from a seeded generator.
//!   Imports commit in batches, so the kill lands while the next batch is
//!   being written. After each kill `gloss check` must pass, every story
//!   the reader saw must still be there, whole (with its tags), and the
//!   import run again to completion must leave every row exactly once.
//! - `gloss save -` of local pages in a shuffled order is killed ten times
//!   right after its N-th "saved" line (standard output is a pipe, so the
//!   process can be ahead of the reader: the kill lands anywhere in the
//!   next save). Every story it reported must survive.
//!
//! `GLOSS_CRASH_SEED=<n>` replays a run; the seed is in every failure.

mod support;

use std::collections::{BTreeSet, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use gloss_core::model::ListQuery;
use gloss_core::Library;
use serde_json::Value;

const PAGES: usize = 60;
const SAVE_ROUNDS: usize = 10;
const IMPORT_ROWS: usize = 2000;
const IMPORT_ROUNDS: usize = 20;

/// A small deterministic generator (xorshift64*): the test needs
/// reproducible randomness, not quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo) as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.range(0, i + 1);
            items.swap(i, j);
        }
    }
}

fn run(library: &Path, args: &[&str]) -> Output {
    support::gloss(library).args(args).output().unwrap()
}

fn title(n: usize) -> String {
    format!("Crash page {n:03}")
}

fn write_pages(dir: &Path) -> Vec<PathBuf> {
    (0..PAGES)
        .map(|n| {
            let path = dir.join(format!("page-{n:03}.html"));
            let body = format!(
                "Page {n} of the crash test has a paragraph long enough to be an article. "
            )
            .repeat(12);
            std::fs::write(
                &path,
                format!(
                    "<!doctype html><html><head><title>{t}</title></head><body><article>\
                     <h1>{t}</h1><p>{body}</p><p>{body}</p></article></body></html>",
                    t = title(n)
                ),
            )
            .unwrap();
            path
        })
        .collect()
}

/// The titles of every story in the library, each once per story.
fn titles(library: &Path) -> Vec<String> {
    let out = run(library, &["list", "--json", "--limit", "10000"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_string())
        .collect()
}

fn assert_check_passes(library: &Path, context: &str) {
    let out = run(library, &["check", "--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert!(
        out.status.success() && report["ok"] == Value::Bool(true),
        "{context}: gloss check failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts `gloss save -` on `pages` and kills it right after its
/// `kill_after`-th saved story (or lets it finish with `None`). Returns the
/// titles it reported saved.
fn save_and_kill(library: &Path, pages: &[PathBuf], kill_after: Option<usize>) -> Vec<String> {
    let mut child = support::gloss(library)
        .args(["save", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for p in pages {
            writeln!(stdin, "{}", p.display()).unwrap();
        }
    }
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut reported = Vec::new();
    for line in stdout.lines() {
        let line = line.unwrap();
        // "saved 12: Crash page 007" or "updated 12: Crash page 007"
        let Some((_, t)) = line.split_once(": ") else {
            continue;
        };
        reported.push(t.to_string());
        if Some(reported.len()) == kill_after {
            child.kill().unwrap();
            break;
        }
    }
    let status = child.wait().unwrap();
    if kill_after.is_none() {
        assert!(status.success(), "the full save failed: {status}");
    }
    reported
}

fn seed() -> u64 {
    std::env::var("GLOSS_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6c05_5e1f)
}

#[test]
fn a_killed_bulk_save_keeps_every_story_it_reported_and_then_completes() {
    let seed = seed();
    let mut rng = Rng(seed.max(1));
    let dir = tempfile::tempdir().unwrap();
    let pages_dir = dir.path().join("pages");
    std::fs::create_dir_all(&pages_dir).unwrap();
    let pages = write_pages(&pages_dir);
    let library = dir.path().join("library.gloss");
    let mut committed: BTreeSet<String> = BTreeSet::new();

    for round in 1..=SAVE_ROUNDS {
        let context = format!("round {round}, seed {seed}");
        let mut order = pages.clone();
        rng.shuffle(&mut order);
        let kill_after = rng.range(1, PAGES);
        let reported = save_and_kill(&library, &order, Some(kill_after));
        assert_eq!(
            reported.len(),
            kill_after,
            "{context}: the save ended early"
        );
        committed.extend(reported);

        assert_check_passes(&library, &context);
        let present: HashSet<String> = titles(&library).into_iter().collect();
        let missing: Vec<&String> = committed.iter().filter(|t| !present.contains(*t)).collect();
        assert!(
            missing.is_empty(),
            "{context}: stories reported saved before the kill are gone: {missing:?}"
        );
    }

    save_and_kill(&library, &pages, None);
    assert_check_passes(&library, "after the full save");
    let mut all = titles(&library);
    all.sort();
    let expected: Vec<String> = (0..PAGES).map(title).collect();
    assert_eq!(all, expected, "every page exactly once (seed {seed})");
}

/// Every story in the library as a reader sees it now: URL → its tags.
fn snapshot(reader: &Library) -> Vec<(String, Vec<String>)> {
    let page = reader
        .list(&ListQuery {
            limit: None,
            ..Default::default()
        })
        .unwrap();
    page.stories.into_iter().map(|s| (s.url, s.tags)).collect()
}

fn pocket_csv(path: &Path) {
    let mut text = String::from("title,url,time_added,tags,status\n");
    for i in 0..IMPORT_ROWS {
        text.push_str(&format!(
            "Imported {i:05},https://example.com/story/{i},{},crash|import,unread\n",
            1_700_000_000 + i
        ));
    }
    std::fs::write(path, text).unwrap();
}

fn import(library: &Path, csv: &Path) -> std::process::Child {
    support::gloss(library)
        .arg("import")
        .arg(csv)
        .arg("--no-fetch")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_killed_bulk_import_keeps_every_committed_story_whole_and_then_completes() {
    let seed = seed();
    let mut rng = Rng(seed.max(1) ^ 0x1_0000);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("pocket.csv");
    pocket_csv(&csv);
    let mut library = PathBuf::new();
    let mut kills = 0;
    let mut round = 0;
    while kills < IMPORT_ROUNDS {
        round += 1;
        assert!(
            round < IMPORT_ROUNDS * 3,
            "seed {seed}: too few imports could be killed in time"
        );
        let context = format!("import round {round}, seed {seed}");
        // Each round on a library of its own, made before the import so the
        // reader can open it.
        library = dir.path().join(format!("library-{round}.gloss"));
        drop(Library::open(&library).unwrap());
        // Kill once the reader sees more than `threshold` stories committed.
        let threshold = rng.range(0, IMPORT_ROWS);
        let mut child = import(&library, &csv);
        let mut seen = Vec::new();
        {
            let reader = Library::open(&library).unwrap();
            loop {
                let now = snapshot(&reader);
                if now.len() > threshold {
                    child.kill().unwrap();
                    seen = now;
                    break;
                }
                if child.try_wait().unwrap().is_some() {
                    break;
                }
            }
        }
        let status = child.wait().unwrap();
        if status.success() {
            // It finished before the kill reached it: this round killed nothing.
            continue;
        }
        assert!(!seen.is_empty(), "{context}: the import failed: {status}");
        kills += 1;
        assert_check_passes(&library, &context);
        let after: std::collections::HashMap<String, Vec<String>> =
            snapshot(&Library::open(&library).unwrap())
                .into_iter()
                .collect();
        for (url, tags) in &seen {
            assert_eq!(
                after.get(url),
                Some(tags),
                "{context}: {url} was committed before the kill and is gone or changed"
            );
        }
        for (url, tags) in &after {
            assert_eq!(tags, &["crash", "import"], "{context}: {url} is not whole");
        }
    }
    let status = import(&library, &csv).wait().unwrap();
    assert!(status.success(), "seed {seed}: the last import failed");
    assert_check_passes(&library, "after the last import");
    let all = snapshot(&Library::open(&library).unwrap());
    let urls: HashSet<String> = all.iter().map(|(u, _)| u.clone()).collect();
    assert_eq!(
        all.len(),
        IMPORT_ROWS,
        "seed {seed}: every row exactly once"
    );
    assert_eq!(urls.len(), IMPORT_ROWS);
}
