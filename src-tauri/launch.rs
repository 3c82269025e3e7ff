//! How other programs reach the running app: a `gloss://` link from the
//! browser (through the deep-link plugin), the files and links on the
//! command line that started Gloss, and those of a second launch handed to
//! this one. Each becomes a request for `crate::services::launches`, which
//! carries it out once the front end listens.

use std::path::Path;

use gloss_cli::links::{self, OpenRequest};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::services::launches::Launches;

/// Shows the window in front (a second launch, a link from the browser).
pub fn bring_to_front<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Takes links from the browser, while running (macOS, or a second launch
/// on Linux and Windows) and the one that started the app.
pub fn take_links<R: Runtime>(app: &AppHandle<R>) {
    let links = app.clone();
    app.deep_link().on_open_url(move |event| {
        bring_to_front(&links);
        for url in event.urls() {
            let request = links::parse_link(url.as_str()).map(OpenRequest::SaveUrl);
            links.state::<Launches>().submit(&links, request);
        }
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        for url in urls {
            let request = links::parse_link(url.as_str()).map(OpenRequest::SaveUrl);
            app.state::<Launches>().submit(app, request);
        }
    }
}

/// True when the deep-link plugin takes this command line itself: one
/// argument, a link of our scheme (what a browser passes).
fn deep_link_plugin_takes(argv: &[String]) -> bool {
    argv.len() == 2 && url::Url::parse(&argv[1]).is_ok_and(|u| u.scheme() == links::LINK_SCHEME)
}

/// Hands the links and files of a command line to the app, except a lone
/// link, which the deep-link plugin delivers.
pub fn submit_arguments<R: Runtime>(
    app: &AppHandle<R>,
    argv: &[String],
    open: &[String],
    cwd: &Path,
) {
    if deep_link_plugin_takes(argv) {
        return;
    }
    for arg in open {
        let request = links::parse_argument(arg, cwd);
        app.state::<Launches>().submit(app, request);
    }
}
