// What the end-to-end tests of each browser share: a test with a library,
// a web server and a browser of its own, all ended however the test ends;
// and the scenario both browsers run (a page written by its script).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gloss, listStories, tempLibrary, webServer } from './harness.mjs';
import { SPA_TITLE, paragraph } from './pages.mjs';

/**
 * @typedef {Awaited<ReturnType<typeof webServer>>} Server
 * @typedef {{ click: (page: import('puppeteer-core').Page) => Promise<{ badge: string, title: string }>, browser: import('puppeteer-core').Browser }} AnyBrowser
 */

/**
 * A test that runs `body` with a library, a server (answering with
 * `handler`) and a browser (from `launch`) of its own.
 *
 * @template {{ close: () => Promise<void> }} B
 * @param {(options: { library: string, host?: boolean }) => Promise<B>} launch
 * @param {string} name
 * @param {{ host?: boolean }} options
 * @param {Parameters<typeof webServer>[0]} handler
 * @param {(t: { library: string, server: Server, browser: B, cleanup: (f: () => unknown) => void }) => Promise<void>} body
 */
export function browserTest(launch, name, options, handler, body) {
  test(name, { timeout: 180_000 }, async () => {
    /** @type {(() => unknown)[]} */
    const cleanups = [];
    try {
      const lib = tempLibrary();
      cleanups.push(lib.remove);
      const server = await webServer(handler);
      cleanups.push(server.close);
      const browser = await launch({ library: lib.path, host: options.host ?? true });
      cleanups.push(browser.close);
      await body({ library: lib.path, server, browser, cleanup: (f) => cleanups.push(f) });
    } finally {
      for (const c of cleanups.reverse()) await c();
    }
  });
}

/** The one story in the library, once it is there. @param {string} library */
export async function onlyStory(library) {
  const stories = await listStories(library);
  assert.equal(stories.length, 1, `one story in the library, not ${JSON.stringify(stories)}`);
  return stories[0];
}

/**
 * The page of `pages.spaSite`, whose article its script writes after load,
 * saved through the extension's button: Gloss has the script-written
 * paragraphs; Gloss's own fetch of the same address does not.
 *
 * @param {{ library: string, server: Server, browser: AnyBrowser, cleanup: (f: () => unknown) => void }} t
 */
export async function scriptWrittenPage({ library, server, browser, cleanup }) {
  const page = await browser.browser.newPage();
  await page.goto(server.url('/story'));
  await page.waitForSelector('#app[data-ready=yes]');

  const state = await browser.click(page);
  assert.equal(state.badge, '✓', state.title);
  assert.equal(state.title, `Saved to Gloss: ${SPA_TITLE}`);

  const story = await onlyStory(library);
  assert.equal(story.title, SPA_TITLE);
  const text = await gloss(library, 'show', String(story.id), '--format', 'text');
  assert.ok(text.includes(paragraph('Ferry', 1)), 'the first script-written paragraph');
  assert.ok(text.includes(paragraph('Ferry', 60)), 'the last script-written paragraph');

  // The same address saved by Gloss itself (a plain fetch) gets the shell.
  const other = tempLibrary();
  cleanup(other.remove);
  let fetched;
  try {
    await gloss(other.path, 'save', server.url('/story'));
    const [plain] = await listStories(other.path);
    fetched = await gloss(other.path, 'show', String(plain.id), '--format', 'text');
  } catch (error) {
    fetched = String(error);
  }
  assert.ok(!fetched.includes('written for this test'), `a plain fetch has none of the article: ${fetched.slice(0, 300)}`);
}
