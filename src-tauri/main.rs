//! `gloss`, the command line. It is built without Tauri so that it links no
//! WebKit and a command such as `gloss search` starts in milliseconds. With
//! no subcommand it opens the window by starting `gloss-app`, installed
//! beside it.

use std::process::ExitCode;

fn main() -> ExitCode {
    gloss_cli::install_panic_hook();
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(code) = gloss_cli::serve_browser(&raw) {
        return code;
    }
    let args = match gloss_cli::parse_args(raw) {
        Ok(args) => args,
        Err(code) => return code,
    };
    match args.command {
        Some(command) => gloss_cli::run(args.library, command),
        None => gloss_cli::open_window(std::env::args_os().skip(1)),
    }
}
