// The search's matches in the open story: how many, which one `n`/`N` went
// to, and whether Escape hid them. The reader finds and draws them
// (storyFind.ts); this is what the keys and the "3 of 12" see.

import { stepMatch } from './storyFind';

export class StoryFind {
  /** The story the matches are of, and how many it has. */
  storyId = $state<number | null>(null);
  count = $state(0);
  /** The match moved to last (-1: none yet). */
  current = $state(-1);
  /** Bumped by every move, so that the reader scrolls even to the same match again. */
  moves = $state(0);
  /** Escape hid the marks of this search in this story. */
  private hidden = $state<{ storyId: number; query: string } | null>(null);
  /** The first match at or below the top of the reader's view (the reader sets it). */
  firstBelow: (() => number) | null = null;

  /** The search to mark in story `storyId`: `query` unless Escape hid it there. */
  queryFor(storyId: number | null, query: string): string {
    const q = query.trim();
    if (!q || storyId === null) return '';
    const h = this.hidden;
    return h && h.storyId === storyId && h.query === q ? '' : q;
  }

  /** The reader found `count` matches in story `storyId`; a new story or search starts with none current. */
  found(storyId: number, count: number): void {
    if (storyId === this.storyId && count === this.count) return;
    this.storyId = storyId;
    this.count = count;
    this.current = -1;
  }

  /** `n` (1) or `N` (-1): false when there is nothing to move between. */
  step(dir: 1 | -1): boolean {
    if (this.count <= 0) return false;
    this.current = stepMatch(this.current, this.count, dir, this.firstBelow?.() ?? 0);
    this.moves++;
    return true;
  }

  /** Escape: no marks for this search in this story (another search, or another story, shows them again). */
  hide(storyId: number, query: string): void {
    this.hidden = { storyId, query: query.trim() };
  }
}
