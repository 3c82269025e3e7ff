//! Nothing lost on the way in: files in legacy encodings and UTF-16, dates
//! in any unit, bookmark folders, descriptions and states, CSV rows with a
//! broken quote. Each test imports a whole file into a library, as the
//! command line and the window do, and looks at what the user would see.

use encoding_rs::WINDOWS_1252;

use super::import::{apply, prepare};
use super::item::ImportReport;
use super::zipread::ZipLimits;
use super::*;
use crate::model::{ListQuery, StorySummary};
use crate::Library;

fn import(lib: &mut Library, bytes: &[u8]) -> ImportReport {
    apply(lib, prepare(bytes, None, ZipLimits::default()).unwrap()).unwrap()
}

/// Every story, newest first.
fn stories(lib: &Library) -> Vec<StorySummary> {
    lib.list(&ListQuery::default()).unwrap().stories
}

fn by_url<'a>(all: &'a [StorySummary], url: &str) -> &'a StorySummary {
    all.iter()
        .find(|s| s.url == url)
        .unwrap_or_else(|| panic!("{url} was not imported"))
}

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = WINDOWS_1252.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn encoding_warnings(r: &ImportReport) -> Vec<&String> {
    r.warnings
        .iter()
        .filter(|w| w.starts_with("encoding:"))
        .collect()
}

/// The Instapaper CSV of a French reader, as Excel on Windows saves it.
fn instapaper_csv() -> String {
    let mut csv = String::from("URL,Title,Selection,Folder,Timestamp,Tags\r\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "https://e.com/{i},Résumé des cafés {i},Crème brûlée à Orléans,Unread,1700000000,\r\n"
        ));
    }
    csv
}

#[test]
fn a_windows_1252_instapaper_csv_keeps_its_accents_and_says_it_guessed() {
    let mut lib = Library::open_in_memory().unwrap();
    let r = import(&mut lib, &windows_1252(&instapaper_csv()));
    assert_eq!((r.format.as_str(), r.imported), ("instapaper", 300));
    let all = stories(&lib);
    let s = by_url(&all, "https://e.com/7");
    assert_eq!(s.title, "Résumé des cafés 7");
    assert_eq!(s.excerpt.as_deref(), Some("Crème brûlée à Orléans"));
    assert!(all.iter().all(|s| !s.title.contains('\u{FFFD}')));
    let said = encoding_warnings(&r);
    assert_eq!(said.len(), 1, "{:?}", r.warnings);
    assert!(said[0].contains("windows-1252") && said[0].contains("guess"));
}

#[test]
fn a_pocket_html_export_declaring_windows_1252_is_read_as_declared() {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" \
         content=\"text/html; charset=windows-1252\"><title>Pocket Export</title></head>\
         <body><h1>Unread</h1><ul>",
    );
    for i in 0..200 {
        html.push_str(&format!(
            "<li><a href=\"https://e.com/{i}\" time_added=\"1700000000\" tags=\"café\">Caf\u{e9}s de Paris {i}</a></li>"
        ));
    }
    html.push_str("</ul></body></html>");
    let mut lib = Library::open_in_memory().unwrap();
    let r = import(&mut lib, &windows_1252(&html));
    assert_eq!((r.format.as_str(), r.imported), ("pocket-html", 200));
    let all = stories(&lib);
    assert_eq!(by_url(&all, "https://e.com/5").title, "Cafés de Paris 5");
    assert_eq!(by_url(&all, "https://e.com/5").tags, ["café"]);
    assert!(encoding_warnings(&r).is_empty(), "{:?}", r.warnings);
}

/// A bookmark file as a browser writes it, in `charset`: `folders` folders
/// of `per_folder` links, each folder with a subfolder holding every third
/// link; Firefox's folder descriptions on even folders.
fn bookmarks(folders: usize, per_folder: usize, charset: &str) -> String {
    let mut html = format!(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n\
         <META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset={charset}\">\n\
         <TITLE>Bookmarks</TITLE>\n<H1>Bookmarks Menu</H1>\n<DL><p>\n"
    );
    let mut n = 0;
    for f in 0..folders {
        html.push_str(&format!(
            "    <DT><H3 ADD_DATE=\"1616337559\" LAST_MODIFIED=\"1616337559\">Dossier {f} été</H3>\n"
        ));
        if f % 2 == 0 {
            html.push_str("    <DD>Les liens du dossier\n");
        }
        html.push_str("    <DL><p>\n");
        let sub = per_folder / 3;
        for _ in 0..per_folder - sub {
            html.push_str(&format!(
                "        <DT><A HREF=\"https://e.com/{n}\" ADD_DATE=\"1616337559\">Lien {n}</A>\n"
            ));
            n += 1;
        }
        html.push_str(&format!(
            "        <DT><H3 ADD_DATE=\"1616337559\">Sous-dossier {f}</H3>\n        <DL><p>\n"
        ));
        for _ in 0..sub {
            html.push_str(&format!(
                "            <DT><A HREF=\"https://e.com/{n}\" ADD_DATE=\"1616337559\">Lien {n}</A>\n"
            ));
            html.push_str(&format!("            <DD>Note {n}\n"));
            n += 1;
        }
        html.push_str("        </DL><p>\n    </DL><p>\n");
    }
    html.push_str("</DL><p>\n");
    html
}

#[test]
fn a_bookmark_file_declaring_windows_1252_is_read_as_declared() {
    let mut lib = Library::open_in_memory().unwrap();
    let r = import(&mut lib, &windows_1252(&bookmarks(4, 30, "windows-1252")));
    assert_eq!((r.format.as_str(), r.imported), ("netscape", 120));
    let all = stories(&lib);
    assert_eq!(by_url(&all, "https://e.com/0").tags, ["Dossier 0 été"]);
    assert!(encoding_warnings(&r).is_empty(), "{:?}", r.warnings);
}

#[test]
fn utf16_files_with_a_bom_import_in_both_byte_orders() {
    for big_endian in [false, true] {
        let mut lib = Library::open_in_memory().unwrap();
        let r = import(
            &mut lib,
            &decode::utf16_with_bom(&bookmarks(3, 30, "UTF-16"), big_endian),
        );
        assert_eq!((r.format.as_str(), r.imported), ("netscape", 90));
        let r = import(
            &mut lib,
            &decode::utf16_with_bom(&instapaper_csv(), big_endian),
        );
        assert_eq!(
            (r.format.as_str(), r.imported, r.merged),
            ("instapaper", 210, 90)
        );
        let all = stories(&lib);
        assert_eq!(by_url(&all, "https://e.com/0").tags, ["Dossier 0 été"]);
        assert_eq!(
            by_url(&all, "https://e.com/200").title,
            "Résumé des cafés 200"
        );
        assert!(encoding_warnings(&r).is_empty(), "{:?}", r.warnings);
        let opml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<opml version=\"2.0\"><body>\
            <outline text=\"Actualités\" xmlUrl=\"https://e.com/feed.xml\"/></body></opml>";
        let r = import(&mut lib, &decode::utf16_with_bom(opml, big_endian));
        assert_eq!((r.format.as_str(), r.imported), ("opml", 1));
        assert_eq!(lib.feeds().unwrap()[0].title, "Actualités");
    }
}

/// 2021-03-21T14:39:19Z, as written by each exporter.
const SAVED: &str = "2021-03-21T14:39:19Z";

#[test]
fn seconds_milliseconds_and_microseconds_are_the_same_day() {
    let mut html = String::from("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n");
    let dates = [
        "1616337559",
        "1616337559000",
        "1616337559000000",
        "4102444800",
    ];
    // 400 links: under the nesting limit that unclosed <DT>s reach
    // without the limit_nesting fix (the 3,000-link tests below need it).
    for i in 0..400 {
        html.push_str(&format!(
            "<DT><A HREF=\"https://e.com/{i}\" ADD_DATE=\"{}\">L{i}</A>\n",
            dates[i % 4]
        ));
    }
    let mut lib = Library::open_in_memory().unwrap();
    let before = chrono::Utc::now();
    let r = import(&mut lib, html.as_bytes());
    assert_eq!(r.imported, 400);
    let all = stories(&lib);
    for i in [0, 1, 2, 397, 398] {
        assert_eq!(
            by_url(&all, &format!("https://e.com/{i}")).saved_at,
            SAVED,
            "{i}"
        );
    }
    // 2100 is out of range: a warning each, and the import's time.
    let late: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.contains("year 2100"))
        .collect();
    assert_eq!(late.len(), 100, "{:?}", r.warnings.first());
    assert!(late[0].starts_with("bookmark 4 (https://e.com/3): \"4102444800\""));
    let when =
        chrono::DateTime::parse_from_rfc3339(&by_url(&all, "https://e.com/3").saved_at).unwrap();
    assert!(when >= before - chrono::Duration::seconds(1), "{when}");

    // Pocket's time_added in microseconds, in its HTML and its CSV.
    let mut lib = Library::open_in_memory().unwrap();
    let html = "<html><head><title>Pocket Export</title></head><body><h1>Read Archive</h1><ul>\
        <li><a href=\"https://e.com/p\" time_added=\"1616337559000000\">P</a></li></ul></body></html>";
    let r = import(&mut lib, html.as_bytes());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let csv = "title,url,time_added,tags,status\nC,https://e.com/c,1616337559000000,,unread\n";
    let r = import(&mut lib, csv.as_bytes());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let all = stories(&lib);
    assert_eq!(by_url(&all, "https://e.com/p").saved_at, SAVED);
    assert_eq!(by_url(&all, "https://e.com/c").saved_at, SAVED);
}

#[test]
fn a_gloss_export_with_an_impossible_date_keeps_the_story_read() {
    let mut lib = Library::open_in_memory().unwrap();
    import(
        &mut lib,
        b"title,url,time_added,tags,status\nA,https://e.com/a,1616337559,,archive\n",
    );
    let ids = export::list_ids(&lib, &ListQuery::default()).unwrap();
    let mut doc = gloss_json::library_json(&lib, &ids, &mut || Ok(())).unwrap();
    // What an earlier Gloss exported for a microsecond ADD_DATE.
    doc.stories[0].saved_at = "+53189-01-08T02:24:39.000Z".into();
    doc.stories[0].read_at = Some("+53189-01-08T02:24:39.000Z".into());
    let json = serde_json::to_vec(&doc).unwrap();
    let mut fresh = Library::open_in_memory().unwrap();
    let r = import(&mut fresh, &json);
    assert_eq!((r.format.as_str(), r.imported), ("gloss", 1));
    let s = &stories(&fresh)[0];
    assert!(s.read && s.archived, "{s:?}");
    assert!(!s.saved_at.starts_with('+'), "{}", s.saved_at);
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    assert!(r.warnings[0].starts_with("https://e.com/a (saved): \"+53189"));
}

#[test]
fn folder_and_bookmark_descriptions_keep_tags_and_notes() {
    // Firefox: a folder with a description; Shaarli and linkding: a
    // description under a bookmark, TAGS, TOREAD and microsecond dates.
    let html = "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n\
        <META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n\
        <TITLE>Bookmarks</TITLE>\n<H1>Bookmarks Menu</H1>\n<DL><p>\n\
        <DT><H3 ADD_DATE=\"1616337559\">Recettes</H3>\n\
        <DD>What to cook this winter\n\
        <DL><p>\n\
            <DT><A HREF=\"https://e.com/soup\" ADD_DATE=\"1616337559\">Soup</A>\n\
            <DT><H3>Desserts</H3>\n\
            <DD>Sweet things\n\
            <DL><p>\n\
                <DT><A HREF=\"https://e.com/tart\">Tart</A>\n\
                <DD>Grandmother's &lt;best&gt; tart\nwith apples\n\
            </DL><p>\n\
        </DL><p>\n\
        <DT><A HREF=\"https://e.com/shaarli\" ADD_DATE=\"1616337559\" PRIVATE=\"0\" TAGS=\"rust,web\">Shaarli link</A>\n\
        <DD>A description written in Shaarli\n\
        <DT><A HREF=\"https://e.com/linkding\" ADD_DATE=\"1616337559000000\" TOREAD=\"1\" TAGS=\"later\">linkding</A>\n\
        <DD>Saved with linkding\n\
        <DT><A HREF=\"https://e.com/plain\">No description</A>\n\
        </DL><p>\n";
    let mut lib = Library::open_in_memory().unwrap();
    let r = import(&mut lib, html.as_bytes());
    assert_eq!(r.imported, 5, "{r:?}");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let all = stories(&lib);
    assert_eq!(by_url(&all, "https://e.com/soup").tags, ["Recettes"]);
    let tart = by_url(&all, "https://e.com/tart");
    assert_eq!(tart.tags, ["Desserts", "Recettes"]);
    assert_eq!(
        tart.excerpt.as_deref(),
        Some("Grandmother's <best> tart\nwith apples")
    );
    let shaarli = by_url(&all, "https://e.com/shaarli");
    assert_eq!(shaarli.tags, ["rust", "web"]);
    assert_eq!(
        shaarli.excerpt.as_deref(),
        Some("A description written in Shaarli")
    );
    let linkding = by_url(&all, "https://e.com/linkding");
    assert_eq!(linkding.excerpt.as_deref(), Some("Saved with linkding"));
    assert_eq!(linkding.saved_at, SAVED);
    assert!(!linkding.read);
    let plain = by_url(&all, "https://e.com/plain");
    assert_eq!(plain.excerpt, None);
    assert!(plain.tags.is_empty());
}

#[test]
fn a_bookmark_export_reads_back_with_stars_archive_read_tags_and_notes() {
    // 450 stories in every combination of starred, archived and read
    // (under the nesting limit that a bookmark file's unclosed <DT>s reach
    // without the limit_nesting fix; the 3,000-link tests below need it).
    let mut csv = String::from("title,url,time_added,tags,status\n");
    for i in 0..450 {
        let status = if i % 2 == 0 { "archive" } else { "unread" };
        csv.push_str(&format!(
            "Story {i},https://e.com/{i},{},t{}|all,{status}\n",
            1_616_337_559 + i,
            i % 7
        ));
    }
    let mut lib = Library::open_in_memory().unwrap();
    assert_eq!(import(&mut lib, csv.as_bytes()).imported, 450);
    let ids = export::list_ids(&lib, &ListQuery::default()).unwrap();
    let starred: Vec<_> = ids.iter().copied().filter(|id| id % 3 == 0).collect();
    lib.set_starred(&starred, true).unwrap();
    let read: Vec<_> = ids.iter().copied().filter(|id| id % 5 == 0).collect();
    lib.set_read(&read, true).unwrap();
    let before = stories(&lib);
    assert!(before.iter().any(|s| s.starred && !s.archived && !s.read));
    assert!(before.iter().any(|s| s.read && !s.archived));

    let (file, counts) = export::text_export(&lib, export::ExportFormat::Netscape, &ids).unwrap();
    assert_eq!(counts.stories, 450);
    let mut fresh = Library::open_in_memory().unwrap();
    let r = import(&mut fresh, file.as_bytes());
    assert_eq!((r.format.as_str(), r.imported), ("netscape", 450));
    assert!(r.failed.is_empty() && r.warnings.is_empty(), "{r:?}");
    let after = stories(&fresh);
    let state = |s: &StorySummary| {
        (
            s.url.clone(),
            s.title.clone(),
            s.saved_at.clone(),
            s.starred,
            s.archived,
            s.read,
            s.tags.clone(),
            s.excerpt.clone(),
        )
    };
    assert_eq!(
        after.iter().map(state).collect::<Vec<_>>(),
        before.iter().map(state).collect::<Vec<_>>()
    );
}

#[test]
fn a_csv_with_an_unclosed_quote_in_the_middle_loses_no_row() {
    let mut csv = String::from("URL,Title,Selection,Folder,Timestamp,Tags\n");
    for i in 0..2000 {
        let title = match i {
            // The stray quote: never closed on its line.
            1000 => "\"Broken, title".to_string(),
            // Well-quoted fields further on, which the stray quote would
            // pair with.
            1003 => "\"Quoted, \"\"well\"\"\"".to_string(),
            1004 => "\"Two\nlines\"".to_string(),
            _ => format!("Title {i}"),
        };
        csv.push_str(&format!(
            "https://e.com/{i},{title},,Unread,1700000000,\"[\"\"t\"\"]\"\n"
        ));
    }
    let mut lib = Library::open_in_memory().unwrap();
    let r = import(&mut lib, csv.as_bytes());
    assert_eq!((r.imported, r.failed.len()), (2000, 0), "{r:?}");
    assert_eq!(
        r.warnings,
        [
            "line 1002: a quote opens a field here and is never closed; this line was read on \
          its own with its quotes as written, and the lines after it as rows"
        ]
    );
    let all = stories(&lib);
    assert_eq!(by_url(&all, "https://e.com/1000").title, "Broken, title");
    assert_eq!(by_url(&all, "https://e.com/1001").title, "Title 1001");
    assert_eq!(by_url(&all, "https://e.com/1003").title, "Quoted, \"well\"");
    assert_eq!(by_url(&all, "https://e.com/1004").title, "Two lines");
    assert_eq!(by_url(&all, "https://e.com/1999").tags, ["t"]);
}

#[test]
fn rows_without_an_address_fail_with_their_line() {
    let csv = "title,url,time_added,tags,status\nA,https://e.com/a,1616337559,,unread\n\
               \"B\nbroken over lines\",,1616337559,,unread\nC,https://e.com/c,1616337559,,unread\n";
    let mut lib = Library::open_in_memory().unwrap();
    let r = import(&mut lib, csv.as_bytes());
    assert_eq!(r.imported, 2);
    let failed: Vec<_> = r
        .failed
        .iter()
        .map(|f| (f.item.as_str(), f.reason.as_str()))
        .collect();
    assert_eq!(failed, [("line 3", "no URL in the url column")]);
}

/// Imports a bookmark file of `folders` × `per_folder` links and checks that
/// every link is a story tagged with its folders. Needs `limit_nesting` to
/// see that unclosed `<DT>`s do not nest.
fn every_bookmark_kept_with_its_folders(folders: usize, per_folder: usize) {
    let html = bookmarks(folders, per_folder, "UTF-8");
    let mut lib = Library::open_in_memory().unwrap();
    let r = import(&mut lib, html.as_bytes());
    let total = folders * per_folder;
    assert_eq!((r.imported, r.failed.len()), (total as u32, 0));
    let all = stories(&lib);
    assert_eq!(all.len(), total);
    let by_url: std::collections::HashMap<&str, &StorySummary> =
        all.iter().map(|s| (s.url.as_str(), s)).collect();
    let mut n = 0;
    for f in 0..folders {
        let sub = per_folder / 3;
        for i in 0..per_folder {
            let want = if i < per_folder - sub {
                vec![format!("Dossier {f} été")]
            } else {
                vec![format!("Dossier {f} été"), format!("Sous-dossier {f}")]
            };
            let s = by_url[format!("https://e.com/{n}").as_str()];
            let mut tags = s.tags.clone();
            tags.sort();
            assert_eq!(tags, want, "link {n}");
            assert_eq!(s.saved_at, SAVED);
            n += 1;
        }
    }
}

#[test]
fn three_thousand_bookmarks_in_folders_all_arrive_tagged() {
    every_bookmark_kept_with_its_folders(30, 100);
}

#[test]
fn twenty_thousand_bookmarks_in_folders_all_arrive_tagged() {
    every_bookmark_kept_with_its_folders(100, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bookmark_description_outlives_the_fetch_of_its_page() {
    use crate::testing::{FixtureServer, Route};
    let page = "<html><head><title>Fetched</title>\
        <meta name=\"description\" content=\"The page's own summary\"></head><body><article>\
        <p>A long article body with enough words in it that the extraction keeps it as the \
        story, and a few more words after that for good measure.</p></article></body></html>";
    let server = FixtureServer::start(vec![("/a", Route::html(page)), ("/b", Route::html(page))]);
    let html = format!(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n\
         <DT><A HREF=\"{}\" ADD_DATE=\"1616337559\">A</A>\n<DD>Why I kept this\n\
         <DT><A HREF=\"{}\" ADD_DATE=\"1616337559\">B</A>\n</DL><p>\n",
        server.url("/a"),
        server.url("/b")
    );
    let mut lib = Library::open_in_memory().unwrap();
    let never = tokio_util::sync::CancellationToken::new();
    let prepared = prepare(html.as_bytes(), None, ZipLimits::default()).unwrap();
    import::run(&mut lib, prepared, None, &never, &mut |_| {})
        .await
        .unwrap();
    let fetcher = crate::fetch::Fetcher::new().unwrap();
    let report = fetch::fetch_missing(&mut lib, &fetcher, u32::MAX, true, &never, &mut |_, _| {})
        .await
        .unwrap();
    assert_eq!(report.fetched, 2, "{report:?}");
    let all = stories(&lib);
    let a = by_url(&all, &server.url("/a"));
    assert_eq!(a.excerpt.as_deref(), Some("Why I kept this"));
    assert!(a.word_count > 10, "the page was stored: {a:?}");
    let b = by_url(&all, &server.url("/b"));
    assert_eq!(b.excerpt.as_deref(), Some("The page's own summary"));
}
