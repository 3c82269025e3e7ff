//! Every importer's summary adds up: each item of the file ends as imported,
//! merged, skipped or failed, once, clean or damaged, at the sizes people's
//! exports have. One table: a new importer is one more line in [`CASES`].

use super::import::{apply, prepare};
use super::item::ImportReport;
use super::zipread::tests::zip_of;
use super::zipread::ZipLimits;
use crate::Library;

/// What one entry of a generated export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A web page, its own story.
    Story,
    /// An entry without an address.
    NoUrl,
    /// Damage in the middle: an entry the format's reader cannot take (a
    /// broken JSON object, an address that is not one).
    Broken,
    /// Entry 1's address again, with tracking and an anchor: the same story.
    Repeat,
    /// An entry the format leaves out on purpose (Readwise Reader's Feed).
    Skip,
}

/// One importer: how to write an export of entries in its format.
struct Case {
    format: &'static str,
    /// Entries in the big file (a few thousand for the formats with large
    /// real exports).
    size: usize,
    /// Whether the format has entries it leaves out on purpose.
    skips: bool,
    /// Whether an entry without an address is left out on purpose
    /// (Readwise: a book) rather than failed.
    no_url_is_skipped: bool,
    render: fn(&[(usize, Kind)]) -> Vec<u8>,
}

/// Every importer Gloss has.
const CASES: &[Case] = &[
    case("pocket-csv", 3000, pocket_csv),
    case("pocket-html", 1000, pocket_html),
    case("pocket-zip", 3000, pocket_zip),
    case("instapaper", 3000, instapaper),
    Case {
        skips: true,
        ..case("netscape", 3000, netscape)
    },
    case("omnivore", 3000, omnivore_zip),
    case("omnivore-json", 3000, omnivore_json),
    case("wallabag", 3000, wallabag_v2),
    case("wallabag", 1000, wallabag_v1),
    Case {
        skips: true,
        no_url_is_skipped: true,
        ..case("readwise", 1000, readwise)
    },
    Case {
        skips: true,
        ..case("readwise-reader", 1000, readwise_reader)
    },
    case("gloss", 3000, gloss_json),
    case("gloss", 1000, gloss_zip),
];

const fn case(format: &'static str, size: usize, render: fn(&[(usize, Kind)]) -> Vec<u8>) -> Case {
    Case {
        format,
        size,
        skips: false,
        no_url_is_skipped: false,
        render,
    }
}

/// The entries of a file: all stories, or with damage spread through it.
fn plan(size: usize, damaged: bool, skips: bool) -> Vec<(usize, Kind)> {
    (0..size)
        .map(|i| {
            let kind = match i {
                _ if !damaged => Kind::Story,
                i if i == size / 4 => Kind::NoUrl,
                i if i == size / 2 => Kind::Broken,
                i if i == 3 * size / 4 => Kind::Repeat,
                i if skips && i == size / 3 => Kind::Skip,
                _ => Kind::Story,
            };
            (i, kind)
        })
        .collect()
}

/// Entry `i`'s address. Every seventh is a hash-bang or app route, whose
/// fragment is the story: none of them may merge with another.
fn url(i: usize) -> String {
    match i % 7 {
        0 => format!("https://social.example/#!/someone/status/{i}"),
        3 => format!("https://mail.example/#inbox/{i}"),
        _ => format!("https://news.example/{i}/story"),
    }
}

/// The address an entry is written with.
fn address(i: usize, kind: Kind) -> String {
    match kind {
        Kind::Repeat => "https://news.example/1/story?utm_source=feed#comments".to_string(),
        Kind::NoUrl => String::new(),
        Kind::Broken => format!("not a web address {i}"),
        Kind::Story | Kind::Skip => url(i),
    }
}

/// What the summary must say of a plan.
#[derive(Debug, PartialEq, Eq)]
struct Tally {
    imported: u32,
    merged: u32,
    skipped: u32,
    failed: u32,
}

fn expected(case: &Case, entries: &[(usize, Kind)]) -> Tally {
    let count = |k: Kind| entries.iter().filter(|(_, kind)| *kind == k).count() as u32;
    let no_url = count(Kind::NoUrl);
    let (skipped_no_url, failed_no_url) = if case.no_url_is_skipped {
        (no_url, 0)
    } else {
        (0, no_url)
    };
    Tally {
        imported: count(Kind::Story),
        merged: count(Kind::Repeat),
        skipped: count(Kind::Skip) + skipped_no_url,
        failed: count(Kind::Broken) + failed_no_url,
    }
}

fn tally(r: &ImportReport) -> Tally {
    Tally {
        imported: r.imported,
        merged: r.merged,
        skipped: r.skipped.len() as u32,
        failed: r.failed.len() as u32,
    }
}

#[test]
fn every_item_of_every_format_is_counted_once() {
    let mut wrong = Vec::new();
    for case in CASES {
        for damaged in [false, true] {
            let entries = plan(case.size, damaged, case.skips);
            let bytes = (case.render)(&entries);
            let shown = format!(
                "{} ({} entries{})",
                case.format,
                entries.len(),
                if damaged { ", damaged" } else { "" }
            );
            let mut lib = Library::open_in_memory().unwrap();
            let prepared = match prepare(&bytes, None, ZipLimits::default()) {
                Ok(p) => p,
                Err(e) => {
                    wrong.push(format!("{shown}: refused: {e}"));
                    continue;
                }
            };
            let r = apply(&mut lib, prepared).unwrap();
            let got = tally(&r);
            let sum = got.imported + got.merged + got.skipped + got.failed;
            if r.format != case.format {
                wrong.push(format!("{shown}: read as {}", r.format));
            }
            if sum != entries.len() as u32 {
                wrong.push(format!("{shown}: the summary adds up to {sum}: {got:?}"));
            }
            let want = expected(case, &entries);
            if got != want {
                wrong.push(format!(
                    "{shown}: {got:?}, expected {want:?}; failed {:?}",
                    r.failed.iter().take(3).collect::<Vec<_>>()
                ));
            }
            // Each failure and skip names its entry and says why.
            for f in r.failed.iter().chain(&r.skipped) {
                if f.item.trim().is_empty() || f.reason.trim().is_empty() {
                    wrong.push(format!("{shown}: an unnamed or unexplained entry {f:?}"));
                }
            }
            let stories = lib.counts().unwrap().all;
            if stories != want.imported {
                wrong.push(format!(
                    "{shown}: {stories} stories in the library, {} imported",
                    want.imported
                ));
            }
            if damaged {
                // The same file again: everything merges, nothing is added twice.
                let again = apply(
                    &mut lib,
                    prepare(&bytes, None, ZipLimits::default()).unwrap(),
                )
                .unwrap();
                let again = (again.imported, again.merged, again.highlights);
                let want_again = (0, want.imported + want.merged, 0);
                if again != want_again {
                    wrong.push(format!(
                        "{shown} imported twice: (imported, merged, highlights) {again:?}, \
                         expected {want_again:?}"
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

fn lines(header: &str, entries: &[(usize, Kind)], row: impl Fn(usize, Kind) -> String) -> Vec<u8> {
    let mut out = format!("{header}\n");
    for &(i, kind) in entries {
        out.push_str(&row(i, kind));
        out.push('\n');
    }
    out.into_bytes()
}

fn pocket_csv(entries: &[(usize, Kind)]) -> Vec<u8> {
    lines("title,url,time_added,tags,status", entries, |i, k| {
        format!(
            "\"Story {i}, a title\",{},1700000000,a|b,unread",
            address(i, k)
        )
    })
}

fn pocket_zip(entries: &[(usize, Kind)]) -> Vec<u8> {
    let (first, second) = entries.split_at(entries.len() / 2);
    zip_of(&[
        ("part_000000.csv", &pocket_csv(first)),
        ("part_000001.csv", &pocket_csv(second)),
    ])
}

fn pocket_html(entries: &[(usize, Kind)]) -> Vec<u8> {
    let mut out = String::from(
        "<!DOCTYPE html><html><head><title>Pocket Export</title></head><body><h1>Unread</h1><ul>\n",
    );
    for &(i, kind) in entries {
        out.push_str(&format!(
            "<li><a href=\"{}\" time_added=\"1700000000\" tags=\"\">Story {i}</a></li>\n",
            address(i, kind)
        ));
    }
    out.push_str("</ul></body></html>\n");
    out.into_bytes()
}

fn instapaper(entries: &[(usize, Kind)]) -> Vec<u8> {
    lines(
        "URL,Title,Selection,Folder,Timestamp,Tags",
        entries,
        |i, k| format!("{},Story {i},,Unread,1700000000,", address(i, k)),
    )
}

fn netscape(entries: &[(usize, Kind)]) -> Vec<u8> {
    let mut out = String::from(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n",
    );
    for &(i, kind) in entries {
        let href = match kind {
            // A bookmark of another scheme: not a web page.
            Kind::Broken => format!("ftp://files.example/{i}"),
            // A bookmarklet: the browser's tool, left out on purpose.
            Kind::Skip => format!("javascript:void({i})"),
            _ => address(i, kind),
        };
        out.push_str(&format!(
            "    <DT><A HREF=\"{href}\" ADD_DATE=\"1700000000\">Story {i}</A>\n"
        ));
    }
    out.push_str("</DL><p>\n");
    out.into_bytes()
}

/// A JSON list of objects; a broken entry is an object with a hole in it.
fn json_list(entries: &[(usize, Kind)], object: impl Fn(usize, &str) -> String) -> String {
    let items: Vec<String> = entries
        .iter()
        .map(|&(i, kind)| match kind {
            Kind::Broken => format!("{{\"id\":{i},\"title\":\"Story {i}\",\"url\": ,\"x\":1}}"),
            Kind::NoUrl => object(i, "").replace(",\"url\":\"\"", ""),
            _ => object(i, &address(i, kind)),
        })
        .collect();
    format!("[\n{}\n]", items.join(",\n"))
}

fn omnivore_item(i: usize, url: &str) -> String {
    format!(
        "{{\"id\":\"{i}\",\"slug\":\"story-{i}\",\"title\":\"Story {i}\",\"url\":\"{url}\",\
         \"state\":\"Active\",\"readingProgress\":0,\"labels\":[\"x\"],\
         \"savedAt\":\"2024-01-02T03:04:05.000Z\",\"publishedAt\":\"2023-12-01T00:00:00.000Z\"}}"
    )
}

fn omnivore_json(entries: &[(usize, Kind)]) -> Vec<u8> {
    json_list(entries, omnivore_item).into_bytes()
}

/// Metadata files of 1,000 items, named by their range as Omnivore did.
fn omnivore_zip(entries: &[(usize, Kind)]) -> Vec<u8> {
    let files: Vec<(String, Vec<u8>)> = entries
        .chunks(1000)
        .enumerate()
        .map(|(n, chunk)| {
            let start = n * 1000;
            (
                format!("metadata_{start}_to_{}.json", start + chunk.len()),
                json_list(chunk, omnivore_item).into_bytes(),
            )
        })
        .collect();
    let named: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(&named)
}

fn wallabag_v2(entries: &[(usize, Kind)]) -> Vec<u8> {
    json_list(entries, |i, url| {
        format!(
            "{{\"id\":{i},\"title\":\"Story {i}\",\"url\":\"{url}\",\"is_archived\":0,\
             \"is_starred\":1,\"tags\":[\"a\"],\"created_at\":\"2016-10-04T08:27:32+0200\",\
             \"annotations\":[]}}"
        )
    })
    .into_bytes()
}

fn wallabag_v1(entries: &[(usize, Kind)]) -> Vec<u8> {
    json_list(entries, |i, url| {
        format!(
            "{{\"0\":\"{i}\",\"id\":\"{i}\",\"title\":\"Story {i}\",\"url\":\"{url}\",\
             \"is_read\":\"1\",\"is_fav\":\"0\",\"content\":\"\",\"user_id\":\"1\",\
             \"tags\":\"a,b\"}}"
        )
    })
    .into_bytes()
}

/// One highlight per page; an entry without a URL is a book's highlight.
fn readwise(entries: &[(usize, Kind)]) -> Vec<u8> {
    let header = "Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,\
                  Location,Highlighted at,Document tags,URL";
    lines(header, entries, |i, k| {
        let url = match k {
            // Readwise's Reader rows of the Feed have no counterpart here.
            Kind::Skip => String::new(),
            _ => address(i, k),
        };
        format!(
            "words of story {i},Story {i},An Author,,,yellow,,offset,1,2023-01-05 10:00:00,,{url}"
        )
    })
}

fn readwise_reader(entries: &[(usize, Kind)]) -> Vec<u8> {
    let header = "Title,URL,ID,Document tags,Saved date,Reading progress,Location,Seen";
    lines(header, entries, |i, k| {
        let location = if k == Kind::Skip { "feed" } else { "new" };
        format!(
            "Story {i},{},{i},,2023-01-05 10:00:00,0,{location},false",
            address(i, k)
        )
    })
}

fn gloss_story(i: usize, url: &str) -> String {
    format!(
        "{{\"url\":\"{url}\",\"url_key\":\"{url}\",\"title\":\"Story {i}\",\
         \"saved_at\":\"2024-01-02T03:04:05.000Z\",\"starred\":false,\"archived\":false,\
         \"progress\":0.0,\"word_count\":0,\"readerable\":false,\"needs_content\":true,\
         \"tags\":[],\"html\":\"\",\"text\":\"\",\"assets\":[],\"annotations\":[]}}"
    )
}

fn gloss_json(entries: &[(usize, Kind)]) -> Vec<u8> {
    let stories: Vec<String> = entries
        .iter()
        .map(|&(i, kind)| match kind {
            // In Gloss's own file damage is a story that is not a web page.
            Kind::Broken => gloss_story(i, "javascript:alert(1)"),
            _ => gloss_story(i, &address(i, kind)),
        })
        .collect();
    format!(
        "{{\"format\":\"gloss-export\",\"version\":1,\"feeds\":[],\"stories\":[\n{}\n]}}",
        stories.join(",\n")
    )
    .into_bytes()
}

fn gloss_zip(entries: &[(usize, Kind)]) -> Vec<u8> {
    zip_of(&[("library.json", &gloss_json(entries))])
}
