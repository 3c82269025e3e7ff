//! The library's side of sync: the rows sync keeps beside the stories (this
//! file), and stories, highlights, feeds and folders read as plain field
//! maps (`replica_read.rs`) and written from them (`replica_write.rs`).
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
use serde_json::Value;

use super::changes::{Change, Write};
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
        .and_then(|_| {
            tx.execute(
                "INSERT INTO sync_dirty SELECT 'feed', url, ?1 FROM feeds",
                [now],
            )
        })
        .and_then(|_| {
            tx.execute(
                "INSERT OR IGNORE INTO sync_dirty SELECT 'folder', lower(name), ?1 FROM folders",
                [now],
            )
        })
        .map_err(|e| Error::db("noting the stories to send", e))?;
        let state = read_state(&tx)?;
        tx.commit().map_err(|e| Error::db("turning sync on", e))?;
        state.ok_or_else(|| Error::InvalidInput("sync could not be turned on".into()))
    }

    /// Changes where sync goes (the same shared library somewhere else, or
    /// with other settings), keeping its state.
    pub fn sync_move(&mut self, settings: &str) -> Result<()> {
        let mut tx = self.write("changing the sync settings")?;
        tx.record(Change::Synced {
            stories: Vec::new(),
        });
        tx.execute(
            "UPDATE sync_state SET settings = ?1 WHERE id = 1",
            [settings],
        )
        .map_err(|e| Error::db("changing the sync settings", e))?;
        tx.commit()
            .map_err(|e| Error::db("changing the sync settings", e))
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
            ("feed", "SELECT url FROM feeds ORDER BY url"),
            (
                "folder",
                "SELECT lower(name) FROM folders ORDER BY lower(name)",
            ),
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
    pub(super) tx: Write<'c>,
    /// The stories written, for the change the commit records.
    pub(super) touched: Vec<StoryId>,
}

pub(super) fn db(what: &'static str) -> impl Fn(rusqlite::Error) -> Error {
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

    /// The keys of `kind` whose `field` register holds `key` (a story's
    /// highlights, a folder's feeds).
    pub fn referring(&self, kind: &str, field: &str, key: &str) -> Result<Vec<String>> {
        self.tx
            .prepare_cached(
                "SELECT key FROM sync_fields WHERE kind = ?1 AND field = ?2 AND value = ?3 \
                 ORDER BY key",
            )
            .and_then(|mut s| {
                s.query_map(params![kind, field, Value::from(key).to_string()], |r| {
                    r.get(0)
                })?
                .collect()
            })
            .map_err(db("finding what refers to a story or folder"))
    }

    /// Every register, as (kind, key, register), for a snapshot.
    pub fn all_registers(&self) -> Result<Vec<(String, String, Register)>> {
        self.tx
            .prepare("SELECT kind, key, field, value, stamp, device FROM sync_fields ORDER BY kind, key, field")
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        Register {
                            field: r.get(2)?,
                            value: r.get(3)?,
                            stamp: r.get(4)?,
                            device: r.get(5)?,
                        },
                    ))
                })?
                .collect()
            })
            .map_err(db("reading sync registers"))
    }

    /// Every known body and image with its pack, for a snapshot.
    pub fn all_blob_packs(&self) -> Result<Vec<(String, String)>> {
        self.tx
            .prepare("SELECT sha256, pack FROM sync_blobs ORDER BY sha256")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(db("reading the pack index"))
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

    /// Commits, telling the listeners which stories sync wrote.
    pub fn commit(mut self) -> Result<()> {
        self.touched.sort_unstable();
        self.touched.dedup();
        let stories = std::mem::take(&mut self.touched);
        self.tx.record(Change::Synced { stories });
        self.tx.commit().map_err(db("committing a sync"))
    }
}
