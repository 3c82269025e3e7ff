// Search snippets come from the backend with the matched words wrapped in
// STX (\u0002) … ETX (\u0003). They are plain text, never HTML: the marks are
// turned into <mark> elements and everything else into text nodes, so a
// snippet containing "<img onerror=…>" shows those characters and runs nothing.

export interface SnippetPart {
  text: string;
  mark: boolean;
}

const START = '\u0002';
const END = '\u0003';

/** Splits a snippet into plain and marked runs (empty runs dropped). */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let mark = false;
  let run = '';
  const push = () => {
    if (run) {
      const last = parts[parts.length - 1];
      if (last && last.mark === mark) last.text += run;
      else parts.push({ text: run, mark });
    }
    run = '';
  };
  for (const ch of snippet) {
    if (ch === START) {
      push();
      mark = true;
    } else if (ch === END) {
      push();
      mark = false;
    } else {
      run += ch;
    }
  }
  push();
  return parts;
}

/** Fills `el` with the snippet as text nodes and <mark> elements. */
export function renderSnippet(el: HTMLElement, snippet: string): void {
  const doc = el.ownerDocument;
  const nodes = parseSnippet(snippet).map((part) => {
    if (!part.mark) return doc.createTextNode(part.text);
    const m = doc.createElement('mark');
    m.textContent = part.text;
    return m;
  });
  el.replaceChildren(...nodes);
}

/** The snippet without its marks (for accessible names and tooltips). */
export function snippetText(snippet: string): string {
  return snippet.replaceAll(START, '').replaceAll(END, '');
}
