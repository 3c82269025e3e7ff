import { describe, expect, test } from 'vitest';
import { FIND_COLORS, HIGHLIGHT_COLORS, highlightCss } from './highlightColors';
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
    const css = highlightCss(theme, p.link, p.text);
    for (const c of Object.keys(HIGHLIGHT_COLORS[theme])) expect(css).toContain(`[data-color="${c}"]`);
  });

  test('search matches keep text, links and secondary text at 4.5:1, and look like no highlight', () => {
    const f = FIND_COLORS[theme];
    for (const fg of [p.text, p.link, p.muted]) {
      const r = contrastRatio(fg, f.bg);
      expect(r, `${fg} on the match colour ${f.bg}: ${r.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
    }
    expect(Object.values(HIGHLIGHT_COLORS[theme])).not.toContain(f.bg);
    // The underline that sets a match apart is visible on it (3:1 for non-text).
    expect(contrastRatio(f.ring, f.bg)).toBeGreaterThanOrEqual(3);
    const css = highlightCss(theme, p.link, p.text);
    expect(css).toContain(`mark.gloss-search { background: ${f.bg};`);
    expect(css).toContain('mark.gloss-search.gloss-search-current');
  });
});
