// Feeds in the real window: subscribe through the app's dialog to a feed
// served on 127.0.0.1 (found from the site's home page), see its stories under
// it with an unread count, read one, mark the rest read and undo. Run through
// run.sh.

import assert from 'node:assert/strict';
import { Keys } from './webdriver.mjs';
import { appSuite, gloss, waitUntil } from './harness.mjs';

const appTest = appSuite({ logName: 'tauri-driver-feeds' });

const ITEMS = [
  { title: 'Tide tables for the spring', words: 'The spring tides arrive early this year, and the harbour master has posted new tables.' },
  { title: 'The lifeboat crew trains at night', words: 'Twice a month the volunteers launch after dark to practise finding a drifting dinghy.' },
  { title: 'A new roof for the fish market', words: 'The market hall gets slate again, after forty years under corrugated iron.' },
];

function rss(base) {
  const items = ITEMS.map(
    (it, i) => `<item>
  <title>${it.title}</title>
  <link>${base}/news/${i + 1}.html</link>
  <guid isPermaLink="false">harbour-news-${i + 1}</guid>
  <pubDate>Mon, 0${i + 1} Apr 2024 08:00:00 GMT</pubDate>
  <description><![CDATA[<p>${it.words}</p><p>More on this in the next issue of the Harbour Gazette.</p>]]></description>
</item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Harbour Gazette</title>
<link>${base}/</link>
<description>News from the harbour</description>
${items.join('\n')}
</channel></rss>`;
}

const sidebarFeeds = (s) =>
  s.execute(`return [...document.querySelectorAll('[data-testid=sidebar-feed]')].map((b) => ({
    id: Number(b.dataset.id),
    name: b.querySelector('.label')?.textContent ?? '',
    unread: b.querySelector('[data-testid=count-feed]')?.textContent.trim() ?? '',
    label: b.getAttribute('aria-label'),
  }));`);

const rows = (s) =>
  s.execute(`return [...document.querySelectorAll('[data-testid=story-row]')].map((r) => ({
    id: Number(r.dataset.id), title: r.querySelector('.title')?.textContent ?? '' }));`);

appTest('subscribes through the dialog from a site’s home page, lists the feed’s stories with an unread count, reads one, marks all read and undoes it', async (ctx) => {
  const routes = {};
  const server = await ctx.server(routes);
  const base = `http://127.0.0.1:${server.port}`;
  routes['/'] = {
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html><head><title>Harbour Gazette</title>
<link rel="alternate" type="application/rss+xml" title="Harbour Gazette" href="/feed.xml"></head>
<body><h1>Harbour Gazette</h1><p>Front page.</p></body></html>`,
  };
  routes['/feed.xml'] = { type: 'application/rss+xml; charset=utf-8', body: rss(base) };

  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);
  assert.deepEqual(await sidebarFeeds(s), [], 'no feeds at first');

  // The Subscribe dialog, with the site's home page.
  await (await s.find('[data-testid=feeds-subscribe]')).click();
  const input = await waitUntil('the Subscribe dialog', async () => {
    const [el] = await s.findAll('[data-testid=subscribe-url]');
    return el && (await el.displayed()) ? el : null;
  });
  await input.click();
  await input.type(`${base}/`);
  await (await s.find('[data-testid=subscribe-folder]')).type('Local news');
  await (await s.find('[data-testid=subscribe-submit]')).click();

  const feed = await waitUntil('the feed in the sidebar with 3 unread', async () => {
    const list = await sidebarFeeds(s);
    return list.length === 1 && list[0].unread === '3' ? list[0] : null;
  });
  assert.equal(feed.name, 'Harbour Gazette');
  assert.match(feed.label, /3 unread/);
  assert.equal(await s.execute(`return document.querySelector('dialog[open]') ? 'open' : null;`), null, 'the dialog closed');
  const folder = await s.execute(`const f = document.querySelector('[data-testid=sidebar-folder]');
    return f ? { name: f.querySelector('.label').textContent, unread: f.querySelector('[data-testid=count-folder]').textContent.trim() } : null;`);
  assert.deepEqual(folder, { name: 'Local news', unread: '3' });

  // Subscribing shows the feed's stories.
  const listed = await waitUntil('the three stories under the feed', async () => {
    const r = await rows(s);
    return r.length === 3 ? r : null;
  });
  assert.deepEqual(listed.map((r) => r.title).sort(), ITEMS.map((i) => i.title).sort());
  const stored = JSON.parse(await gloss(lib.path, 'feeds', 'list', '--json'));
  assert.equal(stored.length, 1);
  assert.equal(stored[0].url, `${base}/feed.xml`, 'the feed was found from the home page');

  // Read one: it opens, and the count goes down.
  const target = listed.find((r) => r.title === ITEMS[1].title);
  await (await s.find(`[data-testid=story-row][data-id="${target.id}"] button.open`)).click();
  await waitUntil('the story in the reader', () =>
    s.execute(`const d = document.querySelector('[data-testid=reader-frame]')?.contentDocument;
      return d && d.readyState === 'complete' && d.querySelector('.story-body')?.textContent.includes('drifting dinghy') ? true : null;`),
  );
  await waitUntil('2 unread under the feed', async () => (await sidebarFeeds(s))[0]?.unread === '2');
  assert.equal(JSON.parse(await gloss(lib.path, 'show', String(target.id), '--format', 'json')).read, true);

  // Shift+A marks the rest read; Undo brings them back.
  await s.execute(`document.querySelector('[data-testid=reader-scroll]').focus();`);
  await s.chord('\uE008', 'A');
  await waitUntil('no unread under the feed', async () => (await sidebarFeeds(s))[0]?.unread === '');
  const undo = await waitUntil('the Undo toast', async () => {
    const [b] = await s.findAll('[data-testid=toast] button.action');
    return b ?? null;
  });
  await undo.click();
  await waitUntil('2 unread again after Undo', async () => (await sidebarFeeds(s))[0]?.unread === '2');

  // u goes to the next unread story of the feed.
  await s.execute(`document.querySelector('[data-testid=reader-scroll]').focus();`);
  await s.keys('u');
  await waitUntil('the next unread story in the reader', () =>
    s.execute(`const t = document.querySelector('[data-testid=reader-title]')?.textContent ?? '';
      return t && !t.includes(${JSON.stringify(ITEMS[1].title)}) ? t : null;`),
  );
  await s.keys(Keys.ESCAPE);
});
