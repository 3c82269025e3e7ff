//! The schema and its migrations.
//!
//! `PRAGMA user_version` is the number of migrations applied. Opening a library
//! applies the missing ones in one transaction, so a library is never left
//! half-migrated; a library made by a newer Gloss is refused rather than
//! damaged. Append to [`MIGRATIONS`]; never edit an entry that has shipped.

use rusqlite::Connection;

use crate::{Error, Result};

/// Each entry takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: stories, their content, tags, assets, feeds and the two search indexes.
    r#"
    CREATE TABLE feeds (
        id          INTEGER PRIMARY KEY,
        url         TEXT NOT NULL UNIQUE,
        title       TEXT NOT NULL DEFAULT '',
        site_url    TEXT,
        created_at  INTEGER NOT NULL
    );

    -- One row per story. The big columns live in article_content so that
    -- listing and counting never read article bodies.
    CREATE TABLE articles (
        id               INTEGER PRIMARY KEY,
        url              TEXT NOT NULL,
        url_key          TEXT NOT NULL UNIQUE,   -- normalised URL: the de-duplication key
        title            TEXT NOT NULL,
        byline           TEXT,
        site             TEXT,
        language         TEXT,
        dir              TEXT,
        excerpt          TEXT,
        published_at     TEXT,
        saved_at         INTEGER NOT NULL,       -- unix ms
        updated_at       INTEGER NOT NULL,
        read_at          INTEGER,
        starred          INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
        archived         INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
        progress         REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
        word_count       INTEGER NOT NULL DEFAULT 0,
        lead_image       TEXT REFERENCES assets(sha256),
        feed_id          INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
        annotation_count INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_saved ON articles(saved_at DESC, id DESC);
    CREATE INDEX articles_inbox ON articles(saved_at DESC, id DESC) WHERE archived = 0;
    CREATE INDEX articles_unread ON articles(saved_at DESC, id DESC) WHERE read_at IS NULL;
    CREATE INDEX articles_starred ON articles(saved_at DESC, id DESC) WHERE starred = 1;
    CREATE INDEX articles_archived ON articles(saved_at DESC, id DESC) WHERE archived = 1;
    CREATE INDEX articles_annotated ON articles(saved_at DESC, id DESC) WHERE annotation_count > 0;
    CREATE INDEX articles_feed ON articles(feed_id, saved_at DESC, id DESC) WHERE feed_id IS NOT NULL;

    CREATE TABLE article_content (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        html       TEXT NOT NULL,
        text       TEXT NOT NULL
    );

    CREATE TABLE tags (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );
    -- saved_at is the story's (it never changes): a tag's stories are listed
    -- newest first straight from article_tags_by_tag, with no sort.
    CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        saved_at   INTEGER NOT NULL,
        PRIMARY KEY (article_id, tag_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_tags_by_tag ON article_tags(tag_id, saved_at DESC, article_id DESC);

    -- Images and other files of saved stories, addressed by the sha256 of their bytes.
    CREATE TABLE assets (
        sha256     TEXT PRIMARY KEY,
        mime       TEXT NOT NULL,
        size       INTEGER NOT NULL,
        bytes      BLOB NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE article_assets (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sha256     TEXT NOT NULL REFERENCES assets(sha256),
        source_url TEXT NOT NULL,
        PRIMARY KEY (article_id, sha256)
    ) WITHOUT ROWID;
    CREATE INDEX article_assets_by_asset ON article_assets(sha256);

    -- Word index: diacritics folded; CJK text is indexed one character a
    -- token (see crate::search), so the index stores its own copy.
    CREATE VIRTUAL TABLE search_words USING fts5(
        title, byline, site, body, notes,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    -- Substring index for parts of long words ("nuklir" in "denuklirisasi").
    CREATE VIRTUAL TABLE search_substrings USING fts5(
        title, body,
        tokenize = 'trigram remove_diacritics 1',
        detail = 'full'
    );
    "#,
];

/// Applies every migration the library lacks, all in one transaction.
pub fn migrate(conn: &mut Connection) -> Result<u32> {
    let current: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| Error::db("reading the schema version", e))?;
    let latest = MIGRATIONS.len() as u32;
    if current > latest {
        return Err(Error::InvalidInput(format!(
            "this library was made by a newer Gloss (schema {current}, this one knows {latest}); \
             update Gloss to open it"
        )));
    }
    if current == latest {
        return Ok(current);
    }
    let tx = conn
        .transaction()
        .map_err(|e| Error::db("starting the schema upgrade", e))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)
            .map_err(|e| Error::db(format!("upgrading the schema to version {}", i + 1), e))?;
    }
    tx.pragma_update(None, "user_version", latest)
        .map_err(|e| Error::db("recording the schema version", e))?;
    tx.commit()
        .map_err(|e| Error::db("committing the schema upgrade", e))?;
    Ok(latest)
}
