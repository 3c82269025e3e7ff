import { describe, expect, test } from 'vitest';
import { HIGHLIGHT_COLORS, highlightCss } from './highlightColors';
import { contrastRatio, READER_PALETTES, type ResolvedTheme } from './typography';

describe.each(['light', 'sepia', 'dark'] as ResolvedTheme[])('%s theme', (theme) => {
  const p = READER_PALETTES[theme];
  test('text, links and secondary text stay at 4.5:1 on every highlight colour', () => {
    for (const [name, bg] of Object.entries(HIGHLIGHT_COLORS[theme])) {
      for (const fg of [p.text, p.link, p.muted]) {
        const r = contrastRatio(fg, bg);
        expect(r, `${fg} on ${name} ${bg}: ${r.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  test('the frame gets a rule per colour', () => {
    const css = highlightCss(theme, p.link);
    for (const c of Object.keys(HIGHLIGHT_COLORS[theme])) expect(css).toContain(`[data-color="${c}"]`);
  });
});
