// Highlights and notes in the real window: a phrase selected with the
// pointer (across a link), highlighted green from the selection toolbar's key,
// a note added by clicking the highlight, and all of it still there, on the
// same words, after a restart; the Notebook lists it. Run through run.sh.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appSuite, gloss, waitUntil } from './harness.mjs';
import { prose } from './fixtures.mjs';

const appTest = appSuite({ logName: 'tauri-driver-annotations' });

const TITLE = 'Lanterns on the breakwater';
const PHRASE = 'the details change from one street to the next';

/** A saved page whose first paragraph has a link in the middle of the phrase. */
function storyPage() {
  const paras = prose('lantern', 6).map((p) => `<p>${p}</p>`);
  paras[0] = paras[0].replace('details change from one', 'details <a href="https://example.com/streets">change from</a> one');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${TITLE}</title></head>
<body><main><article><h1>${TITLE}</h1>${paras.join('\n')}</article></main></body></html>`;
}

const frameJs = (body) => `const frame = document.querySelector('[data-testid=reader-frame]');
const doc = frame && frame.contentDocument;
if (!doc || doc.readyState !== 'complete' || !doc.querySelector('.story-body')) return null;
${body}`;

/** The text of each highlight in the reader, by id, with its colour. */
const marks = (s) =>
  s.execute(
    frameJs(`const out = {};
for (const m of doc.querySelectorAll('mark[data-annotation-id]')) {
  const id = m.getAttribute('data-annotation-id');
  out[id] ??= { text: '', color: m.getAttribute('data-color') };
  out[id].text += m.textContent;
}
return out;`),
  );

async function openStory(s, title) {
  const row = await waitUntil(`a row titled “${title}”`, () =>
    s.execute(`return [...document.querySelectorAll('[data-testid=story-row]')]
      .map((r) => ({ id: Number(r.dataset.id), title: r.querySelector('.title')?.textContent ?? '' }))
      .find((r) => r.title.includes(${JSON.stringify(title)})) ?? null;`),
  );
  await (await s.find(`[data-testid=story-row][data-id="${row.id}"] button.open`)).click();
  await waitUntil('the story in the reader', () => s.execute(frameJs(`return doc.querySelector('.story-body p') ? true : null;`)));
  return row.id;
}

appTest('a phrase selected with the pointer is highlighted green with a note, and both survive a restart; the Notebook lists it', async (ctx) => {
  const lib = ctx.newLibrary();
  const file = join(lib.dir, 'lanterns.html');
  writeFileSync(file, storyPage());
  const [saved] = JSON.parse(await gloss(lib.path, 'save', file, '--json'));
  let s = await ctx.launch(lib.path);
  const id = await openStory(s, TITLE);
  assert.equal(id, saved.id);

  // Where the phrase is on screen: its first and last characters.
  const box = await s.execute(
    frameJs(`const phrase = ${JSON.stringify(PHRASE)};
const p = [...doc.querySelectorAll('.story-body p')].find((x) => x.textContent.includes(phrase));
if (!p) return null;
const text = p.textContent;
const at = text.indexOf(phrase);
if (at < 0) return null;
// Text node and offset of a character of the paragraph.
function point(i) {
  const w = doc.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = w.nextNode())) {
    if (i < n.data.length) return [n, i];
    i -= n.data.length;
  }
  return null;
}
function rect(i) {
  const [n, o] = point(i);
  const r = doc.createRange();
  r.setStart(n, o);
  r.setEnd(n, o + 1);
  return r.getBoundingClientRect();
}
const a = rect(at);
const b = rect(at + phrase.length - 1);
const f = frame.getBoundingClientRect();
return { x1: f.left + a.left + 1, y1: f.top + (a.top + a.bottom) / 2, x2: f.left + b.right - 1, y2: f.top + (b.top + b.bottom) / 2 };`),
  );
  assert.ok(box, 'the phrase is in the first paragraph');

  // Drag across it, as a reader would.
  await s.mouse([{ move: [box.x1, box.y1] }, 'down', { move: [box.x2, box.y2], duration: 200 }, 'up']);
  const selected = await waitUntil('the selection in the reader', () =>
    s.execute(frameJs(`return frame.contentWindow.getSelection().toString() || null;`)),
  );
  assert.equal(selected.replace(/\s+/g, ' ').trim(), PHRASE, 'the drag selects the phrase');
  await waitUntil('the highlight toolbar', () => s.execute(`return !!document.querySelector('[data-testid=highlight-toolbar]');`));

  // 2: green.
  await s.keys('2');
  const first = await waitUntil('a green highlight in the reader', async () => {
    const m = await marks(s);
    const list = m ? Object.entries(m) : [];
    return list.length === 1 && list[0][1].color === 'green' ? list[0] : null;
  });
  const [annId, mark] = first;
  assert.equal(mark.text.replace(/\s+/g, ' '), PHRASE, 'the highlight covers the phrase, link included');
  assert.equal(
    await s.execute(frameJs(`return doc.querySelectorAll('a mark[data-annotation-id]').length;`)),
    1,
    'part of the highlight is inside the link',
  );
  assert.equal(await s.execute(`return !!document.querySelector('[data-testid=highlight-toolbar]');`), false, 'the toolbar goes');

  // A click on the highlight opens its editor: write a note.
  const at = await s.execute(
    frameJs(`const m = doc.querySelector('mark[data-annotation-id="${annId}"]');
const r = m.getClientRects()[0];
const f = frame.getBoundingClientRect();
return [f.left + (r.left + r.right) / 2, f.top + (r.top + r.bottom) / 2];`),
  );
  await s.mouse([{ move: at }, 'down', 'up']);
  await waitUntil('the highlight editor', () => s.execute(`return !!document.querySelector('[data-testid=highlight-editor]');`));
  const noteInput = await s.find('[data-testid=highlight-note-input]');
  await noteInput.click();
  await noteInput.type('Grey light, **before** the boats go out.');
  await (await s.find('[data-testid=highlight-save]')).click();
  await waitUntil('the editor to close', async () => !(await s.execute(`return !!document.querySelector('[data-testid=highlight-editor]');`)));

  const stored = await waitUntil('the note to be stored', async () => {
    const list = JSON.parse(await gloss(lib.path, 'annotations', String(id), '--json'));
    return list.length === 1 && list[0].note ? list[0] : null;
  });
  assert.equal(stored.color, 'green');
  assert.equal(stored.note, 'Grey light, **before** the boats go out.');
  const quote = stored.target.selector.find((x) => x.type === 'TextQuoteSelector');
  assert.equal(quote.exact, PHRASE);

  // Restart: the highlight is on the same words, and the note is there.
  s = await ctx.launch(lib.path);
  await openStory(s, TITLE);
  const again = await waitUntil('the highlight after the restart', async () => {
    const m = await marks(s);
    return m && m[annId] ? m[annId] : null;
  });
  assert.equal(again.text.replace(/\s+/g, ' '), PHRASE);
  assert.equal(again.color, 'green');
  if (!(await s.execute(`return !!document.querySelector('[data-testid=annotations-panel]');`))) {
    await (await s.find('[data-testid=annotations-toggle]')).click();
  }
  const panel = await waitUntil('the side panel to list it with its note', () =>
    s.execute(`const it = document.querySelector('[data-testid=annotation-item][data-id="${annId}"]');
      return it ? { quote: it.querySelector('.quote')?.textContent.trim(), note: it.querySelector('[data-testid=annotation-note]')?.textContent } : null;`),
  );
  assert.equal(panel.quote, PHRASE);
  assert.equal(panel.note, 'Grey light, **before** the boats go out.');

  // The Notebook lists it; a click opens the story at it.
  await (await s.find('[data-testid=sidebar-notebook]')).click();
  const entry = await waitUntil('the Notebook entry', () =>
    s.execute(`const e = document.querySelector('[data-testid=notebook-entry][data-id="${annId}"]');
      return e ? { text: e.textContent, note: e.querySelector('[data-testid=notebook-note]')?.textContent } : null;`),
  );
  assert.match(entry.text, new RegExp(PHRASE));
  assert.match(entry.text, new RegExp(TITLE));
  assert.equal(entry.note, 'Grey light, **before** the boats go out.');
});
