//! Recognising content from its first bytes, and naming content types for people.
//!
//! Servers label images wrongly all the time (`image/jpeg` on a PNG,
//! `application/octet-stream` on everything, `text/html` on a 404 page), and
//! a wrongly labelled image would be stored with the wrong type and then shown
//! broken offline. So image types come from the bytes alone. The patterns are
//! those of the WHATWG MIME Sniffing standard.

/// The MIME type of a raster image Gloss can store and show, from its bytes:
/// PNG, JPEG, GIF, WebP, AVIF, BMP or ICO. `None` for anything else,
/// including SVG (it can carry script and external references, so it is not
/// stored as an image asset).
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        return Some("image/jpeg");
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some("image/gif");
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    if is_avif(bytes) {
        return Some("image/avif");
    }
    if is_bmp(bytes) {
        return Some("image/bmp");
    }
    // ICO: reserved 0, type 1 (2 would be a cursor), at least one image.
    if bytes.len() >= 6 && bytes.starts_with(b"\x00\x00\x01\x00") && bytes[4..6] != [0, 0] {
        return Some("image/x-icon");
    }
    None
}

/// An ISO-BMFF `ftyp` box whose major or compatible brands include `avif` or
/// `avis` (HEIC shares the container but not the brand, and webviews do not
/// show it).
fn is_avif(bytes: &[u8]) -> bool {
    if bytes.len() < 16 || &bytes[4..8] != b"ftyp" {
        return false;
    }
    let box_size = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    if box_size < 16 || !box_size.is_multiple_of(4) {
        return false;
    }
    let end = box_size.min(bytes.len());
    let is_avif_brand = |b: &[u8]| b == b"avif" || b == b"avis";
    // Major brand at 8..12, minor version at 12..16, then compatible brands.
    is_avif_brand(&bytes[8..12]) || bytes[16..end].chunks_exact(4).any(is_avif_brand)
}

/// "BM" alone is too weak (any text starting with "BM"), so the DIB header
/// size must also be one of the sizes BMP versions use.
fn is_bmp(bytes: &[u8]) -> bool {
    if bytes.len() < 18 || !bytes.starts_with(b"BM") {
        return false;
    }
    let dib_size = u32::from_le_bytes([bytes[14], bytes[15], bytes[16], bytes[17]]);
    matches!(dib_size, 12 | 16 | 40 | 52 | 56 | 64 | 108 | 124)
}

/// The width and height an image declares in its header, for the formats
/// that say so there (PNG, GIF, JPEG, WebP, BMP, AVIF). A few hundred bytes
/// can declare 100,000 × 100,000 pixels, which the webview would try to
/// decode into 40 GB: the fetcher refuses such images before they are stored.
/// `None` when the header gives no size (ICO is at most 256 × 256 anyway).
pub(crate) fn declared_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let be32 = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let le16 = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let le24 = |at: usize| {
        bytes
            .get(at..at + 3)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], 0]))
    };
    match sniff_image(bytes)? {
        // IHDR is the first chunk: width and height after its length and type.
        "image/png" => Some((be32(16)?, be32(20)?)),
        // The logical screen; every frame is drawn inside it.
        "image/gif" => Some((u32::from(le16(6)?), u32::from(le16(8)?))),
        "image/jpeg" => jpeg_size(bytes),
        "image/webp" => match bytes.get(12..16)? {
            b"VP8 " => Some((u32::from(le16(26)? & 0x3FFF), u32::from(le16(28)? & 0x3FFF))),
            b"VP8L" => {
                let bits = u32::from_le_bytes(bytes.get(21..25)?.try_into().ok()?);
                Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
            }
            b"VP8X" => Some((le24(24)? + 1, le24(27)? + 1)),
            _ => None,
        },
        "image/bmp" => {
            let dib = u32::from_le_bytes(bytes.get(14..18)?.try_into().ok()?);
            if dib == 12 {
                Some((u32::from(le16(18)?), u32::from(le16(20)?)))
            } else {
                let w = i32::from_le_bytes(bytes.get(18..22)?.try_into().ok()?);
                let h = i32::from_le_bytes(bytes.get(22..26)?.try_into().ok()?);
                Some((w.unsigned_abs(), h.unsigned_abs()))
            }
        }
        // The largest `ispe` (image spatial extents) property of the file.
        "image/avif" => bytes
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == b"ispe")
            .filter_map(|(i, _)| Some((be32(i + 8)?, be32(i + 12)?)))
            .max_by_key(|&(w, h)| u64::from(w) * u64::from(h)),
        _ => None,
    }
}

/// A JPEG's size from its first start-of-frame segment.
fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut pos = 2;
    loop {
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        if bytes.get(pos) != Some(&0xFF) {
            return None;
        }
        let marker = *bytes.get(pos + 1)?;
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(pos + 2)?,
            *bytes.get(pos + 3)?,
        ]));
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            let h = u16::from_be_bytes([*bytes.get(pos + 5)?, *bytes.get(pos + 6)?]);
            let w = u16::from_be_bytes([*bytes.get(pos + 7)?, *bytes.get(pos + 8)?]);
            return Some((u32::from(w), u32::from(h)));
        }
        if len < 2 {
            return None;
        }
        pos += 2 + len;
    }
}

/// Whether the bytes are an SVG document, to give a precise error message.
pub(crate) fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let start = skip_bom_and_space(head);
    (start.starts_with(b"<?xml") || start.starts_with(b"<!--") || start.starts_with(b"<!DOCTYPE"))
        && contains_ignore_case(head, b"<svg")
        || starts_with_ignore_case(start, b"<svg")
}

/// The WHATWG "rules for identifying an unknown MIME type", HTML part: after
/// whitespace, one of the tags that only HTML documents start with, followed
/// by a space or `>`. Used when a server sends no `Content-Type`.
pub(crate) fn looks_like_html(bytes: &[u8]) -> bool {
    const PATTERNS: &[&[u8]] = &[
        b"<!DOCTYPE HTML",
        b"<HTML",
        b"<HEAD",
        b"<SCRIPT",
        b"<IFRAME",
        b"<H1",
        b"<DIV",
        b"<FONT",
        b"<TABLE",
        b"<A",
        b"<STYLE",
        b"<TITLE",
        b"<B",
        b"<BODY",
        b"<BR",
        b"<P",
        b"<!--",
    ];
    let start = skip_bom_and_space(bytes);
    PATTERNS.iter().any(|pattern| {
        starts_with_ignore_case(start, pattern)
            && match start.get(pattern.len()) {
                // "<!--" needs no terminator; the others end at a space or '>'.
                _ if *pattern == b"<!--" => true,
                Some(&b) => b == b' ' || b == b'>',
                None => false,
            }
    })
}

/// Whether the bytes look like text: the standard's "binary data byte" test
/// over the first 1445 bytes (control bytes other than tab, newlines, form
/// feed and escape mean binary).
pub(crate) fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"%PDF-") || sniff_image(bytes).is_some() {
        return false;
    }
    !bytes[..bytes.len().min(1445)]
        .iter()
        .any(|&b| matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F))
}

/// A short name for a content type that Gloss does not save, for messages
/// such as "…is a PDF (application/pdf)". `essence` is lower-case, without
/// parameters.
pub(crate) fn describe(essence: &str) -> &'static str {
    let (top, sub) = essence.split_once('/').unwrap_or((essence, ""));
    match (top, sub) {
        ("application", "pdf") => "a PDF",
        ("image", "svg+xml") => "an SVG image",
        ("image", _) => "an image",
        ("video", _) => "a video",
        ("audio", _) => "an audio file",
        ("font", _) => "a font",
        ("application", "rss+xml" | "atom+xml" | "feed+json" | "rdf+xml") => "a feed",
        ("application", "epub+zip") => "an e-book (EPUB)",
        ("application", s) if s == "json" || s.ends_with("+json") => "JSON data",
        ("application" | "text", s) if s == "xml" || s.ends_with("+xml") => "an XML document",
        ("application", "javascript" | "ecmascript" | "wasm") | ("text", "javascript") => {
            "a program file"
        }
        ("text", "css") => "a style sheet",
        ("text", "csv") | ("text", "tab-separated-values") => "a spreadsheet (CSV)",
        (
            "application",
            "zip" | "gzip" | "x-gzip" | "x-tar" | "x-7z-compressed" | "x-rar-compressed"
            | "vnd.rar" | "x-bzip2" | "x-xz" | "zstd",
        ) => "an archive",
        ("application", s)
            if s.starts_with("msword")
                || s.starts_with("vnd.ms-")
                || s.starts_with("vnd.openxmlformats")
                || s.starts_with("vnd.oasis.opendocument") =>
        {
            "an office document"
        }
        ("application", "octet-stream") => "a file of unknown type",
        _ => "a file Gloss cannot read",
    }
}

fn skip_bom_and_space(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|&b| !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' '))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_sizes_are_read_from_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&7u32.to_be_bytes());
        assert_eq!(declared_size(&png), Some((100_000, 7)));
        assert_eq!(declared_size(b"GIF89a\x10\x00\x20\x00"), Some((16, 32)));
        // SOI, an APP0 segment to skip, then SOF0 with height 600, width 800.
        let jpeg = b"\xFF\xD8\xFF\xE0\x00\x04ab\xFF\xC0\x00\x11\x08\x02\x58\x03\x20";
        assert_eq!(declared_size(jpeg), Some((800, 600)));
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        webp.extend_from_slice(&[0x9F, 0x86, 0x01, 0x0F, 0x00, 0x00]);
        assert_eq!(declared_size(&webp), Some((100_000, 16)));
        assert_eq!(declared_size(b"<svg/>"), None);
        assert_eq!(
            declared_size(b"\xFF\xD8\xFF"),
            None,
            "a cut JPEG has no size"
        );
    }

    fn avif_header(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len() as u32;
        let mut out = size.to_be_bytes().to_vec();
        out.extend_from_slice(b"ftyp");
        out.extend_from_slice(major);
        out.extend_from_slice(&[0, 0, 0, 0]);
        for brand in compatible {
            out.extend_from_slice(*brand);
        }
        out.extend_from_slice(&[0, 0, 0, 8, b'm', b'e', b't', b'a']);
        out
    }

    #[test]
    fn sniffs_each_raster_format() {
        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&[0; 12]);
        bmp.extend_from_slice(&40u32.to_le_bytes());
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "image/png"),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF".to_vec(), "image/jpeg"),
            (b"GIF89a\x01\0\x01\0".to_vec(), "image/gif"),
            (b"GIF87a\x01\0\x01\0".to_vec(), "image/gif"),
            (b"RIFF\x24\0\0\0WEBPVP8 ".to_vec(), "image/webp"),
            (avif_header(b"avif", &[b"mif1", b"miaf"]), "image/avif"),
            (avif_header(b"mif1", &[b"avif"]), "image/avif"),
            (bmp, "image/bmp"),
            (b"\0\0\x01\0\x01\0\x10\x10".to_vec(), "image/x-icon"),
        ];
        for (bytes, mime) in cases {
            assert_eq!(sniff_image(&bytes), Some(mime), "{bytes:?}");
        }
    }

    #[test]
    fn rejects_look_alikes_and_non_raster() {
        let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        for bytes in [
            &b""[..],
            b"\x89PNG",
            b"GIF90a....",
            b"RIFF\x24\0\0\0WAVEfmt ",
            b"BM is a text that starts like a bitmap",
            b"\0\0\x02\0\x01\0", // a cursor, not an icon
            b"\0\0\x01\0\0\0",   // an icon with no images
            b"%PDF-1.7\n",
            b"<html><body>not found</body></html>",
            svg,
        ] {
            assert_eq!(sniff_image(bytes), None, "{bytes:?}");
        }
        // HEIC shares AVIF's container but is not AVIF.
        assert_eq!(
            sniff_image(&avif_header(b"heic", &[b"mif1", b"heic"])),
            None
        );
        assert!(looks_like_svg(svg));
        assert!(looks_like_svg(b"  <SVG viewBox='0 0 1 1'></SVG>"));
        assert!(!looks_like_svg(b"<html><body>svg</body></html>"));
    }

    #[test]
    fn html_sniffing_follows_the_standard_patterns() {
        for yes in [
            &b"<!DOCTYPE html><html>"[..],
            b"\xEF\xBB\xBF\n  <html lang=en>",
            b"<HEAD>",
            b"<p>hello",
            b"<!-- generated -->",
            b"<a href=x>link</a>",
        ] {
            assert!(looks_like_html(yes), "{}", String::from_utf8_lossy(yes));
        }
        for no in [
            &b"<?xml version='1.0'?><rss>"[..],
            b"<article>",
            b"<pre>",
            b"Dear reader, <html> is a tag",
            b"<html",
            b"{\"json\": true}",
        ] {
            assert!(!looks_like_html(no), "{}", String::from_utf8_lossy(no));
        }
    }

    #[test]
    fn text_sniffing_rejects_binary() {
        assert!(looks_like_text(
            "Plain notes, ünïcode\r\n\tand tabs\x0c".as_bytes()
        ));
        assert!(!looks_like_text(b"%PDF-1.4 binary"));
        assert!(!looks_like_text(b"\x89PNG\r\n\x1a\n"));
        assert!(!looks_like_text(b"abc\0def"));
    }

    #[test]
    fn describes_types_for_messages() {
        assert_eq!(describe("application/pdf"), "a PDF");
        assert_eq!(describe("image/png"), "an image");
        assert_eq!(describe("image/svg+xml"), "an SVG image");
        assert_eq!(describe("application/json"), "JSON data");
        assert_eq!(describe("application/ld+json"), "JSON data");
        assert_eq!(describe("application/rss+xml"), "a feed");
        assert_eq!(describe("text/xml"), "an XML document");
        assert_eq!(describe("application/zip"), "an archive");
        assert_eq!(
            describe("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            "an office document"
        );
        assert_eq!(
            describe("application/x-unheard-of"),
            "a file Gloss cannot read"
        );
    }
}
