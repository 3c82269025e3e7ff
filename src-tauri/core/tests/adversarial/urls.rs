//! URL tricks: other schemes, credentials, redirects out of the web, and
//! look-alike hosts. Gloss fetches http and https only, never stores a
//! password, and shows a host as what it really is.

use gloss_core::save::Source;
use gloss_core::testing::{FixtureServer, Route};
use gloss_core::urls::parse_web_url;
use gloss_core::{ErrorKind, Library};

use crate::oracle::assert_safe;
use crate::{assert_error, fetcher, page, save_html, save_routes, save_url};

#[test]
fn only_web_addresses_can_be_saved() {
    for input in [
        "file:///etc/passwd",
        "FILE:///C:/Windows/win.ini",
        "ftp://ftp.example.com/pub/x.html",
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "gopher://example.com/",
        "gloss://save?url=https://e.com",
        "chrome://settings",
        "view-source:https://example.com/",
    ] {
        let err = Source::parse(input).expect_err(input);
        assert_error(input, &err, ErrorKind::InvalidInput);
        let err = parse_web_url(input).expect_err(input);
        assert_error(input, &err, ErrorKind::InvalidInput);
    }
}

#[test]
fn addresses_with_credentials_are_refused_without_echoing_the_password() {
    for input in [
        "https://user:hunter2@example.com/page",
        "http://:hunter2@example.com/",
        "https://admin@example.com/",
    ] {
        let err = parse_web_url(input).expect_err(input);
        assert_error(input, &err, ErrorKind::InvalidInput);
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}

#[test]
fn a_redirect_to_a_local_file_is_refused_and_nothing_is_stored() {
    for target in [
        "file:///etc/passwd",
        "file:///C:/Windows/win.ini",
        "ftp://127.0.0.1/x",
        "javascript:alert(1)",
        "data:text/html,hi",
        "gloss://story/1",
    ] {
        let server = FixtureServer::start(vec![("/go", Route::redirect(target))]);
        let mut lib = Library::open_in_memory().unwrap();
        let err = save_url(&mut lib, &fetcher(), &server.url("/go")).expect_err(target);
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{target}: {err}");
        assert!(!err.to_string().contains('\n'), "{err}");
        assert_eq!(lib.info().unwrap().stories, 0, "{target}: nothing stored");
        server.stop();
    }
}

/// A redirect may not smuggle credentials into the address Gloss stores
/// and shows (the typed address is checked; the one it redirects to must be too).
#[test]
fn a_redirect_to_an_address_with_credentials_is_refused() {
    let server = FixtureServer::start(vec![]);
    let target = format!("http://user:hunter2@{}/story.html", server.addr());
    server.set_route("/go", Route::redirect(&target));
    server.set_route("/story.html", Route::html(&page("Harbour", "", "")));
    let mut lib = Library::open_in_memory().unwrap();
    let result = save_url(&mut lib, &fetcher(), &server.url("/go"));
    server.stop();
    let err = result.expect_err("a redirect to user:password@ is not followed");
    assert_error("credentials redirect", &err, ErrorKind::InvalidInput);
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert_eq!(lib.info().unwrap().stories, 0);
}

/// Look-alike (IDN homograph) hosts are stored and linked in their ASCII
/// form, so what the status bar and the story list show is the real host.
#[test]
fn look_alike_hosts_are_kept_in_their_real_ascii_form() {
    // Cyrillic "а" in "аpple".
    let url = parse_web_url("https://\u{430}pple.com/login").unwrap();
    assert_eq!(url.host_str(), Some("xn--pple-43d.com"));
    let story = save_html(&page(
        "Harbour",
        "",
        "<p><a href=\"https://\u{430}pple.com/login\">apple</a> <a href=\"https://paypa\u{2006}l.com/\">pay</a></p>",
    ));
    assert_safe("idn", &story.html);
    assert!(
        story.html.contains("https://xn--pple-43d.com/login"),
        "{}",
        story.html
    );
    assert!(!story.html.contains('\u{430}'), "{}", story.html);
}

/// Links of other schemes in a page (file, ftp, custom app schemes) are
/// not kept as links; their text is.
#[test]
fn links_to_local_files_and_app_schemes_become_text() {
    let story = save_html(&page(
        "Harbour",
        "",
        "<p><a href=\"file:///etc/passwd\">passwd</a> <a href=\"ftp://x.example/\">ftp</a> \
         <a href=\"gloss://save?url=x\">deep</a> <a href=\"smb://host/share\">share</a> \
         <a href=\"\\\\host\\share\">unc</a> <a href=\"tel:+1555\">phone</a></p>",
    ));
    assert_safe("schemes", &story.html);
    for gone in ["file:", "ftp:", "gloss:", "smb:", "tel:", "\\\\host"] {
        assert!(!story.html.contains(gone), "{gone}: {}", story.html);
    }
    for text in ["passwd", "ftp", "deep", "share", "unc", "phone"] {
        assert!(story.text.contains(text), "{text}: {}", story.text);
    }
}

/// A redirect chain that stays on the web ends where it ends; the story's
/// address is the final one, its links resolved against it.
#[test]
fn relative_links_resolve_against_the_final_address_after_redirects() {
    let routes = vec![
        ("/a", Route::redirect("/b/")),
        ("/b/", Route::redirect("/c/story.html")),
        (
            "/c/story.html",
            Route::html(&page(
                "Harbour",
                "",
                "<p><a href=\"next.html\">next</a></p>",
            )),
        ),
    ];
    let story = save_routes(routes, "/a").unwrap();
    assert!(
        story.summary.url.ends_with("/c/story.html"),
        "{}",
        story.summary.url
    );
    assert!(story.html.contains("/c/next.html\""), "{}", story.html);
}
