import { describe, expect, test } from 'vitest';
import type { ListCursor } from '../bindings/ListCursor';
import type { ListQuery } from '../bindings/ListQuery';
import type { StorySummary } from '../bindings/StorySummary';
import { StoryList } from './storyList.svelte';

function summary(id: number): StorySummary {
  return {
    id,
    url: `https://e.com/${id}`,
    title: `Story ${id}`,
    site: null,
    excerpt: null,
    language: null,
    saved_at: new Date(1_700_000_000_000 - id * 1000).toISOString(),
    published_at: null,
    starred: false,
    archived: false,
    read: false,
    tags: [],
    word_count: 100,
    reading_minutes: 1,
    progress: 0,
    lead_image: null,
    feed_id: null,
    annotation_count: 0,
    readerable: true,
  };
}

/** A fake backend with `n` stories, ids 1..n, newest first, keyset-paged by id. */
function backend(n: number) {
  const queries: ListQuery[] = [];
  const fetchPage = (q: ListQuery): Promise<{ stories: StorySummary[]; next: ListCursor | null }> => {
    queries.push(q);
    const after = q.before?.id ?? 0;
    const limit = q.limit ?? 100;
    const ids: number[] = [];
    for (let id = after + 1; id <= n && ids.length < limit; id++) ids.push(id);
    const last = ids[ids.length - 1];
    const more = last !== undefined && last < n;
    return Promise.resolve({ stories: ids.map(summary), next: more ? { saved_at_ms: 0, id: last } : null });
  };
  return { queries, fetchPage };
}

describe('StoryList paging', () => {
  test('shows the first page, then fetches further pages with the previous cursor', async () => {
    const b = backend(250);
    const list = new StoryList(b.fetchPage);
    await list.show({ kind: 'filter', filter: 'inbox' });
    expect(list.count).toBe(100);
    expect(list.loaded).toBe(true);
    expect(b.queries[0]).toMatchObject({ filter: 'inbox', tag: null, before: null, limit: 100 });
    await list.ensure(150);
    expect(list.count).toBe(200);
    expect(b.queries[1]?.before).toEqual({ saved_at_ms: 0, id: 100 });
    await list.ensure(1000);
    expect(list.count).toBe(250);
    expect(list.done).toBe(true);
    const asked = b.queries.length;
    await list.ensure(2000);
    expect(b.queries.length).toBe(asked);
    expect(list.rows.map((r) => r.id)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
  });

  test('a tag view asks for filter "all" with the tag', async () => {
    const b = backend(5);
    const list = new StoryList(b.fetchPage);
    await list.show({ kind: 'tag', tag: 'rust' });
    expect(b.queries[0]).toMatchObject({ filter: 'all', tag: 'rust' });
    expect(list.done).toBe(true);
  });

  test('reload keeps as many rows as were loaded', async () => {
    const b = backend(1000);
    const list = new StoryList(b.fetchPage);
    await list.show({ kind: 'filter', filter: 'all' });
    await list.ensure(300);
    const had = list.count;
    await list.reload();
    expect(list.count).toBe(had);
    expect(list.indexOf(had)).toBe(had - 1);
  });

  test('a newer view wins over a slower older one', async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((r) => (release = r));
    const b = backend(10);
    const list = new StoryList(async (q) => {
      if (q.filter === 'starred') {
        await slow;
        return { stories: [summary(999)], next: null };
      }
      return b.fetchPage(q);
    });
    const first = list.show({ kind: 'filter', filter: 'starred' });
    await list.show({ kind: 'filter', filter: 'unread' });
    release();
    await first;
    expect(list.view).toEqual({ kind: 'filter', filter: 'unread' });
    expect(list.count).toBe(10);
    expect(list.indexOf(999)).toBe(-1);
    expect(list.loading).toBe(false);
  });

  test('stories waiting for deletion stay hidden across reloads', async () => {
    const b = backend(5);
    const list = new StoryList(b.fetchPage, () => new Set([2, 4]));
    await list.show({ kind: 'filter', filter: 'all' });
    expect(list.rows.map((r) => r.id)).toEqual([1, 3, 5]);
  });

  test('patch and remove update rows and the index', async () => {
    const b = backend(5);
    const list = new StoryList(b.fetchPage);
    await list.show({ kind: 'filter', filter: 'all' });
    const v = list.version;
    list.patch(3, { starred: true });
    expect(list.get(3)?.starred).toBe(true);
    list.remove([1]);
    expect(list.indexOf(3)).toBe(1);
    expect(list.version).toBeGreaterThan(v);
  });

  test('an error is kept for the Retry button, with its message', async () => {
    const list = new StoryList(() => Promise.reject({ kind: 'database', message: 'The library is locked.' }));
    await list.show({ kind: 'filter', filter: 'inbox' });
    expect(list.error?.message).toBe('The library is locked.');
    expect(list.loading).toBe(false);
  });
});
