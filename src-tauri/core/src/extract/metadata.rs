//! Page metadata beyond what `dom_smoothie` reads (it covers JSON-LD, Open
//! Graph, Dublin Core and `<html lang>`), and the normalising of what both
//! find: dates to RFC 3339 in the page's own time zone, whitespace
//! collapsed, excerpts bounded.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat};
use dom_query::Document;

use super::dom::{attr_ref, local_name};

use super::language::normalize_tag;
use crate::text::one_line;

/// Longest excerpt kept, in characters: a card preview, not the article.
pub(crate) const EXCERPT_MAX_CHARS: usize = 300;

/// `<meta name=...>` keys that carry a publication date on pages without
/// JSON-LD or `article:published_time` (news CMSs, Google Scholar tags).
const DATE_META_NAMES: &[&str] = &[
    "article.published",
    "citation_publication_date",
    "date",
    "dc.date",
    "dc.date.created",
    "dc.date.issued",
    "dcterms.date",
    "pubdate",
    "publish-date",
    "publish_date",
    "publishdate",
    "published-date",
    "sailthru.date",
];

/// `<meta>` keys of a page summary, best first.
const DESCRIPTION_META_KEYS: &[&str] = &[
    "og:description",
    "description",
    "twitter:description",
    "dc.description",
];

/// `<meta>` keys that declare the page's language.
const LANGUAGE_META_KEYS: &[&str] = &["content-language", "language", "dc.language", "og:locale"];

/// What a page says about itself outside the article body, read before
/// extraction (which removes `<head>` and everything around the article).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct PageHints {
    /// ISO 639-1 from `<html lang>`, `Content-Language`, `og:locale`...
    pub language: Option<String>,
    /// `dir` of `<html>` or `<body>`, as written.
    pub dir: Option<String>,
    /// Publication dates found in `<meta>`/`itemprop`/`<time pubdate>`,
    /// already normalised, best first.
    pub published: Vec<String>,
    /// The page's own summary (`og:description`, `description`...).
    pub description: Option<String>,
    /// `href` of the first `<base href>`, as written.
    pub base_href: Option<String>,
}

/// Reads [`PageHints`] from a whole page.
pub(crate) fn page_hints(doc: &Document) -> PageHints {
    // `<html>` and `<body>` are looked up, not searched for: every
    // `select` walks the whole page.
    let html = doc
        .root()
        .first_element_child()
        .filter(|n| n.has_name("html"));
    let mut hints = PageHints {
        language: html
            .and_then(|h| h.attr("lang"))
            .and_then(|l| normalize_tag(&l)),
        dir: [html, doc.body()]
            .iter()
            .flatten()
            .find_map(|n| n.attr("dir"))
            .map(|d| d.trim().to_ascii_lowercase()),
        published: Vec::new(),
        description: None,
        base_href: None,
    };
    let mut meta_language = None;
    let mut descriptions: Vec<(usize, String)> = Vec::new();
    let mut meta_dates = Vec::new();
    let mut published = Vec::new();
    // One walk of the page, by hand: it is what `select("meta[content],
    // [itemprop=datePublished][datetime], time[pubdate][datetime]")` and
    // `select("base[href]")` found, for a sixth of what the selector
    // matching cost.
    for node in doc.root().descendants_it() {
        let Some(name) = local_name(&node) else {
            continue;
        };
        let has = |attr: &str| attr_ref(&node, attr).is_some();
        if hints.base_href.is_none() && &*name == "base" {
            hints.base_href = node.attr("href").map(String::from);
        }
        let dated = (attr_ref(&node, "itemprop").as_deref() == Some("datePublished")
            || (&*name == "time" && has("pubdate")))
            && has("datetime");
        if dated {
            published.extend(node.attr("datetime").and_then(|d| normalize_date(&d)));
        }
        if &*name != "meta" {
            continue;
        }
        let Some(content) = node.attr("content") else {
            continue;
        };
        let meta = node;
        let key = ["name", "property", "http-equiv", "itemprop"]
            .iter()
            .find_map(|a| meta.attr(a))
            .map(|k| k.trim().to_ascii_lowercase())
            .unwrap_or_default();
        if meta_language.is_none() && LANGUAGE_META_KEYS.contains(&key.as_str()) {
            // `Content-Language` may list several; the first is the main one.
            meta_language = content.split(',').find_map(normalize_tag);
        }
        if let Some(rank) = DESCRIPTION_META_KEYS.iter().position(|k| *k == key) {
            if let Some(d) = clean_field(Some(&content)) {
                descriptions.push((rank, d));
            }
        }
        if key == "datepublished" || DATE_META_NAMES.contains(&key.as_str()) {
            meta_dates.extend(normalize_date(&content));
        }
    }
    if hints.language.is_none() {
        hints.language = meta_language;
    }
    descriptions.sort_by_key(|(rank, _)| *rank);
    hints.description = descriptions.into_iter().next().map(|(_, d)| d);
    hints.published = published;
    hints.published.extend(meta_dates);
    hints
}

/// A date as found on pages ("2024-03-05T10:00:00+01:00", "2024-03-05",
/// "Tue, 05 Mar 2024 09:00:00 GMT", "2024-03-05 09:00:00") as RFC 3339
/// (ISO 8601) with whole seconds, in the time zone the page wrote it in:
/// "2024-03-05T10:00:00+01:00" stays at +01:00, so the reader shows the
/// date the publisher meant; UTC is written "Z". Times without a zone are
/// taken as UTC; dates without a time as midnight UTC. `None` for anything
/// unparseable or outside 1900-2200 (placeholder dates like 0001-01-01).
pub(crate) fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    let utc = FixedOffset::east_opt(0)?;
    let parsed: Option<DateTime<FixedOffset>> = DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_rfc2822(s))
        .ok()
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f%z",
                "%Y-%m-%dT%H:%M%:z",
                "%Y-%m-%dT%H:%M%z",
                "%Y-%m-%d %H:%M:%S%.f%:z",
                "%Y-%m-%d %H:%M:%S%.f%z",
                "%Y-%m-%d %H:%M:%S%.f %z",
            ]
            .iter()
            .find_map(|f| DateTime::parse_from_str(s, f).ok())
        })
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%d %H:%M",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
            .map(|n| n.and_utc().with_timezone(&utc))
        })
        .or_else(|| {
            ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|n| n.and_utc().with_timezone(&utc))
        });
    let date = parsed?;
    let year = date.format("%Y").to_string().parse::<i32>().ok()?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    Some(date.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// A metadata string with whitespace collapsed, or `None` when nothing is left.
pub(crate) fn clean_field(value: Option<&str>) -> Option<String> {
    value.map(one_line).filter(|v| !v.is_empty())
}

/// An excerpt of at most [`EXCERPT_MAX_CHARS`] characters, cut at a word
/// boundary with an ellipsis when it was longer.
pub(crate) fn excerpt(value: &str) -> Option<String> {
    let value = one_line(value);
    if value.is_empty() {
        return None;
    }
    if value.chars().count() <= EXCERPT_MAX_CHARS {
        return Some(value);
    }
    let cut: String = value.chars().take(EXCERPT_MAX_CHARS - 1).collect();
    // Cut at the last space when there is one not too far back (CJK text
    // has none, and is cut at the character).
    let cut = match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => cut[..i].trim_end_matches([',', ';', ':', ' ']).to_string(),
        _ => cut,
    };
    Some(format!("{cut}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_rfc3339_utc() {
        let cases = [
            ("2024-03-05T10:00:00+01:00", "2024-03-05T10:00:00+01:00"),
            ("2024-03-05T09:00:00.123Z", "2024-03-05T09:00:00Z"),
            ("2024-03-05T10:00:00+0100", "2024-03-05T10:00:00+01:00"),
            ("2024-03-05T10:00+01:00", "2024-03-05T10:00:00+01:00"),
            ("2024-03-05T10:00:00+00:00", "2024-03-05T10:00:00Z"),
            ("2024-03-05 09:00:00", "2024-03-05T09:00:00Z"),
            ("2024-03-05T09:00", "2024-03-05T09:00:00Z"),
            ("2024-03-05", "2024-03-05T00:00:00Z"),
            ("2024/03/05", "2024-03-05T00:00:00Z"),
            ("Tue, 05 Mar 2024 09:00:00 GMT", "2024-03-05T09:00:00Z"),
            (" 2024-03-05T09:00:00-05:00 ", "2024-03-05T09:00:00-05:00"),
            (
                "Tue, 05 Mar 2024 09:00:00 +0700",
                "2024-03-05T09:00:00+07:00",
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize_date(raw).as_deref(), Some(want), "{raw}");
        }
        for bad in ["", "yesterday", "0001-01-01T00:00:00Z", "2024-13-45"] {
            assert_eq!(normalize_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn page_hints_read_language_direction_and_dates() {
        let doc = Document::from(
            r#"<html lang="pt-BR" dir="LTR"><head>
            <meta name="DC.date.issued" content="2023-11-02">
            <meta itemprop="datePublished" content="2023-11-01T08:00:00Z">
            <meta name="description" content="  The plain   one. ">
            <meta name="twitter:description" content="The bird one.">
            </head><body><time pubdate datetime="2023-10-31">x</time></body></html>"#,
        );
        let hints = page_hints(&doc);
        assert_eq!(hints.language.as_deref(), Some("pt"));
        assert_eq!(hints.dir.as_deref(), Some("ltr"));
        assert_eq!(hints.description.as_deref(), Some("The plain one."));
        assert_eq!(
            hints.published,
            vec![
                "2023-10-31T00:00:00Z".to_string(),
                "2023-11-02T00:00:00Z".to_string(),
                "2023-11-01T08:00:00Z".to_string(),
            ]
        );
    }

    #[test]
    fn meta_language_is_used_when_html_has_no_lang() {
        let doc = Document::from(
            r#"<html><head><meta http-equiv="Content-Language" content="de-AT, en"></head></html>"#,
        );
        assert_eq!(page_hints(&doc).language.as_deref(), Some("de"));
        let doc = Document::from(
            r#"<html><head><meta property="og:locale" content="fr_FR"></head></html>"#,
        );
        assert_eq!(page_hints(&doc).language.as_deref(), Some("fr"));
    }

    #[test]
    fn excerpts_are_bounded_at_a_word() {
        assert_eq!(excerpt("  short   text ").as_deref(), Some("short text"));
        assert_eq!(excerpt(" \n "), None);
        let long = "word ".repeat(100);
        let e = excerpt(&long).unwrap();
        assert!(e.chars().count() <= EXCERPT_MAX_CHARS, "{}", e.len());
        assert!(e.ends_with("word…"), "{e}");
        let cjk = "東".repeat(400);
        assert_eq!(excerpt(&cjk).unwrap().chars().count(), EXCERPT_MAX_CHARS);
    }
}
