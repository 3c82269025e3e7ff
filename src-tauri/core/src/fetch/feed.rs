//! Fetching a feed (or the home page it is discovered from): a conditional
//! GET through the same client and limits as pages.
//!
//! Feeds differ from pages in three ways, which is why this is not
//! [`Fetcher::fetch_page`]: the body is kept as bytes (an XML feed declares
//! its own encoding in its prolog, and the parser must see it undecoded),
//! `304 Not Modified` is a success, and an error status may carry
//! `Retry-After`, which a polite reader must honour.

use std::time::Duration;

use reqwest::header::{
    HeaderValue, ACCEPT, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    RETRY_AFTER,
};
use reqwest::StatusCode;
use url::Url;

use super::{essence, header_str, read_body, redirect_scheme_error, size_in_words, status_error};
use super::{Fetcher, LOCATION};
use crate::error::{Error, Result};
pub use crate::model::Validators;
use crate::urls::check_web_url;

/// Feeds first, then the HTML page a feed may be discovered from.
const ACCEPT_FEED: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, \
     text/html;q=0.7, */*;q=0.5";

/// The longest wait a `Retry-After` can impose. A server that asks for more
/// (or sends a date years ahead by mistake) is asked again after a day.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// A feed body as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedBody {
    /// The bytes, decompressed but not decoded.
    pub bytes: Vec<u8>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The validators to send next time.
    pub validators: Validators,
    /// The address after redirects: relative links resolve against it.
    pub final_url: Url,
}

impl FeedBody {
    /// Whether the server called it HTML (a home page to discover feeds in).
    pub fn is_html(&self) -> bool {
        matches!(
            self.content_type.as_deref().map(essence).as_deref(),
            Some("text/html" | "application/xhtml+xml")
        )
    }
}

/// What a conditional GET of a feed gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedResponse {
    /// `304`: nothing changed since the validators were given. A server may
    /// send new validators with it.
    NotModified(Validators),
    Body(FeedBody),
}

/// A failed feed fetch, with the wait the server asked for, if any.
#[derive(Debug)]
pub struct FeedFetchError {
    pub error: Error,
    /// From `Retry-After` (seconds or an HTTP date), at most [`MAX_RETRY_AFTER`].
    pub retry_after: Option<Duration>,
}

impl From<Error> for FeedFetchError {
    fn from(error: Error) -> Self {
        FeedFetchError {
            error,
            retry_after: None,
        }
    }
}

impl Fetcher {
    /// Fetches a feed or a page that may name one, sending `validators` as
    /// `If-None-Match` / `If-Modified-Since`.
    ///
    /// The body is bounded by the page limit; images, audio, video and PDFs
    /// are refused before their body is downloaded.
    pub async fn fetch_feed(
        &self,
        url: &Url,
        validators: &Validators,
    ) -> Result<FeedResponse, FeedFetchError> {
        check_web_url(url, url.as_str())?;
        let mut request = self
            .client
            .get(url.clone())
            .header(ACCEPT, HeaderValue::from_static(ACCEPT_FEED));
        if let Some(etag) = validators.etag.as_deref() {
            if let Ok(value) = HeaderValue::from_str(etag) {
                request = request.header(IF_NONE_MATCH, value);
            }
        }
        if let Some(modified) = validators.last_modified.as_deref() {
            if let Ok(value) = HeaderValue::from_str(modified) {
                request = request.header(IF_MODIFIED_SINCE, value);
            }
        }
        let response = request
            .send()
            .await
            .map_err(|e| self.network_error(&e, url))?;
        let status = response.status();
        let final_url = response.url().clone();
        let headers = response.headers();
        let new_validators = Validators {
            etag: header_str(headers.get(ETAG)),
            last_modified: header_str(headers.get(LAST_MODIFIED)),
        };
        if status == StatusCode::NOT_MODIFIED {
            return Ok(FeedResponse::NotModified(new_validators));
        }
        if status.is_redirection() {
            // See `Fetcher::send`: an unfollowed redirect to a non-web scheme.
            if let Some(target) = header_str(headers.get(LOCATION)) {
                return Err(redirect_scheme_error(&final_url, &target).into());
            }
        }
        if !status.is_success() {
            let retry_after = header_str(headers.get(RETRY_AFTER))
                .and_then(|v| parse_retry_after(&v, chrono::Utc::now()));
            return Err(FeedFetchError {
                error: status_error(status, &final_url),
                retry_after,
            });
        }
        let content_type = header_str(headers.get(CONTENT_TYPE));
        if let Some(kind) = content_type.as_deref().map(essence) {
            if kind.starts_with("image/")
                || kind.starts_with("audio/")
                || kind.starts_with("video/")
                || kind == "application/pdf"
            {
                return Err(Error::Unsupported(format!(
                    "{final_url} is not a feed or a web page ({kind}); give the address of a feed or of the site's home page"
                ))
                .into());
            }
        }
        let limit = self.limits.max_page_bytes;
        let bytes = read_body(response, limit, &final_url, None)
            .await
            .map_err(|e| match e {
                Error::TooLarge(_) => Error::TooLarge(format!(
                    "the feed at {final_url} is larger than {}; Gloss does not read feeds that big",
                    size_in_words(limit)
                )),
                other => other,
            })?;
        Ok(FeedResponse::Body(FeedBody {
            bytes,
            content_type,
            validators: new_validators,
            final_url,
        }))
    }
}

/// A feed document as UTF-8 when it is neither UTF-8 nor says what it is
/// (no byte order mark, no `encoding` in its XML declaration): decoded by
/// the `Content-Type` charset, else by a guess from the bytes (a KOI8-R or
/// Big5 feed). `None` when the bytes can be handed to the XML parser as
/// they are. The XML declaration stays: without `encoding` it means UTF-8.
pub fn undeclared_xml_to_utf8(
    bytes: &[u8],
    content_type: Option<&str>,
    url: &Url,
) -> Option<String> {
    if std::str::from_utf8(bytes).is_ok() || encoding_rs::Encoding::for_bom(bytes).is_some() {
        return None;
    }
    let head = &bytes[..bytes.len().min(512)];
    let declares = head.starts_with(b"<?xml")
        && head
            .iter()
            .position(|&b| b == b'>')
            .is_some_and(|end| head[..end].windows(8).any(|w| w == b"encoding"));
    if declares {
        return None;
    }
    let labelled = content_type.is_some_and(|t| t.to_ascii_lowercase().contains("charset="));
    if !labelled && mostly_utf8(bytes) {
        // A UTF-8 feed with a stray byte: a guess would read all of it wrong.
        return Some(String::from_utf8_lossy(bytes).into_owned());
    }
    Some(super::charset::decode_for_url(
        bytes,
        content_type,
        false,
        url,
    ))
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 with a few bad
/// bytes: far more valid multi-byte characters than invalid sequences.
/// Legacy encodings (KOI8-R, Big5, windows-1252) rarely form valid UTF-8
/// sequences by chance.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    multibyte >= 8 * invalid.max(1)
}

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`, as a
/// wait from `now`, capped at [`MAX_RETRY_AFTER`]. A date in the past is no wait.
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(seconds) = value.parse::<u64>() {
        Duration::from_secs(seconds)
    } else {
        let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
        (when.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{FixtureServer, Route};

    #[test]
    fn retry_after_reads_seconds_and_dates_and_is_capped() {
        let now = chrono::DateTime::parse_from_rfc3339("2015-10-21T07:27:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("99999999", now), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn undeclared_legacy_encodings_are_decoded_and_utf8_with_a_stray_byte_stays_utf8() {
        let url = Url::parse("http://127.0.0.1:9/feed").unwrap();
        let russian = "<rss version=\"2.0\"><channel><title>Новости гавани: паром отправляется \
            в девять часов утра, и жители заполнили зал</title></channel></rss>";
        let (koi8, _, _) = encoding_rs::KOI8_R.encode(russian);
        assert_eq!(
            undeclared_xml_to_utf8(&koi8, None, &url).as_deref(),
            Some(russian)
        );
        // The header names the charset.
        let short = "<rss><channel><title>Гавань</title></channel></rss>";
        let (koi8, _, _) = encoding_rs::KOI8_R.encode(short);
        let labelled = undeclared_xml_to_utf8(&koi8, Some("text/xml; charset=KOI8-R"), &url);
        assert_eq!(labelled.as_deref(), Some(short));
        // Valid UTF-8, or a declared encoding: left to the XML parser.
        assert_eq!(undeclared_xml_to_utf8(russian.as_bytes(), None, &url), None);
        let declared = b"<?xml version=\"1.0\" encoding=\"koi8-r\"?><rss>\xf0\xc1</rss>";
        assert_eq!(undeclared_xml_to_utf8(declared, None, &url), None);
        // UTF-8 with one stray Latin-1 byte keeps its Cyrillic.
        let mut stray = russian.as_bytes().to_vec();
        stray.insert(stray.len() - 30, 0xe9);
        let read = undeclared_xml_to_utf8(&stray, None, &url).unwrap();
        assert!(read.contains("Новости гавани"), "{read}");
    }

    #[tokio::test]
    async fn conditional_get_gives_304_and_errors_carry_retry_after() {
        let server = FixtureServer::start(vec![
            (
                "/feed",
                Route::bytes("application/rss+xml", b"<rss version=\"2.0\"/>".to_vec())
                    .with_header("ETag", "\"v1\"")
                    .with_header("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ),
            (
                "/busy",
                Route::status(429).with_header("Retry-After", "3600"),
            ),
            ("/pic", Route::bytes("image/png", vec![0; 10])),
        ]);
        let fetcher = Fetcher::new().unwrap();
        let url = Url::parse(&server.url("/feed")).unwrap();
        let FeedResponse::Body(body) = fetcher
            .fetch_feed(&url, &Validators::default())
            .await
            .unwrap()
        else {
            panic!("expected a body")
        };
        assert_eq!(body.validators.etag.as_deref(), Some("\"v1\""));
        assert!(!body.is_html());
        let again = fetcher.fetch_feed(&url, &body.validators).await.unwrap();
        assert!(matches!(again, FeedResponse::NotModified(_)));
        assert_eq!(
            server.requests("/feed")[1].header("if-none-match"),
            Some("\"v1\"")
        );

        let busy = Url::parse(&server.url("/busy")).unwrap();
        let err = fetcher
            .fetch_feed(&busy, &Validators::default())
            .await
            .unwrap_err();
        assert_eq!(err.retry_after, Some(Duration::from_secs(3600)));
        assert!(err.error.to_string().contains("429"), "{}", err.error);

        let pic = Url::parse(&server.url("/pic")).unwrap();
        let err = fetcher
            .fetch_feed(&pic, &Validators::default())
            .await
            .unwrap_err();
        assert_eq!(err.error.kind(), crate::ErrorKind::Unsupported);
    }
}
