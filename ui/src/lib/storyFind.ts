// Finding the words of a search in the open story, the way the search found
// them: the same words, folded the same way, as src-tauri/core/src/search.rs
// (the query's parsing), search/vocabulary.rs (words and folding) and
// search/snippet.rs (what a snippet marks) do it. Pure code: the reader draws
// the matches into its frame with anchoring.ts.
//
// - Words are runs of letters, digits and combining marks; a Chinese,
//   Japanese or Korean character is a word of its own.
// - Folding: canonical decomposition, combining marks dropped, lower case
//   (character by character, like Rust's `char::to_lowercase`), ß as ss. So
//   "cafe" finds "Café", and "strasse" finds "Straße".
// - The query: `"a phrase"` (its words one after the other), `pre*` (a word
//   beginning so), `-word` and `NOT word` (excluded, so never marked), `OR`
//   and `AND` (operators, not words).
// - A word found only inside longer words (`nuklir` in `denuklirisasi`) is
//   marked there, as the search's second pass does, when the story has none
//   of the query's words on their own.

import { isWhite, unwrapAll, type Span, type Wrap } from './anchoring';

/** Han, kana and Hangul: one word per character (search.rs `is_cjk`). */
export function isCjk(c: string): boolean {
  const n = c.codePointAt(0) ?? 0;
  return (
    (n >= 0x3040 && n <= 0x30ff) ||
    (n >= 0x3400 && n <= 0x4dbf) ||
    (n >= 0x4e00 && n <= 0x9fff) ||
    (n >= 0xf900 && n <= 0xfaff) ||
    (n >= 0xff66 && n <= 0xff9d) ||
    (n >= 0x20000 && n <= 0x2fa1f) ||
    (n >= 0xac00 && n <= 0xd7af)
  );
}

const WORD_CHAR = /^[\p{Alphabetic}\p{N}\p{M}]$/u;
const ALPHANUMERIC = /[\p{Alphabetic}\p{N}]/u;
const MARK = /\p{M}/gu;
const CONTROL = /\p{Cc}/gu;

/** Part of a word, as FTS5's unicode61 tokenizer sees it (vocabulary.rs `is_word_char`). */
export function isWordChar(c: string): boolean {
  return WORD_CHAR.test(c);
}

/** A word as the search compares it: no case, no diacritics, ß as ss (vocabulary.rs `fold`). */
export function fold(word: string): string {
  let out = '';
  for (const c of word.normalize('NFD').replace(MARK, '')) out += c.toLowerCase();
  return out.replaceAll('ß', 'ss');
}

export interface Token extends Span {
  folded: string;
}

/** The words of a text given as code points; spans count code points. */
export function tokens(chars: readonly string[]): Token[] {
  const out: Token[] = [];
  let start = -1;
  const close = (from: number, to: number): void => {
    out.push({ start: from, end: to, folded: fold(chars.slice(from, to).join('')) });
  };
  chars.forEach((c, i) => {
    if (isCjk(c)) {
      if (start >= 0) close(start, i);
      start = -1;
      close(i, i + 1);
    } else if (isWordChar(c)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      close(start, i);
      start = -1;
    }
  });
  if (start >= 0) close(start, chars.length);
  return out;
}

// ---- The query -------------------------------------------------------------------

type Term = { op: 'OR' | 'AND' | 'NOT' } | { text: string; prefix: boolean };

/** search.rs `parse`: phrases and operators, the way people type searches. */
function parse(input: string): Term[] {
  const chars = Array.from(input.replace(CONTROL, ' '));
  const terms: Term[] = [];
  const phrase = (text: string, prefix: boolean, negated: boolean): void => {
    if (!ALPHANUMERIC.test(text)) return;
    if (negated) terms.push({ op: 'NOT' });
    terms.push({ text, prefix });
  };
  let i = 0;
  while (i < chars.length) {
    const c = chars[i] ?? '';
    if (isWhite(c)) {
      i++;
    } else if (c === '"') {
      let text = '';
      for (i++; i < chars.length && chars[i] !== '"'; i++) text += chars[i];
      i++;
      const prefix = chars[i] === '*';
      if (prefix) i++;
      phrase(text, prefix, false);
    } else {
      let word = '';
      for (; i < chars.length && !isWhite(chars[i] ?? '') && chars[i] !== '"'; i++) word += chars[i];
      if (word === 'OR' || word === 'AND' || word === 'NOT') {
        terms.push({ op: word });
        continue;
      }
      const negated = Array.from(word).length > 1 && word.startsWith('-');
      const w = negated ? word.slice(1) : word;
      const prefix = w.endsWith('*');
      phrase(w.replace(/\*+$/, ''), prefix, negated);
    }
  }
  return terms;
}

/** What to look for in a story's text. */
export interface FindPattern {
  /** Folded words, one after the other. */
  words: string[];
  /** The last word may go on (`pre*`). */
  prefix: boolean;
  /** One word, found inside any longer word too. */
  inside: boolean;
}

function isSingleWord(text: string): boolean {
  const chars = Array.from(text);
  return chars.length > 0 && chars.every((c) => isWordChar(c) && !isCjk(c));
}

/** Parts of words shorter than this are not searched for (search.rs `MIN_PART_CHARS`). */
const MIN_PART_CHARS = 3;

/**
 * The patterns of a typed search: every phrase it looks for (not those it
 * excludes). With `parts`, each single word of three characters or more is
 * found inside longer words too, unless the query has OR (search.rs
 * `Query::highlights`).
 */
export function findPatterns(input: string, parts: boolean): FindPattern[] {
  const terms = parse(input);
  const withParts = parts && !terms.some((t) => 'op' in t && t.op === 'OR');
  const out: FindPattern[] = [];
  // An operator before any phrase can only be an exclusion of the next one
  // (search.rs `tidy_operators`); later, the last operator before a phrase counts.
  let negated = false;
  let seenPhrase = false;
  for (const t of terms) {
    if ('op' in t) {
      negated = seenPhrase ? t.op === 'NOT' : negated || t.op === 'NOT';
      continue;
    }
    seenPhrase = true;
    const excluded = negated;
    negated = false;
    if (excluded) continue;
    const inside = withParts && !t.prefix && isSingleWord(t.text) && Array.from(t.text).length >= MIN_PART_CHARS;
    const words = inside ? [fold(t.text)] : tokens(Array.from(t.text)).map((w) => w.folded);
    if (words.length > 0) out.push({ words, prefix: t.prefix && !inside, inside });
  }
  return out;
}

/** Where the patterns are in the words (snippet.rs `Highlights::matches`): spans that never overlap. */
export function matchPatterns(toks: readonly Token[], patterns: readonly FindPattern[]): Span[] {
  const found: Span[] = [];
  let i = 0;
  tokens: while (i < toks.length) {
    for (const p of patterns) {
      const n = p.words.length;
      if (toks.length - i < n) continue;
      const fits = p.words.every((w, k) => {
        const t = (toks[i + k] as Token).folded;
        if (p.inside) return t.includes(w);
        return p.prefix && k + 1 === n ? t.startsWith(w) : t === w;
      });
      if (fits) {
        found.push({ start: (toks[i] as Token).start, end: (toks[i + n - 1] as Token).end });
        i += n;
        continue tokens;
      }
    }
    i++;
  }
  return found;
}

/**
 * The matches of a search in a text (its code points), in order: its words
 * on their own, or, when there are none, its words inside longer ones.
 */
export function findInText(chars: readonly string[], query: string): Span[] {
  const toks = tokens(chars);
  const whole = matchPatterns(toks, findPatterns(query, false));
  return whole.length > 0 ? whole : matchPatterns(toks, findPatterns(query, true));
}

// ---- Moving between matches ---------------------------------------------------------

/**
 * The match `n` (dir 1) or `N` (dir -1) goes to, among `count` in order,
 * going round at either end. With none current yet, `n` goes to the first
 * match at or below the top of the view (`firstBelow`, the index of that
 * match; `count` when none is) and `N` to the last one above it.
 */
export function stepMatch(current: number, count: number, dir: 1 | -1, firstBelow: number): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) {
    const below = Math.min(Math.max(firstBelow, 0), count);
    return dir > 0 ? below % count : (below - 1 + count) % count;
  }
  return (current + dir + count) % count;
}

// ---- The marks in the reader ----------------------------------------------------------

/** Search matches are `<mark class="gloss-search" data-match="i">`: not highlights (`gloss-hl`), never saved. */
export const FIND_CLASS = 'gloss-search';
export const FIND_ATTR = 'data-match';
/** The match `n`/`N` went to. */
export const FIND_CURRENT = 'gloss-search-current';

/** The wraps that draw the matches (see anchoring.ts `wrapSpans`); match i's pieces carry `data-match="i"`. */
export function findWraps(matches: readonly Span[]): Wrap[] {
  return matches.map((span, i) => ({
    span,
    make: (doc) => {
      const mark = doc.createElement('mark');
      mark.className = FIND_CLASS;
      mark.setAttribute(FIND_ATTR, String(i));
      return mark;
    },
  }));
}

/** Takes the search marks out of `root`, merging the text they split. */
export function clearFindMarks(root: Element | Document): void {
  unwrapAll(root, `mark.${FIND_CLASS}`);
}

/** The elements of match `i` (one per piece of text it spans). */
export function matchMarks(root: Element | Document, i: number): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(`mark.${FIND_CLASS}[${FIND_ATTR}="${i}"]`));
}

/** Makes match `i` the current one (and no other); returns its elements. */
export function markCurrent(root: Element | Document, i: number): HTMLElement[] {
  for (const m of Array.from(root.querySelectorAll(`.${FIND_CURRENT}`))) m.classList.remove(FIND_CURRENT);
  const marks = i < 0 ? [] : matchMarks(root, i);
  for (const m of marks) m.classList.add(FIND_CURRENT);
  return marks;
}
