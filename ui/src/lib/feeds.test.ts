import { afterEach, describe, expect, test, vi } from 'vitest';
import type { FeedInfo } from '../bindings/FeedInfo';
import type { FolderInfo } from '../bindings/FolderInfo';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { DEFAULT_REFRESH_MINUTES, Feeds, feedTree, loadRefreshMinutes, REFRESH_MINUTES_KEY, RefreshSchedule, refreshSummary, saveRefreshMinutes } from './feeds.svelte';

function feed(id: number, title: string, folder: number | null, over: Partial<FeedInfo> = {}): FeedInfo {
  return {
    id,
    url: `https://e.com/${id}.xml`,
    title,
    site_url: null,
    folder_id: folder,
    folder: folder === null ? null : `F${folder}`,
    icon: null,
    full_text: false,
    retention_days: null,
    unread: 0,
    stories: 0,
    created_at: '2024-01-01T00:00:00Z',
    last_checked: null,
    next_check: null,
    error_count: 0,
    last_error: null,
    warning: null,
    account_id: null,
    ...over,
  };
}

const folder = (id: number, name: string): FolderInfo => ({ id, name, feeds: 0, unread: 0 });

describe('feedTree', () => {
  test('folders by name with their feeds by title, then the feeds in no folder', () => {
    const t = feedTree(
      [feed(1, 'zeta', null), feed(2, 'Beta', 10), feed(3, 'alpha', 10), feed(4, 'Alpha', null), feed(5, 'gamma', 11, { error_count: 2 })],
      [folder(10, 'World'), folder(11, 'Local')],
    );
    expect(t.folders.map((n) => n.folder.name)).toEqual(['Local', 'World']);
    expect(t.folders[1]?.feeds.map((f) => f.title)).toEqual(['alpha', 'Beta']);
    expect(t.folders[0]?.failing).toBe(1);
    expect(t.loose.map((f) => f.id)).toEqual([4, 1]);
  });

  test('a feed whose folder is not known is listed loose, not lost', () => {
    expect(feedTree([feed(1, 'a', 99)], []).loose.map((f) => f.id)).toEqual([1]);
  });
});

describe('refreshSummary', () => {
  test('says what came and what failed', () => {
    const r = (n: number, error: string | null = null) => ({ id: 1, title: 't', new: n, error, warning: null, not_modified: false, skipped_until: null });
    expect(refreshSummary([r(0), r(0)])).toBe('No new stories.');
    expect(refreshSummary([r(1)])).toBe('1 new story.');
    expect(refreshSummary([r(2), r(3), r(0, 'timed out')])).toBe('5 new stories; 1 feed could not be refreshed.');
  });
});

describe('refresh interval setting', () => {
  afterEach(() => localStorage.clear());

  test('defaults to 30 minutes and keeps what is set', () => {
    expect(loadRefreshMinutes()).toBe(DEFAULT_REFRESH_MINUTES);
    saveRefreshMinutes(60);
    expect(loadRefreshMinutes()).toBe(60);
    localStorage.setItem(REFRESH_MINUTES_KEY, 'nonsense');
    expect(loadRefreshMinutes()).toBe(DEFAULT_REFRESH_MINUTES);
    saveRefreshMinutes(0);
    expect(loadRefreshMinutes()).toBe(0);
  });
});

describe('RefreshSchedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('runs on start, then every N minutes; a new interval restarts the wait; 0 stops it', async () => {
    vi.useFakeTimers();
    const run = vi.fn(() => Promise.resolve());
    const s = new RefreshSchedule(run);
    s.start(30);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(29 * 60_000);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(run).toHaveBeenCalledTimes(3);
    s.setInterval(15);
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(run).toHaveBeenCalledTimes(4);
    s.setInterval(0);
    await vi.advanceTimersByTimeAsync(10 * 60 * 60_000);
    expect(run).toHaveBeenCalledTimes(4);
    s.stop();
  });

  test('a refresh still running is not started again', async () => {
    vi.useFakeTimers();
    let finish: () => void = () => {};
    const run = vi.fn(() => new Promise<void>((r) => (finish = r)));
    const s = new RefreshSchedule(run);
    s.start(1);
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(2);
    s.stop();
  });

  test('a failing run does not stop the schedule', async () => {
    vi.useFakeTimers();
    const run = vi.fn(() => Promise.reject(new Error('offline')));
    const s = new RefreshSchedule(run);
    s.start(5);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(run).toHaveBeenCalledTimes(3);
    s.stop();
  });
});

describe('folder actions', () => {
  let calls: [string, Record<string, unknown>][] = [];
  let folders: FolderInfo[] = [];

  function backend(fail: Record<string, { kind: string; message: string }> = {}): void {
    calls = [];
    folders = [folder(10, 'World'), folder(11, 'Local')];
    mockIPC((cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push([cmd, a]);
      if (fail[cmd]) return Promise.reject(fail[cmd]);
      if (cmd === 'list_feeds') return [feed(1, 'a', 10), feed(2, 'b', null)];
      if (cmd === 'list_folders') return folders;
      if (cmd === 'rename_folder') folders = folders.map((f) => (f.id === a.id ? { ...f, name: a.name as string } : f));
      if (cmd === 'delete_folder') folders = folders.filter((f) => f.id !== a.id);
      return null;
    });
  }

  const sent = (cmd: string) => calls.filter(([c]) => c === cmd).map(([, a]) => a);

  afterEach(() => {
    clearMocks();
    localStorage.clear();
  });

  test('rename sends the id and the trimmed name, then reloads', async () => {
    backend();
    const feeds = new Feeds(() => {});
    await feeds.load();
    expect(await feeds.renameFolder(10, '  News  ')).toBeNull();
    expect(sent('rename_folder')).toEqual([{ id: 10, name: 'News' }]);
    expect(feeds.folder(10)?.name).toBe('News');
  });

  test('rename: an empty name or the same name sends nothing', async () => {
    backend();
    const feeds = new Feeds(() => {});
    await feeds.load();
    expect((await feeds.renameFolder(10, '   '))?.kind).toBe('invalid_input');
    expect(await feeds.renameFolder(10, 'World')).toBeNull();
    expect(sent('rename_folder')).toEqual([]);
  });

  test('rename resolves with the backend error for the dialog', async () => {
    backend({ rename_folder: { kind: 'invalid_input', message: 'a folder named “Local” already exists' } });
    const feeds = new Feeds(() => {});
    await feeds.load();
    const err = await feeds.renameFolder(10, 'Local');
    expect(err?.message).toBe('a folder named “Local” already exists');
  });

  test('delete sends the id, reloads and says the feeds stay', async () => {
    backend();
    const toasts: string[] = [];
    const feeds = new Feeds((m) => toasts.push(m));
    await feeds.load();
    feeds.toggleFolder(10);
    expect(await feeds.deleteFolder(10)).toBe(true);
    expect(sent('delete_folder')).toEqual([{ id: 10 }]);
    expect(feeds.folders.map((f) => f.id)).toEqual([11]);
    expect(feeds.isCollapsed(10)).toBe(false);
    expect(toasts).toEqual(['Folder “\u2068World\u2069” deleted; its feeds are now outside any folder.']);
  });

  test('a failed delete is shown', async () => {
    backend({ delete_folder: { kind: 'not_found', message: 'no folder with id 10' } });
    const toasts: string[] = [];
    const feeds = new Feeds((m) => toasts.push(m));
    await feeds.load();
    expect(await feeds.deleteFolder(10)).toBe(false);
    expect(toasts).toEqual(['no folder with id 10']);
  });
});
