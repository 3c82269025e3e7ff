//! Assets: the images of saved stories, stored in the library as blobs
//! addressed by the sha256 of their bytes, so one file holds everything and
//! reading needs no network. Stored HTML refers to them as
//! `gloss-asset://localhost/<sha256>`, a URI scheme the app serves.

use rusqlite::{OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use super::Library;
use crate::{Error, Result};

/// What stored HTML uses in place of a remote image URL.
pub const ASSET_URL_PREFIX: &str = "gloss-asset://localhost/";

/// The sha256 of some bytes in lowercase hex: an asset's address.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The URL the reader loads an asset from.
pub fn asset_url(sha256: &str) -> String {
    format!("{ASSET_URL_PREFIX}{sha256}")
}

/// The sha256 in an asset URL or path (`gloss-asset://localhost/<sha>`, or
/// just `/<sha>` as a URI scheme handler sees it), if it is well formed.
pub fn parse_asset_url(url: &str) -> Option<&str> {
    let sha = url
        .strip_prefix(ASSET_URL_PREFIX)
        .or_else(|| url.strip_prefix('/'))
        .unwrap_or(url);
    let sha = sha.split(['?', '#']).next().unwrap_or(sha);
    (sha.len() == 64
        && sha
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
    .then_some(sha)
}

/// A stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub mime: String,
    pub bytes: Vec<u8>,
}

pub(super) fn delete_orphan_assets(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "DELETE FROM assets WHERE NOT EXISTS \
         (SELECT 1 FROM article_assets x WHERE x.sha256 = assets.sha256) \
         AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.lead_image = assets.sha256) \
         AND NOT EXISTS (SELECT 1 FROM feeds f WHERE f.icon = assets.sha256)",
        [],
    )
    .map_err(|e| Error::db("removing unused images", e))?;
    Ok(())
}

impl Library {
    /// An asset by its sha256, or `None` when the library does not have it.
    pub fn asset(&self, sha256: &str) -> Result<Option<Asset>> {
        self.conn
            .prepare_cached("SELECT mime, bytes FROM assets WHERE sha256 = ?1")
            .and_then(|mut s| {
                s.query_row([sha256], |r| {
                    Ok(Asset {
                        mime: r.get(0)?,
                        bytes: r.get(1)?,
                    })
                })
                .optional()
            })
            .map_err(|e| Error::db("reading an image", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn asset_urls_round_trip_and_reject_anything_else() {
        let sha = "a".repeat(64);
        assert_eq!(parse_asset_url(&asset_url(&sha)), Some(sha.as_str()));
        assert_eq!(parse_asset_url(&format!("/{sha}")), Some(sha.as_str()));
        assert_eq!(parse_asset_url("/../../etc/passwd"), None);
        assert_eq!(parse_asset_url(&"A".repeat(64)), None);
        assert_eq!(parse_asset_url("gloss-asset://localhost/abc"), None);
    }
}
