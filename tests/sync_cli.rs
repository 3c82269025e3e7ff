//! `gloss sync` with the real binary: two libraries share a folder.

mod support;

use support::Gloss;

fn setup(g: &Gloss, folder: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["sync", "setup", "folder", folder];
    args.extend_from_slice(extra);
    g.run(&args)
}

#[test]
fn two_libraries_sync_stories_and_marks_through_a_folder() {
    let a = Gloss::new();
    let b = Gloss::new();
    let shared = a.path("shared");
    std::fs::create_dir(&shared).unwrap();
    let folder = shared.to_str().unwrap();
    let text = a.write(
        "note.txt",
        "A note to sync\n\nThe first paragraph of a note that goes to the other computer.",
    );
    a.ok(&["save", &text]);
    assert!(setup(&a, folder, &[]).status.success());
    let sent = a.json(&["sync", "now", "--json"]);
    assert!(sent["uploaded"].as_u64().unwrap() > 0, "{sent}");
    assert!(sent["took"].is_u64());

    assert!(setup(&b, folder, &[]).status.success());
    let got = b.json(&["sync", "now", "--json"]);
    assert_eq!(got["downloaded"], 1, "{got}");
    assert_eq!(got["skipped"], 0);
    let listed = b.json(&["list", "--json"]);
    let story = &listed.as_array().unwrap()[0];
    assert_eq!(story["title"], "A note to sync");
    let id = story["id"].as_i64().unwrap().to_string();

    b.ok(&["star", &id]);
    let status = b.json(&["sync", "status", "--json"]);
    assert_eq!(status["on"], true);
    assert_eq!(status["waiting"], 1, "{status}");
    b.ok(&["sync", "now"]);
    a.ok(&["sync", "now"]);
    let starred = a.json(&["list", "--starred", "--json"]);
    assert_eq!(starred.as_array().unwrap().len(), 1);

    let status = a.json(&["sync", "status", "--json"]);
    assert_eq!(status["waiting"], 0);
    assert!(status["last_sync"].is_string(), "{status}");
    assert!(status["last_error"].is_null());
    let text = a.ok(&["sync", "status"]);
    assert!(text.contains("last sync: 20"), "{text}");

    a.ok(&["sync", "off"]);
    assert_eq!(a.json(&["sync", "status", "--json"])["on"], false);
    let err = a.fails(&["sync", "now"]);
    assert!(err.contains("sync is off"), "{err}");
}

#[test]
fn a_library_with_its_own_stories_needs_merge_and_a_missing_folder_is_refused() {
    let a = Gloss::new();
    let shared = a.path("shared");
    std::fs::create_dir(&shared).unwrap();
    let folder = shared.to_str().unwrap();
    assert!(setup(&a, folder, &[]).status.success());

    let c = Gloss::new();
    let text = c.write(
        "own.txt",
        "My own story\n\nSomething this library had before.",
    );
    c.ok(&["save", &text]);
    let refused = setup(&c, folder, &[]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("--merge") && err.lines().count() == 1, "{err}");
    assert_eq!(c.json(&["sync", "status", "--json"])["on"], false);
    assert!(setup(&c, folder, &["--merge"]).status.success());
    c.ok(&["sync", "now"]);
    a.ok(&["sync", "now"]);
    assert_eq!(a.json(&["list", "--json"]).as_array().unwrap().len(), 1);

    let gone = c.path("not-mounted");
    let refused = setup(&c, gone.to_str().unwrap(), &[]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("mounted"), "{err}");
}
