import { describe, expect, test, vi } from 'vitest';
import type { BackupInfo } from '../bindings/BackupInfo';
import type { LibraryHealth } from '../bindings/LibraryHealth';
import { ApiError } from '../api';
import { describeBackup, newestGood, Recovery, restorable, type RecoveryApi } from './recovery.svelte';

function backup(path: string, taken_at: string, stories: number | null, kind: BackupInfo['kind'] = 'daily'): BackupInfo {
  return { path, kind, taken_at, bytes: 1000, stories };
}

function health(over: Partial<LibraryHealth> = {}): LibraryHealth {
  return {
    path: '/lib/library.gloss',
    state: 'ok',
    message: null,
    set_aside: null,
    backups: [],
    backup_error: null,
    ...over,
  };
}

const backups = [
  backup('/b/old.gloss', '2026-11-20T10:00:00Z', 10),
  backup('/b/unreadable.gloss', '2026-11-28T10:00:00Z', null),
  backup('/b/new.gloss', '2026-11-27T10:00:00Z', 12, 'upgrade'),
];

function fakeApi(over: Partial<RecoveryApi> = {}): RecoveryApi {
  return {
    libraryHealth: vi.fn(() => Promise.resolve(health())),
    restoreBackup: vi.fn(() => Promise.resolve(health({ set_aside: '/lib/library.gloss.damaged-x' }))),
    startEmptyLibrary: vi.fn(() => Promise.resolve(health({ set_aside: '/lib/library.gloss.damaged-x' }))),
    ...over,
  };
}

describe('which backups are offered', () => {
  test('only readable ones, newest first; the newest readable is offered first', () => {
    const h = health({ state: 'damaged', backups });
    expect(restorable(h).map((b) => b.path)).toEqual(['/b/new.gloss', '/b/old.gloss']);
    expect(newestGood(h)?.path).toBe('/b/new.gloss');
    expect(newestGood(health({ state: 'damaged' }))).toBeNull();
  });

  test('a backup is described by its time, stories and kind', () => {
    const d = describeBackup(backup('/b/x', '2026-11-27T10:00:00Z', 1234, 'upgrade'), 'en-GB');
    expect(d).toContain('2026');
    expect(d).toContain('1,234 stories');
    expect(d).toContain('before an upgrade');
    expect(describeBackup(backup('/b/y', '2026-11-27T10:00:00Z', 1), 'en-GB')).toContain('1 story · daily');
  });
});

describe('Recovery', () => {
  test('a sound library shows no dialog', async () => {
    const r = new Recovery(() => {}, fakeApi());
    await r.load();
    expect(r.open).toBe(false);
  });

  test('damage opens the dialog with the newest good backup chosen, and restoring needs a call', async () => {
    const backend = fakeApi({
      libraryHealth: () => Promise.resolve(health({ state: 'damaged', message: 'bad page', backups })),
    });
    const said: string[] = [];
    const r = new Recovery((m) => said.push(m), backend);
    await r.load();
    expect(r.open).toBe(true);
    expect(r.chosen).toBe('/b/new.gloss');
    expect(r.canDismiss).toBe(true);
    expect(backend.restoreBackup).not.toHaveBeenCalled();
    await r.restore();
    expect(backend.restoreBackup).toHaveBeenCalledWith('/b/new.gloss');
    expect(r.open).toBe(false);
    expect(said.at(-1)).toContain('kept as /lib/library.gloss.damaged-x');
  });

  test('a library that could not be opened cannot be dismissed', () => {
    const r = new Recovery(() => {}, fakeApi());
    r.receive(health({ state: 'damaged', set_aside: '/lib/aside', backups }));
    r.dismiss();
    expect(r.open).toBe(true);
    expect(r.canDismiss).toBe(false);
  });

  test('a failed restore keeps the dialog and shows why', async () => {
    const backend = fakeApi({
      restoreBackup: () => Promise.reject(new ApiError('database', 'that backup is damaged too; nothing was changed')),
    });
    const r = new Recovery(() => {}, backend);
    r.receive(health({ state: 'damaged', backups }));
    await r.restore();
    expect(r.open).toBe(true);
    expect(r.error).toContain('nothing was changed');
    expect(r.busy).toBe(false);
  });

  test('the user can pick another backup, and an event does not undo the choice', () => {
    const r = new Recovery(() => {}, fakeApi());
    r.receive(health({ state: 'damaged', backups }));
    r.chosen = '/b/old.gloss';
    r.receive(health({ state: 'damaged', backups, backup_error: null }));
    expect(r.chosen).toBe('/b/old.gloss');
  });

  test('a failed automatic backup is told once', () => {
    const said: string[] = [];
    const r = new Recovery((m) => said.push(m), fakeApi());
    r.receive(health({ backup_error: 'disk full' }));
    r.receive(health({ backup_error: 'disk full' }));
    expect(said).toEqual(['The automatic backup failed: disk full']);
    expect(r.open).toBe(false);
  });

  test('starting empty is its own choice', async () => {
    const backend = fakeApi();
    const r = new Recovery(() => {}, backend);
    r.receive(health({ state: 'damaged', set_aside: '/lib/aside' }));
    await r.startEmpty();
    expect(backend.startEmptyLibrary).toHaveBeenCalled();
    expect(backend.restoreBackup).not.toHaveBeenCalled();
    expect(r.open).toBe(false);
  });
});
