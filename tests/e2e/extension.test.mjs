// The browser extension with the window open: Chromium (headless, with the
// extension and Gloss's host in a profile of its own, extension/e2e/) saves
// a page through the extension's button while the app runs on the same
// library. The host hands the save to the window, and the story appears in
// the window's list without a reload. Needs the extension built
// (`npm --prefix extension run build`); run through tests/e2e/run.sh.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appSuite, waitUntil } from './harness.mjs';
import { launchChromium, webServer } from '../../extension/e2e/harness.mjs';
import { SPA_TITLE, spaSite } from '../../extension/e2e/pages.mjs';

const appTest = appSuite({ logName: 'tauri-driver-extension' });

const ROWS_JS = `return [...document.querySelectorAll('[data-testid=story-row]')].map((r) => ({
  id: Number(r.dataset.id),
  title: r.querySelector('.title')?.textContent ?? '',
}));`;

appTest('a page saved through the extension appears in the open window without a reload', async (ctx) => {
  const server = await webServer(spaSite);
  ctx.cleanups.push(server.close);
  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);
  await waitUntil('the handoff invitation', () => existsSync(`${lib.path}.handoff`));
  assert.deepEqual(await s.execute(ROWS_JS), []);
  // A mark in the window's document: a reload would lose it.
  await s.execute('window.glossNoReload = "still here"; return null;');

  const chromium = await launchChromium({ library: lib.path });
  ctx.cleanups.push(chromium.close);
  const page = await chromium.browser.newPage();
  await page.goto(server.url('/story'));
  await page.waitForSelector('#app[data-ready=yes]');
  const state = await chromium.click(page);
  assert.equal(state.badge, '✓', state.title);

  const row = await waitUntil('the story in the window’s list', async () =>
    (await s.execute(ROWS_JS)).find((/** @type {{ title: string }} */ r) => r.title.includes(SPA_TITLE)),
  );
  assert.ok(row.id > 0);
  assert.equal(await s.execute('return window.glossNoReload ?? null;'), 'still here', 'the window was not reloaded');
});
