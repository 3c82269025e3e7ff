//! Turning the bytes of a page or text file into text.
//!
//! A large share of the web is still not UTF-8 (Russian, Japanese, Chinese and
//! Central European news sites especially), and many pages declare their
//! encoding only inside the HTML. `reqwest::Response::text()` looks only at the
//! header and so turns such pages into mojibake; this module follows the order
//! a browser uses instead: byte order mark, the `Content-Type` charset, a
//! `<meta>` declaration near the top of the page, and finally a statistical
//! guess (chardetng, the detector Firefox uses). Local files go through the
//! same code with no header.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, REPLACEMENT, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};
use url::Url;

/// How far into a page a `<meta charset>` is looked for. The HTML standard
/// says 1024 bytes, but pages with long comments or many `<link>` tags put it
/// later and browsers still honour it; 4096 catches those at little cost.
const META_SCAN_BYTES: usize = 4096;

/// Decodes an HTML document: BOM, then the `Content-Type` charset, then a
/// `<meta>` declaration in the first 4096 bytes, then a guess from the bytes.
/// Malformed sequences become U+FFFD rather than failing: a page with one bad
/// byte is still worth reading.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    decode(bytes, content_type, true, None)
}

/// Decodes plain text: like [`decode_html`] without the `<meta>` step, since a
/// text file that mentions `<meta charset>` is only talking about it.
pub fn decode_text(bytes: &[u8], content_type: Option<&str>) -> String {
    decode(bytes, content_type, false, None)
}

/// [`decode_html`] / [`decode_text`] with the page's address, whose top-level
/// domain makes the guess better (`.jp` favours Shift_JIS, `.ru` windows-1251).
pub(crate) fn decode_for_url(
    bytes: &[u8],
    content_type: Option<&str>,
    html: bool,
    url: &Url,
) -> String {
    decode(bytes, content_type, html, Some(url))
}

fn decode(bytes: &[u8], content_type: Option<&str>, html: bool, url: Option<&Url>) -> String {
    let encoding = detect_encoding(bytes, content_type, html, url);
    // `decode` strips a BOM of the chosen encoding; a BOM always won above, so
    // it can never disagree with the encoding.
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// The encoding chosen for `bytes`, in the order documented on [`decode_html`].
pub(crate) fn detect_encoding(
    bytes: &[u8],
    content_type: Option<&str>,
    html: bool,
    url: Option<&Url>,
) -> &'static Encoding {
    choose_encoding(bytes, content_type, html, url).0
}

/// What decided the encoding [`choose_encoding`] picked: imports tell the
/// user when it was only a guess, since a wrong guess garbles every accent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EncodingSource {
    /// A byte order mark.
    Bom,
    /// The `Content-Type` charset or a `<meta>` declaration.
    Declared,
    /// Nothing declared, and the bytes are valid UTF-8 (ASCII included).
    ValidUtf8,
    /// Nothing declared and not UTF-8: chardetng's statistical guess.
    Guessed,
}

/// [`detect_encoding`], also saying what decided it.
pub(crate) fn choose_encoding(
    bytes: &[u8],
    content_type: Option<&str>,
    html: bool,
    url: Option<&Url>,
) -> (&'static Encoding, EncodingSource) {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return (encoding, EncodingSource::Bom);
    }
    // The "replacement" encoding (labels such as ISO-2022-KR and HZ) decodes
    // a whole page to one U+FFFD: browsers do that to defuse those
    // encodings, but for a reader it loses the story to one lying label.
    // Such a label is ignored and the bytes speak for themselves instead.
    let usable = |e: &&'static Encoding| *e != REPLACEMENT;
    if let Some(encoding) = content_type.and_then(header_charset).filter(usable) {
        return (encoding, EncodingSource::Declared);
    }
    if html {
        let meta = prescan_meta(&bytes[..bytes.len().min(META_SCAN_BYTES)]);
        if let Some(encoding) = meta.filter(usable) {
            return (encoding, EncodingSource::Declared);
        }
    }
    guess(bytes, url)
}

/// The `charset` parameter of a `Content-Type` value, if it names an encoding.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label(value.as_bytes())
    })
}

/// Statistical guess for undeclared bytes. Valid UTF-8 is taken as UTF-8
/// (browsers refuse to guess UTF-8 so sites keep declaring it, but a reader
/// of saved pages has no such duty and wants the text right).
fn guess(bytes: &[u8], url: Option<&Url>) -> (&'static Encoding, EncodingSource) {
    if std::str::from_utf8(bytes).is_ok() {
        return (UTF_8, EncodingSource::ValidUtf8);
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let tld = url.and_then(Url::host_str).and_then(tld_of);
    let encoding = detector.guess(tld.map(str::as_bytes), Utf8Detection::Allow);
    (encoding, EncodingSource::Guessed)
}

/// The last label of a host, only when chardetng accepts it (lower-case ASCII
/// letters, digits, hyphens): it panics on anything else, and IP addresses
/// have no top-level domain.
fn tld_of(host: &str) -> Option<&str> {
    let tld = host.rsplit('.').next()?;
    let ok = !tld.is_empty()
        && tld.bytes().any(|b| b.is_ascii_lowercase())
        && tld
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then_some(tld)
}

/// The HTML standard's "prescan a byte stream to determine its encoding",
/// reduced to what matters for a saved page: finds `<meta charset=…>` or
/// `<meta http-equiv="content-type" content="…charset=…">`, skipping comments
/// and the attributes of other tags so that text inside them cannot fool it.
fn prescan_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        if rest.starts_with(b"<!--") {
            // The comment ends at the first "-->" whose '>' comes after "<!".
            pos += 2 + find(&rest[2..], b"-->")? + 3;
            continue;
        }
        if starts_with_ignore_case(rest, b"<meta")
            && rest.get(5).is_some_and(|&b| is_space(b) || b == b'/')
        {
            pos += 6;
            if let Some(encoding) = meta_encoding(bytes, &mut pos)? {
                return Some(encoding);
            }
            continue;
        }
        let is_tag_start = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphabetic);
        if rest.starts_with(b"</") && is_tag_start(rest.get(2))
            || rest.starts_with(b"<") && is_tag_start(rest.get(1))
        {
            // Another tag: skip its name, then its attributes.
            pos += 1;
            while pos < bytes.len() && !is_space(bytes[pos]) && bytes[pos] != b'>' {
                pos += 1;
            }
            while get_attribute(bytes, &mut pos)?.is_some() {}
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            pos += find(rest, b">")? + 1;
            continue;
        }
        pos += 1;
    }
    None
}

/// Reads the attributes of one `<meta>` tag. `None` means the buffer ended
/// inside the tag (stop scanning); `Some(None)` means this tag declares nothing.
fn meta_encoding(bytes: &[u8], pos: &mut usize) -> Option<Option<&'static Encoding>> {
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let mut got_pragma = false;
    let mut need_pragma: Option<bool> = None;
    let mut charset: Option<&'static Encoding> = None;
    while let Some((name, value)) = get_attribute(bytes, pos)? {
        if seen.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" => got_pragma |= value == b"content-type",
            b"content" if charset.is_none() => {
                if let Some(encoding) = charset_from_content(&value) {
                    charset = Some(encoding);
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = Encoding::for_label(&value);
                need_pragma = Some(false);
            }
            _ => {}
        }
        seen.push(name);
    }
    let declared = match need_pragma {
        None => None,
        Some(true) if !got_pragma => None,
        Some(_) => charset,
    };
    // A page cannot really be UTF-16 if its ASCII `<meta>` was readable, and
    // x-user-defined in a meta means windows-1252 (both per the standard).
    Some(declared.map(|e| match e {
        e if e == UTF_16BE || e == UTF_16LE => UTF_8,
        e if e == X_USER_DEFINED => WINDOWS_1252,
        e => e,
    }))
}

/// The standard's "get an attribute": lower-cased name and value of the next
/// attribute, `Some(None)` at the end of the tag, `None` at the end of the buffer.
fn get_attribute(bytes: &[u8], pos: &mut usize) -> Option<Option<(Vec<u8>, Vec<u8>)>> {
    while *pos < bytes.len() && (is_space(bytes[*pos]) || bytes[*pos] == b'/') {
        *pos += 1;
    }
    match bytes.get(*pos) {
        None => return None,
        Some(b'>') => {
            *pos += 1;
            return Some(None);
        }
        _ => {}
    }
    let mut name = Vec::new();
    loop {
        let &b = bytes.get(*pos)?;
        if b == b'=' && !name.is_empty() {
            *pos += 1;
            break;
        }
        if is_space(b) {
            while bytes.get(*pos).is_some_and(|&b| is_space(b)) {
                *pos += 1;
            }
            if bytes.get(*pos)? != &b'=' {
                return Some(Some((name, Vec::new())));
            }
            *pos += 1;
            break;
        }
        if b == b'/' || b == b'>' {
            return Some(Some((name, Vec::new())));
        }
        name.push(b.to_ascii_lowercase());
        *pos += 1;
    }
    while bytes.get(*pos).is_some_and(|&b| is_space(b)) {
        *pos += 1;
    }
    let mut value = Vec::new();
    match *bytes.get(*pos)? {
        quote @ (b'"' | b'\'') => {
            *pos += 1;
            loop {
                let &b = bytes.get(*pos)?;
                *pos += 1;
                if b == quote {
                    break;
                }
                value.push(b.to_ascii_lowercase());
            }
        }
        b'>' => {}
        _ => {
            while let Some(&b) = bytes.get(*pos) {
                if is_space(b) || b == b'>' {
                    break;
                }
                value.push(b.to_ascii_lowercase());
                *pos += 1;
            }
            bytes.get(*pos)?;
        }
    }
    Some(Some((name, value)))
}

/// The standard's "extract a character encoding from a meta element" for a
/// `content="text/html; charset=…"` value.
fn charset_from_content(content: &[u8]) -> Option<&'static Encoding> {
    let mut rest = content;
    loop {
        let at = find(rest, b"charset")?;
        rest = &rest[at + 7..];
        let trimmed = trim_start(rest);
        if let Some(after_eq) = trimmed.strip_prefix(b"=") {
            let value = trim_start(after_eq);
            let label = match value.first() {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = value[1..].iter().position(|&b| b == q)?;
                    &value[1..1 + end]
                }
                _ => {
                    let end = value
                        .iter()
                        .position(|&b| is_space(b) || b == b';')
                        .unwrap_or(value.len());
                    &value[..end]
                }
            };
            return Encoding::for_label(label);
        }
        rest = trimmed;
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(bytes.len());
    &bytes[start..]
}

fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{EUC_KR, GBK, ISO_8859_2, SHIFT_JIS, WINDOWS_1251};

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    const RUSSIAN: &str = "Съешь же ещё этих мягких французских булок, да выпей чаю. Новости дня.";
    const JAPANESE: &str = "東京で新しい図書館が開館しました。多くの市民が訪れています。";

    #[test]
    fn bom_wins_over_header_and_meta() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(format!("<meta charset=windows-1251><p>{JAPANESE}</p>").as_bytes());
        let text = decode_html(&bytes, Some("text/html; charset=iso-8859-1"));
        assert!(text.starts_with("<meta"), "BOM not removed: {text:?}");
        assert!(text.contains(JAPANESE));

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "<p>Привет</p>".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(
            decode_html(&utf16, Some("text/html; charset=utf-8")),
            "<p>Привет</p>"
        );
    }

    #[test]
    fn a_replacement_label_does_not_blank_the_page() {
        let html = format!("<meta charset=hz-gb-2312><p>{RUSSIAN}</p>");
        for ct in [Some("text/html; charset=iso-2022-kr"), None] {
            assert!(decode_html(html.as_bytes(), ct).contains(RUSSIAN), "{ct:?}");
        }
    }

    #[test]
    fn header_charset_beats_meta() {
        let html = format!("<html><head><meta charset=\"utf-8\"></head><body>{RUSSIAN}</body>");
        let bytes = encode(WINDOWS_1251, &html);
        assert!(decode_html(&bytes, Some("text/html; charset=windows-1251")).contains(RUSSIAN));
        assert!(decode_html(&bytes, Some("text/html;Charset=\"CP1251\"")).contains(RUSSIAN));
        // An unknown label in the header falls through to the next step.
        let bytes = encode(SHIFT_JIS, &format!("<meta charset=shift_jis><p>{JAPANESE}"));
        assert!(decode_html(&bytes, Some("text/html; charset=bogus")).contains(JAPANESE));
    }

    #[test]
    fn meta_charset_forms() {
        let cases = [
            "<!doctype html><html><head><meta charset=\"Shift_JIS\">",
            "<meta charset='shift_jis'/>",
            "<META CHARSET=sjis>",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">",
            "<meta content='text/html;charset = \"shift_jis\"' http-equiv=content-type>",
            "<!-- <meta charset=utf-8> --><meta charset=shift_jis>",
            "<link rel=stylesheet href=\"a.css\" title='<meta charset=utf-8>'><meta charset=shift_jis>",
        ];
        for head in cases {
            let html = format!("<html><head>{head}<title>{JAPANESE}</title></head></html>");
            let bytes = encode(SHIFT_JIS, &html);
            assert_eq!(
                detect_encoding(&bytes, None, true, None),
                SHIFT_JIS,
                "{head}"
            );
            assert!(decode_html(&bytes, None).contains(JAPANESE), "{head}");
        }
    }

    #[test]
    fn meta_that_does_not_count_is_ignored() {
        // content= without http-equiv, and a meta past the scan window.
        assert_eq!(
            prescan_meta(b"<meta content=\"text/html; charset=koi8-r\">"),
            None
        );
        let mut late = vec![b' '; META_SCAN_BYTES];
        late.extend_from_slice(b"<meta charset=koi8-r>");
        assert_eq!(detect_encoding(&late, None, true, None), UTF_8);
        // UTF-16 declared in a meta means UTF-8; x-user-defined means windows-1252.
        assert_eq!(prescan_meta(b"<meta charset=utf-16le>"), Some(UTF_8));
        assert_eq!(
            prescan_meta(b"<meta charset=x-user-defined>"),
            Some(WINDOWS_1252)
        );
        // An unterminated tag or comment stops the scan without a result.
        assert_eq!(prescan_meta(b"<!-- <meta charset=koi8-r>"), None);
        assert_eq!(prescan_meta(b"<meta charset=\"koi8-r"), None);
    }

    #[test]
    fn text_ignores_meta() {
        let bytes = encode(
            WINDOWS_1251,
            &format!("<meta charset=utf-8> {RUSSIAN} {RUSSIAN}"),
        );
        assert_eq!(detect_encoding(&bytes, None, true, None), UTF_8);
        let text = decode_text(&bytes, None);
        assert!(text.contains(RUSSIAN), "{text}");
    }

    #[test]
    fn undeclared_bytes_are_guessed() {
        let cases: [(&'static Encoding, String); 4] = [
            (WINDOWS_1251, format!("<p>{RUSSIAN}</p><p>{RUSSIAN}</p>")),
            (SHIFT_JIS, format!("<p>{JAPANESE}</p>")),
            (GBK, "<p>北京市今天发布了新的交通规划，市民可以在网上查看详细内容。</p>".into()),
            (EUC_KR, "<p>서울시는 오늘 새로운 교통 계획을 발표했습니다. 시민들은 온라인에서 확인할 수 있습니다.</p>".into()),
        ];
        for (encoding, text) in cases {
            let bytes = encode(encoding, &text);
            assert_eq!(
                detect_encoding(&bytes, None, true, None),
                encoding,
                "{text}"
            );
            assert_eq!(decode_html(&bytes, None), text);
            assert_eq!(decode_text(&bytes, None), text);
        }
        let czech = "Příliš žluťoučký kůň úpěl ďábelské ódy. Žádné zprávy nejsou dobré zprávy.";
        let url = Url::parse("http://zpravy.example.cz/").unwrap();
        let bytes = encode(ISO_8859_2, czech);
        assert_eq!(decode_for_url(&bytes, None, false, &url), czech);
    }

    #[test]
    fn tld_hint_is_only_passed_when_safe() {
        assert_eq!(tld_of("news.example.jp"), Some("jp"));
        assert_eq!(tld_of("127.0.0.1"), None);
        assert_eq!(tld_of("[::1]"), None);
        assert_eq!(tld_of("example.xn--p1ai"), Some("xn--p1ai"));
        // IP hosts and odd hosts must not panic the detector.
        for host in ["http://127.0.0.1:9/", "http://[::1]/", "http://localhost/"] {
            let url = Url::parse(host).unwrap();
            let _ = decode_for_url(&[0xE0, 0xE1, 0xE2], None, true, &url);
        }
    }

    #[test]
    fn malformed_bytes_become_replacement_characters() {
        let text = decode_html(b"<p>caf\xC3</p>", Some("text/html; charset=utf-8"));
        assert_eq!(text, "<p>caf\u{FFFD}</p>");
    }
}
