//! A **fake** Google Reader API server for tests (no real GReader server
//! installs from the package registries here): plain `std::net` on
//! 127.0.0.1, answering the calls Gloss makes with the shapes FreshRSS's and
//! Miniflux's documentation and tests show. It is not FreshRSS: it keeps
//! its feeds and items in memory and implements only what a client uses.
//!
//! - `POST /accounts/ClientLogin` (Email, Passwd) → `SID=…\nLSID=…\nAuth=…`;
//!   `GET /reader/api/0/token` → the `T` token writes need.
//! - `subscription/list`, `subscription/edit` (subscribe, unsubscribe,
//!   edit: title and labels), `tag/list`.
//! - `stream/contents/<stream>` (`n`, `c`, `ot`), newest first, with a
//!   `continuation`; `stream/items/ids` (`s`, `xt`, `n`, `c`), decimal ids;
//!   `stream/items/contents` (`i`); `edit-tag` (`i`…, `a`/`r`);
//!   `mark-all-as-read` (`s`, `ts`).
//!
//! Switches for the dialects and the bugs a client must survive: item ids
//! in the long (`tag:google.com,2005:reader/item/<16 hex>`) or the short
//! decimal form, and an `edit-tag` that refuses the other form (as BazQux
//! refuses bare hex); feed ids `feed/<url>` or `feed/<number>`; a
//! continuation that repeats for ever; a `T` token that expires once (401
//! on the next write); a server that is down (503 with `Retry-After`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{json, Value};

const PREFIX: &str = "/api/greader.php";
const LONG: &str = "tag:google.com,2005:reader/item/";

/// The dialect the fake speaks.
#[derive(Debug, Clone, Copy, Default)]
pub struct FakeGReaderOptions {
    /// Items ids in `stream/contents` in the long form (else short decimal).
    pub long_item_ids: bool,
    /// Feed ids `feed/<number>` (else `feed/<url>`).
    pub numeric_feed_ids: bool,
}

#[derive(Debug, Clone)]
struct Feed {
    id: String,
    title: String,
    url: String,
    labels: Vec<String>,
}

#[derive(Debug, Clone)]
struct Item {
    number: i64,
    feed: String,
    title: String,
    link: String,
    html: String,
    crawl_ms: i64,
    read: bool,
    starred: bool,
}

#[derive(Default)]
struct Data {
    options: FakeGReaderOptions,
    user: String,
    password: String,
    auth: String,
    token: String,
    token_serial: u32,
    feeds: Vec<Feed>,
    next_feed: u32,
    items: Vec<Item>,
    next_item: i64,
    repeat_continuation: bool,
    expire_token_once: bool,
    down: bool,
    /// (method, path) of every request.
    log: Vec<(String, String)>,
}

struct Shared {
    data: Mutex<Data>,
    stopping: AtomicBool,
}

fn lock(shared: &Shared) -> MutexGuard<'_, Data> {
    shared
        .data
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The fake server; stopped (its port closed, threads joined) on drop.
pub struct FakeGReader {
    addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl FakeGReader {
    /// Starts the fake on 127.0.0.1 and a free port, for one user.
    pub fn start(user: &str, password: &str, options: FakeGReaderOptions) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .unwrap_or_else(|e| panic!("fake GReader: cannot bind 127.0.0.1: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("fake GReader: no local address: {e}"));
        let data = Data {
            options,
            user: user.into(),
            password: password.into(),
            auth: format!("{user}/fake-auth-0123456789abcdef"),
            token: "fake-token-0".into(),
            next_item: 0x0005_e6f1_a2b3_0000,
            ..Data::default()
        };
        let shared = Arc::new(Shared {
            data: Mutex::new(data),
            stopping: AtomicBool::new(false),
        });
        let accept = Arc::clone(&shared);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if accept.stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    serve(stream, &accept);
                }
            }
        });
        FakeGReader {
            addr,
            shared,
            thread: Some(thread),
        }
    }

    /// The API's address, as a user would give it (FreshRSS's layout).
    pub fn url(&self) -> String {
        format!("http://{}{PREFIX}", self.addr)
    }

    /// Adds a feed (in the folder `label`); returns its id on the server.
    pub fn add_feed(&self, title: &str, url: &str, label: Option<&str>) -> String {
        let mut d = lock(&self.shared);
        d.next_feed += 1;
        let id = if d.options.numeric_feed_ids {
            format!("feed/{}", d.next_feed)
        } else {
            format!("feed/{url}")
        };
        d.feeds.push(Feed {
            id: id.clone(),
            title: title.into(),
            url: url.into(),
            labels: label.map(|l| vec![l.to_string()]).unwrap_or_default(),
        });
        id
    }

    /// Adds `count` unread items to `feed`, newer than every item before;
    /// returns their numbers.
    pub fn add_items(&self, feed: &str, count: usize) -> Vec<i64> {
        let mut d = lock(&self.shared);
        let mut numbers = Vec::with_capacity(count);
        for _ in 0..count {
            d.next_item += 1;
            let n = d.next_item;
            let crawl_ms = 1_700_000_000_000 + (n & 0xffff_ffff) * 1000;
            d.items.push(Item {
                number: n,
                feed: feed.into(),
                title: format!("Item {n}"),
                link: format!("http://127.0.0.1:9/items/{n}"),
                html: format!(
                    "<p>The story of item {n}, told in enough words to read as an article.</p>"
                ),
                crawl_ms,
                read: false,
                starred: false,
            });
            numbers.push(n);
        }
        numbers
    }

    /// The id of item `number` as this server writes it in `stream/contents`.
    pub fn item_id(&self, number: i64) -> String {
        let long = lock(&self.shared).options.long_item_ids;
        written(number, long)
    }

    pub fn set_read(&self, number: i64, read: bool) {
        let mut d = lock(&self.shared);
        if let Some(item) = d.items.iter_mut().find(|i| i.number == number) {
            item.read = read;
        }
    }

    pub fn set_starred(&self, number: i64, starred: bool) {
        let mut d = lock(&self.shared);
        if let Some(item) = d.items.iter_mut().find(|i| i.number == number) {
            item.starred = starred;
        }
    }

    pub fn is_read(&self, number: i64) -> bool {
        lock(&self.shared)
            .items
            .iter()
            .any(|i| i.number == number && i.read)
    }

    pub fn is_starred(&self, number: i64) -> bool {
        lock(&self.shared)
            .items
            .iter()
            .any(|i| i.number == number && i.starred)
    }

    /// Feeds as (id, title, labels).
    pub fn feeds(&self) -> Vec<(String, String, Vec<String>)> {
        lock(&self.shared)
            .feeds
            .iter()
            .map(|f| (f.id.clone(), f.title.clone(), f.labels.clone()))
            .collect()
    }

    /// Bug mode: every `stream/contents` page names the same continuation.
    pub fn repeat_continuation(&self, on: bool) {
        lock(&self.shared).repeat_continuation = on;
    }

    /// The `T` token expires now: the next write gets a 401 (once).
    pub fn expire_token(&self) {
        lock(&self.shared).expire_token_once = true;
    }

    /// Down: every request gets `503` with `Retry-After: 120`.
    pub fn set_down(&self, down: bool) {
        lock(&self.shared).down = down;
    }

    /// Requests whose path (after the API prefix) starts with `path`, by `method`.
    pub fn requests(&self, method: &str, path: &str) -> usize {
        lock(&self.shared)
            .log
            .iter()
            .filter(|(m, p)| m == method && p.starts_with(path))
            .count()
    }

    /// Every request so far.
    pub fn total_requests(&self) -> usize {
        lock(&self.shared).log.len()
    }
}

impl Drop for FakeGReader {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn written(number: i64, long: bool) -> String {
    if long {
        format!("{LONG}{:016x}", number as u64)
    } else {
        number.to_string()
    }
}

/// An id as a client sent it, if it is in the form this server writes.
fn parse_id(id: &str, long: bool) -> Option<i64> {
    match id.strip_prefix(LONG) {
        Some(hex) if long => u64::from_str_radix(hex, 16).ok().map(|n| n as i64),
        None if !long => id.parse().ok(),
        _ => None,
    }
}

struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
    auth: Option<String>,
}

impl Request {
    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .chain(&self.form)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .chain(&self.form)
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

fn pairs(text: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut length = 0usize;
    let mut auth = None;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().ok()?,
            "authorization" => auth = value.strip_prefix("GoogleLogin auth=").map(str::to_string),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let path = url::form_urlencoded::parse(format!("p={path}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    Some(Request {
        method,
        path: path.strip_prefix(PREFIX).unwrap_or(&path).to_string(),
        query: pairs(query),
        form: pairs(&String::from_utf8_lossy(&body)),
        auth,
    })
}

fn serve(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_request(&stream) else {
        return;
    };
    let (status, content_type, body, extra) = {
        let mut d = lock(shared);
        d.log.push((request.method.clone(), request.path.clone()));
        answer(&mut d, &request)
    };
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        _ => "Service Unavailable",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

type Answer = (u16, &'static str, String, String);

fn text(status: u16, body: &str) -> Answer {
    (
        status,
        "text/plain; charset=utf-8",
        body.to_string(),
        String::new(),
    )
}

fn json_answer(value: Value) -> Answer {
    (200, "application/json", value.to_string(), String::new())
}

fn answer(d: &mut Data, r: &Request) -> Answer {
    if d.down {
        return (
            503,
            "text/plain",
            "down".into(),
            "Retry-After: 120\r\n".into(),
        );
    }
    if r.path == "/accounts/ClientLogin" {
        return if r.param("Email") == Some(d.user.as_str())
            && r.param("Passwd") == Some(d.password.as_str())
        {
            text(200, &format!("SID={0}\nLSID=null\nAuth={0}\n", d.auth))
        } else {
            text(401, "Error=BadAuthentication\n")
        };
    }
    if r.auth.as_deref() != Some(d.auth.as_str()) {
        return text(401, "Unauthorized!");
    }
    let write = r.method == "POST" && r.path != "/reader/api/0/stream/items/contents";
    if write {
        if d.expire_token_once {
            d.expire_token_once = false;
            d.token_serial += 1;
            d.token = format!("fake-token-{}", d.token_serial);
        }
        if r.param("T") != Some(d.token.as_str()) {
            return (
                401,
                "text/plain",
                "Unauthorized!".into(),
                "X-Reader-Google-Bad-Token: true\r\n".into(),
            );
        }
    }
    let long = d.options.long_item_ids;
    match r.path.as_str() {
        "/reader/api/0/token" => text(200, &format!("{}\n", d.token)),
        "/reader/api/0/subscription/list" => json_answer(json!({
            "subscriptions": d.feeds.iter().map(|f| json!({
                "id": f.id,
                "title": f.title,
                "categories": f.labels.iter().map(|l| json!({
                    "id": format!("user/-/label/{l}"), "label": l
                })).collect::<Vec<_>>(),
                "url": f.url,
                "htmlUrl": f.url,
                "iconUrl": "",
            })).collect::<Vec<_>>()
        })),
        "/reader/api/0/tag/list" => {
            let mut labels: Vec<&String> = d.feeds.iter().flat_map(|f| &f.labels).collect();
            labels.sort();
            labels.dedup();
            let mut tags = vec![json!({"id": "user/-/state/com.google/starred"})];
            tags.extend(
                labels
                    .iter()
                    .map(|l| json!({"id": format!("user/-/label/{l}"), "type": "folder"})),
            );
            json_answer(json!({ "tags": tags }))
        }
        "/reader/api/0/subscription/edit" => subscription_edit(d, r),
        "/reader/api/0/edit-tag" => edit_tag(d, r, long),
        "/reader/api/0/mark-all-as-read" => {
            let stream = r.param("s").unwrap_or_default().to_string();
            let before = r
                .param("ts")
                .and_then(|t| t.parse::<i64>().ok())
                .unwrap_or(i64::MAX);
            for item in d.items.iter_mut() {
                if in_stream(item, &stream) && item.crawl_ms * 1000 <= before {
                    item.read = true;
                }
            }
            text(200, "OK")
        }
        "/reader/api/0/stream/items/ids" => item_ids(d, r),
        "/reader/api/0/stream/items/contents" => {
            let wanted: Vec<i64> = r
                .all("i")
                .iter()
                .filter_map(|i| parse_id(i, long).or_else(|| i.parse().ok()))
                .collect();
            let items: Vec<&Item> = d
                .items
                .iter()
                .filter(|i| wanted.contains(&i.number))
                .collect();
            json_answer(
                json!({ "items": items.iter().map(|i| item_json(i, long)).collect::<Vec<_>>() }),
            )
        }
        path if path.starts_with("/reader/api/0/stream/contents") => {
            let stream = path
                .strip_prefix("/reader/api/0/stream/contents/")
                .map(str::to_string)
                .or_else(|| r.param("s").map(str::to_string))
                .unwrap_or_else(|| "user/-/state/com.google/reading-list".into());
            contents(d, r, &stream, long)
        }
        _ => text(404, "Not found"),
    }
}

fn in_stream(item: &Item, stream: &str) -> bool {
    match stream {
        "user/-/state/com.google/reading-list" => true,
        "user/-/state/com.google/starred" => item.starred,
        "user/-/state/com.google/read" => item.read,
        other => item.feed == other,
    }
}

fn item_json(i: &Item, long: bool) -> Value {
    json!({
        "id": written(i.number, long),
        "crawlTimeMsec": i.crawl_ms.to_string(),
        "timestampUsec": (i.crawl_ms * 1000).to_string(),
        "published": i.crawl_ms / 1000,
        "title": i.title,
        "canonical": [{"href": i.link}],
        "alternate": [{"href": i.link, "type": "text/html"}],
        "categories": ["user/-/state/com.google/reading-list"],
        "origin": {"streamId": i.feed, "title": "", "htmlUrl": ""},
        "summary": {"content": i.html},
        "author": "Fake Author",
    })
}

fn contents(d: &Data, r: &Request, stream: &str, long: bool) -> Answer {
    let n: usize = r.param("n").and_then(|n| n.parse().ok()).unwrap_or(20);
    let start: usize = r.param("c").and_then(|c| c.parse().ok()).unwrap_or(0);
    let since: i64 = r.param("ot").and_then(|t| t.parse().ok()).unwrap_or(0);
    let mut items: Vec<&Item> = d
        .items
        .iter()
        .filter(|i| in_stream(i, stream) && i.crawl_ms / 1000 >= since)
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse(i.number));
    let page: Vec<Value> = items
        .iter()
        .skip(start)
        .take(n)
        .map(|i| item_json(i, long))
        .collect();
    let mut out = json!({
        "id": stream,
        "updated": 1_700_000_000,
        "items": page,
    });
    if d.repeat_continuation {
        out["continuation"] = json!("the-same-page");
    } else if start + n < items.len() {
        out["continuation"] = json!((start + n).to_string());
    }
    json_answer(out)
}

fn item_ids(d: &Data, r: &Request) -> Answer {
    let stream = r
        .param("s")
        .unwrap_or("user/-/state/com.google/reading-list");
    let exclude = r.param("xt");
    let n: usize = r.param("n").and_then(|n| n.parse().ok()).unwrap_or(20);
    let start: usize = r.param("c").and_then(|c| c.parse().ok()).unwrap_or(0);
    let ids: Vec<&Item> = d
        .items
        .iter()
        .filter(|i| in_stream(i, stream) && !exclude.is_some_and(|x| in_stream(i, x)))
        .collect();
    let page: Vec<Value> = ids
        .iter()
        .skip(start)
        .take(n)
        .map(|i| json!({"id": i.number.to_string(), "directStreamIds": [], "timestampUsec": (i.crawl_ms * 1000).to_string()}))
        .collect();
    let mut out = json!({ "itemRefs": page });
    if start + n < ids.len() {
        out["continuation"] = json!((start + n).to_string());
    }
    json_answer(out)
}

fn edit_tag(d: &mut Data, r: &Request, long: bool) -> Answer {
    let ids = r.all("i");
    let mut numbers = Vec::with_capacity(ids.len());
    for id in &ids {
        match parse_id(id, long) {
            Some(n) => numbers.push(n),
            // The other form: refused, as BazQux refuses bare hex.
            None => return text(400, &format!("Unknown item id {id}")),
        }
    }
    for (param, value) in [("a", true), ("r", false)] {
        for tag in r.all(param) {
            for item in d.items.iter_mut().filter(|i| numbers.contains(&i.number)) {
                match tag.as_str() {
                    "user/-/state/com.google/read" => item.read = value,
                    "user/-/state/com.google/starred" => item.starred = value,
                    _ => {}
                }
            }
        }
    }
    text(200, "OK")
}

fn subscription_edit(d: &mut Data, r: &Request) -> Answer {
    let Some(stream) = r.param("s").map(str::to_string) else {
        return text(400, "missing s");
    };
    let label = |v: String| v.strip_prefix("user/-/label/").map(str::to_string);
    let add: Vec<String> = r.all("a").into_iter().filter_map(label).collect();
    let remove: Vec<String> = r.all("r").into_iter().filter_map(label).collect();
    match r.param("ac") {
        Some("subscribe") => {
            let Some(url) = stream.strip_prefix("feed/") else {
                return text(400, "not a feed");
            };
            let url = url.to_string();
            d.next_feed += 1;
            let id = if d.options.numeric_feed_ids {
                format!("feed/{}", d.next_feed)
            } else {
                stream.clone()
            };
            d.feeds.push(Feed {
                id,
                title: r.param("t").unwrap_or(&url).to_string(),
                url,
                labels: add,
            });
        }
        Some("unsubscribe") => {
            d.feeds.retain(|f| f.id != stream);
            d.items.retain(|i| i.feed != stream);
        }
        Some("edit") => {
            let Some(feed) = d.feeds.iter_mut().find(|f| f.id == stream) else {
                return text(404, "no such feed");
            };
            if let Some(title) = r.param("t") {
                feed.title = title.to_string();
            }
            feed.labels.retain(|l| !remove.contains(l));
            for l in add {
                if !feed.labels.contains(&l) {
                    feed.labels.push(l);
                }
            }
        }
        _ => return text(400, "unknown ac"),
    }
    text(200, "OK")
}
