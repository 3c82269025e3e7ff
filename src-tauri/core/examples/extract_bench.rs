//! Extraction quality and speed, in process (used by `bench/extract.sh`).
//!
//! ```text
//! cargo run --release -p gloss-core --example extract_bench -- eval ../shared/corpus [--per-page]
//! cargo run --release -p gloss-core --example extract_bench -- eval ../shared/corpus --folds 5
//! cargo run --release -p gloss-core --example extract_bench -- time PAGES.tsv [ROUNDS]
//! ```
//!
//! `eval` scores the split with the benchmark metric (the same as
//! `shared/tools/extract_eval.py`) and the mozilla metadata; `time` reads a
//! list of `path<TAB>url` lines, loads every page first and then times only
//! `extract_html`, printing pages per second and the median.

#[path = "../tests/support/extraction_metric.rs"]
mod metric;

#[path = "extract_bench/crossval.rs"]
mod crossval;

use std::path::Path;
use std::time::{Duration, Instant};

use gloss_core::extract::{extract_html, extract_html_tuned};
use gloss_core::fetch::decode_html;
use url::Url;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("eval") if args.iter().any(|a| a == "--folds") => {
            let folds = args
                .iter()
                .position(|a| a == "--folds")
                .and_then(|i| args.get(i + 1))
                .and_then(|f| f.parse().ok())
                .unwrap_or(5);
            let split = args
                .get(1)
                .filter(|a| !a.starts_with("--"))
                .map(String::as_str)
                .unwrap_or("../shared/corpus");
            crossval::run(Path::new(split), folds);
        }
        Some("eval") => eval(
            Path::new(
                args.get(1)
                    .map(String::as_str)
                    .unwrap_or("../shared/corpus"),
            ),
            args.iter().any(|a| a == "--per-page"),
        ),
        Some("time") => time(
            Path::new(args.get(1).map(String::as_str).unwrap_or("pages.tsv")),
            args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3),
        ),
        Some("one") => {
            let bytes =
                std::fs::read(args.get(1).map(String::as_str).unwrap_or("")).unwrap_or_default();
            let url = args.get(2).and_then(|u| Url::parse(u).ok());
            let e = extract_html(&decode_html(&bytes, None), url.as_ref(), "fallback")
                .expect("extract");
            println!("{}", e.text);
        }
        _ => eprintln!(
            "usage: extract_bench eval SPLIT [--per-page | --folds N] | time PAGES.tsv [ROUNDS]"
        ),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn eval(split: &Path, per_page: bool) {
    let pages = metric::load_pages(split);
    let mut by_ds: Vec<(&str, Vec<metric::Counts>, Vec<Duration>)> = Vec::new();
    let mut meta_hits: [(usize, usize); 7] = [(0, 0); 7];
    let tuning = crossval::base();
    for page in &pages {
        let bytes = std::fs::read(&page.path).unwrap_or_default();
        let html = decode_html(&bytes, None);
        let url = Url::parse(&page.url).ok();
        let started = Instant::now();
        let e = extract_html_tuned(&html, url.as_ref(), "fallback", &tuning).expect("extract");
        let took = started.elapsed();
        let c = metric::counts(&page.truth, &e.text);
        if let Ok(dir) = std::env::var("EXTRACT_DUMP") {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(format!("{dir}/{}.txt", page.id), &e.text);
            let _ = std::fs::write(format!("{dir}/{}.truth", page.id), &page.truth);
            let _ = std::fs::write(format!("{dir}/{}.html", page.id), &e.html);
            // Every field, so that a change meant to keep the output can be
            // checked for all of it (`diff -r` of two dumps).
            let json = serde_json::to_string_pretty(&e).unwrap_or_default();
            let _ = std::fs::write(format!("{dir}/{}.json", page.id), json);
        }
        if per_page {
            println!(
                "{:<11} {:<66} P {:.3} R {:.3} F1 {:.3} {:>6.1}ms {}",
                page.dataset,
                page.id,
                metric::precision(c),
                metric::recall(c),
                metric::page_f1(c),
                took.as_secs_f64() * 1000.0,
                if e.readerable { "" } else { "not-readerable" }
            );
        }
        if page.dataset == "mozilla" {
            let meta_path = page.path.with_file_name("expected-metadata.json");
            if let Ok(s) = std::fs::read_to_string(meta_path) {
                let v: serde_json::Value = serde_json::from_str(&s).unwrap_or_default();
                let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                let fields: [(&str, Option<String>); 7] = [
                    ("title", Some(e.title.clone())),
                    ("byline", e.byline.clone()),
                    ("siteName", e.site_name.clone()),
                    ("lang", e.language.clone()),
                    ("readerable", Some(e.readerable.to_string())),
                    ("publishedTime", e.published_at.as_deref().and_then(instant)),
                    ("image", e.lead_image_url.clone()),
                ];
                for (i, (key, got)) in fields.iter().enumerate() {
                    let want = match (*key, &v[key]) {
                        ("publishedTime", serde_json::Value::String(s)) => instant(s),
                        // expected-metadata.json has no image: the page's
                        // declared one (og:image, twitter:image) is the truth.
                        ("image", _) => declared_image(&html),
                        (_, serde_json::Value::String(s)) => Some(norm(s)),
                        (_, serde_json::Value::Bool(b)) => Some(b.to_string()),
                        _ => None,
                    };
                    let want = if *key == "lang" {
                        want.map(|l| l.split(['-', '_']).next().unwrap_or("").to_lowercase())
                    } else {
                        want
                    };
                    if *key != "lang" && *key != "readerable" && want.is_none() {
                        continue;
                    }
                    let Some(want) = want else { continue };
                    meta_hits[i].1 += 1;
                    let got = got.as_deref().map(norm).map(|g| {
                        // A date alone is compared as a date.
                        if want.len() == 10 {
                            g.chars().take(10).collect()
                        } else {
                            g
                        }
                    });
                    if got.as_deref() == Some(want.as_str()) {
                        meta_hits[i].0 += 1;
                    } else if per_page {
                        println!("    {key}: want {want:?} got {got:?}");
                    }
                }
            }
        }
        match by_ds.iter_mut().find(|(d, _, _)| *d == page.dataset) {
            Some(entry) => {
                entry.1.push(c);
                entry.2.push(took);
            }
            None => by_ds.push((page.dataset, vec![c], vec![took])),
        }
    }
    for (ds, counts, times) in by_ds {
        let (p, r, f1) = metric::aggregate(&counts);
        println!(
            "{ds:<11} n={:<4} F1 {f1:.4} P {p:.4} R {r:.4} median {:.2}ms",
            counts.len(),
            median(times).as_secs_f64() * 1000.0
        );
    }
    let names = [
        "title",
        "byline",
        "siteName",
        "lang",
        "readerable",
        "published",
        "image",
    ];
    for (i, (hit, n)) in meta_hits.iter().enumerate() {
        println!("mozilla metadata {:<10} {hit}/{n}", names[i]);
    }
}

/// A date as an instant in UTC ("2015-07-10T13:53:00Z"), whatever zone it
/// was written in; a date alone stays a date. For comparing published times.
fn instant(raw: &str) -> Option<String> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    let s = raw.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d.to_string());
    }
    DateTime::parse_from_rfc3339(s)
        .ok()
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z").ok())
        .map(|d| d.with_timezone(&Utc).naive_utc())
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M:%S%.f",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        })
        .map(|n| n.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// The lead image a page declares (og:image, twitter:image), absolute.
fn declared_image(html: &str) -> Option<String> {
    let doc = dom_query::Document::from(html);
    let sel = doc.select(
        r#"meta[property="og:image"], meta[name="og:image"], meta[property="twitter:image"], meta[name="twitter:image"]"#,
    );
    let raw = sel.nodes().first().and_then(|n| n.attr("content"))?;
    let base = Url::parse(metric::MOZILLA_URL).ok()?;
    base.join(raw.trim()).ok().map(String::from)
}

fn time(list: &Path, rounds: usize) {
    let listing = std::fs::read_to_string(list).expect("page list");
    let pages: Vec<(String, Option<Url>)> = listing
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(p, u)| {
            let bytes = std::fs::read(p).unwrap_or_default();
            (decode_html(&bytes, None), Url::parse(u).ok())
        })
        .collect();
    let mut times = Vec::new();
    let started = Instant::now();
    for _ in 0..rounds.max(1) {
        for (html, url) in &pages {
            let t = Instant::now();
            let e = extract_html(html, url.as_ref(), "fallback").expect("extract");
            std::hint::black_box(&e);
            times.push(t.elapsed());
        }
    }
    let total = started.elapsed().as_secs_f64();
    println!(
        "gloss pages={} rounds={rounds} total_s={total:.3} pages_per_s={:.1} median_ms={:.3}",
        pages.len(),
        times.len() as f64 / total,
        median(times).as_secs_f64() * 1000.0
    );
}
