//! `gloss sync` with the real binary: two libraries share a folder, or a
//! real WebDAV server (rclone) with end-to-end encryption.

mod support;

use std::process::Output;

use gloss_core::testing::rclone::RcloneWebDav;
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

/// `gloss sync setup webdav … --password-stdin [--encrypt]`: the password on
/// the first line of standard input, the passphrase on the next.
fn setup_webdav(g: &Gloss, dav: &RcloneWebDav, secrets: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "sync",
        "setup",
        "webdav",
        dav.url(),
        "--user",
        &dav.user,
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    g.run_with_stdin(&args, Some(secrets))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn two_libraries_sync_through_a_real_webdav_server_encrypted_end_to_end() {
    let a = Gloss::new();
    let b = Gloss::new();
    let served = a.path("served");
    std::fs::create_dir(&served).unwrap();
    let dav = RcloneWebDav::start(&served);
    let right = format!("{}\ncorrect horse battery\n", dav.password);

    let text = a.write(
        "secret.txt",
        "Plans for the harbour\n\nA paragraph that the storage host must never read.",
    );
    a.ok(&["save", &text]);
    let out = setup_webdav(&a, &dav, &right, &["--encrypt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let status = a.json(&["sync", "status", "--json"]);
    assert_eq!(status["url"], dav.url(), "{status}");
    assert_eq!(status["user"], dav.user.as_str());
    assert_eq!(status["encrypted"], true);
    let sent = a.json(&["sync", "now", "--json"]);
    assert!(sent["uploaded"].as_u64().unwrap() > 0, "{sent}");

    // The host sees only the key file and encrypted names and bytes.
    let mut stored = Vec::new();
    let mut dirs = vec![served.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                stored.push(path);
            }
        }
    }
    assert!(stored.len() >= 3, "{stored:?}");
    for path in &stored {
        let bytes = std::fs::read(path).unwrap();
        let plain = String::from_utf8_lossy(&bytes);
        assert!(!plain.contains("harbour"), "{path:?} shows the story");
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(
            name == "gloss-key.age" || name.chars().all(|c| c.is_ascii_hexdigit()),
            "{name}"
        );
    }
    // The library keeps no secret.
    let library = std::fs::read(a.path("library.gloss")).unwrap();
    let library = String::from_utf8_lossy(&library);
    assert!(!library.contains(&dav.password) && !library.contains("correct horse"));

    // Without --encrypt, with a wrong passphrase or a wrong password: refused,
    // in words that say what to do, and nothing is set up.
    let plain = setup_webdav(&b, &dav, &format!("{}\n", dav.password), &[]);
    assert!(stderr(&plain).contains("--encrypt"), "{}", stderr(&plain));
    let wrong = format!("{}\nincorrect horse\n", dav.password);
    let refused = setup_webdav(&b, &dav, &wrong, &["--encrypt"]);
    assert!(
        stderr(&refused).contains("passphrase"),
        "{}",
        stderr(&refused)
    );
    let denied = setup_webdav(&b, &dav, "not the password\nx\n", &["--encrypt"]);
    assert!(stderr(&denied).contains("401"), "{}", stderr(&denied));
    let missing = setup_webdav(&b, &dav, &format!("{}\n", dav.password), &["--encrypt"]);
    assert!(
        stderr(&missing).contains("passphrase"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(b.json(&["sync", "status", "--json"])["on"], false);
    assert_eq!(b.json(&["list", "--json"]).as_array().unwrap().len(), 0);

    // With both right, B joins and receives the story; its marks come back.
    let out = setup_webdav(&b, &dav, &right, &["--encrypt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = b.json(&["sync", "now", "--json"]);
    assert_eq!(got["skipped"], 0, "{got}");
    let listed = b.json(&["list", "--json"]);
    assert_eq!(listed[0]["title"], "Plans for the harbour", "{listed}");
    let id = listed[0]["id"].as_i64().unwrap().to_string();
    b.ok(&["star", &id]);
    b.ok(&["sync", "now"]);
    a.ok(&["sync", "now"]);
    assert_eq!(
        a.json(&["list", "--starred", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // B turning sync off forgets B's secrets only: A still syncs.
    b.ok(&["sync", "off"]);
    assert_eq!(b.json(&["sync", "status", "--json"])["on"], false);
    a.ok(&["sync", "now"]);
    assert!(a.json(&["sync", "status", "--json"])["last_error"].is_null());
}

#[test]
fn webdav_setup_needs_the_password_on_standard_input() {
    let g = Gloss::new();
    let out = g.run(&[
        "sync",
        "setup",
        "webdav",
        "https://dav.example.org/g",
        "--user",
        "ann",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--password-stdin"),
        "{}",
        stderr(&out)
    );
    let out = g.run_with_stdin(
        &[
            "sync",
            "setup",
            "webdav",
            "http://dav.example.org/g",
            "--user",
            "ann",
            "--password-stdin",
        ],
        Some("pw\n"),
    );
    assert!(stderr(&out).contains("https"), "{}", stderr(&out));
    assert_eq!(g.json(&["sync", "status", "--json"])["on"], false);
}

#[test]
fn moving_to_another_library_forgets_the_old_secrets_and_off_forgets_the_new() {
    let g = Gloss::new();
    let (one, two) = (g.path("one"), g.path("two"));
    std::fs::create_dir(&one).unwrap();
    std::fs::create_dir(&two).unwrap();
    let (dav_one, dav_two) = (RcloneWebDav::start(&one), RcloneWebDav::start(&two));
    let kept = |device: &str| {
        gloss_core::secrets::load(&format!("sync-password:{device}"))
            .unwrap()
            .is_some()
    };
    let device = |g: &Gloss| {
        let status = g.json(&["sync", "status", "--json"]);
        status["device"].as_str().unwrap().to_string()
    };

    let out = setup_webdav(&g, &dav_one, &format!("{}\n", dav_one.password), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = device(&g);
    assert!(kept(&first));

    // An empty server: this library becomes the library there, as a new device.
    let out = setup_webdav(&g, &dav_two, &format!("{}\n", dav_two.password), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let second = device(&g);
    assert_ne!(first, second);
    assert!(!kept(&first), "the first device's password is still kept");
    assert!(kept(&second));

    g.ok(&["sync", "off"]);
    assert!(!kept(&second), "sync off left the password in the keyring");
}
