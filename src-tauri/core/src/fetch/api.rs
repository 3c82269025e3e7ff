//! Calls to a feed server's API (Fever, Google Reader): GET or form POST
//! through the same client and limits as pages and feeds (timeouts,
//! redirects, body size counted while streaming).
//!
//! Unlike a page, an API's error status is data the caller acts on (a 401
//! means "log in again" to a Google Reader client), so the status comes back
//! with the error, and so does the server's `Retry-After`.

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use url::Url;

use super::{header_str, parse_retry_after, read_body, size_in_words, Fetcher};
use crate::error::Error;
use crate::urls::check_web_url;

/// How an API call is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiMethod {
    Get,
    /// `application/x-www-form-urlencoded` body.
    Post,
}

/// A failed API call: what went wrong, the HTTP status when the server
/// answered, and the wait it asked for.
#[derive(Debug)]
pub struct ApiFetchError {
    pub error: Error,
    pub status: Option<u16>,
    /// From `Retry-After`, at most [`super::MAX_RETRY_AFTER`].
    pub retry_after: Option<Duration>,
}

impl From<Error> for ApiFetchError {
    fn from(error: Error) -> Self {
        ApiFetchError {
            error,
            status: None,
            retry_after: None,
        }
    }
}

impl Fetcher {
    /// Calls an API: `form` is the POST body (ignored for a GET: put
    /// parameters in the URL), `headers` extra headers (an `Authorization`).
    /// A success status gives the body's bytes; any other status is an
    /// [`ApiFetchError`] with that status.
    pub async fn call_api(
        &self,
        method: ApiMethod,
        url: &Url,
        headers: &[(&'static str, String)],
        form: &[(String, String)],
    ) -> std::result::Result<Vec<u8>, ApiFetchError> {
        check_web_url(url, url.as_str())?;
        let mut request = match method {
            ApiMethod::Get => self.client.get(url.clone()),
            ApiMethod::Post => {
                let body = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(form)
                    .finish();
                self.client
                    .post(url.clone())
                    .header(
                        CONTENT_TYPE,
                        HeaderValue::from_static("application/x-www-form-urlencoded"),
                    )
                    .body(body)
            }
        };
        request = request.header(
            ACCEPT,
            HeaderValue::from_static("application/json, */*;q=0.5"),
        );
        for (name, value) in headers {
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::InvalidInput(format!("a value for the {name} header is not valid"))
            })?;
            request = request.header(HeaderName::from_static(name), value);
        }
        let response = request
            .send()
            .await
            .map_err(|e| self.network_error(&e, url))?;
        let status = response.status();
        let final_url = response.url().clone();
        if !status.is_success() {
            let retry_after = header_str(response.headers().get(RETRY_AFTER))
                .and_then(|v| parse_retry_after(&v, chrono::Utc::now()));
            return Err(ApiFetchError {
                error: super::status_error(status, &place_of(&final_url)),
                status: Some(status.as_u16()),
                retry_after,
            });
        }
        let limit = self.limits.max_page_bytes;
        read_body(response, limit, &place_of(&final_url), None)
            .await
            .map_err(|e| match e {
                Error::TooLarge(_) => Error::TooLarge(format!(
                    "an answer of {} is larger than {}; Gloss does not read answers that big",
                    place_of(&final_url),
                    size_in_words(limit)
                ))
                .into(),
                other => other.into(),
            })
    }
}

/// The address without its query: an API's query can name the request's
/// parameters, which have no place in a message.
fn place_of(url: &Url) -> Url {
    let mut shown = url.clone();
    shown.set_query(None);
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown
}
