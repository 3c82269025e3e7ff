// Import and Export in the real window: Settings → Import…, the file's path
// typed in the dialog (the native picker cannot be driven over WebDriver;
// the typed path is also the keyboard's way), the summary with the reason of
// the row that failed, and the stories in the list. Then Export… writes a
// bookmark file of them. Run through run.sh.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keys } from './webdriver.mjs';
import { appSuite, waitUntil } from './harness.mjs';

const appTest = appSuite({ logName: 'tauri-driver-portability' });

const POCKET_CSV = `title,url,time_added,tags,status
"Harbour, at dawn",https://news.example/harbour?utm_source=pocket,1600000000,boats|sea,unread
Old mill,https://news.example/mill,1600000100,,archive
Harbour again,https://news.example/harbour,1600000200,later,unread
Not a link,ftp://news.example/file,1600000300,,unread
`;

const rowTitles = (s) =>
  s.execute(`return [...document.querySelectorAll('[data-testid=story-row] .title')].map((t) => t.textContent);`);

async function visible(s, selector, what) {
  return waitUntil(what, async () => {
    const [el] = await s.findAll(selector);
    return el && (await el.displayed()) ? el : null;
  });
}

appTest('imports a Pocket CSV through the dialog, shows the summary and the stories, and exports them as bookmarks', async (ctx) => {
  const files = mkdtempSync(join(tmpdir(), 'gloss-e2e-files-'));
  ctx.cleanups.push(() => rmSync(files, { recursive: true, force: true }));
  const csv = join(files, 'pocket.csv');
  writeFileSync(csv, POCKET_CSV);

  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);
  assert.deepEqual(await rowTitles(s), [], 'an empty library');

  // Settings → Import…
  await (await s.find('[aria-label=Settings]')).click();
  await (await visible(s, '[data-testid=settings-import]', 'the Import button in Settings')).click();
  const path = await visible(s, '[data-testid=import-path]', 'the Import dialog');
  await path.click();
  await path.type(csv);
  // No network in tests: the stories stay links.
  await (await s.find('[data-testid=import-fetch]')).click();
  await (await s.find('[data-testid=import-start]')).click();

  const summary = await visible(s, '[data-testid=import-summary]', 'the import summary');
  const text = await summary.text();
  assert.match(text, /Import finished: 2 imported, 1 merged, 1 failed/);
  const reasons = await (await s.find('[data-testid=import-reasons]')).text();
  assert.match(reasons, /ftp:\/\/news\.example\/file/);

  // The stories are in the list behind the dialog: the unread one in the
  // Inbox, the one Pocket had archived in the Archive.
  await waitUntil('the imported story in the Inbox', async () => {
    const t = await rowTitles(s);
    return t.length === 1 && t[0] === 'Harbour, at dawn';
  });
  const count = (id) => s.execute(`return document.querySelector('[data-testid=count-${id}]')?.textContent.trim();`);
  assert.equal(await count('archive'), '1');
  assert.equal(await count('inbox'), '1');

  // Done closes it; Escape would too (the import is over).
  await (await s.find('[data-testid=import-done]')).click();
  await waitUntil('the dialog closed', async () => (await s.findAll('[data-testid=import-summary]')).length === 0);

  // Export the whole library as browser bookmarks to a typed path.
  await (await s.find('[aria-label=Settings]')).click();
  await (await visible(s, '[data-testid=settings-export]', 'the Export button in Settings')).click();
  await visible(s, '[data-testid=export-format]', 'the Export dialog');
  // A <select> is set the way a keyboard user's choice arrives: value, then change.
  await s.execute(`const el = document.querySelector('[data-testid=export-format]');
    el.value = 'netscape'; el.dispatchEvent(new Event('change', { bubbles: true }));`);
  assert.equal(await s.execute(`return document.querySelector('[data-testid=export-format]').value;`), 'netscape');
  const out = join(files, 'bookmarks.html');
  const dest = await s.find('[data-testid=export-path]');
  await dest.click();
  await dest.type(out);
  await (await s.find('[data-testid=export-start]')).click();
  const done = await visible(s, '[data-testid=export-summary]', 'the export summary');
  assert.match(await done.text(), /Exported 2 stories to .*bookmarks\.html/);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /NETSCAPE-Bookmark-file-1/);
  assert.equal((html.match(/<DT><A /g) ?? []).length, 2);

  // Idle: Escape closes the dialog.
  await s.keys(Keys.ESCAPE);
  await waitUntil('Escape closed the export dialog', async () => (await s.findAll('[data-testid=export-summary]')).length === 0);
});
