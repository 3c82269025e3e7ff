// Search: the text and filters typed in the search bar, the results, and
// the search's matches inside the open story (`n`/`N`, Escape). A newer
// search always wins over an older one still under way.

import * as api from '../api';
import type { SearchHit } from '../bindings/SearchHit';
import type { StorySummary } from '../bindings/StorySummary';
import { StoryFind } from './storyFind.svelte';

export interface SearchFilters {
  starred: boolean;
  unread: boolean;
  archived: boolean;
  tag: string;
}

/** The most results one search shows. */
const RESULT_LIMIT = 200;

export class Search {
  text = $state('');
  filters = $state<SearchFilters>({ starred: false, unread: false, archived: false, tag: '' });
  results = $state.raw<SearchHit[]>([]);
  /** The search the results shown are of (what the reader marks in the story). */
  searchedText = $state('');
  error = $state<api.ApiError | null>(null);
  searching = $state(false);
  /** The search's matches in the open story (`n`/`N`). */
  readonly find = new StoryFind();

  private seq = 0;

  constructor(
    /** Stories whose deletion waits for its undo: never shown. */
    private readonly hiddenIds: () => ReadonlySet<number>,
    /** The story in the reader, if any. */
    private readonly openStoryId: () => number | null,
  ) {}

  get active(): boolean {
    return this.text.trim().length > 0;
  }

  async run(): Promise<void> {
    const text = this.text.trim();
    const seq = ++this.seq;
    if (!text) {
      this.results = [];
      this.searchedText = '';
      this.error = null;
      this.searching = false;
      return;
    }
    const f = this.filters;
    this.searching = true;
    try {
      const hits = await api.searchStories({
        text,
        starred: f.starred ? true : null,
        unread: f.unread ? true : null,
        archived: f.archived ? true : null,
        tag: f.tag.trim() || null,
        limit: RESULT_LIMIT,
      });
      if (seq !== this.seq) return;
      const hidden = this.hiddenIds();
      this.results = hidden.size ? hits.filter((h) => !hidden.has(h.id)) : hits;
      this.searchedText = text;
      this.error = null;
    } catch (e) {
      if (seq === this.seq) {
        this.results = [];
        this.searchedText = '';
        this.error = api.toApiError(e);
      }
    } finally {
      if (seq === this.seq) this.searching = false;
    }
  }

  clear(): void {
    this.text = '';
    void this.run();
  }

  /** The result for story `id`, if it is one. */
  hit(id: number): SearchHit | undefined {
    return this.results.find((h) => h.id === id);
  }

  /** A story changed here first (star, read, tags): its result shows it at once. */
  patch(id: number, change: Partial<StorySummary>): void {
    if (this.results.some((h) => h.id === id)) {
      this.results = this.results.map((h) => (h.id === id ? { ...h, ...change } : h));
    }
  }

  /** A story was deleted: its result goes. */
  remove(id: number): void {
    this.results = this.results.filter((h) => h.id !== id);
  }

  // ---- Matches in the open story -------------------------------------------

  /** The search to mark in the open story ('' for none). */
  get findQuery(): string {
    return this.active ? this.find.queryFor(this.openStoryId(), this.searchedText) : '';
  }

  /** Whether the open story shows the search's matches. */
  get findShown(): boolean {
    const storyId = this.openStoryId();
    return this.findQuery !== '' && storyId !== null && this.find.storyId === storyId && this.find.count > 0;
  }

  /** `n` / `N`: to the next or previous match in the story; false when there is none. */
  findStep(dir: 1 | -1): boolean {
    return this.findShown && this.find.step(dir);
  }

  /** Escape in the reader: the story's matches go (the search stays). */
  hideFind(): boolean {
    const storyId = this.openStoryId();
    if (storyId === null || !this.findShown) return false;
    this.find.hide(storyId, this.searchedText);
    return true;
  }
}
