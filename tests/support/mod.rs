//! What the test files share: running the command line on one library,
//! calling a command the way the window does, and the app on the mock
//! runtime with a new library. Each file uses part of it.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use gloss_app::app::{context, with_core};
use gloss_app::state::{AppState, Shared};
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// Invokes `cmd` from `webview` as the UI does: `Ok(value)` or
/// `Err({kind, message})`.
pub fn invoke(
    webview: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The app origin on Linux and macOS; Windows serves http://tauri.localhost.
            url: "tauri://localhost".parse().expect("a valid URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("a JSON response"))
}

/// `gloss --library LIBRARY`, with nothing of the user's environment: no
/// `GLOSS_LIBRARY`, and no display, so a subcommand that opened a window
/// would fail instead.
pub fn gloss(library: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gloss"));
    command
        .arg("--library")
        .arg(library)
        .env_remove("GLOSS_LIBRARY")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    command
}

/// A new library in a temporary folder and the command line on it: what
/// the command-line suites drive. Suites add their own helpers in `impl
/// Gloss` blocks of their own.
pub struct Gloss {
    pub dir: tempfile::TempDir,
    pub library: PathBuf,
}

impl Gloss {
    /// The library is `library.gloss` in the folder.
    pub fn new() -> Self {
        Gloss::at("library.gloss")
    }

    /// The library is at `relative` in the folder (its own folders are
    /// made by the command).
    pub fn at(relative: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let library = dir.path().join(relative);
        Gloss { dir, library }
    }

    /// `name` in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `bytes` to `name` in the folder; its path, as an argument.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("a file in the temporary folder");
        p.to_string_lossy().into_owned()
    }

    /// Runs `gloss ARGS`, with `stdin` as its input (or none).
    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = gloss(&self.library)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gloss starts");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .expect("a pipe")
                .write_all(text.as_bytes())
                .expect("gloss reads its input");
        }
        drop(child.stdin.take());
        child.wait_with_output().expect("gloss ends")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    /// Runs and expects success; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "gloss {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let text = self.ok(args);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// Runs and expects the one-line error contract (exit code 1, one line
    /// on standard error starting with `gloss: `, no panic); returns the line.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "gloss {args:?} should fail with exit code 1"
        );
        let stderr = String::from_utf8(out.stderr).expect("UTF-8 errors");
        assert_eq!(
            stderr.lines().count(),
            1,
            "one line on stderr, got {stderr:?}"
        );
        assert!(stderr.starts_with("gloss: "), "{stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "{stderr}"
        );
        stderr.trim_end().to_string()
    }
}

/// The app as `app::run` builds it, on the mock runtime, with a new library
/// (`library.gloss`) in a temporary folder and its window. Suites add their
/// own helpers in `impl TestApp` blocks of their own.
pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub app: App<MockRuntime>,
    pub webview: WebviewWindow<MockRuntime>,
    pub state: Shared,
}

impl TestApp {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let state = AppState::open(&dir.path().join("library.gloss")).expect("a new library");
        let app = with_core(mock_builder(), state.clone())
            .build(context())
            .expect("the app");
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the window");
        TestApp {
            dir,
            app,
            webview,
            state,
        }
    }

    /// `name` in the library's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `text` to `name` in the library's folder; its path, as the UI sends one.
    pub fn file(&self, name: &str, text: &str) -> String {
        let p = self.path(name);
        std::fs::write(&p, text).expect("a file in the temporary folder");
        p.display().to_string()
    }

    /// Invokes a command as the UI does; `Ok(value)` or `Err({kind, message})`.
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.webview, cmd, args)
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    pub fn err(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).expect_err(cmd)
    }
}
