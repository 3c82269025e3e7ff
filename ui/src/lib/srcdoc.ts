// The reader's document. The story's stored, sanitized HTML is shown in
// <iframe sandbox="allow-same-origin" srcdoc=…>: no `allow-scripts`, so nothing
// in it can run, and its own CSP (first thing in <head>) lets it load images
// from the asset scheme only: nothing remote while reading. The frame is
// same-origin so that the parent (our own script) can read its scroll position
// and catch link clicks; the parent styles it by writing this document.

import { rewriteAssetUrls, type Platform } from './assets';
import { escapeHtml } from './escape';
import { highlightCss } from './highlightColors';
import { formatLongDate, readingTime, siteName } from './format';
import { FONT_STACKS, READER_PALETTES, type ResolvedTheme, type Typography } from './typography';

/** The iframe's sandbox: same origin for the parent's access, and nothing else. */
export const READER_SANDBOX = 'allow-same-origin';

export const READER_CSP =
  "default-src 'none'; img-src gloss-asset: http://gloss-asset.localhost; style-src 'unsafe-inline'";

export interface ReaderStory {
  title: string;
  url: string;
  site: string | null;
  byline: string | null;
  published_at: string | null;
  saved_at: string;
  reading_minutes: number;
  language: string | null;
  dir: string | null;
  html: string;
}

const LANG_RE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** `rtl` or `ltr` from the stored value; `auto` when unknown. */
export function textDirection(dir: string | null | undefined): 'rtl' | 'ltr' | 'auto' {
  const d = (dir ?? '').trim().toLowerCase();
  return d === 'rtl' || d === 'ltr' ? d : 'auto';
}

export function readerStyles(t: Typography, theme: ResolvedTheme): string {
  const p = READER_PALETTES[theme];
  return `
:root { color-scheme: ${theme === 'dark' ? 'dark' : 'light'}; }
html { background: ${p.bg}; color: ${p.text}; -webkit-text-size-adjust: 100%; overflow-y: hidden; }
body {
  margin: 0; padding: 2.5rem 1.5rem 6rem;
  font-family: ${FONT_STACKS[t.font]};
  font-size: ${t.size}px; line-height: ${t.lineHeight};
  overflow-wrap: break-word; hyphens: auto;
}
.story { max-width: ${t.width}ch; margin: 0 auto; }
.story-header { margin-bottom: 2rem; border-bottom: 1px solid ${p.rule}; padding-bottom: 1.25rem; }
.story-title { font-size: 1.75em; line-height: 1.2; margin: 0 0 0.5rem; font-weight: 700; }
.story-meta { color: ${p.muted}; font-family: ${FONT_STACKS.sans}; font-size: 0.8em; margin: 0; line-height: 1.5; }
.story-meta span + span::before { content: " · "; }
.story-body img, .story-body video, .story-body picture { max-width: 100%; height: auto; }
.story-body figure { margin: 1.5em 0; }
.story-body figcaption { color: ${p.muted}; font-size: 0.85em; margin-top: 0.4em; }
.story-body a { color: ${p.link}; text-decoration-thickness: 1px; text-underline-offset: 0.15em; }
.story-body blockquote { margin: 1.2em 0; padding: 0 0 0 1em; border-inline-start: 3px solid ${p.rule}; color: inherit; }
.story-body pre, .story-body code { font-family: ui-monospace, monospace; font-size: 0.88em; }
.story-body pre { overflow-x: auto; padding: 0.8em 1em; border: 1px solid ${p.rule}; border-radius: 6px; }
.story-body table { border-collapse: collapse; display: block; overflow-x: auto; }
.story-body td, .story-body th { border: 1px solid ${p.rule}; padding: 0.3em 0.6em; }
.story-body hr { border: 0; border-top: 1px solid ${p.rule}; margin: 2em 0; }
.story-body h1, .story-body h2, .story-body h3, .story-body h4 { line-height: 1.25; margin: 1.6em 0 0.6em; }
mark { background: ${p.mark}; color: inherit; }
::selection { background: ${p.mark}; color: ${p.text}; }
${highlightCss(theme, p.link, p.text)}`;
}

/** The whole srcdoc document for a story. Every field but `html` is escaped. */
export function buildSrcdoc(story: ReaderStory, t: Typography, theme: ResolvedTheme, platform: Platform): string {
  const dir = textDirection(story.dir);
  const lang = story.language && LANG_RE.test(story.language) ? story.language : '';
  const meta: string[] = [];
  const site = siteName(story.url, story.site);
  if (site) meta.push(site);
  if (story.byline?.trim()) meta.push(story.byline.trim());
  const date = formatLongDate(story.published_at ?? story.saved_at);
  if (date) meta.push(date);
  meta.push(readingTime(story.reading_minutes));
  const metaHtml = meta.map((m) => `<span>${escapeHtml(m)}</span>`).join('');
  const title = story.title.trim() || 'Untitled';

  return `<!doctype html>
<html${lang ? ` lang="${escapeHtml(lang)}"` : ''} dir="${dir}">
<head>
<meta http-equiv="Content-Security-Policy" content="${READER_CSP}">
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${readerStyles(t, theme)}</style>
</head>
<body>
<article class="story">
<header class="story-header">
<h1 class="story-title">${escapeHtml(title)}</h1>
<p class="story-meta">${metaHtml}</p>
</header>
<div class="story-body">
${rewriteAssetUrls(story.html, platform)}
</div>
</article>
</body>
</html>`;
}
