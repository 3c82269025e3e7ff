import { describe, expect, it } from 'vitest';
import { quoted, readingTime, siteName } from './format';

const FSI = '\u2068';
const PDI = '\u2069';

describe('quoted', () => {
  it('isolates the text between the quotation marks', () => {
    expect(quoted('World')).toBe(`“${FSI}World${PDI}”`);
  });

  it('closes a direction override hidden in the text before the closing mark', () => {
    const q = quoted('Cheap flights \u202Egnp.exe');
    // The isolate ends after the override, so the closing quotation mark and
    // everything after it keep their own direction.
    expect(q.indexOf(PDI)).toBeGreaterThan(q.indexOf('\u202E'));
    expect(q.endsWith(`${PDI}”`)).toBe(true);
  });

  it('keeps right-to-left text as it is', () => {
    expect(quoted('أخبار اليوم')).toBe(`“${FSI}أخبار اليوم${PDI}”`);
  });
});

describe('siteName', () => {
  it('prefers the stored name and falls back to the host without www', () => {
    expect(siteName('https://www.example.org/a', ' The Gazette ')).toBe('The Gazette');
    expect(siteName('https://www.example.org/a', null)).toBe('example.org');
    expect(siteName('not a url', '')).toBe('');
  });
});

describe('readingTime', () => {
  it('rounds and never shows zero minutes', () => {
    expect(readingTime(0.4)).toBe('under 1 min read');
    expect(readingTime(Number.NaN)).toBe('under 1 min read');
    expect(readingTime(6.6)).toBe('7 min read');
  });
});
