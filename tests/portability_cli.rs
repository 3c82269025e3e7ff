//! `gloss import`, `gloss export`, `gloss backup` and `gloss restore` as
//! scripts use them: the real binary, a temporary library, fixture files
//! written here from the formats' documentation (hostile ones included),
//! pages served on 127.0.0.1.

mod support;

use std::io::{Cursor, Read, Write};

use std::path::Path;

use gloss_core::testing::{FixtureServer, Route};
use serde_json::Value;
use support::Gloss;

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    gloss_core::portability::zipread::write_for_tests(files)
}

fn ids(g: &Gloss) -> Vec<Value> {
    g.json(&["list", "--json"]).as_array().unwrap().clone()
}

#[test]
fn a_pocket_csv_imports_and_a_second_import_merges() {
    let g = Gloss::at("lib/library.gloss");
    let csv = g.write(
        "pocket.csv",
        b"\xEF\xBB\xBFtitle,url,time_added,tags,status\n\
          \"Ferry, \"\"terminal\"\"\nplan\",https://e.com/a,1700000000,x|y,archive\n\
          B,https://e.com/b,not a date,,unread\n\
          C,javascript:alert(1),1700000000,,unread\n",
    );
    let r = g.json(&["import", &csv, "--no-fetch", "--json"]);
    assert_eq!(r["format"], "pocket-csv");
    assert_eq!(r["imported"], 2);
    assert_eq!(r["merged"], 0);
    assert_eq!(r["failed"].as_array().unwrap().len(), 1);
    assert!(r["failed"][0]["reason"].as_str().unwrap().contains("http"));
    assert_eq!(r["warnings"].as_array().unwrap().len(), 1);
    let stories = ids(&g);
    let a = stories
        .iter()
        .find(|s| s["url"] == "https://e.com/a")
        .unwrap();
    assert_eq!(a["title"], "Ferry, \"terminal\" plan");
    assert_eq!(a["archived"], true);
    assert_eq!(a["tags"], serde_json::json!(["x", "y"]));
    let r = g.json(&["import", &csv, "--no-fetch", "--json", "--format", "pocket"]);
    assert_eq!(
        (r["imported"].as_u64(), r["merged"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(ids(&g).len(), 2);
    let text = g.ok(&["import", &csv, "--no-fetch"]);
    assert!(
        text.starts_with("imported 0 stories from pocket-csv (2 merged"),
        "{text}"
    );
}

/// A guessed encoding and an impossible date are in the summary the user
/// reads, each on a `warning` line, and the text is not garbled.
#[test]
fn a_guessed_encoding_and_a_date_out_of_range_are_in_the_summary() {
    let g = Gloss::at("lib/library.gloss");
    let mut csv = String::from("URL,Title,Selection,Folder,Timestamp,Tags\r\n");
    csv.push_str("https://e.com/far,Caf\u{e9} du futur,,Unread,4102444800,\r\n");
    for i in 0..200 {
        csv.push_str(&format!(
            "https://e.com/{i},R\u{e9}sum\u{e9} {i},,Unread,1616337559000000,\r\n"
        ));
    }
    // Windows-1252, as Excel saves it: é is the one byte 0xE9.
    let bytes: Vec<u8> = csv
        .chars()
        .map(|c| if c == '\u{e9}' { 0xE9 } else { c as u8 })
        .collect();
    let file = g.write("instapaper.csv", &bytes);
    let text = g.ok(&["import", &file, "--no-fetch"]);
    assert!(
        text.starts_with("imported 201 stories from instapaper"),
        "{text}"
    );
    let warnings: Vec<&str> = text.lines().filter(|l| l.starts_with("warning ")).collect();
    assert_eq!(warnings.len(), 2, "{text}");
    assert!(
        warnings[0].starts_with("warning encoding: ") && warnings[0].contains("windows-1252"),
        "{text}"
    );
    assert!(
        warnings[1].starts_with("warning line 2: \"4102444800\" would be a date in the year 2100"),
        "{text}"
    );
    let stories = ids(&g);
    let one = stories
        .iter()
        .find(|s| s["url"] == "https://e.com/1")
        .unwrap();
    assert_eq!(one["title"], "R\u{e9}sum\u{e9} 1");
    assert_eq!(one["saved_at"], "2021-03-21T14:39:19Z");
}

#[test]
fn a_hostile_zip_writes_nothing_outside_and_reports_what_it_skipped() {
    let g = Gloss::at("lib/library.gloss");
    let bomb = vec![0u8; 65 * 1024 * 1024];
    let zip = zip_of(&[
        (
            "part_000000.csv",
            b"title,url,time_added,tags,status\nA,https://e.com/a,1700000000,,unread\n",
        ),
        ("../../x", b"escaped"),
        ("../../part_000001.csv", b"title,url\nX,https://e.com/x\n"),
        ("link:part_000002.csv", b"/etc/passwd"),
        ("part_000003.csv", &bomb),
    ]);
    let file = g.write("pocket.zip", &zip);
    let r = g.json(&["import", &file, "--no-fetch", "--json"]);
    assert_eq!(r["format"], "pocket-zip");
    assert_eq!(r["imported"], 1);
    let failed: Vec<&str> = r["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["item"].as_str().unwrap())
        .collect();
    assert_eq!(
        failed,
        [
            "../../part_000001.csv",
            "part_000002.csv",
            "part_000003.csv"
        ]
    );
    for p in [
        g.path("x"),
        g.dir.path().join("../x"),
        g.dir.path().join("../../x"),
    ] {
        assert!(!p.exists() || p.is_dir(), "{} was written", p.display());
    }
    let err = g.fails(&["import", &g.write("junk.zip", b"PK\x03\x04 nothing more")]);
    assert!(err.contains("ZIP"), "{err}");
}

#[test]
fn imported_links_are_fetched_and_their_highlights_placed() {
    let page = "<html><head><title>Harbour story</title></head><body><article><p>The council met \
        on Tuesday and the highlighted sentence is here, with enough words around it for the \
        extraction to keep the paragraph.</p></article></body></html>";
    let server = FixtureServer::start(vec![
        ("/a", Route::html(page)),
        ("/gone", Route::status(404)),
    ]);
    let g = Gloss::at("lib/library.gloss");
    let notes = format!(
        r#"[{{"url":"{}","title":"A","highlights":[{{"quote":"the highlighted sentence","created_at":1700000000}}]}}]"#,
        server.url("/a")
    );
    let csv = format!(
        "title,url,time_added,tags,status\nA,{},1700000000,,unread\nGone,{},1700000000,,unread\n",
        server.url("/a"),
        server.url("/gone")
    );
    let file = g.write(
        "pocket.zip",
        zip_of(&[
            ("part_000000.csv", csv.as_bytes()),
            ("annotations/part_000000.json", notes.as_bytes()),
        ]),
    );
    let out = g.run(&["import", &file, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["imported"], 2);
    assert_eq!(r["highlights"], 1);
    assert_eq!(r["fetched"], 1);
    assert_eq!(r["fetch_failed"].as_array().unwrap().len(), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("fetching content 2/2"));
    let a = ids(&g)
        .into_iter()
        .find(|s| s["url"] == server.url("/a"))
        .unwrap();
    assert_eq!(a["title"], "Harbour story");
    let notes = g.json(&["annotations", &a["id"].to_string(), "--json"]);
    assert_eq!(notes[0]["orphaned"], false);
    // The page that failed waits; fetch-pending resumes with it alone.
    server.set_route("/gone", Route::html(page));
    let again = g.json(&["fetch-pending", "--json"]);
    assert_eq!(again["fetched"], 1);
}

#[test]
fn every_format_is_told_from_its_content() {
    let g = Gloss::at("lib/library.gloss");
    let files: [(&str, &[u8], &str); 6] = [
        ("i.csv", b"URL,Title,Selection,Folder,Timestamp,Tags\nhttps://e.com/i,I,,Starred,1700000000,\"[\"\"t\"\"]\"\n", "instapaper"),
        ("w.json", br#"[{"url":"https://e.com/w","title":"W","is_archived":1,"is_starred":0,"content":"<p>Some body text of the entry that is long enough.</p>","tags":["t"],"annotations":[{"quote":"body text","text":"n"}]}]"#, "wallabag"),
        ("r.csv", b"Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags,URL\nquote,T,,,,,,,,2023-01-01 00:00:00,,https://e.com/r\n", "readwise"),
        ("b.html", b"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p><DT><H3>F</H3><DL><p><DT><A HREF=\"https://e.com/b\" ADD_DATE=\"1\">B</A></DL><p></DL>", "netscape"),
        ("p.html", b"<!DOCTYPE html><html><head><title>Pocket Export</title></head><body><h1>Unread</h1><ul><li><a href=\"https://e.com/p\" time_added=\"1\" tags=\"t\">P</a></li></ul></body></html>", "pocket-html"),
        ("f.opml", b"<?xml version=\"1.0\"?><opml version=\"2.0\"><head/><body><outline type=\"rss\" text=\"F\" xmlUrl=\"https://e.com/feed\"/></body></opml>", "opml"),
    ];
    for (name, bytes, format) in files {
        let path = g.write(name, bytes);
        let r = g.json(&["import", &path, "--no-fetch", "--json"]);
        assert_eq!(r["format"], format, "{name}");
        assert_eq!(r["imported"], 1, "{name}: {r}");
    }
    let err = g.fails(&["import", &g.write("x.txt", b"just some text\n")]);
    assert!(err.contains("--format"), "{err}");
    let err = g.fails(&[
        "import",
        &g.write("y.csv", b"a,b\n"),
        "--format",
        "evernote",
    ]);
    assert!(err.contains("not an import format"), "{err}");
    g.fails(&["import", &g.path("missing.csv").to_string_lossy()]);
}

#[test]
fn json_export_round_trips_and_story_exports_take_filters() {
    let g = Gloss::at("lib/library.gloss");
    let csv = g.write(
        "p.csv",
        b"title,url,time_added,tags,status\nA,https://e.com/a,1700000000,x,archive\nB,https://e.com/b,1700000100,y,unread\n",
    );
    g.ok(&["import", &csv, "--no-fetch"]);
    g.ok(&["star", "1"]);
    let first = g.path("one.zip");
    g.ok(&[
        "export",
        "--format",
        "json",
        "--out",
        &first.to_string_lossy(),
    ]);
    let h = Gloss::at("lib/library.gloss");
    let r = h.json(&["import", &first.to_string_lossy(), "--no-fetch", "--json"]);
    assert_eq!(r["format"], "gloss");
    assert_eq!(r["imported"], 2);
    let second = h.path("two.zip");
    h.ok(&[
        "export",
        "--format",
        "json",
        "--out",
        &second.to_string_lossy(),
    ]);
    assert_eq!(library_json(&first), library_json(&second));

    let bookmarks = g.ok(&["export", "--format", "netscape", "--tag", "y"]);
    assert!(bookmarks.contains("https://e.com/b") && !bookmarks.contains("https://e.com/a"));
    let epub = g.path("starred.epub");
    let out = g.ok(&[
        "export",
        "--format",
        "epub",
        "--starred",
        "--out",
        &epub.to_string_lossy(),
    ]);
    assert!(out.contains("exported 1 story"), "{out}");
    let err = g.fails(&["export", "--format", "epub", "--unread", "--tag", "nothing"]);
    assert!(err.contains("--out"), "{err}");
    let err = g.fails(&[
        "export",
        "--format",
        "epub",
        "--tag",
        "nothing",
        "--out",
        &g.path("e.epub").to_string_lossy(),
    ]);
    assert!(err.contains("no story matches"), "{err}");
    assert!(!g.path("e.epub").exists() && !g.path("e.epub.partial").exists());
}

fn library_json(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = gloss_core::portability::zipread::read(
        &bytes,
        Default::default(),
        |n| n == "library.json",
        &mut Vec::new(),
    )
    .unwrap();
    let entry = archive.remove(0);
    let mut s = String::new();
    Cursor::new(entry.bytes).read_to_string(&mut s).unwrap();
    s
}

#[test]
fn backup_and_restore() {
    let g = Gloss::at("lib/library.gloss");
    let csv = g.write(
        "p.csv",
        b"title,url,time_added,tags,status\nA,https://e.com/a,1,,unread\n",
    );
    g.ok(&["import", &csv, "--no-fetch"]);
    let backup = g.path("backup.gloss");
    let out = g.ok(&["backup", "--out", &backup.to_string_lossy()]);
    assert!(out.starts_with("backed up"), "{out}");
    let more = g.write(
        "q.csv",
        b"title,url,time_added,tags,status\nB,https://e.com/b,1,,unread\n",
    );
    g.ok(&["import", &more, "--no-fetch"]);
    assert_eq!(ids(&g).len(), 2);
    let damaged = g.write("damaged.gloss", b"SQLite format 3\0garbage".repeat(200));
    let err = g.fails(&["restore", &damaged]);
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(ids(&g).len(), 2);
    let out = g.ok(&["restore", &backup.to_string_lossy()]);
    assert!(out.contains("before-restore"), "{out}");
    assert_eq!(ids(&g).len(), 1);
    assert!(g
        .library
        .with_file_name("library.gloss.before-restore")
        .exists());
    let _ = std::io::stdout().flush();
}

#[test]
fn hash_bang_links_are_three_stories_in_an_empty_library() {
    let g = Gloss::new();
    let csv = g.write(
        "pocket.csv",
        b"title,url,time_added,tags,status\n\
          A,https://twitter.com/#!/jack/status/20,1700000000,,unread\n\
          B,https://groups.google.com/forum/#!topic/rust/abc,1700000000,,unread\n\
          C,https://mail.example/#inbox/123,1700000000,,unread\n",
    );
    let text = g.ok(&["import", &csv, "--no-fetch"]);
    assert!(
        text.starts_with("imported 3 stories from pocket-csv (0 merged"),
        "{text}"
    );
    let urls: Vec<Value> = ids(&g).into_iter().map(|s| s["url"].clone()).collect();
    assert_eq!(urls.len(), 3);
    assert!(urls.contains(&Value::from("https://twitter.com/#!/jack/status/20")));
}

#[test]
fn a_firefox_json_backup_named_netscape_is_refused() {
    let g = Gloss::new();
    let backup = g.write(
        "bookmarks-2024-01-01.json",
        br#"{"guid":"root________","title":"","type":"text/x-moz-place-container","root":"placesRoot",
            "children":[{"guid":"toolbar_____","type":"text/x-moz-place-container","children":[
            {"title":"A","type":"text/x-moz-place","uri":"https://e.com/a","tags":"x,y"}]}]}"#,
    );
    for args in [
        vec!["import", &backup, "--format", "netscape", "--no-fetch"],
        vec!["import", &backup, "--no-fetch"],
    ] {
        let line = g.fails(&args);
        assert!(line.contains("Firefox bookmarks backup (JSON)"), "{line}");
        assert!(line.contains("Export Bookmarks to HTML"), "{line}");
    }
    assert!(
        !g.library.exists(),
        "a refused file leaves no library behind"
    );
}

#[test]
fn a_second_import_reports_no_highlights_added() {
    let g = Gloss::new();
    let file = g.write(
        "wallabag.json",
        br#"[{"title":"W","url":"https://e.com/w","is_archived":0,"is_starred":0,
            "content":"<p>Plenty of harbour words before the quoted part and after it too.</p>",
            "annotations":[{"text":"","quote":"harbour words"},{"text":"","quote":"the quoted part"}]}]"#,
    );
    let first = g.ok(&["import", &file, "--no-fetch"]);
    assert!(first.contains("2 highlights added"), "{first}");
    let again = g.json(&["import", &file, "--no-fetch", "--json"]);
    assert_eq!(
        (&again["merged"], &again["highlights"]),
        (&Value::from(1), &Value::from(0))
    );
}

#[test]
fn reading_commands_do_not_create_a_library_where_there_is_none() {
    let g = Gloss::at("typo/library.gloss");
    let out = g.path("out.zip");
    let out = out.to_string_lossy();
    for args in [
        vec!["list"],
        vec!["show", "1"],
        vec!["search", "harbour"],
        vec!["export", "--format", "json", "--out", &out],
        vec!["annotations"],
        vec!["check"],
        vec!["star", "1"],
        vec!["feeds", "list"],
        vec!["feeds", "refresh"],
        vec!["feeds", "remove", "1"],
        vec!["fetch-pending"],
    ] {
        let line = g.fails(&args);
        assert!(line.contains("there is no library at"), "{args:?}: {line}");
        assert!(line.contains("typo/library.gloss"), "{line}");
    }
    assert!(!g.library.exists() && !g.path("typo").exists());

    let empty = Gloss::new();
    std::fs::write(&empty.library, b"").unwrap();
    for args in [vec!["list"], vec!["export", "--format", "netscape"]] {
        let line = empty.fails(&args);
        assert!(line.contains("is an empty file (0 bytes)"), "{line}");
    }
    assert_eq!(std::fs::metadata(&empty.library).unwrap().len(), 0);

    // Commands that add to a library still start one.
    let csv = g.write(
        "links.csv",
        b"title,url,time_added,tags,status\nA,https://e.com/a,1,,unread\n",
    );
    g.ok(&["import", &csv, "--no-fetch"]);
    assert_eq!(ids(&g).len(), 1);
}

#[test]
fn a_gloss_zip_with_a_bad_checksum_is_refused_as_damaged() {
    let g = Gloss::new();
    let json = br#"{"format":"gloss-export","version":1,"feeds":[],"stories":[]}"#;
    let mut zip = zip_of(&[("library.json", json.as_slice())]);
    // One byte of library.json's compressed data, after its local header.
    zip[30 + "library.json".len() + 5] ^= 0x55;
    let file = g.write("gloss-export.zip", &zip);
    let line = g.fails(&["import", &file, "--no-fetch"]);
    assert!(
        line.contains("library.json in the archive is damaged"),
        "{line}"
    );
    assert!(!g.library.exists());
}

#[test]
fn wallabag_v1_named_wallabag_keeps_its_tags_and_read_state() {
    let g = Gloss::new();
    let file = g.write(
        "wallabag-v1.json",
        br#"[{"0":"3","1":"Features","id":"3","title":"Features","url":"https://e.com/features/",
            "is_read":"1","is_fav":"1","content":"","user_id":"1","tags":"tools,self-hosting"},
            {"0":"10","id":"10","title":"Slider","url":"https://e.com/slider","is_read":"0",
            "is_fav":"0","content":"","user_id":"1","tags":""}]"#,
    );
    let r = g.json(&[
        "import",
        &file,
        "--format",
        "wallabag",
        "--no-fetch",
        "--json",
    ]);
    assert_eq!(
        (&r["format"], &r["imported"]),
        (&Value::from("wallabag"), &Value::from(2))
    );
    let stories = ids(&g);
    let features = stories
        .iter()
        .find(|s| s["url"] == "https://e.com/features/")
        .unwrap();
    assert_eq!(
        (
            &features["read"],
            &features["archived"],
            &features["starred"]
        ),
        (&Value::from(true), &Value::from(true), &Value::from(true))
    );
    assert_eq!(
        features["tags"],
        serde_json::json!(["self-hosting", "tools"])
    );
    let slider = stories
        .iter()
        .find(|s| s["url"] == "https://e.com/slider")
        .unwrap();
    assert_eq!(
        (&slider["read"], &slider["starred"]),
        (&Value::from(false), &Value::from(false))
    );
}
