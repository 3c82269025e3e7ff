import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { SyncStatus } from '../bindings/SyncStatus';
import { SYNC_OFF, Sync, ago, looksOffline, syncLine } from './sync.svelte';

afterEach(() => {
  clearMocks();
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});

const NOW = Date.parse('2026-12-02T11:00:00Z');

function on(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    ...SYNC_OFF,
    on: true,
    target: 'folder /tmp/sync',
    folder: '/tmp/sync',
    device: 'd1',
    ...over,
  };
}

describe('sync status line', () => {
  it('says nothing when sync is off', () => {
    expect(syncLine(SYNC_OFF, NOW)).toBeNull();
  });

  it('says when it last synced', () => {
    expect(syncLine(on({ last_sync: '2026-12-02T10:58:00Z' }), NOW)).toBe('Synced 2 min ago');
    expect(syncLine(on({ last_sync: '2026-12-02T10:59:40Z' }), NOW)).toBe('Synced just now');
    expect(syncLine(on({ last_sync: '2026-12-02T07:30:00Z' }), NOW)).toBe('Synced 3 h ago');
    expect(syncLine(on({ last_sync: '2026-11-30T10:00:00Z' }), NOW)).toBe('Synced 2 days ago');
    expect(syncLine(on({ last_sync: '2026-11-30T10:00:00Z', waiting: 1 }), NOW)).toBe(
      'Synced 2 days ago — 1 change waiting',
    );
  });

  it('says offline and how many changes wait when the storage cannot be reached', () => {
    const s = on({
      last_sync: '2026-12-02T10:00:00Z',
      waiting: 12,
      last_error: 'folder /mnt/nas/gloss is not there: is the drive or network folder mounted?',
    });
    expect(syncLine(s, NOW)).toBe('Offline — 12 changes waiting');
    expect(syncLine({ ...s, last_error: 'cannot reach the server: connection refused' }, NOW)).toBe(
      'Offline — 12 changes waiting',
    );
    expect(syncLine({ ...s, waiting: 0, last_error: 'the server did not answer in time; Gloss will try again later' }, NOW)).toBe(
      'Offline — nothing waiting',
    );
  });

  it('gives any other error in the backend’s words, which say what to do', () => {
    const error = 'the server is full (HTTP 507 Insufficient Storage): free some space on it';
    expect(looksOffline(error)).toBe(false);
    expect(syncLine(on({ waiting: 3, last_error: error }), NOW)).toBe(`Sync failed: ${error}`);
  });

  it('says when it has never synced, and when a sync runs', () => {
    expect(syncLine(on(), NOW)).toBe('Not synced yet');
    expect(syncLine(on({ waiting: 2400 }), NOW)).toBe(`Not synced yet — ${(2400).toLocaleString()} changes waiting`);
    expect(syncLine(on(), NOW, true)).toBe('Syncing…');
  });

  it('copes with a date it cannot read', () => {
    expect(ago('not a date', NOW)).toBe('at an unknown time');
  });
});

describe('sync actions', () => {
  it('reads the status at start and syncs once when sync is on', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return cmd === 'sync_now' ? on({ last_sync: new Date().toISOString() }) : on();
    });
    const s = new Sync();
    await s.start();
    s.stop();
    expect(calls).toEqual(['sync_status', 'sync_now']);
    expect(s.line).toBe('Synced just now');
  });

  it('does not sync at start when sync is off', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return SYNC_OFF;
    });
    const s = new Sync();
    await s.start();
    s.stop();
    expect(calls).toEqual(['sync_status']);
    expect(s.line).toBeNull();
  });

  it('sends the folder and the merge choice, and shows a refusal in plain words', async () => {
    const args: unknown[] = [];
    mockIPC((cmd, a) => {
      args.push([cmd, a]);
      throw { kind: 'invalid_input', message: 'the folder already holds another Gloss library' };
    });
    const s = new Sync();
    expect(await s.setupFolder('  /tmp/sync ', true)).toBe(false);
    expect(args).toEqual([['sync_setup_folder', { path: '/tmp/sync', passphrase: null, merge: true }]]);
    expect(s.error).toBe('the folder already holds another Gloss library');
    expect(s.running).toBe(false);
  });

  it('sends a WebDAV setup trimmed, with the passphrase only when one was typed', async () => {
    const args: unknown[] = [];
    mockIPC((cmd, a) => {
      args.push([cmd, a]);
      return on({ target: 'WebDAV https://dav.example.org/g as ann, encrypted', encrypted: true });
    });
    const s = new Sync();
    const setup = { url: ' https://dav.example.org/g ', user: 'ann ', password: 'pw', merge: false };
    expect(await s.setupWebdav({ ...setup, passphrase: 'correct horse' })).toBe(true);
    expect(await s.setupWebdav({ ...setup, passphrase: '' })).toBe(true);
    expect(await s.setupFolder('/tmp/sync', false, 'pass phrase')).toBe(true);
    const trimmed = { url: 'https://dav.example.org/g', user: 'ann', password: 'pw', merge: false };
    expect(args).toEqual([
      ['sync_setup_webdav', { ...trimmed, passphrase: 'correct horse' }],
      ['sync_setup_webdav', { ...trimmed, passphrase: null }],
      ['sync_setup_folder', { path: '/tmp/sync', passphrase: 'pass phrase', merge: false }],
    ]);
    expect(s.status.encrypted).toBe(true);
  });

  it('takes the status the backend sends', () => {
    const s = new Sync();
    s.onStatus(on({ waiting: 5, last_error: 'cannot reach the server: no route' }));
    expect(s.line).toBe('Offline — 5 changes waiting');
  });
});
