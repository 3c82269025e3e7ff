import { afterEach, describe, expect, test, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { ExportReport } from '../bindings/ExportReport';
import type { ImportReport } from '../bindings/ImportReport';
import type { ListQuery } from '../bindings/ListQuery';
import { exportRequest, exportSummary, fraction, importNotes, importStatus, importSummary, Portability, retarget } from './portability.svelte';

function report(over: Partial<ImportReport> = {}): ImportReport {
  return {
    format: 'pocket-csv',
    imported: 0,
    merged: 0,
    failed: [],
    skipped: [],
    warnings: [],
    highlights: 0,
    waiting_for_content: 0,
    fetched: 0,
    fetch_failed: [],
    cancelled: false,
    ...over,
  };
}

function exported(over: Partial<ExportReport> = {}): ExportReport {
  return { format: 'json', path: '/tmp/x.zip', stories: 0, images: 0, feeds: 0, annotations: 0, cancelled: false, ...over };
}

const starred: ListQuery = { filter: 'starred', tag: null, feed_id: null, limit: 100, before: { saved_at_ms: 5, id: 9 } };

describe('import wording', () => {
  test('progress is a fraction only when the total is known', () => {
    expect(fraction(0, 0)).toBeNull();
    expect(fraction(5, 10)).toBe(0.5);
    expect(fraction(12, 10)).toBe(1);
  });

  test('the status line follows the stages', () => {
    expect(importStatus(null)).toBe('Starting…');
    const base = { done: 3, total: 1200, imported: 0, merged: 0, failed: 0 };
    expect(importStatus({ ...base, stage: 'reading' })).toBe('Reading the file…');
    expect(importStatus({ ...base, stage: 'importing' })).toBe(`Importing 3 of ${(1200).toLocaleString()} items…`);
    expect(importStatus({ ...base, stage: 'fetching' })).toContain('content');
  });

  test('the summary counts imported, merged, failed and skipped', () => {
    expect(importSummary(report({ imported: 2, merged: 1, failed: [{ item: 'x', reason: 'y' }] }))).toBe('2 imported, 1 merged, 1 failed');
    expect(importSummary(report({ skipped: [{ item: 'Book', reason: 'no URL (book highlight)' }] }))).toBe('0 imported, 0 merged, 0 failed, 1 skipped');
  });

  test('notes say what a cancel keeps and what still waits', () => {
    const notes = importNotes(report({ cancelled: true, waiting_for_content: 3 }), false);
    expect(notes[0]).toMatch(/^Cancelled/);
    expect(notes[1]).toContain('3 stories wait');
    expect(notes[1]).toContain('downloads were off');
    expect(importNotes(report(), true)).toEqual([]);
  });
});

describe('export requests', () => {
  test('the list is exported whole, chosen stories by id, library-wide formats ignore the scope', () => {
    expect(exportRequest('epub', '/b.epub', 'list', starred, 4)).toEqual({
      format: 'epub',
      path: '/b.epub',
      query: { ...starred, limit: null, before: null },
      ids: [],
    });
    expect(exportRequest('markdown', '/d', 'selected', starred, 4).ids).toEqual([4]);
    // No selection: the list, not an empty export.
    expect(exportRequest('markdown', '/d', 'selected', starred, null).query.filter).toBe('starred');
    expect(exportRequest('json', '/x.zip', 'all', starred, 4).query.filter).toBe('all');
    const opml = exportRequest('opml', '/f.opml', 'selected', starred, 4);
    expect([opml.query.filter, opml.ids]).toEqual(['all', []]);
  });

  test('a destination follows a change of format', () => {
    expect(retarget('/home/me/out.zip', 'zip', 'epub')).toBe('/home/me/out.epub');
    expect(retarget('/home/me/out.ZIP', 'zip', 'html')).toBe('/home/me/out.html');
    expect(retarget('/home/me/out', 'zip', 'epub')).toBe('/home/me/out');
    expect(retarget('/home/me/out.zip', 'zip', null)).toBe('');
    expect(retarget('', 'zip', 'epub')).toBe('');
  });

  test('the summary says what went where', () => {
    expect(exportSummary(exported({ stories: 2, images: 3, feeds: 1 }))).toBe('Exported 2 stories, 3 images, 1 feed to /tmp/x.zip.');
    expect(exportSummary(exported({ format: 'opml', feeds: 4 }))).toBe('Exported 4 feeds to /tmp/x.zip.');
    expect(exportSummary(exported({ cancelled: true }))).toBe('Cancelled; nothing was written.');
    expect(exportSummary(exported({ format: 'markdown', path: '/n', stories: 2, cancelled: true }))).toContain('2 files');
  });
});

describe('Portability state', () => {
  afterEach(() => clearMocks());

  function make(shown = true) {
    const notify = vi.fn();
    const show = vi.fn();
    const p = new Portability(notify, () => shown, show);
    return { p, notify, show };
  }

  test('an import sends the path, the named format and the download choice, and keeps the report', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'import_file') return report({ imported: 5 });
      return null;
    });
    const { p } = make();
    p.importPath = '  /home/me/pocket.csv ';
    p.importFormat = 'pocket';
    p.fetchContent = false;
    const run = p.runImport();
    expect(p.importPhase).toBe('running');
    p.onImportProgress({ stage: 'importing', done: 1, total: 5, imported: 0, merged: 0, failed: 0 });
    expect(p.importProgress?.done).toBe(1);
    await run;
    expect(calls).toEqual([['import_file', { path: '/home/me/pocket.csv', format: 'pocket', fetch: false }]]);
    expect(p.importPhase).toBe('done');
    expect(p.importReport?.imported).toBe(5);
    // Progress of nothing under way is not shown.
    p.onImportProgress({ stage: 'importing', done: 9, total: 9, imported: 0, merged: 0, failed: 0 });
    expect(p.importProgress?.done).toBe(1);
    p.resetImport();
    expect([p.importPhase, p.importReport, p.importPath]).toEqual(['idle', null, '  /home/me/pocket.csv ']);
  });

  test('no file is a message, not a call', async () => {
    const invoked = vi.fn();
    mockIPC(invoked);
    const { p } = make();
    await p.runImport();
    expect(invoked).not.toHaveBeenCalled();
    expect(p.importPhase).toBe('idle');
    expect(p.importError?.message).toMatch(/Choose the file/);
  });

  test('detect sends no format; a failure keeps its message', async () => {
    mockIPC((cmd, args) => {
      expect((args as { format: unknown }).format).toBeNull();
      throw { kind: 'unsupported', message: 'this is not an export Gloss reads' };
    });
    const { p } = make();
    p.importPath = '/x.bin';
    await p.runImport();
    expect(p.importPhase).toBe('failed');
    expect(p.importError?.kind).toBe('unsupported');
  });

  test('cancel asks the backend once the import runs; a hidden dialog gets a toast with Show', async () => {
    let finish: (r: ImportReport) => void = () => {};
    const cmds: string[] = [];
    mockIPC((cmd) => {
      cmds.push(cmd);
      if (cmd === 'import_file') return new Promise<ImportReport>((r) => (finish = r));
      return null;
    });
    const { p, notify, show } = make(false);
    await p.cancelImport();
    expect(cmds).toEqual([]);
    p.importPath = '/big.csv';
    const run = p.runImport();
    await p.cancelImport();
    expect(cmds).toEqual(['import_file', 'cancel_import']);
    expect(p.importCancelling).toBe(true);
    finish(report({ imported: 500, cancelled: true }));
    await run;
    expect(p.importCancelling).toBe(false);
    expect(notify).toHaveBeenCalledOnce();
    const [message, action] = notify.mock.calls[0] as [string, { label: string; run: () => void }];
    expect(message).toBe('Import finished: 500 imported, 0 merged, 0 failed.');
    action.run();
    expect(show).toHaveBeenCalledWith('import');
  });

  test('an export sends the request for the scope and a new format keeps the destination', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return exported({ format: 'epub', path: '/me/out.epub', stories: 1 });
    });
    const { p, notify } = make();
    p.exportPath = '/me/out.zip';
    p.setExportFormat('epub');
    expect(p.exportPath).toBe('/me/out.epub');
    p.exportScope = 'selected';
    await p.runExport(starred, 7);
    expect(calls).toEqual([
      ['export_library', { request: { format: 'epub', path: '/me/out.epub', query: { filter: 'all', tag: null, feed_id: null, limit: null, before: null }, ids: [7] } }],
    ]);
    expect(p.exportPhase).toBe('done');
    expect(notify).not.toHaveBeenCalled();
    p.setExportFormat('markdown');
    expect(p.exportPath).toBe('');
  });
});
