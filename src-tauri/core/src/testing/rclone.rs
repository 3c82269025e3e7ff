//! A real WebDAV server for tests: `rclone serve webdav` on 127.0.0.1, a port
//! the system picks, a folder the test owns, and basic auth. Started by
//! [`RcloneWebDav::start`], killed when dropped.
//!
//! rclone prints the address it listens on once it accepts connections, so
//! starting waits for that line (with a deadline) instead of sleeping.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long rclone may take to start on a loaded machine.
const START_DEADLINE: Duration = Duration::from_secs(60);

/// `rclone serve webdav` serving one folder.
pub struct RcloneWebDav {
    child: Child,
    url: String,
    pub user: String,
    pub password: String,
}

impl RcloneWebDav {
    /// Serves `folder` at `http://127.0.0.1:PORT/` with a user `gloss` and a
    /// fresh password. Panics (it is test support) when rclone is missing or
    /// does not start in time; `scripts/test` installs it.
    pub fn start(folder: &Path) -> RcloneWebDav {
        let password = format!("pw-{}", std::process::id());
        let user = "gloss".to_string();
        let mut child = Command::new("rclone")
            .args(["serve", "webdav"])
            .arg(folder)
            .args(["--addr", "127.0.0.1:0", "--user", &user, "--pass", &password])
            // No user config is read or written.
            .env("RCLONE_CONFIG", "/dev/null")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start rclone ({e}); install it (Debian package rclone, scripts/test does)")
            });
        let Some(stderr) = child.stderr.take() else {
            unreachable!("stderr is piped");
        };
        let (tx, rx) = mpsc::channel();
        // Reads rclone's log to its end, so that rclone never blocks on a
        // full pipe; the first address it announces is the server's.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("started on ") {
                    let url = line[at + "started on ".len()..]
                        .trim()
                        .trim_start_matches('[')
                        .trim_end_matches(']')
                        .to_string();
                    let _ = tx.send(url);
                }
            }
        });
        let url = match rx.recv_timeout(START_DEADLINE) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("rclone serve webdav did not start within {START_DEADLINE:?}");
            }
        };
        let url = if url.ends_with('/') {
            url
        } else {
            format!("{url}/")
        };
        RcloneWebDav {
            child,
            url,
            user,
            password,
        }
    }

    /// The server's root address, `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `host:port` of the server, for a proxy in front of it.
    pub fn addr(&self) -> std::net::SocketAddr {
        let host_port = self.url.trim_start_matches("http://").trim_end_matches('/');
        host_port
            .parse()
            .unwrap_or_else(|e| panic!("rclone announced {host_port:?}, not an address: {e}"))
    }
}

impl Drop for RcloneWebDav {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
