//! Telling an export's format from its content (file names lie: every
//! reader calls its file `export.csv` or `export.zip`), or taking the one
//! the user names with `--format`.

use super::csvread::Csv;
use super::{instapaper, netscape, omnivore, pocket, readwise, wallabag, zipread};
use crate::feeds::opml;
use crate::{Error, Result};

/// The formats `gloss import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    PocketHtml,
    PocketCsv,
    PocketZip,
    Instapaper,
    Omnivore,
    Wallabag,
    Readwise,
    ReadwiseReader,
    Netscape,
    Opml,
    Gloss,
}

/// The names `--format` accepts.
pub const FORMAT_NAMES: &str =
    "pocket, instapaper, omnivore, wallabag, readwise, netscape, opml or gloss";

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::PocketHtml => "pocket-html",
            Format::PocketCsv => "pocket-csv",
            Format::PocketZip => "pocket-zip",
            Format::Instapaper => "instapaper",
            Format::Omnivore => "omnivore",
            Format::Wallabag => "wallabag",
            Format::Readwise => "readwise",
            Format::ReadwiseReader => "readwise-reader",
            Format::Netscape => "netscape",
            Format::Opml => "opml",
            Format::Gloss => "gloss",
        }
    }
}

/// The format of a file from its first bytes and, for ZIPs, its entry names.
pub fn detect(bytes: &[u8]) -> Result<Format> {
    if zipread::is_zip(bytes) {
        let names = zipread::names(bytes)?;
        if names.iter().any(|n| n == "library.json") {
            return Ok(Format::Gloss);
        }
        if omnivore::is_omnivore(&names) {
            return Ok(Format::Omnivore);
        }
        if names.iter().any(|n| n.ends_with(".csv")) {
            return Ok(Format::PocketZip);
        }
        return Err(unknown(
            "a ZIP archive with none of the files of a known export",
        ));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('{') || head.starts_with('[') {
        if head.starts_with('{') && head.contains("\"gloss-export\"") {
            return Ok(Format::Gloss);
        }
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| unknown(&format!("JSON that could not be read ({e})")))?;
        if wallabag::is_wallabag(&value) {
            return Ok(Format::Wallabag);
        }
        return Err(unknown("JSON of no known reader"));
    }
    if opml::looks_like_opml(bytes) {
        return Ok(Format::Opml);
    }
    if netscape::is_netscape(head) {
        return Ok(Format::Netscape);
    }
    if head.starts_with('<') {
        if pocket::is_pocket_html(head) {
            return Ok(Format::PocketHtml);
        }
        return Err(unknown(
            "an HTML file that is neither Pocket's export nor bookmarks",
        ));
    }
    let header = Csv::header_line(bytes);
    if pocket::is_pocket_csv(&header) {
        Ok(Format::PocketCsv)
    } else if instapaper::is_instapaper(&header) {
        Ok(Format::Instapaper)
    } else if readwise::is_highlights(&header) {
        Ok(Format::Readwise)
    } else if readwise::is_reader(&header) {
        Ok(Format::ReadwiseReader)
    } else {
        Err(unknown("a file of no known format"))
    }
}

/// The format named with `--format`; a family name (`pocket`, `readwise`)
/// picks its variant from the content.
pub fn forced(name: &str, bytes: &[u8]) -> Result<Format> {
    let detected = detect(bytes).ok();
    let is = |f: Format| detected == Some(f);
    Ok(match name.trim().to_lowercase().as_str() {
        "pocket" if zipread::is_zip(bytes) => Format::PocketZip,
        "pocket" if is(Format::PocketHtml) || bytes.trim_ascii_start().starts_with(b"<") => {
            Format::PocketHtml
        }
        "pocket" | "pocket-csv" => Format::PocketCsv,
        "pocket-html" => Format::PocketHtml,
        "pocket-zip" => Format::PocketZip,
        "instapaper" => Format::Instapaper,
        "omnivore" => Format::Omnivore,
        "wallabag" => Format::Wallabag,
        "readwise" if is(Format::ReadwiseReader) => Format::ReadwiseReader,
        "readwise" => Format::Readwise,
        "readwise-reader" => Format::ReadwiseReader,
        "netscape" | "bookmarks" | "html" => Format::Netscape,
        "opml" => Format::Opml,
        "gloss" | "json" => Format::Gloss,
        other => {
            return Err(Error::InvalidInput(format!(
                "{other} is not an import format; use {FORMAT_NAMES}"
            )))
        }
    })
}

fn unknown(what: &str) -> Error {
    Error::Unsupported(format!(
        "this is not an OPML file nor an export Gloss reads ({what}); Gloss imports Pocket, \
         Instapaper, Omnivore, wallabag, Readwise, browser bookmarks and its own exports: if the \
         file is one of those, name its format (`--format`, or Format in the Import dialog)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        let cases: [(&[u8], Format); 7] = [
            (
                b"\xEF\xBB\xBFtitle,url,time_added,tags,status\n",
                Format::PocketCsv,
            ),
            (b"URL,Title,Selection,Folder\n", Format::Instapaper),
            (b"Highlight,Book Title,Book Author\n", Format::Readwise),
            (
                b"Title,URL,ID,Document tags,Saved date\n",
                Format::ReadwiseReader,
            ),
            (
                b"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL>",
                Format::Netscape,
            ),
            (
                b"<!DOCTYPE html><html><head><title>Pocket Export</title>",
                Format::PocketHtml,
            ),
            (
                br#"[{"is_archived":1,"url":"https://e.com"}]"#,
                Format::Wallabag,
            ),
        ];
        for (bytes, want) in cases {
            assert_eq!(
                detect(bytes).unwrap(),
                want,
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
        assert_eq!(
            detect(b"hello,world\n").unwrap_err().kind(),
            crate::ErrorKind::Unsupported
        );
        assert_eq!(forced("pocket", b"a,b\n").unwrap(), Format::PocketCsv);
        assert!(forced("evernote", b"").is_err());
    }
}
