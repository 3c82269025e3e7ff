//! TLS against real certificates: a test CA made here is the only root the
//! system verifier trusts (through `SSL_CERT_FILE`, which it reads like any
//! OpenSSL program), and a TLS server on 127.0.0.1 presents, in turn, a
//! certificate from that CA (the control: the page is saved), an expired
//! one, one for another name, and a self-signed one. Each bad one is a
//! network error that says the connection was not secure, and nothing is
//! stored.
//!
//! One test in its own binary: the variable is set before any thread of the
//! process can read the environment.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use gloss_core::fetch::{FetchLimits, Fetcher};
use gloss_core::save::{self, SaveOptions, Source};
use gloss_core::{ErrorKind, Library};
use rcgen::{date_time_ymd, BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use url::Url;

const PAGE: &str = "<!doctype html><html><head><title>Tide tables</title></head><body><article>\
    <h1>Tide tables</h1><p>The harbour master posts the tide tables every Monday morning, \
    and the fishing crews plan their week around the two low tides that matter most.</p>\
    <p>In winter the tables are printed on card so that they survive the wet pier.</p>\
    </article></body></html>";

/// A certificate and its key, ready for the server.
struct Leaf {
    chain: Vec<CertificateDer<'static>>,
    key: PrivatePkcs8KeyDer<'static>,
}

fn leaf(names: &[&str], issuer: Option<&CertifiedIssuer<'static, KeyPair>>, expired: bool) -> Leaf {
    let key = KeyPair::generate().expect("a key");
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .expect("certificate names");
    if expired {
        params.not_before = date_time_ymd(2020, 1, 1);
        params.not_after = date_time_ymd(2021, 1, 1);
    }
    let cert = match issuer {
        Some(ca) => params.signed_by(&key, ca).expect("a signed certificate"),
        None => params.self_signed(&key).expect("a self-signed certificate"),
    };
    Leaf {
        chain: vec![cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(key.serialize_der()),
    }
}

/// Serves `PAGE` over TLS with `leaf` to one connection on 127.0.0.1 (or
/// gives up after 10 s if none comes). Returns the address's port and the
/// thread, which ends after that connection.
fn serve_once(leaf: Leaf) -> (u16, JoinHandle<()>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(leaf.chain, PrivateKeyDer::Pkcs8(leaf.key))
        .expect("a server certificate");
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    listener.set_nonblocking(true).expect("non-blocking accept");
    let port = listener.local_addr().expect("an address").port();
    let thread = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(10);
        let tcp = loop {
            match listener.accept() {
                Ok((tcp, _)) => break tcp,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if Instant::now() > deadline {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => return,
            }
        };
        let _ = tcp.set_nonblocking(false);
        let _ = tcp.set_read_timeout(Some(Duration::from_secs(10)));
        let conn = rustls::ServerConnection::new(Arc::new(config)).expect("a TLS session");
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        // The handshake happens on the first read; a client that refuses
        // the certificate ends it here.
        let mut head = BufReader::new(&mut tls);
        let mut line = String::new();
        while head.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
            line.clear();
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{PAGE}",
            PAGE.len()
        );
        let _ = tls.write_all(response.as_bytes());
        tls.conn.send_close_notify();
        let _ = tls.flush();
    });
    (port, thread)
}

/// Saves `https://127.0.0.1:PORT/` into `lib` with a fetcher made now.
fn save(lib: &mut Library, port: u16) -> gloss_core::Result<i64> {
    let limits = FetchLimits {
        connect_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(10),
        ..FetchLimits::default()
    };
    let fetcher = Fetcher::with_limits(limits)?;
    let url = Url::parse(&format!("https://127.0.0.1:{port}/tides")).expect("a URL");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let story = runtime.block_on(save::prepare(
        &fetcher,
        &Source::Url(url),
        &SaveOptions::default(),
        &|_, _, _| {},
    ))?;
    Ok(lib.store_story(story)?.id)
}

#[test]
fn only_certificates_the_system_trusts_for_that_name_and_time_are_accepted() {
    let ca_key = KeyPair::generate().expect("a key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Gloss test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).expect("a CA");

    let dir = tempfile::tempdir().expect("a temporary folder");
    let roots = dir.path().join("roots.pem");
    std::fs::write(&roots, ca.pem()).expect("the roots file");
    // SAFETY (and the reason this test has a binary of its own): no other
    // thread exists yet to read the environment while it changes.
    std::env::set_var("SSL_CERT_FILE", &roots);
    std::env::remove_var("SSL_CERT_DIR");

    let mut lib = Library::open_in_memory().expect("a library");

    // The control: the CA's certificate for this address is accepted, so
    // the failures below are about the certificates and nothing else.
    let (port, server) = serve_once(leaf(&["127.0.0.1"], Some(&ca), false));
    let id = save(&mut lib, port).unwrap_or_else(|e| panic!("a trusted certificate: {e}"));
    server.join().expect("the server thread");
    assert_eq!(
        lib.story(id).expect("the story").summary.title,
        "Tide tables"
    );

    let cases: [(&str, Leaf, &str); 3] = [
        (
            "expired",
            leaf(&["127.0.0.1"], Some(&ca), true),
            "the site's certificate expired on 1 January 2021",
        ),
        (
            "for another name",
            leaf(&["harbour.example"], Some(&ca), false),
            "the site's certificate is for another name (harbour.example)",
        ),
        (
            "self-signed",
            leaf(&["127.0.0.1"], None, false),
            "not from an authority this computer trusts",
        ),
    ];
    for (what, certificate, reason) in cases {
        let (port, server) = serve_once(certificate);
        let err = save(&mut lib, port).expect_err(what);
        server.join().expect("the server thread");
        let msg = err.to_string();
        assert_eq!(err.kind(), ErrorKind::Network, "{what}: {msg}");
        assert!(
            msg.starts_with("could not make a secure connection to 127.0.0.1"),
            "{what}: {msg}"
        );
        assert!(
            msg.contains(reason),
            "{what}: the reason ({reason}) is in {msg:?}"
        );
        assert!(!msg.contains('\n'), "{what}: one line: {msg:?}");
    }
    assert_eq!(
        lib.info().expect("counts").stories,
        1,
        "only the control was stored"
    );
}
