//! Behaviour of stories, tags, assets and search as a user would notice it.

use super::*;
use crate::model::{ListFilter, ListQuery, SearchQuery};

pub(super) fn story(n: u32, title: &str, text: &str) -> NewStory {
    NewStory {
        url: format!("https://example.com/{n}"),
        url_key: format!("https://example.com/{n}"),
        title: title.into(),
        site: Some("Example".into()),
        html: format!("<p>{text}</p>"),
        text: text.into(),
        word_count: text.split_whitespace().count() as u32,
        ..Default::default()
    }
}

fn asset(byte: u8) -> NewAsset {
    let bytes = vec![byte; 10];
    NewAsset {
        sha256: sha256_hex(&bytes),
        mime: "image/png".into(),
        bytes,
        source_url: format!("https://example.com/{byte}.png"),
    }
}

fn ids(lib: &Library, filter: ListFilter) -> Vec<i64> {
    let q = ListQuery {
        filter,
        ..Default::default()
    };
    lib.list(&q).unwrap().stories.iter().map(|s| s.id).collect()
}

pub(super) fn search(lib: &Library, text: &str) -> Vec<i64> {
    let q = SearchQuery {
        text: text.into(),
        ..Default::default()
    };
    lib.search(&q).unwrap().iter().map(|h| h.id).collect()
}

#[test]
fn saving_the_same_url_again_updates_the_story() {
    let mut lib = Library::open_in_memory().unwrap();
    let first = lib.store_story(story(1, "Old title", "old words")).unwrap();
    assert!(first.created);
    lib.set_starred(&[first.id], true).unwrap();
    let mut again = story(1, "New title", "new words");
    again.tags = vec!["later".into()];
    let second = lib.store_story(again).unwrap();
    assert_eq!(second.id, first.id);
    assert!(!second.created);
    let s = lib.story(first.id).unwrap();
    assert_eq!(s.summary.title, "New title");
    assert_eq!(s.text, "new words");
    assert!(s.summary.starred, "re-saving keeps the star");
    assert_eq!(s.summary.tags, vec!["later"]);
    assert_eq!(lib.counts().unwrap().all, 1);
    assert_eq!(search(&lib, "old"), Vec::<i64>::new());
    assert_eq!(search(&lib, "new"), vec![first.id]);
}

#[test]
fn lists_are_newest_first_and_filtered() {
    let mut lib = Library::open_in_memory().unwrap();
    let a = lib.store_story(story(1, "A", "a")).unwrap().id;
    let b = lib.store_story(story(2, "B", "b")).unwrap().id;
    let c = lib.store_story(story(3, "C", "c")).unwrap().id;
    assert_eq!(ids(&lib, ListFilter::All), vec![c, b, a]);
    lib.set_archived(&[b], true).unwrap();
    lib.set_starred(&[a], true).unwrap();
    lib.set_read(&[c], true).unwrap();
    assert_eq!(ids(&lib, ListFilter::Inbox), vec![c, a]);
    assert_eq!(ids(&lib, ListFilter::Archived), vec![b]);
    assert_eq!(ids(&lib, ListFilter::Starred), vec![a]);
    assert_eq!(ids(&lib, ListFilter::Unread), vec![b, a]);
    assert_eq!(ids(&lib, ListFilter::Annotated), Vec::<i64>::new());
    let counts = lib.counts().unwrap();
    assert_eq!(
        (
            counts.all,
            counts.inbox,
            counts.unread,
            counts.starred,
            counts.archived
        ),
        (3, 2, 2, 1, 1)
    );
    lib.set_archived(&[b], false).unwrap();
    lib.set_starred(&[a], false).unwrap();
    lib.set_read(&[c], false).unwrap();
    let counts = lib.counts().unwrap();
    assert_eq!(
        (counts.inbox, counts.unread, counts.starred, counts.archived),
        (3, 3, 0, 0)
    );
}

#[test]
fn pages_follow_each_other_without_gaps_or_repeats() {
    let mut lib = Library::open_in_memory().unwrap();
    let mut all = Vec::new();
    for n in 0..25 {
        all.push(lib.store_story(story(n, "t", "x")).unwrap().id);
    }
    all.reverse();
    let mut seen = Vec::new();
    let mut q = ListQuery {
        limit: Some(10),
        ..Default::default()
    };
    loop {
        let page = lib.list(&q).unwrap();
        seen.extend(page.stories.iter().map(|s| s.id));
        match page.next {
            Some(next) => q.before = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, all);
}

#[test]
fn an_unknown_id_changes_nothing() {
    let mut lib = Library::open_in_memory().unwrap();
    let a = lib.store_story(story(1, "A", "a")).unwrap().id;
    let err = lib.set_starred(&[a, 999], true).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
    assert!(err.to_string().contains("999"));
    assert!(!lib.summary(a).unwrap().starred);
    assert_eq!(
        lib.delete(&[999]).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
    assert_eq!(
        lib.story(999).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
}

#[test]
fn tags_are_added_removed_and_counted_case_insensitively() {
    let mut lib = Library::open_in_memory().unwrap();
    let a = lib.store_story(story(1, "A", "a")).unwrap().id;
    let b = lib.store_story(story(2, "B", "b")).unwrap().id;
    assert_eq!(
        lib.set_tags(a, &["Rust".into(), "news".into()], &[])
            .unwrap(),
        vec!["news", "Rust"]
    );
    assert_eq!(
        lib.set_tags(b, &["rust".into()], &[]).unwrap(),
        vec!["Rust"]
    );
    let q = ListQuery {
        tag: Some("rust".into()),
        ..Default::default()
    };
    assert_eq!(lib.list(&q).unwrap().stories.len(), 2);
    let counts = lib.counts().unwrap();
    assert_eq!(
        counts
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.count))
            .collect::<Vec<_>>(),
        vec![("news", 1), ("Rust", 2)]
    );
    assert_eq!(
        lib.set_tags(a, &[], &["news".into()]).unwrap(),
        vec!["Rust"]
    );
    assert_eq!(
        lib.counts().unwrap().tags.len(),
        1,
        "an unused tag leaves the sidebar"
    );
    assert!(lib.set_tags(a, &["  ".into()], &[]).is_err());
    assert_eq!(
        lib.set_tags(a, &["it's 100%_done; DROP TABLE tags".into()], &[])
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn progress_is_kept_between_zero_and_one() {
    let mut lib = Library::open_in_memory().unwrap();
    let a = lib.store_story(story(1, "A", "a")).unwrap().id;
    lib.set_progress(a, 0.4).unwrap();
    assert_eq!(lib.summary(a).unwrap().progress, 0.4);
    lib.set_progress(a, 7.0).unwrap();
    assert_eq!(lib.summary(a).unwrap().progress, 1.0);
    assert!(lib.set_progress(a, f64::NAN).is_err());
}

#[test]
fn images_are_shared_by_hash_and_removed_with_their_last_story() {
    let mut lib = Library::open_in_memory().unwrap();
    let mut one = story(1, "A", "a");
    one.assets = vec![asset(1), asset(2)];
    one.lead_image = Some(asset(1).sha256);
    let mut two = story(2, "B", "b");
    two.assets = vec![asset(2)];
    let a = lib.store_story(one).unwrap().id;
    let b = lib.store_story(two).unwrap().id;
    assert_eq!(lib.check().unwrap().assets, 2);
    let s = lib.summary(a).unwrap();
    assert_eq!(s.lead_image, Some(asset_url(&asset(1).sha256)));
    let stored = lib.asset(&asset(1).sha256).unwrap().unwrap();
    assert_eq!(
        (stored.mime.as_str(), stored.bytes),
        ("image/png", vec![1; 10])
    );
    lib.delete(&[a]).unwrap();
    assert!(lib.asset(&asset(1).sha256).unwrap().is_none());
    assert!(
        lib.asset(&asset(2).sha256).unwrap().is_some(),
        "still used by the other story"
    );
    lib.delete(&[b]).unwrap();
    assert_eq!(lib.check().unwrap().assets, 0);
    assert!(lib.check().unwrap().ok);
}

#[test]
fn search_folds_diacritics_and_finds_prefixes_phrases_and_substrings() {
    let mut lib = Library::open_in_memory().unwrap();
    let a = lib
        .store_story(story(
            1,
            "Über alles",
            "Korea Utara ingin melakukan denuklirisasi. Jaminan keamanan bilateral.",
        ))
        .unwrap()
        .id;
    let b = lib
        .store_story(story(2, "Café culture", "A crème brûlée in Paris."))
        .unwrap()
        .id;
    assert_eq!(search(&lib, "uber"), vec![a]);
    assert_eq!(search(&lib, "creme brulee"), vec![b]);
    assert_eq!(search(&lib, "denuklirisasi"), vec![a]);
    assert_eq!(search(&lib, "nuklir"), vec![a], "substring of a long word");
    assert_eq!(search(&lib, "\"jaminan keamanan\""), vec![a]);
    assert_eq!(search(&lib, "\"keamanan jaminan\""), Vec::<i64>::new());
    assert_eq!(search(&lib, "denuk*"), vec![a]);
    assert_eq!(search(&lib, "paris OR korea").len(), 2);
    assert_eq!(search(&lib, "nothing-like-this"), Vec::<i64>::new());
    let hits = lib
        .search(&SearchQuery {
            text: "keamanan".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(
        hits[0].snippet.contains("\u{2}keamanan\u{3}"),
        "{:?}",
        hits[0].snippet
    );
}

#[test]
fn search_finds_cjk_words_inside_longer_runs() {
    let mut lib = Library::open_in_memory().unwrap();
    let a = lib
        .store_story(story(
            1,
            "ニュース",
            "東京都に住む人々は毎日電車に乗ります。",
        ))
        .unwrap()
        .id;
    assert_eq!(search(&lib, "東京"), vec![a]);
    assert_eq!(search(&lib, "電車"), vec![a]);
    assert_eq!(search(&lib, "大阪"), Vec::<i64>::new());
    let hits = lib
        .search(&SearchQuery {
            text: "東京".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(
        hits[0].snippet.contains("\u{2}東京\u{3}都に住む"),
        "{:?}",
        hits[0].snippet
    );
}

#[test]
fn no_typed_query_is_an_error() {
    let mut lib = Library::open_in_memory().unwrap();
    lib.store_story(story(1, "A", "some text here")).unwrap();
    for q in [
        "\"",
        "AND",
        "OR",
        "NOT",
        "(",
        ")",
        "a:b",
        "title:",
        "*",
        "-",
        "NEAR(a b",
        "text\"",
        "'--",
        "'; DROP TABLE articles; --",
        "%",
        "_",
        "a%b_c",
        "^start",
        "col:val*",
        "{a b}",
        "\0",
        "",
        "   ",
        "😀",
        "a AND OR NOT b",
    ] {
        lib.search(&SearchQuery {
            text: q.into(),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{q:?}: {e}"));
    }
    assert_eq!(lib.counts().unwrap().all, 1);
}

#[test]
fn search_filters_narrow_the_results() {
    let mut lib = Library::open_in_memory().unwrap();
    let a = lib
        .store_story(story(1, "Election", "vote count"))
        .unwrap()
        .id;
    let b = lib
        .store_story(story(2, "Election night", "vote"))
        .unwrap()
        .id;
    lib.set_starred(&[a], true).unwrap();
    lib.set_archived(&[b], true).unwrap();
    lib.set_tags(b, &["politics".into()], &[]).unwrap();
    let q = |f: fn(&mut SearchQuery)| {
        let mut q = SearchQuery {
            text: "vote".into(),
            ..Default::default()
        };
        f(&mut q);
        lib.search(&q)
            .unwrap()
            .iter()
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(q(|q| q.starred = Some(true)), vec![a]);
    assert_eq!(q(|q| q.archived = Some(true)), vec![b]);
    assert_eq!(q(|q| q.archived = Some(false)), vec![a]);
    assert_eq!(q(|q| q.tag = Some("politics".into())), vec![b]);
    assert_eq!(q(|q| q.unread = Some(true)).len(), 2);
}

/// Every list and count query the sidebar can make walks an index: no full
/// scan of the stories, and no sort of them (they come out of the index in
/// order). Checked on a library with enough rows for the planner to care.
#[test]
fn list_and_count_queries_use_indexes() {
    use super::stories::{count_sql, list_sql};
    use crate::model::ListCursor;

    let mut lib = Library::open_in_memory().unwrap();
    for n in 0..200 {
        let id = lib.store_story(story(n, "t", "x")).unwrap().id;
        if n % 3 == 0 {
            lib.set_tags(id, &["t".into()], &[]).unwrap();
        }
    }
    lib.conn.execute_batch("ANALYZE").unwrap();
    let plan = |sql: &str| -> Vec<String> {
        let mut stmt = lib
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        // Unbound parameters are NULL, which is fine for a plan.
        let mut rows = stmt.raw_query();
        let mut lines = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            lines.push(row.get::<_, String>(3).unwrap());
        }
        lines
    };
    let filters = [
        ListFilter::All,
        ListFilter::Inbox,
        ListFilter::Unread,
        ListFilter::Starred,
        ListFilter::Archived,
        ListFilter::Annotated,
    ];
    for filter in filters {
        let variants = [
            ListQuery {
                filter,
                limit: Some(50),
                ..Default::default()
            },
            ListQuery {
                filter,
                limit: Some(50),
                before: Some(ListCursor {
                    saved_at_ms: 1,
                    id: 1,
                }),
                ..Default::default()
            },
            ListQuery {
                filter,
                limit: Some(50),
                tag: Some("t".into()),
                ..Default::default()
            },
            ListQuery {
                filter,
                limit: Some(50),
                feed_id: Some(1),
                ..Default::default()
            },
        ];
        for q in variants {
            let sql = list_sql(&q);
            for line in plan(&sql) {
                let scans_stories = line.starts_with("SCAN a") && !line.contains("INDEX");
                assert!(
                    !scans_stories,
                    "full scan in {filter:?} list: {line}\n{sql}"
                );
                assert!(
                    !line.contains("TEMP B-TREE FOR ORDER BY"),
                    "sort in {filter:?} list: {line}\n{sql}"
                );
            }
        }
        for line in plan(&count_sql(filter)) {
            let scans_stories = line.starts_with("SCAN a") && !line.contains("INDEX");
            assert!(!scans_stories, "full scan in {filter:?} count: {line}");
        }
    }
}

/// The sidebar's counts (a row kept by triggers) equal a slow count of the
/// stories after every kind of change, in a long pseudo-random sequence:
/// saving new and again, deleting, star, archive, read, highlights added
/// and removed, tags, feed stories pruned and feeds removed.
#[test]
fn counts_stay_right_after_every_kind_of_change() {
    use super::stories::count_sql;
    use crate::annotate::{NewAnnotation, TextQuoteSelector};
    use crate::model::{SidebarCounts, TagCount};

    fn slow(lib: &Library) -> SidebarCounts {
        let count =
            |f: ListFilter| -> u32 { lib.conn.query_row(&count_sql(f), [], |r| r.get(0)).unwrap() };
        let mut tags: Vec<TagCount> = lib
            .conn
            .prepare(
                "SELECT t.name, (SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id) \
                 FROM tags t ORDER BY t.name COLLATE NOCASE",
            )
            .unwrap()
            .query_map([], |r| {
                Ok(TagCount {
                    name: r.get(0)?,
                    count: r.get(1)?,
                })
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        tags.retain(|t| t.count > 0);
        SidebarCounts {
            all: count(ListFilter::All),
            inbox: count(ListFilter::Inbox),
            unread: count(ListFilter::Unread),
            starred: count(ListFilter::Starred),
            archived: count(ListFilter::Archived),
            annotated: count(ListFilter::Annotated),
            tags,
        }
    }

    let mut lib = Library::open_in_memory().unwrap();
    let mut feeds = Vec::new();
    // A small deterministic generator (xorshift): the same sequence every run.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: u64| -> u64 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for step in 0..600 {
        let live: Vec<i64> = lib
            .conn
            .prepare("SELECT id FROM articles ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let some = |k: u64| -> Vec<i64> {
            live.iter()
                .copied()
                .filter(|id| (*id as u64 + k).is_multiple_of(3))
                .take(4)
                .collect()
        };
        let kind = if live.len() < 5 { 0 } else { next(12) };
        let any = if live.is_empty() {
            0
        } else {
            live[next(live.len() as u64) as usize]
        };
        match kind {
            0 | 1 => {
                // New, or saved again (same URL), maybe from a feed, maybe tagged.
                let n = next(80) as u32;
                let mut s = story(n, "Story", "alpha beta gamma delta words here");
                if next(3) == 0 {
                    if feeds.is_empty() || next(4) == 0 {
                        let f = lib
                            .add_feed(&NewFeed {
                                url: format!("https://feed.example/{step}.xml"),
                                ..Default::default()
                            })
                            .unwrap();
                        feeds.push(f.id);
                    }
                    s.feed_id = Some(feeds[next(feeds.len() as u64) as usize]);
                }
                if next(4) == 0 {
                    s.tags = vec![format!("tag{}", next(3))];
                }
                lib.store_story(s).unwrap();
            }
            2..=5 => {
                let ids = some(next(3));
                let on = next(2) == 0;
                if !ids.is_empty() {
                    match kind {
                        2 => lib.delete(&ids),
                        3 => lib.set_starred(&ids, on),
                        4 => lib.set_archived(&ids, on),
                        _ => lib.set_read(&ids, on),
                    }
                    .unwrap();
                }
            }
            6 => {
                lib.add_annotation(
                    any,
                    NewAnnotation {
                        quote: TextQuoteSelector {
                            exact: "gamma".into(),
                            prefix: String::new(),
                            suffix: String::new(),
                        },
                        position: None,
                        color: Default::default(),
                        note: String::new(),
                        tags: Vec::new(),
                    },
                )
                .unwrap();
            }
            7 => {
                if let Some(a) = lib.annotations_of(any).unwrap().first() {
                    lib.delete_annotation(a.id).unwrap();
                }
            }
            8 => {
                let tag = vec![format!("tag{}", next(3))];
                if next(2) == 0 {
                    lib.set_tags(any, &tag, &[]).unwrap();
                } else {
                    lib.set_tags(any, &[], &tag).unwrap();
                }
            }
            9 => {
                // Everything from feeds is old enough to prune, a day from now.
                lib.prune_feed_stories(0, now_ms() + 86_400_000).unwrap();
            }
            10 => {
                if let Some(f) = feeds.pop() {
                    lib.remove_feed(f, next(2) == 0).unwrap();
                }
            }
            _ => lib.set_progress(any, 0.5).unwrap(),
        }
        assert_eq!(
            lib.counts().unwrap(),
            slow(&lib),
            "after step {step} (kind {kind})"
        );
    }
    assert!(lib.check().unwrap().ok);
}

/// The sidebar's counts read one row by its key, whatever the library holds.
#[test]
fn the_counts_query_reads_one_row() {
    let lib = Library::open_in_memory().unwrap();
    let plan: Vec<String> = lib
        .conn
        .prepare(&format!(
            "EXPLAIN QUERY PLAN {}",
            super::stories::COUNTS_SQL
        ))
        .unwrap()
        .query_map([], |r| r.get(3))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(
        plan.iter().all(|l| l.starts_with("SEARCH story_counts")),
        "{plan:?}"
    );
}

#[test]
fn prefixes_and_parts_find_every_word_they_stand_for() {
    let mut lib = Library::open_in_memory().unwrap();
    let a = lib
        .store_story(story(1, "One", "International law and the internet."))
        .unwrap()
        .id;
    let b = lib
        .store_story(story(2, "Two", "An interview with Économistes."))
        .unwrap()
        .id;
    let c = lib
        .store_story(story(3, "Three", "Biology and technology."))
        .unwrap()
        .id;
    // Newest first for a prefix.
    assert_eq!(search(&lib, "inter*"), vec![b, a]);
    assert_eq!(search(&lib, "econ*"), vec![b], "folded like the index");
    assert_eq!(search(&lib, "ology"), vec![c]);
    assert_eq!(search(&lib, "ology -biology"), Vec::<i64>::new());
    assert_eq!(search(&lib, "erne"), vec![a], "inside internet");
    let hits = lib
        .search(&SearchQuery {
            text: "ology".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        crate::search::snippet_with_brackets(&hits[0].snippet),
        "[Biology] and [technology]."
    );
    // A prefix that stands for more words than are looked up still finds
    // them all, through FTS5's own prefix query.
    let many: String = (0..450).map(|i| format!("zeta{i} ")).collect();
    let d = lib.store_story(story(4, "Many", &many)).unwrap().id;
    assert_eq!(search(&lib, "zeta*"), vec![d]);
    assert_eq!(search(&lib, "zeta449"), vec![d]);
}

#[test]
fn notes_are_searchable_and_leave_with_their_highlight() {
    use crate::annotate::{NewAnnotation, TextQuoteSelector};
    let mut lib = Library::open_in_memory().unwrap();
    let a = lib
        .store_story(story(1, "Plain", "Some ordinary words here."))
        .unwrap()
        .id;
    let note = lib
        .add_annotation(
            a,
            NewAnnotation {
                quote: TextQuoteSelector {
                    exact: "ordinary".into(),
                    prefix: "Some ".into(),
                    suffix: " words".into(),
                },
                note: "remember quokkas".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(search(&lib, "quokkas"), vec![a]);
    assert_eq!(search(&lib, "ordinary"), vec![a], "the text stays indexed");
    lib.delete_annotation(note.id).unwrap();
    assert_eq!(search(&lib, "quokkas"), Vec::<i64>::new());
    assert_eq!(search(&lib, "ordinary"), vec![a]);
}

/// A library file at `path` as Gloss made it at schema `version`, with
/// `sql` run on it (what that Gloss had stored).
pub(super) fn old_library(path: &std::path::Path, version: usize, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    for migration in &MIGRATIONS[..version] {
        conn.execute_batch(migration).unwrap();
    }
    conn.execute_batch(sql).unwrap();
}

#[test]
fn a_library_of_schema_6_is_searchable_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v6.gloss");
    old_library(
        &path,
        6,
        "INSERT INTO articles (id, url, url_key, title, saved_at, updated_at) \
               VALUES (1, 'https://e.com/1', 'https://e.com/1', 'Nuclear talks', 1, 1);
             INSERT INTO article_content VALUES (1, '<p>x</p>', 'Korea and denuklirisasi, in 東京都.');
             INSERT INTO search_words (rowid, title, body) VALUES (1, 'Nuclear talks', 'old copy');
             INSERT INTO search_substrings (rowid, title, body) VALUES (1, 'Nuclear talks', 'old copy');
             PRAGMA user_version = 6;",
    );
    let lib = Library::open(&path).unwrap();
    assert_eq!(search(&lib, "nuclear"), vec![1]);
    assert_eq!(search(&lib, "nuklir"), vec![1]);
    assert_eq!(search(&lib, "denuk*"), vec![1]);
    assert_eq!(search(&lib, "東京"), vec![1]);
    assert_eq!(
        search(&lib, "old"),
        Vec::<i64>::new(),
        "rebuilt from the stored text"
    );
    assert!(lib.check().unwrap().ok);
}
