import { describe, expect, test } from 'vitest';
import { buildSrcdoc, READER_CSP, READER_SANDBOX, textDirection, type ReaderStory } from './srcdoc';
import { DEFAULT_TYPOGRAPHY } from './typography';

const SHA = 'c'.repeat(64);

function story(over: Partial<ReaderStory> = {}): ReaderStory {
  return {
    title: 'A story',
    url: 'https://news.example.com/a',
    site: 'Example News',
    byline: 'Ann Writer',
    published_at: '2024-03-05T10:00:00Z',
    saved_at: '2024-03-06T10:00:00Z',
    reading_minutes: 4,
    language: 'en',
    dir: null,
    html: `<p>Hello <a href="https://example.org/">link</a></p><img src="gloss-asset://localhost/${SHA}" alt="">`,
    ...over,
  };
}

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

describe('buildSrcdoc', () => {
  test('starts its head with the reader CSP', () => {
    const html = buildSrcdoc(story(), DEFAULT_TYPOGRAPHY, 'light', 'other');
    const doc = parse(html);
    const first = doc.head.firstElementChild;
    expect(first?.getAttribute('http-equiv')).toBe('Content-Security-Policy');
    expect(first?.getAttribute('content')).toBe(READER_CSP);
    expect(READER_CSP).toContain("default-src 'none'");
    expect(READER_CSP).toContain('img-src gloss-asset: http://gloss-asset.localhost');
    expect(READER_CSP).not.toMatch(/script-src|'unsafe-eval'|https?:\s|\*/);
  });

  test('never allows scripts', () => {
    const html = buildSrcdoc(story(), DEFAULT_TYPOGRAPHY, 'dark', 'windows');
    expect(html).not.toContain('allow-scripts');
    expect(READER_SANDBOX).toBe('allow-same-origin');
    expect(READER_SANDBOX).not.toContain('allow-scripts');
  });

  test('escapes the title, byline and site', () => {
    const evil = '<script>window.flag=1</script><img src=x onerror=alert(1)>';
    const html = buildSrcdoc(
      story({ title: evil, byline: `"><b>by</b>`, site: '<i>site</i>' }),
      DEFAULT_TYPOGRAPHY,
      'light',
      'other',
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    const doc = parse(html);
    expect(doc.querySelector('.story-title')?.textContent).toBe(evil);
    expect(doc.querySelector('title')?.textContent).toBe(evil);
    expect(doc.querySelector('.story-header b')).toBeNull();
    expect(doc.querySelector('.story-header i')).toBeNull();
    expect(doc.querySelector('.story-meta')?.textContent).toContain('"><b>by</b>');
  });

  test('shows site, byline, date and reading time above the article', () => {
    const doc = parse(buildSrcdoc(story(), DEFAULT_TYPOGRAPHY, 'light', 'other'));
    const meta = doc.querySelector('.story-meta')?.textContent ?? '';
    expect(meta).toContain('Example News');
    expect(meta).toContain('Ann Writer');
    expect(meta).toContain('2024');
    expect(meta).toContain('4 min read');
  });

  test('lays right-to-left stories out right to left', () => {
    const doc = parse(buildSrcdoc(story({ dir: 'rtl', language: 'ar' }), DEFAULT_TYPOGRAPHY, 'light', 'other'));
    expect(doc.documentElement.getAttribute('dir')).toBe('rtl');
    expect(doc.documentElement.getAttribute('lang')).toBe('ar');
    expect(textDirection('LTR')).toBe('ltr');
    expect(textDirection('sideways')).toBe('auto');
    expect(textDirection(null)).toBe('auto');
  });

  test('a bad language tag is dropped, not injected', () => {
    const html = buildSrcdoc(story({ language: 'en" onload="x' }), DEFAULT_TYPOGRAPHY, 'light', 'other');
    expect(html).not.toContain('onload');
    expect(parse(html).documentElement.hasAttribute('lang')).toBe(false);
  });

  test('maps image URLs for Windows', () => {
    expect(buildSrcdoc(story(), DEFAULT_TYPOGRAPHY, 'light', 'windows')).toContain(`http://gloss-asset.localhost/${SHA}`);
    expect(buildSrcdoc(story(), DEFAULT_TYPOGRAPHY, 'light', 'other')).toContain(`gloss-asset://localhost/${SHA}`);
  });

  test('applies the typography settings', () => {
    const html = buildSrcdoc(story(), { theme: 'sepia', font: 'sans', size: 23, width: 55, lineHeight: 1.9 }, 'sepia', 'other');
    expect(html).toContain('font-size: 23px');
    expect(html).toContain('max-width: 55ch');
    expect(html).toContain('line-height: 1.9');
    expect(html).toContain('system-ui');
    expect(html).toContain('#f6efe2');
  });
});
