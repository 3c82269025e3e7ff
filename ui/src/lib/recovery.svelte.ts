// The library's health in the window: the recovery dialog's state.
//
// The backend checks the library after start-up (and a damaged file that
// could not even be opened is found before the window shows). When it is
// damaged, the dialog says so, names where the damaged file was kept, and
// offers the newest backup that can be read; nothing is restored until the
// user says so. A daily backup that failed is told in a toast.

import * as api from '../api';
import type { BackupInfo } from '../bindings/BackupInfo';
import type { LibraryHealth } from '../bindings/LibraryHealth';

/** The backups that can be restored (those that could be read), newest first. */
export function restorable(health: LibraryHealth): BackupInfo[] {
  return health.backups
    .filter((b) => b.stories !== null)
    .sort((a, b) => Date.parse(b.taken_at) - Date.parse(a.taken_at));
}

/** The backup offered first: the newest that can be read. */
export function newestGood(health: LibraryHealth): BackupInfo | null {
  return restorable(health)[0] ?? null;
}

/** "28 Nov 2026, 14:05 · 1,234 stories · daily", in the user's locale. */
export function describeBackup(b: BackupInfo, locale?: string): string {
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(b.taken_at));
  const stories = b.stories === null ? 'unreadable' : `${b.stories.toLocaleString(locale)} ${b.stories === 1 ? 'story' : 'stories'}`;
  const kind = b.kind === 'upgrade' ? 'before an upgrade' : 'daily';
  return `${when} · ${stories} · ${kind}`;
}

/** What the backend calls the functions this state uses (replaced in tests). */
export interface RecoveryApi {
  libraryHealth: () => Promise<LibraryHealth>;
  restoreBackup: (path: string) => Promise<LibraryHealth>;
  startEmptyLibrary: () => Promise<LibraryHealth>;
}

export class Recovery {
  health = $state<LibraryHealth | null>(null);
  /** The backup the user picked (a path); the newest good one by default. */
  chosen = $state<string | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  /** The user closed the dialog on a damaged library that is still open. */
  dismissed = $state(false);
  private lastBackupError: string | null = null;

  constructor(
    private readonly notify: (message: string) => void,
    private readonly backend: RecoveryApi = api,
  ) {}

  /** Whether the dialog shows. */
  get open(): boolean {
    return this.health !== null && this.health.state !== 'ok' && !this.dismissed;
  }

  /** Whether there is a library behind the dialog to go back to. */
  get canDismiss(): boolean {
    return this.health?.state === 'damaged' && this.health.set_aside === null;
  }

  /** Asks for the health (after the start-up check); errors become a toast. */
  async load(): Promise<void> {
    try {
      this.receive(await this.backend.libraryHealth());
    } catch (e) {
      this.notify(api.toApiError(e).message);
    }
  }

  /** A health from the backend (the answer to `load`, or an event). */
  receive(health: LibraryHealth): void {
    const wasOk = this.health === null || this.health.state === 'ok';
    this.health = health;
    if (health.state !== 'ok' && (wasOk || this.chosen === null)) {
      this.dismissed = false;
      this.chosen = newestGood(health)?.path ?? null;
    }
    if (health.backup_error && health.backup_error !== this.lastBackupError) {
      this.notify(`The automatic backup failed: ${health.backup_error}`);
    }
    this.lastBackupError = health.backup_error;
  }

  /** Restores the chosen backup: the user's consent is this call. */
  async restore(): Promise<void> {
    const path = this.chosen;
    if (path === null || this.busy) return;
    const backup = this.health?.backups.find((b) => b.path === path);
    await this.replace(() => this.backend.restoreBackup(path), backup ? `Restored the backup of ${describeBackup(backup)}.` : 'Restored the backup.');
  }

  /** Starts over with an empty library (the damaged one stays aside). */
  async startEmpty(): Promise<void> {
    if (this.busy) return;
    await this.replace(() => this.backend.startEmptyLibrary(), 'Started an empty library.');
  }

  dismiss(): void {
    if (this.canDismiss) this.dismissed = true;
  }

  private async replace(run: () => Promise<LibraryHealth>, done: string): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const health = await run();
      this.receive(health);
      const kept = health.set_aside ? ` The damaged library is kept as ${health.set_aside}.` : '';
      this.notify(done + kept);
    } catch (e) {
      this.error = api.toApiError(e).message;
    } finally {
      this.busy = false;
    }
  }
}
