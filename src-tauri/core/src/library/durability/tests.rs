use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::damage::{corrupt_table, overwrite};
use super::health::Depth;
use super::{aside, backups, health, rotation};
use crate::library::{Library, NewStory, MIGRATIONS};
use crate::model::BackupKind;
use crate::ErrorKind;

fn library_with_stories(path: &Path, n: u32) -> Library {
    let mut lib = Library::open(path).unwrap();
    for i in 0..n {
        lib.store_story(NewStory {
            url: format!("https://example.com/{i}"),
            url_key: format!("https://example.com/{i}"),
            title: format!("Story {i}"),
            html: format!("<p>{}</p>", "words ".repeat(200)),
            text: "words ".repeat(200),
            ..Default::default()
        })
        .unwrap();
    }
    lib
}

impl Library {
    /// What a killed process leaves: the file closed by nobody, its session
    /// still counted.
    fn crash(self) {
        let Library { conn, session, .. } = self;
        drop(conn);
        if let Some(s) = session {
            s.abandon();
        }
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_backup_is_verified_listed_and_holds_the_stories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    let lib = library_with_stories(&path, 3);
    let info = lib.take_backup(BackupKind::Daily).unwrap();
    assert_eq!(info.stories, Some(3));
    assert!(info
        .path
        .starts_with(&dir.path().join("backups").display().to_string()));
    assert_eq!(
        health::verify(Path::new(&info.path), Depth::Quick).unwrap(),
        3
    );
    let listed = backups::list(&path).unwrap();
    assert_eq!(listed, vec![info]);
    // Nothing half-made is left behind.
    assert_eq!(names_in(&dir.path().join("backups")).len(), 1);
}

#[test]
fn file_names_round_trip_and_ignore_other_files() {
    let lib = Path::new("/x/my.lib.gloss");
    let t = 1_793_620_800_123;
    let name = backups::file_name(lib, BackupKind::Upgrade, t);
    assert_eq!(name, "my.lib.gloss.upgrade.20261102T120000123Z.gloss");
    let d = backups::parse_file_name(lib, &name).unwrap();
    assert_eq!((d.kind, d.taken_at), (BackupKind::Upgrade, t));
    let other = Path::new("/x/other.gloss");
    assert!(backups::parse_file_name(other, &name).is_none());
    assert!(backups::parse_file_name(lib, &format!("{name}.partial")).is_none());
    assert!(
        backups::parse_file_name(lib, "my.lib.gloss.weekly.20261102T120000123Z.gloss").is_none()
    );
    assert!(backups::parse_file_name(lib, "my.lib.gloss.daily.yesterday.gloss").is_none());
}

#[test]
fn a_damaged_file_fails_verification() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    drop(library_with_stories(&path, 50));
    corrupt_table(&path, "articles");
    let err = health::verify(&path, Depth::Quick).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Database);
    assert!(err.to_string().contains("damaged"), "{err}");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just some words ".repeat(50)).unwrap();
    assert!(health::verify(&text, Depth::Quick).is_err());
}

#[test]
fn a_backup_of_a_damaged_library_is_deleted_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    drop(library_with_stories(&path, 50));
    corrupt_table(&path, "articles");
    let err = backups::take_of_file(&path, BackupKind::Daily).unwrap_err();
    assert!(
        err.to_string().contains("failed its check and was deleted"),
        "{err}"
    );
    assert!(names_in(&dir.path().join("backups")).is_empty());
}

#[test]
fn rotation_deletes_the_backups_the_policy_does_not_keep() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    let lib = library_with_stories(&path, 1);
    let first = lib.take_backup(BackupKind::Daily).unwrap();
    // Twenty older daily backups, one a day, as copies of the real one.
    let now = chrono::Utc::now().timestamp_millis();
    let day = backups::DAILY_INTERVAL_MS;
    for d in 1..=20 {
        let name = backups::file_name(&path, BackupKind::Daily, now - d * day);
        std::fs::copy(&first.path, dir.path().join("backups").join(name)).unwrap();
    }
    let deleted = backups::rotate(&path).unwrap();
    let left = backups::list(&path).unwrap();
    let dates: Vec<rotation::Dated> = left
        .iter()
        .map(|b| {
            let name = Path::new(&b.path).file_name().unwrap().to_string_lossy();
            backups::parse_file_name(&path, &name).unwrap()
        })
        .collect();
    assert!(rotation::keep(&dates).iter().all(|k| *k));
    assert_eq!(left.len() + deleted.len(), 21);
    assert!(left.len() <= rotation::KEEP_DAILY + rotation::KEEP_WEEKLY);
    assert!(
        left.len() > rotation::KEEP_DAILY,
        "weeklies kept too: {}",
        left.len()
    );
    // The newest is always kept.
    assert_eq!(left[0].path, first.path);
}

#[test]
fn a_daily_backup_is_due_only_after_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    let lib = library_with_stories(&path, 1);
    let now = chrono::Utc::now().timestamp_millis();
    assert!(backups::daily_due(&path, now).unwrap());
    lib.take_backup(BackupKind::Upgrade).unwrap();
    assert!(
        backups::daily_due(&path, now).unwrap(),
        "an upgrade backup is not a daily"
    );
    lib.take_backup(BackupKind::Daily).unwrap();
    assert!(!backups::daily_due(&path, now).unwrap());
    assert!(backups::daily_due(&path, now + backups::DAILY_INTERVAL_MS + 1000).unwrap());
}

#[test]
fn an_upgrade_is_preceded_by_a_verified_backup_of_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.gloss");
    let old = MIGRATIONS.len() - 1;
    {
        let conn = Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..old] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", old as u32)
            .unwrap();
    }
    let lib = Library::open(&path).unwrap();
    assert_eq!(lib.schema_version().unwrap(), MIGRATIONS.len() as u32);
    let listed = backups::list(&path).unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].kind, BackupKind::Upgrade);
    let conn = Connection::open(&listed[0].path).unwrap();
    let v: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        v as usize, old,
        "the backup is of the file before the upgrade"
    );
    // A new library has nothing to back up.
    let fresh = dir.path().join("new.gloss");
    drop(Library::open(&fresh).unwrap());
    assert!(backups::list(&fresh).unwrap().is_empty());
}

#[test]
fn an_unclean_exit_with_a_damaged_page_is_refused_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    library_with_stories(&path, 50).crash();
    corrupt_table(&path, "articles");
    let err = Library::open(&path).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::Database);
    let msg = err.to_string();
    assert!(
        msg.contains("damaged") && msg.contains("not closed cleanly"),
        "{msg}"
    );
    // And again: a failed check does not clear the mark.
    assert!(Library::open(&path).is_err());
}

#[test]
fn an_unclean_exit_of_a_sound_file_opens_after_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    library_with_stories(&path, 5).crash();
    let lib = Library::open(&path).unwrap();
    assert_eq!(lib.info().unwrap().stories, 5);
}

#[test]
fn a_damaged_page_after_a_clean_exit_is_found_by_the_file_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    drop(library_with_stories(&path, 50));
    assert!(health::check_file(&path).unwrap().is_empty());
    corrupt_table(&path, "articles");
    let problems = health::check_file(&path).unwrap();
    assert!(!problems.is_empty());
}

#[test]
fn only_what_was_a_library_counts_as_a_damaged_one() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "Buy rope.\n".repeat(50)).unwrap();
    assert!(!aside::was_a_library(&notes), "a text file");
    assert!(!aside::was_a_library(&dir.path().join("missing.db")));

    // A SQLite file whatever its name, one named *.gloss whatever it holds.
    let sqlite = dir.path().join("reading.db");
    drop(library_with_stories(&sqlite, 1));
    overwrite(&sqlite, 100, &[0x42; 4000]);
    assert!(aside::was_a_library(&sqlite), "a SQLite header");
    let named = dir.path().join("mine.gloss");
    std::fs::write(&named, "Buy rope.\n").unwrap();
    assert!(aside::was_a_library(&named), "named like a library");

    // A ruined header under another name: its backups tell.
    let kept = dir.path().join("kept.db");
    library_with_stories(&kept, 2)
        .take_backup(BackupKind::Daily)
        .unwrap();
    overwrite(&kept, 0, &[0x42; 100]);
    assert!(aside::was_a_library(&kept), "it has backups");
}

#[test]
fn a_damaged_header_is_refused_on_open_and_the_file_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    drop(library_with_stories(&path, 5));
    overwrite(&path, 0, &[0x42; 100]);
    let before = std::fs::read(&path).unwrap();
    let err = Library::open(&path).err().unwrap();
    assert!(err.to_string().contains("damaged"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!health::check_file(&path).unwrap().is_empty());
}

#[test]
fn a_damaged_library_is_set_aside_with_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.gloss");
    drop(library_with_stories(&path, 2));
    std::fs::write(dir.path().join("library.gloss-wal"), b"log").unwrap();
    let aside: PathBuf = aside::set_aside(&path, 1_793_620_800_000).unwrap();
    assert_eq!(
        aside.file_name().unwrap().to_string_lossy(),
        "library.gloss.damaged-20261102T120000Z"
    );
    assert!(!path.exists());
    assert_eq!(
        std::fs::read(
            dir.path()
                .join("library.gloss.damaged-20261102T120000Z-wal")
        )
        .unwrap(),
        b"log"
    );
    // A second one at the same second gets its own name.
    drop(library_with_stories(&path, 1));
    let again = aside::set_aside(&path, 1_793_620_800_000).unwrap();
    assert_ne!(again, aside);
    assert!(aside.exists() && again.exists());
}

/// The durability modules' own sources, without their unit tests (where
/// `super` is the module itself).
const PARTS: [(&str, &str); 9] = [
    ("aside", include_str!("aside.rs")),
    ("backups", include_str!("backups.rs")),
    ("copy", include_str!("copy.rs")),
    ("damage", include_str!("damage.rs")),
    ("files", include_str!("files.rs")),
    ("health", include_str!("health.rs")),
    ("restore", include_str!("restore.rs")),
    ("rotation", include_str!("rotation.rs")),
    ("sessions", include_str!("sessions.rs")),
];

/// Which sibling modules a durability module names through `super::`.
fn siblings_used(source: &str) -> Vec<&'static str> {
    let code = source.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    let mut used = Vec::new();
    for (at, _) in code.match_indices("super::") {
        let rest = &code[at + "super::".len()..];
        let names: Vec<&str> = match rest.strip_prefix('{') {
            Some(group) => group.split('}').next().unwrap_or("").split(',').collect(),
            None => vec![rest],
        };
        for name in names {
            let first = name.trim().split([':', ';', ' ', '(']).next().unwrap_or("");
            if let Some((part, _)) = PARTS.iter().find(|(p, _)| *p == first) {
                if !used.contains(part) {
                    used.push(*part);
                }
            }
        }
    }
    used
}

/// A cycle in `graph` (module, the modules it uses), as the path around it.
fn cycle<'a>(graph: &[(&'a str, Vec<&'a str>)]) -> Option<Vec<&'a str>> {
    fn visit<'a>(
        node: &'a str,
        graph: &[(&'a str, Vec<&'a str>)],
        path: &mut Vec<&'a str>,
        done: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(start) = path.iter().position(|n| *n == node) {
            let mut found = path[start..].to_vec();
            found.push(node);
            return Some(found);
        }
        if done.contains(&node) {
            return None;
        }
        path.push(node);
        let uses = graph.iter().find(|(n, _)| *n == node).map(|(_, u)| u);
        for next in uses.into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.push(node);
        None
    }
    let mut done = Vec::new();
    graph
        .iter()
        .find_map(|(node, _)| visit(node, graph, &mut Vec::new(), &mut done))
}

fn durability_graph() -> Vec<(&'static str, Vec<&'static str>)> {
    PARTS
        .iter()
        .map(|(name, source)| (*name, siblings_used(source)))
        .collect()
}

#[test]
fn the_durability_modules_form_a_tree() {
    let graph = durability_graph();
    // The reader sees the imports it must (a reader that sees nothing finds no cycle).
    let uses = |name: &str| graph.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    assert_eq!(uses("aside"), ["files", "backups", "sessions"]);
    assert!(uses("backups").contains(&"health"));
    assert!(uses("health").is_empty() && uses("files").is_empty());
    assert_eq!(cycle(&graph), None);
}

#[test]
fn a_back_import_between_the_durability_modules_is_a_cycle() {
    let mut graph = durability_graph();
    let health = graph.iter_mut().find(|(n, _)| *n == "health").unwrap();
    health.1 = siblings_used("use super::backups::list;\nfn f() {}\n");
    assert_eq!(health.1, ["backups"]);
    let found = cycle(&graph).expect("health -> backups -> health");
    assert!(
        found.contains(&"health") && found.contains(&"backups"),
        "{found:?}"
    );
}
