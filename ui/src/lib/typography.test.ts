import { describe, expect, test } from 'vitest';
import {
  contrastRatio,
  DEFAULT_TYPOGRAPHY,
  loadTypography,
  normalizeTypography,
  READER_PALETTES,
  resolveTheme,
  saveTypography,
  stepSize,
  TYPOGRAPHY_KEY,
  type KeyValueStorage,
} from './typography';

class MemoryStorage implements KeyValueStorage {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

describe('typography settings', () => {
  test('defaults when nothing is stored', () => {
    expect(loadTypography(new MemoryStorage())).toEqual(DEFAULT_TYPOGRAPHY);
  });

  test('are remembered', () => {
    const s = new MemoryStorage();
    const t = { theme: 'sepia', font: 'sans', size: 22, width: 75, lineHeight: 1.8 } as const;
    saveTypography(t, s);
    expect(loadTypography(s)).toEqual(t);
  });

  test('the real localStorage round-trips too', () => {
    localStorage.removeItem(TYPOGRAPHY_KEY);
    saveTypography({ ...DEFAULT_TYPOGRAPHY, theme: 'dark', size: 24 });
    expect(loadTypography()).toMatchObject({ theme: 'dark', size: 24 });
    localStorage.removeItem(TYPOGRAPHY_KEY);
  });

  test('broken or foreign stored values fall back field by field', () => {
    const s = new MemoryStorage();
    s.setItem(TYPOGRAPHY_KEY, '{not json');
    expect(loadTypography(s)).toEqual(DEFAULT_TYPOGRAPHY);
    s.setItem(TYPOGRAPHY_KEY, JSON.stringify({ theme: 'neon', font: 'serif', size: '20', width: 1000, lineHeight: 0.5 }));
    expect(loadTypography(s)).toEqual({ ...DEFAULT_TYPOGRAPHY, font: 'serif', width: 100, lineHeight: 1.2 });
  });

  test('a storage that throws does not break anything', () => {
    const broken: KeyValueStorage = {
      getItem() {
        throw new Error('denied');
      },
      setItem() {
        throw new Error('full');
      },
    };
    expect(loadTypography(broken)).toEqual(DEFAULT_TYPOGRAPHY);
    expect(() => saveTypography(DEFAULT_TYPOGRAPHY, broken)).not.toThrow();
  });

  test('text size steps stay within limits', () => {
    expect(stepSize({ ...DEFAULT_TYPOGRAPHY, size: 19 }, 1).size).toBe(20);
    expect(stepSize({ ...DEFAULT_TYPOGRAPHY, size: 32 }, 1).size).toBe(32);
    expect(stepSize({ ...DEFAULT_TYPOGRAPHY, size: 13 }, -1).size).toBe(13);
  });

  test('line height keeps one decimal', () => {
    expect(normalizeTypography({ lineHeight: 1.6000000000000003 }).lineHeight).toBe(1.6);
  });

  test('follow-system resolves by the system preference', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('sepia', true)).toBe('sepia');
  });
});

describe('reader colours meet WCAG AA', () => {
  test('contrastRatio matches known values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const [name, p] of Object.entries(READER_PALETTES)) {
    test(`${name}: text, secondary text and links on the page and on highlights`, () => {
      expect(contrastRatio(p.text, p.bg)).toBeGreaterThanOrEqual(7);
      expect(contrastRatio(p.muted, p.bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(p.link, p.bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(p.text, p.mark)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(p.link, p.mark)).toBeGreaterThanOrEqual(4.5);
    });
  }
});
