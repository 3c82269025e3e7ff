//! Plain data that leaves the core: to the UI over IPC (TypeScript types are
//! generated from these by ts-rs into `ui/src/bindings/`) and to scripts as the
//! command line's `--json`. Field names here are a public interface: add, don't rename.
//!
//! Times are RFC 3339 strings in UTC; ids are SQLite rowids (`i64`, mapped to
//! `number` in TypeScript: they never exceed 2^53).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A story's id in the library.
pub type StoryId = i64;

/// What the story list shows for one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StorySummary {
    #[ts(type = "number")]
    pub id: StoryId,
    pub url: String,
    pub title: String,
    pub site: Option<String>,
    pub excerpt: Option<String>,
    pub language: Option<String>,
    pub saved_at: String,
    pub published_at: Option<String>,
    pub starred: bool,
    pub archived: bool,
    pub read: bool,
    pub tags: Vec<String>,
    pub word_count: u32,
    pub reading_minutes: u32,
    /// Fraction of the story read, 0.0 to 1.0.
    pub progress: f64,
    /// `gloss-asset://localhost/<sha256>` of the lead image, when it was stored.
    pub lead_image: Option<String>,
    #[ts(type = "number | null")]
    pub feed_id: Option<i64>,
    pub annotation_count: u32,
    /// False for a page that is not an article (a home page, an index):
    /// Gloss kept what it had, and the reader says so.
    pub readerable: bool,
}

/// A whole story: the list fields plus its readable content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Story {
    #[serde(flatten)]
    pub summary: StorySummary,
    pub byline: Option<String>,
    /// Sanitized article HTML; images refer to the asset scheme.
    pub html: String,
    /// Plain text, blocks separated by newlines (what annotations anchor to).
    pub text: String,
    /// Right-to-left or left-to-right, from the page or its language.
    pub dir: Option<String>,
}

/// Which stories a list shows (the sidebar's choices).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ListFilter {
    /// Every story, newest first.
    #[default]
    All,
    /// Not archived.
    Inbox,
    Unread,
    Starred,
    Archived,
    Annotated,
}

/// A page of the story list. Keyset pagination: pass the last row's
/// `saved_at_ms`/`id` back as `before` to get the next page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ListQuery {
    pub filter: ListFilter,
    pub tag: Option<String>,
    #[ts(type = "number | null")]
    pub feed_id: Option<i64>,
    /// Only stories of the feeds in this folder. Optional in JSON (older
    /// callers leave it out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, as = "Option<f64>")]
    pub folder_id: Option<i64>,
    pub limit: Option<u32>,
    pub before: Option<ListCursor>,
}

/// Where the previous page of a list ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ListCursor {
    #[ts(type = "number")]
    pub saved_at_ms: i64,
    #[ts(type = "number")]
    pub id: StoryId,
}

/// A page of the story list and the cursor for the next one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StoryPage {
    pub stories: Vec<StorySummary>,
    pub next: Option<ListCursor>,
}

/// Counts for the sidebar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SidebarCounts {
    pub all: u32,
    pub inbox: u32,
    pub unread: u32,
    pub starred: u32,
    pub archived: u32,
    pub annotated: u32,
    pub tags: Vec<TagCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TagCount {
    pub name: String,
    pub count: u32,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SearchHit {
    #[ts(type = "number")]
    pub id: StoryId,
    pub title: String,
    pub url: String,
    pub site: Option<String>,
    /// A piece of the text around the match; matched words are wrapped in
    /// `\u{2}` … `\u{3}` (STX/ETX), which no HTML or text contains, so the UI
    /// can mark them without parsing HTML.
    pub snippet: String,
    pub starred: bool,
    pub archived: bool,
    pub read: bool,
    pub tags: Vec<String>,
    pub saved_at: String,
}

/// Optional narrowing of a search (the search field's filters).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SearchQuery {
    pub text: String,
    pub starred: Option<bool>,
    pub unread: Option<bool>,
    pub archived: Option<bool>,
    pub tag: Option<String>,
    pub limit: Option<u32>,
}

/// The result of `gloss check`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckReport {
    pub ok: bool,
    /// Problems found; empty when `ok`.
    pub problems: Vec<String>,
    pub stories: u32,
    pub assets: u32,
    pub tags: u32,
    pub schema_version: u32,
    pub path: String,
}

/// Why a backup was taken (see `docs/durability.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Taken once a day while the app runs.
    Daily,
    /// Taken just before the schema was upgraded.
    Upgrade,
}

/// One automatic backup of the library, verified when it was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BackupInfo {
    pub path: String,
    pub kind: BackupKind,
    pub taken_at: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// How many stories it holds; `None` when it cannot be read (then it is
    /// not offered for a restore).
    pub stories: Option<u32>,
}

/// Whether the library can be used, as the recovery dialog shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HealthState {
    /// Opened, and its check found nothing wrong.
    Ok,
    /// Damaged: the file was set aside (or can be) and a backup restored.
    Damaged,
    /// Could not be opened for another reason (a newer Gloss made it, no
    /// permission); nothing was moved.
    Unavailable,
}

/// The library's health and the backups that could replace it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LibraryHealth {
    pub path: String,
    pub state: HealthState,
    /// What is wrong, in words; `None` when all is well.
    pub message: Option<String>,
    /// Where the damaged file was moved to (it is never deleted).
    pub set_aside: Option<String>,
    /// Automatic backups, newest first.
    pub backups: Vec<BackupInfo>,
    /// The last automatic backup that failed, and why.
    pub backup_error: Option<String>,
}

/// Which library is open, for Settings and the About box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LibraryInfo {
    pub path: String,
    pub stories: u32,
    pub schema_version: u32,
}

/// Where a save is, reported as the `save-progress` event while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SaveStage {
    Fetching,
    Extracting,
    Images,
    Storing,
    Done,
    Failed,
}

/// The payload of the `save-progress` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SaveProgress {
    /// The URL or file path as the user gave it: identifies the save.
    pub source: String,
    pub stage: SaveStage,
    /// Images stored so far and found in all, during `images`.
    pub done: u32,
    pub total: u32,
    /// Set with `failed`: the error's message.
    pub message: Option<String>,
    #[ts(type = "number | null")]
    pub id: Option<StoryId>,
}

/// The payload of the `library-changed` event: which stories changed
/// (empty when many or unknown, meaning "reload what you show").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct LibraryChanged {
    #[ts(type = "Array<number>")]
    pub ids: Vec<StoryId>,
}

/// A followed feed, as the sidebar and `gloss feeds list` show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FeedInfo {
    #[ts(type = "number")]
    pub id: i64,
    /// The feed's own address (after discovery).
    pub url: String,
    pub title: String,
    /// The site the feed belongs to.
    pub site_url: Option<String>,
    #[ts(type = "number | null")]
    pub folder_id: Option<i64>,
    pub folder: Option<String>,
    /// `gloss-asset://localhost/<sha256>` of the stored icon.
    pub icon: Option<String>,
    /// Whether new items are fetched as whole pages (readable offline with images).
    pub full_text: bool,
    /// Days its stories are kept unless starred, annotated or tagged; `None`: the default.
    pub retention_days: Option<u32>,
    pub unread: u32,
    /// Stories of this feed in the library.
    pub stories: u32,
    pub created_at: String,
    pub last_checked: Option<String>,
    /// Not checked before this time (the server's `Retry-After`, or backoff after errors).
    pub next_check: Option<String>,
    /// Failures in a row; 0 when the last check worked.
    pub error_count: u32,
    /// Why the last check failed (only when `error_count` > 0).
    pub last_error: Option<String>,
    /// What the last check that worked had to skip ("1 entry skipped:
    /// unsupported title type \"\""): the feed works, some entries did not.
    pub warning: Option<String>,
    /// The feed account it belongs to (its feeds are kept in step with the
    /// server by `gloss accounts sync`); `None` for a feed Gloss reads itself.
    #[ts(type = "number | null")]
    pub account_id: Option<i64>,
}

/// A folder of feeds with its unread count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FolderInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub feeds: u32,
    pub unread: u32,
}

/// A feed's settings; `None` leaves one unchanged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct FeedSettings {
    pub title: Option<String>,
    /// A folder name (created when new); an empty name takes the feed out of its folder.
    pub folder: Option<String>,
    pub full_text: Option<bool>,
    /// Days to keep stories; 0 means "use the default".
    pub retention_days: Option<u32>,
}

/// What one feed's refresh did: `gloss feeds refresh --json` prints one per feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FeedRefreshResult {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    /// Stories added.
    pub new: u32,
    /// Why the feed could not be refreshed; the other feeds were refreshed anyway.
    pub error: Option<String>,
    /// Entries of the feed that could not be read and were skipped; the
    /// others were stored.
    pub warning: Option<String>,
    /// The server answered `304 Not Modified`.
    pub not_modified: bool,
    /// Not checked because the server asked to wait (`Retry-After`) or the
    /// feed is backing off after errors: the time it will be checked again.
    pub skipped_until: Option<String>,
}

/// Where a feed is in a refresh, reported as the `feeds-progress` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FeedStage {
    /// Fetching and reading the feed.
    Checking,
    Done,
    Failed,
    /// Not checked now (see `FeedRefreshResult::skipped_until`).
    Skipped,
    Cancelled,
}

/// The payload of the `feeds-progress` event: one feed's stage, and how far
/// the whole refresh is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FeedProgress {
    #[ts(type = "number")]
    pub feed_id: i64,
    pub stage: FeedStage,
    /// Feeds finished (done, failed, skipped or cancelled) and in all.
    pub done: u32,
    pub total: u32,
    /// Set when the feed is finished.
    pub result: Option<FeedRefreshResult>,
}

/// What an OPML import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportSummary {
    /// Feeds added.
    pub added: u32,
    /// Feeds already followed (left as they were).
    pub existing: u32,
    /// Folders created.
    pub folders: u32,
    /// Entries skipped, with the reason (not an http(s) address, ...).
    pub skipped: Vec<String>,
}

/// Words read per minute, for reading time.
pub const WORDS_PER_MINUTE: u32 = 230;

/// Minutes a story takes to read: `ceil(words / 230)`, so at least one for
/// any story with words and 0 only for none.
pub fn reading_minutes(word_count: u32) -> u32 {
    word_count.div_ceil(WORDS_PER_MINUTE)
}

/// What the About box shows: which Gloss this is and which library it has open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AboutInfo {
    pub name: String,
    pub version: String,
    pub library_path: String,
    pub license: String,
    pub homepage: String,
    /// False when this build has no updater key: "Check for updates" is then not offered.
    pub updates_configured: bool,
}

/// The answer to "Check for updates" (asked by the user, never on its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UpdateCheck {
    /// The version running now.
    pub current: String,
    /// A newer signed release, or None when this is the newest.
    pub available: Option<String>,
    /// The release notes of the newer release, if it has any.
    pub notes: Option<String>,
}

/// What a native menu item asks the window to do: the payload of the
/// `menu-action` event (a plain string such as `"save-url"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum MenuAction {
    SaveUrl,
    Import,
    Export,
    Settings,
    ThemeLight,
    ThemeDark,
    ThemeSystem,
    TextLarger,
    TextSmaller,
    TextReset,
    Shortcuts,
    About,
}

/// The validators of a feed's last response, sent back so an unchanged
/// feed costs a `304` and no body. Kept here, with the plain data, because
/// the library stores them per feed and `fetch` sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes(0), 0);
        assert_eq!(reading_minutes(1), 1);
        assert_eq!(reading_minutes(230), 1);
        assert_eq!(reading_minutes(231), 2);
        assert_eq!(reading_minutes(u32::MAX), u32::MAX.div_ceil(230));
    }
}

/// Which API a feed account speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// The Fever API (FreshRSS, Miniflux, Tiny Tiny RSS with its plugin, Coldsweat).
    Fever,
    /// The Google Reader API (FreshRSS, Miniflux, Inoreader, The Old Reader, BazQux).
    Greader,
}

impl AccountKind {
    /// The name the library and the command line use.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Fever => "fever",
            AccountKind::Greader => "greader",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "fever" => Some(AccountKind::Fever),
            "greader" => Some(AccountKind::Greader),
            _ => None,
        }
    }

    /// Whether Gloss can subscribe, unsubscribe, rename and move feeds on
    /// the server (Fever's API cannot change subscriptions).
    pub fn manages_subscriptions(self) -> bool {
        self == AccountKind::Greader
    }
}

/// A feed account (a Fever or Google Reader API server) as the sidebar and
/// `gloss accounts list` show it. Its password is in the system keyring,
/// never here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AccountInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: AccountKind,
    pub name: String,
    /// The server's address as given when the account was added.
    pub url: String,
    pub username: String,
    pub created_at: String,
    pub last_synced: Option<String>,
    /// Not synced before this time (the server's `Retry-After`, or backoff after errors).
    pub next_sync: Option<String>,
    /// Failed syncs in a row; 0 when the last one worked.
    pub error_count: u32,
    /// Why the last sync failed, in plain words (only when `error_count` > 0).
    pub last_error: Option<String>,
    pub feeds: u32,
    pub unread: u32,
    /// Read and star changes made in Gloss that the server has not confirmed yet.
    pub pending: u32,
    /// Whether subscriptions can be changed from Gloss (false for Fever).
    pub manages_subscriptions: bool,
}

/// What one sync of an account did (`gloss accounts sync --json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AccountSyncResult {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// Read and star changes sent and confirmed by the server.
    pub pushed: u32,
    /// Items read from the server.
    pub pulled: u32,
    /// Stories made from new items.
    pub new_stories: u32,
    /// Stories whose read or starred state the server changed.
    pub updated: u32,
    #[ts(type = "number")]
    pub took_ms: u64,
    /// Why the sync failed, in plain words; `None` when it worked.
    pub error: Option<String>,
    /// Not synced because of the server's `Retry-After` or backoff, until then.
    pub skipped_until: Option<String>,
}
