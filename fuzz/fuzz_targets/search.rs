//! The search query builder: whatever is typed, the queries it builds must
//! be valid FTS5, run against a table made like the library's word index
//! (unicode61 with diacritics folded): the plain word query, and the
//! queries where prefixes and parts of words stand for vocabulary words
//! (`(… OR …)` groups). A syntax error here is a search box that shows an
//! error: a failure. Then the same text goes through `Library::search` on
//! a small library, which must not fail either.
#![no_main]

use std::cell::RefCell;

use gloss_core::library::NewStory;
use gloss_core::model::SearchQuery;
use gloss_core::search::{index_text, word_query, Expansions, Query};
use gloss_core::Library;
use libfuzzer_sys::fuzz_target;
use rusqlite::Connection;

struct Fixture {
    conn: Connection,
    lib: Library,
}

const TEXTS: &[&str] = &[
    "The harbour master kept a log of every vessel",
    "東京都に住む人々 and 서울에서 살다",
    "NEAR(a b) AND OR NOT \"quoted\" col:umn ^caret star* -dash 100% under_score",
    "Ünïcödé naïve café résumé",
];

fn fixture() -> Fixture {
    let conn = Connection::open_in_memory().expect("in-memory SQLite");
    conn.execute_batch(
        "CREATE VIRTUAL TABLE words USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');",
    )
    .expect("FTS5 tables");
    let mut lib = Library::open_in_memory().expect("a library");
    for (i, t) in TEXTS.iter().enumerate() {
        let indexed = index_text(t);
        conn.execute(
            "INSERT INTO words (title, body) VALUES (?1, ?2)",
            [&*indexed, &*indexed],
        )
        .expect("insert");
        lib.store_story(NewStory {
            url: format!("https://e.example/{i}"),
            url_key: format!("https://e.example/{i}"),
            title: (*t).to_string(),
            html: format!("<p>{t}</p>"),
            text: (*t).to_string(),
            ..Default::default()
        })
        .expect("a story");
    }
    Fixture { conn, lib }
}

thread_local! {
    static FIXTURE: RefCell<Option<Fixture>> = const { RefCell::new(None) };
}

fn run(conn: &Connection, table: &str, query: &str) {
    let sql = format!("SELECT rowid FROM {table} WHERE {table} MATCH ?1");
    let result = conn.prepare(&sql).and_then(|mut s| {
        s.query_map([query], |r| r.get::<_, i64>(0))?
            .collect::<Result<Vec<_>, _>>()
    });
    if let Err(e) = result {
        panic!("{table} MATCH {query:?} failed: {e}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    FIXTURE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let f = slot.get_or_insert_with(fixture);
        if let Some(q) = word_query(text) {
            run(&f.conn, "words", &q);
        }
        // Vocabulary words the library could find for each prefix and part.
        let query = Query::parse(text);
        let prefixes: Expansions = query
            .prefixes()
            .into_iter()
            .map(|p| (p.clone(), vec![format!("{p}a"), format!("{p}\"q")]))
            .collect();
        let parts: Expansions = query
            .parts()
            .into_iter()
            .map(|p| (p.clone(), vec![format!("x{p}"), format!("{p}s")]))
            .collect();
        if let Some(q) = query.words_fts(&prefixes) {
            run(&f.conn, "words", &q);
        }
        if let Some(q) = query.parts_fts(&prefixes, &parts) {
            run(&f.conn, "words", &q);
        }
        if let Err(e) = f.lib.search(&SearchQuery {
            text: text.to_string(),
            ..Default::default()
        }) {
            panic!("Library::search({text:?}) failed: {e}");
        }
    });
});
