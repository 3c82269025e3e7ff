//! The shared storage on a WebDAV server (Nextcloud, ownCloud, Apache
//! mod_dav, rclone, most NAS boxes), with basic auth or an app password.
//!
//! Why these verbs: `PROPFIND` with `Depth: 1` lists one collection in one
//! request (names, sizes, ETags), so a sync with nothing new costs a few
//! requests; a file is `PUT` under a temporary name beside its place and then
//! `MOVE`d over it with `Overwrite: T`, which servers do as a rename, so a
//! reader on another computer sees the old file or the new one and never a
//! part; a missing directory is made with `MKCOL` when a `PUT` finds no
//! parent (the common case, an existing directory, costs nothing extra).
//!
//! The password travels with every request, so the address must be `https`;
//! plain `http` is accepted only to this computer (127.0.0.1, `localhost`,
//! `::1`), where nothing crosses a network. The HTTP client is the core's
//! (`fetch::client_builder`: rustls with the system's verifier and the same
//! plain TLS reasons); redirects are not followed, because they would carry
//! the password elsewhere or hide a wrong address.
//!
//! The [`Remote`] trait is blocking (sync runs on a worker thread), so a
//! `WebDav` owns a small single-threaded runtime and blocks on it.

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::future::Future;
use std::hash::BuildHasher;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::{HeaderValue, CONTENT_TYPE, LOCATION};
use reqwest::{Method, StatusCode};
use url::Url;

use super::remote::{check_path, listed_path, Remote, RemoteError, RemoteFile};
use crate::fetch::{build_client, client_builder, connect_failure, tls_failure};
use crate::{Error, Result};

const MIB: u64 = 1024 * 1024;

/// Marks a file being uploaded: `<name>.gloss-part-<random>` beside its place.
/// Listings leave such files out, so the layer above never sees a part.
const PART_MARK: &str = ".gloss-part-";

/// The properties a listing asks for, and no more (servers compute some
/// properties, such as quotas, at a cost).
const PROPFIND_BODY: &str = concat!(
    r#"<?xml version="1.0" encoding="utf-8"?>"#,
    r#"<D:propfind xmlns:D="DAV:"><D:prop>"#,
    "<D:resourcetype/><D:getcontentlength/><D:getetag/>",
    "</D:prop></D:propfind>"
);

/// What the server may make the transport wait for or read. `Default` is what
/// the app uses; tests shorten the waits to exercise a server that never
/// answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebDavLimits {
    /// Time to open the TCP and TLS connection.
    pub connect_timeout: Duration,
    /// Longest silence while waiting for an answer or for the next part of a
    /// body: a slow but moving transfer of a large file is fine, a stalled
    /// one is not.
    pub idle_timeout: Duration,
    /// Longest time for one request, as a backstop.
    pub total_timeout: Duration,
    /// Largest file read (and written); larger ones are refused.
    pub max_file_bytes: u64,
}

impl Default for WebDavLimits {
    fn default() -> Self {
        WebDavLimits {
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(15 * 60),
            max_file_bytes: 512 * MIB,
        }
    }
}

/// A WebDAV collection as the shared storage.
pub struct WebDav {
    /// The collection's address, ending in `/`, without credentials.
    base: Url,
    user: String,
    password: String,
    client: reqwest::Client,
    /// Always `Some` until drop, which shuts it down without blocking.
    runtime: Option<tokio::runtime::Runtime>,
    limits: WebDavLimits,
    /// Collections known to exist (listed or made), so that uploads into
    /// them need no `MKCOL`.
    collections: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for WebDav {
    /// Never shows the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebDav")
            .field("base", &self.base.as_str())
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Drop for WebDav {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside another runtime.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl WebDav {
    /// The collection at `base_url` (for Nextcloud:
    /// `https://cloud.example.org/remote.php/dav/files/NAME/Gloss/`), reached
    /// as `user` with `password` (an app password where the server has them).
    ///
    /// Nothing is sent yet: a wrong address or password shows at the first
    /// listing. Fails with [`Error::InvalidInput`] on an address that is not
    /// `https` (or `http` to this computer), carries a user name or password
    /// itself, or has a query or fragment.
    pub fn new(base_url: &str, user: &str, password: &str) -> Result<WebDav> {
        WebDav::with_limits(base_url, user, password, WebDavLimits::default())
    }

    /// [`WebDav::new`] with other limits.
    pub fn with_limits(
        base_url: &str,
        user: &str,
        password: &str,
        limits: WebDavLimits,
    ) -> Result<WebDav> {
        let base = check_base_url(base_url)?;
        let client = build_client(
            client_builder(limits.connect_timeout)?
                .read_timeout(limits.idle_timeout)
                .timeout(limits.total_timeout)
                .redirect(reqwest::redirect::Policy::none()),
        )?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::Network(format!(
                    "could not start the WebDAV connection's worker: {e}; this is a bug in Gloss, please report it"
                ))
            })?;
        Ok(WebDav {
            base,
            user: user.to_string(),
            password: password.to_string(),
            client,
            runtime: Some(runtime),
            limits,
            collections: Mutex::new(HashSet::new()),
        })
    }

    /// Runs `future` to its end on this transport's runtime. Inside another
    /// runtime (an async caller that forgot `spawn_blocking`) it runs on a
    /// short-lived thread instead of panicking.
    fn block<F>(&self, future: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        let Some(runtime) = self.runtime.as_ref() else {
            unreachable!("the runtime lives until drop");
        };
        if tokio::runtime::Handle::try_current().is_err() {
            return runtime.block_on(future);
        }
        std::thread::scope(
            |scope| match scope.spawn(|| runtime.block_on(future)).join() {
                Ok(output) => output,
                Err(panic) => std::panic::resume_unwind(panic),
            },
        )
    }

    /// The address of `path` (a checked relative path, or `""` for the
    /// root); `collection` adds the trailing `/` servers expect.
    fn url(&self, path: &str, collection: bool) -> Url {
        let mut url = self.base.clone();
        if !path.is_empty() {
            // Checked paths hold only letters, digits, `-`, `_`, `.` and `/`:
            // nothing to escape.
            let joined = format!(
                "{}{path}{}",
                self.base.path(),
                if collection { "/" } else { "" }
            );
            url.set_path(&joined);
        }
        url
    }

    /// A request with the credentials.
    fn request(&self, method: Method, url: Url) -> reqwest::RequestBuilder {
        self.client
            .request(method, url)
            .basic_auth(&self.user, Some(&self.password))
    }

    /// Sends `request` and maps a failure to send or receive the head.
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, RemoteError> {
        request.send().await.map_err(|e| transport_error(&e))
    }

    async fn list_async(&self, dir: &str) -> Result<Vec<RemoteFile>, RemoteError> {
        let url = self.url(dir, true);
        let response = self
            .send(
                self.request(propfind(), url.clone())
                    .header("Depth", "1")
                    .header(CONTENT_TYPE, "application/xml; charset=utf-8")
                    .body(PROPFIND_BODY),
            )
            .await?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND && !dir.is_empty() {
            lock(&self.collections).remove(dir);
            return Ok(Vec::new());
        }
        if status != StatusCode::MULTI_STATUS {
            return Err(self.status_error(&response, &url));
        }
        if !dir.is_empty() {
            lock(&self.collections).insert(dir.to_string());
        }
        let body = self.body(response).await?;
        let entries = parse_multistatus(&body).map_err(|why| {
            RemoteError::Refused(format!(
                "{} answered a listing Gloss cannot read ({why}); is this a WebDAV address?",
                self.describe()
            ))
        })?;
        let mut files = Vec::new();
        for entry in entries {
            if entry.collection {
                continue;
            }
            let Some(name) = entry_name(&url, &entry.href) else {
                continue;
            };
            if name.contains(PART_MARK) {
                continue;
            }
            let Some(path) = listed_path(dir, &name) else {
                continue;
            };
            files.push(RemoteFile {
                path,
                size: entry.size.unwrap_or(0),
                version: entry.etag,
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    async fn read_async(&self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        let url = self.url(path, false);
        let response = self.send(self.request(Method::GET, url.clone())).await?;
        match response.status() {
            StatusCode::NOT_FOUND | StatusCode::GONE => Ok(None),
            StatusCode::OK => self.body(response).await.map(Some),
            _ => Err(self.status_error(&response, &url)),
        }
    }

    async fn write_async(&self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        if bytes.len() as u64 > self.limits.max_file_bytes {
            return Err(self.too_large(path));
        }
        let (dir, name) = match path.rsplit_once('/') {
            Some((dir, name)) => (dir, name),
            None => ("", path),
        };
        let part_name = format!(
            "{name}{PART_MARK}{:016x}",
            RandomState::new().hash_one(path)
        );
        let part = if dir.is_empty() {
            part_name
        } else {
            format!("{dir}/{part_name}")
        };
        let part_url = self.url(&part, false);
        let result = self.upload_and_move(dir, &part_url, path, bytes).await;
        if result.is_err() {
            // The part may be on the server; it is never listed, but should
            // not stay. If this fails too, the first error is the one to tell.
            let _ = self
                .send(self.request(Method::DELETE, part_url.clone()))
                .await;
        }
        result
    }

    async fn upload_and_move(
        &self,
        dir: &str,
        part_url: &Url,
        path: &str,
        bytes: &[u8],
    ) -> Result<(), RemoteError> {
        let put = || {
            self.request(Method::PUT, part_url.clone())
                .header(CONTENT_TYPE, "application/octet-stream")
                .body(bytes.to_vec())
        };
        if !dir.is_empty() {
            self.ensure_collection(dir).await?;
        }
        let response = self.send(put()).await?;
        if matches!(
            response.status(),
            StatusCode::CONFLICT | StatusCode::NOT_FOUND
        ) {
            // Someone removed the folder since: make it again next time.
            lock(&self.collections).remove(dir);
        }
        if !response.status().is_success() {
            return Err(self.status_error(&response, part_url));
        }
        let target = self.url(path, false);
        let destination = HeaderValue::from_str(target.as_str()).map_err(|_| {
            RemoteError::Refused(format!("{target} cannot be sent as a WebDAV destination"))
        })?;
        let response = self
            .send(
                self.request(move_method(), part_url.clone())
                    .header("Destination", destination)
                    .header("Overwrite", "T"),
            )
            .await?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(self.status_error(&response, &target))
        }
    }

    /// Makes sure the collection `dir` exists before a file is uploaded into
    /// it. Why first and not after a failed `PUT`: a server that refuses a
    /// large body early may close the connection while the body is still on
    /// its way, and the client then sees a broken connection, not the 409.
    /// Known collections are remembered, so this costs one `MKCOL` per
    /// folder and session (405 when it exists), and more only for new folders.
    async fn ensure_collection(&self, dir: &str) -> Result<(), RemoteError> {
        if lock(&self.collections).contains(dir) {
            return Ok(());
        }
        if !self.make_collection(dir).await? {
            // A parent is missing too: make them all, outermost first.
            let mut made = String::new();
            for part in dir.split('/') {
                if !made.is_empty() {
                    made.push('/');
                }
                made.push_str(part);
                if !self.make_collection(&made).await? {
                    // The root itself is missing: Gloss does not make it, so
                    // that a mistyped address does not become a new library.
                    return Err(RemoteError::NotFound(self.describe()));
                }
            }
        }
        lock(&self.collections).insert(dir.to_string());
        Ok(())
    }

    /// `MKCOL` of one collection: `true` when it exists now, `false` when
    /// its parent is missing (409).
    async fn make_collection(&self, dir: &str) -> Result<bool, RemoteError> {
        let url = self.url(dir, true);
        let response = self.send(self.request(mkcol(), url.clone())).await?;
        let status = response.status();
        if status.is_success() || status == StatusCode::METHOD_NOT_ALLOWED {
            Ok(true)
        } else if status == StatusCode::CONFLICT {
            Ok(false)
        } else {
            Err(self.status_error(&response, &url))
        }
    }

    async fn delete_async(&self, path: &str) -> Result<(), RemoteError> {
        let url = self.url(path, false);
        let response = self.send(self.request(Method::DELETE, url.clone())).await?;
        match response.status() {
            status if status.is_success() => Ok(()),
            StatusCode::NOT_FOUND | StatusCode::GONE => Ok(()),
            _ => Err(self.status_error(&response, &url)),
        }
    }

    /// Reads a whole body, at most [`WebDavLimits::max_file_bytes`]; a body
    /// cut short (fewer bytes than announced, or a broken connection) is
    /// [`RemoteError::Interrupted`], never a shorter file.
    async fn body(&self, mut response: reqwest::Response) -> Result<Vec<u8>, RemoteError> {
        let url = response.url().clone();
        let limit = self.limits.max_file_bytes;
        let announced = response.content_length();
        if announced.is_some_and(|len| len > limit) {
            return Err(self.too_large(url.path()));
        }
        let capacity = announced.unwrap_or(0).min(limit);
        let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(|e| body_error(&e))? {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(self.too_large(url.path()));
            }
            body.extend_from_slice(&chunk);
        }
        if announced.is_some_and(|len| len != body.len() as u64) {
            return Err(RemoteError::Interrupted);
        }
        Ok(body)
    }

    fn too_large(&self, path: &str) -> RemoteError {
        RemoteError::Refused(format!(
            "{path} on {} is larger than {} MiB; Gloss does not sync files that big",
            self.describe(),
            self.limits.max_file_bytes / MIB
        ))
    }

    /// The plain error for an unexpected status.
    fn status_error(&self, response: &reqwest::Response, url: &Url) -> RemoteError {
        let status = response.status();
        let code = status.as_u16();
        match code {
            401 => RemoteError::Unauthorized,
            403 => RemoteError::Forbidden(url.to_string()),
            404 | 409 | 410 => RemoteError::NotFound(if url == &self.base {
                self.describe()
            } else {
                url.to_string()
            }),
            507 => RemoteError::InsufficientStorage,
            500..=599 => RemoteError::Server { status: code },
            300..=399 => {
                let target = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map(crate::text::one_line)
                    .unwrap_or_else(|| "elsewhere".into());
                RemoteError::Refused(format!(
                    "the server sends {url} to {target}; use the final address in Settings › Sync"
                ))
            }
            _ => RemoteError::Refused(format!(
                "the server answered {code} {} for {url}; check the address in Settings › Sync",
                status.canonical_reason().unwrap_or("(no reason given)")
            )),
        }
    }
}

impl Remote for WebDav {
    fn describe(&self) -> String {
        self.base.to_string()
    }

    fn list(&self, dir: &str) -> Result<Vec<RemoteFile>, RemoteError> {
        if !dir.is_empty() {
            check_path(dir)?;
        }
        self.block(self.list_async(dir))
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        check_path(path)?;
        self.block(self.read_async(path))
    }

    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        check_path(path)?;
        self.block(self.write_async(path, bytes))
    }

    fn delete(&self, path: &str) -> Result<(), RemoteError> {
        check_path(path)?;
        self.block(self.delete_async(path))
    }
}

/// The collection address as given, checked, ending in `/`.
fn check_base_url(base_url: &str) -> Result<Url> {
    let trimmed = base_url.trim();
    let mut url = Url::parse(trimmed).map_err(|e| {
        Error::InvalidInput(format!(
            "{trimmed:?} is not a WebDAV address ({e}); it looks like https://cloud.example.org/remote.php/dav/files/NAME/Gloss/"
        ))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::InvalidInput(
            "put the user name and password in their own fields, not in the WebDAV address".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::InvalidInput(format!(
            "{url} has a ? or # part; a WebDAV folder's address has neither"
        )));
    }
    let local = matches!(
        url.host(),
        Some(url::Host::Domain("localhost"))
            | Some(url::Host::Ipv4(std::net::Ipv4Addr::LOCALHOST))
            | Some(url::Host::Ipv6(std::net::Ipv6Addr::LOCALHOST))
    );
    match url.scheme() {
        "https" => {}
        "http" if local => {}
        "http" => {
            return Err(Error::InvalidInput(format!(
                "{url} is plain http, which would send your password and library readable by anyone on the way; use its https address (plain http is accepted only to this computer)"
            )))
        }
        other => {
            return Err(Error::InvalidInput(format!(
                "{url} is a {other}: address; a WebDAV server's address starts with https://"
            )))
        }
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The set is a cache: what a panicking thread left in it is still true.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn propfind() -> Method {
    method(b"PROPFIND")
}

fn mkcol() -> Method {
    method(b"MKCOL")
}

fn move_method() -> Method {
    method(b"MOVE")
}

fn method(name: &'static [u8]) -> Method {
    match Method::from_bytes(name) {
        Ok(method) => method,
        Err(_) => unreachable!("WebDAV method names are valid tokens"),
    }
}

/// A failure to send a request or to receive an answer's head.
fn transport_error(e: &reqwest::Error) -> RemoteError {
    if e.is_timeout() {
        return RemoteError::Timeout;
    }
    if let Some(reason) = tls_failure(e) {
        return RemoteError::Tls(reason);
    }
    if e.is_connect() {
        return RemoteError::Network(format!(
            "{}; check the address and your connection",
            connect_failure(e)
        ));
    }
    // Connected, then the connection broke before the answer came.
    RemoteError::Interrupted
}

/// A failure while receiving a body.
fn body_error(e: &reqwest::Error) -> RemoteError {
    if e.is_timeout() {
        RemoteError::Timeout
    } else {
        RemoteError::Interrupted
    }
}

/// One `<response>` of a `207 Multi-Status` answer.
#[derive(Debug, Default, PartialEq, Eq)]
struct Entry {
    href: String,
    collection: bool,
    size: Option<u64>,
    etag: Option<String>,
}

/// The responses of a `PROPFIND` answer. Elements are matched by local name,
/// since servers pick their own prefixes for the `DAV:` namespace.
fn parse_multistatus(xml: &[u8]) -> std::result::Result<Vec<Entry>, String> {
    use quick_xml::events::Event;
    use quick_xml::XmlVersion;

    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut entries = Vec::new();
    let mut current: Option<Entry> = None;
    // The text of the innermost open element, entities resolved.
    let mut text = String::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Err(e) => return Err(format!("bad XML: {e}")),
            Ok(Event::Eof) => break,
            Ok(Event::Start(start)) => {
                text.clear();
                match start.local_name().as_ref().to_ascii_lowercase().as_str() {
                    "response" => current = Some(Entry::default()),
                    "collection" => mark_collection(&mut current),
                    _ => {}
                }
            }
            Ok(Event::Empty(empty)) => {
                if empty
                    .local_name()
                    .as_ref()
                    .eq_ignore_ascii_case("collection")
                {
                    mark_collection(&mut current);
                }
            }
            Ok(Event::Text(t)) => text.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            Ok(Event::CData(t)) => text.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            Ok(Event::GeneralRef(r)) => {
                let name = r.xml_content(XmlVersion::Implicit1_0);
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match name.as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => None,
                    },
                    Err(_) => None,
                };
                match resolved {
                    Some(c) => text.push(c),
                    None => return Err(format!("unknown entity &{name};")),
                }
            }
            Ok(Event::End(end)) => {
                let name = end.local_name().as_ref().to_ascii_lowercase();
                let value = text.trim();
                match (name.as_str(), current.as_mut()) {
                    ("response", _) => entries.extend(current.take()),
                    ("href", Some(entry)) => entry.href = value.to_string(),
                    ("getcontentlength", Some(entry)) => entry.size = value.parse().ok(),
                    ("getetag", Some(entry)) if !value.is_empty() => {
                        entry.etag = Some(value.to_string())
                    }
                    _ => {}
                }
                text.clear();
            }
            Ok(_) => {}
        }
        buf.clear();
    }
    if entries.is_empty() {
        return Err("no <response> in it".into());
    }
    Ok(entries)
}

fn mark_collection(current: &mut Option<Entry>) {
    if let Some(entry) = current.as_mut() {
        entry.collection = true;
    }
}

/// The name of a listed file directly inside the collection at `dir_url`, or
/// `None` for the collection itself or anything elsewhere.
fn entry_name(dir_url: &Url, href: &str) -> Option<String> {
    let url = dir_url.join(href).ok()?;
    let dir_path = dir_url.path();
    let rest = url.path().strip_prefix(dir_path)?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() || rest.contains('/') {
        return None;
    }
    percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()
        .map(|name| name.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_this_computer() {
        for fine in [
            "https://cloud.example.org/remote.php/dav/files/ann/Gloss",
            "http://127.0.0.1:8080/dav/",
            "http://localhost/x",
            "http://[::1]:99/",
        ] {
            assert!(WebDav::new(fine, "ann", "pw").is_ok(), "{fine}");
        }
        for refused in [
            "http://cloud.example.org/dav/",
            "http://127.0.0.2/dav/",
            "ftp://127.0.0.1/",
            "https://ann:pw@cloud.example.org/dav/",
            "https://cloud.example.org/dav/?x=1",
            "not an address",
        ] {
            let e = WebDav::new(refused, "ann", "pw").expect_err(refused);
            assert!(matches!(e, Error::InvalidInput(_)), "{refused}: {e:?}");
            assert!(!e.to_string().contains("pw@"), "{e}");
        }
    }

    #[test]
    fn the_base_ends_in_a_slash_and_paths_join_below_it() {
        let dav = WebDav::new("https://h.example/dav/Gloss", "u", "secret").expect("valid");
        assert_eq!(dav.describe(), "https://h.example/dav/Gloss/");
        assert_eq!(
            dav.url("packs/ab/x.pack", false).as_str(),
            "https://h.example/dav/Gloss/packs/ab/x.pack"
        );
        assert_eq!(
            dav.url("changes", true).as_str(),
            "https://h.example/dav/Gloss/changes/"
        );
        assert!(!format!("{dav:?}").contains("secret"));
    }

    #[test]
    fn a_listing_gives_files_with_size_and_etag() {
        let xml = br#"<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:">
 <d:response><d:href>/dav/Gloss/changes/</d:href><d:propstat><d:prop>
   <d:resourcetype><d:collection/></d:resourcetype></d:prop>
   <d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>/dav/Gloss/changes/dev-1.ops</d:href><d:propstat><d:prop>
   <d:resourcetype/><d:getcontentlength>1234</d:getcontentlength>
   <d:getetag>&quot;abc&quot;</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>http://h/dav/Gloss/changes/sub/</d:href><d:propstat><d:prop>
   <d:resourcetype><d:collection></d:collection></d:resourcetype></d:prop></d:propstat></d:response>
</d:multistatus>"#;
        let entries = parse_multistatus(xml).expect("parses");
        assert_eq!(entries.len(), 3);
        assert!(entries[0].collection);
        assert_eq!(
            entries[1],
            Entry {
                href: "/dav/Gloss/changes/dev-1.ops".into(),
                collection: false,
                size: Some(1234),
                etag: Some("\"abc\"".into()),
            }
        );
        assert!(entries[2].collection);
        let dir = Url::parse("http://h/dav/Gloss/changes/").expect("url");
        assert_eq!(entry_name(&dir, &entries[0].href), None);
        assert_eq!(
            entry_name(&dir, &entries[1].href).as_deref(),
            Some("dev-1.ops")
        );
        assert_eq!(
            entry_name(&dir, "/dav/Gloss/changes/a%2Db"),
            Some("a-b".into())
        );
        assert_eq!(entry_name(&dir, "/elsewhere/x"), None);
        assert!(parse_multistatus(b"<html>nope</html>").is_err());
    }
}
