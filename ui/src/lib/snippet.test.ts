import { describe, expect, test } from 'vitest';
import { parseSnippet, renderSnippet, snippetText } from './snippet';

describe('parseSnippet', () => {
  test('splits marked and plain runs', () => {
    expect(parseSnippet('the \u0002quick\u0003 brown \u0002fox\u0003')).toEqual([
      { text: 'the ', mark: false },
      { text: 'quick', mark: true },
      { text: ' brown ', mark: false },
      { text: 'fox', mark: true },
    ]);
  });

  test('an unterminated mark runs to the end; stray ends are dropped', () => {
    expect(parseSnippet('a\u0003b\u0002c')).toEqual([
      { text: 'ab', mark: false },
      { text: 'c', mark: true },
    ]);
  });

  test('keeps characters outside the BMP intact', () => {
    expect(parseSnippet('\u0002東京\u0003 😀')).toEqual([
      { text: '東京', mark: true },
      { text: ' 😀', mark: false },
    ]);
  });
});

describe('renderSnippet', () => {
  test('marks matched words with <mark> elements', () => {
    const el = document.createElement('p');
    renderSnippet(el, 'say \u0002hello\u0003 world');
    expect(el.innerHTML).toBe('say <mark>hello</mark> world');
    expect(el.querySelectorAll('mark')).toHaveLength(1);
  });

  test('HTML in a snippet is shown as text, never parsed', () => {
    const el = document.createElement('p');
    renderSnippet(el, '<img src=x onerror="window.pwned=1"> \u0002<b>bold</b>\u0003 &amp;');
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('b')).toBeNull();
    expect(el.textContent).toBe('<img src=x onerror="window.pwned=1"> <b>bold</b> &amp;');
    expect(el.querySelector('mark')?.textContent).toBe('<b>bold</b>');
    expect(el.innerHTML).toContain('&lt;img');
  });

  test('replaces what was there before', () => {
    const el = document.createElement('p');
    renderSnippet(el, 'one \u0002two\u0003');
    renderSnippet(el, 'three');
    expect(el.innerHTML).toBe('three');
  });

  test('snippetText strips the markers', () => {
    expect(snippetText('a \u0002b\u0003 c')).toBe('a b c');
  });
});
