//! The files on the shared storage, byte for byte: change files and packs.
//! docs/sync.md describes the layout.
//!
//! Every file starts with a line that names its format and carries the
//! sha256 and length of the rest, so a file cut short by a sync tool that
//! has not finished copying it, or damaged on the way, is recognised and
//! skipped until it is whole: nothing of it is applied. A file of a newer
//! format is refused with a message that says to update Gloss.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ops::Op;
use crate::library::sha256_hex;

/// The format this Gloss writes and reads.
pub const FORMAT: u32 = 1;

pub const LIBRARY_FILE: &str = "library.json";
pub const CHANGES_DIR: &str = "changes";
pub const PACKS_DIR: &str = "packs";

/// Why a file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("{0} was written by a newer Gloss (sync format {1}, this one reads {FORMAT}): update Gloss on this computer")]
    Newer(String, u32),
    #[error("{0} is incomplete or damaged; it is skipped until it is whole")]
    Damaged(String),
}

/// What the library file at the root of the storage says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibraryFile {
    pub format: u32,
    /// The shared library's id: a folder belongs to one library.
    pub library: String,
}

/// One device's change file: the operations of one sync, and the packs
/// that carry the bodies and images they name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeFile {
    pub device: String,
    pub seq: i64,
    /// Pack name → the sha256 of every body and image in it.
    pub packs: BTreeMap<String, Vec<String>>,
    pub ops: Vec<Op>,
}

/// The name of a device's change file `seq`.
pub fn change_path(device: &str, seq: i64) -> String {
    format!("{CHANGES_DIR}/{device}-{seq:010}.json")
}

/// The device and number in a change file's name (`None` for other files,
/// such as a transport's temporary ones).
pub fn parse_change_name(name: &str) -> Option<(String, i64)> {
    let name = name.rsplit('/').next()?;
    let stem = name.strip_suffix(".json")?;
    let (device, seq) = stem.rsplit_once('-')?;
    if device.is_empty() || !device.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Some((device.to_string(), seq.parse().ok()?))
}

pub fn pack_path(name: &str) -> String {
    format!("{PACKS_DIR}/{name}.pack")
}

/// Wraps `body` in the header line.
fn seal(kind: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("{kind} {FORMAT} {} {}\n", sha256_hex(body), body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The body of a sealed file, checked.
fn open<'a>(kind: &str, name: &str, bytes: &'a [u8]) -> Result<&'a [u8], FileError> {
    let damaged = || FileError::Damaged(name.to_string());
    let end = bytes.iter().position(|&b| b == b'\n').ok_or_else(damaged)?;
    let header = std::str::from_utf8(&bytes[..end]).map_err(|_| damaged())?;
    let mut parts = header.split(' ');
    if parts.next() != Some(kind) {
        return Err(damaged());
    }
    let format: u32 = parts
        .next()
        .and_then(|f| f.parse().ok())
        .ok_or_else(damaged)?;
    if format > FORMAT {
        return Err(FileError::Newer(name.to_string(), format));
    }
    let sha = parts.next().ok_or_else(damaged)?;
    let len: usize = parts
        .next()
        .and_then(|l| l.parse().ok())
        .ok_or_else(damaged)?;
    let body = &bytes[end + 1..];
    if body.len() != len || sha256_hex(body) != sha {
        return Err(damaged());
    }
    Ok(body)
}

pub fn encode_changes(file: &ChangeFile) -> Vec<u8> {
    seal(
        "GLOSS-CHANGES",
        &serde_json::to_vec(file).unwrap_or_default(),
    )
}

pub fn decode_changes(name: &str, bytes: &[u8]) -> Result<ChangeFile, FileError> {
    let body = open("GLOSS-CHANGES", name, bytes)?;
    serde_json::from_slice(body).map_err(|_| FileError::Damaged(name.to_string()))
}

pub fn encode_library(file: &LibraryFile) -> Vec<u8> {
    seal(
        "GLOSS-LIBRARY",
        &serde_json::to_vec(file).unwrap_or_default(),
    )
}

pub fn decode_library(name: &str, bytes: &[u8]) -> Result<LibraryFile, FileError> {
    let body = open("GLOSS-LIBRARY", name, bytes)?;
    let file: LibraryFile =
        serde_json::from_slice(body).map_err(|_| FileError::Damaged(name.to_string()))?;
    if file.format > FORMAT {
        return Err(FileError::Newer(name.to_string(), file.format));
    }
    Ok(file)
}

/// A pack: many bodies and images in one file (10,000 stories are a few
/// files, not 10,000). Returns its name (the sha256 of its bytes) and bytes.
pub fn encode_pack(blobs: &[(String, Vec<u8>)]) -> (String, Vec<u8>) {
    let mut index = Vec::new();
    let mut data = Vec::new();
    for (sha, bytes) in blobs {
        index.push((sha.clone(), data.len(), bytes.len()));
        data.extend_from_slice(bytes);
    }
    let mut body = serde_json::to_vec(&index).unwrap_or_default();
    body.push(b'\n');
    body.extend_from_slice(&data);
    let sealed = seal("GLOSS-PACK", &body);
    (sha256_hex(&sealed), sealed)
}

/// The blobs of a pack, each checked against its sha256.
pub fn decode_pack(name: &str, bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, FileError> {
    let damaged = || FileError::Damaged(name.to_string());
    let body = open("GLOSS-PACK", name, bytes)?;
    let end = body.iter().position(|&b| b == b'\n').ok_or_else(damaged)?;
    let index: Vec<(String, usize, usize)> =
        serde_json::from_slice(&body[..end]).map_err(|_| damaged())?;
    let data = &body[end + 1..];
    let mut blobs = BTreeMap::new();
    for (sha, offset, len) in index {
        let blob = data
            .get(offset..offset.saturating_add(len))
            .ok_or_else(damaged)?;
        if sha256_hex(blob) != sha {
            return Err(damaged());
        }
        blobs.insert(sha, blob.to_vec());
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_or_changed_file_is_damaged_and_a_newer_one_refused() {
        let file = ChangeFile {
            device: "ab12".into(),
            seq: 3,
            packs: BTreeMap::new(),
            ops: Vec::new(),
        };
        let bytes = encode_changes(&file);
        assert_eq!(decode_changes("f", &bytes).unwrap(), file);
        for cut in [1, bytes.len() / 2, bytes.len() - 1] {
            assert!(matches!(
                decode_changes("f", &bytes[..cut]),
                Err(FileError::Damaged(_))
            ));
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        assert!(matches!(
            decode_changes("f", &flipped),
            Err(FileError::Damaged(_))
        ));
        let newer = String::from_utf8(bytes).unwrap().replacen(" 1 ", " 2 ", 1);
        let err = decode_changes("f", newer.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("update Gloss"), "{err}");
    }

    #[test]
    fn packs_round_trip_and_names_parse() {
        let blobs = vec![
            (sha256_hex(b"one"), b"one".to_vec()),
            (sha256_hex(b"two"), b"two".to_vec()),
        ];
        let (name, bytes) = encode_pack(&blobs);
        let back = decode_pack(&name, &bytes).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[&sha256_hex(b"two")], b"two");
        assert_eq!(
            parse_change_name(&change_path("ab12", 7)),
            Some(("ab12".to_string(), 7))
        );
        assert_eq!(parse_change_name("changes/.tmp-x"), None);
    }
}
