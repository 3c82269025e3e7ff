//! The desktop window: plugins, the asset scheme, the window itself.
//!
//! Start-up does as little as it can: open the library (no scan, no
//! network) and create the window; the UI asks for the first page itself.

use std::path::PathBuf;
use std::process::ExitCode;

use gloss_core::library::parse_asset_url;
use gloss_core::paths;
use tauri::http::{header, Response, StatusCode};
use tauri::{Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use crate::state::{AppState, Shared};

/// The URI scheme the reader loads stored images from.
pub const ASSET_SCHEME: &str = "gloss-asset";

/// Registers the state, the commands and the asset scheme on a builder: the
/// part of the app that `tests/` drive through `tauri::test`.
pub fn with_core<R: Runtime>(builder: tauri::Builder<R>, state: Shared) -> tauri::Builder<R> {
    builder
        .manage(state)
        .invoke_handler(crate::all_commands!())
        .register_asynchronous_uri_scheme_protocol(ASSET_SCHEME, |ctx, request, responder| {
            let state: Shared = ctx.app_handle().state::<Shared>().inner().clone();
            let path = request.uri().path().to_string();
            // Blob reads are quick but still SQLite: keep them off the webview's thread.
            tauri::async_runtime::spawn_blocking(move || {
                responder.respond(asset_response(&state, &path))
            });
        })
}

/// The response for `gloss-asset://localhost/<sha256>`: the stored bytes
/// with their sniffed type, or 404. Never anything outside the library.
pub fn asset_response(state: &AppState, path: &str) -> Response<Vec<u8>> {
    let found = parse_asset_url(path).and_then(|sha| state.reader().asset(sha).ok().flatten());
    let builder = Response::builder().header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    let response = match found {
        Some(asset) => builder
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, asset.mime)
            .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
            .header("X-Content-Type-Options", "nosniff")
            .body(asset.bytes),
        None => builder.status(StatusCode::NOT_FOUND).body(Vec::new()),
    };
    response.unwrap_or_else(|_| Response::new(Vec::new()))
}

/// Only the app's own pages may load in the window; everything else opens
/// in the browser through `open_external`, on a click.
fn is_app_url(url: &url::Url) -> bool {
    match url.scheme() {
        "tauri" => true,
        "about" => matches!(url.path(), "blank" | "srcdoc"),
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost")
                || (cfg!(debug_assertions)
                    && url.host_str() == Some("localhost")
                    && url.port() == Some(5173))
        }
        _ => false,
    }
}

/// The app's configuration, assets and capabilities, compiled in. Generic
/// over the runtime so `tests/` check commands against the real capabilities.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Links a story may open in the system browser.
pub fn is_browser_link(url: &url::Url) -> bool {
    matches!(url.scheme(), "http" | "https" | "mailto")
}

/// Opens the window on the library and runs until it is closed.
pub fn run(library: Option<PathBuf>) -> ExitCode {
    let path = match paths::resolve_library_path(library) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("gloss: {e}");
            return ExitCode::FAILURE;
        }
    };
    let state = match AppState::open(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gloss: {e}");
            return ExitCode::FAILURE;
        }
    };
    let builder = tauri::Builder::default()
        // First, so a second launch is handed to this one before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init());
    let result = with_core(builder, state)
        .setup(|app| {
            WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
                .title("Gloss")
                .inner_size(1200.0, 800.0)
                .min_inner_size(420.0, 360.0)
                .on_navigation(|url| {
                    if is_app_url(url) {
                        return true;
                    }
                    // WebKit runs no listener inside the script-less reader
                    // frame, so a link click there arrives as a navigation.
                    // Only a click can cause one (the sanitizer removes
                    // refresh tags and forms): open it in the browser, and
                    // keep the window where it is.
                    if is_browser_link(url) {
                        let _ = tauri_plugin_opener::open_url(url.as_str(), None::<&str>);
                    }
                    false
                })
                .build()?;
            Ok(())
        })
        .run(context());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gloss: the window could not start: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_pages_load_in_the_window() {
        let ok = |s: &str| is_app_url(&url::Url::parse(s).unwrap());
        assert!(ok("tauri://localhost/index.html"));
        assert!(ok("http://tauri.localhost/index.html"));
        assert!(ok("about:srcdoc"));
        assert!(!ok("https://example.com/"));
        assert!(!ok("file:///etc/passwd"));
        assert!(!ok("javascript:alert(1)"));
        assert!(!ok("about:config"));
    }

    #[test]
    fn only_web_and_mail_links_go_to_the_browser() {
        let link = |s: &str| is_browser_link(&url::Url::parse(s).unwrap());
        assert!(
            link("https://example.com/a") && link("http://example.com/") && link("mailto:a@b.c")
        );
        assert!(
            !link("file:///etc/passwd")
                && !link("javascript:alert(1)")
                && !link("gloss-asset://localhost/x")
        );
    }
}
