//! Test support: a small HTTP server on 127.0.0.1 that serves fixed responses.
//!
//! Tests never reach the internet, yet fetching, feeds and saving must be
//! tested over real sockets (redirects, compression, charsets, errors). This
//! server is plain `std::net` on its own thread, so it works the same from
//! synchronous tests and from any async runtime, and it is shared with the
//! app's integration tests through the `testing` feature.
//!
//! It speaks just enough HTTP/1.1: one request per connection
//! (`Connection: close`), `Content-Length` bodies, `HEAD`, and conditional GET
//! (a route with an `ETag` or `Last-Modified` header answers `304 Not
//! Modified` to a matching `If-None-Match` / `If-Modified-Since`), which is
//! what a feed reader's polling needs. Unknown paths get 404.

pub mod coldsweat;
pub mod fake_greader;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a connection may stay silent before the server gives up on it,
/// so that a client that never finishes cannot keep `stop` from returning.
const IO_TIMEOUT: Duration = Duration::from_secs(5);

/// The largest request head the server reads; fixtures send small requests.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// One canned response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub status: u16,
    /// Sent as given, in order. `Content-Length` and `Connection: close` are
    /// added unless a header of that name is already here (a test can send a
    /// lying `Content-Length` on purpose).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Route {
    /// `200 OK`, `text/html; charset=utf-8`.
    pub fn html(body: &str) -> Self {
        Route::bytes("text/html; charset=utf-8", body.as_bytes().to_vec())
    }

    /// `200 OK`, `text/plain; charset=utf-8`.
    pub fn text(body: &str) -> Self {
        Route::bytes("text/plain; charset=utf-8", body.as_bytes().to_vec())
    }

    /// `200 OK` with the given `Content-Type` and raw body bytes.
    pub fn bytes(content_type: &str, body: Vec<u8>) -> Self {
        Route {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    /// `200 OK` with no `Content-Type` at all, for sniffing tests.
    pub fn untyped(body: Vec<u8>) -> Self {
        Route {
            status: 200,
            headers: Vec::new(),
            body,
        }
    }

    /// `200 OK` whose body is already gzip-compressed: sent with
    /// `Content-Encoding: gzip` so that the client has to decompress it.
    pub fn gzipped(content_type: &str, compressed: Vec<u8>) -> Self {
        Route::bytes(content_type, compressed).with_header("Content-Encoding", "gzip")
    }

    /// `302 Found` to `location` (absolute or relative, sent as given).
    pub fn redirect(location: &str) -> Self {
        Route {
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }

    /// The given status with its reason phrase as a `text/plain` body.
    pub fn status(code: u16) -> Self {
        Route {
            status: code,
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            body: reason(code).as_bytes().to_vec(),
        }
    }

    /// The same response with another header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The same response with another status code.
    pub fn with_status(mut self, code: u16) -> Self {
        self.status = code;
        self
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A request the server received, for tests that check what a client sent
/// (User-Agent, conditional-GET headers, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path and query as sent, such as `/feed.xml?page=2`.
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    routes: Mutex<HashMap<String, Route>>,
    requests: Mutex<Vec<Request>>,
    stopping: AtomicBool,
    /// Per path: how long to wait before answering (a slow server).
    delays: Mutex<HashMap<String, Duration>>,
    /// Requests being answered now, and the most there ever were at once.
    active: AtomicUsize,
    peak: AtomicUsize,
}

/// A fixture HTTP server on `127.0.0.1` and a port picked by the system.
///
/// Stopping it (with [`FixtureServer::stop`] or by dropping it) closes the
/// listener and joins its threads, so the port refuses connections afterwards:
/// tests use that for "server is down" cases.
pub struct FixtureServer {
    addr: SocketAddr,
    state: Arc<State>,
    thread: Option<JoinHandle<()>>,
}

impl FixtureServer {
    /// Binds `127.0.0.1:0` and serves `routes`, keyed by path (`/a`) or by path
    /// and query (`/a?page=2`, matched before the bare path).
    ///
    /// Panics when no local port can be bound: it is test support, and a test
    /// cannot go on without its server.
    pub fn start(routes: Vec<(&str, Route)>) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .unwrap_or_else(|e| panic!("fixture server: cannot bind 127.0.0.1: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("fixture server: no local address: {e}"));
        let state = Arc::new(State::default());
        {
            let mut table = lock(&state.routes);
            for (path, route) in routes {
                table.insert(with_slash(path), route);
            }
        }
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name(format!("fixture-server-{}", addr.port()))
            .spawn(move || accept_loop(listener, thread_state))
            .unwrap_or_else(|e| panic!("fixture server: cannot start its thread: {e}"));
        FixtureServer {
            addr,
            state,
            thread: Some(thread),
        }
    }

    /// The absolute URL of `path` on this server: `http://127.0.0.1:PORT/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, with_slash(path))
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Adds or replaces a route while the server runs (a feed that gains an
    /// item between two refreshes).
    pub fn set_route(&self, path: &str, route: Route) {
        lock(&self.state.routes).insert(with_slash(path), route);
    }

    /// How many requests reached `path`. A path without a query counts
    /// requests with any query; a path with a query counts only that query.
    pub fn hits(&self, path: &str) -> usize {
        self.requests(path).len()
    }

    /// The requests that reached `path` (same matching as [`Self::hits`]), oldest first.
    pub fn requests(&self, path: &str) -> Vec<Request> {
        let path = with_slash(path);
        lock(&self.state.requests)
            .iter()
            .filter(|r| r.target == path || (!path.contains('?') && path_of(&r.target) == path))
            .cloned()
            .collect()
    }

    /// Makes the server wait `delay` before answering requests for `path`
    /// (a slow server; overlapping requests show how many a client sends at once).
    pub fn set_delay(&self, path: &str, delay: Duration) {
        lock(&self.state.delays).insert(with_slash(path), delay);
    }

    /// The most requests this server was answering at the same time.
    pub fn max_concurrent(&self) -> usize {
        self.state.peak.load(Ordering::SeqCst)
    }

    /// Stops the server: the listener is closed and the threads joined.
    pub fn stop(self) {
        drop(self);
    }

    fn shutdown(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        self.state.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so the loop sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        let _ = thread.join();
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    for stream in listener.incoming() {
        if state.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        workers.retain(|w| !w.is_finished());
        let state = Arc::clone(&state);
        if let Ok(worker) = std::thread::Builder::new()
            .name("fixture-server-conn".into())
            .spawn(move || serve(stream, &state))
        {
            workers.push(worker);
        }
    }
    drop(listener);
    for worker in workers {
        let _ = worker.join();
    }
}

/// Serves one request on one connection. I/O errors end the connection
/// quietly: a client that hangs up early (as the fetcher does on a body that
/// is too large) is an expected case, not a failure of the server.
fn serve(stream: TcpStream, state: &State) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let Some(request) = read_request(&mut reader) else {
        return;
    };
    lock(&state.requests).push(request.clone());
    let now_active = state.active.fetch_add(1, Ordering::SeqCst) + 1;
    state.peak.fetch_max(now_active, Ordering::SeqCst);
    let delay = lock(&state.delays).get(path_of(&request.target)).copied();
    if let Some(delay) = delay {
        std::thread::sleep(delay);
    }

    let route = {
        let routes = lock(&state.routes);
        routes
            .get(&request.target)
            .or_else(|| routes.get(path_of(&request.target)))
            .cloned()
    };
    let route = match route {
        Some(route) if is_not_modified(&route, &request) => Route {
            status: 304,
            headers: route
                .headers
                .iter()
                .filter(|(n, _)| {
                    n.eq_ignore_ascii_case("etag") || n.eq_ignore_ascii_case("last-modified")
                })
                .cloned()
                .collect(),
            body: Vec::new(),
        },
        Some(route) => route,
        None => Route::status(404),
    };
    // Counted out before answering: the client may send its next request as
    // soon as it has the answer, and must not be seen as overlapping itself.
    state.active.fetch_sub(1, Ordering::SeqCst);
    let _ = write_response(stream, &route, request.method == "HEAD");
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut head_len = 0;
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    head_len += line.len();
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).ok()?;
        head_len += n;
        if n == 0 || head_len > MAX_HEAD_BYTES {
            return None;
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let request = Request {
        method,
        target,
        headers,
    };
    // Drain a request body so the client sees a clean close.
    let body_len: u64 = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let _ = std::io::copy(&mut reader.take(body_len), &mut std::io::sink());
    Some(request)
}

fn is_not_modified(route: &Route, request: &Request) -> bool {
    if route.status != 200 {
        return false;
    }
    if let (Some(etag), Some(wanted)) = (route.header("etag"), request.header("if-none-match")) {
        return wanted
            .split(',')
            .any(|w| w.trim() == etag || w.trim() == "*");
    }
    matches!(
        (route.header("last-modified"), request.header("if-modified-since")),
        (Some(modified), Some(since)) if modified == since
    )
}

fn write_response(mut stream: TcpStream, route: &Route, head_only: bool) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", route.status, reason(route.status));
    for (name, value) in &route.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if route.header("content-length").is_none() {
        head.push_str(&format!("Content-Length: {}\r\n", route.body.len()));
    }
    if route.header("connection").is_none() {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&route.body)?;
    }
    stream.flush()?;
    stream.shutdown(std::net::Shutdown::Write)
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

fn with_slash(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

fn path_of(target: &str) -> &str {
    target.split('?').next().unwrap_or(target)
}

/// Locks a mutex even if a panicking test thread poisoned it: the data
/// (routes, a request log) stays valid.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bare HTTP/1.1 client, so these tests check the server and not reqwest.
    fn get(url_addr: SocketAddr, target: &str, extra: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(url_addr).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: x\r\n{extra}\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8(raw[..split].to_vec()).unwrap();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, head, raw[split + 4..].to_vec())
    }

    #[test]
    fn serves_routes_counts_hits_and_404s_the_rest() {
        let server = FixtureServer::start(vec![
            ("/a", Route::html("<p>a</p>")),
            ("b?page=2", Route::text("page two")),
            ("/b", Route::text("page one")),
        ]);
        assert!(server.url("a").starts_with("http://127.0.0.1:"));
        assert!(server.url("a").ends_with("/a"));

        let (status, head, body) = get(server.addr(), "/a", "User-Agent: t\r\n");
        assert_eq!(status, 200);
        assert!(head.contains("Content-Type: text/html; charset=utf-8"));
        assert!(head.contains("Content-Length: 8"));
        assert_eq!(body, b"<p>a</p>");
        assert_eq!(get(server.addr(), "/b?page=2", "").2, b"page two");
        assert_eq!(get(server.addr(), "/b?page=3", "").2, b"page one");
        let (status, _, body) = get(server.addr(), "/missing", "");
        assert_eq!((status, body.as_slice()), (404, &b"Not Found"[..]));

        assert_eq!(server.hits("/a"), 1);
        assert_eq!(server.hits("/b"), 2);
        assert_eq!(server.hits("/b?page=2"), 1);
        assert_eq!(server.hits("/missing"), 1);
        assert_eq!(server.hits("/never"), 0);
        assert_eq!(server.requests("/a")[0].header("user-agent"), Some("t"));
    }

    #[test]
    fn redirects_statuses_and_gzip_are_sent_as_given() {
        let server = FixtureServer::start(vec![
            ("/r", Route::redirect("/target")),
            ("/boom", Route::status(500)),
            ("/gz", Route::gzipped("text/html", vec![0x1f, 0x8b, 8, 0])),
        ]);
        let (status, head, _) = get(server.addr(), "/r", "");
        assert_eq!(status, 302);
        assert!(head.contains("Location: /target"));
        let (status, head, body) = get(server.addr(), "/boom", "");
        assert_eq!(status, 500);
        assert!(head.starts_with("HTTP/1.1 500 Internal Server Error"));
        assert_eq!(body, b"Internal Server Error");
        let (_, head, body) = get(server.addr(), "/gz", "");
        assert!(head.contains("Content-Encoding: gzip"));
        assert_eq!(body, vec![0x1f, 0x8b, 8, 0]);
    }

    #[test]
    fn conditional_get_and_route_changes() {
        let server = FixtureServer::start(vec![(
            "/feed",
            Route::bytes("application/rss+xml", b"<rss/>".to_vec()).with_header("ETag", "\"v1\""),
        )]);
        let (status, _, body) = get(server.addr(), "/feed", "If-None-Match: \"v1\"\r\n");
        assert_eq!((status, body.len()), (304, 0));
        assert_eq!(
            get(server.addr(), "/feed", "If-None-Match: \"v0\"\r\n").0,
            200
        );
        server.set_route("/feed", Route::status(410));
        assert_eq!(get(server.addr(), "/feed", "").0, 410);
        assert_eq!(server.hits("/feed"), 3);
    }

    #[test]
    fn stopped_server_refuses_connections() {
        let server = FixtureServer::start(vec![("/", Route::html("hi"))]);
        let addr = server.addr();
        assert_eq!(get(addr, "/", "").0, 200);
        server.stop();
        let err = TcpStream::connect(addr).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    }

    #[test]
    fn dropping_also_stops() {
        let addr = {
            let server = FixtureServer::start(Vec::new());
            server.addr()
        };
        assert!(TcpStream::connect(addr).is_err());
    }
}
