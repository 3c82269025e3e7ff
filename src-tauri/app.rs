//! The desktop window: plugins, the asset scheme, the window itself.
//!
//! Start-up does as little as it can: open the library (no scan, no
//! network) and create the window; the UI asks for the first page itself,
//! and the rest (handoff listener, health check, backups) waits until that
//! page is painted (`services::deferred`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use gloss_core::library::parse_asset_url;
use gloss_core::paths;
use tauri::http::{header, Response, StatusCode};
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use crate::launch::{bring_to_front, submit_arguments};
use crate::services::browser::{is_browser_link, open_external};
use crate::services::deferred::AfterFirstPaint;
use crate::services::launches::Launches;
use crate::services::recovery::{self, Recovery};
use crate::services::{saving, updates};
use crate::state::{AppState, Shared};

/// The URI scheme the reader loads stored images from.
pub const ASSET_SCHEME: &str = "gloss-asset";

/// Registers the state, the commands and the asset scheme on a builder: the
/// part of the app that `tests/` drive through `tauri::test`.
pub fn with_core<R: Runtime>(builder: tauri::Builder<R>, state: Shared) -> tauri::Builder<R> {
    let recovery = Recovery::opened(state.path());
    let relayed = state.clone();
    // A plugin's setup runs when the app is built (the builder's own runs
    // only with the event loop, which tests never start): the library's
    // changes reach the window from the first write.
    let relay = tauri::plugin::Builder::<R>::new("library-changes")
        .setup(move |app, _| {
            crate::events::relay_library_changes(app, &relayed);
            Ok(())
        })
        .build();
    with_core_unopened(builder.manage(state).plugin(relay), recovery)
}

/// The same without a library: it could not be opened, and the window
/// shows the recovery dialog (see `crate::services::recovery`) until one is.
pub fn with_core_unopened<R: Runtime>(
    builder: tauri::Builder<R>,
    recovery: Recovery,
) -> tauri::Builder<R> {
    with_commands(builder.manage(recovery))
}

/// The commands and the asset scheme, with neither library nor recovery
/// state: `run` opens the library in its setup, after a second launch has
/// been handed to the first one (and has exited) without opening any.
fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .manage(Launches::default())
        .invoke_handler(crate::all_commands!())
        .register_asynchronous_uri_scheme_protocol(ASSET_SCHEME, |ctx, request, responder| {
            let Some(state) = ctx
                .app_handle()
                .try_state::<Shared>()
                .map(|s| s.inner().clone())
            else {
                // No library open (the recovery dialog is up): nothing to serve.
                responder.respond(
                    Response::builder()
                        .status(StatusCode::NOT_FOUND)
                        .body(Vec::new())
                        .unwrap_or_else(|_| Response::new(Vec::new())),
                );
                return;
            };
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

/// Opens the window on the library and runs until it is closed. `open` are
/// the links and files the app was started with (`gloss-app FILE`).
pub fn run(library: Option<PathBuf>, open: Vec<String>) -> ExitCode {
    crate::webview::prepare_environment();
    let path = match paths::resolve_library_path(library) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("gloss: {e}");
            return ExitCode::FAILURE;
        }
    };
    let context = context();
    let mut builder = tauri::Builder::default()
        // First, so a second launch is handed to this one before anything
        // else starts. Its `gloss://` link goes to the deep-link plugin
        // (the single-instance `deep-link` feature); files come here.
        .plugin(tauri_plugin_single_instance::init(|app, argv, cwd| {
            bring_to_front(app);
            let open = argv.iter().skip(1).filter(|a| !a.starts_with('-'));
            let open: Vec<String> = match gloss_cli::Args::try_parse_from(&argv) {
                Ok(args) => args.open,
                Err(_) => open.cloned().collect(),
            };
            submit_arguments(app, &argv, &open, std::path::Path::new(&cwd));
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init());
    // No key, no updater: a build without one never asks about updates.
    if updates::updater_key_configured(context.config()) {
        builder = builder
            .plugin(tauri_plugin_updater::Builder::new().build())
            .manage(updates::UpdaterOn);
    }
    let result = with_commands(builder)
        .menu(crate::menu::build)
        .on_menu_event(|app, event| crate::menu::handle(app, event.id().as_ref()))
        .setup(move |app| {
            crate::startup_trace::mark("setup");
            // A library that cannot be opened still gets a window: it explains
            // what is wrong and offers the backups (services::recovery).
            match AppState::open(&path) {
                Ok(state) => {
                    // Checked only after an unclean exit, in the background.
                    let recovery = if state.check_due() {
                        Recovery::opened(state.path())
                    } else {
                        Recovery::opened_sound(state.path())
                    };
                    app.manage(recovery);
                    crate::events::relay_library_changes(app.handle(), &state);
                    app.manage(state);
                }
                Err(e) => {
                    eprintln!("gloss: {e}");
                    app.manage(Recovery::failed(path.clone(), &e));
                }
            }
            crate::startup_trace::mark("library-open");
            let window =
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
                            if let Err(e) = open_external(url.as_str()) {
                                eprintln!("gloss: {e}");
                            }
                        }
                        false
                    })
                    .build()?;
            crate::startup_trace::mark("window-built");
            crate::webview::tune(&window);
            crate::startup_trace::mark("window-created");
            let handle = app.handle().clone();
            crate::launch::take_links(&handle);
            crate::services::sync::start(&handle);
            let argv: Vec<String> = std::env::args().collect();
            let cwd = std::env::current_dir().unwrap_or_default();
            submit_arguments(&handle, &argv, &open, &cwd);
            // Once the first list is painted: `gloss save` from a shell
            // reaching the window, the health check and the daily backups.
            let later = handle.clone();
            app.manage(AfterFirstPaint::start(move || {
                // The library open now: Settings may have switched it.
                if let Some(state) = later.try_state::<Shared>() {
                    start_handoff(&later, &state.path());
                }
                recovery::start(&later);
            }));
            Ok(())
        })
        .build(context)
        .map(|app| {
            app.run(|app, event| {
                if let tauri::RunEvent::Exit = event {
                    // The process exits without dropping its state: close
                    // the library so this exit is not taken for a crash.
                    if let Some(state) = app.try_state::<Shared>() {
                        state.close();
                    }
                    if let Some(listener) = app.try_state::<crate::handoff::Listener>() {
                        listener.close();
                    }
                }
            })
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gloss: the window could not start: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Listens for `gloss save` from a shell while the window is open (see
/// `handoff.rs`). Without it, the command line saves by itself.
fn start_handoff(app: &AppHandle<tauri::Wry>, library: &std::path::Path) {
    let saver_app = app.clone();
    let save: crate::handoff::SaveFn = std::sync::Arc::new(move |job, options| {
        let app = saver_app.clone();
        Box::pin(async move {
            let state = app.state::<Shared>().inner().clone();
            match job {
                crate::handoff::Job::Source(source) => {
                    saving::save_source_with(app, state, source, options)
                        .await
                        .map(|(created, story)| gloss_core::save::SavedPage {
                            saved: gloss_core::save::Saved { created, story },
                            selection: None,
                        })
                }
                crate::handoff::Job::Page { page, selection } => {
                    saving::save_page_with(app, state, page, selection, options).await
                }
            }
        })
    });
    let done_app = app.clone();
    let done: crate::handoff::BatchDone = std::sync::Arc::new(move |replies, from_browser| {
        let saved = replies
            .iter()
            .filter(|r| matches!(r, gloss_cli::handoff::SaveReply::Saved { .. }))
            .count();
        let failed = replies.len() - saved;
        let from = if from_browser {
            "the browser"
        } else {
            "the command line"
        };
        let body = match (saved, failed) {
            (1, 0) => format!("Saved 1 story from {from}."),
            (n, 0) => format!("Saved {n} stories from {from}."),
            (0, 1) => format!("A story from {from} could not be saved."),
            (n, f) => format!("Saved {n} stories from {from}; {f} could not be saved."),
        };
        crate::notify::background_done(&done_app, "Gloss", &body);
    });
    match tauri::async_runtime::block_on(crate::handoff::listen(library, save, done)) {
        Ok(listener) => {
            app.manage(listener);
        }
        Err(e) => eprintln!("gloss: `gloss save` will write to the library itself: {e}"),
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
}
