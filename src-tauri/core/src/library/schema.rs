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
    // 2: feeds: folders, conditional GET, politeness, full text, icons, and
    // which feed item became which story.
    r#"
    CREATE TABLE folders (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at  INTEGER NOT NULL
    );
    ALTER TABLE feeds ADD COLUMN folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL;
    ALTER TABLE feeds ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0 CHECK (full_text IN (0, 1));
    -- Days a feed story is kept unless starred, annotated or tagged; NULL: the library default.
    ALTER TABLE feeds ADD COLUMN retention_days INTEGER;
    -- The remote icon's address and its stored copy (an asset).
    ALTER TABLE feeds ADD COLUMN icon_url TEXT;
    ALTER TABLE feeds ADD COLUMN icon TEXT REFERENCES assets(sha256);
    -- Conditional GET validators from the last 200 response.
    ALTER TABLE feeds ADD COLUMN etag TEXT;
    ALTER TABLE feeds ADD COLUMN last_modified TEXT;
    ALTER TABLE feeds ADD COLUMN last_checked INTEGER;     -- unix ms
    -- Not before this time, because the server said so (Retry-After).
    ALTER TABLE feeds ADD COLUMN retry_after INTEGER;      -- unix ms
    -- Not before this time, because the feed kept failing (exponential backoff).
    ALTER TABLE feeds ADD COLUMN backoff_until INTEGER;    -- unix ms
    ALTER TABLE feeds ADD COLUMN error_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN last_error TEXT;
    CREATE INDEX feeds_folder ON feeds(folder_id) WHERE folder_id IS NOT NULL;
    -- Removing unused images asks whether a feed still shows one as its icon.
    CREATE INDEX feeds_icon ON feeds(icon) WHERE icon IS NOT NULL;

    -- Every item a feed has shown, by the feed's own id for it. The row stays
    -- after its story is pruned or deleted (article_id NULL), so the item
    -- does not come back on the next refresh.
    CREATE TABLE feed_items (
        feed_id     INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid        TEXT NOT NULL,
        article_id  INTEGER REFERENCES articles(id) ON DELETE SET NULL,
        first_seen  INTEGER NOT NULL,
        PRIMARY KEY (feed_id, guid)
    ) WITHOUT ROWID;
    CREATE INDEX feed_items_article ON feed_items(article_id) WHERE article_id IS NOT NULL;

    -- Unread counts per feed and "next unread" walk this index only.
    CREATE INDEX articles_feed_unread ON articles(feed_id, saved_at DESC, id DESC)
        WHERE read_at IS NULL AND feed_id IS NOT NULL;
    "#,
    // 3: annotations: highlights with a colour and a note, anchored to a
    // story's plain text (quote and position selectors), with tags.
    r#"
    CREATE TABLE annotations (
        id          INTEGER PRIMARY KEY,
        article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        color       TEXT NOT NULL DEFAULT 'yellow'
                    CHECK (color IN ('yellow', 'green', 'blue', 'pink', 'purple')),
        note        TEXT NOT NULL DEFAULT '',
        exact       TEXT NOT NULL,
        prefix      TEXT NOT NULL DEFAULT '',
        suffix      TEXT NOT NULL DEFAULT '',
        -- Code points into the story's text; both NULL while it is orphaned.
        start       INTEGER,
        "end"       INTEGER,
        created_at  INTEGER NOT NULL,
        modified_at INTEGER NOT NULL
    );
    CREATE INDEX annotations_by_article ON annotations(article_id, start);
    CREATE INDEX annotations_by_time ON annotations(created_at DESC, id DESC);
    CREATE INDEX annotations_by_color ON annotations(color, created_at DESC, id DESC);

    CREATE TABLE annotation_tags (
        annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
        tag_id        INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (annotation_id, tag_id)
    ) WITHOUT ROWID;
    CREATE INDEX annotation_tags_by_tag ON annotation_tags(tag_id, annotation_id);

    -- The Annotated filter and its count read articles.annotation_count.
    CREATE TRIGGER annotations_counted AFTER INSERT ON annotations BEGIN
        UPDATE articles SET annotation_count = annotation_count + 1 WHERE id = NEW.article_id;
    END;
    CREATE TRIGGER annotations_uncounted AFTER DELETE ON annotations BEGIN
        UPDATE articles SET annotation_count = annotation_count - 1 WHERE id = OLD.article_id;
    END;
    "#,
    // 4: whether a saved page read as an article (false for home pages and
    // indexes, kept with what they had).
    r#"
    ALTER TABLE articles ADD COLUMN readerable INTEGER NOT NULL DEFAULT 1 CHECK (readerable IN (0, 1));
    "#,
    // 5: stories imported without their content (a Pocket or Instapaper
    // export has only links) wait for it here; fetching after an import
    // walks this index, so an interrupted fetch picks up where it stopped.
    r#"
    ALTER TABLE articles ADD COLUMN needs_content INTEGER NOT NULL DEFAULT 0 CHECK (needs_content IN (0, 1));
    CREATE INDEX articles_needs_content ON articles(id) WHERE needs_content = 1;
    "#,
    // 6: the sidebar's counts, kept up to date by triggers as stories come,
    // go and change, so reading them is one row at any library size
    // (counting the partial indexes took milliseconds per 10,000 stories).
    // Tag counts are not here: they read article_tags_by_tag, which holds
    // only tagged stories.
    r#"
    CREATE TABLE story_counts (
        id        INTEGER PRIMARY KEY CHECK (id = 1),
        total     INTEGER NOT NULL,
        inbox     INTEGER NOT NULL,
        unread    INTEGER NOT NULL,
        starred   INTEGER NOT NULL,
        archived  INTEGER NOT NULL,
        annotated INTEGER NOT NULL
    );
    INSERT INTO story_counts (id, total, inbox, unread, starred, archived, annotated)
        SELECT 1, count(*), coalesce(sum(archived = 0), 0), coalesce(sum(read_at IS NULL), 0),
               coalesce(sum(starred), 0), coalesce(sum(archived), 0),
               coalesce(sum(annotation_count > 0), 0)
        FROM articles;
    CREATE TRIGGER story_counts_insert AFTER INSERT ON articles BEGIN
        UPDATE story_counts SET total = total + 1,
            inbox = inbox + (NEW.archived = 0), unread = unread + (NEW.read_at IS NULL),
            starred = starred + NEW.starred, archived = archived + NEW.archived,
            annotated = annotated + (NEW.annotation_count > 0)
        WHERE id = 1;
    END;
    -- Runs after the row is gone and after ON DELETE CASCADE removed its
    -- annotations (whose trigger then finds no story to update), so OLD
    -- still has the story's flags as they were.
    CREATE TRIGGER story_counts_delete AFTER DELETE ON articles BEGIN
        UPDATE story_counts SET total = total - 1,
            inbox = inbox - (OLD.archived = 0), unread = unread - (OLD.read_at IS NULL),
            starred = starred - OLD.starred, archived = archived - OLD.archived,
            annotated = annotated - (OLD.annotation_count > 0)
        WHERE id = 1;
    END;
    CREATE TRIGGER story_counts_update
    AFTER UPDATE OF archived, read_at, starred, annotation_count ON articles BEGIN
        UPDATE story_counts SET
            inbox = inbox + (NEW.archived = 0) - (OLD.archived = 0),
            unread = unread + (NEW.read_at IS NULL) - (OLD.read_at IS NULL),
            starred = starred + NEW.starred - OLD.starred,
            archived = archived + NEW.archived - OLD.archived,
            annotated = annotated + (NEW.annotation_count > 0) - (OLD.annotation_count > 0)
        WHERE id = 1;
    END;
    "#,
    // 7: a smaller, faster search. The word index becomes contentless (it
    // kept a second copy of every story's text; snippets are now cut from
    // article_content.text) and the trigram index of whole stories, three
    // times the size of the text, gives way to a vocabulary: every distinct
    // word once, with a trigram index of its own. Prefixes and parts of
    // words are looked up there and searched as the whole words they stand
    // for (crate::search). `search_index::rebuild` fills both afterwards.
    r#"
    DROP TABLE search_substrings;
    DROP TABLE search_words;
    CREATE VIRTUAL TABLE search_words USING fts5(
        title, byline, site, body, notes,
        tokenize = 'unicode61 remove_diacritics 2',
        content = '',
        contentless_delete = 1
    );
    -- Folded words (lower case, no diacritics) of two characters or more.
    CREATE TABLE search_terms (
        id   INTEGER PRIMARY KEY,
        term TEXT NOT NULL UNIQUE
    );
    -- Parts of words: LIKE '%part%' finds the words through this index
    -- (detail 'none' is enough for LIKE and a third of the size).
    CREATE VIRTUAL TABLE search_term_grams USING fts5(
        term,
        content = 'search_terms',
        content_rowid = 'id',
        tokenize = 'trigram',
        detail = 'none'
    );
    "#,
    // 8: search folds the letters that full case folding writes as several
    // (ß → ss, ﬁ → fi: crate::search::expansions), in the word index, the
    // vocabulary and the query alike. Words indexed before kept their ß and
    // would be missed by `strasse`: both indexes are emptied here and
    // filled again from the stories (`search_index::rebuild`).
    r#"
    INSERT INTO search_words (search_words) VALUES ('delete-all');
    INSERT INTO search_term_grams (search_term_grams) VALUES ('delete-all');
    DELETE FROM search_terms;
    "#,
    // 9: feed accounts (Fever, Google Reader API servers). An account's feeds
    // are rows of `feeds` with its id, the server's id for the feed and the
    // feed's own address in `source_url` (`url`, unique among all feeds, is
    // then an internal key, so a feed can be followed locally and in an
    // account). Each item's id on the server is its `feed_items.guid`, in the
    // form the server used. Read and star changes made in Gloss wait in
    // `account_pending` until the server confirms them; the newest change
    // of an item and field replaces an older one (and gets a new `seq`, so a
    // confirmation of the older one does not remove it).
    r#"
    CREATE TABLE accounts (
        id            INTEGER PRIMARY KEY,
        kind          TEXT NOT NULL CHECK (kind IN ('fever', 'greader')),
        name          TEXT NOT NULL,
        url           TEXT NOT NULL,
        username      TEXT NOT NULL,
        -- The name its password is kept under in the system keyring (not a secret).
        secret_key    TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        last_synced   INTEGER,                -- unix ms
        -- Where the next pull of items starts (Fever: the highest item id
        -- stored; Google Reader: the newest item's time, unix seconds).
        items_cursor  TEXT,
        retry_after   INTEGER,                -- unix ms
        backoff_until INTEGER,                -- unix ms
        error_count   INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT
    );
    ALTER TABLE feeds ADD COLUMN account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE;
    ALTER TABLE feeds ADD COLUMN remote_id TEXT;
    ALTER TABLE feeds ADD COLUMN source_url TEXT;
    CREATE UNIQUE INDEX feeds_remote ON feeds(account_id, remote_id) WHERE account_id IS NOT NULL;

    CREATE TABLE account_pending (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: a confirmation names one change
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        item_id    TEXT NOT NULL,
        field      TEXT NOT NULL CHECK (field IN ('read', 'starred')),
        value      INTEGER NOT NULL CHECK (value IN (0, 1)),
        queued_at  INTEGER NOT NULL,
        UNIQUE (account_id, item_id, field)
    );
    "#,
];

/// The migrations after which the search indexes are filled again from the
/// stories (their SQL can make and empty the tables, not tokenize the
/// text). The filling runs once, after the last migration, so that it
/// reads the stories through the schema the code knows.
const SEARCH_REBUILT_AT: [usize; 2] = [7, 8];

/// The migration that dropped the old, much larger search indexes: an
/// upgrade from before it gives their pages back to the file system.
const OLD_INDEXES_DROPPED_AT: usize = 7;

/// Applies every migration the library lacks, all in one transaction.
/// `before_upgrade` runs first when a library that has a schema is about to
/// be upgraded (not for a new, empty file): the caller backs the file up
/// there, and its error stops the upgrade with nothing changed.
pub fn migrate(
    conn: &mut Connection,
    before_upgrade: impl FnOnce(&Connection) -> Result<()>,
) -> Result<u32> {
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
    if current > 0 {
        before_upgrade(conn)?;
    }
    let tx = conn
        .transaction()
        .map_err(|e| Error::db("starting the schema upgrade", e))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)
            .map_err(|e| Error::db(format!("upgrading the schema to version {}", i + 1), e))?;
    }
    // A new library has no stories to index.
    let rebuild = current > 0 && SEARCH_REBUILT_AT.iter().any(|&at| (current as usize) < at);
    if rebuild {
        super::search_index::rebuild(&tx)?;
    }
    tx.pragma_update(None, "user_version", latest)
        .map_err(|e| Error::db("recording the schema version", e))?;
    tx.commit()
        .map_err(|e| Error::db("committing the schema upgrade", e))?;
    if current > 0 && (current as usize) < OLD_INDEXES_DROPPED_AT {
        // The old indexes' pages are free now, most of the file: give them
        // back. Only space is at stake, so a failure (a full disk) is not one.
        let _ = conn.execute_batch("VACUUM");
    }
    Ok(latest)
}
