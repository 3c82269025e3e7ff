// Sync in the real window: the window is open on library A; the command
// line stars a story and highlights words of it in library B, which syncs
// with A through a folder, and runs `gloss sync now`; A syncs on demand (the
// sidebar's status line) and shows the star and the highlight, on the same
// words, without a restart; the status line says when it synced. Run
// through run.sh.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appSuite, gloss, waitUntil } from './harness.mjs';
import { prose } from './fixtures.mjs';

const appTest = appSuite({ logName: 'tauri-driver-sync' });

const TITLE = 'Ferries across the sound';
const PHRASE = 'the morning boat leaves before the fog lifts';

function storyPage() {
  const paras = prose('ferry', 8).map((p) => `<p>${p}</p>`);
  paras[1] = `<p>Everyone on the island knows that ${PHRASE}, and plans the day around it.</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${TITLE}</title></head>
<body><main><article><h1>${TITLE}</h1>${paras.join('\n')}</article></main></body></html>`;
}

const frameJs = (body) => `const frame = document.querySelector('[data-testid=reader-frame]');
const doc = frame && frame.contentDocument;
if (!doc || doc.readyState !== 'complete' || !doc.querySelector('.story-body')) return null;
${body}`;

/** The highlights in the reader: [{text, color}]. */
const marks = (s) =>
  s.execute(
    frameJs(`const out = {};
for (const m of doc.querySelectorAll('mark[data-annotation-id]')) {
  const id = m.getAttribute('data-annotation-id');
  out[id] ??= { text: '', color: m.getAttribute('data-color') };
  out[id].text += m.textContent;
}
return Object.values(out);`),
  );

const syncLine = (s) => s.execute(`return document.querySelector('[data-testid=sync-line]')?.textContent.trim() ?? null;`);

appTest('a star and a highlight made in another library reach the open window through a sync folder', async (ctx) => {
  const a = ctx.newLibrary();
  const b = ctx.newLibrary();
  const folder = join(a.dir, 'sync-folder');
  mkdirSync(folder);
  const file = join(a.dir, 'ferries.html');
  writeFileSync(file, storyPage());
  const [saved] = JSON.parse(await gloss(a.path, 'save', file, '--json'));

  // A makes the folder its library's; B, empty, joins it and receives the story.
  await gloss(a.path, 'sync', 'setup', 'folder', folder);
  await gloss(a.path, 'sync', 'now');
  await gloss(b.path, 'sync', 'setup', 'folder', folder);
  const first = JSON.parse(await gloss(b.path, 'sync', 'now', '--json'));
  assert.ok(first.applied > 0, 'B receives the story');
  const inB = JSON.parse(await gloss(b.path, 'list', '--json'));
  const story = inB.find((x) => x.title === TITLE);
  assert.ok(story, 'the story is in B');

  const s = await ctx.launch(a.path);
  // The window syncs once at start: the line says so.
  await waitUntil('the sidebar to say A synced', async () => /^Synced /.test((await syncLine(s)) ?? ''));

  // Open the story in A, not starred and without highlights.
  await (await s.find(`[data-testid=story-row][data-id="${saved.id}"] button.open`)).click();
  await waitUntil('the story in the reader', () => s.execute(frameJs(`return doc.querySelector('.story-body p') ? true : null;`)));
  assert.deepEqual(await marks(s), []);
  const starOf = () =>
    s.execute(`return document.querySelector('[data-testid=story-row][data-id="${saved.id}"] button.star')?.getAttribute('aria-pressed') ?? null;`);
  assert.equal(await starOf(), 'false');

  // B stars it and highlights the phrase, then syncs.
  await gloss(b.path, 'star', String(story.id));
  await gloss(b.path, 'annotate', String(story.id), '--quote', PHRASE, '--color', 'green');
  const sent = JSON.parse(await gloss(b.path, 'sync', 'now', '--json'));
  assert.ok(sent.uploaded > 0, 'B sends its changes');

  // A syncs on demand: the sidebar's status line.
  await waitUntil('the status line to be ready', () =>
    s.execute(`const b = document.querySelector('[data-testid=sync-line]'); return b && !b.disabled;`),
  );
  await (await s.find('[data-testid=sync-line]')).click();

  await waitUntil('the star in A', async () => (await starOf()) === 'true');
  const found = await waitUntil('the highlight in the open story', async () => {
    const m = await marks(s);
    return m && m.length === 1 ? m[0] : null;
  });
  assert.equal(found.text.replace(/\s+/g, ' '), PHRASE, 'the highlight is on the same words');
  assert.equal(found.color, 'green');
  await waitUntil('the status line to say it synced just now', async () => (await syncLine(s)) === 'Synced just now');

  // And the command line on A agrees.
  const status = JSON.parse(await gloss(a.path, 'sync', 'status', '--json'));
  assert.equal(status.on, true);
  assert.equal(status.last_error, null);
  assert.equal(status.waiting, 0);
});
