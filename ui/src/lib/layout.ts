// Pane sizes (remembered) and the narrow-window layout.

import type { KeyValueStorage } from './typography';

export interface PaneSizes {
  sidebar: number;
  list: number;
}

export const PANE_LIMITS = {
  sidebar: { min: 160, max: 360 },
  list: { min: 260, max: 640 },
} as const;

export const DEFAULT_PANES: PaneSizes = { sidebar: 210, list: 380 };
export const PANES_KEY = 'gloss.panes.v1';

/** Below this width the reader replaces the list (two panes, with a Back button). */
export const NARROW_BREAKPOINT = 900;

const clamp = (v: unknown, lim: { min: number; max: number }, d: number) =>
  typeof v === 'number' && Number.isFinite(v) ? Math.round(Math.min(lim.max, Math.max(lim.min, v))) : d;

export function normalizePanes(value: unknown): PaneSizes {
  const rec = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return {
    sidebar: clamp(rec.sidebar, PANE_LIMITS.sidebar, DEFAULT_PANES.sidebar),
    list: clamp(rec.list, PANE_LIMITS.list, DEFAULT_PANES.list),
  };
}

export function loadPanes(storage: KeyValueStorage | undefined = globalThis.localStorage): PaneSizes {
  try {
    const raw = storage?.getItem(PANES_KEY);
    return normalizePanes(raw ? JSON.parse(raw) : null);
  } catch {
    return { ...DEFAULT_PANES };
  }
}

export function savePanes(p: PaneSizes, storage: KeyValueStorage | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(PANES_KEY, JSON.stringify(normalizePanes(p)));
  } catch {
    // Not remembered this time.
  }
}

export function isNarrow(width: number): boolean {
  return width < NARROW_BREAKPOINT;
}
