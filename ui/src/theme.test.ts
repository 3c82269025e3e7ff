// The app chrome's colours, read from app.css itself, checked against WCAG AA
// in every theme: 4.5:1 for text, 3:1 for control borders, icons and focus rings.
import { describe, expect, test } from 'vitest';
import css from './app.css?raw';
import { contrastRatio } from './lib/typography';

function themeVars(theme: string): Record<string, string> {
  const selector = theme === 'light' ? ":root[data-theme='light']" : `:root[data-theme='${theme}']`;
  const start = css.indexOf(selector);
  if (start < 0) throw new Error(`no block for ${theme}`);
  const block = css.slice(css.indexOf('{', start) + 1, css.indexOf('}', start));
  const vars: Record<string, string> = {};
  for (const m of block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})\s*;/gi)) vars[m[1] ?? ''] = m[2] ?? '';
  return vars;
}

const TEXT_ON = ['bg', 'side', 'hover', 'selected'];

describe.each(['light', 'sepia', 'dark'])('%s theme', (theme) => {
  const v = themeVars(theme);

  test('defines every colour', () => {
    for (const k of ['bg', 'side', 'hover', 'selected', 'text', 'muted', 'accent', 'on-accent', 'border', 'danger', 'star']) {
      expect(v[k], k).toMatch(/^#[0-9a-f]{6}$/i);
    }
  });

  test('text, secondary text, links and errors: at least 4.5:1 on every background', () => {
    for (const bg of TEXT_ON) {
      for (const fg of ['text', 'muted', 'accent', 'danger']) {
        const ratio = contrastRatio(v[fg] ?? '', v[bg] ?? '');
        expect(ratio, `${fg} on ${bg}: ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
      }
    }
    expect(contrastRatio(v['on-accent'] ?? '', v.accent ?? '')).toBeGreaterThanOrEqual(4.5);
  });

  test('control borders, stars and focus rings: at least 3:1', () => {
    for (const bg of ['bg', 'side']) expect(contrastRatio(v.border ?? '', v[bg] ?? '')).toBeGreaterThanOrEqual(3);
    for (const bg of ['bg', 'selected']) expect(contrastRatio(v.star ?? '', v[bg] ?? '')).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(v.accent ?? '', v.selected ?? '')).toBeGreaterThanOrEqual(3);
  });
});
