// What the extension takes from a tab: the rendered document, its address and
// title, and the selection as a W3C TextQuoteSelector.
//
// `capturePage` is injected into the tab with `scripting.executeScript({func})`,
// which sends the function's source text, not its closure: it must use nothing
// from outside its own body (no imports, no module-level helpers). It runs only
// when the user asked for a save (toolbar button, shortcut or menu), in the
// extension's isolated world, and reads nothing but the document: no cookies,
// no storage.

/**
 * @typedef {{ exact: string, prefix: string, suffix: string }} QuoteSelector
 * @typedef {{ url: string, title: string, html: string, selection?: QuoteSelector }} Capture
 */

/**
 * The tab's document as it is now, with a `<base href>` of its address.
 *
 * @param {boolean} withSelection whether to describe the selection (the
 *   "Highlight in Gloss" menu); a plain save sends none.
 * @returns {Capture}
 */
export function capturePage(withSelection) {
  /** How many characters of context Gloss keeps on each side of a quote. */
  const CONTEXT = 32;
  /** Elements that start and end a line in Gloss's plain text. */
  const BLOCKS = new Set([
    'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'CENTER', 'DD', 'DETAILS',
    'DIALOG', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2',
    'H3', 'H4', 'H5', 'H6', 'HEADER', 'HGROUP', 'HR', 'LI', 'MAIN', 'MENU', 'NAV', 'OL', 'P', 'PRE',
    'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL',
  ]);
  /** Elements whose text is not the page's text. */
  const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD', 'TEXTAREA', 'SELECT']);

  /**
   * The page's text in the shape of Gloss's plain text (a line per block,
   * spaces collapsed, lines trimmed, no blank lines), with where the range's
   * two ends fall in it.
   *
   * @param {Node} root
   * @param {Range} range
   */
  function textAround(root, range) {
    let out = '';
    let atLineStart = true;
    let pendingSpace = false;
    /** @type {number | null} */
    let start = null;
    /** @type {number | null} */
    let end = null;
    /** @param {Node} container @param {number} offset */
    const boundary = (container, offset) => {
      if (start === null && container === range.startContainer && offset === range.startOffset) {
        start = out.length;
      }
      if (end === null && container === range.endContainer && offset === range.endOffset) {
        end = out.length;
      }
    };
    const lineBreak = () => {
      if (!atLineStart) out += '\n';
      atLineStart = true;
      pendingSpace = false;
    };
    /** @param {string} text */
    const emit = (text) => {
      for (const piece of text.split(/(\s+)/)) {
        if (!piece) continue;
        if (/^\s/.test(piece)) {
          if (!atLineStart) pendingSpace = true;
        } else {
          if (pendingSpace) out += ' ';
          pendingSpace = false;
          atLineStart = false;
          out += piece;
        }
      }
    };
    /** @param {Node} node */
    const visit = (node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        const data = node.nodeValue ?? '';
        // Only the range's own text nodes are cut where its ends are.
        const cuts = [];
        if (node === range.startContainer) cuts.push(range.startOffset);
        if (node === range.endContainer) cuts.push(range.endOffset);
        cuts.sort((a, b) => a - b);
        let from = 0;
        for (const cut of cuts) {
          emit(data.slice(from, cut));
          boundary(node, cut);
          from = Math.max(from, cut);
        }
        emit(data.slice(from));
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_NODE) return;
      const name = node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node).tagName.toUpperCase() : '';
      if (SKIPPED.has(name)) return;
      if (name === 'BR') {
        lineBreak();
        return;
      }
      const block = BLOCKS.has(name);
      if (block) lineBreak();
      const children = node.childNodes;
      for (let i = 0; i < children.length; i++) {
        boundary(node, i);
        visit(children[i]);
      }
      boundary(node, children.length);
      if (block) lineBreak();
    };
    visit(root);
    // The last block's line break ends nothing: Gloss's text has none.
    return { text: out.replace(/\n$/, ''), start, end };
  }

  /**
   * The selection as exact words with the page's text on either side, or
   * undefined when nothing (or only space) is selected.
   *
   * @returns {QuoteSelector | undefined}
   */
  function quoteOfSelection() {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return undefined;
    const range = selection.getRangeAt(0);
    const body = document.body ?? document.documentElement;
    const { text, start, end } = textAround(body, range);
    if (start === null || end === null || end <= start) {
      // The selection is where the page's text is not (a form field, a
      // shadow tree): its words alone.
      const exact = selection.toString().replace(/\s+/g, ' ').trim();
      return exact ? { exact, prefix: '', suffix: '' } : undefined;
    }
    let from = start;
    let to = end;
    while (from < to && /\s/.test(text[from])) from++;
    while (to > from && /\s/.test(text[to - 1])) to--;
    if (from === to) return undefined;
    // Context is counted in code points, as Gloss counts it.
    const before = Array.from(text.slice(0, from));
    const after = Array.from(text.slice(to));
    return {
      exact: text.slice(from, to),
      prefix: before.slice(Math.max(0, before.length - CONTEXT)).join(''),
      suffix: after.slice(0, CONTEXT).join(''),
    };
  }

  /** The document's markup with a `<base href>` that makes its relative addresses absolute. */
  function documentHtml() {
    const root = /** @type {HTMLElement} */ (document.documentElement.cloneNode(true));
    let head = root.querySelector('head');
    if (!head) {
      head = document.createElement('head');
      root.insertBefore(head, root.firstChild);
    }
    let base = head.querySelector('base[href]');
    if (!base) {
      base = document.createElement('base');
      head.insertBefore(base, head.firstChild);
    }
    base.setAttribute('href', document.baseURI);
    return root.outerHTML;
  }

  /** @type {Capture} */
  const capture = { url: document.URL, title: document.title, html: documentHtml() };
  if (withSelection) {
    const selection = quoteOfSelection();
    if (selection) capture.selection = selection;
  }
  return capture;
}
