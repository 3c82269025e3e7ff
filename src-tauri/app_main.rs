// Keep Windows from opening a console window behind the app in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

//! `gloss-app`, the desktop app. It also takes every subcommand of `gloss`.

fn main() -> std::process::ExitCode {
    gloss_app::main_entry()
}
