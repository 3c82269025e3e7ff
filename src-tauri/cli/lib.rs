//! The `gloss` command line: headless subcommands over the same library as
//! the window. Plain text by default, `--json` for scripts. Errors are one
//! line on standard error and exit code 1; the library is left unchanged.
//!
//! - here: parsing the arguments and sending each subcommand to its group;
//! - `args.rs`: the subcommands and their options (a public interface: add,
//!   don't rename);
//! - `context.rs`: opening the library as a command needs it, the runtime;
//! - `output.rs`: text for people and JSON for scripts;
//! - one file per group of subcommands: `saving.rs` (save, handed to the
//!   window when it is open), `extract.rs`, `stories.rs` (list, show,
//!   search, tag, the marks), `annotations.rs`, `check.rs`, `feeds.rs`,
//!   `accounts.rs` (feed accounts),
//!   `import.rs`, `export.rs`, `backup.rs`, `sync.rs`;
//! - `handoff.rs` and `links.rs`: what the window shares with the command
//!   line (the save handoff's protocol, the links and files it may open);
//!   `window.rs`: starting the window;
//! - the browser extension's side: `native_host.rs` (`gloss native-host`,
//!   over `framing.rs`), `host_manifest.rs` (the manifests that let the
//!   extension start it) and `browser_setup.rs` (`gloss browser-setup`).

mod accounts;
mod annotations;
mod args;
mod backup;
mod browser_setup;
mod check;
mod context;
mod export;
mod extract;
mod feeds;
pub mod framing;
pub mod handoff;
pub mod host_manifest;
mod import;
pub mod links;
pub mod native_host;
mod output;
mod saving;
mod secret_input;
mod stories;
mod sync;
mod window;

pub use args::{Args, Command, ExtractFormat, ListFilterArgs, ShowFormat};
pub use window::open_window;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use gloss_core::text::one_line;
use gloss_core::Result;

use stories::Mark;

// `backup.rs` reaches the library through the crate root.
use context::open_existing_library;

/// When a browser started `gloss` as the extension's native messaging host
/// (with its own arguments, which the manifest cannot change), answers it
/// and returns the exit code; `None` for any other start.
pub fn serve_browser(args: &[OsString]) -> Option<ExitCode> {
    native_host::started_by_browser(args).then(|| native_host::run(None))
}

/// Parses arguments; on `--help`/`--version` prints and exits 0, on a usage
/// error prints one line and exits 1.
pub fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Args, ExitCode> {
    let args = Args::try_parse_from(args).map_err(|e| {
        use clap::error::ErrorKind;
        match e.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                let _ = e.print();
                ExitCode::SUCCESS
            }
            _ => {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or("invalid arguments");
                let first = first.trim_start_matches("error: ");
                eprintln!("gloss: {first} (see gloss --help)");
                ExitCode::FAILURE
            }
        }
    })?;
    // A file to open must be one Gloss opens: this is also where a mistyped
    // command ends up. Links are checked by the window, which says why it
    // refuses one (a browser that starts Gloss shows no terminal).
    let cwd = std::env::current_dir().unwrap_or_default();
    for arg in args.open.iter().filter(|a| !links::is_link(a)) {
        if let Err(e) = links::parse_argument(arg, &cwd) {
            eprintln!("gloss: {}", one_line(&e.to_string()));
            return Err(ExitCode::FAILURE);
        }
    }
    Ok(args)
}

/// A panic is a bug, but the user still gets one line, not a backtrace.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        eprintln!("gloss: internal error ({message}); please report it");
    }));
}

/// Runs one subcommand and turns its outcome into an exit code.
pub fn run(library: Option<PathBuf>, command: Command) -> ExitCode {
    let mut stdout = output::Stdout::new();
    match execute(library, command, &mut stdout) {
        Ok(code) => code,
        // `gloss list | head`: the reader of the output went away, which is
        // not an error (as for `rg` and `git`). A broken pipe elsewhere (a
        // socket) still is one.
        Err(_) if stdout.reader_left() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gloss: {}", one_line(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// Sends a subcommand to its group, which opens the library as it needs.
fn execute(library: Option<PathBuf>, command: Command, out: &mut impl Write) -> Result<ExitCode> {
    match command {
        Command::Save(args) => saving::save(library, args, out),
        Command::List(args) => stories::list(library, args, out),
        Command::Show { id, format } => stories::show(library, id, format, out),
        Command::Search { query, limit, json } => stories::search(library, query, limit, json, out),
        Command::Star { ids } => stories::mark(library, &ids, Mark::Star, out),
        Command::Unstar { ids } => stories::mark(library, &ids, Mark::Unstar, out),
        Command::Archive { ids } => stories::mark(library, &ids, Mark::Archive, out),
        Command::Unarchive { ids } => stories::mark(library, &ids, Mark::Unarchive, out),
        Command::Read { ids } => stories::mark(library, &ids, Mark::Read, out),
        Command::Unread { ids } => stories::mark(library, &ids, Mark::Unread, out),
        Command::Delete { ids } => stories::mark(library, &ids, Mark::Delete, out),
        Command::Tag { id, tags, remove } => stories::tag(library, id, &tags, remove, out),
        Command::Extract(args) => extract::extract(args, out),
        Command::Annotate(args) => annotations::annotate(library, args, out),
        Command::Annotations { id, json } => annotations::list(library, id, json, out),
        Command::Refresh { id, from } => annotations::refresh(library, id, from, out),
        Command::Check { json } => check::check(library, json, out),
        Command::Feeds { command } => feeds::run(library, command, out),
        Command::Accounts { command } => accounts::run(library, command, out),
        Command::Import(args) => import::import(library, args, out),
        Command::FetchPending { json } => import::fetch_pending(library, json, out),
        Command::Export(args) => export::export(library, args, out),
        Command::Backup { out: target } => backup::backup(library, &target, out),
        Command::Restore { file } => backup::restore(library, &file, out),
        Command::BrowserSetup(args) => browser_setup::setup(args, out),
        Command::NativeHost => Ok(native_host::run(library)),
        Command::Sync { command } => sync::run(library, command, out),
    }
}
