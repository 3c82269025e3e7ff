//! The command line's grammar: the subcommands, their options and their
//! help. Each group's own options live with the group (`feeds.rs`,
//! `saving.rs`, …); this file names them all in the order `--help` lists
//! them. The names, options and JSON keys are a public interface: add,
//! don't rename.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use gloss_core::model::{ListFilter, StoryId};

use crate::{
    accounts, annotations, browser_setup, export, extract, feeds, import, saving, stories, sync,
};

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
    Save(saving::SaveArgs),
    /// List stories, newest first.
    List(stories::ListArgs),
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
    Extract(extract::ExtractArgs),
    /// Highlight words of a story, with an optional note.
    Annotate(annotations::AnnotateArgs),
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
    /// Feed accounts (Fever, Google Reader API): add, list, sync, rename, remove, subscriptions.
    Accounts {
        #[command(subcommand)]
        command: accounts::AccountsCommand,
    },
    /// Import an export of another reader (Pocket, Instapaper, Omnivore, wallabag, Readwise,
    /// browser bookmarks), OPML subscriptions or a Gloss export; the format is read from the
    /// content. Stories that came as links only are fetched afterwards unless --no-fetch.
    Import(import::ImportArgs),
    /// Fetch the content of imported stories still waiting for it (resumes an import's fetch).
    FetchPending {
        #[arg(long)]
        json: bool,
    },
    /// Export the library: Gloss JSON (a ZIP with the images), Markdown notes, EPUB, browser
    /// bookmarks, feeds (OPML) or annotations (W3C JSON-LD). Story exports take list filters.
    Export(export::ExportArgs),
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
    /// Let the Gloss browser extension reach Gloss: write the native messaging host manifests
    /// for your browsers (Chromium, Chrome, Brave, Edge, Vivaldi, Firefox).
    BrowserSetup(browser_setup::SetupArgs),
    /// The browser extension's native messaging host: length-prefixed JSON on standard input
    /// and output (browsers start it; see docs/browser.md).
    NativeHost,
    /// Sync the library with your other computers through a shared folder or a WebDAV server.
    Sync {
        #[command(subcommand)]
        command: sync::SyncCommand,
    },
}

/// The list filters `gloss list` and the story exports share; at most one.
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
    pub fn filter(&self) -> ListFilter {
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
