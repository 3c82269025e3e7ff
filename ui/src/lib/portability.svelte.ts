// Import and Export in the window: what the dialogs show and do. The work
// runs in the backend (one import and one export at a time); this follows
// it through its progress events, can cancel it, and keeps the summary.
// Closing a dialog never stops the work: it goes on, and a toast says when
// it is done, with a button to see the summary.

import * as api from '../api';
import type { ExportFormat } from '../bindings/ExportFormat';
import type { ExportProgress } from '../bindings/ExportProgress';
import type { ExportReport } from '../bindings/ExportReport';
import type { ExportRequest } from '../bindings/ExportRequest';
import type { ImportProgress } from '../bindings/ImportProgress';
import type { ImportReport } from '../bindings/ImportReport';
import type { ListQuery } from '../bindings/ListQuery';
import { plural } from './format';

export type Phase = 'idle' | 'running' | 'done' | 'failed';

// ---- Import (pure) ---------------------------------------------------------------

/** The formats a user can name when detection is not enough ('' = detect). */
export const IMPORT_FORMATS: readonly { value: string; label: string }[] = [
  { value: '', label: 'Detect from the file' },
  { value: 'pocket', label: 'Pocket (HTML, CSV or ZIP)' },
  { value: 'instapaper', label: 'Instapaper CSV' },
  { value: 'omnivore', label: 'Omnivore ZIP' },
  { value: 'wallabag', label: 'wallabag JSON' },
  { value: 'readwise', label: 'Readwise CSV' },
  { value: 'netscape', label: 'Browser bookmarks (HTML)' },
  { value: 'opml', label: 'Feeds (OPML)' },
  { value: 'gloss', label: 'Gloss export (ZIP or JSON)' },
];

/** 0..1 when the total is known, null for "working" with no end in sight. */
export function fraction(done: number, total: number): number | null {
  if (!(total > 0)) return null;
  return Math.min(1, Math.max(0, done / total));
}

/** What the progress line says. */
export function importStatus(p: ImportProgress | null): string {
  if (!p) return 'Starting…';
  switch (p.stage) {
    case 'reading':
      return 'Reading the file…';
    case 'importing':
      return `Importing ${p.done.toLocaleString()} of ${plural(p.total, 'item')}…`;
    case 'fetching':
      return `Downloading the stories’ content: ${p.done.toLocaleString()} of ${p.total.toLocaleString()}…`;
    case 'done':
      return 'Done.';
  }
}

/** The summary in one line: "12 imported, 3 merged, 1 failed". */
export function importSummary(r: ImportReport): string {
  const parts = [`${r.imported.toLocaleString()} imported`, `${r.merged.toLocaleString()} merged`, `${r.failed.length.toLocaleString()} failed`];
  if (r.skipped.length > 0) parts.push(`${r.skipped.length.toLocaleString()} skipped`);
  return parts.join(', ');
}

/** The sentences under the summary: the cancel, the content still to come. */
export function importNotes(r: ImportReport, fetched: boolean): string[] {
  const notes: string[] = [];
  if (r.cancelled) notes.push('Cancelled: what was imported before stays. Import the file again to finish; nothing is doubled.');
  if (r.fetched > 0 || r.fetch_failed.length > 0) {
    notes.push(`Downloaded the content of ${plural(r.fetched, 'story', 'stories')}; ${r.fetch_failed.length.toLocaleString()} could not be downloaded.`);
  }
  if (r.waiting_for_content > 0) {
    notes.push(
      fetched
        ? `${plural(r.waiting_for_content, 'story waits', 'stories wait')} for content; the next import with downloads on (or \`gloss fetch-pending\`) tries again.`
        : `${plural(r.waiting_for_content, 'story waits', 'stories wait')} for content (downloads were off): import again with them on, or run \`gloss fetch-pending\`.`,
    );
  }
  if (r.highlights > 0) notes.push(`${plural(r.highlights, 'highlight')} added.`);
  return notes;
}

// ---- Export (pure) ----------------------------------------------------------------

export interface ExportFormatInfo {
  value: ExportFormat;
  label: string;
  /** The file's extension; null: a folder (one file per story). */
  extension: string | null;
  defaultName: string;
  /** Of chosen stories (a list or a selection); else the whole library's. */
  takesStories: boolean;
}

export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [
  { value: 'json', label: 'Gloss (everything, to import again)', extension: 'zip', defaultName: 'gloss-export.zip', takesStories: true },
  { value: 'epub', label: 'EPUB book (for e-readers)', extension: 'epub', defaultName: 'gloss-stories.epub', takesStories: true },
  { value: 'markdown', label: 'Markdown notes (a folder, one file per story)', extension: null, defaultName: 'gloss-notes', takesStories: true },
  { value: 'netscape', label: 'Browser bookmarks (HTML)', extension: 'html', defaultName: 'gloss-bookmarks.html', takesStories: true },
  { value: 'opml', label: 'Feeds (OPML)', extension: 'opml', defaultName: 'gloss-feeds.opml', takesStories: false },
  { value: 'annotations', label: 'Highlights and notes (W3C annotations, JSON-LD)', extension: 'json', defaultName: 'gloss-annotations.json', takesStories: false },
];

export function exportFormatInfo(format: ExportFormat): ExportFormatInfo {
  return EXPORT_FORMATS.find((f) => f.value === format) ?? EXPORT_FORMATS[0]!;
}

/** Which stories: every one, the list shown, or the story selected. */
export type ExportScope = 'all' | 'list' | 'selected';

const ALL: ListQuery = { filter: 'all', tag: null, feed_id: null, limit: null, before: null };

/** The request for the backend; the list is exported whole (no page limit). */
export function exportRequest(format: ExportFormat, path: string, scope: ExportScope, list: ListQuery, selectedId: number | null): ExportRequest {
  const info = exportFormatInfo(format);
  if (!info.takesStories || scope === 'all') return { format, path, query: ALL, ids: [] };
  if (scope === 'selected' && selectedId !== null) return { format, path, query: ALL, ids: [selectedId] };
  return { format, path, query: { ...list, limit: null, before: null }, ids: [] };
}

/**
 * A destination kept across a change of format: `notes.zip` becomes
 * `notes.epub`; between a file and a folder it is cleared.
 */
export function retarget(path: string, from: string | null, to: string | null): string {
  if (!path || from === to) return path;
  if (from === null || to === null) return '';
  const suffix = `.${from}`;
  return path.toLowerCase().endsWith(suffix) ? `${path.slice(0, -suffix.length)}.${to}` : path;
}

/** What the export wrote, in words. */
export function exportSummary(r: ExportReport): string {
  if (r.cancelled) {
    return r.stories > 0 ? `Cancelled; the ${plural(r.stories, 'file')} written before stay in ${r.path}.` : 'Cancelled; nothing was written.';
  }
  const what: string[] = [];
  switch (r.format) {
    case 'opml':
      what.push(plural(r.feeds, 'feed'));
      break;
    case 'annotations':
      what.push(plural(r.annotations, 'highlight'));
      break;
    default:
      what.push(plural(r.stories, 'story', 'stories'));
      if (r.images > 0) what.push(plural(r.images, 'image'));
      if (r.format === 'json' && r.feeds > 0) what.push(plural(r.feeds, 'feed'));
  }
  return `Exported ${what.join(', ')} to ${r.path}.`;
}

// ---- State -------------------------------------------------------------------------

type Notify = (message: string, action?: { label: string; run: () => void }, timeoutMs?: number) => void;

export class Portability {
  // Import
  importPath = $state('');
  importFormat = $state('');
  /** Download images and the content of stories that came as links. */
  fetchContent = $state(true);
  importPhase = $state<Phase>('idle');
  importProgress = $state<ImportProgress | null>(null);
  importReport = $state<ImportReport | null>(null);
  importError = $state<api.ApiError | null>(null);
  importCancelling = $state(false);

  // Export
  exportFormat = $state<ExportFormat>('json');
  exportScope = $state<ExportScope>('all');
  exportPath = $state('');
  exportPhase = $state<Phase>('idle');
  exportProgress = $state<ExportProgress | null>(null);
  exportReport = $state<ExportReport | null>(null);
  exportError = $state<api.ApiError | null>(null);
  exportCancelling = $state(false);

  constructor(
    private readonly notify: Notify,
    /** Whether a dialog ('import' or 'export') is on screen now. */
    private readonly shown: (which: 'import' | 'export') => boolean,
    private readonly show: (which: 'import' | 'export') => void,
  ) {}

  // ---- Import

  async pickImportFile(): Promise<void> {
    try {
      const path = await api.pickImportFile();
      if (path) this.importPath = path;
    } catch (e) {
      this.importError = api.toApiError(e);
    }
  }

  /** Back to the form (after a summary or an error), keeping the choices. */
  resetImport(): void {
    if (this.importPhase === 'running') return;
    this.importPhase = 'idle';
    this.importProgress = null;
    this.importReport = null;
    this.importError = null;
  }

  onImportProgress(p: ImportProgress): void {
    if (this.importPhase === 'running') this.importProgress = p;
  }

  async runImport(): Promise<void> {
    const path = this.importPath.trim();
    if (this.importPhase === 'running') return;
    if (!path) {
      this.importError = new api.ApiError('invalid_input', 'Choose the file to import, or type its path.');
      return;
    }
    this.importPhase = 'running';
    this.importProgress = null;
    this.importReport = null;
    this.importError = null;
    this.importCancelling = false;
    const fetched = this.fetchContent;
    try {
      const report = await api.importFile(path, this.importFormat || null, fetched);
      this.importReport = report;
      this.importPhase = 'done';
      if (!this.shown('import')) {
        this.notify(`Import finished: ${importSummary(report)}.`, { label: 'Show', run: () => this.show('import') }, 10000);
      }
    } catch (e) {
      this.importError = api.toApiError(e);
      this.importPhase = 'failed';
      if (!this.shown('import')) {
        this.notify(`Import failed: ${this.importError.message}`, { label: 'Show', run: () => this.show('import') }, 10000);
      }
    } finally {
      this.importCancelling = false;
    }
  }

  async cancelImport(): Promise<void> {
    if (this.importPhase !== 'running') return;
    this.importCancelling = true;
    try {
      await api.cancelImport();
    } catch (e) {
      this.importCancelling = false;
      this.notify(api.toApiError(e).message);
    }
  }

  // ---- Export

  /** Picks a format; a destination chosen for another one follows it (its extension), or is cleared. */
  setExportFormat(format: ExportFormat): void {
    const before = exportFormatInfo(this.exportFormat);
    const after = exportFormatInfo(format);
    this.exportFormat = format;
    this.exportPath = retarget(this.exportPath, before.extension, after.extension);
  }

  /** Asks where the export goes (a file, or a folder for Markdown). */
  async pickExportPath(): Promise<void> {
    const info = exportFormatInfo(this.exportFormat);
    try {
      const path = await api.pickExportDestination(info.defaultName, info.extension);
      if (path) this.exportPath = path;
    } catch (e) {
      this.exportError = api.toApiError(e);
    }
  }

  resetExport(): void {
    if (this.exportPhase === 'running') return;
    this.exportPhase = 'idle';
    this.exportProgress = null;
    this.exportReport = null;
    this.exportError = null;
  }

  onExportProgress(p: ExportProgress): void {
    if (this.exportPhase === 'running') this.exportProgress = p;
  }

  async runExport(list: ListQuery, selectedId: number | null): Promise<void> {
    const path = this.exportPath.trim();
    if (this.exportPhase === 'running') return;
    if (!path) {
      this.exportError = new api.ApiError('invalid_input', 'Choose where the export goes, or type the path.');
      return;
    }
    this.exportPhase = 'running';
    this.exportProgress = null;
    this.exportReport = null;
    this.exportError = null;
    this.exportCancelling = false;
    try {
      const report = await api.exportLibrary(exportRequest(this.exportFormat, path, this.exportScope, list, selectedId));
      this.exportReport = report;
      this.exportPhase = 'done';
      if (!this.shown('export')) this.notify(exportSummary(report), undefined, 8000);
    } catch (e) {
      this.exportError = api.toApiError(e);
      this.exportPhase = 'failed';
      if (!this.shown('export')) {
        this.notify(`Export failed: ${this.exportError.message}`, { label: 'Show', run: () => this.show('export') }, 10000);
      }
    } finally {
      this.exportCancelling = false;
    }
  }

  async cancelExport(): Promise<void> {
    if (this.exportPhase !== 'running') return;
    this.exportCancelling = true;
    try {
      await api.cancelExport();
    } catch (e) {
      this.exportCancelling = false;
      this.notify(api.toApiError(e).message);
    }
  }
}
