//! The library's side of sync: the rows sync keeps beside the stories, and
//! stories and highlights read and written as plain field maps.
//!
//! The rules (clocks, which value wins, the files on the shared storage)
//! are `crate::sync`'s; this file only stores and reads. Changes made by the
//! user are noted by triggers (schema migration 9) in `sync_dirty`, inside
//! the transaction that makes them; sync reads those notes here and turns
//! them into operations. Pulled operations are written through a
//! [`Replica`], which is a write through the door that records
//! [`Change::Synced`] and clears the notes its own writes leave, so they are
//! never taken for local changes.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::changes::{Change, Write};
use super::search_index::{index_story, reindex_story};
use super::{now_ms, sha256_hex, Library};
use crate::model::StoryId;
use crate::{Error, Result};

/// Images' bytes by their sha256.
pub type Images = BTreeMap<String, Vec<u8>>;

/// A story or a highlight as named fields (see `docs/sync.md` for the
/// fields of each).
pub type Fields = BTreeMap<String, Value>;

/// What sync knows of itself in this library.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncState {
    pub device: String,
    pub library_id: String,
    /// The last hybrid logical clock stamp issued or seen.
    pub clock: i64,
    pub next_seq: i64,
    /// Where to sync to, as JSON (never a secret).
    pub settings: String,
    /// RFC 3339, UTC.
    pub last_sync: Option<String>,
    pub last_error: Option<String>,
    pub last_report: Option<String>,
    /// Local changes not yet uploaded: noted stories and highlights plus
    /// operations waiting in the outbox.
    pub waiting: u32,
}

/// One field's last stamped value.
#[derive(Debug, Clone, PartialEq)]
pub struct Register {
    pub field: String,
    /// JSON.
    pub value: String,
    pub stamp: i64,
    pub device: String,
}

/// A story's body as it travels: text, HTML and the images it shows (their
/// bytes travel apart, by sha256).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub html: String,
    pub text: String,
    pub assets: Vec<BodyAsset>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyAsset {
    pub sha256: String,
    pub mime: String,
    pub source_url: String,
}

impl Body {
    /// The bytes that travel, and whose sha256 names the body.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn sha256(&self) -> String {
        sha256_hex(&self.to_bytes())
    }
}

const SYNC_TABLES: [&str; 6] = [
    "sync_dirty",
    "sync_fields",
    "sync_outbox",
    "sync_peers",
    "sync_blobs",
    "sync_state",
];

fn read_state(tx: &rusqlite::Connection) -> Result<Option<SyncState>> {
    tx.query_row(
        "SELECT device, library_id, clock, next_seq, settings, last_sync, last_error, \
         last_report, (SELECT count(*) FROM sync_dirty) + (SELECT count(*) FROM sync_outbox) \
         FROM sync_state WHERE id = 1",
        [],
        |r| {
            Ok(SyncState {
                device: r.get(0)?,
                library_id: r.get(1)?,
                clock: r.get(2)?,
                next_seq: r.get(3)?,
                settings: r.get(4)?,
                last_sync: r.get::<_, Option<i64>>(5)?.map(super::ms_to_rfc3339),
                last_error: r.get(6)?,
                last_report: r.get(7)?,
                waiting: r.get(8)?,
            })
        },
    )
    .optional()
    .map_err(|e| Error::db("reading the sync settings", e))
}

impl Library {
    /// Sync's state, `None` while sync is off.
    pub fn sync_state(&self) -> Result<Option<SyncState>> {
        read_state(&self.conn)
    }

    /// Turns sync on for the shared library `library_id`: this device gets
    /// an id, and every story and highlight already here is noted as a
    /// change to send (a library's own stories join the shared one).
    pub fn sync_start(&mut self, library_id: &str, settings: &str) -> Result<SyncState> {
        let mut tx = self.write("turning sync on")?;
        tx.record(Change::Synced {
            stories: Vec::new(),
        });
        for table in SYNC_TABLES {
            tx.execute(&format!("DELETE FROM {table}"), [])
                .map_err(|e| Error::db("clearing earlier sync state", e))?;
        }
        tx.execute(
            "INSERT INTO sync_state (id, device, library_id, settings) \
             VALUES (1, lower(hex(randomblob(8))), ?1, ?2)",
            params![library_id, settings],
        )
        .map_err(|e| Error::db("turning sync on", e))?;
        let now = now_ms();
        tx.execute(
            "INSERT INTO sync_dirty SELECT 'story', url_key, ?1 FROM articles",
            [now],
        )
        .and_then(|_| {
            tx.execute(
                "INSERT INTO sync_dirty SELECT 'annotation', uid, ?1 FROM annotations",
                [now],
            )
        })
        .map_err(|e| Error::db("noting the stories to send", e))?;
        let state = read_state(&tx)?;
        tx.commit().map_err(|e| Error::db("turning sync on", e))?;
        state.ok_or_else(|| Error::InvalidInput("sync could not be turned on".into()))
    }

    /// Turns sync off and forgets its state here (the shared storage is
    /// left as it is).
    pub fn sync_stop(&mut self) -> Result<()> {
        let mut tx = self.write("turning sync off")?;
        tx.record(Change::Synced {
            stories: Vec::new(),
        });
        for table in SYNC_TABLES {
            tx.execute(&format!("DELETE FROM {table}"), [])
                .map_err(|e| Error::db("turning sync off", e))?;
        }
        tx.commit().map_err(|e| Error::db("turning sync off", e))
    }

    /// Remembers how the last sync went, for `gloss sync status`.
    pub fn sync_finished(&mut self, error: Option<&str>, report: Option<&str>) -> Result<()> {
        let mut tx = self.write("recording the sync")?;
        tx.record(Change::Synced {
            stories: Vec::new(),
        });
        match error {
            Some(error) => tx.execute(
                "UPDATE sync_state SET last_error = ?1 WHERE id = 1",
                [error],
            ),
            None => tx.execute(
                "UPDATE sync_state SET last_error = NULL, last_sync = ?2, last_report = ?1 \
                 WHERE id = 1",
                params![report, now_ms()],
            ),
        }
        .map_err(|e| Error::db("recording the sync", e))?;
        tx.commit().map_err(|e| Error::db("recording the sync", e))
    }

    /// The story with this normalised URL (sync's key for it), if any.
    pub fn story_id_by_key(&self, url_key: &str) -> Result<Option<StoryId>> {
        self.conn
            .query_row(
                "SELECT id FROM articles WHERE url_key = ?1",
                [url_key],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| Error::db("looking up a story", e))
    }

    /// Opens sync's transaction (see [`Replica`]).
    pub fn replica(&mut self) -> Result<Replica<'_>> {
        Ok(Replica {
            tx: self.write("starting a sync")?,
            touched: Vec::new(),
        })
    }

    /// Every story's and highlight's fields, in key order: the canonical
    /// dump that two synced libraries have alike.
    pub fn sync_dump(&mut self) -> Result<Vec<(String, String, Fields)>> {
        let replica = self.replica()?;
        let mut out = Vec::new();
        for (kind, sql) in [
            ("story", "SELECT url_key FROM articles ORDER BY url_key"),
            ("annotation", "SELECT uid FROM annotations ORDER BY uid"),
        ] {
            let keys: Vec<String> = replica
                .tx
                .prepare(sql)
                .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                .map_err(|e| Error::db("reading the library for a dump", e))?;
            for key in keys {
                if let Some(fields) = replica.fields(kind, &key)? {
                    out.push((kind.to_string(), key, fields));
                }
            }
        }
        Ok(out)
    }
}

/// Sync's transaction: a write through the door that reads and writes
/// sync's rows and writes stories and highlights from their fields.
pub struct Replica<'c> {
    tx: Write<'c>,
    /// The stories written, for the change the commit records.
    touched: Vec<StoryId>,
}

fn db(what: &'static str) -> impl Fn(rusqlite::Error) -> Error {
    move |e| Error::db(what, e)
}

impl Replica<'_> {
    pub fn state(&self) -> Result<SyncState> {
        read_state(&self.tx)?.ok_or_else(|| {
            Error::InvalidInput("sync is off: set it up with `gloss sync setup`".into())
        })
    }

    pub fn set_clock(&self, clock: i64) -> Result<()> {
        self.tx
            .execute("UPDATE sync_state SET clock = ?1 WHERE id = 1", [clock])
            .map(|_| ())
            .map_err(db("keeping the sync clock"))
    }

    pub fn set_next_seq(&self, seq: i64) -> Result<()> {
        self.tx
            .execute("UPDATE sync_state SET next_seq = ?1 WHERE id = 1", [seq])
            .map(|_| ())
            .map_err(db("numbering change files"))
    }

    /// The stories and highlights changed here since the last call, with
    /// the time of their change, oldest first; the notes are removed.
    pub fn take_dirty(&self) -> Result<Vec<(String, String, i64)>> {
        let rows: Vec<(String, String, i64)> = self
            .tx
            .prepare_cached("SELECT kind, key, at FROM sync_dirty ORDER BY at, kind DESC, key")
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect()
            })
            .map_err(db("reading local changes"))?;
        self.clear_dirty()?;
        Ok(rows)
    }

    /// Forgets the notes (left by sync's own writes).
    pub fn clear_dirty(&self) -> Result<()> {
        self.tx
            .execute("DELETE FROM sync_dirty", [])
            .map(|_| ())
            .map_err(db("clearing local change notes"))
    }

    /// A story's (`kind` "story", by url_key) or highlight's (by uid)
    /// fields as the library holds them now; `None` when it is not here.
    pub fn fields(&self, kind: &str, key: &str) -> Result<Option<Fields>> {
        match kind {
            "story" => self.story_fields(key),
            "annotation" => self.annotation_fields(key),
            _ => Ok(None),
        }
    }

    fn story_id(&self, key: &str) -> Result<Option<StoryId>> {
        self.tx
            .prepare_cached("SELECT id FROM articles WHERE url_key = ?1")
            .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
            .map_err(db("looking up a story"))
    }

    fn story_fields(&self, key: &str) -> Result<Option<Fields>> {
        let row = self
            .tx
            .prepare_cached(
                "SELECT id, url, title, byline, site, language, dir, excerpt, published_at, \
                 saved_at, word_count, lead_image, readerable, starred, archived, read_at, \
                 progress FROM articles WHERE url_key = ?1",
            )
            .and_then(|mut s| {
                s.query_row([key], |r| {
                    let id: StoryId = r.get(0)?;
                    let mut f = Fields::new();
                    f.insert("url".into(), json!(r.get::<_, String>(1)?));
                    f.insert("title".into(), json!(r.get::<_, String>(2)?));
                    f.insert(
                        "meta".into(),
                        json!({
                            "byline": r.get::<_, Option<String>>(3)?,
                            "site": r.get::<_, Option<String>>(4)?,
                            "language": r.get::<_, Option<String>>(5)?,
                            "dir": r.get::<_, Option<String>>(6)?,
                            "excerpt": r.get::<_, Option<String>>(7)?,
                            "published_at": r.get::<_, Option<String>>(8)?,
                            "saved_at": r.get::<_, i64>(9)?,
                            "word_count": r.get::<_, i64>(10)?,
                            "lead_image": r.get::<_, Option<String>>(11)?,
                            "readerable": r.get::<_, bool>(12)?,
                        }),
                    );
                    f.insert("starred".into(), json!(r.get::<_, bool>(13)?));
                    f.insert("archived".into(), json!(r.get::<_, bool>(14)?));
                    f.insert("read_at".into(), json!(r.get::<_, Option<i64>>(15)?));
                    f.insert("progress".into(), json!(r.get::<_, f64>(16)?));
                    Ok((id, f))
                })
                .optional()
            })
            .map_err(db("reading a story for sync"))?;
        let Some((id, mut fields)) = row else {
            return Ok(None);
        };
        let tags: Vec<String> = self
            .tx
            .prepare_cached(
                "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id \
                 WHERE x.article_id = ?1 ORDER BY lower(t.name)",
            )
            .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
            .map_err(db("reading a story's tags"))?;
        fields.insert("tags".into(), json!(tags));
        let body = self.body_of(id)?;
        fields.insert("body".into(), json!(body.sha256()));
        Ok(Some(fields))
    }

    fn body_of(&self, id: StoryId) -> Result<Body> {
        let (html, text): (String, String) = self
            .tx
            .prepare_cached("SELECT html, text FROM article_content WHERE article_id = ?1")
            .and_then(|mut s| s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(db("reading a story's text"))?
            .unwrap_or_default();
        let assets: Vec<BodyAsset> = self
            .tx
            .prepare_cached(
                "SELECT x.sha256, a.mime, x.source_url FROM article_assets x \
                 JOIN assets a ON a.sha256 = x.sha256 WHERE x.article_id = ?1 ORDER BY x.sha256",
            )
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    Ok(BodyAsset {
                        sha256: r.get(0)?,
                        mime: r.get(1)?,
                        source_url: r.get(2)?,
                    })
                })?
                .collect()
            })
            .map_err(db("reading a story's images"))?;
        Ok(Body { html, text, assets })
    }

    /// A story's body, when the story is here.
    pub fn body(&self, key: &str) -> Result<Option<Body>> {
        match self.story_id(key)? {
            Some(id) => self.body_of(id).map(Some),
            None => Ok(None),
        }
    }

    /// An image's bytes, when the library holds it.
    pub fn asset_bytes(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.tx
            .prepare_cached("SELECT bytes FROM assets WHERE sha256 = ?1")
            .and_then(|mut s| s.query_row([sha256], |r| r.get(0)).optional())
            .map_err(db("reading an image"))
    }

    fn annotation_fields(&self, uid: &str) -> Result<Option<Fields>> {
        let row = self
            .tx
            .prepare_cached(
                "SELECT n.id, a.url_key, n.color, n.note, n.exact, n.prefix, n.suffix, n.start, \
                 n.\"end\", n.created_at FROM annotations n JOIN articles a ON a.id = n.article_id \
                 WHERE n.uid = ?1",
            )
            .and_then(|mut s| {
                s.query_row([uid], |r| {
                    let id: i64 = r.get(0)?;
                    let start: Option<i64> = r.get(7)?;
                    let end: Option<i64> = r.get(8)?;
                    let mut f = Fields::new();
                    f.insert("story".into(), json!(r.get::<_, String>(1)?));
                    f.insert("color".into(), json!(r.get::<_, String>(2)?));
                    f.insert("note".into(), json!(r.get::<_, String>(3)?));
                    f.insert(
                        "quote".into(),
                        json!({
                            "exact": r.get::<_, String>(4)?,
                            "prefix": r.get::<_, String>(5)?,
                            "suffix": r.get::<_, String>(6)?,
                            "start": start,
                            "end": end,
                        }),
                    );
                    f.insert("created_at".into(), json!(r.get::<_, i64>(9)?));
                    Ok((id, f))
                })
                .optional()
            })
            .map_err(db("reading a highlight for sync"))?;
        let Some((id, mut fields)) = row else {
            return Ok(None);
        };
        let tags: Vec<String> = self
            .tx
            .prepare_cached(
                "SELECT t.name FROM annotation_tags y JOIN tags t ON t.id = y.tag_id \
                 WHERE y.annotation_id = ?1 ORDER BY lower(t.name)",
            )
            .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
            .map_err(db("reading a highlight's tags"))?;
        fields.insert("tags".into(), json!(tags));
        Ok(Some(fields))
    }

    /// The registers of one story or highlight.
    pub fn registers(&self, kind: &str, key: &str) -> Result<Vec<Register>> {
        self.tx
            .prepare_cached(
                "SELECT field, value, stamp, device FROM sync_fields \
                 WHERE kind = ?1 AND key = ?2 ORDER BY field",
            )
            .and_then(|mut s| {
                s.query_map(params![kind, key], |r| {
                    Ok(Register {
                        field: r.get(0)?,
                        value: r.get(1)?,
                        stamp: r.get(2)?,
                        device: r.get(3)?,
                    })
                })?
                .collect()
            })
            .map_err(db("reading sync registers"))
    }

    pub fn put_register(&self, kind: &str, key: &str, register: &Register) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO sync_fields (kind, key, field, value, stamp, device) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    kind,
                    key,
                    register.field,
                    register.value,
                    register.stamp,
                    register.device
                ])
            })
            .map(|_| ())
            .map_err(db("keeping a sync register"))
    }

    /// The highlights whose `story` register names `story_key`.
    pub fn annotations_of(&self, story_key: &str) -> Result<Vec<String>> {
        self.tx
            .prepare_cached(
                "SELECT key FROM sync_fields WHERE kind = 'annotation' AND field = 'story' \
                 AND value = ?1 ORDER BY key",
            )
            .and_then(|mut s| {
                s.query_map([Value::from(story_key).to_string()], |r| r.get(0))?
                    .collect()
            })
            .map_err(db("finding a story's highlights"))
    }

    /// Every key of `kind` that has registers (a new device's full list).
    pub fn register_keys(&self, kind: &str) -> Result<Vec<String>> {
        self.tx
            .prepare_cached("SELECT DISTINCT key FROM sync_fields WHERE kind = ?1 ORDER BY key")
            .and_then(|mut s| s.query_map([kind], |r| r.get(0))?.collect())
            .map_err(db("listing sync registers"))
    }

    pub fn push_outbox(&self, op: &str) -> Result<()> {
        self.tx
            .prepare_cached("INSERT INTO sync_outbox (op) VALUES (?1)")
            .and_then(|mut s| s.execute([op]))
            .map(|_| ())
            .map_err(db("keeping an operation to send"))
    }

    /// Puts every operation not yet in a change file into change file
    /// `seq`; returns how many.
    pub fn assign_outbox(&self, seq: i64) -> Result<usize> {
        self.tx
            .execute("UPDATE sync_outbox SET seq = ?1 WHERE seq IS NULL", [seq])
            .map_err(db("choosing the operations to send"))
    }

    /// The change files chosen but not yet confirmed sent, with their
    /// operations in order.
    pub fn outbox_files(&self) -> Result<Vec<(i64, Vec<String>)>> {
        let rows: Vec<(i64, String)> = self
            .tx
            .prepare_cached(
                "SELECT seq, op FROM sync_outbox WHERE seq IS NOT NULL ORDER BY seq, id",
            )
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(db("reading the operations to send"))?;
        let mut files: Vec<(i64, Vec<String>)> = Vec::new();
        for (seq, op) in rows {
            match files.last_mut() {
                Some((last, ops)) if *last == seq => ops.push(op),
                _ => files.push((seq, vec![op])),
            }
        }
        Ok(files)
    }

    /// Change file `seq` is on the shared storage: its operations leave
    /// the outbox.
    pub fn sent(&self, seq: i64) -> Result<()> {
        self.tx
            .execute("DELETE FROM sync_outbox WHERE seq = ?1", [seq])
            .map(|_| ())
            .map_err(db("clearing sent operations"))
    }

    /// How far each other device's change files have been applied.
    pub fn peers(&self) -> Result<BTreeMap<String, i64>> {
        self.tx
            .prepare_cached("SELECT device, seq FROM sync_peers")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(db("reading other devices' positions"))
    }

    pub fn set_peer(&self, device: &str, seq: i64) -> Result<()> {
        self.tx
            .prepare_cached("INSERT OR REPLACE INTO sync_peers (device, seq) VALUES (?1, ?2)")
            .and_then(|mut s| s.execute(params![device, seq]))
            .map(|_| ())
            .map_err(db("keeping another device's position"))
    }

    /// Which pack on the shared storage holds a body or an image.
    pub fn blob_pack(&self, sha256: &str) -> Result<Option<String>> {
        self.tx
            .prepare_cached("SELECT pack FROM sync_blobs WHERE sha256 = ?1")
            .and_then(|mut s| s.query_row([sha256], |r| r.get(0)).optional())
            .map_err(db("finding a pack"))
    }

    pub fn set_blob_pack(&self, sha256: &str, pack: &str) -> Result<()> {
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO sync_blobs (sha256, pack) VALUES (?1, ?2)")
            .and_then(|mut s| s.execute(params![sha256, pack]))
            .map(|_| ())
            .map_err(db("keeping a pack's place"))
    }

    /// Writes a story from its fields, or deletes it (`None`). `body` is
    /// its body when the `body` field names one the story does not have
    /// yet, with the images' bytes; a new story without one gets an empty
    /// body until it comes.
    pub fn write_story(
        &mut self,
        key: &str,
        fields: Option<&Fields>,
        body: Option<(&Body, &Images)>,
    ) -> Result<()> {
        let existing = self.story_id(key)?;
        let Some(f) = fields else {
            if let Some(id) = existing {
                super::stories::delete_stories_tx(&self.tx, &[id])?;
                self.touched.push(id);
            }
            return Ok(());
        };
        let text = |name: &str| f.get(name).and_then(Value::as_str).map(str::to_string);
        let meta = f.get("meta").cloned().unwrap_or(Value::Null);
        let m_str = |name: &str| meta.get(name).and_then(Value::as_str).map(str::to_string);
        let now = now_ms();
        let url = text("url").unwrap_or_else(|| key.to_string());
        let title = text("title").unwrap_or_default();
        let saved_at = meta.get("saved_at").and_then(Value::as_i64).unwrap_or(now);
        let word_count = meta.get("word_count").and_then(Value::as_i64).unwrap_or(0);
        let readerable = meta
            .get("readerable")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let starred = f.get("starred").and_then(Value::as_bool).unwrap_or(false);
        let archived = f.get("archived").and_then(Value::as_bool).unwrap_or(false);
        let read_at = f.get("read_at").and_then(Value::as_i64);
        let progress = f
            .get("progress")
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
            .clamp(0.0, 1.0);
        // The lead image must be one the library holds (a foreign key).
        let lead = m_str("lead_image");
        let lead = match (&lead, body) {
            (Some(sha), Some((_, bytes))) if bytes.contains_key(sha) => lead,
            (Some(sha), _) if self.asset_bytes(sha)?.is_some() => lead,
            _ => None,
        };
        let id = match existing {
            Some(id) => {
                self.tx
                    .prepare_cached(
                        "UPDATE articles SET url = ?2, title = ?3, byline = ?4, site = ?5, \
                         language = ?6, dir = ?7, excerpt = ?8, published_at = ?9, \
                         saved_at = ?10, word_count = ?11, readerable = ?12, starred = ?13, \
                         archived = ?14, read_at = ?15, progress = ?16, updated_at = ?17 \
                         WHERE id = ?1",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            id,
                            url,
                            title,
                            m_str("byline"),
                            m_str("site"),
                            m_str("language"),
                            m_str("dir"),
                            m_str("excerpt"),
                            m_str("published_at"),
                            saved_at,
                            word_count,
                            readerable,
                            starred,
                            archived,
                            read_at,
                            progress,
                            now
                        ])
                    })
                    .map_err(db("updating a synced story"))?;
                id
            }
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO articles (url, url_key, title, byline, site, language, dir, \
                         excerpt, published_at, saved_at, updated_at, word_count, readerable, \
                         starred, archived, read_at, progress) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, \
                         ?15, ?16, ?17)",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            url,
                            key,
                            title,
                            m_str("byline"),
                            m_str("site"),
                            m_str("language"),
                            m_str("dir"),
                            m_str("excerpt"),
                            m_str("published_at"),
                            saved_at,
                            now,
                            word_count,
                            readerable,
                            starred,
                            archived,
                            read_at,
                            progress
                        ])
                    })
                    .map_err(db("adding a synced story"))?;
                let id = self.tx.last_insert_rowid();
                self.tx
                    .execute(
                        "INSERT INTO article_content (article_id, html, text) VALUES (?1, '', '')",
                        [id],
                    )
                    .map_err(db("adding a synced story's text"))?;
                id
            }
        };
        if let Some((body, bytes)) = body {
            self.write_body(id, body, bytes)?;
        }
        self.tx
            .execute(
                "UPDATE articles SET lead_image = ?2 WHERE id = ?1 AND lead_image IS NOT ?2",
                params![id, lead],
            )
            .map_err(db("setting a synced story's image"))?;
        let tags: Vec<String> = f
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        self.tx
            .execute("DELETE FROM article_tags WHERE article_id = ?1", [id])
            .map_err(db("retagging a synced story"))?;
        super::tags::add_tags_tx(&self.tx, id, &tags)?;
        super::tags::delete_unused_tags(&self.tx)?;
        let text: String = self
            .tx
            .query_row(
                "SELECT text FROM article_content WHERE article_id = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(db("reading a synced story's text"))?;
        index_story(
            &self.tx,
            id,
            &title,
            m_str("byline").as_deref(),
            m_str("site").as_deref(),
            &text,
        )?;
        self.touched.push(id);
        Ok(())
    }

    fn write_body(&self, id: StoryId, body: &Body, bytes: &Images) -> Result<()> {
        let now = now_ms();
        self.tx
            .execute(
                "UPDATE article_content SET html = ?2, text = ?3 WHERE article_id = ?1",
                params![id, body.html, body.text],
            )
            .and_then(|_| {
                self.tx
                    .execute("DELETE FROM article_assets WHERE article_id = ?1", [id])
            })
            .map_err(db("writing a synced story's text"))?;
        for asset in &body.assets {
            if let Some(b) = bytes.get(&asset.sha256) {
                self.tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO assets (sha256, mime, size, bytes, created_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )
                    .and_then(|mut s| {
                        s.execute(params![asset.sha256, asset.mime, b.len() as i64, b, now])
                    })
                    .map_err(db("storing a synced image"))?;
            }
            self.tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO article_assets (article_id, sha256, source_url) \
                     SELECT ?1, sha256, ?3 FROM assets WHERE sha256 = ?2",
                )
                .and_then(|mut s| s.execute(params![id, asset.sha256, asset.source_url]))
                .map_err(db("linking a synced image"))?;
        }
        Ok(())
    }

    /// Writes a highlight from its fields, or deletes it (`None`). A
    /// highlight whose story is not here is left out (it comes with it).
    pub fn write_annotation(&mut self, uid: &str, fields: Option<&Fields>) -> Result<()> {
        let existing: Option<(i64, StoryId)> = self
            .tx
            .prepare_cached("SELECT id, article_id FROM annotations WHERE uid = ?1")
            .and_then(|mut s| {
                s.query_row([uid], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(db("looking up a highlight"))?;
        let story = match fields.and_then(|f| f.get("story")).and_then(Value::as_str) {
            Some(key) => self.story_id(key)?,
            None => None,
        };
        let (Some(f), Some(story)) = (fields, story) else {
            if let Some((id, story)) = existing {
                self.tx
                    .execute("DELETE FROM annotations WHERE id = ?1", [id])
                    .map_err(db("deleting a synced highlight"))?;
                reindex_story(&self.tx, story)?;
                self.touched.push(story);
            }
            return Ok(());
        };
        let s = |name: &str| {
            f.get(name)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let quote = f.get("quote").cloned().unwrap_or(Value::Null);
        let q = |name: &str| {
            quote
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let start = quote.get("start").and_then(Value::as_i64);
        let end = quote.get("end").and_then(Value::as_i64);
        let color = crate::annotate::Color::parse(&s("color"))
            .unwrap_or_default()
            .name();
        let created = f.get("created_at").and_then(Value::as_i64).unwrap_or(0);
        let id = match existing {
            Some((id, old_story)) if old_story == story => {
                self.tx
                    .execute(
                        "UPDATE annotations SET color = ?2, note = ?3, exact = ?4, prefix = ?5, \
                         suffix = ?6, start = ?7, \"end\" = ?8, created_at = ?9, \
                         modified_at = ?10 WHERE id = ?1",
                        params![
                            id,
                            color,
                            s("note"),
                            q("exact"),
                            q("prefix"),
                            q("suffix"),
                            start,
                            end,
                            created,
                            now_ms()
                        ],
                    )
                    .map_err(db("updating a synced highlight"))?;
                id
            }
            other => {
                if let Some((id, _)) = other {
                    self.tx
                        .execute("DELETE FROM annotations WHERE id = ?1", [id])
                        .map_err(db("moving a synced highlight"))?;
                }
                self.tx
                    .execute(
                        "INSERT INTO annotations (uid, article_id, color, note, exact, prefix, \
                         suffix, start, \"end\", created_at, modified_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                        params![
                            uid,
                            story,
                            color,
                            s("note"),
                            q("exact"),
                            q("prefix"),
                            q("suffix"),
                            start,
                            end,
                            created,
                            now_ms()
                        ],
                    )
                    .map_err(db("adding a synced highlight"))?;
                self.tx.last_insert_rowid()
            }
        };
        let tags: Vec<String> = f
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        self.tx
            .execute("DELETE FROM annotation_tags WHERE annotation_id = ?1", [id])
            .map_err(db("retagging a synced highlight"))?;
        super::annotations::set_annotation_tags(&self.tx, id, &tags)?;
        super::tags::delete_unused_tags(&self.tx)?;
        reindex_story(&self.tx, story)?;
        self.touched.push(story);
        Ok(())
    }

    /// Commits, telling the listeners which stories sync wrote.
    pub fn commit(mut self) -> Result<()> {
        self.touched.sort_unstable();
        self.touched.dedup();
        let stories = std::mem::take(&mut self.touched);
        self.tx.record(Change::Synced { stories });
        self.tx.commit().map_err(db("committing a sync"))
    }
}
