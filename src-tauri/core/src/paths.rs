//! Where the library lives when nobody says otherwise.

use std::path::PathBuf;

use crate::{Error, Result, APP_IDENTIFIER};

/// The environment variable that overrides the library location.
pub const LIBRARY_ENV: &str = "GLOSS_LIBRARY";

/// The library file's name inside the app's data folder.
pub const LIBRARY_FILE: &str = "library.gloss";

/// The library path to use: an explicit `--library` first, then
/// `GLOSS_LIBRARY`, then `<platform data dir>/<identifier>/library.gloss`
/// (the folder Tauri's `app_data_dir` resolves to, so the CLI and the window
/// share one library).
pub fn resolve_library_path(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path);
    }
    if let Some(path) = std::env::var_os(LIBRARY_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    default_library_path()
}

/// `<platform data dir>/<identifier>/library.gloss`.
pub fn default_library_path() -> Result<PathBuf> {
    let data = dirs::data_dir().ok_or_else(|| {
        Error::NotFound(
            "no data folder is known for this user; pass --library PATH or set GLOSS_LIBRARY"
                .into(),
        )
    })?;
    Ok(data.join(APP_IDENTIFIER).join(LIBRARY_FILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_path_wins() {
        let p = resolve_library_path(Some(PathBuf::from("/tmp/x.gloss"))).unwrap();
        assert_eq!(p, PathBuf::from("/tmp/x.gloss"));
    }

    #[test]
    fn default_is_under_the_identifier_folder() {
        let p = default_library_path().unwrap();
        assert!(p.ends_with(format!("{APP_IDENTIFIER}/{LIBRARY_FILE}")));
    }
}
