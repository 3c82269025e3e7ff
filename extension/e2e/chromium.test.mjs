// The extension in a real browser: Debian's Chromium, headless, with the
// unpacked extension and Gloss's native host (the built `gloss`) in a profile
// of the test's own. Pages come from 127.0.0.1; each test has its own library
// and browser, and ends both. Run by scripts/test (after the Rust build), or
// by hand: `npm run build && npm run e2e` in extension/.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gradientPng } from '../../tests/e2e/fixtures.mjs';
import { gloss, launchChromium, listStories, waitUntil } from './harness.mjs';
import { browserTest, onlyStory, scriptWrittenPage } from './scenarios.mjs';
import {
  LOGIN_PAGE,
  PAYWALL_PAGE,
  articleHtml,
  htmlPage,
  paragraph,
  paragraphs,
  send,
  spaSite,
} from './pages.mjs';

// ---- A page written by its scripts ----------------------------------------------

browserTest(launchChromium, 'a page written by its script after load is saved with the words the reader saw', {}, spaSite, scriptWrittenPage);

// ---- A page behind a login -------------------------------------------------------

const MEMBERS_TITLE = 'What the council decided behind closed doors';
const MEMBERS_TEXT = paragraphs('Council', 40);

const PHOTO = '<figure><img src="/members/chamber.png" alt="The council chamber" width="320" height="200"><figcaption>The chamber.</figcaption></figure>';
const CHAMBER_PNG = gradientPng(320, 200, [40, 60, 90], [200, 180, 140]);

/** A site whose story needs the session cookie its login form sets. */
function membersSite() {
  const session = randomBytes(16).toString('hex');
  /** @type {Parameters<typeof webServer>[0]} */
  return (req, res, body) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const cookie = req.headers.cookie ?? '';
    if (path === '/login' && req.method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('email') === 'reader@example.org' && form.get('password') === 'correct horse') {
        res.writeHead(303, { location: '/members/story', 'set-cookie': `session=${session}; HttpOnly; Path=/; SameSite=Lax` });
        res.end();
      } else {
        send(res, 'text/html', LOGIN_PAGE);
      }
    } else if (path === '/login') {
      send(res, 'text/html', LOGIN_PAGE);
    } else if (path === '/members/story') {
      const page = cookie.includes(`session=${session}`)
        ? htmlPage({ title: MEMBERS_TITLE, body: articleHtml(MEMBERS_TITLE, MEMBERS_TEXT).replace('</h1>', `</h1>${PHOTO}`) })
        : PAYWALL_PAGE;
      send(res, 'text/html; charset=utf-8', page, { 'cache-control': 'no-store' });
    } else if (path === '/members/chamber.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(CHAMBER_PNG);
    } else {
      send(res, 'text/html', PAYWALL_PAGE);
    }
  };
}

browserTest(launchChromium, 'a page shown only to a logged-in reader is saved with its article, and its cookie stays in the browser', {}, membersSite(), async ({ library, server, browser: chromium }) => {
  const page = await chromium.browser.newPage();
  await page.goto(server.url('/members/story'));
  assert.equal(await page.title(), 'Subscribers only');
  await page.goto(server.url('/login'));
  await page.type('input[name=email]', 'reader@example.org');
  await page.type('input[name=password]', 'correct horse');
  await Promise.all([page.waitForNavigation(), page.click('#submit')]);
  assert.equal(await page.title(), MEMBERS_TITLE);
  const requestsBefore = server.requests.length;

  const state = await chromium.click(page);
  assert.equal(state.badge, '✓', state.title);

  const story = await onlyStory(library);
  assert.equal(story.title, MEMBERS_TITLE);
  const text = await gloss(library, 'show', String(story.id), '--format', 'text');
  assert.ok(text.includes(paragraph('Council', 1)) && text.includes(paragraph('Council', 40)), 'the members-only article');
  assert.ok(!text.includes('Subscribers only'));
  // Saving sent the page to Gloss; nothing asked the site for it again.
  const later = server.requests.slice(requestsBefore);
  const seen = later.map((r) => `${r.method} ${r.path}`).join(', ');
  assert.equal(later.filter((r) => r.path === '/members/story').length, 0, `requests after the click: ${seen}`);
  // Gloss fetched the article's image itself, without the reader's cookie.
  const images = later.filter((r) => r.path === '/members/chamber.png');
  assert.ok(images.length >= 1, `Gloss fetched the image: ${seen}`);
  for (const r of images) assert.equal(r.headers.cookie, undefined, 'no cookie went with Gloss\'s request');
});

// ---- A selection as a highlight --------------------------------------------------

const HIGHLIGHT_TITLE = 'The harbour committee meets again';
const PHRASE = 'the committee will meet again in spring';
const HIGHLIGHT_TEXT = paragraphs('Harbour', 30);
// The phrase twice: the reader selects the second.
HIGHLIGHT_TEXT[4] = `Before the vote, ${PHRASE}, said the chair. ${HIGHLIGHT_TEXT[4]}`;
HIGHLIGHT_TEXT[21] = `After the storm damage was counted, ${PHRASE}, and the quota talks with it. ${HIGHLIGHT_TEXT[21]}`;

/** @type {Parameters<typeof webServer>[0]} */
function highlightSite(_req, res) {
  send(res, 'text/html; charset=utf-8', htmlPage({ title: HIGHLIGHT_TITLE, body: articleHtml(HIGHLIGHT_TITLE, HIGHLIGHT_TEXT) }));
}

browserTest(launchChromium, '"Highlight in Gloss" on a selection saves the page with a highlight on the selected words', {}, highlightSite, async ({ library, server, browser: chromium }) => {
  const page = await chromium.browser.newPage();
  await page.goto(server.url('/story'));
  // Select the second occurrence of the phrase, as a reader's drag would.
  const selected = await page.evaluate((phrase) => {
    const p = document.querySelectorAll('article p')[21];
    const node = /** @type {Text} */ (p.firstChild);
    const at = (node.nodeValue ?? '').indexOf(phrase);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + phrase.length);
    const selection = /** @type {Selection} */ (document.getSelection());
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
  }, PHRASE);
  assert.equal(selected, PHRASE);

  // The button first: its click is what grants the extension the tab, as
  // the context menu's click does for a person. A headless browser has no
  // menu to click, so the menu's own listener is called as the browser would.
  assert.equal((await chromium.click(page)).badge, '✓');
  const outcome = await chromium.worker.evaluate(async (pageUrl, selectionText) => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    const info = { menuItemId: 'gloss-highlight', editable: false, pageUrl, selectionText };
    return /** @type {any} */ (globalThis).glossListeners.onMenuClicked(info, tab);
  }, page.url(), PHRASE);
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  assert.equal(outcome.warning, undefined);
  assert.equal((await chromium.button()).badge, '✓');

  const story = await onlyStory(library);
  const list = JSON.parse(await gloss(library, 'annotations', String(story.id), '--json'));
  assert.equal(list.length, 1, JSON.stringify(list));
  assert.equal(list[0].orphaned, false);
  const selectors = list[0].target.selector;
  const quote = selectors.find((s) => s.type === 'TextQuoteSelector');
  const position = selectors.find((s) => s.type === 'TextPositionSelector');
  assert.equal(quote.exact, PHRASE);
  // On the second occurrence: the words at its position are the phrase, and
  // what stands before them is the second sentence's start.
  const text = Array.from(await gloss(library, 'show', String(story.id), '--format', 'text'));
  assert.equal(text.slice(position.start, position.end).join(''), PHRASE);
  assert.ok(text.slice(0, position.start).join('').endsWith('After the storm damage was counted, '));
});

// ---- Failures the popup explains -------------------------------------------------

browserTest(launchChromium, 'with Gloss not installed the badge says failed, the popup says why, and "Try again" saves once it is', { host: false }, highlightSite, async ({ library, server, browser: chromium }) => {
  const page = await chromium.browser.newPage();
  await page.goto(server.url('/story'));
  const state = await chromium.click(page);
  assert.equal(state.badge, '!');
  assert.match(state.title, /^Not saved: Gloss is not installed/);
  const popupUrl = new URL(state.popup);
  assert.equal(popupUrl.pathname, '/popup.html');
  assert.equal(popupUrl.searchParams.get('kind'), 'not_installed');

  // The person installs Gloss's connection, then clicks the button again:
  // now it opens the popup, which says why the last save failed.
  await chromium.installHost();
  await page.triggerExtensionAction(/** @type {import('puppeteer-core').Extension} */ (chromium.extension));
  const popupTarget = await chromium.browser.waitForTarget((t) => t.url() === state.popup);
  const popup = /** @type {import('puppeteer-core').Page} */ (await popupTarget.asPage());
  await popup.waitForSelector('#retry');
  assert.equal(await popup.$eval('#heading', (h) => h.textContent), 'Gloss is not installed');
  assert.match((await popup.$eval('#reason', (p) => p.textContent)) ?? '', /gloss browser-setup/);

  // The failed save's badge goes first, so that only the retried save's
  // own end can show '✓' or '!' (the retry sets its badge last).
  await chromium.worker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    await chrome.action.setBadgeText({ tabId: tab.id, text: '' });
  });
  await popup.click('#retry');
  const after = await waitUntil('the retried save to end', async () => {
    const s = await chromium.button();
    return s.badge === '✓' || s.badge === '!' ? s : null;
  }, 60000);
  assert.equal(after.badge, '✓', after.title);
  assert.equal(after.popup, '', 'a saved page has no failure popup');
  assert.equal((await onlyStory(library)).title, HIGHLIGHT_TITLE);
});

browserTest(launchChromium, 'a page over Gloss\'s size limit is refused by the extension, and Gloss is not asked', {}, (_req, res) => {
  send(
    res,
    'text/html',
    htmlPage({
      title: 'A very long page',
      // 35 MiB of text, written by the script and kept out of the layout
      // (laying out one text node that long takes the browser minutes).
      head: '<script>addEventListener("DOMContentLoaded", () => { const p = document.createElement("div"); p.hidden = true; p.textContent = "word ".repeat(7 * 1024 * 1024); document.body.append(p); document.documentElement.dataset.big = "yes"; });</script>',
      body: '<p>Short.</p>',
    }),
  );
}, async ({ library, server, browser: chromium }) => {
  const page = await chromium.browser.newPage();
  await page.goto(server.url('/big'));
  await page.waitForSelector('html[data-big=yes]');
  const state = await chromium.click(page);
  assert.equal(state.badge, '!');
  assert.equal(new URL(state.popup).searchParams.get('kind'), 'too_large');
  assert.match(state.title, /too large to save: 35 MiB of HTML/);
  assert.deepEqual(await listStories(library).catch(() => []), []);
});

// ---- Nothing but the user's action sends anything --------------------------------

browserTest(launchChromium, 'a page cannot make the extension send anything', {}, (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/hostile') {
    send(
      res,
      'text/html',
      htmlPage({
        title: 'Hostile',
        body: '<p id="out">Hostile page.</p>',
        head: `<script>
addEventListener('DOMContentLoaded', async () => {
  const tried = [];
  const id = 'fbeanmkoadplglpjkmmhbbncacmokpgj';
  try { chrome.runtime.sendMessage(id, { type: 'retry', tabId: 1 }); tried.push('sendMessage sent'); } catch (e) { tried.push('sendMessage: ' + e.message); }
  try { chrome.runtime.connect(id); tried.push('connect opened'); } catch (e) { tried.push('connect: ' + e.message); }
  window.postMessage({ type: 'save_page', url: location.href }, '*');
  for (const type of ['keydown', 'keyup']) {
    document.dispatchEvent(new KeyboardEvent(type, { key: 'S', code: 'KeyS', altKey: true, shiftKey: true, bubbles: true }));
  }
  document.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true }));
  document.getElementById('out').dataset.tried = JSON.stringify(tried);
});
</script>`,
      }),
    );
  } else {
    send(res, 'text/html', htmlPage({ title: 'An ordinary page', body: articleHtml('An ordinary page', paragraphs('Ordinary', 12)) }));
  }
}, async ({ library, server, browser: chromium }) => {
  const hostile = await chromium.browser.newPage();
  await hostile.goto(server.url('/hostile'));
  const tried = JSON.parse(await hostile.$eval('#out', (p) => /** @type {HTMLElement} */ (p).dataset.tried ?? '[]'));
  assert.ok(!tried.includes('sendMessage sent') && !tried.includes('connect opened'), tried.join('; '));
  assert.deepEqual((await chromium.badges()).filter((b) => b !== ''), [], 'no tab has a badge');

  // A save the user asks for on another page goes through, and is the only one.
  const ordinary = await chromium.browser.newPage();
  await ordinary.goto(server.url('/ordinary'));
  assert.equal((await chromium.click(ordinary)).badge, '✓');
  const stories = await waitUntil('the ordinary page in the library', async () => {
    const list = await listStories(library);
    return list.length ? list : null;
  });
  assert.deepEqual(stories.map((/** @type {{ title: string }} */ s) => s.title), ['An ordinary page']);
  assert.deepEqual((await chromium.badges()).filter((b) => b !== ''), ['✓'], 'only the ordinary tab has a badge');
});

// ---- A link, by its address ------------------------------------------------------

const LINKED_TITLE = 'Shipyard reopens after forty years';

browserTest(launchChromium, '"Save this link" sends the address only, and Gloss fetches the page itself', {}, (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/linked') {
    send(res, 'text/html; charset=utf-8', htmlPage({ title: LINKED_TITLE, body: articleHtml(LINKED_TITLE, paragraphs('Shipyard', 25)) }));
  } else {
    send(res, 'text/html', htmlPage({ title: 'Front page', body: '<main><p><a id="link" href="/linked">Shipyard reopens</a></p></main>' }));
  }
}, async ({ library, server, browser: chromium }) => {
  const page = await chromium.browser.newPage();
  await page.goto(server.url('/'));
  await page.bringToFront();
  const linkUrl = await page.$eval('#link', (a) => /** @type {HTMLAnchorElement} */ (a).href);
  // The menu item's listener, called as the browser calls it on a right-click of the link.
  const outcome = await chromium.worker.evaluate(async (pageUrl, link) => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    const info = { menuItemId: 'gloss-save-link', editable: false, pageUrl, linkUrl: link };
    return /** @type {any} */ (globalThis).glossListeners.onMenuClicked(info, tab);
  }, page.url(), linkUrl);
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  assert.equal((await chromium.button()).badge, '✓');

  const story = await onlyStory(library);
  assert.equal(story.title, LINKED_TITLE);
  const text = await gloss(library, 'show', String(story.id), '--format', 'text');
  assert.ok(text.includes(paragraph('Shipyard', 25)));
  // The browser never opened the link: the only request for it is Gloss's own.
  const fetches = server.requests.filter((r) => r.path === '/linked');
  assert.equal(fetches.length, 1);
  assert.doesNotMatch(String(fetches[0].headers['user-agent']), /Chrome/);
});
