// The application's state and the things a user does, in one place so that
// buttons, keyboard shortcuts, paste and drop all go through the same code.
// Navigation, story actions, settings and toasts are here; saving, search,
// feeds, annotations and import/export each have their own module, which
// this one holds and wires together.

import * as api from '../api';
import type { ListFilter } from '../bindings/ListFilter';
import type { SaveProgress } from '../bindings/SaveProgress';
import type { SidebarCounts } from '../bindings/SidebarCounts';
import type { Story } from '../bindings/Story';
import type { StorySummary } from '../bindings/StorySummary';
import type { LibraryInfo } from '../bindings/LibraryInfo';
import { Accounts } from './accounts.svelte';
import { Annotations } from './annotations.svelte';
import { Feeds } from './feeds.svelte';
import { Portability } from './portability.svelte';
import { loadPanes, savePanes, type PaneSizes } from './layout';
import { PendingDeletes } from './pending';
import { Saving, type SaveItem } from './saving.svelte';
import { Search } from './search.svelte';
import { StoryList, sameView, viewQuery, type ListView } from './storyList.svelte';
import { loadTypography, saveTypography, stepSize, type Typography } from './typography';
import { baseName } from './urls';
import { quoted } from './format';
import { markStartup } from './firstPaint';

export type { SaveItem };

export interface Toast {
  id: number;
  message: string;
  action?: { label: string; run: () => void };
  timeoutMs: number;
}

export type Dialog = 'help' | 'tags' | 'settings' | 'subscribe' | 'feed' | 'folder' | 'about' | 'import' | 'export' | 'add-account' | 'account' | null;

const UNDO_MS = 6000;

export class App {
  readonly list: StoryList;
  readonly pending: PendingDeletes;
  readonly feeds: Feeds;
  /** Feed accounts (Fever, Google Reader API): their feeds sync with their server. */
  readonly accounts: Accounts;
  readonly annotations: Annotations;
  /** Import and Export (their dialogs, progress and summaries). */
  readonly portability: Portability;
  /** The saves under way or failed (the save bar). */
  readonly saving: Saving;
  /** The search bar, its results and its matches in the open story. */
  readonly search: Search;

  /** The Notebook replaces the story list. */
  notebookShown = $state(false);
  /** The feed the feed settings dialog edits. */
  feedTarget = $state<number | null>(null);
  /** The folder the folder dialog renames or deletes. */
  folderTarget = $state<number | null>(null);

  counts = $state<SidebarCounts | null>(null);
  countsError = $state<api.ApiError | null>(null);

  /** The story selected in the list (or search results). */
  selectedId = $state<number | null>(null);
  /** The story in the reader. */
  story = $state<Story | null>(null);
  storyError = $state<api.ApiError | null>(null);
  storyLoading = $state(false);
  /** Narrow window: true while the reader replaces the list. */
  readerShown = $state(false);

  toasts = $state<Toast[]>([]);
  dialog = $state<Dialog>(null);
  /** The story whose tags the tag editor edits. */
  tagTarget = $state<number | null>(null);

  typography = $state<Typography>(loadTypography());
  panes = $state<PaneSizes>(loadPanes());
  library = $state<LibraryInfo | null>(null);

  /** Ids whose deletion waits for its undo toast. */
  hiddenVersion = $state(0);

  private toastSeq = 1;
  private storySeq = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.pending = new PendingDeletes(
      (ids) => void this.commitDelete(ids),
      UNDO_MS,
      () => this.hiddenVersion++,
    );
    this.list = new StoryList(api.listStories, () => this.pending.hiddenIds());
    this.feeds = new Feeds(
      (m) => this.toast(m),
      (quiet) => this.accounts.sync([], { quiet }),
    );
    this.accounts = new Accounts(
      (m) => this.toast(m),
      () => this.feeds.load(),
    );
    this.annotations = new Annotations((m, a, t) => this.toast(m, a, t));
    this.portability = new Portability(
      (m, a, t) => this.toast(m, a, t),
      (which) => this.dialog === which,
      (which) => (this.dialog = which),
    );
    this.saving = new Saving(
      (m, a) => this.toast(m, a),
      (id) => this.open(id),
    );
    this.search = new Search(
      () => this.pending.hiddenIds(),
      () => this.story?.id ?? null,
    );
  }

  // ---- Start-up and events ----------------------------------------------

  /**
   * Only what the first screen needs: the first page and the counts, in one
   * call (`first_screen`), so the window paints after one trip to the backend.
   */
  async start(): Promise<void> {
    const first = api.firstScreen(viewQuery(this.list.view, null, api.PAGE_SIZE));
    void first.then(() => markStartup('first-ipc'), () => {});
    const counts = first.then(
      (f) => {
        this.counts = f.counts;
        this.countsError = null;
      },
      (e: unknown) => {
        this.countsError = api.toApiError(e);
      },
    );
    await Promise.all([this.list.show(this.list.view, first.then((f) => f.page)), counts]);
  }

  async refreshCounts(): Promise<void> {
    try {
      this.counts = await api.sidebarCounts();
      this.countsError = null;
    } catch (e) {
      this.countsError = api.toApiError(e);
    }
  }

  /** `library-changed`: reload what is shown (coalesced: a bulk change sends many). */
  libraryChanged(ids: number[]): void {
    if (this.reloadTimer !== null) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      void this.list.reload();
      void this.refreshCounts();
      void this.feeds.load();
      void this.accounts.load();
      if (this.search.active) void this.search.run();
      const open = this.story;
      if (open && (ids.length === 0 || ids.includes(open.id))) {
        void this.refreshOpenStory(open.id);
        void this.annotations.load(open.id);
      }
      if (this.notebookShown) void this.annotations.loadNotebook();
    }, 60);
  }

  private async refreshOpenStory(id: number): Promise<void> {
    try {
      const s = await api.getStory(id);
      // Keep the reader where it is: only the fields the chrome shows change.
      if (this.story?.id === id) {
        this.story = { ...this.story, starred: s.starred, archived: s.archived, read: s.read, tags: s.tags };
      }
    } catch (e) {
      const err = api.toApiError(e);
      if (err.kind === 'not_found' && this.story?.id === id) this.closeStory();
    }
  }

  // ---- Navigation ---------------------------------------------------------

  showView(view: ListView): void {
    if (!sameView(view, this.list.view) || this.list.error) void this.list.show(view);
    this.notebookShown = false;
    this.readerShown = false;
  }

  showNotebook(): void {
    this.notebookShown = true;
    this.readerShown = false;
    if (this.search.active) this.search.clear();
    void this.annotations.loadNotebook();
  }

  /** Opens a story at one of its highlights (the Notebook, the side panel). */
  async openAnnotation(storyId: number, annotationId: number): Promise<void> {
    this.annotations.focusId = annotationId;
    this.annotations.focusSeq++;
    await this.open(storyId);
  }

  /** The next unread story of the list shown, after the open (or selected) one. */
  async nextUnread(): Promise<void> {
    const after = this.story?.id ?? this.selectedId;
    try {
      const next = await api.nextUnread(viewQuery(this.list.view, null, null), after);
      if (!next || next.id === after) {
        this.toast('No more unread stories here.');
        return;
      }
      await this.open(next.id);
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }

  /** Marks every story of the list shown read, with an Undo toast. */
  async markAllRead(): Promise<void> {
    try {
      const ids = await api.markAllRead(viewQuery(this.list.view, null, null));
      if (ids.length === 0) {
        this.toast('Nothing unread here.');
        return;
      }
      for (const id of ids) this.applyLocal(id, { read: true });
      this.toast(
        `Marked ${ids.length} ${ids.length === 1 ? 'story' : 'stories'} read.`,
        {
          label: 'Undo',
          run: () => {
            api.setRead(ids, false).catch((e: unknown) => this.toast(api.toApiError(e).message));
          },
        },
        UNDO_MS,
      );
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }

  openFeedSettings(id: number): void {
    this.feedTarget = id;
    this.dialog = 'feed';
  }

  openAccount(id: number): void {
    this.accounts.target = id;
    this.dialog = 'account';
  }

  openFolderSettings(id: number): void {
    this.folderTarget = id;
    this.dialog = 'folder';
  }

  showFilter(filter: ListFilter): void {
    this.showView({ kind: 'filter', filter });
  }

  /** Ids in the order the visible list shows them. */
  visibleIds(): number[] {
    if (this.search.active) return this.search.results.map((h) => h.id);
    return this.list.rows.map((r) => r.id);
  }

  async move(step: 1 | -1, openIt: boolean): Promise<void> {
    const ids = this.visibleIds();
    if (ids.length === 0) return;
    const cur = this.selectedId === null ? -1 : ids.indexOf(this.selectedId);
    let next = cur < 0 ? (step > 0 ? 0 : ids.length - 1) : cur + step;
    if (!this.search.active && next >= ids.length - 5) void this.list.ensure(next + api.PAGE_SIZE);
    next = Math.min(ids.length - 1, Math.max(0, next));
    const id = ids[next];
    if (id === undefined) return;
    this.selectedId = id;
    if (openIt) await this.open(id);
  }

  async open(id: number): Promise<void> {
    this.selectedId = id;
    this.readerShown = true;
    if (this.story?.id === id) return;
    const seq = ++this.storySeq;
    this.storyLoading = true;
    this.storyError = null;
    try {
      const s = await api.getStory(id);
      if (seq === this.storySeq) this.story = s;
    } catch (e) {
      if (seq === this.storySeq) {
        this.story = null;
        this.storyError = api.toApiError(e);
      }
    } finally {
      if (seq === this.storySeq) this.storyLoading = false;
    }
  }

  closeStory(): void {
    this.storySeq++;
    this.story = null;
    this.storyError = null;
    this.storyLoading = false;
    this.readerShown = false;
  }

  // ---- Story actions -----------------------------------------------------

  /** The story an action applies to: the open one when the reader is in front, else the selected one. */
  targetId(): number | null {
    return this.selectedId ?? this.story?.id ?? null;
  }

  private summaryOf(id: number): Pick<StorySummary, 'starred' | 'archived' | 'read' | 'title' | 'tags'> | null {
    if (this.story?.id === id) return this.story;
    const row = this.list.get(id);
    if (row) return row;
    return this.search.hit(id) ?? null;
  }

  private applyLocal(id: number, change: Partial<StorySummary>): void {
    this.list.patch(id, change);
    if (this.story?.id === id) this.story = { ...this.story, ...change };
    this.search.patch(id, change);
  }

  private async flag(
    id: number,
    field: 'starred' | 'archived' | 'read',
    value: boolean,
    send: (ids: number[], v: boolean) => Promise<void>,
  ): Promise<void> {
    const before = this.summaryOf(id);
    this.applyLocal(id, { [field]: value });
    try {
      await send([id], value);
    } catch (e) {
      if (before) this.applyLocal(id, { [field]: before[field] });
      this.toast(api.toApiError(e).message);
    }
  }

  async toggleStar(id = this.targetId()): Promise<void> {
    if (id === null) return;
    const s = this.summaryOf(id);
    await this.flag(id, 'starred', !(s?.starred ?? false), api.setStarred);
  }

  async toggleArchive(id = this.targetId()): Promise<void> {
    if (id === null) return;
    const s = this.summaryOf(id);
    const value = !(s?.archived ?? false);
    await this.flag(id, 'archived', value, api.setArchived);
    this.toast(value ? 'Archived.' : 'Moved back to the inbox.');
  }

  async toggleRead(id = this.targetId()): Promise<void> {
    if (id === null) return;
    const s = this.summaryOf(id);
    await this.flag(id, 'read', !(s?.read ?? false), api.setRead);
  }

  async markRead(id: number): Promise<void> {
    const s = this.summaryOf(id);
    if (s?.read) return;
    await this.flag(id, 'read', true, api.setRead);
  }

  async updateTags(id: number, add: string[], remove: string[]): Promise<boolean> {
    try {
      const tags = await api.setTags(id, add, remove);
      this.applyLocal(id, { tags });
      return true;
    } catch (e) {
      this.toast(api.toApiError(e).message);
      return false;
    }
  }

  openTagEditor(id = this.targetId()): void {
    if (id === null) return;
    this.tagTarget = id;
    this.dialog = 'tags';
  }

  tagsOf(id: number): string[] {
    return this.summaryOf(id)?.tags ?? [];
  }

  titleOf(id: number): string {
    return this.summaryOf(id)?.title ?? 'this story';
  }

  /**
   * Delete with Undo: the story disappears now, but `delete_stories` is only
   * sent when the toast expires (UNDO_MS, about 6 s). Undo cancels the timer,
   * so nothing ever has to be restored.
   */
  deleteStory(id = this.targetId()): void {
    if (id === null) return;
    const title = this.titleOf(id);
    const ids = this.visibleIds();
    const at = ids.indexOf(id);
    const entry = this.pending.schedule([id], title);
    this.list.remove([id]);
    this.search.remove(id);
    if (this.story?.id === id) this.closeStory();
    if (this.selectedId === id) {
      const rest = this.visibleIds();
      this.selectedId = rest[Math.min(at, rest.length - 1)] ?? null;
    }
    this.toast(`Deleted ${quoted(title)}.`, {
      label: 'Undo',
      run: () => {
        if (this.pending.undo(entry.token)) {
          void this.list.reload();
          if (this.search.active) void this.search.run();
        }
      },
    }, UNDO_MS);
  }

  private async commitDelete(ids: number[]): Promise<void> {
    try {
      await api.deleteStories(ids);
    } catch (e) {
      this.toast(`Could not delete: ${api.toApiError(e).message}`);
      void this.list.reload();
    }
  }

  async openOriginal(url: string): Promise<void> {
    try {
      await api.openExternal(url);
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }

  // ---- Saving (the work is `Saving`'s) -----------------------------------

  /** The save bar's lines. */
  get saves(): SaveItem[] {
    return this.saving.items;
  }

  saveUrl(url: string): Promise<void> {
    return this.saving.saveUrl(url);
  }

  saveFile(path: string): Promise<void> {
    return this.saving.saveFile(path);
  }

  retrySave(source: string): Promise<void> {
    return this.saving.retry(source);
  }

  dismissSave(source: string): void {
    this.saving.dismiss(source);
  }

  /** `save-progress` from the backend. */
  saveProgress(p: SaveProgress): void {
    this.saving.progress(p);
  }

  pickFiles(): Promise<void> {
    return this.saving.pickFiles();
  }

  // ---- Settings ----------------------------------------------------------

  setTypography(t: Typography): void {
    this.typography = t;
    saveTypography(t);
  }

  textSize(direction: 1 | -1): void {
    this.setTypography(stepSize(this.typography, direction));
  }

  setPanes(p: PaneSizes): void {
    this.panes = p;
    savePanes(p);
  }

  async loadLibraryInfo(): Promise<void> {
    try {
      this.library = await api.libraryInfo();
    } catch (e) {
      this.library = null;
      this.toast(api.toApiError(e).message);
    }
  }

  async openOtherLibrary(): Promise<void> {
    try {
      const path = await api.pickLibraryFile();
      if (!path) return;
      this.library = await api.openLibrary(path);
      this.closeStory();
      this.selectedId = null;
      this.search.clear();
      await Promise.all([this.list.show(this.list.view), this.refreshCounts()]);
      this.toast(`Opened ${baseName(path)}.`);
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }

  // ---- Toasts ------------------------------------------------------------

  toast(message: string, action?: Toast['action'], timeoutMs = 4000): void {
    const t: Toast = { id: this.toastSeq++, message, action, timeoutMs };
    this.toasts = [...this.toasts.slice(-3), t];
  }

  dismissToast(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}

export const app = new App();
