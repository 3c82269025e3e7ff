// The extension in Firefox: Debian's Firefox ESR, headless, with the
// extension as a temporary add-on and Gloss's native host (the built
// `gloss`) found through a HOME of the test's own. The first scenario of the
// Chromium suite, the same way (a page written by its script, saved by the
// browser's click on the extension's button), the missing host, which
// Firefox reports in words of its own, and the keyboard shortcut, through
// the <key> element Firefox makes for it in its window.

import assert from 'node:assert/strict';
import { gloss, launchFirefox } from './harness.mjs';
import { articleHtml, htmlPage, paragraph, paragraphs, send, spaSite } from './pages.mjs';
import { browserTest, onlyStory, scriptWrittenPage } from './scenarios.mjs';

browserTest(launchFirefox, 'Firefox: a page written by its script after load is saved with the words the reader saw', {}, spaSite, scriptWrittenPage);

browserTest(launchFirefox, 'Firefox: with Gloss not installed the badge says failed and the popup says why', { host: false }, spaSite, async ({ server, browser: firefox }) => {
  const page = await firefox.browser.newPage();
  await page.goto(server.url('/story'));
  await page.waitForSelector('#app[data-ready=yes]');
  const state = await firefox.click(page);
  assert.equal(state.badge, '!');
  // Firefox words the missing host its own way ("No such native application").
  assert.match(state.title, /^Not saved: Gloss is not installed/);
  assert.equal(new URL(state.popup).searchParams.get('kind'), 'not_installed');
});

const SHORTCUT_TITLE = 'Lifeboat crew answers three calls in one night';

browserTest(launchFirefox, 'Firefox: Alt+Shift+S saves the page', {}, (_req, res) => {
  send(res, 'text/html; charset=utf-8', htmlPage({ title: SHORTCUT_TITLE, body: articleHtml(SHORTCUT_TITLE, paragraphs('Lifeboat', 30)) }));
}, async ({ library, server, browser: firefox }) => {
  const page = await firefox.browser.newPage();
  await page.goto(server.url('/story'));
  const state = await firefox.pressShortcut(page);
  assert.equal(state.badge, '✓', state.title);
  const story = await onlyStory(library);
  assert.equal(story.title, SHORTCUT_TITLE);
  assert.ok((await gloss(library, 'show', String(story.id), '--format', 'text')).includes(paragraph('Lifeboat', 30)));
});
