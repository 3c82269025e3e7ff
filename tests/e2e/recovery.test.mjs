// A damaged library in the real window (docs/durability.md): the app says
// so instead of a list, keeps the damaged file aside byte for byte, and puts
// the newest backup back only when the user presses Restore.

import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { appSuite, gloss, waitUntil } from './harness.mjs';
import { articlePage, prose } from './fixtures.mjs';

const appTest = appSuite({ logName: 'tauri-driver-recovery' });

const DIALOG = '[data-testid=recovery-dialog]';

const dialogOpen = (s) => s.execute(`return document.querySelector('${DIALOG}')?.open === true;`);
const listed = (s) =>
  s.execute("return [...document.querySelectorAll('[data-testid=story-row] .title')].map((t) => t.textContent).sort();");

appTest('a library that cannot be read is set aside and the newest backup restored on request', async (ctx) => {
  const titles = ['Ferry timetables for the spring', 'The lighthouse gets a new lamp', 'Fishing quotas are cut again'];
  const server = await ctx.server(
    Object.fromEntries(
      titles.map((title, i) => [
        `/${i}.html`,
        { type: 'text/html; charset=utf-8', body: articlePage({ title, paragraphs: prose(`harbour ${i}`, 6) }) },
      ]),
    ),
  );
  const lib = ctx.newLibrary();
  await gloss(lib.path, 'save', server.url('/0.html'), server.url('/1.html'));
  // A backup where the app keeps its daily ones, taken with the online backup.
  const backups = join(lib.dir, 'backups');
  mkdirSync(backups);
  await gloss(lib.path, 'backup', '--out', join(backups, 'library.gloss.daily.20261101T080000000Z.gloss'));
  // Saved after the backup: what a restore loses, and the dialog says so.
  await gloss(lib.path, 'save', server.url('/2.html'));

  // A failing disk: garbage over the file's header.
  const fd = openSync(lib.path, 'r+');
  writeSync(fd, Buffer.alloc(100, 0xa5), 0, 100, 0);
  closeSync(fd);
  const damaged = readFileSync(lib.path);

  const s = await ctx.launch(lib.path, { ready: dialogOpen, readyWhat: 'the recovery dialog' });
  const text = await s.execute(`return document.querySelector('${DIALOG}').textContent;`);
  assert.match(text, /Your library is damaged/);
  assert.match(text, /2 stories · daily \(newest\)/, 'the backup is offered with what it holds');

  // Already kept aside, unchanged, under the name the dialog gives.
  const aside = readdirSync(lib.dir).filter((n) => n.startsWith('library.gloss.damaged-'));
  assert.equal(aside.length, 1, `one damaged file kept: ${readdirSync(lib.dir)}`);
  assert.ok(text.includes(join(lib.dir, aside[0])), 'the dialog names where the damaged file is');
  assert.ok(readFileSync(join(lib.dir, aside[0])).equals(damaged), 'the damaged file is kept byte for byte');
  assert.deepEqual(await listed(s), [], 'nothing is listed while the dialog waits');

  // Nothing happens until the user chooses: the newest backup is preselected.
  assert.equal(
    await s.execute(`return document.querySelector('${DIALOG} input[name=recovery-backup]:checked')?.value ?? null;`),
    join(backups, 'library.gloss.daily.20261101T080000000Z.gloss'),
  );
  const restore = await waitUntil('the Restore button', () =>
    s.execute(`return [...document.querySelectorAll('${DIALOG} button')].find((b) => b.textContent.includes('Restore this backup')) ?? null;`),
  );
  await s.execute('arguments[0].click();', [restore]);

  await waitUntil('the dialog to close', async () => !(await dialogOpen(s)));
  const shown = await waitUntil('the restored stories in the list', async () => {
    const t = await listed(s);
    return t.length === 2 ? t : null;
  });
  assert.deepEqual(shown, [titles[0], titles[1]].sort());
  const toast = await waitUntil('the restore to be reported', () =>
    s.execute("return [...document.querySelectorAll('[data-testid=toast]')].map((t) => t.textContent).find((t) => t.includes('Restored')) ?? null;"),
  );
  assert.match(toast, /damaged library is kept as/);

  // The library in place is sound and is the backup's, read by the command line.
  await ctx.quit();
  assert.match(await gloss(lib.path, 'check'), /^ok$/m);
  const stories = JSON.parse(await gloss(lib.path, 'list', '--json'));
  assert.deepEqual(stories.map((st) => st.title).sort(), [titles[0], titles[1]].sort());
});
