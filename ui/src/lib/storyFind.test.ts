import { describe, expect, test } from 'vitest';
import { applyHighlights, buildTextMap, clearHighlights, highlightWraps, wrapSpans } from './anchoring';
import {
  clearFindMarks,
  FIND_CLASS,
  FIND_CURRENT,
  findInText,
  findPatterns,
  findWraps,
  fold,
  markCurrent,
  matchMarks,
  stepMatch,
  tokens,
} from './storyFind';
import { StoryFind } from './storyFind.svelte';
import { storyBody } from './testing';

/** The words `query` marks in `text`, as the text shows them. */
function found(text: string, query: string): string[] {
  const chars = Array.from(text);
  return findInText(chars, query).map((s) => chars.slice(s.start, s.end).join(''));
}

const root = storyBody;

/** Draws the matches of `query` in `el` and returns each match's text (its pieces joined). */
function draw(el: HTMLElement, query: string): string[] {
  const map = buildTextMap(el);
  const matches = findInText(map.chars, query);
  wrapSpans(map, findWraps(matches));
  return matches.map((_, i) => matchMarks(el, i).map((m) => m.textContent).join(''));
}

describe('folding, as the search folds', () => {
  test.each([
    ['Café', 'cafe'],
    ['ÉCONOMIE', 'economie'],
    ['naïve', 'naive'],
    ['Straße', 'strasse'],
    ['STRASSE', 'strasse'],
    ['ẞ', 'ss'],
    ['İstanbul', 'istanbul'],
    ['Ångström', 'angstrom'],
    ['Łódź', 'łodz'],
    ['ΟΔΟΣ', 'οδοσ'],
  ])('%s → %s', (word, folded) => {
    expect(fold(word)).toBe(folded);
  });
});

describe('words of a text', () => {
  test('letters, digits and combining marks make words; punctuation and spaces part them', () => {
    expect(tokens(Array.from('Hello, wor\u0301ld! 42x — end')).map((t) => t.folded)).toEqual(['hello', 'world', '42x', 'end']);
  });

  test('each Chinese, Japanese or Korean character is a word of its own', () => {
    const toks = tokens(Array.from('東京都abc서울'));
    expect(toks.map((t) => [t.start, t.end])).toEqual([[0, 1], [1, 2], [2, 3], [3, 6], [6, 7], [7, 8]]);
    expect(toks[4]?.folded).toBe(fold('서'));
  });

  test('spans count code points, so text beyond the BMP keeps its places', () => {
    const chars = Array.from('😀 café 😀');
    expect(tokens(chars)).toEqual([{ start: 2, end: 6, folded: 'cafe' }]);
  });
});

describe('the query', () => {
  test('words, phrases and prefixes; excluded words and operators are not looked for', () => {
    expect(findPatterns('harbour "at dawn" inter* -storm NOT rain OR AND', false)).toEqual([
      { words: ['harbour'], prefix: false, inside: false },
      { words: ['at', 'dawn'], prefix: false, inside: false },
      { words: ['inter'], prefix: true, inside: false },
    ]);
  });

  test('an exclusion typed first stays an exclusion', () => {
    expect(findPatterns('-utara korea', false)).toEqual([{ words: ['korea'], prefix: false, inside: false }]);
    expect(findPatterns('NOT utara korea', false)).toEqual([{ words: ['korea'], prefix: false, inside: false }]);
  });

  test('a lone dash, quotes or punctuation look for nothing', () => {
    expect(findPatterns('- "" *** ,', false)).toEqual([]);
  });

  test('with parts, words of three letters or more are found inside longer ones, unless the query has OR', () => {
    expect(findPatterns('nuklir ab pre*', true)).toEqual([
      { words: ['nuklir'], prefix: false, inside: true },
      { words: ['ab'], prefix: false, inside: false },
      { words: ['pre'], prefix: true, inside: false },
    ]);
    expect(findPatterns('nuklir OR atom', true).every((p) => !p.inside)).toBe(true);
  });
});

describe('finding the matches in a text', () => {
  test('whole words, ignoring case and diacritics both ways', () => {
    expect(found('A café in Café Street; cafes and CAFE.', 'cafe')).toEqual(['café', 'Café', 'CAFE']);
    expect(found('Not a cafe here.', 'CAFÉ')).toEqual(['cafe']);
  });

  test('ß and ss find each other', () => {
    expect(found('Die Straße und die Strasse.', 'strasse')).toEqual(['Straße', 'Strasse']);
    expect(found('Die Straße.', 'straße')).toEqual(['Straße']);
  });

  test('non-Latin scripts: Cyrillic, Greek, Arabic, and CJK runs as phrases', () => {
    expect(found('Москва и МОСКВА', 'москва')).toEqual(['Москва', 'МОСКВА']);
    expect(found('Η Αθήνα, η αθηνα', 'ΑΘΗΝΑ')).toEqual(['Αθήνα', 'αθηνα']);
    expect(found('في القاهرة اليوم', 'القاهرة')).toEqual(['القاهرة']);
    expect(found('東京都に住む。京都も。', '京都')).toEqual(['京都', '京都']);
  });

  test('a phrase needs its words in order; a prefix finds longer words', () => {
    expect(found('dawn at the harbour; harbour at dawn', '"harbour at dawn"')).toEqual(['harbour at dawn']);
    expect(found('International interest in the interval', 'inter*')).toEqual(['International', 'interest', 'interval']);
  });

  test('excluded words are not marked', () => {
    expect(found('storm and rain and storm', 'rain -storm')).toEqual(['rain']);
  });

  test('a word inside longer words is found only when the text lacks it on its own', () => {
    expect(found('denuklirisasi dan nuklir', 'nuklir')).toEqual(['nuklir']);
    expect(found('denuklirisasi dan pronuklir', 'nuklir')).toEqual(['denuklirisasi', 'pronuklir']);
  });

  test('no match, no marks', () => {
    expect(found('Nothing here', 'absent')).toEqual([]);
    expect(found('Nothing here', '')).toEqual([]);
  });
});

describe('the marks in the story', () => {
  test('a word split by inline elements is one match, marked in every piece', () => {
    const el = root('<p>The ca<b>f</b><i>é</i> opens. <a href="#">Café</a> again.</p>');
    expect(draw(el, 'cafe')).toEqual(['café', 'Café']);
    expect(el.querySelectorAll(`mark.${FIND_CLASS}[data-match="0"]`).length).toBe(3);
    expect(el.textContent).toBe('The café opens. Café again.');
  });

  test('a phrase across a line break of the text is marked on both lines', () => {
    const el = root('<p>the harbour</p><p>at dawn</p>');
    expect(draw(el, '"harbour at dawn"')).toEqual(['harbourat dawn']);
    expect([...el.querySelectorAll('p')].map((p) => p.querySelector(`mark.${FIND_CLASS}`)?.textContent)).toEqual(['harbour', 'at dawn']);
  });

  test('matches are not highlights: both nest, and clearing one leaves the other', () => {
    const el = root('<p>Blue whales sing.</p>');
    const map = buildTextMap(el);
    const hs = [{ id: 4, color: 'blue', span: { start: 0, end: 11 } }];
    wrapSpans(map, [...highlightWraps(hs), ...findWraps(findInText(map.chars, 'whales'))]);
    const match = el.querySelector(`mark.${FIND_CLASS}`);
    expect(match?.textContent).toBe('whales');
    // The match's words are in the highlight too, each mark an element of its own.
    expect(match?.querySelector('mark.gloss-hl')?.getAttribute('data-annotation-id')).toBe('4');
    expect(match?.classList.contains('gloss-hl')).toBe(false);
    const hlText = () => [...el.querySelectorAll('mark.gloss-hl')].map((m) => m.textContent).join('');
    expect(hlText()).toBe('Blue whales');
    clearFindMarks(el);
    expect(el.querySelectorAll(`mark.${FIND_CLASS}`).length).toBe(0);
    expect(hlText()).toBe('Blue whales');
    clearHighlights(el);
    expect(el.innerHTML).toBe('<p>Blue whales sing.</p>');
  });

  test('drawing again after clearing gives the same marks, and highlights drawn later still anchor', () => {
    const el = root('<p>One fish, two fish.</p>');
    expect(draw(el, 'fish')).toEqual(['fish', 'fish']);
    clearFindMarks(el);
    expect(el.childNodes[0]?.childNodes.length).toBe(1);
    expect(draw(el, 'fish')).toEqual(['fish', 'fish']);
    expect(applyHighlights(buildTextMap(el), [{ id: 1, color: 'yellow', span: { start: 0, end: 3 } }])).toBe(1);
  });

  test('one match at a time is the current one', () => {
    const el = root('<p>a fish, a fish, a fish</p>');
    draw(el, 'fish');
    expect(markCurrent(el, 1).map((m) => m.getAttribute('data-match'))).toEqual(['1']);
    markCurrent(el, 2);
    expect([...el.querySelectorAll(`.${FIND_CURRENT}`)].map((m) => m.getAttribute('data-match'))).toEqual(['2']);
    markCurrent(el, -1);
    expect(el.querySelectorAll(`.${FIND_CURRENT}`).length).toBe(0);
  });
});

describe('n and N', () => {
  test('move one match on or back, going round at the ends', () => {
    expect(stepMatch(0, 3, 1, 0)).toBe(1);
    expect(stepMatch(2, 3, 1, 0)).toBe(0);
    expect(stepMatch(0, 3, -1, 0)).toBe(2);
    expect(stepMatch(1, 3, -1, 0)).toBe(0);
  });

  test('the first n goes to the first match in or below the view, the first N to the one before it', () => {
    expect(stepMatch(-1, 5, 1, 2)).toBe(2);
    expect(stepMatch(-1, 5, -1, 2)).toBe(1);
    expect(stepMatch(-1, 5, 1, 0)).toBe(0);
    expect(stepMatch(-1, 5, -1, 0)).toBe(4);
    // Every match is above the view.
    expect(stepMatch(-1, 5, 1, 5)).toBe(0);
    expect(stepMatch(-1, 5, -1, 5)).toBe(4);
  });

  test('nothing to move between', () => {
    expect(stepMatch(-1, 0, 1, 0)).toBe(-1);
  });
});

describe('the matches of the open story', () => {
  test('Escape hides this search in this story only; another search or story shows it again', () => {
    const f = new StoryFind();
    expect(f.queryFor(1, '  cafe ')).toBe('cafe');
    expect(f.queryFor(null, 'cafe')).toBe('');
    f.hide(1, 'cafe');
    expect(f.queryFor(1, 'cafe')).toBe('');
    expect(f.queryFor(2, 'cafe')).toBe('cafe');
    expect(f.queryFor(1, 'tea')).toBe('tea');
  });

  test('n moves from where the view is, and a new story or search starts again with none current', () => {
    const f = new StoryFind();
    expect(f.step(1)).toBe(false);
    f.firstBelow = () => 3;
    f.found(7, 12);
    expect(f.step(1)).toBe(true);
    expect(f.current).toBe(3);
    f.step(-1);
    expect(f.current).toBe(2);
    expect(f.moves).toBe(2);
    // The same matches drawn again (other typography): still where it was.
    f.found(7, 12);
    expect(f.current).toBe(2);
    f.found(8, 12);
    expect(f.current).toBe(-1);
  });
});
