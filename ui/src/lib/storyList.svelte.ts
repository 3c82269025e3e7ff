// The story list's data: pages fetched by keyset cursor as the virtual list
// asks for rows, kept in a plain array (100,000 summaries are fine in memory;
// what must stay small is the DOM, see StoryList.svelte). Reactivity goes
// through `version`, bumped whenever rows change, so Svelte never proxies the
// big array. The Maps and Sets here are deliberately plain (not SvelteMap):
// they are bookkeeping that `version` already announces.

/* eslint-disable svelte/prefer-svelte-reactivity */

import * as api from '../api';
import type { ListCursor } from '../bindings/ListCursor';
import type { ListFilter } from '../bindings/ListFilter';
import type { ListQuery } from '../bindings/ListQuery';
import type { StoryPage } from '../bindings/StoryPage';
import type { StorySummary } from '../bindings/StorySummary';

export type ListView =
  | { kind: 'filter'; filter: ListFilter }
  | { kind: 'tag'; tag: string }
  | { kind: 'feed'; id: number }
  | { kind: 'folder'; id: number };

export function viewQuery(view: ListView, before: ListCursor | null, limit: number | null): ListQuery {
  const q: ListQuery = {
    filter: view.kind === 'filter' ? view.filter : 'all',
    tag: view.kind === 'tag' ? view.tag : null,
    feed_id: view.kind === 'feed' ? view.id : null,
    limit,
    before,
  };
  if (view.kind === 'folder') q.folder_id = view.id;
  return q;
}

export function sameView(a: ListView, b: ListView): boolean {
  switch (a.kind) {
    case 'filter':
      return b.kind === 'filter' && a.filter === b.filter;
    case 'tag':
      return b.kind === 'tag' && a.tag === b.tag;
    default:
      return b.kind === a.kind && b.id === a.id;
  }
}

/** Largest page asked for at once (when catching up after a reload or a long scroll). */
const MAX_PAGE = 1000;

export class StoryList {
  view = $state<ListView>({ kind: 'filter', filter: 'inbox' });
  /** Bumped on every change of `rows`. */
  version = $state(0);
  loading = $state(false);
  error = $state<api.ApiError | null>(null);
  /** True once the last page has been fetched. */
  done = $state(false);
  /** True once the first page of the current view has arrived. */
  loaded = $state(false);

  rows: StorySummary[] = [];
  private index = new Map<number, number>();
  private next: ListCursor | null = null;
  private generation = 0;
  private wanted = 0;
  private running: Promise<void> | null = null;

  constructor(
    private readonly fetchPage: (q: ListQuery) => Promise<{ stories: StorySummary[]; next: ListCursor | null }> = api.listStories,
    private readonly hidden: () => Set<number> = () => new Set(),
  ) {}

  get count(): number {
    return this.rows.length;
  }

  indexOf(id: number): number {
    return this.index.get(id) ?? -1;
  }

  get(id: number): StorySummary | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.rows[i];
  }

  /**
   * Shows another view, from its first page: `firstPage` when the caller
   * already asked for it (the window's start, `api.firstScreen`), else fetched.
   */
  show(view: ListView, firstPage?: Promise<StoryPage>): Promise<void> {
    this.view = view;
    return this.restart(api.PAGE_SIZE, firstPage);
  }

  /** Fetches the current view again from the top, keeping as many rows as were shown. */
  reload(): Promise<void> {
    return this.restart(Math.max(api.PAGE_SIZE, this.rows.length));
  }

  /** Makes sure rows [0, upTo) are loaded, fetching further pages as needed. */
  ensure(upTo: number): Promise<void> {
    this.wanted = Math.max(this.wanted, upTo);
    if (this.done || this.rows.length >= this.wanted) return this.running ?? Promise.resolve();
    if (this.error) return Promise.resolve();
    this.running ??= this.pump(this.generation);
    return this.running;
  }

  /** Changes a row in place (an optimistic update before the backend's event). */
  patch(id: number, change: Partial<StorySummary>): void {
    const i = this.index.get(id);
    const row = i === undefined ? undefined : this.rows[i];
    if (i === undefined || !row) return;
    this.rows[i] = { ...row, ...change };
    this.version++;
  }

  /** Takes rows out (a delete waiting for its undo toast to expire). */
  remove(ids: Iterable<number>): void {
    const gone = new Set(ids);
    const before = this.rows.length;
    this.rows = this.rows.filter((r) => !gone.has(r.id));
    if (this.rows.length !== before) {
      this.rebuildIndex();
      this.version++;
    }
  }

  private restart(wanted: number, firstPage?: Promise<StoryPage>): Promise<void> {
    this.generation++;
    this.wanted = wanted;
    this.next = null;
    this.done = false;
    this.error = null;
    this.running = this.pump(this.generation, true, firstPage);
    return this.running;
  }

  private async pump(gen: number, replace = false, firstPage?: Promise<StoryPage>): Promise<void> {
    this.loading = true;
    let fresh: StorySummary[] | null = replace ? [] : null;
    let given = firstPage;
    try {
      while (gen === this.generation && !this.done) {
        const have = fresh ? fresh.length : this.rows.length;
        if (have >= this.wanted && !(fresh && have === 0)) break;
        const limit = Math.min(MAX_PAGE, Math.max(api.PAGE_SIZE, this.wanted - have));
        const page = await (given ?? this.fetchPage(viewQuery(this.view, this.next, limit)));
        given = undefined;
        if (gen !== this.generation) return;
        const hidden = this.hidden();
        const stories = hidden.size ? page.stories.filter((s) => !hidden.has(s.id)) : page.stories;
        this.next = page.next;
        if (!page.next || page.stories.length === 0) this.done = true;
        if (fresh) {
          fresh.push(...stories);
          // The old rows stay on screen until the new ones cover as much
          // (a reload deep in the list never flashes placeholders).
          if (fresh.length >= this.wanted || this.done) {
            this.rows = fresh;
            fresh = null;
            this.rebuildIndex();
            this.loaded = true;
            this.version++;
          }
        } else {
          const start = this.rows.length;
          for (let i = 0; i < stories.length; i++) {
            const s = stories[i];
            if (s && !this.index.has(s.id)) {
              this.index.set(s.id, this.rows.length);
              this.rows.push(s);
            }
          }
          if (this.rows.length !== start) this.version++;
        }
      }
      if (fresh && gen === this.generation) {
        this.rows = fresh;
        this.rebuildIndex();
        this.loaded = true;
        this.version++;
      }
    } catch (e) {
      if (gen === this.generation) this.error = api.toApiError(e);
    } finally {
      if (gen === this.generation) {
        this.loading = false;
        this.running = null;
      }
    }
  }

  private rebuildIndex(): void {
    this.index = new Map(this.rows.map((r, i) => [r.id, i]));
  }
}
