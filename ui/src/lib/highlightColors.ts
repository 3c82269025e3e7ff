// Highlight colours per reader theme: the reader frame's <mark>s and the
// swatches of the toolbar, editor, side panel and Notebook. Each keeps the
// theme's text and links at WCAG AA (4.5:1; highlightColors.test.ts).

import type { Color } from '../bindings/Color';
import type { ResolvedTheme } from './typography';

export const HIGHLIGHT_COLORS: Record<ResolvedTheme, Record<Color, string>> = {
  light: { yellow: '#fff1a8', green: '#c9efc4', blue: '#d3e5ff', pink: '#ffd6e7', purple: '#e6dbff' },
  sepia: { yellow: '#f2dc8c', green: '#d3e4b4', blue: '#cfdfea', pink: '#f1cfd3', purple: '#e0d2ea' },
  dark: { yellow: '#4a3f12', green: '#1f4326', blue: '#1c3557', pink: '#52223b', purple: '#3a2b5c' },
};

/**
 * A search's matches in the story (storyFind.ts): a peach background and an
 * orange underline (unbroken across the pieces of a word split by inline
 * elements), so that they never pass for a highlight; the current one gets a
 * ring in the text's colour too.
 */
export const FIND_COLORS: Record<ResolvedTheme, { bg: string; ring: string }> = {
  light: { bg: '#ffdd9e', ring: '#b35c00' },
  sepia: { bg: '#f7d8a6', ring: '#9a4a00' },
  dark: { bg: '#553500', ring: '#e0a040' },
};

/** CSS for the reader frame: one rule per colour, and the search's matches. */
export function highlightCss(theme: ResolvedTheme, focusRing: string, text: string): string {
  const c = HIGHLIGHT_COLORS[theme];
  const f = FIND_COLORS[theme];
  return (
    (Object.keys(c) as Color[]).map((k) => `mark.gloss-hl[data-color="${k}"] { background: ${c[k]}; }`).join('\n') +
    `\nmark.gloss-hl { color: inherit; border-radius: 2px; }\nmark.gloss-hl.gloss-focus { outline: 2px solid ${focusRing}; outline-offset: 1px; }\n` +
    `mark.gloss-search { background: ${f.bg}; color: inherit; box-shadow: inset 0 -2px 0 ${f.ring}; }\n` +
    `mark.gloss-search.gloss-search-current { outline: 2px solid ${text}; outline-offset: 1px; }\n`
  );
}
