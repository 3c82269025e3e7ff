// A feed account in the real window, against a real Fever server: Coldsweat
// (started here on 127.0.0.1, its feeds served by this test on 127.0.0.1).
// Add the account through the dialog (a wrong password first: the dialog
// says so), see its feeds under its name, read a story, sync, and Coldsweat
// has it read (asked through its own Fever API). Run through run.sh.

import assert from 'node:assert/strict';
import { appSuite, waitUntil } from './harness.mjs';
import { startColdsweat } from './coldsweat.mjs';
import { png } from './fixtures.mjs';

const appTest = appSuite({ logName: 'tauri-driver-accounts' });

const FEEDS = [
  {
    path: '/tides.xml',
    title: 'Tide Watch',
    group: 'Coast',
    items: ['Spring tides arrive early', 'The harbour wall gets new stones', 'A seal in the marina'],
  },
  {
    path: '/market.xml',
    title: 'Market Hall News',
    group: 'Town',
    items: ['Slate again for the market roof', 'The cheese stall moves', 'Late opening on Fridays', 'The clock is fixed'],
  },
];

function rss(base, feed) {
  const items = feed.items.map(
    (title, i) => `<item>
  <title>${title}</title>
  <link>${base}${feed.path.replace('.xml', '')}/${i + 1}.html</link>
  <guid isPermaLink="false">${feed.path}-${i + 1}</guid>
  <pubDate>Mon, 0${i + 1} Apr 2024 08:00:00 GMT</pubDate>
  <description><![CDATA[<p>${title}: the whole story, as told by the ${feed.title} desk.</p>]]></description>
</item>`,
  );
  // An icon on 127.0.0.1, so that Coldsweat does not ask the internet for one.
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>${feed.title}</title>
<link>${base}/</link>
<description>${feed.title}</description>
<image><url>${base}/icon.png</url><title>${feed.title}</title><link>${base}/</link><width>16</width><height>16</height></image>
${items.join('\n')}
</channel></rss>`;
}

const sidebarAccounts = (s) =>
  s.execute(`return [...document.querySelectorAll('[data-testid=sidebar-account]')].map((a) => ({
    id: Number(a.dataset.id),
    name: a.querySelector('[data-testid=account-name]')?.textContent ?? '',
    state: a.querySelector('[data-testid=account-state]')?.textContent ?? '',
    feeds: [...a.querySelectorAll('[data-testid=sidebar-feed]')].map((b) => ({
      id: Number(b.dataset.id),
      name: b.querySelector('.label')?.textContent ?? '',
      unread: b.querySelector('[data-testid=count-feed]')?.textContent.trim() ?? '',
    })),
  }));`);

const localFeeds = (s) => s.execute(`return document.querySelectorAll('[aria-labelledby=feeds-heading] [data-testid=sidebar-feed]').length;`);

const rows = (s) =>
  s.execute(`return [...document.querySelectorAll('[data-testid=story-row]')].map((r) => ({
    id: Number(r.dataset.id), title: r.querySelector('.title')?.textContent ?? '' }));`);

async function fill(s, selector, text) {
  const el = await s.find(selector);
  await s.execute(`const e = document.querySelector(${JSON.stringify(selector)}); e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true }));`);
  await el.click();
  await el.type(text);
}

appTest('adds a Fever account through the dialog, shows its feeds under its name, and a story read in Gloss is read on the server', async (ctx) => {
  const routes = { '/icon.png': { type: 'image/png', body: png(16, 16, () => [200, 80, 40]) } };
  const server = await ctx.server(routes);
  const base = `http://127.0.0.1:${server.port}`;
  for (const f of FEEDS) routes[f.path] = { type: 'application/rss+xml; charset=utf-8', body: rss(base, f) };

  const coldsweat = await startColdsweat(FEEDS.map((f) => ({ url: `${base}${f.path}`, title: f.title, group: f.group })));
  ctx.cleanups.push(() => coldsweat.close());
  const onServer = await coldsweat.api('items');
  assert.equal(onServer.items.length, 7, 'Coldsweat fetched the test feeds');

  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);
  assert.deepEqual(await sidebarAccounts(s), [], 'no accounts at first');

  // The dialog: a wrong password first, told as such; nothing is added.
  await (await s.find('[data-testid=accounts-add]')).click();
  await waitUntil('the Add account dialog', async () => {
    const [el] = await s.findAll('[data-testid=account-url]');
    return el && (await el.displayed()) ? el : null;
  });
  await (await s.find('[data-testid=account-kind-fever]')).click();
  await fill(s, '[data-testid=account-url]', coldsweat.fever);
  await fill(s, '[data-testid=account-user]', coldsweat.email);
  await fill(s, '[data-testid=account-secret]', 'not the password at all');
  await fill(s, '[data-testid=account-name-input]', 'Coldsweat at home');
  await (await s.find('[data-testid=account-submit]')).click();
  const refused = await waitUntil('the dialog to say the password was refused', async () => {
    const [p] = await s.findAll('[data-testid=account-error]');
    return p ? p.text() : null;
  });
  assert.match(refused, /refused to sign in/, refused);
  assert.deepEqual(await sidebarAccounts(s), [], 'a refused login adds nothing');

  // The right password: the account is added and synced.
  await fill(s, '[data-testid=account-secret]', coldsweat.password);
  await (await s.find('[data-testid=account-submit]')).click();
  const account = await waitUntil(
    'the account in the sidebar with its two feeds, synced',
    async () => {
      const [a] = await sidebarAccounts(s);
      return a && a.feeds.length === 2 && a.state.startsWith('Synced') ? a : null;
    },
    60_000,
  );
  assert.equal(await s.execute(`return document.querySelector('dialog[open]') ? 'open' : null;`), null, 'the dialog closed');
  assert.equal(account.name, 'Coldsweat at home');
  assert.deepEqual(account.feeds.map((f) => [f.name, f.unread]), [
    ['Tide Watch', '3'],
    ['Market Hall News', '4'],
  ]);
  assert.equal(await localFeeds(s), 0, 'the account’s feeds are not listed as local feeds');
  const groups = await s.execute(`return [...document.querySelectorAll('[data-testid=sidebar-account] .group')].map((g) => g.textContent);`);
  assert.deepEqual(groups, ['Coast', 'Town'], 'the server’s groups name the folders under the account');

  // Read a story of the account.
  const tides = account.feeds.find((f) => f.name === 'Tide Watch');
  await (await s.find(`[data-testid=sidebar-feed][data-id="${tides.id}"]`)).click();
  const listed = await waitUntil('the feed’s three stories', async () => {
    const r = await rows(s);
    return r.length === 3 ? r : null;
  });
  const target = listed.find((r) => r.title === 'A seal in the marina');
  assert.ok(target, JSON.stringify(listed));
  await (await s.find(`[data-testid=story-row][data-id="${target.id}"] button.open`)).click();
  await waitUntil('the story in the reader', () =>
    s.execute(`const d = document.querySelector('[data-testid=reader-frame]')?.contentDocument;
      return d && d.readyState === 'complete' && d.querySelector('.story-body')?.textContent.includes('A seal in the marina') ? true : null;`),
  );
  await waitUntil('2 unread under the feed', async () => (await sidebarAccounts(s))[0]?.feeds.find((f) => f.id === tides.id)?.unread === '2');
  await waitUntil('the sidebar saying the read waits to be sent', async () => (await sidebarAccounts(s))[0]?.state.endsWith('1 change waiting to be sent.'));

  // Sync: the queue empties, the server has the story read, and nothing else.
  await (await s.find('[data-testid=accounts-sync]')).click();
  const synced = await waitUntil(
    'the sidebar saying it synced, nothing waiting',
    async () => {
      const [a] = await sidebarAccounts(s);
      return a && a.state.startsWith('Synced') && !a.state.includes('waiting') ? a : null;
    },
    30_000,
  );
  assert.equal(synced.feeds.find((f) => f.id === tides.id)?.unread, '2', 'the pull after the push did not flip it back');
  const items = (await coldsweat.api('items')).items;
  const read = items.filter((i) => i.is_read === 1).map((i) => i.title);
  assert.deepEqual(read, ['A seal in the marina'], 'the server has the story read, and only it');
  const unread = (await coldsweat.api('unread_item_ids')).unread_item_ids.split(',').filter(Boolean);
  assert.equal(unread.length, 6);
});
