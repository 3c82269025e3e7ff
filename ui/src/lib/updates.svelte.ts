// "Check for updates": only when the user clicks, or at start-up if they
// turned that on (off by default). Nothing else asks the network about
// Gloss itself. A build without an update key offers neither.

import * as api from '../api';

export const CHECK_AT_START_KEY = 'gloss.updates.checkAtStart.v1';

export type UpdateState =
  | { stage: 'idle' }
  | { stage: 'checking' }
  | { stage: 'current'; version: string }
  | { stage: 'available'; version: string; notes: string | null }
  | { stage: 'installing'; version: string }
  | { stage: 'failed'; message: string };

interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function readFlag(storage: Storage | undefined): boolean {
  try {
    return storage?.getItem(CHECK_AT_START_KEY) === 'true';
  } catch {
    return false;
  }
}

export class Updates {
  state = $state<UpdateState>({ stage: 'idle' });
  checkAtStart = $state(false);
  /** Whether this build has an update key (known once the app has asked the backend). */
  configured = $state(false);
  private readonly storage: Storage | undefined;

  constructor(storage: Storage | undefined = globalThis.localStorage) {
    this.storage = storage;
    this.checkAtStart = readFlag(storage);
  }

  setCheckAtStart(on: boolean): void {
    this.checkAtStart = on;
    try {
      this.storage?.setItem(CHECK_AT_START_KEY, String(on));
    } catch {
      // Storage disabled: the choice lasts for this session.
    }
  }

  async check(): Promise<void> {
    if (this.state.stage === 'checking' || this.state.stage === 'installing') return;
    this.state = { stage: 'checking' };
    try {
      const found = await api.checkForUpdate();
      this.state = found.available
        ? { stage: 'available', version: found.available, notes: found.notes }
        : { stage: 'current', version: found.current };
    } catch (e) {
      this.state = { stage: 'failed', message: api.toApiError(e).message };
    }
  }

  /** At start-up: checks only if the user opted in and this build can update. */
  async startUp(configured: boolean): Promise<void> {
    this.configured = configured;
    if (this.checkAtStart && configured) await this.check();
  }

  async install(): Promise<void> {
    if (this.state.stage !== 'available') return;
    const version = this.state.version;
    this.state = { stage: 'installing', version };
    try {
      await api.installUpdate();
    } catch (e) {
      this.state = { stage: 'failed', message: api.toApiError(e).message };
    }
  }
}

export const updates = new Updates();
