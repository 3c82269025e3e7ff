//! Import files as text. Exports come from tools of every age: Instapaper's
//! CSV in Windows-1252, Pocket and bookmark files that declare a legacy
//! charset in a `<meta>`, UTF-16 from Windows tools. They are decoded the way
//! a fetched page is ([`crate::fetch`]'s charset module: byte order mark,
//! declared charset, then chardetng), and when the encoding had to be
//! guessed, or some bytes could not be decoded, the import says so: a wrong
//! guess garbles every accent, and the user should know to check.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::fetch::{choose_encoding, EncodingSource};

/// Decodes an HTML export (Netscape bookmarks, Pocket's `ril_export.html`):
/// BOM, then `<meta charset>`, then a guess. A note for the import summary
/// is pushed to `warnings` when the result is uncertain.
pub fn html(bytes: &[u8], warnings: &mut Vec<String>) -> String {
    decode(bytes, true, warnings)
}

/// Decodes a CSV or other plain-text export: BOM, then a guess (a text file
/// has nowhere to declare its charset).
pub fn text(bytes: &[u8], warnings: &mut Vec<String>) -> String {
    decode(bytes, false, warnings)
}

/// A UTF-16 file (it must start with a byte order mark: without one UTF-16
/// cannot be told apart from binary) as UTF-8 bytes, so that telling its
/// format, which looks at ASCII markers, works as for any other file.
/// `None` for every other file, which is read as it is.
pub fn utf16_as_utf8(bytes: &[u8]) -> Option<Vec<u8>> {
    let (encoding, _) = Encoding::for_bom(bytes)?;
    if encoding != UTF_16LE && encoding != UTF_16BE {
        return None;
    }
    let (text, _, _) = encoding.decode(bytes);
    Some(text.into_owned().into_bytes())
}

fn decode(bytes: &[u8], html: bool, warnings: &mut Vec<String>) -> String {
    let (mut encoding, source) = choose_encoding(bytes, None, html, None);
    let mut guessed = source == EncodingSource::Guessed;
    // Tools that write a bookmark file from a template keep its
    // `charset=UTF-8` whatever they write after it: bytes that are not UTF-8
    // under that label are guessed rather than turned into U+FFFD.
    if source == EncodingSource::Declared
        && encoding == UTF_8
        && std::str::from_utf8(bytes).is_err()
    {
        encoding = choose_encoding(bytes, None, false, None).0;
        guessed = true;
        let said = "the file says it is UTF-8 but is not";
        say_once(warnings, guess_warning(said, encoding.name()));
    } else if guessed {
        let said = "the file does not say how its text is encoded and is not UTF-8";
        say_once(warnings, guess_warning(said, encoding.name()));
    }
    // A BOM of the chosen encoding is removed by `decode`.
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors && !guessed {
        let how = match source {
            EncodingSource::Bom => "its byte order mark says",
            _ => "it declares",
        };
        let warning = format!(
            "encoding: some bytes of the file are not valid {}, the encoding {how}; they were \
             replaced with \u{FFFD}",
            encoding.name()
        );
        say_once(warnings, warning);
    }
    text.into_owned()
}

/// The note for a guessed encoding: what the file said, what it was read as.
fn guess_warning(said: &str, encoding: &str) -> String {
    format!(
        "encoding: {said}; it was read as {encoding}, a guess from its bytes: if accented \
         letters look wrong, save the file as UTF-8 and import it again"
    )
}

/// Adds `warning` unless the import said it already: a Pocket ZIP's parts
/// are decoded one by one, and ten parts in one encoding are one note.
fn say_once(warnings: &mut Vec<String>, warning: String) {
    if !warnings.contains(&warning) {
        warnings.push(warning);
    }
}

/// `text` as UTF-16 with its byte order mark, for tests.
#[cfg(test)]
pub(crate) fn utf16_with_bom(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1252;

    const FRENCH: &str = "Résumé des cafés: l'été à Orléans, où la crème brûlée coûte cher.";

    #[test]
    fn utf8_and_a_bom_are_read_without_a_word() {
        let mut warnings = Vec::new();
        assert_eq!(text(FRENCH.as_bytes(), &mut warnings), FRENCH);
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), FRENCH.as_bytes()].concat();
        assert_eq!(text(&with_bom, &mut warnings), FRENCH);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn undeclared_windows_1252_is_guessed_and_said() {
        let (bytes, _, _) = WINDOWS_1252.encode(FRENCH);
        let mut warnings = Vec::new();
        assert_eq!(text(&bytes, &mut warnings), FRENCH);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("windows-1252"), "{warnings:?}");
        assert!(warnings[0].contains("guess"), "{warnings:?}");
        // The next part of the same export does not say it again.
        assert_eq!(text(&bytes, &mut warnings), FRENCH);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn a_declared_charset_is_used_without_a_warning() {
        let page = format!("<meta charset=\"windows-1252\"><p>{FRENCH}</p>");
        let (bytes, _, _) = WINDOWS_1252.encode(&page);
        let mut warnings = Vec::new();
        assert_eq!(html(&bytes, &mut warnings), page);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_false_utf8_declaration_is_guessed_past() {
        let page = format!("<meta charset=UTF-8><p>{FRENCH} {FRENCH}</p>");
        let (bytes, _, _) = WINDOWS_1252.encode(&page);
        let mut warnings = Vec::new();
        assert_eq!(html(&bytes, &mut warnings), page);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("says it is UTF-8"), "{warnings:?}");
    }

    #[test]
    fn bad_bytes_under_a_bom_are_reported() {
        let bytes = b"\xEF\xBB\xBFcaf\xC3 au lait";
        let mut warnings = Vec::new();
        assert_eq!(text(bytes, &mut warnings), "caf\u{FFFD} au lait");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn utf16_with_a_bom_becomes_utf8_in_both_byte_orders() {
        for big_endian in [false, true] {
            let bytes = utf16_with_bom(FRENCH, big_endian);
            let utf8 = utf16_as_utf8(&bytes).unwrap();
            assert_eq!(String::from_utf8(utf8).unwrap(), FRENCH);
            let mut warnings = Vec::new();
            assert_eq!(text(&bytes, &mut warnings), FRENCH);
            assert!(warnings.is_empty());
        }
        assert_eq!(utf16_as_utf8(FRENCH.as_bytes()), None);
        assert_eq!(utf16_as_utf8(b"\xEF\xBB\xBFabc"), None);
    }
}
