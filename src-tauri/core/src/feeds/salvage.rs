//! Reading what can be read of a feed that feed-rs refuses whole.
//!
//! feed-rs stops at the first thing it cannot read, and refuses the
//! document: one `<title type="">` among good entries, an `<rss>` without
//! `version`, a KOI8-R feed that does not say it is one. A reader should
//! read what can be read, as browsers and feedparser do:
//!
//! - [`repair`] fixes the document's envelope before parsing: an encoding
//!   neither declared nor UTF-8 is decoded (the `Content-Type` charset, else
//!   a guess from the bytes) and handed over as UTF-8; an `<rss>` root with
//!   no `version` (or one feed-rs does not know) is read as RSS 2.0.
//! - [`entry_by_entry`] is for a document that still fails: the feed's
//!   head is read with each entry alone, and the entries that fail are
//!   skipped, each with a reason in plain words ([`describe`]).

use std::borrow::Cow;

use feed_rs::model::Feed;
use feed_rs::parser::{ParseErrorKind, ParseFeedError};
use url::Url;

/// Why feed-rs did not give a feed: what salvage starts from.
pub(crate) enum ParseFailure {
    Refused(ParseFeedError),
    /// It panicked (a bug in it, caught).
    Crashed,
}

/// The `<rss version>`s feed-rs reads; any other is read as 2.0 (RSS 2.0
/// reads every RSS 0.9x document too).
const KNOWN_RSS_VERSIONS: &[&str] = &["0.91", "0.92", "2.0"];

/// The document with an undeclared legacy encoding turned into UTF-8 and
/// an `<rss>` root made readable; the bytes unchanged when nothing needs it.
pub(crate) fn repair<'a>(bytes: &'a [u8], content_type: Option<&str>, base: &Url) -> Cow<'a, [u8]> {
    let doc = match crate::fetch::undeclared_xml_to_utf8(bytes, content_type, base) {
        Some(text) => Cow::Owned(text.into_bytes()),
        None => Cow::Borrowed(bytes),
    };
    match rss_version_fix(&doc) {
        Some(fixed) => Cow::Owned(fixed),
        None => doc,
    }
}

/// The document with `version="2.0"` on an `<rss>` root that has no
/// version feed-rs reads; `None` when the root needs nothing.
fn rss_version_fix(doc: &[u8]) -> Option<Vec<u8>> {
    let (start, end) = root_tag(doc)?;
    let tag = &doc[start..end];
    if !tag.starts_with(b"<rss")
        || !tag
            .get(4)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'>')
    {
        return None;
    }
    let mut fixed = Vec::with_capacity(doc.len() + 16);
    match attribute_value(tag, b"version") {
        Some((from, to)) => {
            let version = String::from_utf8_lossy(&tag[from..to]);
            if KNOWN_RSS_VERSIONS.contains(&version.trim()) {
                return None;
            }
            fixed.extend_from_slice(&doc[..start + from]);
            fixed.extend_from_slice(b"2.0");
            fixed.extend_from_slice(&doc[start + to..]);
        }
        None => {
            fixed.extend_from_slice(&doc[..start + 4]);
            fixed.extend_from_slice(b" version=\"2.0\"");
            fixed.extend_from_slice(&doc[start + 4..]);
        }
    }
    Some(fixed)
}

/// Where the root element's start tag is: after the XML declaration,
/// comments, processing instructions and the doctype.
fn root_tag(doc: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    loop {
        i += doc.get(i..)?.iter().position(|&b| b == b'<')?;
        let rest = &doc[i..];
        if rest.starts_with(b"<!--") {
            i += find(rest, b"-->")? + 3;
        } else if rest.starts_with(b"<?") || rest.starts_with(b"<!") {
            i += find(rest, b">")? + 1;
        } else {
            return Some((i, i + find(rest, b">")? + 1));
        }
    }
}

/// The value's span (inside the quotes) of attribute `name` in a start tag.
fn attribute_value(tag: &[u8], name: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while let Some(at) = find(&tag[i..], name).map(|p| p + i) {
        i = at + name.len();
        if !tag[at - 1].is_ascii_whitespace() {
            continue;
        }
        let mut j = i;
        while tag.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        if tag.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while tag.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        let quote = *tag.get(j).filter(|q| matches!(q, b'"' | b'\''))?;
        let close = tag[j + 1..].iter().position(|&b| b == quote)? + j + 1;
        return Some((j + 1, close));
    }
    None
}

/// Reads a document entry by entry: its head and tail (the channel) with
/// no entries, then with each of the first `max_entries` entries alone.
/// Returns the feed with the entries that could be read and, for each one
/// that could not, why. `None` when the document has no entries to
/// separate, or its head cannot be read either: then it is no feed.
pub(crate) fn entry_by_entry(
    doc: &[u8],
    max_entries: usize,
    parse: impl Fn(&[u8]) -> Result<Feed, ParseFailure>,
) -> Option<(Feed, Vec<String>)> {
    let split = split_entries(doc)?;
    let with = |entry: &[u8]| [split.head, entry, split.tail].concat();
    let mut feed = parse(&with(b"")).ok()?;
    let mut skipped = Vec::new();
    for entry in split.entries.into_iter().take(max_entries) {
        let alone = with(entry);
        match parse(&alone) {
            Ok(one) => feed.entries.extend(one.entries),
            Err(failure) => skipped.push(describe(&failure, &alone)),
        }
    }
    Some((feed, skipped))
}

/// A document cut around its entries.
struct Split<'a> {
    head: &'a [u8],
    entries: Vec<&'a [u8]>,
    tail: &'a [u8],
}

/// The `<item>`s (RSS) or `<entry>`s (Atom) of an XML document; `None`
/// when it has none (or is JSON).
fn split_entries(doc: &[u8]) -> Option<Split<'_>> {
    // JSON (whose strings may hold markup) is never cut.
    let first = doc.iter().find(|&&b| b == b'<' || b == b'{');
    if first != Some(&b'<') {
        return None;
    }
    let (root, _) = root_tag(doc)?;
    let name: &[u8] = if doc[root..].starts_with(b"<feed") {
        b"entry"
    } else {
        b"item"
    };
    let mut entries = Vec::new();
    let mut i = root;
    while let Some(at) = next_tag(doc, i, name) {
        let end = match find(&doc[at..], b">") {
            Some(p) if doc[at + p - 1] == b'/' => at + p + 1,
            Some(_) => {
                let close = [b"</".as_slice(), name, b">"].concat();
                at + find(&doc[at..], &close)? + close.len()
            }
            None => return None,
        };
        entries.push((at, end));
        i = end;
    }
    let (first, _) = *entries.first()?;
    let (_, last) = *entries.last()?;
    Some(Split {
        head: &doc[..first],
        entries: entries.iter().map(|&(a, b)| &doc[a..b]).collect(),
        tail: &doc[last..],
    })
}

/// The next start tag `<name` from `from`, outside comments and CDATA.
fn next_tag(doc: &[u8], mut from: usize, name: &[u8]) -> Option<usize> {
    loop {
        from += doc.get(from..)?.iter().position(|&b| b == b'<')?;
        let rest = &doc[from..];
        if rest.starts_with(b"<!--") {
            from += find(rest, b"-->")? + 3;
        } else if rest.starts_with(b"<![CDATA[") {
            from += find(rest, b"]]>")? + 3;
        } else if rest[1..].starts_with(name)
            && rest
                .get(1 + name.len())
                .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
        {
            return Some(from);
        } else {
            from += 1;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Why feed-rs could not read `doc`, in plain words ("unsupported title
/// type \"\"", "broken XML: ...").
pub(crate) fn describe(failure: &ParseFailure, doc: &[u8]) -> String {
    let error = match failure {
        ParseFailure::Crashed => return "the feed reader failed on it".to_string(),
        ParseFailure::Refused(error) => error,
    };
    let element = |position: &u64| {
        element_before(doc, usize::try_from(*position).unwrap_or(usize::MAX))
            .unwrap_or_else(|| "element".to_string())
    };
    let text = match error {
        ParseFeedError::ParseError(kind) => match kind {
            ParseErrorKind::NoFeedRoot => "no RSS, Atom or JSON Feed root element".to_string(),
            ParseErrorKind::UnknownMimeType { position, mime } => {
                format!("unsupported {} type \"{mime}\"", element(position))
            }
            ParseErrorKind::MissingContent { position, .. } => {
                format!("empty {}", element(position))
            }
            ParseErrorKind::UnknownEnumVariant {
                position,
                reference,
            } => {
                format!("unknown value \"{reference}\" in {}", element(position))
            }
            ParseErrorKind::IllegalState { position, .. } => {
                format!("unreadable {}", element(position))
            }
        },
        ParseFeedError::IoError(e) => format!("unreadable text ({e})"),
        ParseFeedError::JsonSerde(e) => format!("broken JSON ({e})"),
        ParseFeedError::JsonUnsupportedVersion(v) => format!("unsupported JSON Feed version {v}"),
        ParseFeedError::XmlReader(e) => {
            let detail = e.to_string();
            let detail = detail.trim_start_matches("Parser error: ");
            format!(
                "broken XML ({})",
                detail.trim_start_matches("ill-formed document: ")
            )
        }
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The local name of the last start tag that begins before `position`.
fn element_before(doc: &[u8], position: usize) -> Option<String> {
    let head = &doc[..position.min(doc.len())];
    let mut at = head.len();
    loop {
        at = head[..at].iter().rposition(|&b| b == b'<')?;
        let name: Vec<u8> = head[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.'))
            .copied()
            .collect();
        if !name.is_empty() && name[0].is_ascii_alphabetic() {
            let name = String::from_utf8_lossy(&name).into_owned();
            return Some(name.rsplit(':').next().unwrap_or_default().to_string());
        }
    }
}

/// One line for the feed's row: how many entries were skipped and why
/// (the distinct reasons, at most three).
pub(crate) fn summary(skipped: &[String]) -> Option<String> {
    let first = skipped.first()?;
    let mut reasons = vec![first.as_str()];
    for reason in skipped {
        if reasons.len() < 3 && !reasons.contains(&reason.as_str()) {
            reasons.push(reason);
        }
    }
    let count = skipped.len();
    let noun = if count == 1 { "entry" } else { "entries" };
    Some(format!("{count} {noun} skipped: {}", reasons.join("; ")))
}
