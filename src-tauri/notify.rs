//! Desktop notifications, only for background work (a feed refresh, a save
//! handed over from the browser or the shell, an import) that ends while
//! nobody is looking at the window. With the window in front, its own
//! toasts say it; notifications would only repeat them.

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::{Notification, NotificationExt};

/// True when the window is hidden, minimised or not the focused window.
pub fn window_unattended<R: Runtime>(app: &AppHandle<R>) -> bool {
    match app.get_webview_window("main") {
        Some(window) => {
            let visible = window.is_visible().unwrap_or(false);
            let minimized = window.is_minimized().unwrap_or(false);
            let focused = window.is_focused().unwrap_or(false);
            !visible || minimized || !focused
        }
        // No window: the app is closing; nothing to tell anyone.
        None => false,
    }
}

/// Tells the user that background work ended, if the window is not in
/// front. A system without a notification service shows nothing; the
/// outcome is in the window either way.
pub fn background_done<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) {
    // Windows built by `tauri::test` run without the plugin.
    if app.try_state::<Notification<R>>().is_none() || !window_unattended(app) {
        return;
    }
    let _ = app.notification().builder().title(title).body(body).show();
}

/// After a feed refresh: how many new stories, when there are any (a
/// refresh that found nothing is not worth interrupting anyone for).
pub fn feeds_refreshed<R: Runtime>(
    app: &AppHandle<R>,
    results: &[gloss_core::model::FeedRefreshResult],
) {
    let new: u32 = results.iter().map(|r| r.new).sum();
    let feeds = results.iter().filter(|r| r.new > 0).count();
    if new == 0 {
        return;
    }
    let stories = if new == 1 { "story" } else { "stories" };
    let from = if feeds == 1 {
        results
            .iter()
            .find(|r| r.new > 0)
            .map(|r| r.title.clone())
            .unwrap_or_default()
    } else {
        format!("{feeds} feeds")
    };
    background_done(app, "Gloss", &format!("{new} new {stories} from {from}"));
}
