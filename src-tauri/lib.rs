//! The `gloss` binary: the desktop app and its command line.
//!
//! With a subcommand, `gloss` works headless on the library and never touches
//! a display ([`cli`]); with none it opens the window ([`app`]). Both are thin
//! layers over `gloss-core`.

pub mod app;
pub mod cli;
pub mod commands;
pub mod state;

use std::process::ExitCode;

/// Parses the command line and runs the app or a subcommand.
pub fn main_entry() -> ExitCode {
    cli::install_panic_hook();
    let args = match cli::parse_args(std::env::args_os()) {
        Ok(args) => args,
        Err(code) => return code,
    };
    match args.command {
        Some(command) => cli::run(args.library, command),
        None => app::run(args.library),
    }
}
