//! The `gloss` command line as scripts and people use it: the real binary, a
//! temporary library, pages served from fixtures on 127.0.0.1.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use gloss_core::testing::{FixtureServer, Route};
use serde_json::Value;
use support::Gloss;

const INDONESIAN: &str = "../shared/fixtures/articles/putin-kim-denuclearization.id.txt";

fn shared_fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel.trim_start_matches("../"))
}

impl Gloss {
    fn ids(&self, args: &[&str]) -> Vec<i64> {
        let mut all = vec!["list", "--json"];
        all.extend_from_slice(args);
        self.json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    }
}

fn article_page(image_src: &str) -> String {
    let para = "The harbour committee met again on Tuesday to weigh the proposal for a new ferry \
                terminal, and residents filled the hall to argue for and against it at length.";
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
        <title>Ferry terminal plan divides the harbour town | Coast News</title>
        <meta property="og:site_name" content="Coast News"></head>
        <body>
        <nav class="site-nav"><a href="/">Home</a> <a href="/sport">Sport</a> NAVIGATION-MENU-ITEM</nav>
        <header><div class="masthead">Coast News masthead</div></header>
        <main><article>
          <h1>Ferry terminal plan divides the harbour town</h1>
          <p class="byline">By Ana Ruiz</p>
          <p>{para} The first speaker called it overdue.</p>
          <figure><img src="{image_src}" alt="The old ferry pier at dawn" width="640" height="400">
          <figcaption>The old pier.</figcaption></figure>
          <p>{para} A second speaker worried about traffic.</p>
          <p>{para} The council will vote next month.</p>
          <p>{para} Until then the plans are on display in the library.</p>
        </article></main>
        <footer class="site-footer">FOOTER-COPYRIGHT-NOTICE Coast News 2026</footer>
        </body></html>"#
    )
}

/// A 1x1 PNG.
fn png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

#[test]
fn an_indonesian_text_file_is_saved_titled_detected_and_searchable() {
    let g = Gloss::new();
    let path = shared_fixture(INDONESIAN);
    let file_text = std::fs::read_to_string(&path).unwrap();
    let first_line = file_text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap()
        .trim();
    let saved = g.json(&["save", path.to_str().unwrap(), "--json"]);
    let saved = saved.as_array().unwrap();
    assert_eq!(saved.len(), 1);
    let story = &saved[0];
    assert_eq!(story["title"], first_line);
    assert_eq!(story["language"], "id");
    assert!(story["word_count"].as_u64().unwrap() > 300);
    let id = story["id"].as_i64().unwrap();
    assert!(story["url"].as_str().unwrap().starts_with("file://"));

    for query in ["denuklirisasi", "jaminan keamanan", "Putin", "nuklir"] {
        let hits = g.json(&["search", query, "--json"]);
        let ids: Vec<i64> = hits
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![id], "search {query:?}");
        let hit = &hits[0];
        assert!(hit["title"].is_string() && hit["snippet"].is_string());
    }

    // The whole body: every paragraph of the file after the title.
    // (Runs of white space, such as a no-break space after "Baca Juga:", read as one space.)
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = words(&g.ok(&["show", &id.to_string(), "--format", "text"]));
    for para in file_text
        .lines()
        .skip_while(|l| l.trim() != first_line)
        .skip(1)
    {
        let para = words(para);
        if !para.is_empty() {
            assert!(
                text.contains(&para),
                "missing from show --format text: {para:?}"
            );
        }
    }
}

#[test]
fn a_web_page_is_saved_with_its_image_and_reads_with_the_server_gone() {
    let g = Gloss::new();
    let server = FixtureServer::start(vec![
        ("/story", Route::html(&article_page("/img/pier.png"))),
        ("/img/pier.png", Route::bytes("image/png", png())),
    ]);
    let url = format!(
        "{}?utm_source=newsletter&id=7#comments",
        server.url("/story")
    );
    let saved = g.json(&["save", &url, "--json", "--tag", "harbour"]);
    let id = saved[0]["id"].as_i64().unwrap();
    assert_eq!(
        saved[0]["title"],
        "Ferry terminal plan divides the harbour town"
    );
    assert_eq!(
        saved[0]["url"],
        format!("{}?id=7", server.url("/story")),
        "tracking parameters and fragment dropped"
    );
    assert_eq!(server.hits("/img/pier.png"), 1);
    let remote_image = server.url("/img/pier.png");
    server.stop();

    let html = g.ok(&["show", &id.to_string(), "--format", "html"]);
    assert!(html.contains("gloss-asset://localhost/"), "{html}");
    assert!(
        !html.contains(&remote_image) && !html.contains("/img/pier.png"),
        "no remote image URL: {html}"
    );
    assert!(
        !html.contains("NAVIGATION-MENU-ITEM") && !html.contains("FOOTER-COPYRIGHT-NOTICE"),
        "{html}"
    );
    assert!(html.contains("A second speaker worried about traffic."));

    // The image itself is in the library.
    let check = g.json(&["check", "--json"]);
    assert_eq!(check["assets"], 1);
    assert_eq!(check["ok"], true);

    // Saving again (the server is gone: from a second server with new text) updates, never duplicates.
    let server = FixtureServer::start(vec![(
        "/story",
        Route::html(&article_page("/img/pier.png")),
    )]);
    let again = g.json(&["save", &server.url("/story"), "--json", "--no-images"]);
    assert_eq!(g.ids(&[]).len(), 2, "a different host is a different story");
    let _ = again;

    assert!(g.ids(&["--starred"]).is_empty());
    g.ok(&["star", &id.to_string()]);
    assert_eq!(g.ids(&["--starred"]), vec![id]);
    let listed = g.json(&["list", "--json", "--starred"]);
    let s = &listed[0];
    for key in [
        "id",
        "title",
        "url",
        "site",
        "saved_at",
        "starred",
        "archived",
        "read",
        "tags",
        "reading_minutes",
    ] {
        assert!(s.get(key).is_some(), "list --json lacks {key}");
    }
    assert_eq!(s["starred"], true);
    assert_eq!(s["site"], "Coast News");
    assert_eq!(s["tags"], serde_json::json!(["harbour"]));
    g.ok(&["unstar", &id.to_string()]);
    assert!(g.ids(&["--starred"]).is_empty());
}

#[test]
fn saving_the_same_url_twice_keeps_one_story() {
    let g = Gloss::new();
    let server = FixtureServer::start(vec![("/a", Route::html(&article_page("/missing.png")))]);
    let first = g.json(&["save", &server.url("/a"), "--json"]);
    let second = g.json(&[
        "save",
        &format!("{}?fbclid=xyz", server.url("/a")),
        "--json",
    ]);
    assert_eq!(first[0]["id"], second[0]["id"]);
    assert_eq!(g.ids(&[]).len(), 1);
    // The image failed (404): its alt text stands in, and the story is saved.
    let html = g.ok(&["show", &first[0]["id"].to_string(), "--format", "html"]);
    assert!(html.contains("The old ferry pier at dawn"), "{html}");
    assert!(!html.contains("<img"), "{html}");
}

#[test]
fn organising_commands_change_what_lists_show() {
    let g = Gloss::new();
    let dir = tempfile::tempdir().unwrap();
    let mut ids = Vec::new();
    for n in 0..3 {
        let p = dir.path().join(format!("note{n}.txt"));
        std::fs::write(
            &p,
            format!("Note number {n}\n\nSome body text for note {n}."),
        )
        .unwrap();
        ids.push(
            g.json(&["save", p.to_str().unwrap(), "--json"])[0]["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let [a, b, c] = [ids[0], ids[1], ids[2]];
    assert_eq!(g.ids(&[]), vec![c, b, a]);
    g.ok(&["archive", &a.to_string()]);
    assert_eq!(g.ids(&["--inbox"]), vec![c, b]);
    assert_eq!(g.ids(&["--archived"]), vec![a]);
    g.ok(&["unarchive", &a.to_string()]);
    g.ok(&["read", &b.to_string(), &c.to_string()]);
    assert_eq!(g.ids(&["--unread"]), vec![a]);
    g.ok(&["unread", &c.to_string()]);
    assert_eq!(g.ids(&["--unread"]), vec![c, a]);
    assert_eq!(
        g.ok(&["tag", &a.to_string(), "work", "later"]).trim(),
        format!("{a}: later, work")
    );
    assert_eq!(g.ids(&["--tag", "work"]), vec![a]);
    g.ok(&["tag", &a.to_string(), "work", "--remove"]);
    assert!(g.ids(&["--tag", "work"]).is_empty());
    assert_eq!(g.ids(&["--limit", "2"]), vec![c, b]);
    g.ok(&["delete", &b.to_string()]);
    assert_eq!(g.ids(&[]), vec![c, a]);
    let shown = g.json(&["show", &a.to_string(), "--format", "json"]);
    for key in [
        "id",
        "title",
        "url",
        "language",
        "byline",
        "published_at",
        "excerpt",
        "html",
        "text",
        "tags",
        "reading_minutes",
    ] {
        assert!(shown.get(key).is_some(), "show --format json lacks {key}");
    }
    let md = g.ok(&["show", &a.to_string(), "--format", "markdown"]);
    assert!(md.starts_with("# Note number 0"), "{md}");
    // An unknown id changes nothing, even next to a good one.
    let err = g.fails(&["star", &a.to_string(), "9999"]);
    assert!(err.contains("9999"), "{err}");
    assert!(g.ids(&["--starred"]).is_empty());
}

#[test]
fn bulk_save_from_standard_input_saves_the_good_and_reports_the_bad() {
    let g = Gloss::new();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.md");
    let b = dir.path().join("b.html");
    std::fs::write(
        &a,
        "# Markdown note\n\nWith *emphasis* and a [link](https://example.com).",
    )
    .unwrap();
    std::fs::write(&b, article_page("https://example.invalid/x.png")).unwrap();
    let input = format!(
        "{}\n\n# a comment line\n{}\n/no/such/file.txt\n",
        a.display(),
        b.display()
    );
    let out = g.run_with_stdin(&["save", "-", "--json", "--no-images"], Some(&input));
    assert_eq!(out.status.code(), Some(1), "one source failed");
    let saved: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(saved.as_array().unwrap().len(), 2);
    assert_eq!(saved[0]["title"], "Markdown note");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.contains("/no/such/file.txt"), "{stderr}");
}

#[test]
fn each_failed_save_is_one_line_and_leaves_the_library_as_it_was() {
    let g = Gloss::new();
    let dir = tempfile::tempdir().unwrap();
    let note = dir.path().join("keep.txt");
    std::fs::write(&note, "Keep me\n\nThis story was here before.").unwrap();
    g.ok(&["save", note.to_str().unwrap()]);
    let before = g.json(&["list", "--json"]);

    let server = FixtureServer::start(vec![
        ("/gone", Route::status(404)),
        (
            "/paper.pdf",
            Route::bytes("application/pdf", b"%PDF-1.7 not a web page".to_vec()),
        ),
        (
            "/data.json",
            Route::bytes("application/json", b"{\"a\":1}".to_vec()),
        ),
    ]);
    // A port nothing listens on: bind, note the port, close.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cases: Vec<(String, &str)> = vec![
        (
            dir.path().join("missing.html").display().to_string(),
            "no such file",
        ),
        ("file:///etc/passwd".into(), "only http and https"),
        ("ftp://example.com/story.html".into(), "only http and https"),
        (server.url("/gone"), "404"),
        (server.url("/paper.pdf"), "application/pdf"),
        (server.url("/data.json"), "application/json"),
        (format!("http://127.0.0.1:{closed_port}/story"), "127.0.0.1"),
    ];
    for (source, expected) in cases {
        let line = g.fails(&["save", &source]);
        assert!(line.contains(expected), "{source}: {line}");
        assert_eq!(
            g.json(&["list", "--json"]),
            before,
            "{source} changed the library"
        );
    }
    assert_eq!(g.json(&["check", "--json"])["ok"], true);
}

#[test]
fn a_failed_save_into_a_new_library_creates_no_file() {
    let g = Gloss::new();
    g.fails(&["save", "ftp://example.com/x"]);
    g.fails(&["save", "/no/such/page.html"]);
    assert!(!g.library.exists());
}

#[test]
fn usage_errors_and_bad_libraries_are_one_line_too() {
    let g = Gloss::new();
    g.fails(&["frobnicate"]);
    g.fails(&["show", "not-a-number"]);
    g.fails(&["show", "42"]);
    let dir = tempfile::tempdir().unwrap();
    let not_a_library = dir.path().join("notes.txt");
    std::fs::write(&not_a_library, "x".repeat(4096)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["--library", not_a_library.to_str().unwrap(), "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a Gloss library"), "{stderr}");
    assert_eq!(
        std::fs::read(&not_a_library).unwrap(),
        "x".repeat(4096).into_bytes()
    );
}

#[test]
fn the_library_path_comes_from_the_environment_when_not_given() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("env.gloss");
    let note = dir.path().join("n.txt");
    std::fs::write(&note, "From the environment\n\nBody.").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["save", note.to_str().unwrap(), "--quiet"])
        .env("GLOSS_LIBRARY", &lib)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "--quiet prints nothing");
    assert!(lib.exists());
}

#[test]
fn check_reports_a_damaged_library_with_exit_code_one() {
    let g = Gloss::new();
    let dir = tempfile::tempdir().unwrap();
    let note = dir.path().join("n.txt");
    std::fs::write(&note, "A note\n\nBody.").unwrap();
    g.ok(&["save", note.to_str().unwrap()]);
    assert!(g.ok(&["check"]).contains("ok"));
    // Damage the file behind the library's back: every page after the first two.
    damage_file(&g.library);
    let out = g.run(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn damage_file(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let page = 4096;
    assert!(bytes.len() > 3 * page, "library is {} bytes", bytes.len());
    for b in &mut bytes[2 * page..] {
        *b = 0x5A;
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_page_that_is_not_an_article_is_kept_and_marked_not_readerable() {
    let g = Gloss::new();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home.html");
    let links: String = (1..=30)
        .map(|n| {
            format!("<li><a href=\"https://example.com/story/{n}\">Headline number {n}</a></li>")
        })
        .collect();
    std::fs::write(&home, format!("<html><head><title>Example front page</title></head><body><nav>Menu</nav><ul>{links}</ul></body></html>")).unwrap();
    let id = g.json(&["save", home.to_str().unwrap(), "--json", "--no-images"])[0]["id"]
        .as_i64()
        .unwrap();
    let shown = g.json(&["show", &id.to_string(), "--format", "json"]);
    assert_eq!(shown["readerable"], false);
    assert!(
        shown["text"]
            .as_str()
            .unwrap()
            .contains("Headline number 7"),
        "kept with what it had"
    );
    let article = dir.path().join("article.html");
    std::fs::write(&article, article_page("https://example.invalid/x.png")).unwrap();
    let id = g.json(&["save", article.to_str().unwrap(), "--json", "--no-images"])[0]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        g.json(&["show", &id.to_string(), "--format", "json"])["readerable"],
        true
    );
}

/// The code points of `text` from `start` to `end`.
fn code_points(text: &str, [start, end]: [usize; 2]) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn search_json_gives_plain_snippets_and_code_point_ranges_of_the_matches() {
    let g = Gloss::new();
    // Before the matches: an emoji (two UTF-16 units, four bytes) and
    // letters of two bytes, so code points, bytes and UTF-16 units differ.
    let text = "Die Straße am Fluss\n\n\
                Grüße aus Zürich 😀 und 𝄞: die lange STRASSE führt zur Straße nach 東京都, \
                wo die Strasse endet.\n";
    let path = g.write("strasse.txt", text);
    g.ok(&["save", &path]);

    let hits = g.json(&["search", "strasse", "--json"]);
    let hit = &hits[0];
    let snippet = hit["snippet"].as_str().expect("a snippet");
    assert!(
        !snippet.contains(['\u{2}', '\u{3}']),
        "plain text: {snippet:?}"
    );
    let matches: Vec<[usize; 2]> = serde_json::from_value(hit["matches"].clone()).unwrap();
    let words: Vec<String> = matches.iter().map(|&m| code_points(snippet, m)).collect();
    // (The title's Straße may be in the snippet too.)
    let body = ["STRASSE", "Straße", "Strasse"].map(String::from);
    assert!(words.ends_with(&body), "{snippet:?} {matches:?}");
    assert!(words.iter().all(|w| body.contains(w)), "{words:?}");
    // Ranges are code points: counted in bytes or UTF-16 units they would
    // select something else in this snippet.
    let [last, _] = matches[matches.len() - 1];
    let prefix: String = snippet.chars().take(last).collect();
    assert!(prefix.len() != last && prefix.encode_utf16().count() != last);

    let hits = g.json(&["search", "東京", "--json"]);
    let snippet = hits[0]["snippet"].as_str().unwrap();
    let matches: Vec<[usize; 2]> = serde_json::from_value(hits[0]["matches"].clone()).unwrap();
    let words: Vec<String> = matches.iter().map(|&m| code_points(snippet, m)).collect();
    assert_eq!(words, ["東京"]);

    // People still read the matches in brackets.
    let text = g.ok(&["search", "strasse"]);
    assert!(
        text.contains("[STRASSE] führt zur [Straße] nach 東京都, wo die [Strasse]"),
        "{text}"
    );
}

/// `gloss … | head`: a reader that takes the first bytes and closes.
fn read_a_little_then_close(g: &Gloss, args: &[&str]) -> std::process::Output {
    use std::io::Read;
    let mut child = support::gloss(&g.library)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("gloss starts");
    let mut stdout = child.stdout.take().expect("a pipe");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).expect("the first bytes");
    drop(stdout);
    child.wait_with_output().expect("gloss ends")
}

#[test]
fn a_reader_that_closes_early_ends_any_output_quietly() {
    let g = Gloss::new();
    // 3,000 stories: each output below is several times the 64 KiB a pipe
    // holds, so gloss is still writing when the reader closes.
    let links: String = (0..3000)
        .map(|i| format!("<DT><A HREF=\"https://news.example/{i}\" ADD_DATE=\"1\">Story number {i} of the day: the harbour committee weighs a new ferry</A></DT>\n"))
        .collect();
    let file = g.write(
        "bookmarks.html",
        format!("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n{links}</DL><p>\n"),
    );
    g.ok(&["import", &file, "--no-fetch"]);
    let full = g.ok(&["list", "--limit", "5000", "--json"]);
    assert!(full.len() > 8 * 65536, "{} bytes", full.len());

    for args in [
        &["list", "--limit", "5000", "--json"][..],
        &["list", "--limit", "5000"],
        &["search", "story", "--limit", "5000", "--json"],
        &["search", "story", "--limit", "5000"],
        &["export", "--format", "netscape"],
    ] {
        let out = read_a_little_then_close(&g, args);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "gloss {args:?} said something"
        );
        assert!(
            matches!(out.status.code(), Some(0) | Some(141)),
            "gloss {args:?} ended with {:?}",
            out.status
        );
    }
}
