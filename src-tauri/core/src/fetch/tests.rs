//! Fetcher tests against the local fixture server (never the internet).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use encoding_rs::{SHIFT_JIS, WINDOWS_1251};
use flate2::write::GzEncoder;
use flate2::Compression;

use super::*;
use crate::testing::{FixtureServer, Route};
use crate::ErrorKind;

const RUSSIAN: &str =
    "Съешь же ещё этих мягких французских булок, да выпей чаю. Новости дня и погода.";
const JAPANESE: &str = "東京で新しい図書館が開館しました。多くの市民が訪れています。";

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn small_limits() -> FetchLimits {
    FetchLimits {
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        max_redirects: 10,
        max_page_bytes: 1000,
        max_image_bytes: 500,
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn encode(encoding: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    encoding.encode(text).0.into_owned()
}

/// Checks the kind and that the message is one line containing every `needle`.
fn assert_error(err: Error, kind: ErrorKind, needles: &[&str]) {
    let msg = err.to_string();
    assert_eq!(err.kind(), kind, "{msg}");
    assert!(!msg.contains('\n'), "message is not one line: {msg:?}");
    for needle in needles {
        assert!(msg.contains(needle), "{msg:?} does not contain {needle:?}");
    }
}

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.resize(200, 0);
    bytes
}

#[tokio::test]
async fn fetches_html_and_text_with_final_url_and_user_agent() {
    let server = FixtureServer::start(vec![
        ("/start", Route::redirect("/story")),
        (
            "/story",
            Route::html("<html><body><p>Hello</p></body></html>"),
        ),
        ("/notes.txt", Route::text("plain notes")),
        (
            "/xhtml",
            Route::bytes("Application/XHTML+XML", b"<html/>".to_vec()),
        ),
    ]);
    let fetcher = Fetcher::new().unwrap();

    let page = fetcher
        .fetch_page(&url(&server.url("/start")))
        .await
        .unwrap();
    assert_eq!(page.final_url.as_str(), server.url("/story"));
    assert_eq!(page.kind, PageKind::Html);
    assert_eq!(page.body, "<html><body><p>Hello</p></body></html>");

    let text = fetcher
        .fetch_page(&url(&server.url("/notes.txt")))
        .await
        .unwrap();
    assert_eq!(
        (text.kind, text.body.as_str()),
        (PageKind::Text, "plain notes")
    );
    let xhtml = fetcher
        .fetch_page(&url(&server.url("/xhtml")))
        .await
        .unwrap();
    assert_eq!(xhtml.kind, PageKind::Html);

    let request = &server.requests("/story")[0];
    assert_eq!(request.header("user-agent"), Some(USER_AGENT));
    assert!(USER_AGENT.starts_with("Gloss/") && USER_AGENT.ends_with(" (+desktop reader)"));
    assert!(request.header("accept").unwrap().starts_with("text/html"));
    // Compressed responses are asked for.
    let accepted = request.header("accept-encoding").unwrap();
    for coding in ["gzip", "br", "zstd", "deflate"] {
        assert!(accepted.contains(coding), "{accepted}");
    }
}

#[tokio::test]
async fn decodes_charsets_like_a_browser() {
    let russian_html = format!("<html><body><p>{RUSSIAN}</p></body></html>");
    let japanese_html = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"></head><body>{JAPANESE}</body></html>"
    );
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(format!("<p>{JAPANESE} {RUSSIAN}</p>").as_bytes());
    let server = FixtureServer::start(vec![
        (
            "/header-1251",
            Route::bytes(
                "text/html; charset=windows-1251",
                encode(WINDOWS_1251, &russian_html),
            ),
        ),
        (
            "/meta-sjis",
            Route::bytes("text/html", encode(SHIFT_JIS, &japanese_html)),
        ),
        // The BOM wins over a wrong header charset.
        ("/bom", Route::bytes("text/html; charset=iso-8859-1", bom)),
        (
            "/undeclared",
            Route::bytes("text/html", encode(WINDOWS_1251, &russian_html)),
        ),
        (
            "/text-1251",
            Route::bytes(
                "text/plain",
                encode(WINDOWS_1251, &format!("{RUSSIAN}\n{RUSSIAN}")),
            ),
        ),
    ]);
    let fetcher = Fetcher::new().unwrap();
    let body = |path: &'static str| {
        let fetcher = fetcher.clone();
        let target = url(&server.url(path));
        async move { fetcher.fetch_page(&target).await.unwrap().body }
    };
    assert_eq!(body("/header-1251").await, russian_html);
    assert_eq!(body("/meta-sjis").await, japanese_html);
    assert_eq!(body("/bom").await, format!("<p>{JAPANESE} {RUSSIAN}</p>"));
    assert_eq!(body("/undeclared").await, russian_html);
    assert_eq!(body("/text-1251").await, format!("{RUSSIAN}\n{RUSSIAN}"));
}

#[tokio::test]
async fn untyped_responses_are_sniffed() {
    let server = FixtureServer::start(vec![
        (
            "/html",
            Route::untyped(b"\n<!DOCTYPE html><title>x</title>".to_vec()),
        ),
        (
            "/text",
            Route::untyped("just words, ünïcode".as_bytes().to_vec()),
        ),
        (
            "/binary",
            Route::untyped(b"%PDF-1.7\n\0\0\x01binary".to_vec()),
        ),
        (
            "/empty-type",
            Route::untyped(b"<html>".to_vec()).with_header("Content-Type", ""),
        ),
    ]);
    let fetcher = Fetcher::new().unwrap();
    let page = fetcher
        .fetch_page(&url(&server.url("/html")))
        .await
        .unwrap();
    assert_eq!(page.kind, PageKind::Html);
    let page = fetcher
        .fetch_page(&url(&server.url("/text")))
        .await
        .unwrap();
    assert_eq!(
        (page.kind, page.body.as_str()),
        (PageKind::Text, "just words, ünïcode")
    );
    let err = fetcher
        .fetch_page(&url(&server.url("/binary")))
        .await
        .unwrap_err();
    assert_error(err, ErrorKind::Unsupported, &["no content type", "/binary"]);
    let page = fetcher
        .fetch_page(&url(&server.url("/empty-type")))
        .await
        .unwrap();
    assert_eq!(page.kind, PageKind::Html);
}

#[tokio::test]
async fn other_content_types_are_unsupported_and_named() {
    let server = FixtureServer::start(vec![
        (
            "/paper.pdf",
            Route::bytes("application/pdf", b"%PDF-1.7".to_vec()),
        ),
        (
            "/data",
            Route::bytes("application/json; charset=utf-8", b"{}".to_vec()),
        ),
        ("/pic", Route::bytes("image/png", png())),
        (
            "/feed",
            Route::bytes("application/rss+xml", b"<rss/>".to_vec()),
        ),
    ]);
    let fetcher = Fetcher::new().unwrap();
    let err = |path: &'static str| {
        let fetcher = fetcher.clone();
        let target = url(&server.url(path));
        async move { fetcher.fetch_page(&target).await.unwrap_err() }
    };
    assert_error(
        err("/paper.pdf").await,
        ErrorKind::Unsupported,
        &["/paper.pdf is a PDF (application/pdf); Gloss saves web pages and text"],
    );
    assert_error(
        err("/data").await,
        ErrorKind::Unsupported,
        &["JSON data (application/json)"],
    );
    assert_error(
        err("/pic").await,
        ErrorKind::Unsupported,
        &["an image (image/png)"],
    );
    assert_error(
        err("/feed").await,
        ErrorKind::Unsupported,
        &["is a feed", "Feeds"],
    );
}

#[tokio::test]
async fn http_error_statuses_are_network_errors_in_words() {
    let server = FixtureServer::start(vec![
        ("/boom", Route::status(500)),
        ("/moved", Route::redirect("/gone")),
        ("/private", Route::status(403)),
    ]);
    let fetcher = Fetcher::new().unwrap();
    let missing = server.url("/missing");
    let err = fetcher.fetch_page(&url(&missing)).await.unwrap_err();
    assert_error(
        err,
        ErrorKind::Network,
        &[&format!("the server answered 404 Not Found for {missing}")],
    );
    let err = fetcher
        .fetch_page(&url(&server.url("/boom")))
        .await
        .unwrap_err();
    assert_error(
        err,
        ErrorKind::Network,
        &["500 Internal Server Error", "try again later"],
    );
    // The status of the final hop is reported, with its address.
    let err = fetcher
        .fetch_page(&url(&server.url("/moved")))
        .await
        .unwrap_err();
    assert_error(err, ErrorKind::Network, &["404 Not Found", "/gone"]);
    let err = fetcher
        .fetch_image(&url(&server.url("/private")))
        .await
        .unwrap_err();
    assert_error(err, ErrorKind::Network, &["403 Forbidden"]);
}

#[tokio::test]
async fn redirect_limit_is_ten() {
    // /r0 -> /r1 -> ... -> /r11 (a page): 11 redirects from /r0, 10 from /r1.
    let mut routes: Vec<(String, Route)> = (0..11)
        .map(|i| (format!("/r{i}"), Route::redirect(&format!("/r{}", i + 1))))
        .collect();
    routes.push(("/r11".into(), Route::html("<p>end</p>")));
    let server = FixtureServer::start(
        routes
            .iter()
            .map(|(p, r)| (p.as_str(), r.clone()))
            .collect(),
    );
    let fetcher = Fetcher::new().unwrap();

    let page = fetcher.fetch_page(&url(&server.url("/r1"))).await.unwrap();
    assert_eq!(page.final_url.as_str(), server.url("/r11"));

    let err = fetcher
        .fetch_page(&url(&server.url("/r0")))
        .await
        .unwrap_err();
    assert_error(
        err,
        ErrorKind::TooLarge,
        &["redirected more than 10 times", "/r0"],
    );
    // It stopped at the limit rather than fetching the end of the chain again.
    assert_eq!(server.hits("/r11"), 1);

    let loop_server = FixtureServer::start(vec![("/loop", Route::redirect("/loop"))]);
    let err = fetcher
        .fetch_page(&url(&loop_server.url("/loop")))
        .await
        .unwrap_err();
    assert_error(err, ErrorKind::TooLarge, &["more than 10"]);
    assert_eq!(loop_server.hits("/loop"), 11);
}

#[tokio::test]
async fn redirects_only_to_web_addresses() {
    let server = FixtureServer::start(vec![
        ("/to-file", Route::redirect("file:///etc/passwd")),
        ("/to-ftp", Route::redirect("ftp://example.com/x")),
        (
            "/to-data",
            Route::redirect("data:text/html,<script>alert(1)</script>"),
        ),
    ]);
    let fetcher = Fetcher::new().unwrap();
    for (path, target) in [
        ("/to-file", "file:///etc/passwd"),
        ("/to-ftp", "ftp://example.com/x"),
        ("/to-data", "data:text/html"),
    ] {
        let err = fetcher
            .fetch_page(&url(&server.url(path)))
            .await
            .unwrap_err();
        assert_error(
            err,
            ErrorKind::InvalidInput,
            &[path, target, "only to http and https"],
        );
        let err = fetcher
            .fetch_image(&url(&server.url(path)))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    }
    // And a non-web address is refused before any request.
    let err = fetcher
        .fetch_page(&url("file:///etc/passwd"))
        .await
        .unwrap_err();
    assert_error(err, ErrorKind::InvalidInput, &["only http and https"]);
}

#[tokio::test]
async fn body_limit_counts_decoded_bytes() {
    let at_limit = vec![b'a'; 1000];
    let over_limit = vec![b'a'; 1001];
    let server = FixtureServer::start(vec![
        ("/exact", Route::bytes("text/plain", at_limit.clone())),
        ("/over", Route::bytes("text/plain", over_limit.clone())),
        ("/gz-exact", Route::gzipped("text/plain", gzip(&at_limit))),
        ("/gz-over", Route::gzipped("text/plain", gzip(&over_limit))),
    ]);
    let fetcher = Fetcher::with_limits(small_limits()).unwrap();
    assert_eq!(fetcher.limits().max_page_bytes, 1000);
    let get = |path: &'static str| {
        let fetcher = fetcher.clone();
        let target = url(&server.url(path));
        async move { fetcher.fetch_page(&target).await }
    };
    assert_eq!(get("/exact").await.unwrap().body.len(), 1000);
    assert_eq!(get("/gz-exact").await.unwrap().body.len(), 1000);
    assert!(
        gzip(&over_limit).len() < 100,
        "the compressed body is well under the limit"
    );
    for path in ["/over", "/gz-over"] {
        assert_error(
            get(path).await.unwrap_err(),
            ErrorKind::TooLarge,
            &[path, "1000 bytes"],
        );
    }
}

#[tokio::test]
async fn unsized_body_over_the_limit_is_cut_off() {
    // A raw server that streams an endless body with no Content-Length.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_write_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n");
        let chunk = [b'x'; 4096];
        let mut sent = 0usize;
        // Bounded: stops when the client hangs up, or after 64 MiB at most.
        while sent < 64 * 1024 * 1024 && stream.write_all(&chunk).is_ok() {
            sent += chunk.len();
        }
        sent
    });
    let fetcher = Fetcher::with_limits(small_limits()).unwrap();
    let err = fetcher
        .fetch_page(&url(&format!("http://{addr}/endless")))
        .await
        .unwrap_err();
    assert_error(err, ErrorKind::TooLarge, &["larger than 1000 bytes"]);
    let sent = tokio::task::spawn_blocking(move || server.join().unwrap())
        .await
        .unwrap();
    assert!(
        sent < 64 * 1024 * 1024,
        "the client kept reading: {sent} bytes"
    );
}

#[tokio::test]
async fn gzip_bomb_fails_with_too_large_at_default_limits() {
    let mut page = b"<html><body>".to_vec();
    page.resize(20 * 1024 * 1024, b' ');
    let bomb = gzip(&page);
    assert!(
        bomb.len() < 100 * 1024,
        "bomb is {} bytes compressed",
        bomb.len()
    );
    let server = FixtureServer::start(vec![
        ("/bomb", Route::gzipped("text/html", bomb)),
        (
            "/fine",
            Route::gzipped("text/html", gzip(&page[..14 * 1024 * 1024])),
        ),
    ]);
    let fetcher = Fetcher::new().unwrap();
    let err = fetcher
        .fetch_page(&url(&server.url("/bomb")))
        .await
        .unwrap_err();
    assert_error(err, ErrorKind::TooLarge, &["larger than 15 MiB", "/bomb"]);
    let page = fetcher
        .fetch_page(&url(&server.url("/fine")))
        .await
        .unwrap();
    assert_eq!(page.body.len(), 14 * 1024 * 1024);
}

#[tokio::test]
async fn unreachable_host_is_a_network_error() {
    // A port that was just free and is now closed: connecting is refused.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let fetcher = Fetcher::new().unwrap();
    let err = fetcher
        .fetch_page(&url(&format!("http://127.0.0.1:{port}/")))
        .await
        .unwrap_err();
    assert_error(
        err,
        ErrorKind::Network,
        &[&format!("could not connect to 127.0.0.1:{port}: connection refused; check the address or your connection")],
    );

    // The same through a stopped fixture server, for images.
    let server = FixtureServer::start(vec![("/a.png", Route::bytes("image/png", png()))]);
    let image_url = url(&server.url("/a.png"));
    assert!(fetcher.fetch_image(&image_url).await.is_ok());
    server.stop();
    let err = fetcher.fetch_image(&image_url).await.unwrap_err();
    assert_error(err, ErrorKind::Network, &["connection refused"]);
}

#[tokio::test]
async fn slow_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        // Answer the head, then stall the body past the client's total timeout.
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n<p>",
        );
        std::thread::sleep(Duration::from_millis(1500));
    });
    let limits = FetchLimits {
        total_timeout: Duration::from_millis(500),
        ..small_limits()
    };
    let fetcher = Fetcher::with_limits(limits).unwrap();
    let started = std::time::Instant::now();
    let err = fetcher
        .fetch_page(&url(&format!("http://{addr}/slow")))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1400),
        "{:?}",
        started.elapsed()
    );
    assert_error(
        err,
        ErrorKind::Network,
        &["did not finish loading", "try again later"],
    );
    tokio::task::spawn_blocking(move || server.join().unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn tls_failure_is_a_network_error() {
    // Something that is not a TLS server answers an https request.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    });
    let fetcher = Fetcher::new().unwrap();
    let err = fetcher
        .fetch_page(&url(&format!("https://{addr}/")))
        .await
        .unwrap_err();
    assert_error(
        err,
        ErrorKind::Network,
        &[&format!("could not make a secure connection to {addr}")],
    );
    tokio::task::spawn_blocking(move || server.join().unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn images_are_typed_by_their_bytes() {
    let gif = b"GIF89a\x01\0\x01\0\x80\0\0".to_vec(); // shorter than the sniff window
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"><rect/></svg>"
        .to_vec();
    let mut big = png();
    big.resize(501, 0);
    let server = FixtureServer::start(vec![
        ("/mislabelled", Route::bytes("image/jpeg", png())),
        ("/octet", Route::bytes("application/octet-stream", png())),
        ("/tiny.gif", Route::bytes("image/gif", gif.clone())),
        ("/gz.png", Route::gzipped("image/png", gzip(&png()))),
        ("/logo.svg", Route::bytes("image/svg+xml", svg)),
        (
            "/page",
            Route::html("<html><body>not an image, but long enough to be sniffed</body></html>"),
        ),
        ("/big.png", Route::bytes("image/png", big)),
    ]);
    let fetcher = Fetcher::with_limits(small_limits()).unwrap();
    let get = |path: &'static str| {
        let fetcher = fetcher.clone();
        let target = url(&server.url(path));
        async move { fetcher.fetch_image(&target).await }
    };
    let image = get("/mislabelled").await.unwrap();
    assert_eq!((image.mime, image.bytes.len()), ("image/png", 200));
    assert_eq!(get("/octet").await.unwrap().mime, "image/png");
    assert_eq!(
        get("/tiny.gif").await.unwrap(),
        FetchedImage {
            bytes: gif,
            mime: "image/gif"
        }
    );
    assert_eq!(get("/gz.png").await.unwrap().bytes, png());
    assert_error(
        get("/logo.svg").await.unwrap_err(),
        ErrorKind::Unsupported,
        &["is an SVG image"],
    );
    assert_error(
        get("/page").await.unwrap_err(),
        ErrorKind::Unsupported,
        &["is not an image Gloss can keep (text/html; charset=utf-8)"],
    );
    assert_error(
        get("/big.png").await.unwrap_err(),
        ErrorKind::TooLarge,
        &["image", "500 bytes"],
    );
}

#[test]
fn futures_are_send_and_fetcher_is_cheap_to_share() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
    assert_send_sync_clone::<Fetcher>();
    let fetcher = Fetcher::with_limits(small_limits()).unwrap();
    let target = url("http://127.0.0.1:9/");
    // Tauri commands and spawned tasks need Send futures.
    assert_send(&fetcher.fetch_page(&target));
    assert_send(&fetcher.fetch_image(&target));
    assert_eq!(FetchLimits::default().max_page_bytes, 15 * 1024 * 1024);
    assert_eq!(FetchLimits::default().max_image_bytes, 10 * 1024 * 1024);
    assert_eq!(FetchLimits::default().max_redirects, 10);
}

#[test]
fn small_helpers_format_for_people() {
    assert_eq!(size_in_words(15 * MIB), "15 MiB");
    assert_eq!(size_in_words(2048), "2 KiB");
    assert_eq!(size_in_words(1000), "1000 bytes");
    assert_eq!(seconds(Duration::from_secs(30)), "30 s");
    assert_eq!(seconds(Duration::from_millis(500)), "0.5 s");
    assert_eq!(essence(" Text/HTML ; charset=UTF-8"), "text/html");
    assert_eq!(one_line("a\n  b\r\nc"), "a b c");
    assert_eq!(place(&url("http://127.0.0.1:9/x")), "127.0.0.1:9");
    assert_eq!(place(&url("https://example.com/x")), "example.com");
}
