//! Gloss's own export: `gloss-export.zip` with `library.json` (stories with
//! content, states, tags, highlights, feeds; no ids) and `assets/<sha256>`
//! (the images, stored as they are). Importing it into an empty library
//! gives back the same library, so exporting that again gives the same
//! `library.json`.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Write};

use serde::{Deserialize, Serialize};

use super::dates;
use super::export_counts::{ExportCounts, Step};
use super::item::Failure;
use super::zipread::{self, ZipLimits};
use crate::annotate::{TextPositionSelector, TextQuoteSelector};
use crate::library::{
    parse_asset_url, sha256_hex, ExportedFeed, ExportedStory, ImportAnnotation, ImportRow,
    NewAsset, NewStory, ASSET_URL_PREFIX,
};
use crate::model::{ListQuery, StoryId};
use crate::{extract, urls, Error, Library, Result};

/// The `format` field of `library.json`.
pub const FORMAT: &str = "gloss-export";
/// The version of its layout.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlossExport {
    pub format: String,
    pub version: u32,
    pub stories: Vec<ExportedStory>,
    pub feeds: Vec<ExportedFeed>,
}

/// The library's `library.json` for the stories `ids` (newest first, as a
/// list gives them; written oldest first) and every feed. `step` is called
/// after each story.
pub fn library_json(lib: &Library, ids: &[StoryId], step: Step<'_>) -> Result<GlossExport> {
    let mut stories = Vec::with_capacity(ids.len());
    for id in ids.iter().rev() {
        stories.push(lib.export_story(*id)?);
        step()?;
    }
    Ok(GlossExport {
        format: FORMAT.into(),
        version: VERSION,
        stories,
        feeds: lib.export_feeds()?,
    })
}

/// Writes `gloss-export.zip` of the stories `ids` to `out`.
pub fn write_zip(
    lib: &Library,
    ids: &[StoryId],
    out: impl Write + std::io::Seek,
    step: Step<'_>,
) -> Result<ExportCounts> {
    let doc = library_json(lib, ids, step)?;
    let json = serde_json::to_vec_pretty(&doc)
        .map_err(|e| Error::io("writing library.json", std::io::Error::other(e)))?;
    let mut shas: BTreeMap<String, ()> = BTreeMap::new();
    for s in &doc.stories {
        for a in &s.assets {
            shas.insert(a.sha256.clone(), ());
        }
        if let Some(l) = &s.lead_image {
            shas.insert(l.clone(), ());
        }
    }
    let zip_err =
        |e: zip::result::ZipError| Error::io("writing the export", std::io::Error::other(e));
    let mut w = zip::ZipWriter::new(out);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("library.json", deflated).map_err(zip_err)?;
    w.write_all(&json)
        .map_err(|e| Error::io("writing the export", e))?;
    let mut assets = 0;
    for sha in shas.keys() {
        if let Some(asset) = lib.asset(sha)? {
            // Images are compressed already.
            w.start_file(format!("assets/{sha}"), stored)
                .map_err(zip_err)?;
            w.write_all(&asset.bytes)
                .map_err(|e| Error::io("writing the export", e))?;
            assets += 1;
        }
    }
    w.finish().map_err(zip_err)?;
    Ok(ExportCounts {
        stories: doc.stories.len() as u32,
        images: assets,
        feeds: doc.feeds.len() as u32,
        ..Default::default()
    })
}

/// A Gloss export read from a file: `library.json` and the asset bytes.
pub struct GlossImport {
    pub doc: GlossExport,
    pub assets: HashMap<String, Vec<u8>>,
    /// Stories left out, with the reason.
    pub failed: Vec<Failure>,
    /// Images that could not be read: their stories are imported without
    /// them, so these are not items that failed.
    pub warnings: Vec<String>,
}

/// Reads a `gloss-export.zip`, or a bare `library.json`.
pub fn read(bytes: &[u8], limits: ZipLimits) -> Result<GlossImport> {
    let mut failed = Vec::new();
    let mut warnings = Vec::new();
    let mut assets = HashMap::new();
    let json = if zipread::is_zip(bytes) {
        let mut json = None;
        let mut unreadable = Vec::new();
        for e in zipread::read(
            bytes,
            limits,
            |n| n == "library.json" || n.starts_with("assets/"),
            &mut unreadable,
        )? {
            if e.name == "library.json" {
                json = Some(e.bytes);
            } else if let Some(sha) = e.name.strip_prefix("assets/") {
                if sha256_hex(&e.bytes) == sha {
                    assets.insert(sha.to_string(), e.bytes);
                } else {
                    warnings.push(format!(
                        "{}: its bytes do not match its name; the image is left out",
                        e.name
                    ));
                }
            }
        }
        let Some(json) = json else {
            return Err(missing_library_json(&unreadable));
        };
        warnings.extend(
            unreadable
                .into_iter()
                .map(|f| format!("{}: {}; the image is left out", f.item, f.reason)),
        );
        json
    } else {
        bytes.to_vec()
    };
    let mut doc: GlossExport = serde_json::from_slice(&json).map_err(|e| {
        Error::InvalidInput(format!(
            "library.json could not be read ({e}); export it again from Gloss"
        ))
    })?;
    if doc.format != FORMAT || doc.version > VERSION {
        return Err(Error::Unsupported(format!(
            "this export is {} version {}; this Gloss reads {FORMAT} version {VERSION}: update Gloss",
            doc.format, doc.version
        )));
    }
    // A file is not trusted, even one that says it is Gloss's: a story's
    // address is a web page or a saved local file, never `javascript:` or `data:`.
    let mut n = 0;
    doc.stories.retain(|s| {
        n += 1;
        let ok =
            url::Url::parse(&s.url).is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "file"));
        if !ok {
            let shown = if s.url.trim().is_empty() {
                format!("story {n} ({})", s.title)
            } else {
                format!("story {n} ({})", s.url)
            };
            failed.push(Failure::new(
                shown,
                "not a web address or a local file; left out",
            ));
        }
        ok
    });
    Ok(GlossImport {
        doc,
        assets,
        failed,
        warnings,
    })
}

/// Why a ZIP gave no `library.json`: damaged (a bad checksum, an unreadable
/// entry: the reader listed why) or simply not there.
fn missing_library_json(failed: &[Failure]) -> Error {
    match failed.iter().find(|f| f.item == "library.json") {
        Some(damaged) => Error::InvalidInput(format!(
            "library.json in the archive is damaged ({}); nothing was imported: export the \
             library again from Gloss, or use another copy of the file",
            damaged.reason
        )),
        None => {
            Error::InvalidInput("the archive has no library.json; it is not a Gloss export".into())
        }
    }
}

fn ms(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.timestamp_millis())
}

/// One story of a Gloss export as a library row (merged by URL like any
/// import); `feed_id` is the library's id of the feed it came from.
pub(super) fn row(
    s: ExportedStory,
    feed_id: Option<i64>,
    bytes: &HashMap<String, Vec<u8>>,
    warnings: &mut Vec<String>,
) -> ImportRow {
    let assets: Vec<NewAsset> = s
        .assets
        .iter()
        .filter_map(|a| {
            let found = bytes.get(&a.sha256).cloned();
            if found.is_none() {
                warnings.push(format!(
                    "{}: image {} is not in the export",
                    s.url, a.sha256
                ));
            }
            let found = found?;
            // The type comes from the bytes, as for a downloaded image: the
            // app serves an asset with its stored type, so an HTML or SVG
            // file called an image in library.json must not get in.
            let Some(mime) = crate::fetch::sniff_image(&found) else {
                warnings.push(format!(
                    "{}: asset {} is not an image Gloss keeps; left out",
                    s.url, a.sha256
                ));
                return None;
            };
            Some(NewAsset {
                sha256: a.sha256.clone(),
                mime: mime.to_string(),
                bytes: found,
                source_url: a.source_url.clone(),
            })
        })
        .collect();
    let lead_image = s
        .lead_image
        .filter(|l| assets.iter().any(|a| &a.sha256 == l));
    let annotations = s
        .annotations
        .into_iter()
        .map(|a| ImportAnnotation {
            quote: TextQuoteSelector {
                exact: a.exact,
                prefix: a.prefix,
                suffix: a.suffix,
            },
            position: a
                .start
                .zip(a.end)
                .map(|(start, end)| TextPositionSelector { start, end }),
            color: a.color,
            note: a.note,
            tags: a.tags,
            created_ms: ms(&a.created),
            modified_ms: ms(&a.modified),
        })
        .collect();
    // Dates are checked like any import's: a library that stored a
    // microsecond count as milliseconds exported the year 53189, which must
    // neither be kept nor cost the story its read state.
    let shown = |what: &str| format!("{} ({what})", s.url);
    let saved_at = dates::field(&s.saved_at, &shown("saved"), warnings);
    let read_at = s.read_at.as_deref().map(|r| {
        dates::field(r, &shown("read"), warnings)
            .or(saved_at)
            .unwrap_or_else(|| chrono::Utc::now().timestamp_millis())
    });
    ImportRow {
        story: NewStory {
            url_key: current_key(&s.url, s.url_key),
            url: s.url,
            title: s.title,
            byline: s.byline,
            site: s.site,
            language: s.language,
            dir: s.dir,
            excerpt: s.excerpt,
            published_at: s.published_at,
            html: resanitize(&s.html),
            text: s.text,
            word_count: s.word_count,
            assets,
            lead_image,
            tags: s.tags,
            feed_id,
            readerable: s.readerable,
            saved_at,
            origin: s.origin,
        },
        needs_content: s.needs_content,
        starred: s.starred,
        archived: s.archived,
        read_at,
        progress: s.progress,
        annotations,
    }
}

/// The key a web address has today: a file written by an older Gloss keeps
/// the key of its time (before content fragments were kept, every
/// `#!/…` address of a site had the site's key), which would merge stories
/// that are not the same. Local files keep the key they were saved with.
fn current_key(url: &str, written: String) -> String {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => urls::normalize(&u),
        _ => written,
    }
}

/// HTML from a file is never trusted, even Gloss's own: it goes through the
/// sanitizer again. Asset images (a scheme the sanitizer does not allow)
/// pass through it as a placeholder https address and are put back after.
fn resanitize(html: &str) -> String {
    const STAND_IN: &str = "https://gloss-asset.invalid/";
    let clean = extract::sanitize_html(&html.replace(ASSET_URL_PREFIX, STAND_IN));
    let back = clean.replace(STAND_IN, ASSET_URL_PREFIX);
    // Only well-formed asset addresses survive; anything else pointing there is dropped.
    if back.matches(ASSET_URL_PREFIX).count()
        == back
            .split(ASSET_URL_PREFIX)
            .skip(1)
            .filter(|rest| parse_asset_url(rest.get(..64).unwrap_or("")).is_some())
            .count()
    {
        back
    } else {
        clean
    }
}

/// For tests: a `gloss-export.zip` of the whole library in memory.
pub fn zip_bytes(lib: &Library) -> Result<Vec<u8>> {
    let mut buf = Cursor::new(Vec::new());
    let ids = super::selection::list_ids(lib, &ListQuery::default())?;
    write_zip(lib, &ids, &mut buf, &mut || Ok(()))?;
    Ok(buf.into_inner())
}
