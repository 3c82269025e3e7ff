import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { StorySummary } from '../bindings/StorySummary';
import { App } from './app.svelte';

function summary(id: number, over: Partial<StorySummary> = {}): StorySummary {
  return {
    id,
    url: `https://e.com/${id}`,
    title: `Story ${id}`,
    site: null,
    excerpt: null,
    language: null,
    saved_at: '2024-01-01T00:00:00Z',
    published_at: null,
    starred: false,
    archived: false,
    read: false,
    tags: [],
    word_count: 10,
    reading_minutes: 1,
    progress: 0,
    lead_image: null,
    feed_id: null,
    annotation_count: 0,
    readerable: true,
    ...over,
  };
}

type Handler = (args: Record<string, unknown>) => unknown;

let calls: [string, unknown][] = [];

function backend(overrides: Record<string, Handler> = {}) {
  calls = [];
  const handlers: Record<string, Handler> = {
    list_stories: () => ({ stories: [1, 2, 3].map((id) => summary(id)), next: null }),
    sidebar_counts: () => ({ all: 3, inbox: 3, unread: 3, starred: 0, archived: 0, annotated: 0, tags: [] }),
    ...overrides,
  };
  // What `first_screen` answers is what the two answer.
  handlers.first_screen ??= (args) => ({
    page: handlers.list_stories?.(args),
    counts: handlers.sidebar_counts?.({}),
  });
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    const h = handlers[cmd];
    return h ? h((args ?? {}) as Record<string, unknown>) : null;
  });
}

const sent = (cmd: string) => calls.filter(([c]) => c === cmd).map(([, a]) => a);

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

describe('start-up', () => {
  test('the first screen comes in one call: the first page and the counts', async () => {
    backend();
    const app = new App();
    await app.start();
    expect(calls.map(([c]) => c)).toEqual(['first_screen']);
    expect(sent('first_screen')[0]).toMatchObject({ query: { filter: 'inbox', limit: 100, before: null } });
    expect(app.list.rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(app.list.loaded).toBe(true);
    expect(app.counts?.inbox).toBe(3);
  });

  test('a first screen that fails shows its error in the list and the sidebar', async () => {
    backend({
      first_screen: () => {
        throw new Error('the library file is locked');
      },
    });
    const app = new App();
    await app.start();
    expect(app.list.error?.message).toContain('locked');
    expect(app.countsError?.message).toContain('locked');
    expect(app.counts).toBeNull();
  });

  test('the list asks for its next pages itself after the first', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => summary(i + 1));
    backend({
      list_stories: (a) => {
        const q = a.query as { before: { id: number } | null; limit: number };
        const from = q.before ? rows.findIndex((r) => r.id === q.before?.id) + 1 : 0;
        const stories = rows.slice(from, from + q.limit);
        const last = stories.at(-1);
        return { stories, next: from + q.limit < rows.length && last ? { saved_at_ms: 0, id: last.id } : null };
      },
    });
    const app = new App();
    await app.start();
    expect(app.list.count).toBe(100);
    await app.list.ensure(250);
    expect(app.list.count).toBe(250);
    expect(sent('first_screen')).toHaveLength(1);
    expect(sent('list_stories').length).toBeGreaterThan(0);
  });
});

describe('delete with undo', () => {
  test('the delete is only sent when the undo toast expires', async () => {
    backend();
    const app = new App();
    await app.start();
    app.deleteStory(2);
    expect(app.list.rows.map((r) => r.id)).toEqual([1, 3]);
    expect(app.toasts.at(-1)?.action?.label).toBe('Undo');
    await vi.advanceTimersByTimeAsync(5900);
    expect(sent('delete_stories')).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent('delete_stories')).toEqual([{ ids: [2] }]);
  });

  test('Undo sends nothing and brings the story back', async () => {
    backend();
    const app = new App();
    await app.start();
    app.deleteStory(2);
    app.toasts.at(-1)?.action?.run();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent('delete_stories')).toEqual([]);
    expect(app.list.rows.map((r) => r.id)).toEqual([1, 2, 3]);
  });
});

describe('saving', () => {
  test('an error is shown in words, and Retry saves again', async () => {
    let fail = true;
    backend({
      save_url: () => {
        if (fail) throw { kind: 'network', message: 'Could not reach e.com: timed out.' };
        return summary(9, { title: 'Saved one' });
      },
    });
    const app = new App();
    await app.saveUrl('https://e.com/9');
    expect(app.saves[0]).toMatchObject({ stage: 'failed', error: { kind: 'network', message: 'Could not reach e.com: timed out.' } });
    fail = false;
    await app.retrySave('https://e.com/9');
    expect(app.saves[0]).toMatchObject({ stage: 'done', error: null, id: 9 });
    expect(app.toasts.at(-1)?.message).toContain('Saved one');
    expect(sent('save_url')).toEqual([
      { url: 'https://e.com/9', tags: [] },
      { url: 'https://e.com/9', tags: [] },
    ]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(app.saves).toEqual([]);
  });

  test('progress events update the save they name', async () => {
    let finish: (s: StorySummary) => void = () => {};
    backend({ save_url: () => new Promise<StorySummary>((r) => (finish = r)) });
    const app = new App();
    const done = app.saveUrl('https://e.com/1');
    app.saveProgress({ source: 'https://e.com/1', stage: 'images', done: 2, total: 5, message: null, id: null });
    expect(app.saves[0]).toMatchObject({ stage: 'images', done: 2, total: 5 });
    app.saveProgress({ source: 'https://other.com/', stage: 'fetching', done: 0, total: 0, message: null, id: null });
    expect(app.saves[1]).toMatchObject({ source: 'https://other.com/', external: true, kind: 'url' });
    app.saveProgress({ source: 'https://other.com/', stage: 'failed', done: 0, total: 0, message: 'Not a web page.', id: null });
    expect(app.saves[1]?.error?.message).toBe('Not a web page.');
    finish(summary(1));
    await done;
    expect(app.saves[0]?.stage).toBe('done');
  });
});

describe('story actions', () => {
  test('star is shown at once and undone with a message if the backend refuses', async () => {
    backend({
      set_starred: () => {
        throw { kind: 'database', message: 'The library is read-only.' };
      },
    });
    const app = new App();
    await app.start();
    const star = app.toggleStar(1);
    expect(app.list.get(1)?.starred).toBe(true);
    await star;
    expect(app.list.get(1)?.starred).toBe(false);
    expect(app.toasts.at(-1)?.message).toBe('The library is read-only.');
  });

  test('library-changed reloads the list and the counts, once for a burst', async () => {
    backend();
    const app = new App();
    await app.start();
    calls = [];
    app.libraryChanged([1]);
    app.libraryChanged([2]);
    app.libraryChanged([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent('list_stories')).toHaveLength(1);
    expect(sent('sidebar_counts')).toHaveLength(1);
  });

  test('j/k move through the list and open stories', async () => {
    backend({ get_story: (a) => ({ ...summary(a.id as number), byline: null, html: '<p>x</p>', text: 'x', dir: null }) });
    const app = new App();
    await app.start();
    await app.move(1, false);
    expect(app.selectedId).toBe(1);
    await app.move(1, true);
    expect(app.selectedId).toBe(2);
    expect(app.story?.id).toBe(2);
    await app.move(-1, false);
    await app.move(-1, false);
    expect(app.selectedId).toBe(1);
  });
});

describe('feeds in the list', () => {
  test('a feed view asks for its stories; mark all read sends the view and Undo marks the same ids unread', async () => {
    backend({ mark_all_read: () => [2, 3] });
    const app = new App();
    await app.start();
    app.showView({ kind: 'feed', id: 7 });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent('list_stories').at(-1)).toMatchObject({ query: { filter: 'all', feed_id: 7 } });
    await app.markAllRead();
    expect(sent('mark_all_read')).toEqual([{ query: { filter: 'all', tag: null, feed_id: 7, limit: null, before: null } }]);
    expect(app.toasts.at(-1)?.message).toBe('Marked 2 stories read.');
    app.toasts.at(-1)?.action?.run();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent('set_read')).toEqual([{ ids: [2, 3], value: false }]);
  });

  test('a folder view sends folder_id; next unread opens what the backend names', async () => {
    backend({
      next_unread: () => summary(3),
      get_story: (a) => ({ ...summary(Number(a.id)), html: '<p>x</p>', text: 'x', byline: null, dir: null }),
    });
    const app = new App();
    await app.start();
    app.showView({ kind: 'folder', id: 4 });
    await app.open(1);
    await app.nextUnread();
    expect(sent('next_unread')).toEqual([{ query: { filter: 'all', tag: null, feed_id: null, folder_id: 4, limit: null, before: null }, after: 1 }]);
    expect(app.story?.id).toBe(3);
  });
});

describe('feed refresh', () => {
  test('progress events show while refreshing; the summary is a toast; a second refresh at once is refused', async () => {
    let finish: (v: unknown) => void = () => {};
    backend({
      list_feeds: () => [{ id: 1, account_id: null }, { id: 2, account_id: null }],
      list_folders: () => [],
      refresh_feeds: () => new Promise((r) => (finish = r)),
    });
    const app = new App();
    const done = app.feeds.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(app.feeds.refreshing).toBe(true);
    app.feeds.onProgress({ feed_id: 1, stage: 'done', done: 1, total: 2, result: null });
    expect(app.feeds.progress).toEqual({ done: 1, total: 2 });
    expect(await app.feeds.refresh()).toBeNull();
    expect(app.toasts.at(-1)?.message).toBe('A refresh is already under way.');
    finish([
      { id: 1, title: 'a', new: 2, error: null, warning: null, not_modified: false, skipped_until: null },
      { id: 2, title: 'b', new: 0, error: 'timed out', warning: null, not_modified: false, skipped_until: null },
    ]);
    await done;
    expect(app.feeds.refreshing).toBe(false);
    expect(app.toasts.at(-1)?.message).toBe('2 new stories; 1 feed could not be refreshed.');
    expect(sent('refresh_feeds')).toEqual([{ ids: [] }]);
  });
});
