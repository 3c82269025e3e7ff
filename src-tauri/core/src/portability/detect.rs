//! Telling an export's format from its content (file names lie: every
//! reader calls its file `export.csv` or `export.zip`), or taking the one
//! the user names with `--format`.

use super::csvread::Csv;
use super::{instapaper, jsonlist, netscape, omnivore, pocket, readwise, wallabag, zipread};
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
    /// Omnivore's items as one JSON list (the metadata files joined).
    OmnivoreJson,
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
            Format::OmnivoreJson => "omnivore-json",
            Format::Wallabag => "wallabag",
            Format::Readwise => "readwise",
            Format::ReadwiseReader => "readwise-reader",
            Format::Netscape => "netscape",
            Format::Opml => "opml",
            Format::Gloss => "gloss",
        }
    }

    /// What kind of file the format is, for telling a user who names the
    /// wrong format what they gave instead.
    fn container(self) -> Container {
        match self {
            Format::PocketZip | Format::Omnivore => Container::Zip,
            Format::Wallabag | Format::OmnivoreJson => Container::Json,
            Format::PocketHtml | Format::Netscape | Format::Opml => Container::Markup,
            Format::PocketCsv | Format::Instapaper | Format::Readwise | Format::ReadwiseReader => {
                Container::Text
            }
            // A ZIP, or its library.json alone.
            Format::Gloss => Container::Json,
        }
    }
}

/// The four kinds of file exports come in, told from the first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Zip,
    Json,
    Markup,
    Text,
}

impl Container {
    fn of(bytes: &[u8]) -> Container {
        if zipread::is_zip(bytes) {
            return Container::Zip;
        }
        let start = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(bytes)
            .trim_ascii_start();
        match start.first() {
            Some(b'{' | b'[') => Container::Json,
            Some(b'<') => Container::Markup,
            _ => Container::Text,
        }
    }

    fn described(self) -> &'static str {
        match self {
            Container::Zip => "a ZIP archive",
            Container::Json => "a JSON file",
            Container::Markup => "an HTML or XML file",
            Container::Text => "a text (CSV) file",
        }
    }
}

/// The message for a Firefox bookmarks backup: a JSON tree Gloss does not
/// read, while the same bookmarks exported as HTML import fine.
const FIREFOX_JSON: &str = "this is a Firefox bookmarks backup (JSON), which Gloss does not \
     read; in Firefox choose Bookmarks → Manage Bookmarks → Import and Backup → Export \
     Bookmarks to HTML…, and import that file";

/// Whether a JSON document is Firefox's bookmarks backup (`.json` from
/// Import and Backup → Backup…): places with `text/x-moz-place` types.
fn is_firefox_backup(head: &str) -> bool {
    head.starts_with('{') && head.contains("\"text/x-moz-place")
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
        if is_firefox_backup(head) {
            return Err(Error::Unsupported(FIREFOX_JSON.into()));
        }
        // Element by element, so that damage further on does not hide
        // what the file is (the import lists the damaged entries).
        if let Some(first) = jsonlist::first_readable(bytes) {
            if wallabag::is_wallabag(&first) {
                return Ok(Format::Wallabag);
            }
            if omnivore::is_omnivore_json(&first) {
                return Ok(Format::OmnivoreJson);
            }
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
    let detected = detect(bytes);
    let is = |f: Format| detected.as_ref().is_ok_and(|d| *d == f);
    let zip = zipread::is_zip(bytes);
    let format = match name.trim().to_lowercase().as_str() {
        "pocket" if zip => Format::PocketZip,
        "pocket" if is(Format::PocketHtml) || bytes.trim_ascii_start().starts_with(b"<") => {
            Format::PocketHtml
        }
        "pocket" | "pocket-csv" => Format::PocketCsv,
        "pocket-html" => Format::PocketHtml,
        "pocket-zip" => Format::PocketZip,
        "instapaper" => Format::Instapaper,
        "omnivore" if !zip && Container::of(bytes) == Container::Json => Format::OmnivoreJson,
        "omnivore" => Format::Omnivore,
        "omnivore-json" => Format::OmnivoreJson,
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
    };
    let given = Container::of(bytes);
    let fits = given == format.container() || (format == Format::Gloss && zip);
    if fits {
        return Ok(format);
    }
    // Named the wrong format (the user's mistake, hence invalid input):
    // reading it anyway would import nothing and say so as if all were well.
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]);
    if is_firefox_backup(head.trim_start_matches('\u{feff}').trim_start()) {
        return Err(Error::InvalidInput(FIREFOX_JSON.into()));
    }
    let what = match detected {
        Ok(d) => format!("{} (a {} export)", given.described(), d.name()),
        Err(_) => given.described().to_string(),
    };
    Err(Error::InvalidInput(format!(
        "the file is {what}, but the format {} reads {}: leave out --format (or choose \
         Detect) to have Gloss tell the format, or name the one it is",
        format.name(),
        format.container().described()
    )))
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

    #[test]
    fn wallabag_v1_and_omnivore_json_are_told_even_when_damaged_further_on() {
        let v1 = br#"[{"0":"3","id":"3","title":"F","url":"https://e.com/f","is_read":"0","is_fav":"1","content":"","user_id":"1","tags":""}]"#;
        assert_eq!(detect(v1).unwrap(), Format::Wallabag);
        let omnivore = br#"[{"id":"1","slug":"a","url":"https://e.com/a","labels":[],"savedAt":"2024-01-02T03:04:05.000Z"},
            {"id":"2", "url": ,}, {"id":"3"#;
        assert_eq!(detect(omnivore).unwrap(), Format::OmnivoreJson);
        assert_eq!(forced("omnivore", omnivore).unwrap(), Format::OmnivoreJson);
    }

    #[test]
    fn a_firefox_backup_is_named_and_refused_even_as_netscape() {
        let firefox = br#"{"guid":"root________","title":"","index":0,"dateAdded":1388166091504000,
            "type":"text/x-moz-place-container","root":"placesRoot","children":[{"guid":"toolbar_____",
            "type":"text/x-moz-place-container","children":[{"title":"A","type":"text/x-moz-place",
            "uri":"https://e.com/a"}]}]}"#;
        let detected = detect(firefox).unwrap_err();
        assert_eq!(detected.kind(), crate::ErrorKind::Unsupported);
        let named = forced("netscape", firefox).unwrap_err();
        assert_eq!(named.kind(), crate::ErrorKind::InvalidInput);
        for err in [detected, named] {
            let msg = err.to_string();
            assert!(msg.contains("Firefox bookmarks backup (JSON)"), "{msg}");
            assert!(msg.contains("Export Bookmarks to HTML"), "{msg}");
        }
    }

    #[test]
    fn a_named_format_that_is_not_the_file_is_refused_saying_what_it_is() {
        let pocket = b"title,url,time_added,tags,status\nA,https://e.com/a,1,,unread\n";
        let err = forced("wallabag", pocket).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
        let msg = err.to_string();
        assert!(
            msg.contains("a text (CSV) file (a pocket-csv export)"),
            "{msg}"
        );
        assert!(msg.contains("wallabag reads a JSON file"), "{msg}");
        let wallabag = br#"[{"is_archived":1,"url":"https://e.com"}]"#;
        assert_eq!(
            forced("netscape", wallabag).unwrap_err().kind(),
            crate::ErrorKind::InvalidInput
        );
        // Named formats that fit the file are read as named.
        assert_eq!(forced("instapaper", pocket).unwrap(), Format::Instapaper);
        assert_eq!(forced("gloss", b"{}").unwrap(), Format::Gloss);
    }
}
