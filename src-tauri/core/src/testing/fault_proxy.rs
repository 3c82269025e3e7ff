//! A fault-injecting HTTP proxy for the WebDAV transport's bad cases: it sits
//! on 127.0.0.1 in front of a real server (rclone) and, for the requests a
//! test picks by method, answers an error status, never answers, breaks the
//! connection in the middle of a body, or cuts an upload short. Requests it
//! lets through go to the server unchanged; every request is counted, so
//! tests and the bench can say how many requests a sync took.
//!
//! One request per connection: the proxy answers its client with
//! `Connection: close`. Upstream it does not ask for that: a Go server
//! (rclone) that is told to close does not read a body its handler ignored
//! (a `PROPFIND` of a missing folder, answered 404 at once), and closing a
//! socket with unread bytes sends a reset that can overtake the answer. So
//! the proxy reads the server's answer by its own framing (`Content-Length`,
//! chunks, or none) and hangs up itself.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// A backstop for a connection nobody ends (a silent proxy waits for the
/// client to give up, which tests make happen within seconds).
const IO_TIMEOUT: Duration = Duration::from_secs(120);

/// What the proxy does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Passes it to the server and the answer back.
    Pass,
    /// Answers this status itself, with an empty body; the server sees nothing.
    Status(u16),
    /// Reads the request and never answers (until the client hangs up).
    NeverAnswer,
    /// Passes it on, then sends the answer's head and half its body and
    /// resets the connection.
    DropMidBody,
    /// Passes it on, then sends the answer as `Transfer-Encoding: chunked`,
    /// half of its body, and closes the connection in good order without the
    /// last chunk (a body whose length was never announced, cut short).
    TruncateBody,
    /// Reads half of the request's body, then resets the connection; the
    /// server sees nothing.
    DropMidUpload,
}

/// A request that reached the proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxiedRequest {
    pub method: String,
    pub target: String,
}

#[derive(Default)]
struct State {
    /// Per method (upper case), or for all with `None`; the last match wins.
    faults: Mutex<Vec<(Option<String>, Fault)>>,
    requests: Mutex<Vec<ProxiedRequest>>,
    stopping: AtomicBool,
}

/// The proxy, listening on `127.0.0.1` and a port the system picks; stopped
/// when dropped.
pub struct FaultProxy {
    addr: SocketAddr,
    state: Arc<State>,
    thread: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// Proxies to the HTTP server at `upstream`, passing everything until told otherwise.
    pub fn start(upstream: SocketAddr) -> FaultProxy {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .unwrap_or_else(|e| panic!("fault proxy: cannot bind 127.0.0.1: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("fault proxy: no local address: {e}"));
        let state = Arc::new(State::default());
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name(format!("fault-proxy-{}", addr.port()))
            .spawn(move || accept_loop(listener, upstream, thread_state))
            .unwrap_or_else(|e| panic!("fault proxy: cannot start its thread: {e}"));
        FaultProxy {
            addr,
            state,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT/` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }

    /// From now on, requests with `method` (all requests with `None`) meet `fault`.
    pub fn set_fault(&self, method: Option<&str>, fault: Fault) {
        lock(&self.state.faults).push((method.map(str::to_ascii_uppercase), fault));
    }

    /// Back to passing everything.
    pub fn clear_faults(&self) {
        lock(&self.state.faults).clear();
    }

    /// The requests so far, oldest first.
    pub fn requests(&self) -> Vec<ProxiedRequest> {
        lock(&self.state.requests).clone()
    }

    /// Forgets the requests counted so far.
    pub fn reset_requests(&self) {
        lock(&self.state.requests).clear();
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        self.state.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking accept() so that the loop sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        let _ = thread.join();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn accept_loop(listener: TcpListener, upstream: SocketAddr, state: Arc<State>) {
    for stream in listener.incoming() {
        if state.stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let state = Arc::clone(&state);
        // Connections end on their own (the client or the server hangs up);
        // a silent one waits for its client, so they are not joined.
        let _ = std::thread::Builder::new()
            .name("fault-proxy-conn".into())
            .spawn(move || {
                let _ = serve(stream, upstream, &state);
            });
    }
}

/// A request as read: its head's lines and its body.
struct Incoming {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn serve(client: TcpStream, upstream: SocketAddr, state: &State) -> std::io::Result<()> {
    client.set_read_timeout(Some(IO_TIMEOUT))?;
    client.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut reader = BufReader::new(client.try_clone()?);
    let Some(mut request) = read_head(&mut reader)? else {
        return Ok(());
    };
    lock(&state.requests).push(ProxiedRequest {
        method: request.method.clone(),
        target: request.target.clone(),
    });
    let method = &request.method;
    let fault = lock(&state.faults)
        .iter()
        .rev()
        .find(|(m, _)| m.as_deref().is_none_or(|m| m == method.as_str()))
        .map_or(Fault::Pass, |(_, f)| *f);
    let length = request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut client = client;
    if fault == Fault::DropMidUpload {
        let mut half = vec![0; length / 2];
        reader.read_exact(&mut half)?;
        return reset(&client);
    }
    request.body = vec![0; length];
    reader.read_exact(&mut request.body)?;
    match fault {
        Fault::Status(code) => {
            write!(
                client,
                "HTTP/1.1 {code} Injected\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )?;
            client.flush()
        }
        Fault::NeverAnswer => {
            // Wait for the client to give up: a read that ends when it does.
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest);
            Ok(())
        }
        Fault::Pass | Fault::DropMidBody | Fault::TruncateBody | Fault::DropMidUpload => {
            let answer = forward(&request, upstream)?;
            let head = close_connection(&answer.head);
            let body = answer.body.as_slice();
            match fault {
                Fault::DropMidBody => {
                    client.write_all(&head)?;
                    client.write_all(b"\r\n\r\n")?;
                    client.write_all(&body[..body.len() / 2])?;
                    client.flush()?;
                    reset(&client)
                }
                Fault::TruncateBody => {
                    let head = chunked(&head);
                    client.write_all(&head)?;
                    client.write_all(b"\r\n\r\n")?;
                    let half = &body[..body.len() / 2];
                    write!(client, "{:x}\r\n", half.len())?;
                    client.write_all(half)?;
                    client.write_all(b"\r\n")?;
                    client.flush()?;
                    client.shutdown(Shutdown::Both)
                }
                _ => {
                    client.write_all(&head)?;
                    client.write_all(b"\r\n\r\n")?;
                    client.write_all(body)?;
                    client.flush()
                }
            }
        }
    }
}

/// A server's answer: its head (status line and headers, without the blank
/// line) and its whole body, de-chunked.
struct Answer {
    head: Vec<u8>,
    body: Vec<u8>,
}

/// Sends `request` to the server on a fresh connection and reads its whole
/// answer, by the answer's framing (see the module's notes for why the
/// connection is not closed by the server).
fn forward(request: &Incoming, upstream: SocketAddr) -> std::io::Result<Answer> {
    let mut server = TcpStream::connect(upstream)?;
    server.set_read_timeout(Some(IO_TIMEOUT))?;
    let mut head = format!("{} {} HTTP/1.1\r\n", request.method, request.target);
    for (name, value) in &request.headers {
        if !name.eq_ignore_ascii_case("connection") && !name.eq_ignore_ascii_case("keep-alive") {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    server.write_all(head.as_bytes())?;
    server.write_all(&request.body)?;
    server.flush()?;
    let mut reader = BufReader::new(server);
    let mut lines = read_head_lines(&mut reader)?
        .ok_or_else(|| broken("the server hung up inside the answer's head"))?;
    let status: u16 = lines
        .first()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| broken("the server's answer has no status"))?;
    let header = |name: &str| {
        lines.iter().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    let body = if request.method == "HEAD" || status == 204 || status == 304 {
        Vec::new()
    } else if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        lines.retain(|l| !l.to_ascii_lowercase().starts_with("transfer-encoding:"));
        let body = read_chunks(&mut reader)?;
        lines.push(format!("Content-Length: {}", body.len()));
        body
    } else if let Some(length) = header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| broken("the server's Content-Length is not a number"))?;
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        body
    } else {
        let mut body = Vec::new();
        reader.read_to_end(&mut body)?;
        body
    };
    Ok(Answer {
        head: lines.join("\r\n").into_bytes(),
        body,
    })
}

/// A chunked body's data, up to and including its last (empty) chunk and
/// any trailers.
fn read_chunks(reader: &mut BufReader<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size)?;
        let size = size.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| broken("the server sent a chunk without a size"))?;
        if size == 0 {
            // Trailers, if any, end at a blank line.
            loop {
                let mut trailer = String::new();
                if reader.read_line(&mut trailer)? == 0 || trailer.trim_end().is_empty() {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut end = [0; 2];
        reader.read_exact(&mut end)?;
    }
}

fn broken(why: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string())
}

/// The answer's head with `Connection: close` in place of any `Connection` header.
fn close_connection(head: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(head);
    let mut out: Vec<&str> = text
        .split("\r\n")
        .filter(|line| {
            !line.to_ascii_lowercase().starts_with("connection:")
                && !line.to_ascii_lowercase().starts_with("keep-alive:")
        })
        .collect();
    out.push("Connection: close");
    out.join("\r\n").into_bytes()
}

/// The head with `Transfer-Encoding: chunked` in place of `Content-Length`.
fn chunked(head: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(head);
    let mut out: Vec<&str> = text
        .split("\r\n")
        .filter(|line| {
            let line = line.to_ascii_lowercase();
            !line.starts_with("content-length:") && !line.starts_with("transfer-encoding:")
        })
        .collect();
    out.push("Transfer-Encoding: chunked");
    out.join("\r\n").into_bytes()
}

/// Reads a request line and headers; `None` when the client sent nothing.
fn read_head(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<Incoming>> {
    let Some(lines) = read_head_lines(reader)? else {
        return Ok(None);
    };
    let mut parts = lines[0].split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let headers = lines[1..]
        .iter()
        .filter_map(|header| header.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    Ok(Some(Incoming {
        method,
        target,
        headers,
        body: Vec::new(),
    }))
}

/// The lines of a request's or an answer's head (its first line, then its
/// headers), without line ends or the blank line; `None` when the
/// connection ends before the blank line.
fn read_head_lines(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<Vec<String>>> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() && !lines.is_empty() {
            return Ok(Some(lines));
        }
        lines.push(line.to_string());
    }
}

/// Ends the connection with a reset (no orderly close), as a crashed server
/// or a broken network does.
fn reset(stream: &TcpStream) -> std::io::Result<()> {
    // A zero linger makes the close send RST.
    let _ = socket2::SockRef::from(stream).set_linger(Some(Duration::ZERO));
    stream.shutdown(Shutdown::Both)
}
