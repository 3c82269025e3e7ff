// The only module that talks to the Rust side: every `invoke`, every event
// `listen`, the webview's file drag-and-drop and the native file dialogs.
// Components import these typed functions and never `@tauri-apps/api/core`.
//
// Every function rejects with an `ApiError` (an `Error` that is also an
// `ErrorPayload`: `{kind, message}`), whatever went wrong: a backend error, a
// permission refused by the capability file, or no backend at all (the page
// opened in a plain browser).

import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open as openDialog, save as saveDialog } from '@tauri-apps/plugin-dialog';

import type { AccountInfo } from './bindings/AccountInfo';
import type { AccountSyncResult } from './bindings/AccountSyncResult';
import type { Annotation } from './bindings/Annotation';
import type { AnnotationQuery } from './bindings/AnnotationQuery';
import type { Color } from './bindings/Color';
import type { ErrorKind } from './bindings/ErrorKind';
import type { EventName } from './bindings/EventName';
import type { FeedInfo } from './bindings/FeedInfo';
import type { FeedProgress } from './bindings/FeedProgress';
import type { FeedRefreshResult } from './bindings/FeedRefreshResult';
import type { FeedSettings } from './bindings/FeedSettings';
import type { FirstScreen } from './bindings/FirstScreen';
import type { FolderInfo } from './bindings/FolderInfo';
import type { ImportSummary } from './bindings/ImportSummary';
import type { AccountKind } from './bindings/AccountKind';
import type { NewAnnotation } from './bindings/NewAnnotation';
import type { NotebookEntry } from './bindings/NotebookEntry';
import type { ErrorPayload } from './bindings/ErrorPayload';
import type { LibraryChanged } from './bindings/LibraryChanged';
import type { LibraryHealth } from './bindings/LibraryHealth';
import type { LibraryInfo } from './bindings/LibraryInfo';
import type { ListQuery } from './bindings/ListQuery';
import type { SaveProgress } from './bindings/SaveProgress';
import type { SearchHit } from './bindings/SearchHit';
import type { SearchQuery } from './bindings/SearchQuery';
import type { SidebarCounts } from './bindings/SidebarCounts';
import type { Story } from './bindings/Story';
import type { StoryPage } from './bindings/StoryPage';
import type { StorySummary } from './bindings/StorySummary';
import type { AboutInfo } from './bindings/AboutInfo';
import type { MenuAction } from './bindings/MenuAction';
import type { UpdateCheck } from './bindings/UpdateCheck';
import type { ExportProgress } from './bindings/ExportProgress';
import type { ExportReport } from './bindings/ExportReport';
import type { ExportRequest } from './bindings/ExportRequest';
import type { ImportProgress } from './bindings/ImportProgress';
import type { ImportReport } from './bindings/ImportReport';
import type { SyncStatus } from './bindings/SyncStatus';

export type { UnlistenFn };

const ERROR_KINDS: readonly ErrorKind[] = [
  'invalid_input',
  'not_found',
  'network',
  'unsupported',
  'too_large',
  'database',
  'io',
  'cancelled',
];

export const NO_BACKEND_MESSAGE =
  'Gloss’s library is not available here. Open this window from the Gloss app.';

/** An error from the backend (or about reaching it), shown by its `message`. */
export class ApiError extends Error implements ErrorPayload {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
  }
}

function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}

/**
 * Turns whatever an `invoke` rejected with into `{kind, message}`.
 * The backend sends `ErrorPayload`; Tauri itself rejects with a plain string
 * (unknown command, permission denied); a broken bridge throws an `Error`.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (typeof error === 'object' && error !== null) {
    const rec = error as Record<string, unknown>;
    const message = typeof rec.message === 'string' ? rec.message.trim() : '';
    if (isErrorKind(rec.kind)) {
      return new ApiError(rec.kind, message || 'Something went wrong.');
    }
    if (message) return new ApiError('unsupported', message);
  }
  if (typeof error === 'string' && error.trim()) {
    return new ApiError('unsupported', error.trim());
  }
  return new ApiError('unsupported', 'Something went wrong, and Gloss was told nothing more.');
}

interface TauriInternals {
  invoke?: unknown;
}

/** True inside the Tauri webview (or when a test has installed `mockIPC`). */
export function backendAvailable(): boolean {
  const internals = (globalThis as { __TAURI_INTERNALS__?: TauriInternals }).__TAURI_INTERNALS__;
  return typeof internals?.invoke === 'function';
}

async function call<T>(cmd: string, args?: InvokeArgs): Promise<T> {
  if (!backendAvailable()) throw new ApiError('unsupported', NO_BACKEND_MESSAGE);
  try {
    return await invoke<T>(cmd, args);
  } catch (error) {
    throw toApiError(error);
  }
}

// ---- Commands ------------------------------------------------------------

export const PAGE_SIZE = 100;

export function listStories(query: ListQuery): Promise<StoryPage> {
  return call<StoryPage>('list_stories', { query });
}

/** The first page of the list and the sidebar's counts in one call: what the window's first paint needs. */
export function firstScreen(query: ListQuery): Promise<FirstScreen> {
  return call<FirstScreen>('first_screen', { query });
}

export function getStory(id: number): Promise<Story> {
  return call<Story>('get_story', { id });
}

export function sidebarCounts(): Promise<SidebarCounts> {
  return call<SidebarCounts>('sidebar_counts');
}

export function searchStories(query: SearchQuery): Promise<SearchHit[]> {
  return call<SearchHit[]>('search_stories', { query });
}

export function saveUrl(url: string, tags: string[] = []): Promise<StorySummary> {
  return call<StorySummary>('save_url', { url, tags });
}

export function saveFile(path: string, tags: string[] = []): Promise<StorySummary> {
  return call<StorySummary>('save_file', { path, tags });
}

export async function setStarred(ids: number[], value: boolean): Promise<void> {
  await call<null>('set_starred', { ids, value });
}

export async function setArchived(ids: number[], value: boolean): Promise<void> {
  await call<null>('set_archived', { ids, value });
}

export async function setRead(ids: number[], value: boolean): Promise<void> {
  await call<null>('set_read', { ids, value });
}

/** Adds and removes tags of one story; resolves with its tags after. */
export function setTags(id: number, add: string[], remove: string[]): Promise<string[]> {
  return call<string[]>('set_tags', { id, add, remove });
}

/** Saves how far a story has been read, 0..1 (clamped here). */
export async function setProgress(id: number, progress: number): Promise<void> {
  const p = Number.isFinite(progress) ? Math.min(1, Math.max(0, progress)) : 0;
  await call<null>('set_progress', { id, progress: p });
}

export async function deleteStories(ids: number[]): Promise<void> {
  await call<null>('delete_stories', { ids });
}

export function libraryInfo(): Promise<LibraryInfo> {
  return call<LibraryInfo>('library_info');
}

export function openLibrary(path: string): Promise<LibraryInfo> {
  return call<LibraryInfo>('open_library', { path });
}

/** Asks the backend to open a link in the system browser (http, https, mailto). */
export async function openExternal(url: string): Promise<void> {
  await call<null>('open_external', { url });
}

// ---- Annotations -------------------------------------------------------------

export function addAnnotation(storyId: number, annotation: NewAnnotation): Promise<Annotation> {
  return call<Annotation>('add_annotation', { storyId, annotation });
}

/** A story's annotations in reading order; orphaned ones (position null) last. */
export function storyAnnotations(storyId: number): Promise<Annotation[]> {
  return call<Annotation[]>('story_annotations', { storyId });
}

export function notebook(query: AnnotationQuery): Promise<NotebookEntry[]> {
  return call<NotebookEntry[]>('notebook', { query });
}

/** Changes what is given; null keeps a field. */
export function updateAnnotation(
  id: number,
  change: { color?: Color | null; note?: string | null; tags?: string[] | null },
): Promise<Annotation> {
  return call<Annotation>('update_annotation', {
    id,
    color: change.color ?? null,
    note: change.note ?? null,
    tags: change.tags ?? null,
  });
}

/** Deletes a highlight and resolves with it (undo adds it again). */
export function deleteAnnotation(id: number): Promise<Annotation> {
  return call<Annotation>('delete_annotation', { id });
}

// ---- Feeds -----------------------------------------------------------------------

export function listFeeds(): Promise<FeedInfo[]> {
  return call<FeedInfo[]>('list_feeds');
}

export function listFolders(): Promise<FolderInfo[]> {
  return call<FolderInfo[]>('list_folders');
}

/** Subscribes to a feed, or to the one a site's home page names. */
export function addFeed(url: string, folder: string | null, fullText: boolean): Promise<FeedInfo> {
  return call<FeedInfo>('add_feed', { url, folder, fullText });
}

/** Unsubscribes; resolves with how many stories were deleted. */
export function removeFeed(id: number, keepStories: boolean): Promise<number> {
  return call<number>('remove_feed', { id, keepStories });
}

export function updateFeed(id: number, settings: FeedSettings): Promise<FeedInfo> {
  return call<FeedInfo>('update_feed', { id, settings });
}

/** Refreshes `ids` (all when empty); progress comes as `feeds-progress` events. */
export function refreshFeeds(ids: number[] = []): Promise<FeedRefreshResult[]> {
  return call<FeedRefreshResult[]>('refresh_feeds', { ids });
}

export async function cancelRefresh(): Promise<void> {
  await call<null>('cancel_refresh');
}

/** Marks a list's stories read; resolves with the ids it changed (undo: setRead(ids, false)). */
export function markAllRead(query: ListQuery): Promise<number[]> {
  return call<number[]>('mark_all_read', { query });
}

export function nextUnread(query: ListQuery, after: number | null): Promise<StorySummary | null> {
  return call<StorySummary | null>('next_unread', { query, after });
}

export function importOpml(path: string): Promise<ImportSummary> {
  return call<ImportSummary>('import_opml', { path });
}

export async function exportOpml(path: string): Promise<void> {
  await call<null>('export_opml', { path });
}

export function addFolder(name: string): Promise<FolderInfo> {
  return call<FolderInfo>('add_folder', { name });
}

export async function renameFolder(id: number, name: string): Promise<void> {
  await call<null>('rename_folder', { id, name });
}

export async function deleteFolder(id: number): Promise<void> {
  await call<null>('delete_folder', { id });
}

// ---- Feed accounts (Fever, Google Reader API) ------------------------------------

export function listAccounts(): Promise<AccountInfo[]> {
  return call<AccountInfo[]>('list_accounts');
}

/** What adding an account takes; `name` null: the server's host name. */
export interface NewAccountArgs {
  kind: AccountKind;
  url: string;
  username: string;
  name: string | null;
  /** The password or API key: it goes to the OS keyring, never the library. */
  secret: string;
}

/** Signs in to the server, then keeps the account. */
export function addAccount(account: NewAccountArgs): Promise<AccountInfo> {
  return call<AccountInfo>('add_account', { ...account });
}

export async function renameAccount(id: number, name: string): Promise<void> {
  await call<null>('rename_account', { id, name });
}

/** Removes an account and its feeds; resolves with how many stories were deleted. */
export function removeAccount(id: number): Promise<number> {
  return call<number>('remove_account', { id });
}

/** Syncs `ids` (all when empty); each account's end comes as an `accounts-progress` event too. */
export function syncAccounts(ids: number[] = []): Promise<AccountSyncResult[]> {
  return call<AccountSyncResult[]>('sync_accounts', { ids });
}

/** Subscribes a Google Reader API account to a feed, on the server. */
export function accountSubscribe(accountId: number, url: string, folder: string | null): Promise<FeedInfo> {
  return call<FeedInfo>('account_subscribe', { accountId, url, folder });
}

/** Unsubscribes an account's feed, on the server. */
export async function accountUnsubscribe(feedId: number): Promise<void> {
  await call<null>('account_unsubscribe', { feedId });
}

/**
 * Renames an account's feed (`title`) and moves it to `folder` ("": no
 * folder), on the server; null leaves that one as it is.
 */
export function accountEditFeed(feedId: number, title: string | null, folder: string | null): Promise<FeedInfo | null> {
  return call<FeedInfo | null>('account_edit_feed', { feedId, title, folder });
}

// ---- Import and export ----------------------------------------------------------

/**
 * Imports another reader's export (or Gloss's own, or OPML). `format` null:
 * detected from the content. `fetch`: download images of the content in the
 * file, then the pages of stories that came as links. Progress comes as
 * `import-progress` events.
 */
export function importFile(path: string, format: string | null, fetch: boolean): Promise<ImportReport> {
  return call<ImportReport>('import_file', { path, format, fetch });
}

/** Stops the import under way between two stories (what was written stays). */
export async function cancelImport(): Promise<void> {
  await call<null>('cancel_import');
}

/** Writes an export; progress comes as `export-progress` events. */
export function exportLibrary(request: ExportRequest): Promise<ExportReport> {
  return call<ExportReport>('export_library', { request });
}

/** Stops the export under way; nothing half-written is left. */
export async function cancelExport(): Promise<void> {
  await call<null>('cancel_export');
}

// ---- The app itself ----------------------------------------------------------

/** Version, library, licence and homepage for the About box. */
// ---- Sync ----------------------------------------------------------------

export function syncStatus(): Promise<SyncStatus> {
  return call<SyncStatus>('sync_status');
}

/** Syncs now (when sync is on) and resolves to how it stands afterwards. */
export function syncNow(): Promise<SyncStatus> {
  return call<SyncStatus>('sync_now');
}

/** Syncs through a folder; a passphrase encrypts every file there. */
export function syncSetupFolder(path: string, passphrase: string | null, merge: boolean): Promise<SyncStatus> {
  return call<SyncStatus>('sync_setup_folder', { path, passphrase, merge });
}

/** Syncs through a WebDAV collection; the password goes to the system keyring. */
export function syncSetupWebdav(setup: WebdavSetup): Promise<SyncStatus> {
  return call<SyncStatus>('sync_setup_webdav', { ...setup });
}

/** What Settings › Sync sends for a WebDAV server. */
export interface WebdavSetup {
  url: string;
  user: string;
  password: string;
  passphrase: string | null;
  merge: boolean;
}

export function syncOff(): Promise<SyncStatus> {
  return call<SyncStatus>('sync_off');
}

export function aboutInfo(): Promise<AboutInfo> {
  return call<AboutInfo>('about_info');
}

/** Asks the release server for a newer signed Gloss: only ever on the user's word. */
export function checkForUpdate(): Promise<UpdateCheck> {
  return call<UpdateCheck>('check_for_update');
}

/** Downloads, verifies and installs the newer release, then Gloss restarts. */
export async function installUpdate(): Promise<void> {
  await call<null>('install_update');
}

/**
 * Tells the backend that the first list is painted and the listeners are in
 * place: links and files that started the app (gloss://save?url=…, "Open
 * with Gloss") are carried out now, and the start-up work that waited for
 * the paint (handoff listener, health check, backups) begins.
 */
export async function launchReady(): Promise<void> {
  await call<null>('launch_ready');
}

// ---- The library's health ------------------------------------------------------

/**
 * Whether the library is sound, with the automatic backups that could
 * replace it. Waits for the check the app runs after start-up.
 */
export function libraryHealth(): Promise<LibraryHealth> {
  return call<LibraryHealth>('library_health');
}

/** Puts a backup in place of the damaged library (the damaged file is kept aside). */
export function restoreBackup(path: string): Promise<LibraryHealth> {
  return call<LibraryHealth>('restore_backup', { path });
}

/** Starts with an empty library in place of the damaged one (kept aside). */
export function startEmptyLibrary(): Promise<LibraryHealth> {
  return call<LibraryHealth>('start_empty_library');
}

// ---- Events ----------------------------------------------------------------

const noop: UnlistenFn = () => {};

/** Listens to one backend event; `EventName` is generated from
 * `src-tauri/events.rs`, so a name the backend never sends does not compile. */
async function subscribe<T>(event: EventName, handler: (payload: T) => void): Promise<UnlistenFn> {
  if (!backendAvailable()) return noop;
  try {
    return await listen<T>(event, (e) => handler(e.payload));
  } catch (error) {
    throw toApiError(error);
  }
}

/** The library changed (a save, an edit from the CLI, another library opened). */
export function onLibraryChanged(handler: (payload: LibraryChanged) => void): Promise<UnlistenFn> {
  return subscribe<LibraryChanged>('library-changed', handler);
}

/** Progress of the saves under way, each identified by its `source`. */
export function onSaveProgress(handler: (payload: SaveProgress) => void): Promise<UnlistenFn> {
  return subscribe<SaveProgress>('save-progress', handler);
}

/** One feed's stage in a refresh under way. */
export function onFeedsProgress(handler: (payload: FeedProgress) => void): Promise<UnlistenFn> {
  return subscribe<FeedProgress>('feeds-progress', handler);
}

/** One account's sync ended. */
export function onAccountsProgress(handler: (payload: AccountSyncResult) => void): Promise<UnlistenFn> {
  return subscribe<AccountSyncResult>('accounts-progress', handler);
}

/** How far the import under way is. */
export function onImportProgress(handler: (payload: ImportProgress) => void): Promise<UnlistenFn> {
  return subscribe<ImportProgress>('import-progress', handler);
}

/** How far the export under way is. */
export function onExportProgress(handler: (payload: ExportProgress) => void): Promise<UnlistenFn> {
  return subscribe<ExportProgress>('export-progress', handler);
}

/** Sync ran, was set up or turned off. */
export function onSyncStatus(handler: (payload: SyncStatus) => void): Promise<UnlistenFn> {
  return subscribe<SyncStatus>('sync-status', handler);
}

/** An item of the native menu bar was chosen. */
export function onMenuAction(handler: (action: MenuAction) => void): Promise<UnlistenFn> {
  return subscribe<MenuAction>('menu-action', handler);
}

/** A link or file opened with Gloss was saved: show this story. */
export function onShowStory(handler: (id: number) => void): Promise<UnlistenFn> {
  return subscribe<number>('show-story', handler);
}

/** The library's health changed: damage found, a backup failed, a backup put back. */
export function onLibraryHealth(handler: (health: LibraryHealth) => void): Promise<UnlistenFn> {
  return subscribe<LibraryHealth>('library-health', handler);
}

/** A sentence from the backend for the user (a refused link, an import's outcome). */
export function onAppMessage(handler: (message: string) => void): Promise<UnlistenFn> {
  return subscribe<string>('app-message', handler);
}

export type FileDropEvent =
  | { type: 'enter' | 'over'; paths: string[] }
  | { type: 'drop'; paths: string[] }
  | { type: 'leave'; paths: string[] };

/**
 * Files dragged onto the window. The webview reports real file paths only
 * through Tauri's drag-drop event (the DOM `drop` event has no paths).
 */
export async function onFileDrop(handler: (event: FileDropEvent) => void): Promise<UnlistenFn> {
  if (!backendAvailable()) return noop;
  try {
    return await getCurrentWebview().onDragDropEvent((e) => {
      const p = e.payload;
      switch (p.type) {
        case 'enter':
          handler({ type: 'enter', paths: p.paths });
          break;
        case 'over':
          handler({ type: 'over', paths: [] });
          break;
        case 'drop':
          handler({ type: 'drop', paths: p.paths });
          break;
        default:
          handler({ type: 'leave', paths: [] });
      }
    });
  } catch (error) {
    throw toApiError(error);
  }
}

// ---- Dialogs ---------------------------------------------------------------

export const SAVEABLE_FILE_EXTENSIONS = ['html', 'htm', 'txt', 'md'] as const;
export const LIBRARY_FILE_EXTENSIONS = ['gloss', 'sqlite', 'db'] as const;

/** The native file picker for pages to save; resolves with [] when cancelled. */
export async function pickFilesToSave(): Promise<string[]> {
  if (!backendAvailable()) throw new ApiError('unsupported', NO_BACKEND_MESSAGE);
  try {
    const picked = await openDialog({
      title: 'Save pages to Gloss',
      multiple: true,
      directory: false,
      filters: [{ name: 'Web pages and text', extensions: [...SAVEABLE_FILE_EXTENSIONS] }],
    });
    return picked ?? [];
  } catch (error) {
    throw toApiError(error);
  }
}

/** The native file picker for another library; resolves with null when cancelled. */
export async function pickLibraryFile(): Promise<string | null> {
  if (!backendAvailable()) throw new ApiError('unsupported', NO_BACKEND_MESSAGE);
  try {
    return await openDialog({
      title: 'Open a Gloss library',
      multiple: false,
      directory: false,
      filters: [{ name: 'Gloss library', extensions: [...LIBRARY_FILE_EXTENSIONS] }],
    });
  } catch (error) {
    throw toApiError(error);
  }
}

/** The native file picker for an OPML file to import; null when cancelled. */
export async function pickOpmlToImport(): Promise<string | null> {
  if (!backendAvailable()) throw new ApiError('unsupported', NO_BACKEND_MESSAGE);
  try {
    return await openDialog({
      title: 'Import feeds (OPML)',
      multiple: false,
      directory: false,
      filters: [{ name: 'OPML', extensions: ['opml', 'xml'] }],
    });
  } catch (error) {
    throw toApiError(error);
  }
}

/** The native save dialog for the OPML export; null when cancelled. */
export async function pickOpmlExportPath(): Promise<string | null> {
  if (!backendAvailable()) throw new ApiError('unsupported', NO_BACKEND_MESSAGE);
  try {
    return await saveDialog({
      title: 'Export feeds (OPML)',
      defaultPath: 'gloss-feeds.opml',
      filters: [{ name: 'OPML', extensions: ['opml'] }],
    });
  } catch (error) {
    throw toApiError(error);
  }
}

/** The native file picker for an export to import; null when cancelled. */
export async function pickImportFile(): Promise<string | null> {
  if (!backendAvailable()) throw new ApiError('unsupported', NO_BACKEND_MESSAGE);
  try {
    return await openDialog({
      title: 'Import into Gloss',
      multiple: false,
      directory: false,
      filters: [
        { name: 'Exports of readers and browsers', extensions: ['csv', 'zip', 'json', 'html', 'htm', 'opml', 'xml'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
  } catch (error) {
    throw toApiError(error);
  }
}

/**
 * Where an export goes: the save dialog for a file (`extension` given), or
 * the folder picker for one file per story (`extension` null). Null when cancelled.
 */
export async function pickExportDestination(defaultName: string, extension: string | null): Promise<string | null> {
  if (!backendAvailable()) throw new ApiError('unsupported', NO_BACKEND_MESSAGE);
  try {
    if (extension === null) {
      return await openDialog({ title: 'Export to a folder', multiple: false, directory: true });
    }
    return await saveDialog({
      title: 'Export from Gloss',
      defaultPath: defaultName,
      filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
    });
  } catch (error) {
    throw toApiError(error);
  }
}
