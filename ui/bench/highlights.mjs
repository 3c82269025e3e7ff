// Rendering a story with 200 highlights, as the reader does it: build the
// text map of the story's DOM, place each annotation (position checked
// against its quote), wrap them all in <mark>s, and map the text again for
// selections. On happy-dom in Node (the real window is WebKit; this measures
// the algorithm). Prints one Markdown table row; bench/annotate.sh calls it.
//
//   node ui/bench/highlights.mjs [runs]

import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../package.json'));
const ts = require('typescript');
const { Window } = require('happy-dom');

// anchoring.ts has no imports: transpile it and load it as a module.
const source = readFileSync(join(here, '../src/lib/anchoring.ts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const dir = mkdtempSync(join(tmpdir(), 'gloss-bench-'));
const file = join(dir, 'anchoring.mjs');
writeFileSync(file, js);
const A = await import(pathToFileURL(file).href);
rmSync(dir, { recursive: true, force: true });

const RUNS = Number(process.argv[2] ?? 15);
const HIGHLIGHTS = 200;

/** A long article: 300 paragraphs with links, emphasis, headings and lists (about 20,000 words). */
function article() {
  const out = [];
  for (let i = 0; i < 300; i++) {
    if (i % 25 === 0) out.push(`<h2>Part ${i / 25 + 1} of the long report</h2>`);
    out.push(
      `<p>Paragraph ${i} begins with the harbour at dawn, when <a href="https://example.com/${i}">the boats of row ${i}</a> ` +
        `leave one after another, and <em>nobody</em> on the quay says much. The nets were mended the night before; ` +
        `the ice came at four; the <strong>prices</strong> will be known by nine. Number ${i} is not like the others, ` +
        `and the people who know it best say so with a certain pride.</p>`,
    );
    if (i % 40 === 7) out.push(`<ul><li>first point of list ${i}</li><li>second point, with <b>bold</b> words</li></ul>`);
  }
  return out.join('\n');
}

const html = article();
const window = new Window();
const document = window.document;

/** 200 annotations over the text, some across element boundaries, some overlapping, as stored. */
function annotations(map) {
  const out = [];
  const n = map.chars.length;
  for (let k = 0; k < HIGHLIGHTS; k++) {
    const start = Math.floor(((k + 0.5) / HIGHLIGHTS) * (n - 200));
    const end = start + 40 + ((k * 37) % 120);
    const exact = map.chars.slice(start, end).join('');
    out.push({ id: k + 1, color: ['yellow', 'green', 'blue', 'pink', 'purple'][k % 5], quote: { exact, prefix: '', suffix: '' }, position: { start, end } });
  }
  return out;
}

function render(body, anns) {
  A.clearHighlights(body);
  const map = A.buildTextMap(body);
  const hs = [];
  for (const a of anns) {
    const span = A.locate(map, a.quote, a.position);
    if (span) hs.push({ id: a.id, color: a.color, span });
  }
  const marks = A.applyHighlights(map, hs);
  A.buildTextMap(body);
  return { placed: hs.length, marks };
}

const body = document.createElement('div');
body.className = 'story-body';
document.body.appendChild(body);
body.innerHTML = html;
const anns = annotations(A.buildTextMap(body));

const times = [];
let last;
for (let r = 0; r < RUNS + 2; r++) {
  body.innerHTML = html;
  const t0 = performance.now();
  last = render(body, anns);
  const t = performance.now() - t0;
  if (r >= 2) times.push(t); // two warm-up runs
}
if (last.placed !== HIGHLIGHTS) throw new Error(`only ${last.placed} of ${HIGHLIGHTS} highlights were placed`);
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`| rendering a story with ${HIGHLIGHTS} highlights (happy-dom, median of ${RUNS}) | ${median.toFixed(1)} ms |`);
await window.happyDOM.close();
