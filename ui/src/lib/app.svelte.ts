// The application's state and the things a user does, in one place so that
// buttons, keyboard shortcuts, paste and drop all go through the same code.

import * as api from '../api';
import type { ListFilter } from '../bindings/ListFilter';
import type { SaveProgress } from '../bindings/SaveProgress';
import type { SaveStage } from '../bindings/SaveStage';
import type { SearchHit } from '../bindings/SearchHit';
import type { SidebarCounts } from '../bindings/SidebarCounts';
import type { Story } from '../bindings/Story';
import type { StorySummary } from '../bindings/StorySummary';
import type { LibraryInfo } from '../bindings/LibraryInfo';
import { Annotations } from './annotations.svelte';
import { Feeds } from './feeds.svelte';
import { Portability } from './portability.svelte';
import { loadPanes, savePanes, type PaneSizes } from './layout';
import { PendingDeletes } from './pending';
import { StoryFind } from './storyFind.svelte';
import { StoryList, sameView, viewQuery, type ListView } from './storyList.svelte';
import { loadTypography, saveTypography, stepSize, type Typography } from './typography';
import { baseName, parseSaveableUrl } from './urls';
import { quoted } from './format';

export interface SaveItem {
  source: string;
  kind: 'url' | 'file';
  stage: SaveStage | 'queued';
  done: number;
  total: number;
  error: api.ApiError | null;
  id: number | null;
  /** Started elsewhere (the command line handing a save to the running app). */
  external: boolean;
}

export interface Toast {
  id: number;
  message: string;
  action?: { label: string; run: () => void };
  timeoutMs: number;
}

export interface SearchFilters {
  starred: boolean;
  unread: boolean;
  archived: boolean;
  tag: string;
}

export type Dialog = 'help' | 'tags' | 'settings' | 'subscribe' | 'feed' | 'folder' | 'about' | 'import' | 'export' | null;

const UNDO_MS = 6000;

export class App {
  readonly list: StoryList;
  readonly pending: PendingDeletes;
  readonly feeds: Feeds;
  readonly annotations: Annotations;
  /** Import and Export (their dialogs, progress and summaries). */
  readonly portability: Portability;
  /** The search's matches in the open story (`n`/`N`). */
  readonly find = new StoryFind();

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

  searchText = $state('');
  searchFilters = $state<SearchFilters>({ starred: false, unread: false, archived: false, tag: '' });
  searchResults = $state.raw<SearchHit[]>([]);
  /** The search the results shown are of (what the reader marks in the story). */
  searchedText = $state('');
  searchError = $state<api.ApiError | null>(null);
  searching = $state(false);

  saves = $state<SaveItem[]>([]);
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
  private searchSeq = 0;
  private storySeq = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.pending = new PendingDeletes(
      (ids) => void this.commitDelete(ids),
      UNDO_MS,
      () => this.hiddenVersion++,
    );
    this.list = new StoryList(api.listStories, () => this.pending.hiddenIds());
    this.feeds = new Feeds((m) => this.toast(m));
    this.annotations = new Annotations((m, a, t) => this.toast(m, a, t));
    this.portability = new Portability(
      (m, a, t) => this.toast(m, a, t),
      (which) => this.dialog === which,
      (which) => (this.dialog = which),
    );
  }

  // ---- Start-up and events ----------------------------------------------

  /** Only what the first screen needs: the first page and the counts. */
  async start(): Promise<void> {
    await Promise.all([this.list.show(this.list.view), this.refreshCounts()]);
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
      if (this.searchText.trim()) void this.runSearch();
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
    if (this.searchActive) this.clearSearch();
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

  openFolderSettings(id: number): void {
    this.folderTarget = id;
    this.dialog = 'folder';
  }

  showFilter(filter: ListFilter): void {
    this.showView({ kind: 'filter', filter });
  }

  get searchActive(): boolean {
    return this.searchText.trim().length > 0;
  }

  /** Ids in the order the visible list shows them. */
  visibleIds(): number[] {
    if (this.searchActive) return this.searchResults.map((h) => h.id);
    return this.list.rows.map((r) => r.id);
  }

  async move(step: 1 | -1, openIt: boolean): Promise<void> {
    const ids = this.visibleIds();
    if (ids.length === 0) return;
    const cur = this.selectedId === null ? -1 : ids.indexOf(this.selectedId);
    let next = cur < 0 ? (step > 0 ? 0 : ids.length - 1) : cur + step;
    if (!this.searchActive && next >= ids.length - 5) void this.list.ensure(next + api.PAGE_SIZE);
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
    const hit = this.searchResults.find((h) => h.id === id);
    return hit ?? null;
  }

  private applyLocal(id: number, change: Partial<StorySummary>): void {
    this.list.patch(id, change);
    if (this.story?.id === id) this.story = { ...this.story, ...change };
    if (this.searchResults.some((h) => h.id === id)) {
      this.searchResults = this.searchResults.map((h) => (h.id === id ? { ...h, ...change } : h));
    }
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
    this.searchResults = this.searchResults.filter((h) => h.id !== id);
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
          if (this.searchActive) void this.runSearch();
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

  // ---- Saving ------------------------------------------------------------

  saveUrl(url: string): Promise<void> {
    return this.runSave(url, 'url');
  }

  saveFile(path: string): Promise<void> {
    return this.runSave(path, 'file');
  }

  retrySave(source: string): Promise<void> {
    const item = this.saves.find((s) => s.source === source);
    return this.runSave(source, item?.kind ?? 'url');
  }

  dismissSave(source: string): void {
    this.saves = this.saves.filter((s) => s.source !== source);
  }

  private upsertSave(item: SaveItem): void {
    const i = this.saves.findIndex((s) => s.source === item.source);
    if (i >= 0) this.saves[i] = item;
    else this.saves.push(item);
  }

  private async runSave(source: string, kind: 'url' | 'file'): Promise<void> {
    const existing = this.saves.find((s) => s.source === source);
    if (existing && existing.error === null && existing.stage !== 'done') return; // already running
    this.upsertSave({ source, kind, stage: 'queued', done: 0, total: 0, error: null, id: null, external: false });
    try {
      const saved = kind === 'url' ? await api.saveUrl(source) : await api.saveFile(source);
      this.upsertSave({ source, kind, stage: 'done', done: 0, total: 0, error: null, id: saved.id, external: false });
      this.toast(`Saved ${quoted(saved.title || baseName(source))}.`, {
        label: 'Open',
        run: () => void this.open(saved.id),
      });
      setTimeout(() => this.dismissSave(source), 2500);
    } catch (e) {
      this.upsertSave({ source, kind, stage: 'failed', done: 0, total: 0, error: api.toApiError(e), id: null, external: false });
    }
  }

  /**
   * `save-progress` from the backend: the stage of a save started here, or of
   * one started elsewhere (`gloss save URL` handed to the running app), which
   * then gets its own line, its outcome and a Retry.
   */
  saveProgress(p: SaveProgress): void {
    const item = this.saves.find((s) => s.source === p.source);
    if (item && (item.stage === 'done' || item.stage === 'failed')) return;
    const base: SaveItem = item ?? {
      source: p.source,
      kind: parseSaveableUrl(p.source) ? 'url' : 'file',
      stage: 'queued',
      done: 0,
      total: 0,
      error: null,
      id: null,
      external: true,
    };
    if (!base.external) {
      if (p.stage !== 'done' && p.stage !== 'failed') {
        this.upsertSave({ ...base, stage: p.stage, done: p.done, total: p.total, id: p.id });
      }
      return; // the command's own answer settles it
    }
    const error = p.stage === 'failed' ? new api.ApiError('unsupported', p.message ?? 'The story could not be saved.') : null;
    this.upsertSave({ ...base, stage: p.stage, done: p.done, total: p.total, id: p.id, error });
    if (p.stage === 'done') setTimeout(() => this.dismissSave(p.source), 2500);
  }

  async pickFiles(): Promise<void> {
    try {
      for (const path of await api.pickFilesToSave()) void this.saveFile(path);
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }

  // ---- Search ------------------------------------------------------------

  async runSearch(): Promise<void> {
    const text = this.searchText.trim();
    const seq = ++this.searchSeq;
    if (!text) {
      this.searchResults = [];
      this.searchedText = '';
      this.searchError = null;
      this.searching = false;
      return;
    }
    const f = this.searchFilters;
    this.searching = true;
    try {
      const hits = await api.searchStories({
        text,
        starred: f.starred ? true : null,
        unread: f.unread ? true : null,
        archived: f.archived ? true : null,
        tag: f.tag.trim() || null,
        limit: 200,
      });
      if (seq !== this.searchSeq) return;
      const hidden = this.pending.hiddenIds();
      this.searchResults = hidden.size ? hits.filter((h) => !hidden.has(h.id)) : hits;
      this.searchedText = text;
      this.searchError = null;
    } catch (e) {
      if (seq === this.searchSeq) {
        this.searchResults = [];
        this.searchedText = '';
        this.searchError = api.toApiError(e);
      }
    } finally {
      if (seq === this.searchSeq) this.searching = false;
    }
  }

  /** The search to mark in the open story ('' for none). */
  get findQuery(): string {
    return this.searchActive ? this.find.queryFor(this.story?.id ?? null, this.searchedText) : '';
  }

  /** Whether the open story shows the search's matches. */
  get findShown(): boolean {
    return this.findQuery !== '' && this.find.storyId === this.story?.id && this.find.count > 0;
  }

  /** `n` / `N`: to the next or previous match in the story; false when there is none. */
  findStep(dir: 1 | -1): boolean {
    return this.findShown && this.find.step(dir);
  }

  /** Escape in the reader: the story's matches go (the search stays). */
  hideFind(): boolean {
    const story = this.story;
    if (!story || !this.findShown) return false;
    this.find.hide(story.id, this.searchedText);
    return true;
  }

  clearSearch(): void {
    this.searchText = '';
    void this.runSearch();
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
      this.clearSearch();
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
