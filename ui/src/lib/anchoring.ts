// Highlights in the reader: between DOM ranges in the reader frame and
// positions in the story's plain text (`Story.text`), which is what the
// backend anchors annotations to, and the `<mark>` elements that show them.
//
// The plain text follows src-tauri/core/src/extract/text.rs exactly: every
// block element and every <br> ends a line; whitespace runs inside a line
// collapse to one space; lines are trimmed and empty ones dropped; table cells
// are separated by one space; <pre> keeps its line breaks; some elements
// (script, style, svg, ...) give no text. Positions count Unicode code
// points. `buildTextMap` walks a DOM subtree with those rules and remembers,
// for every character of the text, the text node and UTF-16 offsets it came
// from, so that both directions are a lookup. Pure DOM code, no app state:
// it runs the same on happy-dom (tests, benchmark) and in WebKit.

/** Elements that start and end a line (text.rs `BLOCKS`). */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl',
  'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody',
  'tfoot', 'thead', 'tr', 'ul',
]);

/** Elements whose content is never text (text.rs `SKIPPED`). */
const SKIPPED = new Set([
  'head', 'script', 'style', 'template', 'noscript', 'title', 'svg', 'math', 'iframe', 'object', 'select', 'textarea',
]);

/** Rust's `char::is_whitespace` (Unicode White_Space), which JS `\s` is not quite. */
const WS = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

export function isWhite(c: string): boolean {
  return WS.test(c);
}

/** Where one character of the text came from; `node` null for a line break or a table cell's space. */
interface Origin {
  node: Text | null;
  /** UTF-16 offsets of the character in `node.data`. */
  from: number;
  to: number;
}

export interface TextMap {
  /** The plain text, as text.rs makes it. */
  readonly text: string;
  /** The text's code points (positions index these). */
  readonly chars: readonly string[];
  /** For each code point, where it came from. */
  readonly origins: readonly Origin[];
  /** Text nodes in document order, and for each the first and last code point it gave (-1: none). */
  readonly nodes: readonly Text[];
  readonly first: readonly number[];
  readonly last: readonly number[];
  /** Index of each text node in `nodes`. */
  readonly nodeIndex: ReadonlyMap<Text, number>;
  readonly root: Node;
}

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

function elementName(n: Node): string {
  return n.nodeType === ELEMENT ? (n as Element).localName.toLowerCase() : '';
}

/** Walks `root` with text.rs's rules and maps every character back to the DOM. */
export function buildTextMap(root: Node): TextMap {
  const chars: string[] = [];
  const origins: Origin[] = [];
  const nodes: Text[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const nodeIndex = new Map<Text, number>();

  // The line being built: its characters go straight into `chars` once it has
  // one (an empty line is never committed, so nothing is taken back).
  let lineLen = 0;
  let pending: Origin | null = null;
  let pendingSpace = false;

  const breakLine = (): void => {
    lineLen = 0;
    pendingSpace = false;
    pending = null;
  };
  const push = (c: string, origin: Origin): void => {
    if (lineLen === 0 && chars.length > 0) {
      chars.push('\n');
      origins.push({ node: null, from: 0, to: 0 });
    } else if (pendingSpace && lineLen > 0) {
      chars.push(' ');
      origins.push(pending ?? { node: null, from: 0, to: 0 });
    }
    pendingSpace = false;
    pending = null;
    chars.push(c);
    origins.push(origin);
    lineLen++;
  };
  const white = (origin: Origin | null): void => {
    if (!pendingSpace) pending = origin;
    pendingSpace = true;
  };

  const visitText = (t: Text, pre: boolean): void => {
    const idx = nodes.length;
    nodes.push(t);
    nodeIndex.set(t, idx);
    const before = chars.length;
    const data = t.data;
    let i = 0;
    for (const c of data) {
      const o: Origin = { node: t, from: i, to: i + c.length };
      i += c.length;
      if (pre && c === '\n') breakLine();
      else if (isWhite(c)) white(o);
      else push(c, o);
    }
    // Every character this node gave is a non-space (or a space it triggered
    // before one of its own); the first and last of them bound its span.
    let f = -1;
    let l = -1;
    for (let k = before; k < chars.length; k++) {
      if (origins[k]?.node === t) {
        if (f < 0) f = k;
        l = k;
      }
    }
    first.push(f);
    last.push(l);
  };

  // An explicit stack, like text.rs (hostile pages nest deep).
  type Step = { enter: Node } | { exitBlock: boolean; exitPre: boolean };
  const stack: Step[] = [{ enter: root }];
  let preDepth = 0;
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    if (!('enter' in step)) {
      if (step.exitPre) preDepth = Math.max(0, preDepth - 1);
      if (step.exitBlock) breakLine();
      continue;
    }
    const n = step.enter;
    if (n.nodeType === TEXT || n.nodeType === CDATA) {
      visitText(n as Text, preDepth > 0);
      continue;
    }
    const name = elementName(n);
    if (SKIPPED.has(name)) continue;
    if (name === 'br') {
      breakLine();
      continue;
    }
    if (name === 'td' || name === 'th') {
      if (!pendingSpace) pending = null;
      pendingSpace = true;
    }
    const block = BLOCKS.has(name);
    const pre = name === 'pre';
    if (block) breakLine();
    if (pre) preDepth++;
    if (n.nodeType === ELEMENT || n === root) stack.push({ exitBlock: block, exitPre: pre });
    const kids = n.childNodes;
    for (let k = kids.length - 1; k >= 0; k--) {
      const kid = kids[k];
      if (kid) stack.push({ enter: kid });
    }
  }

  return { text: chars.join(''), chars, origins, nodes, first, last, nodeIndex, root };
}

/** The plain text of an HTML fragment (tests and the benchmark use it to check the rules). */
export function htmlToText(html: string, doc: Document): string {
  const holder = doc.createElement('div');
  holder.innerHTML = html;
  return buildTextMap(holder).text;
}

export interface Span {
  start: number;
  end: number;
}

// ---- DOM → text -----------------------------------------------------------------

/** Index in `map.nodes` of the first text node at or after the boundary (container, offset); nodes.length if none. */
function textNodeAtOrAfter(map: TextMap, container: Node, offset: number): { idx: number; at: number } {
  const own = container.nodeType === TEXT || container.nodeType === CDATA ? map.nodeIndex.get(container as Text) : undefined;
  if (own !== undefined) return { idx: own, at: offset };
  // An element boundary: before its child `offset`, or after its last child.
  let ref: Node | null = container.childNodes[offset] ?? null;
  let after = false;
  if (!ref) {
    ref = container;
    after = true;
  }
  // Binary search on document order.
  let lo = 0;
  let hi = map.nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const t = map.nodes[mid] as Text;
    const pos = ref.compareDocumentPosition(t);
    // t before the boundary?
    const contained = (pos & 16) !== 0; // t inside ref
    const preceding = (pos & 2) !== 0; // t before ref
    const isBefore = preceding || (after && (contained || t === ref));
    if (isBefore) lo = mid + 1;
    else hi = mid;
  }
  return { idx: lo, at: 0 };
}

/** The first character at or after a DOM boundary, or chars.length. */
function charAtOrAfter(map: TextMap, container: Node, offset: number): number {
  const { idx, at } = textNodeAtOrAfter(map, container, offset);
  const t = map.nodes[idx];
  if (t) {
    const f = map.first[idx] ?? -1;
    if (f >= 0) {
      for (let k = f; k <= (map.last[idx] ?? -1); k++) {
        const o = map.origins[k];
        if (o?.node === t && o.from >= at) return k;
      }
    }
  }
  for (let j = idx + 1; j < map.nodes.length; j++) {
    const f = map.first[j] ?? -1;
    if (f >= 0) return f;
  }
  return map.chars.length;
}

/** One past the last character before a DOM boundary, or 0. */
function charBefore(map: TextMap, container: Node, offset: number): number {
  const { idx, at } = textNodeAtOrAfter(map, container, offset);
  const t = map.nodes[idx];
  if (t && at > 0) {
    const f = map.first[idx] ?? -1;
    for (let k = map.last[idx] ?? -1; k >= f && k >= 0; k--) {
      const o = map.origins[k];
      if (o?.node === t && o.to <= at) return k + 1;
    }
  }
  for (let j = idx - 1; j >= 0; j--) {
    const l = map.last[j] ?? -1;
    if (l >= 0) return l + 1;
  }
  return 0;
}

/** Moves the ends of a span inward past spaces and line breaks. */
export function trimSpan(chars: readonly string[], span: Span): Span {
  let { start, end } = span;
  while (start < end && isWhite(chars[start] ?? '')) start++;
  while (end > start && isWhite(chars[end - 1] ?? '')) end--;
  return { start, end };
}

/** A DOM range (a selection in the frame) as a span of the text; null when it holds no text. */
export function rangeToSpan(map: TextMap, range: Pick<Range, 'startContainer' | 'startOffset' | 'endContainer' | 'endOffset'>): Span | null {
  const start = charAtOrAfter(map, range.startContainer, range.startOffset);
  const end = charBefore(map, range.endContainer, range.endOffset);
  const span = trimSpan(map.chars, { start, end });
  return span.end > span.start ? span : null;
}

/** The code points `[start, end)` of the map's text. */
export function sliceText(map: TextMap, span: Span): string {
  return map.chars.slice(span.start, span.end).join('');
}

// ---- text → DOM ---------------------------------------------------------------

/** Pieces of text nodes that hold a span: [node, from, to) in UTF-16, in document order. */
export interface Piece {
  node: Text;
  from: number;
  to: number;
}

export function spanToPieces(map: TextMap, span: Span): Piece[] {
  const out: Piece[] = [];
  let cur: Piece | null = null;
  for (let k = Math.max(0, span.start); k < Math.min(span.end, map.origins.length); k++) {
    const o = map.origins[k];
    if (!o?.node) continue;
    if (cur && cur.node === o.node) {
      cur.to = Math.max(cur.to, o.to);
    } else {
      cur = { node: o.node, from: o.from, to: o.to };
      out.push(cur);
    }
  }
  return out;
}

/** A DOM Range for a span (scrolling to a highlight, selecting it). */
export function spanToRange(map: TextMap, span: Span): Range | null {
  const pieces = spanToPieces(map, span);
  const a = pieces[0];
  const b = pieces[pieces.length - 1];
  if (!a || !b) return null;
  const doc = a.node.ownerDocument;
  const r = doc.createRange();
  r.setStart(a.node, a.from);
  r.setEnd(b.node, b.to);
  return r;
}

// ---- Finding an annotation's words -------------------------------------------

export interface Quote {
  exact: string;
  prefix: string;
  suffix: string;
}

function codePoints(s: string): string[] {
  return Array.from(s);
}

/** Length of the common suffix of a and b (code points). */
function commonSuffix(a: readonly string[], aEnd: number, b: readonly string[]): number {
  let n = 0;
  while (n < b.length && aEnd - 1 - n >= 0 && a[aEnd - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefix(a: readonly string[], aStart: number, b: readonly string[]): number {
  let n = 0;
  while (n < b.length && aStart + n < a.length && a[aStart + n] === b[n]) n++;
  return n;
}

/**
 * Where an annotation is in the map's text: the stored position when the
 * words there are the quote, else the occurrence of the quote whose context
 * fits best (ties: nearest the stored position). Null when the words are not
 * in the text (the backend's fuzzy anchoring has had its say already: an
 * annotation it placed has a position whose words are in the story's text).
 */
export function locate(map: Pick<TextMap, 'text' | 'chars'>, quote: Quote, position: Span | null): Span | null {
  const exact = codePoints(quote.exact);
  if (exact.length === 0) return null;
  const chars = map.chars;
  if (position && position.end - position.start === exact.length && position.start >= 0 && position.end <= chars.length) {
    let same = true;
    for (let i = 0; i < exact.length; i++) {
      if (chars[position.start + i] !== exact[i]) {
        same = false;
        break;
      }
    }
    if (same) return { start: position.start, end: position.end };
  }
  // Search the text (UTF-16 indexOf, then converted to code points once).
  const text = map.text;
  const prefix = codePoints(quote.prefix);
  const suffix = codePoints(quote.suffix);
  let best: Span | null = null;
  let bestScore = -1;
  let bestDistance = Infinity;
  let from = 0;
  let cpIndex = 0;
  let utfIndex = 0;
  for (;;) {
    const at = text.indexOf(quote.exact, from);
    if (at < 0) break;
    // Advance the code point counter to `at`.
    while (utfIndex < at) {
      const c = chars[cpIndex] ?? '';
      utfIndex += c.length || 1;
      cpIndex++;
    }
    const start = cpIndex;
    const end = start + exact.length;
    const score = commonSuffix(chars, start, prefix) + commonPrefix(chars, end, suffix);
    const distance = position ? Math.abs(start - position.start) : 0;
    if (score > bestScore || (score === bestScore && distance < bestDistance)) {
      best = { start, end };
      bestScore = score;
      bestDistance = distance;
    }
    from = at + 1;
  }
  return best;
}

/** The text and code points of a plain string (the story's `text`), for `locate`. */
export function plainText(text: string): Pick<TextMap, 'text' | 'chars'> {
  return { text, chars: Array.from(text) };
}

/** About 32 characters before and after a span, as the backend stores them. */
export function context(chars: readonly string[], span: Span, size = 32): { prefix: string; suffix: string } {
  return {
    prefix: chars.slice(Math.max(0, span.start - size), span.start).join(''),
    suffix: chars.slice(span.end, span.end + size).join(''),
  };
}

// ---- <mark> elements -------------------------------------------------------------

export const MARK_CLASS = 'gloss-hl';
export const MARK_ATTR = 'data-annotation-id';

export interface Highlight {
  id: number;
  color: string;
  span: Span;
  /** Shown as the mark's title (hover): the note, if any. */
  title?: string;
}

/** A span of the text to wrap in an element that `make` creates (a highlight, a search match). */
export interface Wrap {
  span: Span;
  make: (doc: Document) => HTMLElement;
}

/**
 * Wraps every span's pieces in an element of its own. All pieces are
 * computed on the map first; then each text node is split once at every
 * boundary that falls in it (right to left, so earlier offsets stay valid),
 * and each part is wrapped in one element per span covering it (nested when
 * spans overlap, the first span's innermost). The map is stale afterwards:
 * build a new one before mapping again. Returns the elements made.
 */
export function wrapSpans(map: TextMap, wraps: readonly Wrap[]): HTMLElement[] {
  const doc = map.root.ownerDocument ?? (map.root as Document);
  // Per text node: the spans' pieces in it.
  const perNode = new Map<Text, { from: number; to: number; w: Wrap }[]>();
  for (const w of wraps) {
    for (const p of spanToPieces(map, w.span)) {
      let list = perNode.get(p.node);
      if (!list) perNode.set(p.node, (list = []));
      list.push({ from: p.from, to: p.to, w });
    }
  }
  const made: HTMLElement[] = [];
  for (const [node, list] of perNode) {
    const cuts = new Set<number>();
    for (const p of list) {
      cuts.add(p.from);
      cuts.add(p.to);
    }
    const sorted = [...cuts].filter((c) => c > 0 && c < node.data.length).sort((a, b) => b - a);
    // Split right to left: `node` keeps [0, cut), the new node holds [cut, …).
    const parts: { node: Text; from: number; to: number }[] = [];
    let end = node.data.length;
    for (const cut of sorted) {
      const tail = node.splitText(cut);
      parts.push({ node: tail, from: cut, to: end });
      end = cut;
    }
    parts.push({ node, from: 0, to: end });
    for (const part of parts) {
      if (part.to <= part.from) continue;
      let el: Node = part.node;
      for (const p of list) {
        if (p.from <= part.from && p.to >= part.to) {
          const wrapper = p.w.make(doc);
          el.parentNode?.insertBefore(wrapper, el);
          wrapper.appendChild(el);
          el = wrapper;
          made.push(wrapper);
        }
      }
    }
  }
  return made;
}

/** The wraps that draw highlights as `<mark class="gloss-hl" data-annotation-id data-color>`. */
export function highlightWraps(highlights: readonly Highlight[]): Wrap[] {
  return highlights.map((h) => ({
    span: h.span,
    make: (doc) => {
      const mark = doc.createElement('mark');
      mark.className = MARK_CLASS;
      mark.setAttribute(MARK_ATTR, String(h.id));
      mark.setAttribute('data-color', h.color);
      if (h.title) mark.title = h.title;
      return mark;
    },
  }));
}

/** Draws highlights (see `wrapSpans`); returns how many marks it made. */
export function applyHighlights(map: TextMap, highlights: readonly Highlight[]): number {
  return wrapSpans(map, highlightWraps(highlights)).length;
}

/** Takes every element matching `selector` out of `root` again, merging the text it split. */
export function unwrapAll(root: Element | Document, selector: string): void {
  const parents = new Set<Node>();
  for (const m of Array.from(root.querySelectorAll(selector))) {
    const parent = m.parentNode;
    if (!parent) continue;
    while (m.firstChild) parent.insertBefore(m.firstChild, m);
    parent.removeChild(m);
    parents.add(parent);
  }
  for (const p of parents) if (p.isConnected || p === root) p.normalize();
}

/** Takes every highlight mark out of `root` again, merging the text it split. */
export function clearHighlights(root: Element | Document): void {
  unwrapAll(root, `mark.${MARK_CLASS}`);
}

/** The highlight a DOM point is in (the innermost mark), or null. */
export function highlightAt(node: Node | null): number | null {
  let n: Node | null = node;
  while (n) {
    if (n.nodeType === ELEMENT) {
      const el = n as Element;
      if (el.localName === 'mark' && el.classList.contains(MARK_CLASS)) {
        const id = Number(el.getAttribute(MARK_ATTR));
        return Number.isFinite(id) ? id : null;
      }
    }
    n = n.parentNode;
  }
  return null;
}
