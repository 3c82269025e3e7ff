//! The library file itself, and leaving the app for the browser.

use gloss_core::model::LibraryInfo;
use gloss_core::Error;
use tauri::{AppHandle, Manager, Runtime, State};

use super::{notify_changed, CommandResult};
use crate::state::{blocking, Shared};

#[tauri::command]
pub async fn library_info(state: State<'_, Shared>) -> CommandResult<LibraryInfo> {
    Ok(blocking(&state, |s| s.reader().info()).await?)
}

#[tauri::command]
pub async fn open_library<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    path: String,
) -> CommandResult<LibraryInfo> {
    let library = std::path::PathBuf::from(path);
    let opened = library.clone();
    let info = blocking(&state, move |s| {
        s.reopen(opened)?;
        s.reader().info()
    })
    .await?;
    // `gloss save` must reach the window through the library it now shows.
    if let Some(listener) = app.try_state::<crate::handoff::Listener>() {
        if let Err(e) = listener.follow(&library) {
            eprintln!("gloss: `gloss save` will write to the library itself: {e}");
        }
    }
    notify_changed(&app, &[]);
    Ok(info)
}

/// Opens a link from a story in the system browser: http, https and mailto
/// only, so a story cannot make the app open a file or run a program.
#[tauri::command]
pub async fn open_external(url: String) -> CommandResult<()> {
    let parsed = url::Url::parse(&url)
        .map_err(|_| Error::InvalidInput(format!("{url} is not a link that can be opened")))?;
    if !crate::app::is_browser_link(&parsed) {
        return Err(Error::InvalidInput(format!(
            "only http, https and mailto links open from Gloss, not {}:",
            parsed.scheme()
        ))
        .into());
    }
    tauri_plugin_opener::open_url(parsed.as_str(), None::<&str>).map_err(|e| Error::Io {
        context: format!("opening {url}"),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(())
}
