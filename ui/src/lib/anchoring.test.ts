import { describe, expect, test } from 'vitest';
import {
  applyHighlights,
  buildTextMap,
  clearHighlights,
  highlightAt,
  htmlToText,
  locate,
  rangeToSpan,
  sliceText,
  spanToRange,
} from './anchoring';
import { storyBody } from './testing';

const root = storyBody;

// The cases of src-tauri/core/src/extract/text.rs, and a few more of its rules.
const CASES: [string, string, string][] = [
  [
    'blocks become lines and inline whitespace collapses',
    '<div><h1>Title\n here</h1><p>One   <em>two</em>\n three.</p><p>Four<br>five</p><ul><li>a</li><li>b <b>c</b></li></ul></div>',
    'Title here\nOne two three.\nFour\nfive\na\nb c',
  ],
  ['inline elements do not split words', '<p>un<b>break</b>able</p>', 'unbreakable'],
  [
    'tables give one line per row',
    '<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>31</td></tr></table>',
    'Name Age\nAnn 31',
  ],
  ['pre keeps its lines', '<p>Code:</p><pre>fn main() {\n    run();\n}</pre>', 'Code:\nfn main() {\nrun();\n}'],
  ['scripts, styles and images give no text', '<p>a<style>p{}</style><img alt="pic">b</p>', 'ab'],
  ['entities are decoded, nbsp is a space', '<p>Fish &amp; chips&nbsp;&lt;3</p>', 'Fish & chips <3'],
  ['empty blocks leave no blank line', '<p>a</p><p>  </p><div><p></p></div><p>b</p>', 'a\nb'],
  ['spaces at block edges are trimmed', '<p>  lead <a href="#">link</a>  </p>\n\n<p> tail</p>', 'lead link\ntail'],
  ['a space between inline elements is kept once', '<p><a>one</a> <em>two</em>  <b> three</b></p>', 'one two three'],
  ['astral characters count once', '<p>smile 😀 ok</p>', 'smile 😀 ok'],
  ['comments give nothing', '<p>a<!-- hidden -->b</p>', 'ab'],
];

describe('buildTextMap follows text.rs', () => {
  test.each(CASES)('%s', (_name, html, expected) => {
    expect(htmlToText(html, document)).toBe(expected);
  });

  test('every character maps back to the DOM character it came from', () => {
    const map = buildTextMap(root('<h2>Head</h2><p>Some <a href="x">linked   words</a> and more.</p>'));
    for (let i = 0; i < map.chars.length; i++) {
      const o = map.origins[i];
      const c = map.chars[i] ?? '';
      if (!o?.node) {
        expect(c).toBe('\n');
        continue;
      }
      const dom = o.node.data.slice(o.from, o.to);
      if (c === ' ') expect(dom).toMatch(/^\s$/);
      else expect(dom).toBe(c);
    }
  });
});

describe('DOM range ↔ text span', () => {
  const html =
    '<p>The <em>quick</em> brown fox</p><p>jumps over <a href="https://e.com">the lazy</a> dog.</p><ul><li>one</li><li>two 😀 three</li></ul>';

  test('every span survives the round trip through a DOM range', () => {
    const map = buildTextMap(root(html));
    const n = map.chars.length;
    for (let start = 0; start < n; start++) {
      for (let end = start + 1; end <= n; end++) {
        const words = sliceText(map, { start, end }).trim();
        const r = spanToRange(map, { start, end });
        if (!r) {
          expect(words).toBe('');
          continue;
        }
        const span = rangeToSpan(map, r);
        if (!words) {
          expect(span).toBeNull();
          continue;
        }
        expect(span && sliceText(map, span)).toBe(words);
      }
    }
  });

  test('a selection made with element boundaries maps to its words', () => {
    const el = root(html);
    const map = buildTextMap(el);
    const r = document.createRange();
    const em = el.querySelector('em') as HTMLElement;
    const a = el.querySelector('a') as HTMLElement;
    r.setStart(em, 0); // before "quick"
    r.setEnd(a, 1); // after "the lazy"
    expect(sliceText(map, rangeToSpan(map, r) ?? { start: 0, end: 0 })).toBe('quick brown fox\njumps over the lazy');
    const whole = document.createRange();
    whole.selectNodeContents(el);
    expect(sliceText(map, rangeToSpan(map, whole) ?? { start: 0, end: 0 })).toBe(map.text);
  });

  test('spaces at the ends of a selection are left out', () => {
    const el = root('<p>alpha beta gamma</p>');
    const map = buildTextMap(el);
    const t = el.querySelector('p')?.firstChild as Text;
    const r = document.createRange();
    r.setStart(t, 5); // " beta "
    r.setEnd(t, 11);
    expect(rangeToSpan(map, r)).toEqual({ start: 6, end: 10 });
  });
});

describe('locate', () => {
  const map = () => buildTextMap(root('<p>a cat sat. a cat ran. a dog sat.</p>'));

  test('uses the stored position when the words there match', () => {
    expect(locate(map(), { exact: 'cat', prefix: 'a ', suffix: ' ran' }, { start: 13, end: 16 })).toEqual({ start: 13, end: 16 });
  });

  test('falls back to the quote whose context fits best', () => {
    expect(locate(map(), { exact: 'cat', prefix: 'sat. a ', suffix: ' ran.' }, { start: 40, end: 43 })).toEqual({ start: 13, end: 16 });
    expect(locate(map(), { exact: 'cat', prefix: '', suffix: ' sat' }, null)).toEqual({ start: 2, end: 5 });
  });

  test('code points, not UTF-16 units', () => {
    const m = buildTextMap(root('<p>😀😀 find me</p>'));
    expect(locate(m, { exact: 'find', prefix: '', suffix: '' }, null)).toEqual({ start: 3, end: 7 });
  });

  test('null when the words are gone', () => {
    expect(locate(map(), { exact: 'horse', prefix: '', suffix: '' }, { start: 0, end: 5 })).toBeNull();
  });
});

describe('applyHighlights', () => {
  test('a highlight across a link and two paragraphs becomes marks around exactly its words', () => {
    const el = root('<p>Start <a href="https://e.com">of the link</a> end.</p><p>Second <b>para</b> here.</p><p>Third one.</p>');
    const before = el.innerHTML;
    const map = buildTextMap(el);
    const start = map.text.indexOf('the link');
    const end = map.text.indexOf('Third') + 'Third'.length;
    const count = applyHighlights(map, [{ id: 7, color: 'green', span: { start, end } }]);
    const marks = [...el.querySelectorAll('mark')];
    expect(count).toBe(marks.length);
    expect(marks.map((m) => m.textContent).join('|')).toBe('the link| end.|Second |para| here.|Third');
    expect(marks.every((m) => m.getAttribute('data-annotation-id') === '7' && m.getAttribute('data-color') === 'green')).toBe(true);
    // The text is unchanged, and maps the same.
    const after = buildTextMap(el);
    expect(after.text).toBe(map.text);
    expect(highlightAt(el.querySelector('b')?.firstChild?.firstChild ?? null)).toBe(7);
    clearHighlights(el);
    expect(el.innerHTML).toBe(before);
  });

  test('overlapping highlights nest, and each keeps its own words', () => {
    const el = root('<p>one two three four five</p>');
    const map = buildTextMap(el);
    applyHighlights(map, [
      { id: 1, color: 'yellow', span: { start: 0, end: 13 } }, // one two three
      { id: 2, color: 'blue', span: { start: 8, end: 18 } }, // three four
    ]);
    const text = (id: number) =>
      [...el.querySelectorAll(`mark[data-annotation-id="${id}"]`)].map((m) => m.textContent).join('');
    expect(text(1)).toBe('one two three');
    expect(text(2)).toBe('three four');
    expect(buildTextMap(el).text).toBe('one two three four five');
  });

  test('after highlighting, new selections still map to the same text positions', () => {
    const el = root('<p>alpha beta gamma delta</p>');
    applyHighlights(buildTextMap(el), [{ id: 3, color: 'pink', span: { start: 6, end: 10 } }]);
    const map = buildTextMap(el);
    const mark = el.querySelector('mark') as HTMLElement;
    const r = document.createRange();
    r.selectNodeContents(mark);
    expect(rangeToSpan(map, r)).toEqual({ start: 6, end: 10 });
  });

  test('200 highlights on a long story', () => {
    const paras = Array.from({ length: 200 }, (_, i) => `<p>Paragraph ${i} has <a href="#">a link</a> and some words.</p>`);
    const el = root(paras.join(''));
    const map = buildTextMap(el);
    const hs = Array.from({ length: 200 }, (_, i) => {
      const start = map.text.indexOf(`Paragraph ${i} `);
      return { id: i + 1, color: 'yellow', span: { start: start + 10, end: start + 30 } };
    });
    applyHighlights(map, hs);
    expect(new Set([...el.querySelectorAll('mark')].map((m) => m.getAttribute('data-annotation-id'))).size).toBe(200);
    expect(buildTextMap(el).text).toBe(map.text);
  });
});
