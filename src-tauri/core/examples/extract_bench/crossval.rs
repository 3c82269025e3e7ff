//! `extract_bench eval SPLIT --folds N`: cross-validation of extraction's
//! chosen rules and thresholds ([`Tuning`]).
//!
//! Pages are grouped by site (a scrapinghub page's host without `www.` and
//! public suffixes, a mozilla test page's name without its `-N`; so
//! `www.nytimes.com` and `nytimes-2` are one site) and the sites are dealt
//! to N folds, largest first, each to the fold with the fewest pages of its
//! dataset (ties to the lower fold): deterministic, and the pages of one
//! site are never in two folds.
//!
//! For each fold, the knobs of [`knobs`] are chosen on the other folds (the
//! held-in pages) by one pass of coordinate ascent from
//! `Tuning::default()`, and the choice is scored on the fold (held-out).
//! The objective is the scrapinghub F1, less any shortfall of the mozilla
//! F1 below [`MOZILLA_FLOOR`] (the mozilla pages are Readability.js's own
//! outputs: a floor, not a target to climb). The same procedure on all the
//! pages gives the choice that `Tuning::default()` should hold.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use gloss_core::extract::{extract_html_tuned, Combine, Tuning};
use gloss_core::fetch::decode_html;
use url::Url;

use crate::metric;

/// Below this mozilla F1, every point lost counts against a choice.
const MOZILLA_FLOOR: f64 = 0.985;

/// One value a knob can take: its label and how it sets the tuning.
type Setter = (String, fn(&mut Tuning, usize), usize);

/// The knobs and the values tried for each. A rule's values are "on" and
/// "off"; thresholds get the current value and a few around it.
fn knobs() -> Vec<(&'static str, Vec<Setter>)> {
    fn flag(name: &'static str, set: fn(&mut Tuning, usize)) -> (&'static str, Vec<Setter>) {
        (name, vec![("on".into(), set, 1), ("off".into(), set, 0)])
    }
    fn values(
        name: &'static str,
        set: fn(&mut Tuning, usize),
        vals: &[usize],
        show: fn(usize) -> String,
    ) -> (&'static str, Vec<Setter>) {
        (name, vals.iter().map(|&v| (show(v), set, v)).collect())
    }
    let plain = |v: usize| v.to_string();
    let share = |v: usize| format!("{:.2}", v as f64 / 100.0);
    vec![
        values(
            "combine",
            |t, v| {
                t.combine = [
                    Combine::Readability,
                    Combine::Drop,
                    Combine::Add,
                    Combine::Both,
                ][v]
            },
            &[0, 1, 2, 3],
            |v| ["readability", "drop", "add", "both"][v].to_string(),
        ),
        values(
            "density_good_chars",
            |t, v| t.density_good_chars = v,
            &[60, 100, 150, 250],
            plain,
        ),
        values(
            "density_max_links",
            |t, v| t.density_max_links = v as f64 / 100.0,
            &[25, 40, 60],
            share,
        ),
        flag("prompts", |t, v| t.prompts = v == 1),
        flag("datelines", |t, v| t.datelines = v == 1),
        flag("repeats", |t, v| t.repeats = v == 1),
        flag("edge_labels", |t, v| t.edge_labels = v == 1),
        flag("edge_bylines", |t, v| t.edge_bylines = v == 1),
        flag("link_runs", |t, v| t.link_runs = v == 1),
        flag("inline_credits", |t, v| t.inline_credits = v == 1),
        flag("tail_pitches", |t, v| t.tail_pitches = v == 1),
        flag("tail_bios", |t, v| t.tail_bios = v == 1),
        flag("inline_pitches", |t, v| t.inline_pitches = v == 1),
        flag("tail_boxes", |t, v| t.tail_boxes = v == 1),
        flag("pitch_boxes", |t, v| t.pitch_boxes = v == 1),
        flag("tag_lists", |t, v| t.tag_lists = v == 1),
        flag("gallery_slides", |t, v| t.gallery_slides = v == 1),
        flag("link_cards", |t, v| t.link_cards = v == 1),
        flag("half_guard", |t, v| t.half_guard = v == 1),
        values(
            "paragraph_chars",
            |t, v| t.paragraph_chars = v,
            &[100, 150, 200, 300],
            plain,
        ),
        values(
            "short_chars",
            |t, v| t.short_chars = v,
            &[160, 220, 300],
            plain,
        ),
        values(
            "link_dense",
            |t, v| t.link_dense = v as f64 / 100.0,
            &[50, 70, 85],
            share,
        ),
    ]
}

/// One fold's (held-in, held-out, held-out with the default) F1 pairs.
type Row = ((f64, f64), (f64, f64), (f64, f64));

/// A page ready to extract.
struct Loaded {
    dataset: &'static str,
    site: String,
    html: String,
    url: Option<Url>,
    truth: String,
}

/// Per-page counts for every tuning tried, computed once.
struct Scores<'a> {
    pages: &'a [Loaded],
    memo: HashMap<String, Vec<metric::Counts>>,
}

impl Scores<'_> {
    fn counts(&mut self, t: &Tuning) -> &[metric::Counts] {
        let pages = self.pages;
        self.memo.entry(format!("{t:?}")).or_insert_with(|| {
            pages
                .iter()
                .map(|p| {
                    let text = extract_html_tuned(&p.html, p.url.as_ref(), "fallback", t)
                        .map(|e| e.text)
                        .unwrap_or_default();
                    metric::counts(&p.truth, &text)
                })
                .collect()
        })
    }

    /// (scrapinghub F1, mozilla F1) over the pages `take` selects.
    fn f1(&mut self, t: &Tuning, take: &dyn Fn(usize) -> bool) -> (f64, f64) {
        let pages = self.pages;
        let all = self.counts(t);
        let of = |ds: &str| {
            let c: Vec<metric::Counts> = all
                .iter()
                .enumerate()
                .filter(|&(i, _)| take(i) && pages[i].dataset == ds)
                .map(|(_, c)| *c)
                .collect();
            metric::aggregate(&c).2
        };
        (of("scrapinghub"), of("mozilla"))
    }
}

fn objective((sh, mz): (f64, f64)) -> f64 {
    sh - (MOZILLA_FLOOR - mz).max(0.0)
}

/// One pass of coordinate ascent from the default on the pages `take`
/// selects; returns the tuning and the labels of the values chosen.
fn choose(scores: &mut Scores, take: &dyn Fn(usize) -> bool) -> (Tuning, Vec<String>) {
    let mut current = base();
    let mut labels = Vec::new();
    for (_, values) in knobs() {
        let mut best: Option<(f64, Tuning, String)> = None;
        for (label, set, v) in values {
            let mut t = current.clone();
            set(&mut t, v);
            let score = objective(scores.f1(&t, take));
            // A tie keeps the current value.
            let better = best.as_ref().is_none_or(|(b, _, _)| {
                score > *b + 1e-9 || ((score - *b).abs() <= 1e-9 && t == current)
            });
            if better {
                best = Some((score, t, label));
            }
        }
        if let Some((_, t, label)) = best {
            current = t;
            labels.push(label);
        }
    }
    (current, labels)
}

/// The site a page belongs to (see the module documentation).
fn site(dataset: &str, id: &str, url: &str) -> String {
    if dataset == "mozilla" {
        let base = id.trim_end_matches(|c: char| c.is_ascii_digit());
        return match base.strip_suffix('-') {
            Some(b) if base.len() < id.len() => b.to_string(),
            _ => id.to_string(),
        };
    }
    const SUFFIXES: &[&str] = &[
        "com", "co", "org", "net", "uk", "au", "in", "id", "de", "fr", "it", "es", "ru", "jp",
        "br", "ca", "nz", "za", "ie", "gov", "edu", "ac", "info", "io", "us", "news", "tv",
    ];
    let host = Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_lowercase))
        .unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    let mut end = labels.len();
    while end > 1 && SUFFIXES.contains(&labels[end - 1]) {
        end -= 1;
    }
    labels
        .get(end.saturating_sub(1))
        .map(|s| s.to_string())
        .unwrap_or(host)
}

/// Deals sites to folds (see the module documentation).
fn assign_folds(pages: &[Loaded], folds: usize) -> Vec<usize> {
    let mut sites: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        sites.entry(&p.site).or_default().push(i);
    }
    let mut order: Vec<(&str, Vec<usize>)> = sites.into_iter().collect();
    order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let mut fold_of = vec![0; pages.len()];
    let mut load: HashMap<(&str, usize), usize> = HashMap::new();
    for (_, members) in order {
        let ds = pages[members[0]].dataset;
        let fold = (0..folds)
            .min_by_key(|&f| (load.get(&(ds, f)).copied().unwrap_or(0), f))
            .unwrap_or(0);
        *load.entry((ds, fold)).or_default() += members.len();
        for i in members {
            fold_of[i] = fold;
        }
    }
    fold_of
}

/// Runs the cross-validation and prints the per-fold table.
pub fn run(split: &Path, folds: usize) {
    let folds = folds.max(2);
    let pages: Vec<Loaded> = metric::load_pages(split)
        .into_iter()
        .map(|p| Loaded {
            dataset: p.dataset,
            site: site(p.dataset, &p.id, &p.url),
            html: decode_html(&std::fs::read(&p.path).unwrap_or_default(), None),
            url: Url::parse(&p.url).ok(),
            truth: p.truth,
        })
        .collect();
    let fold_of = assign_folds(&pages, folds);
    let mut scores = Scores {
        pages: &pages,
        memo: HashMap::new(),
    };
    let names: Vec<&str> = knobs().iter().map(|(n, _)| *n).collect();
    let default_labels = default_labels();
    println!(
        "{:<5} {:>5} {:>7} | {:>11} {:>11} | {:>12} {:>12} | {:>13} | changed from default",
        "fold", "sites", "pages", "in sh F1", "in mz F1", "out sh F1", "out mz F1", "out default"
    );
    let mut rows = Vec::new();
    let mut chosen_count: HashMap<(usize, String), usize> = HashMap::new();
    for k in 0..folds {
        let held_in = |i: usize| fold_of[i] != k;
        let held_out = |i: usize| fold_of[i] == k;
        let (t, labels) = choose(&mut scores, &held_in);
        let inn = scores.f1(&t, &held_in);
        let out = scores.f1(&t, &held_out);
        let out_default = scores.f1(&base(), &held_out);
        let n_pages = (0..pages.len()).filter(|&i| held_out(i)).count();
        let n_sites = {
            let mut s: Vec<&str> = (0..pages.len())
                .filter(|&i| held_out(i))
                .map(|i| pages[i].site.as_str())
                .collect();
            s.sort();
            s.dedup();
            s.len()
        };
        let changed: Vec<String> = labels
            .iter()
            .enumerate()
            .filter(|(i, l)| default_labels.get(*i) != Some(*l))
            .map(|(i, l)| format!("{}={l}", names[i]))
            .collect();
        for (i, l) in labels.iter().enumerate() {
            *chosen_count.entry((i, l.clone())).or_default() += 1;
        }
        println!(
            "{k:<5} {n_sites:>5} {n_pages:>7} | {:>11.4} {:>11.4} | {:>12.4} {:>12.4} | {:>6.4}/{:.4} | {}",
            inn.0,
            inn.1,
            out.0,
            out.1,
            out_default.0,
            out_default.1,
            if changed.is_empty() {
                "-".to_string()
            } else {
                changed.join(" ")
            }
        );
        rows.push((inn, out, out_default));
    }
    let mean = |f: &dyn Fn(&Row) -> f64| rows.iter().map(f).sum::<f64>() / rows.len() as f64;
    let (in_sh, in_mz) = (mean(&|r| r.0 .0), mean(&|r| r.0 .1));
    let (out_sh, out_mz) = (mean(&|r| r.1 .0), mean(&|r| r.1 .1));
    let (def_sh, def_mz) = (mean(&|r| r.2 .0), mean(&|r| r.2 .1));
    println!(
        "mean  held-in sh {in_sh:.4} mz {in_mz:.4} | held-out sh {out_sh:.4} mz {out_mz:.4} | \
         gap sh {:.4} mz {:.4} | held-out with Tuning::default() sh {def_sh:.4} mz {def_mz:.4}",
        in_sh - out_sh,
        in_mz - out_mz
    );
    println!("choices per knob over the {folds} folds (value: folds):");
    for (i, (name, values)) in knobs().iter().enumerate() {
        let counts: Vec<String> = values
            .iter()
            .filter_map(|(l, _, _)| {
                chosen_count
                    .get(&(i, l.clone()))
                    .map(|c| format!("{l}: {c}"))
            })
            .collect();
        println!(
            "  {name:<20} {} (default {})",
            counts.join(", "),
            default_labels.get(i).map(String::as_str).unwrap_or("?")
        );
    }
    let all = |_: usize| true;
    let (t, labels) = choose(&mut scores, &all);
    let whole = scores.f1(&t, &all);
    let whole_default = scores.f1(&base(), &all);
    let changed: Vec<String> = labels
        .iter()
        .enumerate()
        .filter(|(i, l)| default_labels.get(*i) != Some(*l))
        .map(|(i, l)| format!("{}={l}", names[i]))
        .collect();
    println!(
        "whole split: chosen on all pages sh {:.4} mz {:.4} (changes from default: {}); \
         Tuning::default() sh {:.4} mz {:.4}",
        whole.0,
        whole.1,
        if changed.is_empty() {
            "none".to_string()
        } else {
            changed.join(" ")
        },
        whole_default.0,
        whole_default.1
    );
    println!("tunings extracted: {}", scores.memo.len());
}

/// `Tuning::default()`, with the knob values that the environment variable
/// `EXTRACT_SET` names (`knob=label,knob=label`, labels as printed in the
/// table): to score the procedure from another starting point, e.g. with a
/// new rule off, without a rebuild.
pub fn base() -> Tuning {
    let mut t = Tuning::default();
    let Ok(set) = std::env::var("EXTRACT_SET") else {
        return t;
    };
    let knobs = knobs();
    for pair in set.split(',').filter(|p| !p.is_empty()) {
        let (name, label) = pair.split_once('=').unwrap_or((pair, ""));
        let found = knobs
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, values)| values.iter().find(|(l, _, _)| l == label));
        match found {
            Some((_, set, v)) => set(&mut t, *v),
            None => panic!("EXTRACT_SET: no knob value {pair}"),
        }
    }
    t
}

/// The label of each knob's value in the starting tuning ([`base`]).
fn default_labels() -> Vec<String> {
    let default = base();
    knobs()
        .into_iter()
        .map(|(_, values)| {
            values
                .into_iter()
                .find(|(_, set, v)| {
                    let mut t = default.clone();
                    set(&mut t, *v);
                    t == default
                })
                .map(|(l, _, _)| l)
                .unwrap_or_else(|| "other".to_string())
        })
        .collect()
}
