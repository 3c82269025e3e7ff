//! `gloss-app`: the desktop app, and the same command line as `gloss`.
//!
//! With a subcommand it works headless on the library and never touches a
//! display (`gloss_cli`); with none it opens the window ([`app`]). Both are
//! thin layers over `gloss-core`.

pub mod app;
pub mod commands;
pub mod events;
pub mod handoff;
pub mod launch;
pub mod menu;
pub mod notify;
pub mod services;
pub mod startup_trace;
pub mod state;
pub mod webview;

use std::process::ExitCode;

use gloss_cli as cli;

/// Parses the command line and runs the app or a subcommand.
pub fn main_entry() -> ExitCode {
    startup_trace::mark("main");
    cli::install_panic_hook();
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(code) = cli::serve_browser(&raw) {
        return code;
    }
    let args = match cli::parse_args(raw) {
        Ok(args) => args,
        Err(code) => return code,
    };
    match args.command {
        Some(command) => cli::run(args.library, command),
        None => app::run(args.library, args.open),
    }
}
