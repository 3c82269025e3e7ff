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
import { open as openDialog } from '@tauri-apps/plugin-dialog';

import type { ErrorKind } from './bindings/ErrorKind';
import type { ErrorPayload } from './bindings/ErrorPayload';
import type { LibraryChanged } from './bindings/LibraryChanged';
import type { LibraryInfo } from './bindings/LibraryInfo';
import type { ListQuery } from './bindings/ListQuery';
import type { SaveProgress } from './bindings/SaveProgress';
import type { SearchHit } from './bindings/SearchHit';
import type { SearchQuery } from './bindings/SearchQuery';
import type { SidebarCounts } from './bindings/SidebarCounts';
import type { Story } from './bindings/Story';
import type { StoryPage } from './bindings/StoryPage';
import type { StorySummary } from './bindings/StorySummary';

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

// ---- Events ----------------------------------------------------------------

const noop: UnlistenFn = () => {};

async function subscribe<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
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
