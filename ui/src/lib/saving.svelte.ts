// Saves from the window: the Save field, picked, dropped and pasted files and
// links, and saves started elsewhere (`gloss save` handed to the running app,
// a link from the browser) that the backend reports as `save-progress`.
// Each source has one line in the save bar until it is done (then it goes) or
// failed (then it offers Retry).

import * as api from '../api';
import type { SaveProgress } from '../bindings/SaveProgress';
import type { SaveStage } from '../bindings/SaveStage';
import { quoted } from './format';
import { baseName, parseSaveableUrl } from './urls';

export interface SaveItem {
  source: string;
  kind: 'url' | 'file';
  stage: SaveStage | 'queued';
  done: number;
  total: number;
  error: api.ApiError | null;
  id: number | null;
  /** Started elsewhere (the command line handing a save to the running app). */
  external: boolean;
}

/** How long a finished save's line stays. */
const DONE_LINGER_MS = 2500;

export class Saving {
  /** The saves shown in the save bar, one per source. */
  items = $state<SaveItem[]>([]);

  constructor(
    private readonly toast: (message: string, action?: { label: string; run: () => void }) => void,
    /** Opens a saved story (the toast's Open). */
    private readonly open: (id: number) => Promise<void>,
  ) {}

  saveUrl(url: string): Promise<void> {
    return this.run(url, 'url');
  }

  saveFile(path: string): Promise<void> {
    return this.run(path, 'file');
  }

  retry(source: string): Promise<void> {
    const item = this.items.find((s) => s.source === source);
    return this.run(source, item?.kind ?? 'url');
  }

  dismiss(source: string): void {
    this.items = this.items.filter((s) => s.source !== source);
  }

  /** The native file picker, then a save for each file chosen. */
  async pickFiles(): Promise<void> {
    try {
      for (const path of await api.pickFilesToSave()) void this.saveFile(path);
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }

  private upsert(item: SaveItem): void {
    const i = this.items.findIndex((s) => s.source === item.source);
    if (i >= 0) this.items[i] = item;
    else this.items.push(item);
  }

  private async run(source: string, kind: 'url' | 'file'): Promise<void> {
    const existing = this.items.find((s) => s.source === source);
    if (existing && existing.error === null && existing.stage !== 'done') return; // already running
    this.upsert({ source, kind, stage: 'queued', done: 0, total: 0, error: null, id: null, external: false });
    try {
      const saved = kind === 'url' ? await api.saveUrl(source) : await api.saveFile(source);
      this.upsert({ source, kind, stage: 'done', done: 0, total: 0, error: null, id: saved.id, external: false });
      this.toast(`Saved ${quoted(saved.title || baseName(source))}.`, {
        label: 'Open',
        run: () => void this.open(saved.id),
      });
      setTimeout(() => this.dismiss(source), DONE_LINGER_MS);
    } catch (e) {
      this.upsert({ source, kind, stage: 'failed', done: 0, total: 0, error: api.toApiError(e), id: null, external: false });
    }
  }

  /**
   * `save-progress` from the backend: the stage of a save started here, or of
   * one started elsewhere (`gloss save URL` handed to the running app), which
   * then gets its own line, its outcome and a Retry.
   */
  progress(p: SaveProgress): void {
    const item = this.items.find((s) => s.source === p.source);
    if (item && (item.stage === 'done' || item.stage === 'failed')) return;
    const base: SaveItem = item ?? {
      source: p.source,
      kind: parseSaveableUrl(p.source) ? 'url' : 'file',
      stage: 'queued',
      done: 0,
      total: 0,
      error: null,
      id: null,
      external: true,
    };
    if (!base.external) {
      if (p.stage !== 'done' && p.stage !== 'failed') {
        this.upsert({ ...base, stage: p.stage, done: p.done, total: p.total, id: p.id });
      }
      return; // the command's own answer settles it
    }
    const error = p.stage === 'failed' ? new api.ApiError('unsupported', p.message ?? 'The story could not be saved.') : null;
    this.upsert({ ...base, stage: p.stage, done: p.done, total: p.total, id: p.id, error });
    if (p.stage === 'done') setTimeout(() => this.dismiss(p.source), DONE_LINGER_MS);
  }
}
