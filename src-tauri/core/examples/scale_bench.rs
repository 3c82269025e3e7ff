//! The in-process half of `bench/scale.sh`: fills a generated library with
//! what a heavy reader's library has, and times what the app does with it.
//!
//!   scale_bench feeds LIBRARY LIST      saves the files in LIST as the stories
//!                                       of 20 feeds (as a refresh would)
//!   scale_bench decorate LIBRARY        stars, read, archived, tags, highlights
//!   scale_bench measure LIBRARY GLOSS   search (in process and as `GLOSS search`
//!                                       processes), lists, opening, counts
//!
//! Prints `key=value` lines. Every figure is a warm measurement (one pass
//! first, which is also reported as `*_first_ms` where it matters).

use std::process::{Command, Stdio};
use std::time::Instant;

use gloss_core::annotate::{Color, NewAnnotation, TextQuoteSelector};
use gloss_core::fetch::Fetcher;
use gloss_core::library::NewFeed;
use gloss_core::model::{ListFilter, ListQuery, SearchQuery};
use gloss_core::save::{self, SaveOptions, Source};
use gloss_core::Library;

type Res<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The fixed 50 queries: common words, rare words, phrases, prefixes,
/// substrings (parts of words: only the trigram index finds them) and
/// queries that find nothing.
const QUERIES: [&str; 50] = [
    // common words
    "the",
    "said",
    "people",
    "government",
    "year",
    "world",
    "time",
    "company",
    "new",
    "police",
    // rare words
    "glacier",
    "vaccine",
    "tariff",
    "archaeologists",
    "sonata",
    "quarantine",
    "mozilla",
    "readability",
    "referendum",
    "telescope",
    // phrases and several words
    "\"prime minister\"",
    "\"according to\"",
    "\"last year\"",
    "\"the united states\"",
    "\"new york\"",
    "\"climate change\"",
    "\"social media\"",
    "police said",
    "government money",
    "world cup final",
    // prefixes
    "gov*",
    "techn*",
    "photo*",
    "inter*",
    "econ*",
    "elect*",
    "hist*",
    "manag*",
    "transp*",
    "univers*",
    // substrings
    "ology",
    "ificat",
    "onstrat",
    "xperien",
    "mmunic",
    // no hit
    "zzyzxq",
    "qwertyuiop",
    "xylofonkrat",
    "blorptastic",
    "frumious bandersnatch",
];

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["feeds", lib, list] => feeds(lib, list),
        ["decorate", lib] => decorate(lib),
        ["measure", lib, gloss] => measure(lib, gloss),
        _ => Err("usage: scale_bench feeds LIB LIST | decorate LIB | measure LIB GLOSS".into()),
    }
}

fn feeds(library: &str, list: &str) -> Res<()> {
    let mut lib = Library::open(library)?;
    let mut ids = Vec::new();
    for i in 0..20 {
        let feed = lib.add_feed(&NewFeed {
            url: format!("https://feeds{i}.example/rss.xml"),
            title: format!("Feed {i}"),
            folder: (i % 3 == 0).then(|| "News".to_string()),
            ..Default::default()
        })?;
        ids.push(feed.id);
    }
    let fetcher = Fetcher::new()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let files = std::fs::read_to_string(list)?;
    let mut saved = 0;
    for (i, file) in files.lines().filter(|l| !l.is_empty()).enumerate() {
        let options = SaveOptions {
            skip_images: true,
            feed_id: Some(ids[i % ids.len()]),
            ..Default::default()
        };
        let story = Source::parse(file).and_then(|source| {
            rt.block_on(save::prepare(&fetcher, &source, &options, &|_, _, _| {}))
        })?;
        lib.store_story(story)?;
        saved += 1;
    }
    println!("feed_stories={saved}");
    Ok(())
}

/// Deterministic marks: every 7th starred, two in three read, every 5th
/// archived, every 10th tagged (30 tags), every 50th highlighted.
fn decorate(library: &str) -> Res<()> {
    let mut lib = Library::open(library)?;
    let total = lib.info()?.stories as i64;
    let ids: Vec<i64> = (1..=total).collect();
    let pick = |step: usize, offset: usize| -> Vec<i64> {
        ids.iter().skip(offset).step_by(step).copied().collect()
    };
    lib.set_starred(&pick(7, 0), true)?;
    let read: Vec<i64> = ids.iter().copied().filter(|i| i % 3 != 0).collect();
    lib.set_read(&read, true)?;
    lib.set_archived(&pick(5, 2), true)?;
    for id in pick(10, 3) {
        let tags = vec![format!("topic-{}", id % 30)];
        lib.set_tags(id, &tags, &[])?;
    }
    let mut highlighted = 0;
    for id in pick(50, 4) {
        let text = lib.story(id)?.text;
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() < 20 {
            continue;
        }
        let mid = words.len() / 2;
        let exact = words[mid..mid + 6].join(" ");
        if !text.contains(&exact) {
            continue;
        }
        lib.add_annotation(
            id,
            NewAnnotation {
                quote: TextQuoteSelector {
                    exact,
                    prefix: String::new(),
                    suffix: String::new(),
                },
                position: None,
                color: Color::Yellow,
                note: if id % 100 == 4 {
                    "worth rereading".into()
                } else {
                    String::new()
                },
                tags: Vec::new(),
            },
        )?;
        highlighted += 1;
    }
    println!("highlighted={highlighted}");
    Ok(())
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// The p-th percentile (nearest rank) of `v`, which it sorts.
fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn measure(library: &str, gloss: &str) -> Res<()> {
    let first = Instant::now();
    let lib = Library::open(library)?;
    println!("open_ms={:.2}", ms(first));
    let stories = lib.info()?.stories;
    println!("stories={stories}");

    // Search, in process: one pass to warm up, then 5 timed passes.
    let search = |text: &str| SearchQuery {
        text: text.to_string(),
        limit: Some(50),
        ..Default::default()
    };
    let mut hits = 0;
    let mut first_pass = Vec::new();
    for q in QUERIES {
        let t = Instant::now();
        hits += lib.search(&search(q))?.len();
        first_pass.push(ms(t));
    }
    let mut times = Vec::new();
    let mut slowest = (0.0, "");
    let mut per_query: Vec<Vec<f64>> = vec![Vec::new(); QUERIES.len()];
    for _ in 0..5 {
        for (i, q) in QUERIES.iter().enumerate() {
            let t = Instant::now();
            lib.search(&search(q))?;
            let took = ms(t);
            if took > slowest.0 {
                slowest = (took, q);
            }
            times.push(took);
            per_query[i].push(took);
        }
    }
    // The ten slowest queries by median, on stderr (the table reads stdout).
    let mut medians: Vec<(f64, &str)> = per_query
        .iter_mut()
        .zip(QUERIES.iter())
        .map(|(t, q)| (pct(t, 0.5), *q))
        .collect();
    medians.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (median, q) in medians.iter().take(10) {
        eprintln!("search median {median:7.2} ms  {q}");
    }
    println!("search_hits={hits}");
    println!("search_first_pass_p95_ms={:.2}", pct(&mut first_pass, 0.95));
    println!("search_p50_ms={:.2}", pct(&mut times, 0.5));
    println!("search_p95_ms={:.2}", pct(&mut times, 0.95));
    println!("search_max_ms={:.2}", slowest.0);
    println!("search_slowest={}", slowest.1);

    // Search as a whole process, as a person at a terminal runs it.
    let mut proc_times = Vec::new();
    for q in QUERIES {
        let t = Instant::now();
        let status = Command::new(gloss)
            .args(["--library", library, "search", q, "--limit", "50"])
            .stdout(Stdio::null())
            .status()?;
        proc_times.push(ms(t));
        if !status.success() {
            return Err(format!("gloss search {q} failed").into());
        }
    }
    println!("process_search_p50_ms={:.2}", pct(&mut proc_times, 0.5));
    println!("process_search_p95_ms={:.2}", pct(&mut proc_times, 0.95));

    // The first page (100 stories, as the UI asks) of every sidebar list.
    let mut lists: Vec<(String, ListQuery)> = [
        ListFilter::All,
        ListFilter::Inbox,
        ListFilter::Unread,
        ListFilter::Starred,
        ListFilter::Archived,
        ListFilter::Annotated,
    ]
    .into_iter()
    .map(|f| {
        (
            format!("{f:?}").to_lowercase(),
            ListQuery {
                filter: f,
                limit: Some(100),
                ..Default::default()
            },
        )
    })
    .collect();
    lists.push((
        "tag".into(),
        ListQuery {
            tag: Some("topic-7".into()),
            limit: Some(100),
            ..Default::default()
        },
    ));
    let feeds = lib.feeds()?;
    if let Some(feed) = feeds.first() {
        lists.push((
            "feed".into(),
            ListQuery {
                feed_id: Some(feed.id),
                limit: Some(100),
                ..Default::default()
            },
        ));
    }
    if let Some(folder) = lib.folders()?.first() {
        lists.push((
            "folder".into(),
            ListQuery {
                folder_id: Some(folder.id),
                limit: Some(100),
                ..Default::default()
            },
        ));
    }
    let mut worst = (0.0, String::new());
    for (name, query) in &lists {
        lib.list(query)?;
        let mut t: Vec<f64> = (0..20)
            .map(|_| {
                let s = Instant::now();
                lib.list(query).map(|_| ms(s))
            })
            .collect::<gloss_core::Result<_>>()?;
        let median = pct(&mut t, 0.5);
        println!("list_{name}_ms={median:.2}");
        if median > worst.0 {
            worst = (median, name.clone());
        }
    }
    println!("list_worst_ms={:.2}", worst.0);
    println!("list_worst={}", worst.1);

    // Opening a story: 200 spread over the library.
    let step = (stories as usize / 200).max(1);
    let mut open = Vec::new();
    for id in (1..=stories as i64).step_by(step) {
        let t = Instant::now();
        lib.story(id)?;
        open.push(ms(t));
    }
    println!("open_story_p50_ms={:.3}", pct(&mut open, 0.5));
    println!("open_story_p95_ms={:.3}", pct(&mut open, 0.95));

    // The sidebar's counts, and the feeds' unread counts beside them.
    lib.counts()?;
    let mut counts: Vec<f64> = (0..20)
        .map(|_| {
            let s = Instant::now();
            lib.counts().map(|_| ms(s))
        })
        .collect::<gloss_core::Result<_>>()?;
    println!("counts_p50_ms={:.3}", pct(&mut counts, 0.5));
    println!("counts_max_ms={:.3}", pct(&mut counts, 1.0));
    let mut feed_counts: Vec<f64> = (0..10)
        .map(|_| {
            let s = Instant::now();
            lib.feeds().map(|_| ms(s))
        })
        .collect::<gloss_core::Result<_>>()?;
    println!("feeds_p50_ms={:.3}", pct(&mut feed_counts, 0.5));
    Ok(())
}
