// Feeds in the window: the sidebar's folders and feeds, refreshing them
// (with the backend's `feeds-progress` events), and the refresh schedule.
//
// The schedule is a JavaScript timer in the window, not a backend job: the
// app refreshes while it runs and its window is open, on start and then every
// N minutes (Settings; `localStorage`, default 30, 0 = only by hand).

import * as api from '../api';
import type { FeedInfo } from '../bindings/FeedInfo';
import type { FeedProgress } from '../bindings/FeedProgress';
import type { FeedRefreshResult } from '../bindings/FeedRefreshResult';
import type { FeedSettings } from '../bindings/FeedSettings';
import type { FeedStage } from '../bindings/FeedStage';
import type { FolderInfo } from '../bindings/FolderInfo';
import { quoted } from './format';

// ---- The sidebar's tree (pure) ----------------------------------------------------

export interface FolderNode {
  folder: FolderInfo;
  feeds: FeedInfo[];
  /** Feeds of the folder with errors. */
  failing: number;
}

export interface FeedTree {
  folders: FolderNode[];
  /** Feeds in no folder. */
  loose: FeedInfo[];
}

const byTitle = (a: { title: string }, b: { title: string }): number =>
  a.title.localeCompare(b.title, undefined, { sensitivity: 'base' });

/**
 * Folders (by name) with their feeds (by title), then the feeds in no folder.
 * Only local feeds: an account's feeds are shown under the account
 * (`accounts.svelte.ts`), and a folder that holds only account feeds is not
 * shown here.
 */
export function feedTree(all: readonly FeedInfo[], folders: readonly FolderInfo[]): FeedTree {
  const feeds = all.filter((f) => f.account_id === null);
  const nodes = [...folders]
    .filter((folder) => folder.feeds === 0 || feeds.some((f) => f.folder_id === folder.id))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))
    .map((folder) => {
      const own = feeds.filter((f) => f.folder_id === folder.id).sort(byTitle);
      return { folder, feeds: own, failing: own.filter((f) => f.error_count > 0).length };
    });
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local, never rendered
  const known = new Set(folders.map((f) => f.id));
  const loose = feeds.filter((f) => f.folder_id === null || !known.has(f.folder_id)).sort(byTitle);
  return { folders: nodes, loose };
}

/** The feed's title, or its address when it has none. */
export function feedName(f: Pick<FeedInfo, 'title' | 'url'>): string {
  return f.title.trim() || f.url;
}

/** What a refresh did, in words, for a toast. */
export function refreshSummary(results: readonly FeedRefreshResult[]): string {
  const added = results.reduce((n, r) => n + r.new, 0);
  const failed = results.filter((r) => r.error !== null).length;
  const parts = [added === 0 ? 'No new stories' : `${added} new ${added === 1 ? 'story' : 'stories'}`];
  if (failed > 0) parts.push(`${failed} ${failed === 1 ? 'feed' : 'feeds'} could not be refreshed`);
  return `${parts.join('; ')}.`;
}

// ---- Settings kept in localStorage ---------------------------------------------------

export const REFRESH_MINUTES_KEY = 'gloss.feeds.refreshMinutes';
export const DEFAULT_REFRESH_MINUTES = 30;
export const REFRESH_CHOICES = [0, 15, 30, 60, 120, 240] as const;
const COLLAPSED_KEY = 'gloss.feeds.collapsed';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Minutes between automatic refreshes; 0: only by hand. */
export function loadRefreshMinutes(): number {
  const raw = storage()?.getItem(REFRESH_MINUTES_KEY);
  if (raw === null || raw === undefined) return DEFAULT_REFRESH_MINUTES;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= 24 * 60 ? n : DEFAULT_REFRESH_MINUTES;
}

export function saveRefreshMinutes(n: number): void {
  storage()?.setItem(REFRESH_MINUTES_KEY, String(n));
}

function loadCollapsed(): number[] {
  try {
    const v: unknown = JSON.parse(storage()?.getItem(COLLAPSED_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
}

// ---- The schedule (pure timing; tested with fake timers) ---------------------------------

/**
 * Runs `run` once at start and then every `minutes` (0: never again). Changing
 * the interval restarts the wait from now. A run that is still going when the
 * timer fires is not started twice (`run` resolves when it is done).
 */
export class RefreshSchedule {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running = false;
  private minutes = 0;

  constructor(private readonly run: () => Promise<unknown>) {}

  start(minutes: number): void {
    void this.fire();
    this.setInterval(minutes);
  }

  setInterval(minutes: number): void {
    this.minutes = minutes;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (minutes > 0) this.timer = setInterval(() => void this.fire(), minutes * 60_000);
  }

  get interval(): number {
    return this.minutes;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async fire(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.run();
    } catch {
      // The run reports its own errors.
    } finally {
      this.running = false;
    }
  }
}

// ---- State ---------------------------------------------------------------------------

export class Feeds {
  feeds = $state.raw<FeedInfo[]>([]);
  folders = $state.raw<FolderInfo[]>([]);
  error = $state<api.ApiError | null>(null);
  loaded = $state(false);
  collapsed = $state<number[]>(loadCollapsed());

  refreshing = $state(false);
  /** Feeds finished and in all, during a refresh. */
  progress = $state({ done: 0, total: 0 });
  /** The stage of each feed in the refresh under way. */
  stages = $state<Record<number, FeedStage>>({});
  refreshMinutes = $state(loadRefreshMinutes());

  readonly schedule: RefreshSchedule;
  private loadSeq = 0;

  /**
   * `alsoOnSchedule`: what else runs on the refresh schedule and with
   * "Refresh all" (the feed accounts' sync), beside the local feeds' refresh.
   */
  constructor(
    private readonly toast: (message: string) => void,
    private readonly alsoOnSchedule: (quiet: boolean) => Promise<unknown> = () => Promise.resolve(),
  ) {
    this.schedule = new RefreshSchedule(() => this.refreshAll({ quiet: true }));
  }

  /** Local feeds (not an account's: those sync with their server). */
  local = $derived(this.feeds.filter((f) => f.account_id === null));

  tree = $derived(feedTree(this.feeds, this.folders));

  feed(id: number): FeedInfo | undefined {
    return this.feeds.find((f) => f.id === id);
  }

  folder(id: number): FolderInfo | undefined {
    return this.folders.find((f) => f.id === id);
  }

  async load(): Promise<void> {
    const seq = ++this.loadSeq;
    try {
      const [feeds, folders] = await Promise.all([api.listFeeds(), api.listFolders()]);
      if (seq !== this.loadSeq) return;
      this.feeds = feeds;
      this.folders = folders;
      this.error = null;
    } catch (e) {
      if (seq === this.loadSeq) this.error = api.toApiError(e);
    } finally {
      if (seq === this.loadSeq) this.loaded = true;
    }
  }

  isCollapsed(folderId: number): boolean {
    return this.collapsed.includes(folderId);
  }

  toggleFolder(folderId: number): void {
    this.collapsed = this.isCollapsed(folderId) ? this.collapsed.filter((x) => x !== folderId) : [...this.collapsed, folderId];
    storage()?.setItem(COLLAPSED_KEY, JSON.stringify(this.collapsed));
  }

  setRefreshMinutes(n: number): void {
    this.refreshMinutes = n;
    saveRefreshMinutes(n);
    this.schedule.setInterval(n);
  }

  /** Refresh on start, then on the schedule. */
  startSchedule(): void {
    this.schedule.start(this.refreshMinutes);
  }

  onProgress(p: FeedProgress): void {
    if (!this.refreshing) this.refreshing = true;
    this.progress = { done: p.done, total: p.total };
    this.stages = { ...this.stages, [p.feed_id]: p.stage };
  }

  /** The local feeds' refresh and the accounts' sync, side by side. */
  async refreshAll({ quiet = false } = {}): Promise<void> {
    await Promise.all([this.refresh([], { quiet }), this.alsoOnSchedule(quiet)]);
  }

  /**
   * Refreshes the local feeds `ids` (all when empty). Quiet (the schedule): no toast unless
   * something new came. Nothing to do when there are no feeds.
   */
  async refresh(ids: number[] = [], { quiet = false } = {}): Promise<FeedRefreshResult[] | null> {
    if (!this.loaded) await this.load();
    if (this.local.length === 0) return null;
    if (this.refreshing) {
      if (!quiet) this.toast('A refresh is already under way.');
      return null;
    }
    this.refreshing = true;
    this.progress = { done: 0, total: ids.length || this.local.length };
    this.stages = {};
    try {
      const results = await api.refreshFeeds(ids);
      const added = results.reduce((n, r) => n + r.new, 0);
      if (!quiet || added > 0) this.toast(refreshSummary(results));
      return results;
    } catch (e) {
      const err = api.toApiError(e);
      if (err.kind !== 'cancelled' || !quiet) this.toast(err.kind === 'cancelled' ? 'Refresh cancelled.' : `Could not refresh: ${err.message}`);
      return null;
    } finally {
      this.refreshing = false;
      this.stages = {};
      void this.load();
    }
  }

  async cancel(): Promise<void> {
    try {
      await api.cancelRefresh();
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }

  /** Subscribes; rejects with the backend's error for the dialog to show. */
  async subscribe(url: string, folder: string | null, fullText: boolean): Promise<FeedInfo> {
    const feed = await api.addFeed(url, folder, fullText);
    await this.load();
    return feed;
  }

  async update(id: number, settings: Partial<FeedSettings>): Promise<boolean> {
    try {
      await api.updateFeed(id, { title: null, folder: null, full_text: null, retention_days: null, ...settings });
      await this.load();
      return true;
    } catch (e) {
      this.toast(api.toApiError(e).message);
      return false;
    }
  }

  async remove(id: number, keepStories: boolean): Promise<boolean> {
    const name = feedName(this.feed(id) ?? { title: '', url: 'the feed' });
    try {
      const deleted = await api.removeFeed(id, keepStories);
      await this.load();
      this.toast(
        keepStories || deleted === 0
          ? `Unsubscribed from ${quoted(name)}; its stories stay in the library.`
          : `Unsubscribed from ${quoted(name)}; ${deleted} ${deleted === 1 ? 'story' : 'stories'} deleted.`,
      );
      return true;
    } catch (e) {
      this.toast(api.toApiError(e).message);
      return false;
    }
  }

  /**
   * Renames a folder; resolves with the backend's error (for the dialog to
   * show) or null when it is done.
   */
  async renameFolder(id: number, name: string): Promise<api.ApiError | null> {
    const clean = name.trim();
    if (clean === '') return new api.ApiError('invalid_input', 'A folder needs a name.');
    if (clean === this.folder(id)?.name) return null;
    try {
      await api.renameFolder(id, clean);
      await this.load();
      return null;
    } catch (e) {
      return api.toApiError(e);
    }
  }

  /** Deletes a folder; its feeds stay, outside any folder. */
  async deleteFolder(id: number): Promise<boolean> {
    const name = this.folder(id)?.name ?? 'the folder';
    try {
      await api.deleteFolder(id);
      if (this.isCollapsed(id)) this.toggleFolder(id);
      await this.load();
      this.toast(`Folder ${quoted(name)} deleted; its feeds are now outside any folder.`);
      return true;
    } catch (e) {
      this.toast(api.toApiError(e).message);
      return false;
    }
  }

  async importOpml(): Promise<void> {
    try {
      const path = await api.pickOpmlToImport();
      if (!path) return;
      const s = await api.importOpml(path);
      await this.load();
      const skipped = s.skipped.length ? `; ${s.skipped.length} skipped (${s.skipped.slice(0, 2).join('; ')})` : '';
      this.toast(`Imported ${s.added} ${s.added === 1 ? 'feed' : 'feeds'} (${s.existing} already followed)${skipped}.`);
      if (s.added > 0) void this.refresh([], { quiet: true });
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }

  async exportOpml(): Promise<void> {
    try {
      const path = await api.pickOpmlExportPath();
      if (!path) return;
      await api.exportOpml(path);
      this.toast('Feeds exported.');
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }
}
