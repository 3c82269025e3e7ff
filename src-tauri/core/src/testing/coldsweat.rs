//! Coldsweat 0.10.2, a real Fever API server, run for tests: installed by
//! `scripts/test` (`ensure_coldsweat` in scripts/lib.sh) into
//! `.tools/coldsweat` (or the virtual environment `GLOSS_COLDSWEAT` names),
//! started on 127.0.0.1 and a free port with its database in a temporary
//! folder (`FLASK_DATABASE_URL`), one user, and the feeds of an OPML list
//! fetched once (serve them, with an icon, from 127.0.0.1: Coldsweat
//! fetches the icon a feed names, else one from the internet). Stopped
//! (its process killed, its folder removed) on drop.
//!
//! `tests/support/coldsweat.sh` does the same from a shell (the window's
//! end-to-end tests and `bench/accounts.sh`).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Coldsweat may take to start answering.
const START_DEADLINE: Duration = Duration::from_secs(60);

/// A feed to subscribe the user to: (folder, title, address).
pub type OpmlFeed<'a> = (Option<&'a str>, &'a str, &'a str);

/// A running Coldsweat.
pub struct Coldsweat {
    venv: PathBuf,
    dir: PathBuf,
    port: u16,
    email: String,
    password: String,
    child: Option<Child>,
}

fn venv() -> PathBuf {
    match std::env::var_os("GLOSS_COLDSWEAT") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/coldsweat"),
    }
}

impl Coldsweat {
    /// Sets up a database with the user `email` (a password of at least 12
    /// characters), subscribes it to `feeds` and fetches them, then starts
    /// the server. Panics with what to do when Coldsweat is not installed.
    pub fn start(email: &str, password: &str, feeds: &[OpmlFeed<'_>]) -> Self {
        let venv = venv();
        assert!(
            venv.join("bin/flask").exists(),
            "Coldsweat is not installed in {}: run scripts/test, or \
             `bash -c 'source scripts/lib.sh && ensure_coldsweat'`",
            venv.display()
        );
        let dir = std::env::temp_dir().join(format!(
            "gloss-coldsweat-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("coldsweat: {e}"));
        let mut server = Coldsweat {
            venv,
            dir,
            port: 0,
            email: email.into(),
            password: password.into(),
            child: None,
        };
        server.flask(&["setup", email, "-p", password]);
        let opml = server.dir.join("feeds.opml");
        std::fs::write(&opml, opml_of(feeds)).unwrap_or_else(|e| panic!("coldsweat: {e}"));
        let opml = opml.display().to_string();
        server.flask(&["import", &opml, email, "--fetch"]);
        server.port = free_port();
        server.resume();
        server
    }

    /// The Fever endpoint, as a user gives it to Gloss.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/fever", self.port)
    }

    pub fn email(&self) -> &str {
        &self.email
    }

    /// Fetches every feed again (new items appear). Coldsweat skips a feed
    /// checked in the last few minutes, so its check times are cleared first.
    pub fn fetch(&self) {
        let db = self.dir.join("coldsweat.db");
        let out = Command::new(self.venv.join("bin/python"))
            .arg("-c")
            .arg(
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); \
                 c.execute(\"UPDATE feeds SET last_checked_on = NULL, last_updated_on = NULL, \
                 etag = ''\"); c.commit()",
            )
            .arg(&db)
            .output()
            .unwrap_or_else(|e| panic!("coldsweat: cannot run python: {e}"));
        assert!(
            out.status.success(),
            "coldsweat: clearing check times failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.flask(&["fetch"]);
    }

    /// Stops the server (the database stays): Gloss then finds it down.
    pub fn pause(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port and database, and waits
    /// until it answers.
    pub fn resume(&mut self) {
        if self.child.is_some() {
            return;
        }
        let log = std::fs::File::create(self.dir.join("server.log"))
            .unwrap_or_else(|e| panic!("coldsweat: {e}"));
        let port = self.port.to_string();
        let child = self
            .command(&["run", "--host", "127.0.0.1", "--port", &port])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("coldsweat: cannot start: {e}"));
        self.child = Some(child);
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let started = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("coldsweat stopped ({status}); see {}", self.dir.display());
                }
            }
            assert!(
                started.elapsed() < START_DEADLINE,
                "coldsweat did not answer on {addr} within {START_DEADLINE:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Calls the server's own Fever API (`?api&<query>`, `form` beside the
    /// API key) and returns its JSON: tests check what the server holds
    /// through it, not through Gloss.
    pub fn api(&self, query: &str, form: &[(&str, &str)]) -> serde_json::Value {
        let key = crate::accounts::fever::api_key(&self.email, &self.password);
        let mut body = url::form_urlencoded::Serializer::new(String::new());
        body.append_pair("api_key", &key);
        for (k, v) in form {
            body.append_pair(k, v);
        }
        let body = body.finish();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))
            .unwrap_or_else(|e| panic!("coldsweat: {e}"));
        let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
        write!(
            stream,
            "POST /fever?api&{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap_or_else(|e| panic!("coldsweat: {e}"));
        let mut answer = String::new();
        stream
            .read_to_string(&mut answer)
            .unwrap_or_else(|e| panic!("coldsweat: {e}"));
        let json = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        serde_json::from_str(json).unwrap_or_else(|e| panic!("coldsweat answered {answer:?}: {e}"))
    }

    /// The ids in one of the API's comma-separated id lists
    /// (`unread_item_ids`, `saved_item_ids`).
    pub fn ids(&self, list: &str) -> Vec<i64> {
        self.api(list, &[])[list]
            .as_str()
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(self.venv.join("bin/flask"));
        command
            .arg("--app")
            .arg("coldsweat")
            .args(args)
            .current_dir(&self.dir)
            .env(
                "FLASK_DATABASE_URL",
                format!("sqlite:///{}", self.dir.join("coldsweat.db").display()),
            )
            .env("FLASK_SECRET_KEY", "tests only")
            .stdin(Stdio::null());
        command
    }

    fn flask(&self, args: &[&str]) {
        let out = self
            .command(args)
            .output()
            .unwrap_or_else(|e| panic!("coldsweat: cannot run flask: {e}"));
        assert!(
            out.status.success(),
            "coldsweat {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Coldsweat {
    fn drop(&mut self) {
        self.pause();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("coldsweat: no free port: {e}"))
}

fn opml_of(feeds: &[OpmlFeed<'_>]) -> String {
    let esc = |s: &str| crate::markup::escape(s, crate::markup::Escaping::XML_ATTRIBUTE);
    let mut out = String::from(
        "<?xml version=\"1.0\"?>\n<opml version=\"1.0\"><head><title>tests</title></head><body>\n",
    );
    for (folder, title, url) in feeds {
        let line = format!(
            "<outline type=\"rss\" text=\"{0}\" title=\"{0}\" xmlUrl=\"{1}\"/>",
            esc(title),
            esc(url)
        );
        match folder {
            Some(f) => out.push_str(&format!(
                "<outline text=\"{0}\" title=\"{0}\">{line}</outline>\n",
                esc(f)
            )),
            None => out.push_str(&format!("{line}\n")),
        }
    }
    out.push_str("</body></opml>\n");
    out
}
