//! Imports of every format into a library, the merge rules, highlights
//! that wait for their content, the Gloss round trip and the EPUB's shape.

use std::io::{Cursor, Read};

use super::import::{apply, prepare};
use super::zipread::tests::zip_of;
use super::zipread::ZipLimits;
use super::*;
use crate::annotate::{Color, NewAnnotation, TextQuoteSelector};
use crate::feeds::FeedsInLibrary;
use crate::library::{sha256_hex, NewAsset, NewStory, ASSET_URL_PREFIX};
use crate::model::{ListFilter, ListQuery};
use crate::testing::{FixtureServer, Route};
use crate::Library;

fn import(lib: &mut Library, bytes: &[u8]) -> item::ImportReport {
    apply(lib, prepare(bytes, None, ZipLimits::default()).unwrap()).unwrap()
}

fn all(lib: &Library) -> Vec<crate::model::StorySummary> {
    lib.list(&ListQuery::default()).unwrap().stories
}

#[test]
fn a_pocket_zip_with_highlights_and_hostile_entries() {
    let csv = b"title,url,time_added,tags,status\n\
        One,https://e.com/1,1700000000,a|b,unread\n\
        Two,https://e.com/2?utm_source=x,1700000100,,archive\n";
    let notes = br#"[{"url":"https://e.com/1","title":"One","highlights":[{"quote":"the first words","created_at":1700000200}],"cursor":1},
                   {"url":"https://e.com/3","title":"Three","highlights":[{"quote":"only here"}]}]"#;
    let zeros = vec![0u8; 3 * 1024 * 1024];
    let bytes = zip_of(&[
        ("part_000000.csv", csv),
        ("annotations/part_000000.json", notes),
        ("../../x.csv", b"title,url\nX,https://e.com/x\n"),
        ("link:evil.csv", b"/etc/passwd"),
        ("bomb.csv", &zeros),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    let limits = ZipLimits {
        entry_bytes: 2 * 1024 * 1024,
        ..Default::default()
    };
    let r = apply(&mut lib, prepare(&bytes, None, limits).unwrap()).unwrap();
    assert_eq!(r.format, "pocket-zip");
    assert_eq!((r.imported, r.merged, r.highlights), (3, 0, 2));
    let failed: Vec<_> = r.failed.iter().map(|f| f.item.as_str()).collect();
    assert_eq!(failed, ["../../x.csv", "evil.csv", "bomb.csv"]);
    let stories = all(&lib);
    let two = stories.iter().find(|s| s.url == "https://e.com/2").unwrap();
    assert!(two.archived && two.read);
    let one = stories.iter().find(|s| s.url == "https://e.com/1").unwrap();
    assert_eq!(one.tags, ["a", "b"]);
    assert_eq!(one.saved_at, "2023-11-14T22:13:20Z");
    // No content yet: the highlight is kept orphaned, the story waits.
    let notes = lib.annotations_of(one.id).unwrap();
    assert!(notes[0].orphaned());
    assert!(lib.needs_content(one.id).unwrap());
    assert_eq!(r.waiting_for_content, 3);
}

#[test]
fn merging_adds_tags_and_keeps_the_stronger_state() {
    let mut lib = Library::open_in_memory().unwrap();
    import(
        &mut lib,
        b"URL,Title,Selection,Folder,Timestamp\nhttps://e.com/a,A,,Starred,1700000000\n",
    );
    let r = import(
        &mut lib,
        b"title,url,time_added,tags,status\nA again,https://e.com/a#frag,1800000000,new,archive\nA dup,https://e.com/a,1,,unread\n",
    );
    assert_eq!((r.imported, r.merged), (0, 2));
    let s = &all(&lib)[0];
    assert!(s.starred && s.archived && s.read, "{s:?}");
    assert_eq!(s.tags, ["new"]);
    assert_eq!(s.title, "A", "the story already there keeps its title");
    assert_eq!(s.saved_at, "2023-11-14T22:13:20Z", "and its saved time");
}

#[test]
fn wallabag_and_omnivore_content_is_sanitized_and_highlights_anchored() {
    let mut lib = Library::open_in_memory().unwrap();
    let wallabag = br#"[{"title":"W","url":"https://e.com/w","is_archived":0,"is_starred":1,
        "content":"<p>Plenty of harbour words before the quoted part and after it too.</p><script>steal()</script><img src=x onerror=alert(1)>",
        "created_at":"2016-10-04T08:27:32+0200","tags":["t"],
        "annotations":[{"text":"why","quote":"the quoted part"},{"text":"","quote":"not in the text at all"}]}]"#;
    let r = import(&mut lib, wallabag);
    assert_eq!(
        (r.format.as_str(), r.imported, r.highlights),
        ("wallabag", 1, 2)
    );
    let s = &all(&lib)[0];
    let story = lib.story(s.id).unwrap();
    assert!(!story.html.contains("script") && !story.html.contains("onerror"));
    assert!(s.starred && !lib.needs_content(s.id).unwrap());
    let notes = lib.annotations_of(s.id).unwrap();
    assert_eq!(notes.len(), 2);
    assert!(!notes[0].orphaned() && notes[0].note == "why");
    assert!(notes[1].orphaned());

    let meta = br#"[{"id":"1","slug":"omni","title":"O","url":"https://e.com/o","state":"Archived",
        "readingProgress":40,"labels":["x",{"name":"y"}],"savedAt":"2024-01-02T03:04:05.000Z"},
        {"id":"2","slug":"nourl","title":"N"}]"#;
    let html = b"<html><body><article><p>Omnivore kept this readable text for the reader to enjoy later on.</p></article></body></html>";
    let md = b"> readable text\n\n#idea\n\nmy note";
    let bytes = zip_of(&[
        ("metadata_0_to_2.json", meta),
        ("content/omni.html", html),
        ("highlights/omni.md", md),
    ]);
    let r = import(&mut lib, &bytes);
    assert_eq!(
        (r.format.as_str(), r.imported, r.failed.len()),
        ("omnivore", 1, 1)
    );
    let o = all(&lib)
        .into_iter()
        .find(|s| s.url == "https://e.com/o")
        .unwrap();
    assert!(o.archived && (o.progress - 0.4).abs() < 1e-9);
    assert_eq!(o.tags, ["x", "y"]);
    assert_eq!(o.saved_at, "2024-01-02T03:04:05Z");
    let n = &lib.annotations_of(o.id).unwrap()[0];
    assert!(!n.orphaned());
    assert_eq!(
        (n.note.as_str(), n.tags.clone()),
        ("my note", vec!["idea".to_string()])
    );
}

#[test]
fn bookmarks_readwise_and_pocket_html_import() {
    let mut lib = Library::open_in_memory().unwrap();
    let r = import(
        &mut lib,
        b"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p><DT><H3>News</H3><DL><p><DT><A HREF=\"https://e.com/n\" ADD_DATE=\"1700000000\">N</A></DL><p></DL>",
    );
    assert_eq!((r.format.as_str(), r.imported), ("netscape", 1));
    assert_eq!(all(&lib)[0].tags, ["News"]);
    let r = import(
        &mut lib,
        b"Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags,URL\nwords,N,,,a note,blue,,,,2023-01-01 00:00:00,,https://e.com/n\n",
    );
    assert_eq!((r.format.as_str(), r.merged), ("readwise", 1));
    let n = &lib.annotations_of(all(&lib)[0].id).unwrap()[0];
    assert_eq!((n.color, n.note.as_str()), (Color::Blue, "a note"));
    let r = import(
        &mut lib,
        b"<!DOCTYPE html><html><head><title>Pocket Export</title></head><body><h1>Unread</h1><ul><li><a href=\"https://e.com/p\" time_added=\"1\">P</a></li></ul></body></html>",
    );
    assert_eq!((r.format.as_str(), r.imported), ("pocket-html", 1));
}

#[test]
fn fifty_thousand_lines_with_invalid_dates_import_what_they_can() {
    let mut csv = String::from("\u{feff}title,url,time_added,tags,status\n");
    for i in 0..50_000 {
        match i % 1000 {
            0 => csv.push_str(&format!(
                "\"Bad, \"\"date\"\"\",https://e.com/{i},not-a-date,,unread\n"
            )),
            1 => csv.push_str("no url,,1700000000,,unread\n"),
            _ => csv.push_str(&format!(
                "\"T {i}\nline two\",https://e.com/{i},1700000000,a|b,unread\n"
            )),
        }
    }
    let mut lib = Library::open_in_memory().unwrap();
    let r = import(&mut lib, csv.as_bytes());
    assert_eq!(r.imported, 49_950);
    assert_eq!(r.failed.len(), 50);
    assert_eq!(r.warnings.len(), 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_fetched_after_an_import_places_waiting_highlights() {
    let page = "<html><head><title>Fetched</title></head><body><article><p>A long article body \
        whose middle has the highlighted sentence of the reader, and more words after it so that \
        the extraction keeps it all.</p></article></body></html>";
    let server = FixtureServer::start(vec![
        ("/a", Route::html(page)),
        ("/gone", Route::status(404)),
    ]);
    let notes = format!(
        r#"[{{"url":"{}","highlights":[{{"quote":"the highlighted sentence"}}]}}]"#,
        server.url("/a")
    );
    let csv = format!(
        "title,url,time_added,tags,status\nA,{},1,,unread\nG,{},1,,unread\n",
        server.url("/a"),
        server.url("/gone")
    );
    let bytes = zip_of(&[
        ("part_000000.csv", csv.as_bytes()),
        ("annotations/part_000000.json", notes.as_bytes()),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    let never = tokio_util::sync::CancellationToken::new();
    let prepared = prepare(&bytes, None, ZipLimits::default()).unwrap();
    super::import::run(&mut lib, prepared, None, &never, &mut |_| {})
        .await
        .unwrap();
    let fetcher = crate::fetch::Fetcher::new().unwrap();
    let mut seen = Vec::new();
    let report = fetch::fetch_missing(&mut lib, &fetcher, u32::MAX, true, &never, &mut |d, t| {
        seen.push((d, t))
    })
    .await
    .unwrap();
    assert_eq!(report.fetched, 1);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(seen.last(), Some(&(2, 2)));
    let a = all(&lib)
        .into_iter()
        .find(|s| s.url == server.url("/a"))
        .unwrap();
    assert!(!lib.needs_content(a.id).unwrap());
    assert!(!lib.annotations_of(a.id).unwrap()[0].orphaned());
    // The page that failed still waits: a later fetch resumes with it only.
    assert_eq!(lib.stories_needing_content(10).unwrap().len(), 1);
}

/// A library with a bit of everything: content, an image, tags, states, a
/// highlight with a note and tags, an orphaned one, a feed.
fn rich_library() -> Library {
    let mut lib = Library::open_in_memory().unwrap();
    lib.import_feeds(&[crate::library::ExportedFeed {
        url: "https://e.com/feed".into(),
        title: "Feed".into(),
        site_url: Some("https://e.com/".into()),
        folder: Some("News".into()),
        full_text: true,
        retention_days: Some(9),
    }])
    .unwrap();
    // A real 1x1 PNG: epubcheck opens the images.
    let png = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82".to_vec();
    let sha = sha256_hex(&png);
    let text = "Harbour news\nThe ferry terminal plan divides the town & the council.";
    let story = lib
        .store_story(NewStory {
            url: "https://e.com/story".into(),
            url_key: "https://e.com/story".into(),
            title: "Ferry <plan>".into(),
            site: Some("E".into()),
            language: Some("en".into()),
            html: format!(
                "<h2>Harbour news</h2><p>The ferry terminal plan divides the town &amp; the council.</p><p><img src=\"{ASSET_URL_PREFIX}{sha}\" alt=\"a pier\"></p>"
            ),
            text: text.into(),
            word_count: 12,
            assets: vec![NewAsset {
                sha256: sha.clone(),
                mime: "image/png".into(),
                bytes: png,
                source_url: "https://e.com/pier.png".into(),
            }],
            lead_image: Some(sha),
            tags: vec!["ferries".into()],
            feed_id: lib.feed_id_by_url("https://e.com/feed").unwrap(),
            saved_at: Some(1_700_000_000_123),
            origin: crate::model::Origin::Browser,
            ..Default::default()
        })
        .unwrap()
        .id;
    lib.set_starred(&[story], true).unwrap();
    lib.set_read(&[story], true).unwrap();
    lib.set_progress(story, 0.5).unwrap();
    lib.add_annotation(
        story,
        NewAnnotation {
            quote: TextQuoteSelector {
                exact: "divides the town".into(),
                ..Default::default()
            },
            color: Color::Green,
            note: "the *point*".into(),
            tags: vec!["civic".into()],
            ..Default::default()
        },
    )
    .unwrap();
    import(
        &mut lib,
        b"title,url,time_added,tags,status\nLink,https://e.com/link,1600000000,later,archive\n",
    );
    lib
}

fn library_json(zip: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut s = String::new();
    archive
        .by_name("library.json")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn the_gloss_export_round_trips_through_an_empty_library() {
    let lib = rich_library();
    let first = gloss_json::zip_bytes(&lib).unwrap();
    let mut empty = Library::open_in_memory().unwrap();
    let r = import(&mut empty, &first);
    assert_eq!(
        (r.format.as_str(), r.imported, r.failed.len()),
        ("gloss", 2, 0)
    );
    let second = gloss_json::zip_bytes(&empty).unwrap();
    // Where each story came from is kept (the browser's page, the link).
    let doc: serde_json::Value = serde_json::from_str(&library_json(&first)).unwrap();
    let mut origins: Vec<&str> = doc["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["origin"].as_str().unwrap())
        .collect();
    origins.sort();
    assert_eq!(origins, ["browser", "fetched"]);
    assert_eq!(library_json(&first), library_json(&second));
    assert_eq!(first.len(), second.len());
    assert_eq!(lib.counts().unwrap(), empty.counts().unwrap());
    assert_eq!(lib.export_opml().unwrap(), empty.export_opml().unwrap());
    // Importing it again merges everything and adds nothing.
    let again = import(&mut empty, &first);
    assert_eq!((again.imported, again.merged), (0, 2));
    assert_eq!(
        library_json(&gloss_json::zip_bytes(&empty).unwrap()),
        library_json(&first)
    );
}

#[test]
fn a_filtered_export_has_only_those_stories() {
    let lib = rich_library();
    let q = ListQuery {
        filter: ListFilter::Starred,
        ..Default::default()
    };
    let ids = export::list_ids(&lib, &q).unwrap();
    let doc = gloss_json::library_json(&lib, &ids, &mut || Ok(())).unwrap();
    assert_eq!(doc.stories.len(), 1);
}

#[test]
fn the_epub_is_well_formed_and_lists_every_file() {
    let lib = rich_library();
    let mut buf = Vec::new();
    let ids = export::list_ids(&lib, &ListQuery::default()).unwrap();
    let n = epub::write_epub(&lib, &ids, "Gloss & co", &mut buf, &mut || Ok(())).unwrap();
    assert_eq!(n.stories, 2);
    check_epub(&buf);
    if let Some(report) = run_epubcheck(&buf) {
        assert!(report.0, "epubcheck: {}", report.1);
    }
}

/// mimetype first and stored, container.xml pointing at the OPF, every file
/// in the manifest, every XHTML and XML file well-formed.
pub(crate) fn check_epub(bytes: &[u8]) {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    {
        let first = archive.by_index(0).unwrap();
        assert_eq!(first.name(), "mimetype");
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    }
    let mut read = |name: &str| {
        let mut s = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    assert_eq!(read("mimetype"), "application/epub+zip");
    let container = read("META-INF/container.xml");
    let opf_path = container
        .split("full-path=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let opf = read(&opf_path);
    let dir = opf_path
        .rsplit_once('/')
        .map(|(d, _)| format!("{d}/"))
        .unwrap_or_default();
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    let mut images = 0;
    for name in &names {
        if name == "mimetype" || name.starts_with("META-INF/") || *name == opf_path {
            continue;
        }
        let href = name.strip_prefix(&dir).unwrap_or(name);
        assert!(
            opf.contains(&format!("href=\"{href}\"")),
            "{href} is not in the manifest"
        );
        images += usize::from(href.starts_with("images/"));
    }
    assert_eq!(images, 1, "the story's image is in the book");
    for name in names.iter().filter(|n| {
        n.ends_with(".xhtml") || n.ends_with(".opf") || n.ends_with(".ncx") || n.ends_with(".xml")
    }) {
        let mut s = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        let mut reader = quick_xml::Reader::from_str(&s);
        reader.config_mut().check_end_names = true;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}\n{s}"),
            }
        }
    }
}

/// Runs Debian's epubcheck when it is installed (`apt-get install
/// epubcheck`): `(passed, output)`, or `None` without it.
pub(crate) fn run_epubcheck(bytes: &[u8]) -> Option<(bool, String)> {
    let jar = std::path::Path::new("/usr/share/java/epubcheck.jar");
    if !jar.exists() {
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("book.epub");
    std::fs::write(&path, bytes).ok()?;
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(jar)
        .arg(&path)
        .output()
        .ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    Some((out.status.success(), text))
}

use crate::testing::tiny_png as png;

#[tokio::test(flavor = "multi_thread")]
async fn images_in_imported_content_are_downloaded_only_with_the_network() {
    let server = FixtureServer::start(vec![("/harbour.png", Route::bytes("image/png", png()))]);
    let img = server.url("/harbour.png");
    let wallabag = format!(
        r#"[{{"title":"W","url":"https://e.com/w","is_archived":0,"is_starred":0,
        "content":"<p>Plenty of harbour words around a picture of the harbour at dawn.</p><p><img src=\"{img}\" alt=\"the harbour at dawn\"></p><p>And more words after it for the reader.</p>"}}]"#
    );
    let meta = br#"[{"id":"1","slug":"omni","title":"O","url":"https://e.com/o","state":"Inbox"}]"#;
    let html = format!(
        "<html><body><article><p>Omnivore kept this readable text for the reader to enjoy later on.</p><img src=\"{img}\" alt=\"a boat\"><p>Another paragraph of text.</p></article></body></html>"
    );
    let omnivore = zip_of(&[
        ("metadata_0_to_1.json", meta),
        ("content/omni.html", html.as_bytes()),
    ]);
    let never = tokio_util::sync::CancellationToken::new();
    let read = |bytes: &[u8]| prepare(bytes, None, ZipLimits::default()).unwrap();

    // No network (`--no-fetch`): nothing is downloaded, nothing remote is
    // kept, the alt text stands in for the image.
    let mut offline = Library::open_in_memory().unwrap();
    for bytes in [wallabag.as_bytes(), omnivore.as_slice()] {
        super::import::run(&mut offline, read(bytes), None, &never, &mut |_| {})
            .await
            .unwrap();
    }
    assert_eq!(server.hits("/harbour.png"), 0);
    for s in all(&offline) {
        let story = offline.story(s.id).unwrap();
        assert!(!story.html.contains("127.0.0.1"), "{}", story.html);
        assert!(!story.html.contains("<img"), "{}", story.html);
    }
    let w = all(&offline)
        .into_iter()
        .find(|s| s.url == "https://e.com/w");
    let w = offline.story(w.unwrap().id).unwrap();
    assert!(w.html.contains("the harbour at dawn"));

    // With the network: the same asset pipeline as a saved page.
    let fetcher = crate::fetch::Fetcher::new().unwrap();
    let mut online = Library::open_in_memory().unwrap();
    for bytes in [wallabag.as_bytes(), omnivore.as_slice()] {
        let r = super::import::run(
            &mut online,
            read(bytes),
            Some(&fetcher),
            &never,
            &mut |_| {},
        )
        .await
        .unwrap();
        assert_eq!((r.imported, r.failed.len()), (1, 0));
    }
    assert!(server.hits("/harbour.png") >= 1);
    let sha = sha256_hex(&png());
    for s in all(&online) {
        let story = online.story(s.id).unwrap();
        assert!(!story.html.contains("127.0.0.1"), "{}", story.html);
        assert!(
            story.html.contains(&format!("{ASSET_URL_PREFIX}{sha}")),
            "{}",
            story.html
        );
    }
    assert!(online.asset(&sha).unwrap().is_some());
}

#[test]
fn a_cancelled_import_keeps_whole_batches_and_a_second_import_finishes_it() {
    let mut csv = String::from("title,url,time_added,tags,status\n");
    for i in 0..2000 {
        csv.push_str(&format!("S{i},https://e.com/{i},1600000000,t,unread\n"));
    }
    let mut lib = Library::open_in_memory().unwrap();
    let cancel = tokio_util::sync::CancellationToken::new();
    let mut events = Vec::new();
    let prepared = prepare(csv.as_bytes(), None, ZipLimits::default()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let r = rt
        .block_on(super::import::run(
            &mut lib,
            prepared,
            None,
            &cancel,
            &mut |p| {
                events.push(p.clone());
                // Cancelled as soon as the first batch is written.
                if p.imported > 0 {
                    cancel.cancel();
                }
            },
        ))
        .unwrap();
    assert!(r.cancelled);
    assert_eq!(r.imported, 500, "stops at the next story after the cancel");
    assert_eq!(lib.counts().unwrap().all, 500);
    assert!(lib.check().unwrap().ok);
    assert_eq!(events.first().map(|e| e.total), Some(2000));
    assert_eq!(
        events.last().map(|e| e.stage),
        Some(item::ImportStage::Done)
    );
    // Importing the file again merges what came and adds the rest.
    let again = import(&mut lib, csv.as_bytes());
    assert_eq!(
        (again.imported, again.merged, again.cancelled),
        (1500, 500, false)
    );
    assert_eq!(lib.counts().unwrap().all, 2000);
}

#[test]
fn hash_bang_and_app_addresses_stay_separate_stories() {
    let mut lib = Library::open_in_memory().unwrap();
    let csv = "title,url,time_added,tags,status\n\
        A,https://twitter.com/#!/jack/status/20,1700000000,,unread\n\
        B,https://groups.google.com/forum/#!topic/rust/abc,1700000000,,unread\n\
        C,https://mail.example/#inbox/123,1700000000,,unread\n\
        D,https://twitter.com/#!/biz/status/21,1700000000,,unread\n\
        E,https://news.example/a?utm_source=x#comments,1700000000,,unread\n\
        F,https://news.example/a,1700000000,,unread\n";
    let r = import(&mut lib, csv.as_bytes());
    // Only the plain anchor and the tracking parameter merge.
    assert_eq!((r.imported, r.merged), (5, 1), "{r:?}");
    let mut urls: Vec<String> = all(&lib).into_iter().map(|s| s.url).collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            "https://groups.google.com/forum/#!topic/rust/abc",
            "https://mail.example/#inbox/123",
            "https://news.example/a",
            "https://twitter.com/#!/biz/status/21",
            "https://twitter.com/#!/jack/status/20",
        ]
    );
}

#[test]
fn a_second_import_adds_no_highlights_and_says_so() {
    let wallabag = br#"[{"title":"W","url":"https://e.com/w","is_archived":0,"is_starred":0,
        "content":"<p>Plenty of harbour words before the quoted part and after it too.</p>",
        "annotations":[{"text":"a","quote":"harbour words"},{"text":"b","quote":"the quoted part"},
                       {"text":"c","quote":"nowhere in the text"}]}]"#;
    let mut lib = Library::open_in_memory().unwrap();
    let first = import(&mut lib, wallabag);
    assert_eq!((first.imported, first.highlights), (1, 3));
    let again = import(&mut lib, wallabag);
    assert_eq!((again.merged, again.highlights), (1, 0));
    let id = all(&lib)[0].id;
    assert_eq!(lib.annotations_of(id).unwrap().len(), 3);
}

#[test]
fn a_gloss_zip_with_a_damaged_library_json_says_so() {
    let json = br#"{"format":"gloss-export","version":1,"feeds":[],"stories":[]}"#;
    let mut bytes = zip_of(&[("library.json", json.as_slice())]);
    // Change one byte of the compressed library.json (after its 30-byte
    // local header and its name): the checksum no longer matches.
    let data = 30 + "library.json".len();
    bytes[data + 5] ^= 0x55;
    let err = match prepare(&bytes, None, ZipLimits::default()) {
        Ok(_) => panic!("a damaged library.json was read"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("library.json in the archive is damaged"),
        "{err}"
    );
    assert!(!err.contains("has no library.json"), "{err}");
}

#[test]
fn wallabag_v1_and_omnivore_json_import_with_their_states_and_dates() {
    let mut lib = Library::open_in_memory().unwrap();
    let v1 = br#"[{"0":"3","id":"3","title":"Features","url":"https://e.com/features/",
        "is_read":"1","is_fav":"1","content":"<p>wallabag is free and open source, forever and for everyone.</p>",
        "user_id":"1","tags":"tools,self-hosting"}]"#;
    for format in [None, Some("wallabag")] {
        let mut lib = Library::open_in_memory().unwrap();
        let r = apply(&mut lib, prepare(v1, format, ZipLimits::default()).unwrap()).unwrap();
        assert_eq!((r.format.as_str(), r.imported), ("wallabag", 1));
        let s = &all(&lib)[0];
        assert!(s.starred && s.archived && s.read, "{s:?}");
        assert_eq!(s.tags, ["self-hosting", "tools"]);
    }
    let omnivore = br#"[{"id":"1","slug":"a","title":"A","url":"https://e.com/a","state":"Active",
        "readingProgress":0,"labels":["x"],"savedAt":"2024-01-02T03:04:05.000Z",
        "publishedAt":"2023-12-01T08:00:00.000Z"}]"#;
    let r = import(&mut lib, omnivore);
    assert_eq!((r.format.as_str(), r.imported), ("omnivore-json", 1));
    let s = &all(&lib)[0];
    assert_eq!(s.published_at.as_deref(), Some("2023-12-01T08:00:00Z"));
    assert_eq!(s.saved_at, "2024-01-02T03:04:05Z");
    assert_eq!(s.tags, ["x"]);
}

#[test]
fn an_opml_feed_that_fails_is_named_by_its_address() {
    let mut lib = Library::open_in_memory().unwrap();
    let opml = br#"<?xml version="1.0"?><opml version="2.0"><head/><body>
        <outline type="rss" text="Good" xmlUrl="https://e.com/feed"/>
        <outline type="rss" text="Bad" xmlUrl="ftp://e.com/feed"/></body></opml>"#;
    let r = import(&mut lib, opml);
    assert_eq!((r.format.as_str(), r.imported), ("opml", 1));
    assert_eq!(r.failed.len(), 1);
    assert_eq!(r.failed[0].item, "ftp://e.com/feed");
    assert!(
        r.failed[0].reason.starts_with("only http and https"),
        "{:?}",
        r.failed[0]
    );
}
