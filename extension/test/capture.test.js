// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { capturePage } from '../src/capture.js';

/**
 * Selects from one point to another, as a reader's drag would.
 *
 * @param {Node} startNode @param {number} startOffset @param {Node} endNode @param {number} endOffset
 */
function select(startNode, startOffset, endNode, endOffset) {
  const range = document.createRange();
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, endOffset);
  const selection = document.getSelection();
  if (!selection) throw new Error('no selection in this document');
  selection.removeAllRanges();
  selection.addRange(range);
}

/**
 * The text node under `element` holding `words`, and where they start in it.
 *
 * @param {Node} element @param {string} words
 */
function find(element, words) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = (node.nodeValue ?? '').indexOf(words);
    if (at >= 0) return { node, at };
  }
  throw new Error(`no text node with ${words}`);
}

/** @param {Node} element @param {string} words */
function selectWords(element, words) {
  const { node, at } = find(element, words);
  select(node, at, node, at + words.length);
}

afterEach(() => {
  document.getSelection()?.removeAllRanges();
  document.head.innerHTML = '';
  document.body.innerHTML = '';
});

describe('capturePage', () => {
  it('sends the document as it is now, address and title, and no selection for a plain save', () => {
    document.title = 'Written by a script';
    const article = document.createElement('article');
    article.innerHTML = '<p>First paragraph, added after load.</p>';
    document.body.append(article);
    selectWords(article, 'added after');

    const capture = capturePage(false);

    expect(capture.url).toBe('https://news.example/world/2026/story.html');
    expect(capture.title).toBe('Written by a script');
    expect(capture.html).toContain('<p>First paragraph, added after load.</p>');
    expect(capture.html.startsWith('<html')).toBe(true);
    expect(capture.selection).toBeUndefined();
    expect(Object.keys(capture).sort()).toEqual(['html', 'title', 'url']);
  });

  it('adds a <base href> of the page to the copy it sends, not to the page', () => {
    document.body.innerHTML = '<p><img src="pictures/a.jpg" alt="A"></p>';
    const capture = capturePage(false);
    const sent = new DOMParser().parseFromString(capture.html, 'text/html');
    expect(sent.querySelector('head > base')?.getAttribute('href')).toBe('https://news.example/world/2026/story.html');
    expect(document.querySelector('base')).toBeNull();
  });

  it('makes a page base of its own absolute', () => {
    document.head.innerHTML = '<base href="/archive/">';
    const capture = capturePage(false);
    const sent = new DOMParser().parseFromString(capture.html, 'text/html');
    expect(sent.querySelectorAll('base')).toHaveLength(1);
    expect(sent.querySelector('base')?.getAttribute('href')).toBe('https://news.example/archive/');
    expect(document.querySelector('base')?.getAttribute('href')).toBe('/archive/');
  });

  it('describes the selection with the text around it, a line per block as Gloss writes it', () => {
    document.body.innerHTML =
      '<h1>The   harbour</h1><p>Boats left at dawn.</p>' +
      '<p>The fishermen said <em>the catch</em> was the best in years.</p><ul><li>One</li><li>Two</li></ul>';
    selectWords(document.body, 'fishermen said ');
    const { selection } = capturePage(true);
    expect(selection).toEqual({
      exact: 'fishermen said',
      prefix: 'harbour\nBoats left at dawn.\nThe ',
      suffix: ' the catch was the best in years',
    });
  });

  it('picks out the selected one of two identical phrases by its context', () => {
    document.body.innerHTML =
      '<p>Prices rose again in March, said the bank.</p><p>In April, prices rose again in March terms.</p>';
    const second = document.body.querySelectorAll('p')[1];
    selectWords(second, 'rose again');
    const { selection } = capturePage(true);
    expect(selection?.exact).toBe('rose again');
    expect(selection?.prefix.endsWith('said the bank.\nIn April, prices ')).toBe(true);
    expect(selection?.suffix.startsWith(' in March terms.')).toBe(true);
  });

  it('reads a selection across paragraphs and through inline elements, and skips scripts', () => {
    document.body.innerHTML =
      '<p>Alpha <b>beta</b> gamma.</p><script>var secret = 1;</script><p>Delta epsilon.</p>';
    const [first, second] = document.body.querySelectorAll('p');
    const start = find(first, 'gamma');
    const end = find(second, 'Delta');
    select(start.node, start.at, end.node, end.at + 'Delta'.length);
    const { selection } = capturePage(true);
    expect(selection).toEqual({ exact: 'gamma.\nDelta', prefix: 'Alpha beta ', suffix: ' epsilon.' });
  });

  it('sends no selection when nothing, or only space, is selected', () => {
    document.body.innerHTML = '<p>Word</p><p>   </p>';
    expect(capturePage(true).selection).toBeUndefined();
    const blank = /** @type {Node} */ (document.body.querySelectorAll('p')[1].firstChild);
    select(blank, 0, blank, 3);
    expect(capturePage(true).selection).toBeUndefined();
  });

  it('keeps 32 characters of context, counted in code points, in a long page', () => {
    const paragraphs = [];
    for (let i = 0; i < 3000; i++) paragraphs.push(`<p>Paragraph ${i} says 東京 🙂 things about item ${i}.</p>`);
    document.body.innerHTML = paragraphs.join('');
    const target = document.body.querySelectorAll('p')[1500];
    selectWords(target, 'things about item 1500');
    const { selection } = capturePage(true);
    expect(selection?.exact).toBe('things about item 1500');
    expect(Array.from(selection?.prefix ?? '')).toHaveLength(32);
    expect(selection?.prefix.endsWith('Paragraph 1500 says 東京 🙂 ')).toBe(true);
    expect(selection?.suffix).toBe('.\nParagraph 1501 says 東京 🙂 thing');
  });
});
