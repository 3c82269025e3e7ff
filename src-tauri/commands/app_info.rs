//! The app itself: the About box, updates (only when the user asks), and
//! the front end saying it is ready for links and files opened with Gloss.

use gloss_core::model::{AboutInfo, UpdateCheck};
use gloss_core::Error;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_updater::UpdaterExt;

use super::CommandResult;
use crate::launch::Launches;
use crate::state::{blocking, Shared};

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

#[tauri::command]
pub async fn about_info<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
) -> CommandResult<AboutInfo> {
    let library = blocking(&state, |s| s.reader().info()).await?;
    Ok(AboutInfo {
        name: app.package_info().name.clone(),
        version: app.package_info().version.to_string(),
        library_path: library.path,
        // From Cargo.toml: the runtime copy of tauri.conf.json leaves the homepage out.
        license: env!("CARGO_PKG_LICENSE").to_owned(),
        homepage: env!("CARGO_PKG_HOMEPAGE").to_owned(),
        updates_configured: app.try_state::<UpdaterOn>().is_some(),
    })
}

fn updater<R: Runtime>(app: &AppHandle<R>) -> Result<tauri_plugin_updater::Updater, Error> {
    if app.try_state::<UpdaterOn>().is_none() {
        return Err(Error::Unsupported(
            "This build of Gloss has no update key, so it cannot check for updates.".into(),
        ));
    }
    app.updater()
        .map_err(|e| Error::Network(format!("Could not check for updates: {e}")))
}

/// Asks the release server for a newer signed release: only on the user's click.
#[tauri::command]
pub async fn check_for_update<R: Runtime>(app: AppHandle<R>) -> CommandResult<UpdateCheck> {
    let found = updater(&app)?
        .check()
        .await
        .map_err(|e| Error::Network(format!("Could not check for updates: {e}")))?;
    Ok(UpdateCheck {
        current: app.package_info().version.to_string(),
        available: found.as_ref().map(|u| u.version.clone()),
        notes: found.and_then(|u| u.body),
    })
}

/// Downloads the newer release, checks its signature, installs it and
/// restarts Gloss. Nothing happens when there is none.
#[tauri::command]
pub async fn install_update<R: Runtime>(app: AppHandle<R>) -> CommandResult<()> {
    let failed = |e: tauri_plugin_updater::Error| Error::Network(format!("The update failed: {e}"));
    let Some(update) = updater(&app)?.check().await.map_err(failed)? else {
        return Ok(());
    };
    update
        .download_and_install(|_, _| {}, || {})
        .await
        .map_err(failed)?;
    app.restart()
}

/// The front end listens for events now: links and files that started the
/// app are carried out.
#[tauri::command]
pub fn launch_ready<R: Runtime>(app: AppHandle<R>, launches: State<'_, Launches>) {
    launches.ready(&app);
}
