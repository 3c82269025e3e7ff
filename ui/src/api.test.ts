import { afterEach, describe, expect, test, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import * as api from './api';
import type { StoryPage } from './bindings/StoryPage';

afterEach(() => {
  clearMocks();
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});

describe('commands', () => {
  test('list_stories gets the query under `query` and returns the page', async () => {
    const page: StoryPage = { stories: [], next: { saved_at_ms: 5, id: 9 } };
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return page;
    });
    const q = { filter: 'inbox', tag: null, feed_id: null, limit: 100, before: { saved_at_ms: 10, id: 3 } } as const;
    await expect(api.listStories({ ...q })).resolves.toEqual(page);
    expect(calls).toEqual([['list_stories', { query: q }]]);
  });

  test('argument names are the camelCase ones the Rust commands take', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === 'set_tags' ? ['a'] : null;
    });
    await api.getStory(7);
    await api.setStarred([1, 2], true);
    await api.setArchived([1], false);
    await api.setRead([3], true);
    await api.setTags(4, ['a'], ['b']);
    await api.setProgress(5, 0.25);
    await api.deleteStories([6]);
    await api.saveUrl('https://e.com/', ['x']);
    await api.saveFile('/tmp/a.html');
    await api.openLibrary('/tmp/lib.gloss');
    await api.openExternal('https://e.com/');
    await api.sidebarCounts();
    await api.libraryInfo();
    expect(calls).toEqual([
      ['get_story', { id: 7 }],
      ['set_starred', { ids: [1, 2], value: true }],
      ['set_archived', { ids: [1], value: false }],
      ['set_read', { ids: [3], value: true }],
      ['set_tags', { id: 4, add: ['a'], remove: ['b'] }],
      ['set_progress', { id: 5, progress: 0.25 }],
      ['delete_stories', { ids: [6] }],
      ['save_url', { url: 'https://e.com/', tags: ['x'] }],
      ['save_file', { path: '/tmp/a.html', tags: [] }],
      ['open_library', { path: '/tmp/lib.gloss' }],
      ['open_external', { url: 'https://e.com/' }],
      ['sidebar_counts', {}],
      ['library_info', {}],
    ]);
  });

  test('set_progress is clamped to 0..1', async () => {
    const seen: unknown[] = [];
    mockIPC((_cmd, args) => {
      seen.push(args);
      return null;
    });
    await api.setProgress(1, 1.7);
    await api.setProgress(1, -3);
    await api.setProgress(1, Number.NaN);
    expect(seen).toEqual([
      { id: 1, progress: 1 },
      { id: 1, progress: 0 },
      { id: 1, progress: 0 },
    ]);
  });
});

describe('errors', () => {
  test('a backend ErrorPayload becomes an ApiError with its kind and message', async () => {
    mockIPC(() => {
      throw { kind: 'network', message: 'Could not reach example.com: connection refused' };
    });
    const err = await api.saveUrl('https://example.com/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(api.ApiError);
    expect(err).toMatchObject({ kind: 'network', message: 'Could not reach example.com: connection refused' });
  });

  test('Tauri’s own string rejections (unknown command, permission) keep their words', async () => {
    mockIPC(() => Promise.reject(new Error('command list_stories not found')));
    await expect(api.listStories({ filter: 'all', tag: null, feed_id: null, limit: 1, before: null })).rejects.toMatchObject({
      kind: 'unsupported',
      message: 'command list_stories not found',
    });
    expect(api.toApiError('dialog.open not allowed')).toMatchObject({ kind: 'unsupported', message: 'dialog.open not allowed' });
  });

  test('an unknown kind or an empty rejection still gives words', () => {
    expect(api.toApiError({ kind: 'weird', message: 'Disk on fire' })).toMatchObject({ kind: 'unsupported', message: 'Disk on fire' });
    expect(api.toApiError({ kind: 'io', message: '' }).message).toBe('Something went wrong.');
    expect(api.toApiError(undefined).message).toMatch(/went wrong/);
  });

  test('without a backend every call rejects with a message, events are no-ops', async () => {
    expect(api.backendAvailable()).toBe(false);
    await expect(api.sidebarCounts()).rejects.toMatchObject({ kind: 'unsupported', message: api.NO_BACKEND_MESSAGE });
    const unlisten = await api.onLibraryChanged(() => {});
    expect(() => unlisten()).not.toThrow();
  });
});

describe('events', () => {
  test('library-changed and save-progress reach their handlers with the payload', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const changed = vi.fn();
    const progress = vi.fn();
    const un1 = await api.onLibraryChanged(changed);
    const un2 = await api.onSaveProgress(progress);
    await emit('library-changed', { ids: [4] });
    await emit('save-progress', { source: 'https://e.com/', stage: 'images', done: 1, total: 3, message: null, id: null });
    expect(changed).toHaveBeenCalledWith({ ids: [4] });
    expect(progress).toHaveBeenCalledWith(expect.objectContaining({ stage: 'images', done: 1, total: 3 }));
    un1();
    un2();
    await emit('library-changed', { ids: [] });
    expect(changed).toHaveBeenCalledTimes(1);
  });
});
