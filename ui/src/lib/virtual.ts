// The window of a fixed-row-height virtual list: which rows exist in the DOM
// for a given scroll position. Only these rows are rendered, so a list of
// 100,000 stories costs the same as a list of 30.

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  /** Extra rows rendered above and below the visible ones. */
  overscan?: number;
}

export interface ListWindow {
  /** First rendered row (inclusive). */
  start: number;
  /** Row after the last rendered one (exclusive). */
  end: number;
  /** translateY of the first rendered row, in px. */
  offset: number;
  /** Height of the whole scrollable content, in px. */
  totalHeight: number;
}

export function computeWindow({ scrollTop, viewportHeight, rowHeight, count, overscan = 6 }: WindowInput): ListWindow {
  const n = Math.max(0, Math.floor(count));
  if (n === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, totalHeight: 0 };
  const totalHeight = n * rowHeight;
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - viewportHeight));
  const firstVisible = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(n, firstVisible + visible + overscan);
  return { start, end, offset: start * rowHeight, totalHeight };
}

/**
 * True when rows up to `end` (plus a page of slack) are not loaded yet and
 * more can be fetched.
 */
export function needsMore(end: number, loaded: number, hasMore: boolean, slack = 20): boolean {
  return hasMore && end + slack > loaded;
}

/** The scrollTop that brings row `index` into view with the least movement. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}
