//! Opening the window from `gloss` with no subcommand: the desktop app is the
//! `gloss-app` binary installed beside this one (same folder in a package,
//! `target/<profile>/` in a build).

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// The desktop app's file name on this platform.
const APP_BINARY: &str = if cfg!(windows) {
    "gloss-app.exe"
} else {
    "gloss-app"
};

/// Starts `gloss-app` with the same arguments. On Unix the process becomes
/// the app (`exec`), so whoever started `gloss` is talking to the window; on
/// Windows the app is started and `gloss` returns.
pub fn open_window(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let app = match app_binary() {
        Some(path) => path,
        None => {
            eprintln!("gloss: the desktop app ({APP_BINARY}) is not installed beside gloss");
            return ExitCode::FAILURE;
        }
    };
    let mut command = Command::new(&app);
    command.args(args);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        eprintln!("gloss: could not start {}: {error}", app.display());
        ExitCode::FAILURE
    }
    #[cfg(not(unix))]
    match command.spawn() {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gloss: could not start {}: {error}", app.display());
            ExitCode::FAILURE
        }
    }
}

fn app_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let app = exe.parent()?.join(APP_BINARY);
    app.is_file().then_some(app)
}
