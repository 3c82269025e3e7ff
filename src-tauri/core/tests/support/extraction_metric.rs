//! The scrapinghub article-extraction-benchmark metric, as
//! `../shared/tools/extract_eval.py` computes it: 4-gram shingles of `\w+`
//! tokens as multisets; per page tp/fp/fn; P and R are means over pages
//! (P over pages with a non-empty prediction), F1 is their harmonic mean.
//! Shared by `tests/extraction_quality.rs` and `examples/extract_bench.rs`.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dom_query::{Document, NodeRef};

/// The document URL the mozilla test pages are scored with (as in
/// Readability.js's own tests).
pub const MOZILLA_URL: &str = "http://fakehost/test/page.html";

/// Python's `\w`: letters, digits and numbers of any script, and `_`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub fn tokenize(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn shingles(text: &str) -> HashMap<Vec<&str>, u32> {
    let toks = tokenize(text);
    let mut m = HashMap::new();
    if toks.is_empty() {
        return m;
    }
    if toks.len() < 4 {
        m.insert(toks, 1);
        return m;
    }
    for w in toks.windows(4) {
        *m.entry(w.to_vec()).or_insert(0) += 1;
    }
    m
}

/// (tp, fp, fn) of one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
}

pub fn counts(truth: &str, pred: &str) -> Counts {
    let t = shingles(truth);
    let p = shingles(pred);
    let mut c = Counts {
        tp: 0,
        fp: 0,
        fn_: 0,
    };
    for (k, &a) in &t {
        let b = p.get(k).copied().unwrap_or(0);
        c.tp += u64::from(a.min(b));
        c.fn_ += u64::from(a.saturating_sub(b));
    }
    for (k, &b) in &p {
        let a = t.get(k).copied().unwrap_or(0);
        c.fp += u64::from(b.saturating_sub(a));
    }
    c
}

pub fn precision(c: Counts) -> f64 {
    if c.fp == 0 && c.fn_ == 0 {
        1.0
    } else if c.tp == 0 && c.fp == 0 {
        0.0
    } else {
        c.tp as f64 / (c.tp + c.fp) as f64
    }
}

pub fn recall(c: Counts) -> f64 {
    if c.fp == 0 && c.fn_ == 0 {
        1.0
    } else if c.tp == 0 && c.fn_ == 0 {
        0.0
    } else {
        c.tp as f64 / (c.tp + c.fn_) as f64
    }
}

pub fn page_f1(c: Counts) -> f64 {
    let (p, r) = (precision(c), recall(c));
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// (precision, recall, F1) over pages.
pub fn aggregate(all: &[Counts]) -> (f64, f64, f64) {
    let mean = |v: Vec<f64>| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let p = mean(
        all.iter()
            .filter(|c| c.tp + c.fp > 0)
            .map(|&c| precision(c))
            .collect(),
    );
    let r = mean(
        all.iter()
            .filter(|c| c.tp + c.fn_ > 0)
            .map(|&c| recall(c))
            .collect(),
    );
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f1)
}

/// Elements that separate words in the evaluator's HTML-to-text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "img",
    "input",
    "select",
    "textarea",
    "button",
    "iframe",
    "video",
    "audio",
    "object",
    "embed",
];
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object", "embed",
    "canvas", "select",
];

/// Visible text of reference HTML (mozilla `expected.html`), with a newline
/// at block boundaries, as the evaluator's `html_to_text`.
pub fn reference_text(html: &str) -> String {
    let doc = Document::from(html);
    let mut out = String::new();
    let root = doc.root();
    let mut stack: Vec<(NodeRef, bool)> = vec![(root, false)];
    while let Some((n, exit)) = stack.pop() {
        if exit {
            out.push('\n');
            continue;
        }
        if n.is_text() {
            out.push_str(&n.text());
            continue;
        }
        let name = n.node_name().map(|s| s.to_string()).unwrap_or_default();
        if SKIPPED.contains(&name.as_str()) {
            continue;
        }
        let block = BLOCKS.contains(&name.as_str());
        if block {
            out.push('\n');
            stack.push((n, true));
        }
        let kids: Vec<NodeRef> = n.children();
        for k in kids.into_iter().rev() {
            stack.push((k, false));
        }
    }
    out
}

/// One page of the corpus: its dataset, id, file, URL and true text.
pub struct Page {
    pub dataset: &'static str,
    pub id: String,
    pub path: PathBuf,
    pub url: String,
    pub truth: String,
}

/// The pages of a split (`scrapinghub/` and `mozilla/`), sorted as the
/// evaluator sorts them.
pub fn load_pages(split: &Path) -> Vec<Page> {
    let mut pages = Vec::new();
    let sh = split.join("scrapinghub");
    if let Ok(gt) = std::fs::read_to_string(sh.join("ground-truth.json")) {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&gt) {
            let mut ids: Vec<&String> = map.keys().collect();
            ids.sort();
            for id in ids {
                let v = &map[id];
                pages.push(Page {
                    dataset: "scrapinghub",
                    id: id.clone(),
                    path: sh.join("html").join(format!("{id}.html")),
                    url: v["url"].as_str().unwrap_or_default().to_string(),
                    truth: v["articleBody"].as_str().unwrap_or_default().to_string(),
                });
            }
        }
    }
    let mz = split.join("mozilla");
    if let Ok(dir) = std::fs::read_dir(&mz) {
        let mut names: Vec<String> = dir
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let d = mz.join(&name);
            let Ok(expected) = std::fs::read(d.join("expected.html")) else {
                continue;
            };
            if !d.join("source.html").exists() {
                continue;
            }
            pages.push(Page {
                dataset: "mozilla",
                id: name,
                path: d.join("source.html"),
                url: MOZILLA_URL.to_string(),
                truth: reference_text(&String::from_utf8_lossy(&expected)),
            });
        }
    }
    pages
}
