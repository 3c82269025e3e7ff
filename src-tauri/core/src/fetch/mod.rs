//! HTTP with limits: the only way Gloss reaches the network for pages and images.
//!
//! Every page Gloss saves comes from a server it does not control, so the
//! fetcher bounds what a server can make it do: only `http`/`https` (also
//! after redirects), at most 10 redirects, 10 s to connect and 30 s in all,
//! and at most 15 MiB of page once decompressed (10 MiB per image), counted
//! while streaming so that a gzip bomb is cut off after 15 MiB instead of
//! filling memory. reqwest has no body limit of its own.
//!
//! Charsets are decoded by [`decode_html`] / [`decode_text`] (never
//! `Response::text()`, which ignores `<meta charset>`), and image types are
//! sniffed from the bytes by [`sniff_image`].
//!
//! Every error is one line that says what went wrong and what to do, with the
//! kind the UI branches on: [`Error::Network`] for DNS, connection, TLS,
//! timeouts and HTTP error statuses; [`Error::Unsupported`] for content Gloss
//! does not save; [`Error::TooLarge`] for a size or redirect limit;
//! [`Error::InvalidInput`] for a non-web address, including one reached by a
//! redirect (retrying cannot help there, unlike a network failure).

mod api;
mod charset;
mod feed;
mod sniff;

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, LOCATION};
use reqwest::redirect::{Attempt, Policy};
use url::Url;

use crate::error::{Error, Result};
use crate::text::one_line;
use crate::urls::check_web_url;

pub use api::{ApiFetchError, ApiMethod};
pub(crate) use charset::{choose_encoding, EncodingSource};
pub use charset::{decode_html, decode_text};
pub use feed::{
    parse_retry_after, undeclared_xml_to_utf8, FeedBody, FeedFetchError, FeedResponse, Validators,
    MAX_RETRY_AFTER,
};
pub(crate) use sniff::looks_like_html;
pub use sniff::sniff_image;

/// How Gloss introduces itself to servers: a name site owners can look up,
/// not a browser's disguise.
pub const USER_AGENT: &str = concat!("Gloss/", env!("CARGO_PKG_VERSION"), " (+desktop reader)");

const ACCEPT_PAGE: &str = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5";
const ACCEPT_IMAGE: &str = "image/avif,image/webp,image/png,image/jpeg,image/gif,image/*;q=0.8";

/// Bytes of an image needed before its type can be sniffed (an AVIF `ftyp`
/// box with a few compatible brands); a response that is no image by then is
/// abandoned without downloading the rest.
const IMAGE_SNIFF_BYTES: usize = 64;

const MIB: u64 = 1024 * 1024;

/// The most pixels an image may declare: 50 megapixels is 200 MB decoded,
/// more than any photo in an article needs (a 45-megapixel camera's full
/// frame passes); a larger one is a decompression bomb for the webview.
const MAX_IMAGE_PIXELS: u64 = 50_000_000;

/// What a server may make the fetcher do. `Default` is what the app uses;
/// tests shrink the numbers to exercise each limit quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchLimits {
    /// Time to open the TCP and TLS connection.
    pub connect_timeout: Duration,
    /// Time for the whole request, from sending to the last body byte.
    pub total_timeout: Duration,
    /// Redirects followed before giving up (a longer chain is almost always a loop).
    pub max_redirects: usize,
    /// Largest page body, counted after decompression.
    pub max_page_bytes: u64,
    /// Largest image body, counted after decompression.
    pub max_image_bytes: u64,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_redirects: 10,
            max_page_bytes: 15 * MIB,
            max_image_bytes: 10 * MIB,
        }
    }
}

/// What a fetched page is, which decides how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `text/html`, `application/xhtml+xml`, or untyped bytes that look like HTML.
    Html,
    /// `text/plain`, or untyped bytes that look like text.
    Text,
}

/// A page, decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedPage {
    /// The address after redirects: relative links resolve against it.
    pub final_url: Url,
    pub kind: PageKind,
    pub body: String,
}

/// An image, with its type as sniffed from the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedImage {
    pub bytes: Vec<u8>,
    /// One of the types [`sniff_image`] returns.
    pub mime: &'static str,
}

/// The HTTP client of the core. Cloning is cheap (the connection pool is
/// shared), so one is made at start-up and handed to whatever fetches.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    limits: Arc<FetchLimits>,
}

impl Fetcher {
    /// A fetcher with the default limits.
    pub fn new() -> Result<Self> {
        Fetcher::with_limits(FetchLimits::default())
    }

    /// A fetcher with the given limits.
    pub fn with_limits(limits: FetchLimits) -> Result<Self> {
        let max_redirects = limits.max_redirects;
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.total_timeout)
            .redirect(Policy::custom(move |attempt| {
                redirect_policy(attempt, max_redirects)
            }))
            .tls_backend_preconfigured(tls_config()?)
            .build()
            .map_err(|e| {
                Error::Network(format!(
                    "could not set up the HTTP client: {}; this is a bug in Gloss, please report it",
                    one_line(&innermost(&e))
                ))
            })?;
        Ok(Fetcher {
            client,
            limits: Arc::new(limits),
        })
    }

    /// The limits this fetcher enforces.
    pub fn limits(&self) -> &FetchLimits {
        &self.limits
    }

    /// Fetches a web page or text file and decodes it.
    ///
    /// Accepted: `text/html`, `application/xhtml+xml`, `text/plain`, and a
    /// response with no `Content-Type` whose bytes look like HTML or text.
    /// Any other type fails with [`Error::Unsupported`] before its body is
    /// downloaded.
    pub async fn fetch_page(&self, url: &Url) -> Result<FetchedPage> {
        check_web_url(url, url.as_str())?;
        let response = self.send(url, ACCEPT_PAGE).await?;
        let final_url = response.url().clone();
        let content_type = header_str(response.headers().get(CONTENT_TYPE));
        let declared = match content_type.as_deref().map(essence).as_deref() {
            None => None,
            Some("text/html" | "application/xhtml+xml") => Some(PageKind::Html),
            Some("text/plain") => Some(PageKind::Text),
            Some(other) => return Err(unsupported_page(&final_url, other)),
        };
        let bytes = read_body(response, self.limits.max_page_bytes, &final_url, None).await?;
        let kind = match declared {
            Some(kind) => kind,
            None if sniff::looks_like_html(&bytes) => PageKind::Html,
            None if sniff::looks_like_text(&bytes) => PageKind::Text,
            None => {
                return Err(Error::Unsupported(format!(
                    "{final_url} has no content type and is neither a web page nor text; Gloss saves web pages and text"
                )))
            }
        };
        let html = kind == PageKind::Html;
        let body = charset::decode_for_url(&bytes, content_type.as_deref(), html, &final_url);
        Ok(FetchedPage {
            final_url,
            kind,
            body,
        })
    }

    /// Fetches an image for a saved story. The type comes from the bytes (the
    /// header is ignored): PNG, JPEG, GIF, WebP, AVIF, BMP or ICO. SVG and
    /// anything else is [`Error::Unsupported`], found out from the first
    /// bytes so that a large non-image is not downloaded.
    pub async fn fetch_image(&self, url: &Url) -> Result<FetchedImage> {
        check_web_url(url, url.as_str())?;
        let response = self.send(url, ACCEPT_IMAGE).await?;
        let final_url = response.url().clone();
        let content_type = header_str(response.headers().get(CONTENT_TYPE));
        let check = |head: &[u8]| match sniff_image(head) {
            Some(_) => Ok(()),
            None => Err(not_an_image(&final_url, head, content_type.as_deref())),
        };
        let bytes = read_body(
            response,
            self.limits.max_image_bytes,
            &final_url,
            Some(&check),
        )
        .await?;
        let Some(mime) = sniff_image(&bytes) else {
            return Err(not_an_image(&final_url, &bytes, content_type.as_deref()));
        };
        if let Some((width, height)) = sniff::declared_size(&bytes) {
            if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
                return Err(Error::TooLarge(format!(
                    "{final_url} declares {width} × {height} pixels; Gloss keeps images of at most 50 megapixels (larger ones are decompression bombs)"
                )));
            }
        }
        Ok(FetchedImage { bytes, mime })
    }

    /// Sends a GET and turns transport failures and error statuses into errors.
    async fn send(&self, url: &Url, accept: &'static str) -> Result<reqwest::Response> {
        let response = self
            .client
            .get(url.clone())
            .header(ACCEPT, HeaderValue::from_static(accept))
            .send()
            .await
            .map_err(|e| self.network_error(&e, url))?;
        let status = response.status();
        if status.is_redirection() {
            // reqwest hands back, unfollowed, a redirect whose target it cannot
            // turn into an HTTP request (`file:///…`, `data:…`), without
            // asking the redirect policy: refuse it here with the same message.
            if let Some(target) = header_str(response.headers().get(LOCATION)) {
                let resolved = response.url().join(&target).ok();
                let scheme = resolved.as_ref().map_or("", Url::scheme);
                if !matches!(scheme, "http" | "https") {
                    return Err(redirect_scheme_error(response.url(), &target));
                }
            }
        }
        if !status.is_success() {
            return Err(status_error(status, response.url()));
        }
        Ok(response)
    }

    /// A one-line message for a reqwest failure, naming the host and the cause
    /// in words (not reqwest's chain of wrapped error types).
    fn network_error(&self, e: &reqwest::Error, requested: &Url) -> Error {
        let url = e.url().unwrap_or(requested);
        if let Some(refused) = find_source::<RedirectRefused>(e) {
            return match refused {
                RedirectRefused::Scheme(target) => redirect_scheme_error(url, target),
                RedirectRefused::Credentials => Error::InvalidInput(format!(
                    "{} redirected to an address with a user name or password; Gloss does not follow it (the password would be stored with the story)",
                    without_credentials(requested)
                )),
                RedirectRefused::TooMany(max) => Error::TooLarge(format!(
                    "{requested} redirected more than {max} times, probably in a loop; open it in a browser to check the address"
                )),
            };
        }
        let place = place(url);
        if e.is_timeout() {
            return Error::Network(if e.is_connect() {
                format!(
                    "could not connect to {place} within {}; check the address or your connection",
                    seconds(self.limits.connect_timeout)
                )
            } else {
                format!(
                    "{url} did not finish loading within {}; the site may be slow, try again later",
                    seconds(self.limits.total_timeout)
                )
            });
        }
        if let Some(tls) = find_source::<rustls::Error>(e) {
            return Error::Network(format!(
                "could not make a secure connection to {place}: {}",
                describe_tls(tls)
            ));
        }
        if e.is_connect() {
            let dns = causes(e)
                .iter()
                .any(|s| s.to_string().starts_with("dns error"));
            if dns {
                return Error::Network(format!(
                    "could not find the server {}; check the address or your connection",
                    url.host_str().unwrap_or("(none)")
                ));
            }
            let cause = find_source::<std::io::Error>(e)
                .map(describe_io)
                .unwrap_or_else(|| one_line(&innermost(e)));
            return Error::Network(format!(
                "could not connect to {place}: {cause}; check the address or your connection"
            ));
        }
        if e.is_body() || e.is_decode() {
            return Error::Network(format!(
                "the download of {url} broke off: {}; try again",
                one_line(&innermost(e))
            ));
        }
        Error::Network(format!(
            "could not fetch {url}: {}; try again later",
            one_line(&innermost(e))
        ))
    }
}

/// A look at the first bytes of a body that may abort the download (`Sync` so
/// the fetch futures stay `Send`).
type HeadCheck<'a> = &'a (dyn Fn(&[u8]) -> Result<()> + Sync);

/// Reads the (already decompressed) body chunk by chunk and stops as soon as
/// it passes `limit`. `check_head`, if given, sees the first
/// [`IMAGE_SNIFF_BYTES`] bytes (or the whole body if shorter) once, and can
/// abort the download.
async fn read_body(
    mut response: reqwest::Response,
    limit: u64,
    url: &Url,
    check_head: Option<HeadCheck<'_>>,
) -> Result<Vec<u8>> {
    let what = if check_head.is_some() {
        "image"
    } else {
        "page"
    };
    let too_large = || {
        Error::TooLarge(format!(
            "the {what} at {url} is larger than {}; Gloss does not save {what}s that big",
            size_in_words(limit)
        ))
    };
    // reqwest drops Content-Length when it decompresses, so a length seen
    // here is the real size and can fail fast.
    if response.content_length().is_some_and(|len| len > limit) {
        return Err(too_large());
    }
    let capacity = response.content_length().unwrap_or(0).min(limit);
    let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    let mut head_checked = false;
    loop {
        let chunk = response.chunk().await.map_err(|e| {
            // Timeouts while reading the body come here as well.
            body_error(&e, url)
        })?;
        let Some(chunk) = chunk else { break };
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
        if let Some(check) = check_head {
            if !head_checked && body.len() >= IMAGE_SNIFF_BYTES {
                head_checked = true;
                check(&body)?;
            }
        }
    }
    Ok(body)
}

fn body_error(e: &reqwest::Error, url: &Url) -> Error {
    if e.is_timeout() {
        return Error::Network(format!(
            "{url} did not finish loading in time; the site may be slow, try again later"
        ));
    }
    Error::Network(format!(
        "the download of {url} broke off: {}; try again",
        one_line(&innermost(e))
    ))
}

/// Why a redirect was not followed; carried through reqwest's error so the
/// message can say so precisely.
#[derive(Debug)]
enum RedirectRefused {
    Scheme(String),
    /// A `user:password@` address: it would be stored and shown with the story.
    Credentials,
    TooMany(usize),
}

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedirectRefused::Scheme(target) => write!(f, "redirect to non-web address {target}"),
            RedirectRefused::Credentials => write!(f, "redirect to an address with credentials"),
            RedirectRefused::TooMany(max) => write!(f, "more than {max} redirects"),
        }
    }
}

impl std::error::Error for RedirectRefused {}

/// Follows http/https redirects up to `max`. `previous` holds every address
/// requested so far, the first one included, so it has `n` entries when the
/// `n`-th redirect is considered.
fn redirect_policy(attempt: Attempt<'_>, max: usize) -> reqwest::redirect::Action {
    if !matches!(attempt.url().scheme(), "http" | "https") {
        let target = attempt.url().to_string();
        return attempt.error(RedirectRefused::Scheme(target));
    }
    // The typed address is held to this rule (`check_web_url`); a redirect must be too.
    if !attempt.url().username().is_empty() || attempt.url().password().is_some() {
        return attempt.error(RedirectRefused::Credentials);
    }
    if attempt.previous().len() > max {
        return attempt.error(RedirectRefused::TooMany(max));
    }
    attempt.follow()
}

/// The TLS setup: rustls on the *ring* provider with the operating system's
/// certificate verifier.
///
/// Why ring: the build must contain one crypto provider, and Tauri's updater
/// (reqwest 0.12 with rustls) already brings ring; reqwest 0.13's plain
/// `rustls` feature would add aws-lc-rs, a second large C/assembly library
/// that needs cmake and NASM on Windows. So reqwest is built with
/// `rustls-no-provider` and gets this ready-made config.
///
/// Why the platform verifier rather than a bundled root list: it trusts what
/// the user's system trusts (corporate proxies' roots, revocations) and gets
/// root updates from the OS; reqwest depends on it anyway.
fn tls_config() -> Result<rustls::ClientConfig> {
    use rustls_platform_verifier::BuilderVerifierExt;

    let setup_failed = |e: rustls::Error| {
        Error::Network(format!(
            "could not set up secure connections: {}; check this computer's certificate store",
            one_line(&e.to_string())
        ))
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(setup_failed)?
        .with_platform_verifier()
        .map_err(setup_failed)?
        .with_no_client_auth();
    // A preconfigured config is used as is, so HTTP/2 must be offered here.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Why a TLS connection failed, in words a reader can act on: rustls's own
/// messages name enum variants and Unix times ("UnknownIssuer",
/// "verification time 1795884497 (UNIX)").
fn describe_tls(error: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    let date = |t: &rustls::pki_types::UnixTime| {
        chrono::DateTime::from_timestamp(t.as_secs().min(i64::MAX as u64) as i64, 0)
            .map(|d| d.format("%-d %B %Y").to_string())
            .unwrap_or_else(|| "an unknown date".into())
    };
    let rustls::Error::InvalidCertificate(cert) = error else {
        return format!(
            "{}; the site may not support secure connections properly",
            one_line(&error.to_string())
        );
    };
    match cert {
        C::ExpiredContext { not_after, .. } => format!(
            "the site's certificate expired on {}; if that is not so, check this computer's date",
            date(not_after)
        ),
        C::Expired => {
            "the site's certificate has expired; if that is not so, check this computer's date"
                .into()
        }
        C::NotValidYetContext { not_before, .. } => format!(
            "the site's certificate is valid only from {}; check this computer's date",
            date(not_before)
        ),
        C::NotValidYet => {
            "the site's certificate is not valid yet; check this computer's date".into()
        }
        C::NotValidForNameContext { presented, .. } => {
            // Names come as `DnsName("example.org")`: keep what is quoted.
            let names: Vec<String> = presented
                .iter()
                .map(|n| match (n.find('"'), n.rfind('"')) {
                    (Some(a), Some(b)) if b > a => n[a + 1..b].to_string(),
                    _ => n.clone(),
                })
                .collect();
            format!(
                "the site's certificate is for another name ({}), not this address",
                one_line(&names.join(", "))
            )
        }
        C::NotValidForName => {
            "the site's certificate is for another name, not this address".into()
        }
        C::UnknownIssuer => "the site's certificate is not from an authority this computer trusts (it may be self-signed, or a network may be intercepting the connection)".into(),
        C::Revoked => "the site's certificate has been revoked".into(),
        other => format!(
            "the site's certificate was refused ({}); it may be invalid",
            one_line(&format!("{other:?}"))
        ),
    }
}

/// The address as it may be shown: without a user name or password.
fn without_credentials(url: &Url) -> Url {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown
}

fn redirect_scheme_error(from: &Url, target: &str) -> Error {
    let mut target = one_line(target);
    if target.chars().count() > 80 {
        target = format!("{}…", target.chars().take(80).collect::<String>());
    }
    Error::InvalidInput(format!(
        "{from} redirected to {target}, which is not a web address; Gloss follows redirects only to http and https"
    ))
}

/// "the server answered 404 Not Found for …", with advice that fits the status.
fn status_error(status: reqwest::StatusCode, url: &Url) -> Error {
    let code = status.as_u16();
    let reason = status.canonical_reason().unwrap_or("(no reason given)");
    let advice = match code {
        401 | 403 => "the page may need a login, or the site refuses readers like Gloss",
        404 | 410 => "check the address; the page may have moved or been removed",
        429 => "the site is limiting requests; try again later",
        300..=399 => "the server redirected without saying where to",
        500..=599 => "the site has a problem; try again later",
        _ => "check the address",
    };
    Error::Network(format!(
        "the server answered {code} {reason} for {url}; {advice}"
    ))
}

fn unsupported_page(url: &Url, essence: &str) -> Error {
    let what = sniff::describe(essence);
    let essence = one_line(essence);
    if what == "a feed" {
        return Error::Unsupported(format!(
            "{url} is a feed ({essence}); add it under Feeds to follow it, or save one of its stories"
        ));
    }
    Error::Unsupported(format!(
        "{url} is {what} ({essence}); Gloss saves web pages and text"
    ))
}

fn not_an_image(url: &Url, head: &[u8], content_type: Option<&str>) -> Error {
    if sniff::looks_like_svg(head) {
        return Error::Unsupported(format!(
            "{url} is an SVG image; Gloss keeps only PNG, JPEG, GIF, WebP, AVIF, BMP and ICO images"
        ));
    }
    let declared = content_type.map_or_else(|| "no content type".to_string(), one_line);
    Error::Unsupported(format!(
        "{url} is not an image Gloss can keep ({declared}); Gloss keeps PNG, JPEG, GIF, WebP, AVIF, BMP and ICO images"
    ))
}

/// The MIME type without parameters, lower-case: `Text/HTML; charset=x` -> `text/html`.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// A header value as text; an empty or non-ASCII value counts as absent.
fn header_str(value: Option<&HeaderValue>) -> Option<String> {
    value
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// `example.com` or, with an explicit port, `127.0.0.1:9`.
fn place(url: &Url) -> String {
    let host = url.host_str().unwrap_or("(no host)");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionRefused => "connection refused".into(),
        ConnectionReset => "the connection was reset".into(),
        ConnectionAborted => "the connection was aborted".into(),
        TimedOut => "the connection timed out".into(),
        AddrNotAvailable => "the address is not available".into(),
        NetworkUnreachable => "the network is unreachable".into(),
        HostUnreachable => "the host is unreachable".into(),
        NetworkDown => "the network is down".into(),
        _ => one_line(&e.to_string()),
    }
}

/// Every cause of `e`, outermost first. An `io::Error` wrapping another error
/// does not report it as its `source()` (std skips to the inner error's own
/// source), and hyper-rustls nests a `rustls::Error` two `io::Error`s deep, so
/// wrapped errors are unpacked explicitly.
fn causes<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(e);
    while let Some(current) = next {
        out.push(current);
        next = match current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => current.source(),
        };
    }
    out
}

/// The first cause of type `T`.
fn find_source<T: std::error::Error + 'static>(e: &reqwest::Error) -> Option<&T> {
    causes(e).into_iter().find_map(|s| s.downcast_ref::<T>())
}

/// The deepest cause's message: reqwest's outer messages ("error sending
/// request for url …") repeat what the caller's message already says.
fn innermost(e: &reqwest::Error) -> String {
    causes(e).last().map(|s| s.to_string()).unwrap_or_default()
}

fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn size_in_words(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests;
