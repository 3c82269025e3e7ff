//! The app itself: the About box, updates (only when the user asks), and
//! the front end saying it is ready for links and files opened with Gloss.

use gloss_core::model::{AboutInfo, UpdateCheck};
use gloss_core::Error;
use tauri::{AppHandle, Manager, Runtime, State};

use super::CommandResult;
use crate::services::deferred::AfterFirstPaint;
use crate::services::launches::Launches;
use crate::services::updates::{updater, updates_configured};
use crate::state::{blocking, Shared};

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
        updates_configured: updates_configured(&app),
    })
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

/// The front end has painted its first list and listens for events now:
/// links and files that started the app are carried out, and the start-up
/// work that waited for the paint begins (`services::deferred`).
#[tauri::command]
pub fn launch_ready<R: Runtime>(app: AppHandle<R>, launches: State<'_, Launches>) {
    launches.ready(&app);
    if let Some(deferred) = app.try_state::<AfterFirstPaint>() {
        deferred.painted();
    }
}
