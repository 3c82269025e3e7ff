// Sync in the window: the status the backend sends (`sync-status`), the
// actions of Settings › Sync and the sidebar, and the wording of the quiet
// status line. The syncing itself runs in the backend (services/sync.rs).

import * as api from '../api';
import type { SyncStatus } from '../bindings/SyncStatus';
import { plural } from './format';

export const SYNC_OFF: SyncStatus = {
  on: false,
  target: null,
  folder: null,
  url: null,
  user: null,
  encrypted: false,
  device: null,
  last_sync: null,
  waiting: 0,
  last_error: null,
  last_report: null,
};

/** "just now", "2 min ago", "3 h ago", "4 days ago". */
export function ago(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return 'at an unknown time';
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ago`;
  const days = Math.floor(h / 24);
  return `${plural(days, 'day')} ago`;
}

/** Whether an error means the storage could not be reached (changes simply wait). */
export function looksOffline(error: string): boolean {
  // The backend's words for these (gloss_core::sync::remote::RemoteError).
  return /cannot reach the server|did not answer in time|broke off|is not there/i.test(error);
}

/**
 * The sidebar's line: null when sync is off. "Synced 2 min ago",
 * "Offline — 12 changes waiting", or the error in the backend's words
 * (which say what to do).
 */
export function syncLine(s: SyncStatus, now: number, running = false): string | null {
  if (!s.on) return null;
  if (running) return 'Syncing…';
  const waiting = s.waiting > 0 ? `${plural(s.waiting, 'change')} waiting` : '';
  if (s.last_error) {
    if (looksOffline(s.last_error)) return `Offline — ${waiting || 'nothing waiting'}`;
    return `Sync failed: ${s.last_error}`;
  }
  if (!s.last_sync) return waiting ? `Not synced yet — ${waiting}` : 'Not synced yet';
  const when = `Synced ${ago(s.last_sync, now)}`;
  return waiting ? `${when} — ${waiting}` : when;
}

export class Sync {
  status = $state<SyncStatus>(SYNC_OFF);
  running = $state(false);
  /** An action's failure (a setup refused, sync turned off failing). */
  error = $state<string | null>(null);
  /** Ticks each minute so that "2 min ago" moves on (and no more often: idle is quiet). */
  now = $state(Date.now());
  private timer: ReturnType<typeof setInterval> | undefined;

  /** At start, after the first paint: read the status, then sync once. */
  async start(): Promise<void> {
    this.timer ??= setInterval(() => (this.now = Date.now()), 60_000);
    try {
      this.status = await api.syncStatus();
    } catch {
      return;
    }
    if (this.status.on) await this.syncNow();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The backend's `sync-status` event. */
  onStatus(s: SyncStatus): void {
    this.status = s;
    this.now = Date.now();
  }

  private async act(work: () => Promise<SyncStatus>): Promise<boolean> {
    this.running = true;
    this.error = null;
    try {
      this.onStatus(await work());
      return true;
    } catch (e) {
      this.error = api.toApiError(e).message;
      return false;
    } finally {
      this.running = false;
    }
  }

  syncNow(): Promise<boolean> {
    if (this.running) return Promise.resolve(false);
    return this.act(() => api.syncNow());
  }

  /** A passphrase (not empty) encrypts every file on the storage. */
  setupFolder(path: string, merge: boolean, passphrase: string | null = null): Promise<boolean> {
    return this.act(() => api.syncSetupFolder(path.trim(), passphrase || null, merge));
  }

  setupWebdav(setup: api.WebdavSetup): Promise<boolean> {
    return this.act(() =>
      api.syncSetupWebdav({
        ...setup,
        url: setup.url.trim(),
        user: setup.user.trim(),
        passphrase: setup.passphrase || null,
      }),
    );
  }

  turnOff(): Promise<boolean> {
    return this.act(() => api.syncOff());
  }

  get line(): string | null {
    return syncLine(this.status, this.now, this.running);
  }
}

export const sync = new Sync();
