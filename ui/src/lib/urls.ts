// What counts as a link to save, a file to save, and a link the reader may
// hand to the system browser.

import { SAVEABLE_FILE_EXTENSIONS } from '../api';

/**
 * The URL to save from user text, or null. `lenient` (the Save field) also
 * takes "example.com/page" and adds https://; pasting anywhere else needs a
 * real http(s) URL so that pasting a sentence never saves anything.
 */
export function parseSaveableUrl(text: string, lenient = false): string | null {
  const t = text.trim();
  if (!t || /\s/.test(t)) return null;
  let candidate = t;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(t)) {
    if (!lenient || !/^[^/\s]+\.[^/\s]{2,}(\/|$)/.test(t)) return null;
    candidate = `https://${t}`;
  }
  try {
    const u = new URL(candidate);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (!u.hostname) return null;
    return u.href;
  } catch {
    return null;
  }
}

/** Links in a story that may open in the system browser on a click. */
export function isExternalLink(href: string): boolean {
  try {
    const u = new URL(href);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:';
  } catch {
    return false;
  }
}

/** The http(s) URLs of a `text/uri-list` (comments and others skipped). */
export function urlsFromUriList(list: string): string[] {
  return list
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => parseSaveableUrl(l))
    .filter((u): u is string => u !== null);
}

/** The URLs dropped on the window (DOM drop event), uri-list first, then plain text. */
export function urlsFromDataTransfer(dt: Pick<DataTransfer, 'getData'> | null): string[] {
  if (!dt) return [];
  const fromList = urlsFromUriList(dt.getData('text/uri-list'));
  if (fromList.length) return fromList;
  const plain = parseSaveableUrl(dt.getData('text/plain'));
  return plain ? [plain] : [];
}

export function isSaveableFile(path: string): boolean {
  const m = /\.([A-Za-z0-9]+)$/.exec(path);
  return !!m && (SAVEABLE_FILE_EXTENSIONS as readonly string[]).includes((m[1] ?? '').toLowerCase());
}

/** The last part of a path, for messages ("Saving notes.md"). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
