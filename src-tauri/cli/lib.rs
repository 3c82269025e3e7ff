//! The `gloss` command line: headless subcommands over the same library as
//! the window. Plain text by default, `--json` for scripts. Errors are one
//! line on standard error and exit code 1; the library is left unchanged.
//!
//! The subcommand names, options and JSON keys are a public interface: add,
//! don't rename.

mod annotations;
mod backup;
mod export;
mod feeds;
pub mod handoff;
mod import;
pub mod links;
mod output;
mod window;

pub use window::open_window;

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use gloss_core::library::durability::Synchronous;
use gloss_core::model::{ListFilter, ListQuery, SaveStage, SearchQuery, StoryId};
use gloss_core::save::{self, SaveOptions, Source};
use gloss_core::{extract, fetch::Fetcher, paths, Error, Library, Result};

#[derive(Debug, Parser)]
#[command(
    name = "gloss",
    version,
    about = "A news reader with a local, offline library. With no command, opens the window."
)]
pub struct Args {
    /// The library file (default: the app's data folder; or set GLOSS_LIBRARY).
    #[arg(long, global = true, value_name = "PATH")]
    pub library: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no command: a gloss://save?url=… link, a web page or an OPML file
    /// to hand to the window (what the desktop passes to "Open with Gloss").
    #[arg(value_name = "LINK|FILE")]
    pub open: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Save web pages (http/https URLs), .html/.txt/.md files, or `-` for one per line on stdin.
    Save {
        #[arg(required = true, value_name = "URL|FILE|-")]
        sources: Vec<String>,
        /// Tag the saved stories (repeat for several tags).
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Don't download images (their alt text is kept).
        #[arg(long)]
        no_images: bool,
        /// Base URL to resolve relative links and images of local HTML files.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Print nothing on success.
        #[arg(long, short)]
        quiet: bool,
        #[arg(long)]
        json: bool,
    },
    /// List stories, newest first.
    List {
        #[command(flatten)]
        filter: ListFilterArgs,
        /// Only stories with this tag.
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Only stories of this feed.
        #[arg(long, value_name = "ID")]
        feed: Option<i64>,
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Print one story.
    Show {
        id: StoryId,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Full-text search, best matches first.
    Search {
        query: String,
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Star (bookmark) stories.
    Star {
        #[arg(required = true)]
        ids: Vec<StoryId>,
    },
    /// Remove the star from stories.
    Unstar {
        #[arg(required = true)]
        ids: Vec<StoryId>,
    },
    /// Archive stories (they leave the inbox).
    Archive {
        #[arg(required = true)]
        ids: Vec<StoryId>,
    },
    /// Move archived stories back to the inbox.
    Unarchive {
        #[arg(required = true)]
        ids: Vec<StoryId>,
    },
    /// Mark stories read.
    Read {
        #[arg(required = true)]
        ids: Vec<StoryId>,
    },
    /// Mark stories unread.
    Unread {
        #[arg(required = true)]
        ids: Vec<StoryId>,
    },
    /// Delete stories with their images.
    Delete {
        #[arg(required = true)]
        ids: Vec<StoryId>,
    },
    /// Add tags to a story (or remove them with --remove).
    Tag {
        id: StoryId,
        #[arg(required = true)]
        tags: Vec<String>,
        #[arg(long)]
        remove: bool,
    },
    /// Extract the readable article from a file or URL without saving it.
    Extract {
        #[arg(value_name = "FILE|URL")]
        source: String,
        /// The page's URL, to resolve relative links of a local file.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
        format: ExtractFormat,
    },
    /// Highlight words of a story, with an optional note.
    Annotate {
        id: StoryId,
        /// The words to highlight, as `gloss show ID --format text` prints them.
        #[arg(long)]
        quote: String,
        /// A note (Markdown).
        #[arg(long)]
        note: Option<String>,
        /// yellow (default), green, blue, pink or purple.
        #[arg(long)]
        color: Option<String>,
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// List a story's highlights in reading order, or every highlight in the library.
    Annotations {
        id: Option<StoryId>,
        #[arg(long)]
        json: bool,
    },
    /// Fetch a story again (or read it from a file) and re-anchor its highlights.
    Refresh {
        id: StoryId,
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
    },
    /// Check the library's integrity and count what it holds (exit 1 when damaged).
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Follow feeds: add, list, refresh, remove.
    Feeds {
        #[command(subcommand)]
        command: feeds::FeedsCommand,
    },
    /// Import an export of another reader (Pocket, Instapaper, Omnivore, wallabag, Readwise,
    /// browser bookmarks), OPML subscriptions or a Gloss export; the format is read from the
    /// content. Stories that came as links only are fetched afterwards unless --no-fetch.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Force the format: pocket, instapaper, omnivore, wallabag, readwise, netscape, opml, gloss.
        #[arg(long, value_name = "NAME")]
        format: Option<String>,
        /// Don't fetch the content of imported links now (`gloss import --fetch-pending` later).
        #[arg(long)]
        no_fetch: bool,
        #[arg(long)]
        json: bool,
    },
    /// Fetch the content of imported stories still waiting for it (resumes an import's fetch).
    FetchPending {
        #[arg(long)]
        json: bool,
    },
    /// Export the library: Gloss JSON (a ZIP with the images), Markdown notes, EPUB, browser
    /// bookmarks, feeds (OPML) or annotations (W3C JSON-LD). Story exports take list filters.
    Export {
        #[arg(long, value_enum, default_value_t = export::ExportFormat::Opml)]
        format: export::ExportFormat,
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        #[command(flatten)]
        filter: ListFilterArgs,
        /// Only stories with this tag.
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
    },
    /// Copy the library to FILE with SQLite's online backup (safe while the window is open).
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replace the library with a backup after checking it; the old library is kept as
    /// `<library>.before-restore`. Close the window first.
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
#[group(multiple = false)]
pub struct ListFilterArgs {
    /// Stories not archived.
    #[arg(long)]
    inbox: bool,
    #[arg(long)]
    unread: bool,
    #[arg(long)]
    starred: bool,
    #[arg(long)]
    archived: bool,
    #[arg(long)]
    annotated: bool,
}

impl ListFilterArgs {
    fn filter(&self) -> ListFilter {
        if self.inbox {
            ListFilter::Inbox
        } else if self.unread {
            ListFilter::Unread
        } else if self.starred {
            ListFilter::Starred
        } else if self.archived {
            ListFilter::Archived
        } else if self.annotated {
            ListFilter::Annotated
        } else {
            ListFilter::All
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShowFormat {
    Text,
    Html,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExtractFormat {
    Text,
    Html,
    Json,
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

/// Error messages stay on one line whatever a server or a file put in them.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Opens (or, on first use, creates) the library for a command that adds
/// to it: save, import, feeds.
fn open_library(explicit: Option<PathBuf>) -> Result<Library> {
    Library::open(paths::resolve_library_path(explicit)?)
}

/// Opens the library for a command that reads it or changes what is
/// already in it (list, show, search, export, annotations, check, backup,
/// star, tag, …). Where there is no library, such a command says so and
/// fails: creating an empty one would hide a mistyped `--library` behind
/// "0 stories". A 0-byte file (SQLite would take it for a new database) is
/// called empty for the same reason.
fn open_existing_library(explicit: Option<PathBuf>) -> Result<Library> {
    let path = paths::resolve_library_path(explicit)?;
    match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NotFound(format!(
            "there is no library at {}; check the path (--library or GLOSS_LIBRARY), or save or \
             import something to start a library there",
            path.display()
        ))),
        Ok(meta) if meta.is_file() && meta.len() == 0 => Err(Error::InvalidInput(format!(
            "{} is an empty file (0 bytes), not a Gloss library; give the path of your library, \
             or delete the file to start a new one there",
            path.display()
        ))),
        _ => Library::open(path),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the network runtime", e))
}

fn execute(library: Option<PathBuf>, command: Command, out: &mut impl Write) -> Result<ExitCode> {
    match command {
        Command::Save {
            sources,
            tags,
            no_images,
            base_url,
            quiet,
            json,
        } => {
            let base_url = base_url
                .as_deref()
                .map(gloss_core::urls::parse_web_url)
                .transpose()?;
            let options = SaveOptions {
                tags,
                skip_images: no_images,
                base_url,
                feed_id: None,
            };
            save_all(library, sources, &options, quiet, json, out)
        }
        Command::List {
            filter,
            tag,
            feed,
            limit,
            json,
        } => {
            let lib = open_existing_library(library)?;
            let query = ListQuery {
                filter: filter.filter(),
                tag,
                feed_id: feed,
                folder_id: None,
                limit,
                before: None,
            };
            let page = lib.list(&query)?;
            if json {
                output::json(out, &page.stories)?;
            } else {
                output::story_lines(out, &page.stories)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, format } => {
            let lib = open_existing_library(library)?;
            let story = lib.story(id)?;
            match format {
                ShowFormat::Text => output::text(out, &story.text)?,
                ShowFormat::Html => output::text(out, &story.html)?,
                ShowFormat::Markdown => output::text(
                    out,
                    &format!(
                        "# {}\n\n{}",
                        story.summary.title,
                        extract::html_to_markdown(&story.html)
                    ),
                )?,
                ShowFormat::Json => output::json(out, &story)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { query, limit, json } => {
            let lib = open_existing_library(library)?;
            let hits = lib.search(&SearchQuery {
                text: query,
                limit,
                ..Default::default()
            })?;
            if json {
                output::search_json(out, &hits)?;
            } else {
                output::search_lines(out, &hits)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Star { ids } => organise(
            library,
            &ids,
            "starred",
            |l, ids| l.set_starred(ids, true),
            out,
        ),
        Command::Unstar { ids } => organise(
            library,
            &ids,
            "unstarred",
            |l, ids| l.set_starred(ids, false),
            out,
        ),
        Command::Archive { ids } => organise(
            library,
            &ids,
            "archived",
            |l, ids| l.set_archived(ids, true),
            out,
        ),
        Command::Unarchive { ids } => organise(
            library,
            &ids,
            "moved to the inbox",
            |l, ids| l.set_archived(ids, false),
            out,
        ),
        Command::Read { ids } => organise(
            library,
            &ids,
            "marked read",
            |l, ids| l.set_read(ids, true),
            out,
        ),
        Command::Unread { ids } => organise(
            library,
            &ids,
            "marked unread",
            |l, ids| l.set_read(ids, false),
            out,
        ),
        Command::Delete { ids } => organise(library, &ids, "deleted", |l, ids| l.delete(ids), out),
        Command::Tag { id, tags, remove } => {
            let mut lib = open_existing_library(library)?;
            let after = if remove {
                lib.set_tags(id, &[], &tags)?
            } else {
                lib.set_tags(id, &tags, &[])?
            };
            output::text(
                out,
                &format!(
                    "{id}: {}",
                    if after.is_empty() {
                        "(no tags)".into()
                    } else {
                        after.join(", ")
                    }
                ),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract {
            source,
            base_url,
            format,
        } => {
            let base_url = base_url
                .as_deref()
                .map(gloss_core::urls::parse_web_url)
                .transpose()?;
            let extracted = extract_only(&source, base_url.as_ref())?;
            match format {
                ExtractFormat::Text => output::text(out, &extracted.text)?,
                ExtractFormat::Html => output::text(out, &extracted.html)?,
                ExtractFormat::Json => output::json(out, &extracted)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Annotate {
            id,
            quote,
            note,
            color,
            tags,
            json,
        } => {
            let mut lib = open_existing_library(library)?;
            let args = annotations::AnnotateArgs {
                id,
                quote,
                note,
                color,
                tags,
                json,
            };
            annotations::annotate(&mut lib, args, out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Annotations { id, json } => {
            annotations::list(&open_existing_library(library)?, id, json, out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Refresh { id, from } => {
            annotations::refresh(&mut open_existing_library(library)?, id, from, out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { json } => {
            let lib = open_existing_library(library)?;
            let report = lib.check()?;
            if json {
                output::json(out, &report)?;
            } else {
                output::check_report(out, &report)?;
            }
            Ok(if report.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Feeds { command } => feeds::run(library, command, out),
        Command::Import {
            file,
            format,
            no_fetch,
            json,
        } => import::import(library, &file, format.as_deref(), no_fetch, json, out),
        Command::FetchPending { json } => import::fetch_pending(library, json, out),
        Command::Export {
            format,
            out: target,
            filter,
            tag,
        } => {
            let query = ListQuery {
                filter: filter.filter(),
                tag,
                ..Default::default()
            };
            export::export(library, format, target.as_deref(), &query, out)
        }
        Command::Backup { out: target } => backup::backup(library, &target, out),
        Command::Restore { file } => backup::restore(library, &file, out),
    }
}

/// Star, archive, mark read, delete: one call, all or nothing, one line out.
fn organise(
    library: Option<PathBuf>,
    ids: &[StoryId],
    done: &str,
    action: impl FnOnce(&mut Library, &[StoryId]) -> Result<()>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut lib = open_existing_library(library)?;
    action(&mut lib, ids)?;
    let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    output::text(out, &format!("{done}: {}", list.join(" ")))?;
    Ok(ExitCode::SUCCESS)
}

/// Saves every source in turn. A source that fails is reported on its own
/// line and the rest are still saved; the exit code is 1 if any failed.
fn save_all(
    library: Option<PathBuf>,
    sources: Vec<String>,
    options: &SaveOptions,
    quiet: bool,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    // Check every named source before touching the library, so a typo in a
    // single-source save leaves no trace.
    let mut inputs = Vec::new();
    for source in sources {
        if source == "-" {
            for line in std::io::stdin().lock().lines() {
                let line = line.map_err(|e| Error::io("reading standard input", e))?;
                let line = line.trim();
                if !line.is_empty() && !line.starts_with('#') {
                    inputs.push(line.to_string());
                }
            }
        } else {
            inputs.push(source);
        }
    }
    let mut saved = Vec::new();
    let mut failed = 0usize;
    let many = inputs.len() > 1;
    let mut report = |source: &str, result: SaveOutcome| -> Result<()> {
        match result {
            Ok((created, summary)) => {
                if !quiet && !json {
                    let verb = if created { "saved" } else { "updated" };
                    output::text(out, &format!("{verb} {}: {}", summary.id, summary.title))?;
                }
                saved.push(output::SavedJson::from(&summary));
            }
            Err(e) => {
                failed += 1;
                let prefix = if many {
                    format!("{source}: ")
                } else {
                    String::new()
                };
                eprintln!("gloss: {prefix}{}", one_line(&e.to_string()));
            }
        }
        Ok(())
    };
    // While the window is open on this library, it does the saves and shows them.
    let request = handoff::SaveRequest {
        token: String::new(),
        sources: handoff::absolute_sources(&inputs),
        tags: options.tags.clone(),
        skip_images: options.skip_images,
        base_url: options.base_url.as_ref().map(|u| u.to_string()),
    };
    let library_path = paths::resolve_library_path(library.clone())?;
    let handed = handoff::hand_off(&library_path, request, |reply| match reply {
        handoff::SaveReply::Saved {
            source,
            created,
            story,
        } => report(&source, Ok((created, *story))),
        handoff::SaveReply::Failed { source, message } => {
            report(&source, Err(Error::InvalidInput(message)))
        }
    })?;
    if handed.is_none() {
        save_directly(library_path, &inputs, options, &mut report)?;
    }
    if json {
        output::json(out, &saved)?;
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A save's result: whether the story is new, and the story.
type SaveOutcome = Result<(bool, gloss_core::model::StorySummary)>;

/// Saves in this process (no window is open on the library).
fn save_directly(
    library: PathBuf,
    inputs: &[String],
    options: &SaveOptions,
    report: &mut dyn FnMut(&str, SaveOutcome) -> Result<()>,
) -> Result<()> {
    // The library is opened at the first story that is ready to store, so a
    // save that fails before that leaves no trace, not even a new file.
    let mut lib: Option<Library> = None;
    let fetcher = Fetcher::new()?;
    let rt = runtime()?;
    let quiet_progress = |_: SaveStage, _: u32, _: u32| {};
    for input in inputs {
        let result = Source::parse(input)
            .and_then(|source| {
                rt.block_on(save::prepare(&fetcher, &source, options, &quiet_progress))
            })
            .and_then(|story| {
                let lib = match &mut lib {
                    Some(lib) => lib,
                    None => {
                        let opened = Library::open(&library)?;
                        if inputs.len() > 1 {
                            // A bulk save does not wait for the disk at each
                            // story (4 ms each): in WAL mode a killed process
                            // still loses nothing it reported saved; a power
                            // cut may lose the last few, and the same command
                            // run again saves them (docs/durability.md).
                            opened.set_synchronous(Synchronous::Normal)?;
                        }
                        lib.insert(opened)
                    }
                };
                let outcome = lib.store_story(story)?;
                Ok((outcome.created, lib.summary(outcome.id)?))
            });
        report(input, result)?;
    }
    Ok(())
}

fn extract_only(input: &str, base_url: Option<&url::Url>) -> Result<extract::Extracted> {
    match Source::parse(input)? {
        Source::Url(url) => {
            let fetcher = Fetcher::new()?;
            let page = runtime()?.block_on(fetcher.fetch_page(&url))?;
            save::extract_page(&page)
        }
        Source::File(path) => save::extract_file(&path, base_url).map(|(e, _)| e),
    }
}
