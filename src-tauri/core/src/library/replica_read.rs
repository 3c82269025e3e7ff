//! Sync's reads of stories, highlights, feeds and folders as field maps
//! (docs/sync.md names the fields of each): what a change is compared with.

use rusqlite::OptionalExtension;
use serde_json::json;

use super::replica::{db, Body, BodyAsset, Fields, Replica};
use crate::model::StoryId;
use crate::Result;

impl Replica<'_> {
    /// A story's (`kind` "story", by url_key) or highlight's (by uid)
    /// fields as the library holds them now; `None` when it is not here.
    pub fn fields(&self, kind: &str, key: &str) -> Result<Option<Fields>> {
        match kind {
            "story" => self.story_fields(key),
            "annotation" => self.annotation_fields(key),
            "feed" => self.feed_fields(key),
            "folder" => self.folder_fields(key),
            _ => Ok(None),
        }
    }

    pub(super) fn story_id(&self, key: &str) -> Result<Option<StoryId>> {
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
        let tags = self.tag_names(
            "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id \
             WHERE x.article_id = ?1 ORDER BY lower(t.name)",
            id,
        )?;
        fields.insert("tags".into(), json!(tags));
        let body = self.body_of(id)?;
        fields.insert("body".into(), json!(body.sha256()));
        Ok(Some(fields))
    }

    /// The tag names `sql` selects for a story or highlight `id`.
    fn tag_names(&self, sql: &str, id: i64) -> Result<Vec<String>> {
        self.tx
            .prepare_cached(sql)
            .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
            .map_err(db("reading tags"))
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
        let tags = self.tag_names(
            "SELECT t.name FROM annotation_tags y JOIN tags t ON t.id = y.tag_id \
             WHERE y.annotation_id = ?1 ORDER BY lower(t.name)",
            id,
        )?;
        fields.insert("tags".into(), json!(tags));
        Ok(Some(fields))
    }

    fn feed_fields(&self, url: &str) -> Result<Option<Fields>> {
        self.tx
            .prepare_cached(
                "SELECT f.title, f.site_url, lower(d.name), f.full_text, f.retention_days \
                 FROM feeds f LEFT JOIN folders d ON d.id = f.folder_id WHERE f.url = ?1",
            )
            .and_then(|mut s| {
                s.query_row([url], |r| {
                    let mut f = Fields::new();
                    f.insert("url".into(), json!(url));
                    f.insert("title".into(), json!(r.get::<_, String>(0)?));
                    f.insert("site_url".into(), json!(r.get::<_, Option<String>>(1)?));
                    f.insert("folder".into(), json!(r.get::<_, Option<String>>(2)?));
                    f.insert("full_text".into(), json!(r.get::<_, bool>(3)?));
                    f.insert("retention_days".into(), json!(r.get::<_, Option<i64>>(4)?));
                    Ok(f)
                })
                .optional()
            })
            .map_err(db("reading a feed for sync"))
    }

    fn folder_fields(&self, key: &str) -> Result<Option<Fields>> {
        self.tx
            .prepare_cached("SELECT name FROM folders WHERE lower(name) = ?1")
            .and_then(|mut s| {
                s.query_row([key], |r| {
                    Ok(Fields::from([(
                        "name".to_string(),
                        json!(r.get::<_, String>(0)?),
                    )]))
                })
                .optional()
            })
            .map_err(db("reading a folder for sync"))
    }
}
