//! What the test files share: running the command line on one library, and
//! calling a command the way the window does. Each file uses part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

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
