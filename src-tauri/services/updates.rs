//! Updates: whether this build can check for them at all, and the updater
//! when it can. Checking happens only when the user asks.

use gloss_core::Error;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::UpdaterExt;

/// Present when the updater plugin runs: the build has an update key.
pub struct UpdaterOn;

/// True when `tauri.conf.json` names a public key to check updates with.
pub fn updater_key_configured(config: &tauri::Config) -> bool {
    config
        .plugins
        .0
        .get("updater")
        .and_then(|u| u.get("pubkey"))
        .and_then(|k| k.as_str())
        .is_some_and(|k| !k.trim().is_empty())
}

/// Whether the updater runs in this app (see [`UpdaterOn`]).
pub fn updates_configured<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.try_state::<UpdaterOn>().is_some()
}

/// The updater, or why this build has none.
pub fn updater<R: Runtime>(app: &AppHandle<R>) -> Result<tauri_plugin_updater::Updater, Error> {
    if !updates_configured(app) {
        return Err(Error::Unsupported(
            "This build of Gloss has no update key, so it cannot check for updates.".into(),
        ));
    }
    app.updater()
        .map_err(|e| Error::Network(format!("Could not check for updates: {e}")))
}
