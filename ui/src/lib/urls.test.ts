import { describe, expect, test } from 'vitest';
import { baseName, isExternalLink, isSaveableFile, parseSaveableUrl, urlsFromDataTransfer, urlsFromUriList } from './urls';

describe('parseSaveableUrl', () => {
  test('takes http and https links', () => {
    expect(parseSaveableUrl('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(parseSaveableUrl('  http://example.com  ')).toBe('http://example.com/');
  });

  test('refuses other schemes and sentences', () => {
    for (const t of ['javascript:alert(1)', 'file:///etc/passwd', 'mailto:a@b.c', 'data:text/html,x', 'hello world', 'see https://e.com', '', 'https://']) {
      expect(parseSaveableUrl(t), t).toBeNull();
    }
  });

  test('the Save field also takes a bare host and path', () => {
    expect(parseSaveableUrl('example.com/story', true)).toBe('https://example.com/story');
    expect(parseSaveableUrl('example.com/story')).toBeNull();
    expect(parseSaveableUrl('notaurl', true)).toBeNull();
  });
});

describe('links and drops', () => {
  test('only http, https and mailto links open outside', () => {
    expect(isExternalLink('https://e.com/')).toBe(true);
    expect(isExternalLink('http://e.com/')).toBe(true);
    expect(isExternalLink('mailto:me@e.com')).toBe(true);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('gloss-asset://localhost/x')).toBe(false);
    expect(isExternalLink('not a url')).toBe(false);
  });

  test('text/uri-list: comments and non-web URLs skipped', () => {
    expect(urlsFromUriList('# dragged\r\nhttps://a.com/1\r\nfile:///x\r\nhttps://b.com/2\n')).toEqual(['https://a.com/1', 'https://b.com/2']);
  });

  test('a drop falls back to text/plain', () => {
    const dt = (data: Record<string, string>) => ({ getData: (t: string) => data[t] ?? '' });
    expect(urlsFromDataTransfer(dt({ 'text/plain': 'https://c.com/' }))).toEqual(['https://c.com/']);
    expect(urlsFromDataTransfer(dt({ 'text/plain': 'just words' }))).toEqual([]);
    expect(urlsFromDataTransfer(null)).toEqual([]);
  });

  test('files Gloss can save', () => {
    expect(isSaveableFile('/home/a/page.html')).toBe(true);
    expect(isSaveableFile('C:\\Users\\a\\Page.HTM')).toBe(true);
    expect(isSaveableFile('notes.md')).toBe(true);
    expect(isSaveableFile('notes.txt')).toBe(true);
    expect(isSaveableFile('paper.pdf')).toBe(false);
    expect(isSaveableFile('html')).toBe(false);
    expect(baseName('C:\\Users\\a\\Page.htm')).toBe('Page.htm');
    expect(baseName('/tmp/x/notes.md')).toBe('notes.md');
  });
});
