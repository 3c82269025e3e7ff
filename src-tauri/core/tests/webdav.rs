//! The WebDAV transport against a real server: `rclone serve webdav` on
//! 127.0.0.1 (started per test, killed after), with the fault proxy in
//! front of it for the bad cases, a TLS server with a certificate nobody
//! trusts, and the encryption wrapper with the `age` tool reading what it
//! wrote. rclone and age come from `scripts/test`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use gloss_core::library::sha256_hex;
use gloss_core::sync::crypt::{self, Encrypted, KEY_FILE};
use gloss_core::sync::files;
use gloss_core::sync::remote::{Remote, RemoteError};
use gloss_core::sync::webdav::{WebDav, WebDavLimits};
use gloss_core::testing::fault_proxy::{Fault, FaultProxy};
use gloss_core::testing::noise::noise;
use gloss_core::testing::rclone::RcloneWebDav;

/// A server with a `Gloss` collection to sync into, and the folder behind it.
struct Server {
    folder: tempfile::TempDir,
    rclone: RcloneWebDav,
}

impl Server {
    fn start() -> Server {
        let folder = tempfile::tempdir().expect("a temp folder");
        std::fs::create_dir(folder.path().join("Gloss")).expect("the sync folder");
        let rclone = RcloneWebDav::start(folder.path());
        Server { folder, rclone }
    }

    /// The sync root on disk, to see what the server really holds.
    fn root(&self) -> PathBuf {
        self.folder.path().join("Gloss")
    }

    fn dav(&self) -> WebDav {
        self.dav_at(&format!("{}Gloss/", self.rclone.url()))
    }

    fn dav_at(&self, url: &str) -> WebDav {
        WebDav::with_limits(url, &self.rclone.user, &self.rclone.password, quick())
            .expect("a valid address")
    }
}

/// Short waits, so that "the server never answers" ends within seconds.
fn quick() -> WebDavLimits {
    WebDavLimits {
        connect_timeout: Duration::from_secs(5),
        idle_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(120),
        ..WebDavLimits::default()
    }
}

/// Bytes that differ per file and are not all alike (so a part of one is
/// never mistaken for another).
fn content(seed: usize, len: usize) -> Vec<u8> {
    noise(seed as u64, len)
}

/// Every file under `dir` on disk, relative, with its bytes.
fn files_on_disk(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("a readable folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("a readable file"));
            }
        }
    }
    out
}

#[test]
fn files_round_trip_in_nested_folders_made_on_demand() {
    let server = Server::start();
    let dav = server.dav();
    assert!(dav.list("").expect("the root lists").is_empty());
    assert!(dav
        .list("changes")
        .expect("a missing folder lists")
        .is_empty());

    // 600 files in 3 levels of folders that do not exist yet, and one of 5 MiB.
    let mut written = BTreeMap::new();
    for i in 0..600 {
        let path = match i % 3 {
            0 => format!("changes/dev-{i}.ops"),
            1 => format!("packs/{:02x}/{i:08x}.pack", i % 16),
            _ => format!("top-{i}.json"),
        };
        let bytes = content(i, 200 + i * 7);
        dav.write(&path, &bytes).expect("written");
        written.insert(path, bytes);
    }
    let big = content(99_999, 5 * 1024 * 1024);
    dav.write("snapshot/big.snap", &big)
        .expect("a large file written");
    written.insert("snapshot/big.snap".into(), big);

    // The server's folder holds exactly these files, whole, and no part.
    assert_eq!(files_on_disk(&server.root()), written);

    // Listings give each folder's files with their sizes and an ETag.
    let changes = dav.list("changes").expect("listed");
    assert_eq!(changes.len(), 200);
    for file in &changes {
        assert_eq!(file.size, written[&file.path].len() as u64, "{}", file.path);
        assert!(file.version.is_some(), "{} has no ETag", file.path);
    }
    let top = dav.list("").expect("listed");
    assert_eq!(top.len(), 200, "folders are left out of a listing");
    assert!(top.iter().all(|f| f.path.starts_with("top-")));
    let pack_total: usize = (0..16)
        .map(|b| dav.list(&format!("packs/{b:02x}")).expect("listed").len())
        .sum();
    assert_eq!(pack_total, 200);

    for (path, bytes) in &written {
        assert_eq!(
            dav.read(path).expect("read").as_ref(),
            Some(bytes),
            "{path}"
        );
    }
    assert_eq!(dav.read("changes/none.ops").expect("read"), None);
    assert_eq!(dav.read("nowhere/none.ops").expect("read"), None);

    // Deleting, twice (the second is not an error).
    for path in written.keys().filter(|p| p.starts_with("changes/")) {
        dav.delete(path).expect("deleted");
        dav.delete(path).expect("deleting again is fine");
    }
    assert!(dav.list("changes").expect("listed").is_empty());
    assert_eq!(files_on_disk(&server.root()).len(), 401);
}

/// What one read of a file being replaced came back as.
#[derive(Debug, Default)]
struct ReadsSeen {
    /// The old file or the new one, byte for byte.
    whole: usize,
    /// No file: servers do `MOVE` with `Overwrite: T` as a delete and a
    /// rename (rclone, Apache), and between the two there is none, which a
    /// sync takes as "not there yet".
    absent: usize,
    /// A body shorter than announced: `RemoteError::Interrupted`.
    cut: usize,
    /// As many bytes as one of the files but not its bytes: when the `MOVE`
    /// lands during a `GET`, `rclone serve webdav` (1.60) can announce one
    /// version's length and send the other's bytes (seen: the old file's
    /// length, the new file's first bytes). The seal every file carries
    /// refuses these.
    stitched: usize,
}

#[test]
fn a_file_replaced_while_it_is_read_is_never_taken_in_part() {
    const PATH: &str = "packs/replaced.pack";
    let server = Server::start();
    let dav = Arc::new(server.dav());
    // Sealed as every file on the storage is; a pack, for its size.
    let pack = |blob: Vec<u8>| files::encode_pack(&[(sha256_hex(&blob), blob)]).1;
    let old = pack(content(1, 3 * 1024 * 1024));
    let new = pack(content(2, 3 * 1024 * 1024 + 17));
    assert!(files::decode_pack(PATH, &old).is_ok() && files::decode_pack(PATH, &new).is_ok());
    dav.write(PATH, &old).expect("written");
    let version_before = dav.list("packs").expect("listed")[0].version.clone();

    // A reader reads the file over and over while it is replaced 20 times,
    // and on until it has read it whole once.
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (dav, done, old, new) = (
            Arc::clone(&dav),
            Arc::clone(&done),
            old.clone(),
            new.clone(),
        );
        std::thread::spawn(move || {
            let mut seen = ReadsSeen::default();
            while !done.load(Ordering::SeqCst) || seen.whole == 0 {
                match dav.read(PATH) {
                    Ok(Some(bytes)) if bytes == old || bytes == new => seen.whole += 1,
                    Ok(Some(bytes)) => {
                        assert!(
                            files::decode_pack(PATH, &bytes).is_err(),
                            "{} bytes that are neither file passed the seal",
                            bytes.len()
                        );
                        seen.stitched += 1;
                    }
                    Ok(None) => seen.absent += 1,
                    Err(RemoteError::Interrupted) => seen.cut += 1,
                    Err(e) => panic!("a read failed otherwise: {e}"),
                }
            }
            seen
        })
    };
    for round in 0..20 {
        let bytes = if round % 2 == 0 { &new } else { &old };
        dav.write(PATH, bytes).expect("replaced");
    }
    done.store(true, Ordering::SeqCst);
    let seen = reader.join().expect("the reader passed");
    println!("reads while replacing: {seen:?}");
    assert!(seen.whole > 0);

    assert_eq!(dav.read(PATH).expect("read"), Some(old.clone()));
    let listed = dav.list("packs").expect("listed");
    assert_eq!(listed.len(), 1, "no part is left beside it: {listed:?}");
    dav.write(PATH, &new).expect("replaced");
    assert_ne!(
        dav.list("packs").expect("listed")[0].version,
        version_before
    );
    assert_eq!(files_on_disk(&server.root()).len(), 1);
}

#[test]
fn a_missing_sync_folder_is_not_made_and_says_so() {
    let server = Server::start();
    let dav = server.dav_at(&format!("{}Nope/", server.rclone.url()));
    let e = dav.list("").expect_err("no folder");
    assert!(
        matches!(e, RemoteError::NotFound(ref at) if at.ends_with("/Nope/")),
        "{e:?}"
    );
    let e = dav.write("changes/a.ops", b"x").expect_err("no folder");
    assert!(matches!(e, RemoteError::NotFound(_)), "{e:?}");
    assert!(!server.folder.path().join("Nope").exists());
    assert!(e.to_string().contains("make the folder"), "{e}");
}

#[test]
fn a_wrong_password_is_unauthorized() {
    let server = Server::start();
    let dav = WebDav::with_limits(
        &format!("{}Gloss/", server.rclone.url()),
        &server.rclone.user,
        "not-the-password",
        quick(),
    )
    .expect("a valid address");
    assert_eq!(dav.list(""), Err(RemoteError::Unauthorized));
    assert_eq!(dav.write("a.json", b"x"), Err(RemoteError::Unauthorized));
    assert!(files_on_disk(&server.root()).is_empty());
    let message = dav.list("").expect_err("refused").to_string();
    assert!(!message.contains("not-the-password"), "{message}");
}

/// The proxy's case, the request it applies to, what `WebDav` must say.
struct Case {
    name: &'static str,
    method: &'static str,
    fault: Fault,
    expected: fn(&RemoteError) -> bool,
}

#[test]
fn every_server_failure_is_a_plain_error_and_nothing_is_written_in_part() {
    let server = Server::start();
    let proxy = FaultProxy::start(server.rclone.addr());
    let dav = WebDav::with_limits(
        &proxy.url("Gloss/"),
        &server.rclone.user,
        &server.rclone.password,
        quick(),
    )
    .expect("a valid address");
    let old = content(7, 256 * 1024);
    if let Err(e) = dav.write("packs/aa/one.pack", &old) {
        panic!("written through the proxy: {e:?} {:?}", proxy.requests());
    }
    let on_disk = files_on_disk(&server.root());

    let cases = [
        Case {
            name: "401 on listing",
            method: "PROPFIND",
            fault: Fault::Status(401),
            expected: |e| *e == RemoteError::Unauthorized,
        },
        Case {
            name: "403 on upload",
            method: "PUT",
            fault: Fault::Status(403),
            expected: |e| matches!(e, RemoteError::Forbidden(_)),
        },
        Case {
            name: "404 of the folder",
            method: "PROPFIND",
            fault: Fault::Status(404),
            expected: |e| matches!(e, RemoteError::NotFound(_)),
        },
        Case {
            name: "507 on upload",
            method: "PUT",
            fault: Fault::Status(507),
            expected: |e| *e == RemoteError::InsufficientStorage,
        },
        Case {
            name: "507 on rename",
            method: "MOVE",
            fault: Fault::Status(507),
            expected: |e| *e == RemoteError::InsufficientStorage,
        },
        Case {
            name: "500 on rename",
            method: "MOVE",
            fault: Fault::Status(500),
            expected: |e| *e == RemoteError::Server { status: 500 },
        },
        Case {
            name: "503 on read",
            method: "GET",
            fault: Fault::Status(503),
            expected: |e| *e == RemoteError::Server { status: 503 },
        },
        Case {
            name: "no answer to a read",
            method: "GET",
            fault: Fault::NeverAnswer,
            expected: |e| *e == RemoteError::Timeout,
        },
        Case {
            name: "no answer to an upload",
            method: "PUT",
            fault: Fault::NeverAnswer,
            expected: |e| *e == RemoteError::Timeout,
        },
        Case {
            name: "no answer to a rename",
            method: "MOVE",
            fault: Fault::NeverAnswer,
            expected: |e| *e == RemoteError::Timeout,
        },
        Case {
            name: "dropped mid-read",
            method: "GET",
            fault: Fault::DropMidBody,
            expected: |e| *e == RemoteError::Interrupted,
        },
        Case {
            name: "truncated read",
            method: "GET",
            fault: Fault::TruncateBody,
            expected: |e| *e == RemoteError::Interrupted,
        },
        Case {
            name: "dropped mid-listing",
            method: "PROPFIND",
            fault: Fault::DropMidBody,
            expected: |e| *e == RemoteError::Interrupted,
        },
        Case {
            name: "dropped mid-upload",
            method: "PUT",
            fault: Fault::DropMidUpload,
            expected: |e| *e == RemoteError::Interrupted,
        },
    ];
    for case in &cases {
        proxy.clear_faults();
        proxy.set_fault(Some(case.method), case.fault);
        let outcome = match case.method {
            "PROPFIND" => dav.list("").map(|_| ()),
            "GET" => dav.read("packs/aa/one.pack").map(|_| ()),
            _ => dav.write("packs/aa/one.pack", &content(8, 300 * 1024)),
        };
        let error = match outcome {
            Ok(()) => panic!("{}: succeeded", case.name),
            Err(e) => e,
        };
        assert!((case.expected)(&error), "{}: {error:?}", case.name);
        // Nothing changed on the server: the old file is whole, no part left.
        proxy.clear_faults();
        assert_eq!(files_on_disk(&server.root()), on_disk, "{}", case.name);
        assert_eq!(
            dav.read("packs/aa/one.pack").expect("read after"),
            Some(old.clone()),
            "{}",
            case.name
        );
    }

    // After the faults, everything works again through the same transport.
    proxy.reset_requests();
    dav.write("packs/aa/two.pack", b"after").expect("written");
    assert_eq!(dav.list("packs/aa").expect("listed").len(), 2);
    let methods: Vec<String> = proxy.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(
        methods,
        ["PUT", "MOVE", "PROPFIND"],
        "a write is two requests"
    );
}

#[test]
fn a_certificate_nobody_trusts_is_a_tls_error() {
    let key = rcgen::KeyPair::generate().expect("a key");
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .expect("names")
        .self_signed(&key)
        .expect("a self-signed certificate");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("a server certificate");
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("an address").port();
    // One connection: the handshake, which the client ends.
    std::thread::spawn(move || {
        if let Ok((tcp, _)) = listener.accept() {
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(10)));
            let conn = rustls::ServerConnection::new(Arc::new(config)).expect("a TLS session");
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            let mut line = String::new();
            let _ = BufReader::new(&mut tls).read_line(&mut line);
        }
    });
    let dav = WebDav::with_limits(&format!("https://localhost:{port}/dav/"), "u", "p", quick())
        .expect("a valid address");
    match dav.list("") {
        Err(RemoteError::Tls(why)) => assert!(why.contains("not from an authority"), "{why}"),
        other => panic!("expected a TLS error, got {other:?}"),
    }
}

#[test]
fn nothing_answering_is_a_network_error() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        listener.local_addr().expect("an address").port()
    };
    let dav = WebDav::with_limits(&format!("http://127.0.0.1:{port}/"), "u", "p", quick())
        .expect("a valid address");
    match dav.list("") {
        Err(RemoteError::Network(why)) => assert!(why.contains("refused"), "{why}"),
        other => panic!("expected a network error, got {other:?}"),
    }
}

const PASSPHRASE: &str = "tide tables every monday";

/// A low scrypt work factor for the key file: tests make many.
fn open_encrypted(dav: WebDav, passphrase: &str) -> Result<Encrypted<WebDav>, RemoteError> {
    Encrypted::open_with_work_factor(dav, passphrase, Some(12))
}

#[test]
fn encrypted_files_round_trip_and_the_host_sees_no_names_or_contents() {
    let server = Server::start();
    let remote = open_encrypted(server.dav(), PASSPHRASE).expect("a new encrypted folder");
    let mut written = BTreeMap::new();
    for i in 0..300 {
        let path = match i % 3 {
            0 => format!("changes/device-{i}.ops"),
            1 => format!("packs/{:02x}/{}.pack", i % 8, hex_name(i)),
            _ => format!("story-{i}.json"),
        };
        let mut bytes = format!("secret story text number {i} ").into_bytes();
        bytes.extend(content(i, i * 50));
        remote.write(&path, &bytes).expect("written");
        written.insert(path, bytes);
    }
    for (path, bytes) in &written {
        assert_eq!(
            remote.read(path).expect("read").as_ref(),
            Some(bytes),
            "{path}"
        );
    }
    assert_eq!(remote.list("changes").expect("listed").len(), 100);
    assert_eq!(
        remote.list("").expect("listed").len(),
        100,
        "the key file is not listed"
    );
    let packs: usize = (0..8)
        .map(|b| {
            remote
                .list(&format!("packs/{b:02x}"))
                .expect("listed")
                .len()
        })
        .sum();
    assert_eq!(packs, 100);

    // On the server: the key file and 300 files whose names and bytes hide
    // every name and word that went in.
    let stored = files_on_disk(&server.root());
    assert_eq!(stored.len(), 301);
    assert!(stored.contains_key(KEY_FILE));
    for (name, bytes) in &stored {
        for word in ["changes", "packs", "story", "device", "json", &hex_name(1)] {
            assert!(!name.contains(word), "{name} shows {word}");
        }
        assert!(!contains(bytes, b"secret story"), "{name} holds plain text");
        assert!(
            bytes.starts_with(b"age-encryption.org/v1\n"),
            "{name} is not an age file"
        );
    }

    // Opened again (another device): the same files.
    let again = open_encrypted(server.dav(), PASSPHRASE).expect("opened again");
    assert_eq!(
        again.list("changes").expect("listed"),
        remote.list("changes").expect("listed")
    );
    assert_eq!(
        again.read("story-2.json").expect("read").as_ref(),
        written.get("story-2.json")
    );
    assert!(crypt::is_encrypted(&server.dav()).expect("listed"));
}

fn hex_name(i: usize) -> String {
    format!("{:064x}", (i as u128) * 0x1234_5678_9abc)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_wrong_passphrase_reads_nothing() {
    let server = Server::start();
    let remote = open_encrypted(server.dav(), PASSPHRASE).expect("a new encrypted folder");
    remote
        .write("library.json", b"{\"id\":\"abc\"}")
        .expect("written");
    drop(remote);
    let e = open_encrypted(server.dav(), "tide tables every tuesday").expect_err("refused");
    assert_eq!(e, RemoteError::WrongPassphrase);
    assert!(e.to_string().contains("passphrase"), "{e}");
    // The folder is left as it was.
    assert_eq!(files_on_disk(&server.root()).len(), 2);
}

#[test]
fn an_unencrypted_folder_is_not_encrypted_behind_other_devices_backs() {
    let server = Server::start();
    server.dav().write("library.json", b"{}").expect("written");
    let e = open_encrypted(server.dav(), PASSPHRASE).expect_err("refused");
    assert!(
        matches!(e, RemoteError::Refused(ref why) if why.contains("unencrypted")),
        "{e:?}"
    );
    assert!(!crypt::is_encrypted(&server.dav()).expect("listed"));
    assert_eq!(files_on_disk(&server.root()).len(), 1);
}

#[test]
fn a_damaged_or_truncated_encrypted_file_is_an_error_never_bytes() {
    let server = Server::start();
    let remote = open_encrypted(server.dav(), PASSPHRASE).expect("a new encrypted folder");
    // Larger than age's 64 KiB chunk, so that a cut can fall on a chunk's end.
    let bytes = content(3, 200 * 1024);
    remote.write("packs/aa/p.pack", &bytes).expect("written");
    remote.write("packs/aa/q.pack", &bytes).expect("written");
    let stored = files_on_disk(&server.root());
    let (p_name, p_bytes) = stored
        .iter()
        .find(|(name, _)| name.as_str() != KEY_FILE)
        .map(|(n, b)| (n.clone(), b.clone()))
        .expect("a stored file");
    // Damage goes through the server (rclone keeps what it knows of files
    // for a while, so a file changed behind its back is not what it serves).
    let plain = server.dav();

    // Cut at the end of the second chunk (64 KiB + 16 bytes of tag each, after the header).
    let header = p_bytes.len() - (bytes.len() + 4 * 16);
    for cut in [
        p_bytes.len() - 1,
        header + 2 * (65536 + 16),
        header + 10,
        40,
    ] {
        plain.write(&p_name, &p_bytes[..cut]).expect("truncated");
        let damaged = ["packs/aa/p.pack", "packs/aa/q.pack"]
            .into_iter()
            .filter(|p| matches!(remote.read(p), Err(RemoteError::Damaged(_))))
            .count();
        assert_eq!(damaged, 1, "cut at {cut}");
    }
    let mut flipped = p_bytes.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 1;
    plain.write(&p_name, &flipped).expect("altered");
    let damaged = ["packs/aa/p.pack", "packs/aa/q.pack"]
        .into_iter()
        .filter(|p| matches!(remote.read(p), Err(RemoteError::Damaged(_))))
        .count();
    assert_eq!(damaged, 1, "one altered byte");
}

#[test]
fn the_age_tool_decrypts_what_gloss_wrote() {
    let server = Server::start();
    let remote = open_encrypted(server.dav(), PASSPHRASE).expect("a new encrypted folder");
    let story = b"<p>The harbour master posts the tide tables every Monday.</p>".to_vec();
    remote.write("bodies/story.html", &story).expect("written");
    let stored = files_on_disk(&server.root());
    let (name, _) = stored
        .iter()
        .find(|(name, _)| name.as_str() != KEY_FILE)
        .expect("a stored file");
    let work = tempfile::tempdir().expect("a temp folder");
    let key_txt = work.path().join("key.txt");
    let out = work.path().join("story.html");

    // 1. The key file, with the passphrase typed at a terminal (age reads
    //    passphrases only from one; `script` gives it a pseudo-terminal).
    let decrypt_key = format!(
        "age -d -o {} {}",
        key_txt.display(),
        server.root().join(KEY_FILE).display()
    );
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "printf '%s\\n' '{PASSPHRASE}' | script -qec '{decrypt_key}' /dev/null"
        ))
        .stdout(std::process::Stdio::null())
        .status()
        .expect("age runs (install the Debian package age; scripts/test does)");
    assert!(status.success(), "age -d of the key file: {status}");
    let key = std::fs::read_to_string(&key_txt).expect("the key");
    assert!(key.contains("AGE-SECRET-KEY-1"), "{key}");

    // 2. Any file, with that key.
    let output = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key_txt)
        .arg("-o")
        .arg(&out)
        .arg(server.root().join(name))
        .output()
        .expect("age runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(std::fs::read(&out).expect("decrypted"), story);
}
