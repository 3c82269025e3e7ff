//! Hostile import files: zip slip, absolute paths, symlinks, zip bombs,
//! addresses of other schemes, CSV formulas, and every markup vector in
//! the content other readers export. Import never writes outside the
//! library, never runs or stores active content, and reports what it left out.

use gloss_core::model::ListQuery;
use gloss_core::portability::import::{apply, prepare};
use gloss_core::portability::item::ImportReport;
use gloss_core::portability::netscape;
use gloss_core::portability::zipread::{write_for_tests, ZipLimits};
use gloss_core::{ErrorKind, Library};

use crate::all_stories;
use crate::oracle::assert_safe;

fn import(lib: &mut Library, bytes: &[u8], limits: ZipLimits) -> gloss_core::Result<ImportReport> {
    apply(lib, prepare(bytes, None, limits)?)
}

fn failed_items(report: &ImportReport) -> Vec<String> {
    report.failed.iter().map(|f| f.item.clone()).collect()
}

const POCKET_CSV: &[u8] =
    b"title,url,time_added,tags,status\nGood,https://e.example/good,1700000000,,unread\n";

/// Entry names that would write outside a folder if extracted: skipped and
/// reported; the good entry is still imported, and nothing lands on disk.
#[test]
fn zip_slip_and_absolute_paths_are_skipped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let before: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    let cwd = std::env::current_dir().unwrap();
    let bytes = write_for_tests(&[
        ("part_000000.csv", POCKET_CSV),
        (
            "../../evil.csv",
            b"title,url\nEvil,https://e.example/evil\n",
        ),
        ("/tmp/abs.csv", b"title,url\nAbs,https://e.example/abs\n"),
        ("..\\..\\win.csv", b"title,url\nWin,https://e.example/win\n"),
        ("a/../../up.csv", b"title,url\nUp,https://e.example/up\n"),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    let report = import(&mut lib, &bytes, ZipLimits::default()).unwrap();
    assert_eq!(report.imported, 1, "{report:?}");
    let failed = failed_items(&report);
    for name in [
        "../../evil.csv",
        "/tmp/abs.csv",
        "..\\..\\win.csv",
        "a/../../up.csv",
    ] {
        assert!(
            failed.iter().any(|f| f == name),
            "{name} not reported: {failed:?}"
        );
    }
    let urls: Vec<String> = all_stories(&lib)
        .into_iter()
        .map(|s| s.summary.url)
        .collect();
    assert_eq!(urls, ["https://e.example/good"]);
    assert!(!std::path::Path::new("/tmp/abs.csv").exists());
    assert!(!cwd.join("../../evil.csv").exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), before.len());
}

#[test]
fn symlink_entries_are_never_followed() {
    let bytes = write_for_tests(&[
        ("part_000000.csv", POCKET_CSV),
        ("link:passwd.csv", b"/etc/passwd"),
        ("link:notes.csv", b"../../home/user/.ssh/id_rsa"),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    let report = import(&mut lib, &bytes, ZipLimits::default()).unwrap();
    assert_eq!(report.imported, 1);
    assert!(
        failed_items(&report).contains(&"passwd.csv".to_string()),
        "{report:?}"
    );
    for s in all_stories(&lib) {
        assert!(!s.text.contains("root:"), "{}", s.text);
    }
}

/// One entry that unpacks past the per-entry limit is skipped; an archive
/// that unpacks past the total stops with a clear error and writes nothing.
#[test]
fn zip_bombs_stop_at_the_limits() {
    let zeros = vec![b'a'; 3 * 1024 * 1024];
    let limits = ZipLimits {
        entry_bytes: 1024 * 1024,
        total_bytes: 2 * 1024 * 1024,
        entries: 100,
    };
    let bytes = write_for_tests(&[("part_000000.csv", POCKET_CSV), ("bomb.csv", &zeros)]);
    assert!(bytes.len() < 100 * 1024, "a bomb is small: {}", bytes.len());
    let mut lib = Library::open_in_memory().unwrap();
    let report = import(&mut lib, &bytes, limits).unwrap();
    assert_eq!(report.imported, 1);
    assert!(failed_items(&report).contains(&"bomb.csv".to_string()));

    let half = vec![b'a'; 900 * 1024];
    let many: Vec<(String, &[u8])> = (0..4)
        .map(|i| (format!("part_{i:06}.csv"), half.as_slice()))
        .collect();
    let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let bytes = write_for_tests(&refs);
    let mut lib = Library::open_in_memory().unwrap();
    let err = import(&mut lib, &bytes, limits).expect_err("over the total");
    assert_eq!(err.kind(), ErrorKind::TooLarge, "{err}");
    assert!(err.to_string().contains("ZIP bomb"), "{err}");
    assert_eq!(lib.info().unwrap().stories, 0);

    let names: Vec<String> = (0..101).map(|i| format!("f{i}.csv")).collect();
    let entries: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), b"x".as_slice()))
        .collect();
    let err = import(&mut lib, &write_for_tests(&entries), limits).expect_err("too many entries");
    assert_eq!(err.kind(), ErrorKind::TooLarge, "{err}");
}

/// Rows whose address is not a web address are reported, not imported.
#[test]
fn rows_with_other_schemes_are_refused() {
    let csv = "title,url,time_added,tags,status\n\
        Js,javascript:alert(1),1700000000,,unread\n\
        File,file:///etc/passwd,1700000000,,unread\n\
        Data,data:text/html;base64,PHNjcmlwdD4=,1700000000,,unread\n\
        Creds,https://u:p@e.example/x,1700000000,,unread\n\
        Good,https://e.example/ok,1700000000,,unread\n";
    let mut lib = Library::open_in_memory().unwrap();
    let report = import(&mut lib, csv.as_bytes(), ZipLimits::default()).unwrap();
    assert_eq!(report.imported, 1, "{report:?}");
    assert_eq!(report.failed.len(), 4, "{report:?}");
    let urls: Vec<String> = all_stories(&lib)
        .into_iter()
        .map(|s| s.summary.url)
        .collect();
    assert_eq!(urls, ["https://e.example/ok"]);

    // A Gloss export is held to the same rule (its local-file stories aside).
    let doc = serde_json::json!({"format": "gloss-export", "version": 1, "feeds": [], "stories": [
        story_json("javascript:alert(1)", "Js", "<p>x</p>"),
        story_json("data:text/html,x", "Data", "<p>x</p>"),
        story_json("https://e.example/fine", "Fine", "<p>fine</p>"),
    ]});
    let mut lib = Library::open_in_memory().unwrap();
    let report = import(&mut lib, doc.to_string().as_bytes(), ZipLimits::default()).unwrap();
    let urls: Vec<String> = all_stories(&lib)
        .into_iter()
        .map(|s| s.summary.url)
        .collect();
    assert_eq!(urls, ["https://e.example/fine"], "{report:?}");
    assert_eq!(report.failed.len(), 2, "{report:?}");
}

fn story_json(url: &str, title: &str, html: &str) -> serde_json::Value {
    serde_json::json!({
        "url": url, "url_key": url, "title": title, "byline": null, "site": null, "language": null,
        "dir": null, "excerpt": null, "published_at": null, "saved_at": "2024-01-01T00:00:00.000Z",
        "read_at": null, "starred": false, "archived": false, "progress": 0.0, "word_count": 1,
        "readerable": true, "lead_image": null, "feed": null, "tags": [], "html": html,
        "text": format!("Imported story {title}"), "assets": [], "annotations": []
    })
}

/// Spreadsheet formulas (CSV injection) are titles like any other: kept as
/// text, never evaluated, and escaped in the bookmarks export.
#[test]
fn csv_formulas_stay_text_and_exports_escape_markup() {
    let csv = "URL,Title,Selection,Folder,Timestamp\n\
        https://e.example/1,\"=cmd|' /C calc'!A0\",,Unread,1700000000\n\
        https://e.example/2,\"@SUM(1+1)*cmd|' /C calc'!A0\",,Unread,1700000001\n\
        https://e.example/3,\"<script>alert(1)</script>\"\" onmouseover=\"\"x\",,Unread,1700000002\n";
    let mut lib = Library::open_in_memory().unwrap();
    let report = import(&mut lib, csv.as_bytes(), ZipLimits::default()).unwrap();
    assert_eq!(report.imported, 3, "{report:?}");
    let titles: Vec<String> = all_stories(&lib)
        .into_iter()
        .map(|s| s.summary.title)
        .collect();
    assert!(
        titles.contains(&"=cmd|' /C calc'!A0".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"@SUM(1+1)*cmd|' /C calc'!A0".to_string()),
        "{titles:?}"
    );
    let stories = lib.list(&ListQuery::default()).unwrap().stories;
    let html = netscape::write(&stories);
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("\" onmouseover"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

/// Every markup vector as the article content of a wallabag export, an
/// Omnivore export and a Gloss export: sanitized on import like a save.
#[test]
fn every_markup_vector_in_imported_content_is_stored_safe() {
    let vectors = crate::markup::VECTORS;
    let content = |name: &str, v: &str| format!("<p>Imported story {name}.</p>{v}<p>The end.</p>");

    let wallabag: Vec<serde_json::Value> = vectors
        .iter()
        .enumerate()
        .map(|(n, (name, v))| {
            serde_json::json!({"is_archived": 0, "is_starred": 0, "title": format!("{name} {v}"),
                "url": format!("https://e.example/w{n}"), "content": content(name, v), "tags": []})
        })
        .collect();

    let mut metadata = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (n, (name, v)) in vectors.iter().enumerate() {
        metadata.push(
            serde_json::json!({"id": format!("o{n}"), "slug": format!("o{n}"), "title": name,
            "url": format!("https://e.example/o{n}"), "state": "Active", "labels": []}),
        );
        files.push((format!("content/o{n}.html"), content(name, v).into_bytes()));
    }
    files.push((
        "metadata_0_to_99.json".into(),
        serde_json::to_vec(&metadata).unwrap(),
    ));
    let omnivore = write_for_tests(
        &files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect::<Vec<_>>(),
    );

    let gloss = serde_json::json!({"format": "gloss-export", "version": 1, "feeds": [], "stories":
        vectors.iter().enumerate().map(|(n, (name, v))| story_json(&format!("https://e.example/g{n}"), name,
            &format!("{}<img src=\"gloss-asset://localhost/{}\" onerror=alert(1)>", content(name, v), "0".repeat(64))))
            .collect::<Vec<_>>()});

    for (what, bytes) in [
        ("wallabag", serde_json::to_vec(&wallabag).unwrap()),
        ("omnivore", omnivore),
        ("gloss", gloss.to_string().into_bytes()),
    ] {
        let mut lib = Library::open_in_memory().unwrap();
        let report = import(&mut lib, &bytes, ZipLimits::default())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let stories = all_stories(&lib);
        assert_eq!(stories.len(), vectors.len(), "{what}: {report:?}");
        for s in stories {
            assert_safe(&format!("{what}: {}", s.summary.title), &s.html);
            assert!(s.text.contains("Imported story"), "{what}: {}", s.text);
        }
    }
}
