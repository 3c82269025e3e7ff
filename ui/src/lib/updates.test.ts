import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { CHECK_AT_START_KEY, Updates } from './updates.svelte';
import { saveLinkFor } from './bookmarklet';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    data,
  };
}

afterEach(() => {
  clearMocks();
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});

describe('updates', () => {
  it('never checks at start-up unless the user turned it on', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return { current: '0.1.0', available: null, notes: null };
    });
    const u = new Updates(memoryStorage());
    expect(u.checkAtStart).toBe(false);
    await u.startUp(true);
    expect(calls).toEqual([]);
    expect(u.state.stage).toBe('idle');
  });

  it('checks at start-up when opted in, and only if the build has a key', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return { current: '0.1.0', available: '0.2.0', notes: 'Faster search' };
    });
    const storage = memoryStorage({ [CHECK_AT_START_KEY]: 'true' });
    const u = new Updates(storage);
    await u.startUp(false);
    expect(calls).toEqual([]);
    await u.startUp(true);
    expect(calls).toEqual(['check_for_update']);
    expect(u.state).toEqual({ stage: 'available', version: '0.2.0', notes: 'Faster search' });
  });

  it('remembers the opt-in and reports a failed check with its message', async () => {
    mockIPC(() => {
      throw { kind: 'network', message: 'Could not check for updates: offline' };
    });
    const storage = memoryStorage();
    const u = new Updates(storage);
    u.setCheckAtStart(true);
    expect(storage.data.get(CHECK_AT_START_KEY)).toBe('true');
    await u.check();
    expect(u.state).toEqual({ stage: 'failed', message: 'Could not check for updates: offline' });
  });

  it('says when this is the newest version', async () => {
    mockIPC(() => ({ current: '0.1.0', available: null, notes: null }));
    const u = new Updates(memoryStorage());
    await u.check();
    expect(u.state).toEqual({ stage: 'current', version: '0.1.0' });
  });
});

describe('bookmarklet link', () => {
  it('carries the whole page address, query and fragment included, as one parameter', () => {
    const link = saveLinkFor('https://example.com/a b?x=1&url=evil#top');
    expect(link).toBe('gloss://save?url=https%3A%2F%2Fexample.com%2Fa%20b%3Fx%3D1%26url%3Devil%23top');
    expect(new URL(link).searchParams.getAll('url')).toEqual(['https://example.com/a b?x=1&url=evil#top']);
  });
});
