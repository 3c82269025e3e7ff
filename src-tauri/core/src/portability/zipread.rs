//! Reading ZIP exports (Pocket, Omnivore, Gloss's own) in memory, never
//! extracting to disk: an entry named `../../x` or a symlink entry cannot
//! write anywhere, and is skipped and reported. Sizes are counted as bytes
//! come out of the decompressor, not taken from the headers, so a ZIP bomb
//! stops at the limit.

use std::io::{Cursor, Read};

use super::item::Failure;
use crate::{Error, Result};

/// How much a ZIP may unpack to.
#[derive(Debug, Clone, Copy)]
pub struct ZipLimits {
    /// One entry, decompressed.
    pub entry_bytes: u64,
    /// All entries read, decompressed.
    pub total_bytes: u64,
    pub entries: usize,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            entry_bytes: 64 * 1024 * 1024,
            total_bytes: 1024 * 1024 * 1024,
            entries: 200_000,
        }
    }
}

/// One file of the archive, read.
#[derive(Debug)]
pub struct Entry {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Whether `bytes` start like a ZIP archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The names of the regular files in the archive (for telling formats apart).
pub fn names(bytes: &[u8]) -> Result<Vec<String>> {
    let archive = open(bytes)?;
    Ok(archive.file_names().map(str::to_string).collect())
}

fn open(bytes: &[u8]) -> Result<zip::ZipArchive<Cursor<&[u8]>>> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Error::InvalidInput(format!(
            "the file is not a readable ZIP archive ({e}); download the export again"
        ))
    })
}

/// Reads the entries whose names `wanted` accepts. Unsafe names, symlinks,
/// encrypted entries and entries over the limits are left out and listed
/// in `failed`; going over the total stops reading.
pub fn read(
    bytes: &[u8],
    limits: ZipLimits,
    wanted: impl Fn(&str) -> bool,
    failed: &mut Vec<Failure>,
) -> Result<Vec<Entry>> {
    let mut archive = open(bytes)?;
    if archive.len() > limits.entries {
        return Err(Error::TooLarge(format!(
            "the archive has {} entries; Gloss reads at most {}",
            archive.len(),
            limits.entries
        )));
    }
    let mut total = 0u64;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        // The central directory's name, kept for the report: an entry
        // whose own header is damaged is still named as the user knows it.
        let listed = archive
            .name_for_index(i)
            .map_or_else(|| format!("entry {}", i + 1), str::to_string);
        let mut file = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                failed.push(Failure::new(listed, format!("unreadable: {e}")));
                continue;
            }
        };
        let name = file.name().to_string();
        if file.is_dir() || !wanted(&name) {
            continue;
        }
        if file.enclosed_name().is_none() || name.contains('\\') {
            failed.push(Failure::new(&name, "unsafe path in the archive; skipped"));
            continue;
        }
        if is_symlink(file.unix_mode()) {
            failed.push(Failure::new(&name, "a symbolic link; skipped"));
            continue;
        }
        let left = limits.total_bytes.saturating_sub(total);
        let cap = limits.entry_bytes.min(left);
        let mut data = Vec::new();
        match (&mut file).take(cap + 1).read_to_end(&mut data) {
            Ok(_) => {}
            Err(e) => {
                failed.push(Failure::new(&name, format!("could not be read: {e}")));
                continue;
            }
        }
        if data.len() as u64 > cap {
            if cap < limits.entry_bytes {
                return Err(Error::TooLarge(format!(
                    "the archive unpacks to more than {} MiB; Gloss stops there (is it a ZIP bomb?)",
                    limits.total_bytes / (1024 * 1024)
                )));
            }
            failed.push(Failure::new(
                &name,
                format!(
                    "unpacks to more than {} MiB; skipped",
                    limits.entry_bytes / (1024 * 1024)
                ),
            ));
            total += data.len() as u64;
            continue;
        }
        total += data.len() as u64;
        out.push(Entry { name, bytes: data });
    }
    Ok(out)
}

fn is_symlink(mode: Option<u32>) -> bool {
    mode.is_some_and(|m| m & 0o170000 == 0o120000)
}

/// Builds a ZIP in memory for tests, hostile ones included: (name, bytes)
/// pairs; a name starting with `link:` is written as a symlink to `bytes`.
#[cfg(any(test, feature = "testing"))]
pub fn write_for_tests(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let build = || -> zip::result::ZipResult<Vec<u8>> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_level(Some(1));
        for (name, bytes) in files {
            if let Some(link) = name.strip_prefix("link:") {
                w.add_symlink(link, String::from_utf8_lossy(bytes), opts)?;
            } else {
                w.start_file(*name, opts)?;
                w.write_all(bytes)?;
            }
        }
        Ok(w.finish()?.into_inner())
    };
    build().expect("writing a test ZIP in memory")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        write_for_tests(files)
    }

    #[test]
    fn hostile_entries_are_skipped_and_reported() {
        let zeros = vec![0u8; 2 * 1024 * 1024];
        let bytes = zip_of(&[
            ("part_000000.csv", b"title,url\n"),
            ("../../x", b"escape"),
            ("/etc/passwd", b"root"),
            ("link:evil", b"/etc/passwd"),
            ("bomb.csv", &zeros),
        ]);
        let limits = ZipLimits {
            entry_bytes: 1024 * 1024,
            ..Default::default()
        };
        let mut failed = Vec::new();
        let entries = read(&bytes, limits, |_| true, &mut failed).unwrap();
        let names: Vec<_> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["part_000000.csv"]);
        let reasons: Vec<_> = failed.iter().map(|f| f.item.as_str()).collect();
        assert_eq!(reasons, ["../../x", "/etc/passwd", "evil", "bomb.csv"]);
        let total = ZipLimits {
            entry_bytes: 4 * 1024 * 1024,
            total_bytes: 1024 * 1024,
            entries: 10,
        };
        let err = read(&bytes, total, |_| true, &mut Vec::new()).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::TooLarge);
        assert!(read(b"PK\x03\x04 not really", limits, |_| true, &mut failed).is_err());
    }
}
