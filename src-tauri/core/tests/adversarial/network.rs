//! Hostile and broken servers: loops, stalls, compression bombs, huge and
//! lying bodies, wrong charsets, error statuses, other content types, TLS.
//! Each ends in a clear one-line error (or a correct page) within the
//! fetcher's limits, and a failed save stores nothing.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use gloss_core::testing::{FixtureServer, Route};
use gloss_core::{ErrorKind, Library};

use crate::{assert_error, fetcher, page, quick_limits, save_routes, save_url};

/// Saves `path` from `routes` and expects an error of `kind`, with nothing stored.
fn assert_refused(what: &str, routes: Vec<(&str, Route)>, path: &str, kind: ErrorKind) -> String {
    let server = FixtureServer::start(routes);
    let mut lib = Library::open_in_memory().unwrap();
    let result = save_url(&mut lib, &fetcher(), &server.url(path));
    server.stop();
    let err = result.expect_err(what);
    assert_error(what, &err, kind);
    assert_eq!(lib.info().unwrap().stories, 0, "{what}: nothing is stored");
    err.to_string()
}

fn compressed_zeros(encoding: &str, megabytes: usize) -> Vec<u8> {
    let zeros = vec![0u8; 1024 * 1024];
    match encoding {
        "gzip" => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            for _ in 0..megabytes {
                e.write_all(&zeros).unwrap();
            }
            e.finish().unwrap()
        }
        "deflate" => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            for _ in 0..megabytes {
                e.write_all(&zeros).unwrap();
            }
            e.finish().unwrap()
        }
        "br" => {
            let mut out = Vec::new();
            {
                let mut e = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
                for _ in 0..megabytes {
                    e.write_all(&zeros).unwrap();
                }
            }
            out
        }
        "zstd" => {
            let mut e = zstd::Encoder::new(Vec::new(), 19).unwrap();
            for _ in 0..megabytes {
                e.write_all(&zeros).unwrap();
            }
            e.finish().unwrap()
        }
        other => panic!("no encoder for {other}"),
    }
}

/// A compression bomb of every encoding the fetcher accepts: a small body
/// that unpacks to 32 MiB stops at the 15 MiB page limit.
#[test]
fn compression_bombs_stop_at_the_page_limit() {
    for encoding in ["gzip", "br", "zstd", "deflate"] {
        let bomb = compressed_zeros(encoding, 32);
        assert!(bomb.len() < 1024 * 1024, "{encoding}: {} bytes", bomb.len());
        let route = Route::bytes("text/html", bomb).with_header("Content-Encoding", encoding);
        let started = Instant::now();
        let msg = assert_refused(
            encoding,
            vec![("/bomb", route)],
            "/bomb",
            ErrorKind::TooLarge,
        );
        assert!(msg.contains("15 MiB"), "{encoding}: {msg}");
        assert!(started.elapsed() < Duration::from_secs(20), "{encoding}");
    }
}

#[test]
fn a_huge_plain_body_stops_at_the_page_limit() {
    let mut body = b"<html><body><p>".to_vec();
    body.resize(16 * 1024 * 1024, b'a');
    assert_refused(
        "16 MiB page",
        vec![("/big", Route::bytes("text/html", body))],
        "/big",
        ErrorKind::TooLarge,
    );
}

#[test]
fn a_redirect_loop_is_a_clear_error() {
    let msg = assert_refused(
        "loop",
        vec![("/a", Route::redirect("/b")), ("/b", Route::redirect("/a"))],
        "/a",
        ErrorKind::TooLarge,
    );
    assert!(msg.contains("loop"), "{msg}");
    let msg = assert_refused(
        "self loop",
        vec![("/self", Route::redirect("/self?again"))],
        "/self",
        ErrorKind::TooLarge,
    );
    assert!(msg.contains("redirected more than 10 times"), "{msg}");
}

#[test]
fn error_statuses_are_network_errors_naming_the_status() {
    for code in [401u16, 403, 404, 410, 429, 500, 502, 503] {
        let route = Route::html(&page("An error page with a body", "", "")).with_status(code);
        let msg = assert_refused(
            &code.to_string(),
            vec![("/p", route)],
            "/p",
            ErrorKind::Network,
        );
        assert!(msg.contains(&code.to_string()), "{code}: {msg}");
    }
}

#[test]
fn other_content_types_are_unsupported() {
    for (ty, body) in [
        ("application/pdf", b"%PDF-1.7\n".to_vec()),
        ("image/png", b"\x89PNG\r\n\x1a\n".to_vec()),
        ("image/svg+xml", b"<svg onload=alert(1)></svg>".to_vec()),
        ("application/octet-stream", vec![0u8, 1, 2, 3]),
        ("application/json", b"{\"a\":1}".to_vec()),
        ("text/javascript", b"alert(1)".to_vec()),
        ("application/x-msdownload", b"MZ\x90\x00".to_vec()),
    ] {
        let msg = assert_refused(
            ty,
            vec![("/x", Route::bytes(ty, body))],
            "/x",
            ErrorKind::Unsupported,
        );
        assert!(msg.contains(ty), "{ty}: {msg}");
    }
    // No type and binary bytes: not guessed into a page either.
    assert_refused(
        "untyped binary",
        vec![("/x", Route::untyped(vec![0u8, 159, 146, 150, 0, 1]))],
        "/x",
        ErrorKind::Unsupported,
    );
}

/// HTML served as plain text is text: its tags are shown, never parsed.
#[test]
fn markup_served_as_text_stays_text() {
    let body = "Notes on the harbour\n\n<script>alert(1)</script> <img src=x onerror=alert(2)>\n\
                The log was kept every evening by the harbour master.";
    let story = save_routes(vec![("/notes.txt", Route::text(body))], "/notes.txt").unwrap();
    crate::oracle::assert_safe("text", &story.html);
    assert!(
        story.text.contains("<script>alert(1)</script>"),
        "{}",
        story.text
    );
    assert!(story.html.contains("&lt;script&gt;"), "{}", story.html);
}

/// A server that answers one connection with `bytes` and then says nothing
/// more until the client hangs up (or 20 s pass, so the thread always ends).
fn stalling_server(bytes: Vec<u8>) -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    let thread = std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request);
        let _ = stream.write_all(&bytes);
        let _ = stream.flush();
        let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
        let mut sink = [0u8; 64];
        while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
    });
    (addr, thread)
}

/// A body that starts and then stalls, and one that promises more bytes
/// than it sends: both end at the total time-out with a network error.
#[test]
fn a_stalled_body_times_out() {
    for head in [
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html><body><p>the start",
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n<html><body><p>a\r\n",
    ] {
        let (addr, thread) = stalling_server(head.as_bytes().to_vec());
        let mut lib = Library::open_in_memory().unwrap();
        let started = Instant::now();
        let err = save_url(&mut lib, &fetcher(), &format!("http://{addr}/slow")).expect_err(head);
        let took = started.elapsed();
        assert_error("stall", &err, ErrorKind::Network);
        assert!(
            took >= quick_limits().total_timeout - Duration::from_millis(200)
                && took < quick_limits().total_timeout + Duration::from_secs(3),
            "ended after {took:?}: {err}"
        );
        assert_eq!(lib.info().unwrap().stories, 0);
        thread.join().unwrap();
    }
}

/// A `Content-Length` shorter than the body, and garbage instead of HTTP:
/// an error or the declared bytes, never a hang and never a crash.
#[test]
fn lying_lengths_and_garbage_responses_end_cleanly() {
    let route = Route::html(&page("Harbour", "", "")).with_header("Content-Length", "40");
    let server = FixtureServer::start(vec![("/short", route)]);
    let mut lib = Library::open_in_memory().unwrap();
    let started = Instant::now();
    match save_url(&mut lib, &fetcher(), &server.url("/short")) {
        Ok(story) => assert!(story.text.len() <= 40, "{}", story.text),
        Err(e) => assert_error("short length", &e, ErrorKind::Network),
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    server.stop();

    let (addr, thread) = stalling_server(b"SSH-2.0-OpenSSH_9.2\r\n\x00\x01\x02".to_vec());
    let err = save_url(&mut lib, &fetcher(), &format!("http://{addr}/")).expect_err("garbage");
    assert_error("garbage", &err, ErrorKind::Network);
    thread.join().unwrap();
}

/// TLS against a port that speaks plain HTTP, and a port nobody listens on.
#[test]
fn tls_and_connection_failures_are_network_errors() {
    let server = FixtureServer::start(vec![("/p", Route::html(&page("Harbour", "", "")))]);
    let https = server.url("/p").replacen("http://", "https://", 1);
    let mut lib = Library::open_in_memory().unwrap();
    let err = save_url(&mut lib, &fetcher(), &https).expect_err("TLS to plain HTTP");
    assert_error("tls", &err, ErrorKind::Network);
    let closed = server.url("/p");
    server.stop();
    let err = save_url(&mut lib, &fetcher(), &closed).expect_err("refused");
    assert_error("refused", &err, ErrorKind::Network);
    assert_eq!(lib.info().unwrap().stories, 0);
}

/// Charsets: a header that lies, a label that would blank the page, UTF-7
/// (which browsers once honoured, turning `+ADw-script+AD4-` into a tag),
/// and invalid UTF-8: the text is kept and no markup appears from decoding.
#[test]
fn wrong_and_hostile_charsets_keep_the_text_and_add_no_markup() {
    let body = page("Harbour", "", "<p>caf\u{e9} \u{2014} na\u{ef}ve</p>");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        // Declared UTF-8, sent windows-1252: the bad bytes become U+FFFD, the rest stays.
        (
            "text/html; charset=utf-8",
            encoding_rs::WINDOWS_1252.encode(&body).0.into_owned(),
            "Paragraph 6 about the harbour",
        ),
        // ISO-2022-KR maps to the "replacement" encoding, which decodes a
        // whole page to a single U+FFFD: the label is ignored instead.
        (
            "text/html; charset=iso-2022-kr",
            body.clone().into_bytes(),
            "caf\u{e9}",
        ),
        (
            "text/html; charset=utf-7",
            page(
                "Harbour",
                "",
                "<p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>",
            )
            .into_bytes(),
            "+ADw-script+AD4-",
        ),
        (
            "text/html; charset=no-such-charset",
            body.clone().into_bytes(),
            "caf\u{e9}",
        ),
        (
            "text/html",
            [
                b"<p>\xc3(\xa0\xa1\xf0\x28\x8c\x28 bad</p>".as_slice(),
                body.as_bytes(),
            ]
            .concat(),
            "caf\u{e9}",
        ),
    ];
    for (ty, bytes, kept) in cases {
        let story = save_routes(vec![("/p", Route::bytes(ty, bytes))], "/p")
            .unwrap_or_else(|e| panic!("{ty}: {e}"));
        crate::oracle::assert_safe(ty, &story.html);
        assert!(
            story.text.contains(kept),
            "{ty}: {kept:?} not in {}",
            story.text
        );
        assert!(story.text.contains("Paragraph 1 about the harbour"), "{ty}");
        assert!(!story.html.contains("<script"), "{ty}: {}", story.html);
    }
}
