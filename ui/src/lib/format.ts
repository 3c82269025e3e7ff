// Small formatting helpers for the list and the reader.

function parseDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Short date for list rows: the time today, "12 Mar" this year, else "12 Mar 2023". */
export function formatShortDate(iso: string | null | undefined, now: Date = new Date()): string {
  const d = parseDate(iso);
  if (!d) return '';
  if (d.toDateString() === now.toDateString()) {
    return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }
  if (d.getFullYear() === now.getFullYear()) {
    return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  }
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

export function formatLongDate(iso: string | null | undefined): string {
  const d = parseDate(iso);
  if (!d) return '';
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
}

export function readingTime(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 1) return 'under 1 min read';
  return `${Math.round(minutes)} min read`;
}

/** The site to show: the stored name, else the host without "www.". */
export function siteName(url: string, site: string | null | undefined): string {
  const s = site?.trim();
  if (s) return s;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/**
 * Text from outside Gloss (a story's title, a feed's or a tag's name) quoted
 * in one of Gloss's own sentences. The Unicode isolates around it (FSI … PDI)
 * lay it out on its own: right-to-left text, or a direction override hidden
 * in a title, cannot reorder the words around it. Elements that show such
 * text alone get `dir="auto"` instead, which isolates them the same way.
 */
export function quoted(text: string): string {
  return `“\u2068${text}\u2069”`;
}

export function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
