// Reader typography: remembered in localStorage, validated on the way in
// (anything stored by an older or newer version, or edited by hand, falls back
// to the default for that field instead of breaking the reader).

export type ThemeChoice = 'light' | 'sepia' | 'dark' | 'system';
export type ResolvedTheme = 'light' | 'sepia' | 'dark';
export type FontChoice = 'serif' | 'sans';

export interface Typography {
  theme: ThemeChoice;
  font: FontChoice;
  /** Body text size in CSS px. */
  size: number;
  /** Line length in `ch`. */
  width: number;
  /** Unitless line height. */
  lineHeight: number;
}

export const THEMES: readonly ThemeChoice[] = ['light', 'sepia', 'dark', 'system'];
export const FONTS: readonly FontChoice[] = ['serif', 'sans'];

export const LIMITS = {
  size: { min: 13, max: 32, step: 1 },
  width: { min: 40, max: 100, step: 5 },
  lineHeight: { min: 1.2, max: 2.2, step: 0.1 },
} as const;

export const DEFAULT_TYPOGRAPHY: Typography = {
  theme: 'system',
  font: 'serif',
  size: 19,
  width: 68,
  lineHeight: 1.6,
};

export const TYPOGRAPHY_KEY = 'gloss.typography.v1';

type Limit = { min: number; max: number; step: number };

function clampTo(value: unknown, limit: Limit, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  const clamped = Math.min(limit.max, Math.max(limit.min, value));
  // Keep one decimal at most: 1.6000000000000003 is not a line height.
  return Math.round(clamped * 10) / 10;
}

/** A valid Typography from anything (missing or bad fields take the default). */
export function normalizeTypography(value: unknown): Typography {
  const rec = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const d = DEFAULT_TYPOGRAPHY;
  return {
    theme: THEMES.includes(rec.theme as ThemeChoice) ? (rec.theme as ThemeChoice) : d.theme,
    font: FONTS.includes(rec.font as FontChoice) ? (rec.font as FontChoice) : d.font,
    size: clampTo(rec.size, LIMITS.size, d.size),
    width: clampTo(rec.width, LIMITS.width, d.width),
    lineHeight: clampTo(rec.lineHeight, LIMITS.lineHeight, d.lineHeight),
  };
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadTypography(storage: KeyValueStorage | undefined = globalThis.localStorage): Typography {
  try {
    const raw = storage?.getItem(TYPOGRAPHY_KEY);
    return normalizeTypography(raw ? JSON.parse(raw) : null);
  } catch {
    return { ...DEFAULT_TYPOGRAPHY };
  }
}

export function saveTypography(t: Typography, storage: KeyValueStorage | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(TYPOGRAPHY_KEY, JSON.stringify(normalizeTypography(t)));
  } catch {
    // Storage full or disabled: the setting lasts for this session only.
  }
}

/** Text size one step bigger (+1) or smaller (-1), within the limits. */
export function stepSize(t: Typography, direction: 1 | -1): Typography {
  return normalizeTypography({ ...t, size: t.size + direction * LIMITS.size.step });
}

export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): ResolvedTheme {
  if (choice === 'system') return prefersDark ? 'dark' : 'light';
  return choice;
}

export const FONT_STACKS: Record<FontChoice, string> = {
  serif: '"Iowan Old Style", Charter, "Bitstream Charter", "Noto Serif", "DejaVu Serif", Georgia, Cambria, serif',
  sans: 'system-ui, sans-serif',
};

/**
 * Reader colours per theme. Contrast ratios checked (WCAG 2.x; AA needs
 * 4.5:1 for body text; typography.test.ts fails if any pair falls below):
 *   light: text 15.8:1, muted 6.1:1, link 6.4:1 on #ffffff; text on mark 13.8:1, link on mark 5.6:1
 *   sepia: text 11.4:1, muted 5.9:1, link 7.4:1 on #f6efe2; text on mark 9.6:1, link on mark 6.2:1
 *   dark:  text 13.9:1, muted 8.0:1, link 8.8:1 on #17191d; text on mark 8.3:1, link on mark 5.2:1
 */
export const READER_PALETTES: Record<ResolvedTheme, { bg: string; text: string; muted: string; link: string; mark: string; rule: string }> = {
  light: { bg: '#ffffff', text: '#1f2328', muted: '#59636e', link: '#0a58ca', mark: '#fff1a8', rule: '#d8dee4' },
  sepia: { bg: '#f6efe2', text: '#3a2f23', muted: '#6b5843', link: '#7a3d0a', mark: '#f2dc8c', rule: '#dccfb8' },
  dark: { bg: '#17191d', text: '#e3e5e8', muted: '#a7b0ba', link: '#8fb8ff', mark: '#4a3f12', rule: '#33373d' },
};

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = parseInt(h ?? '0', 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  const [hi, lo] = la > lb ? [la, lb] : [lb, la];
  return (hi + 0.05) / (lo + 0.05);
}
