// The built app in its real window (WebKitGTK under Xvfb), driven over
// WebDriver through tauri-driver. One driver for the file; each test opens
// its own app session(s) on a library of its own, and ends everything it
// started, passing or failing. Run through tests/e2e/run.sh.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Keys } from './webdriver.mjs';
import { appSuite, gloss, showStory, waitUntil, appProcesses } from './harness.mjs';
import { articlePage, gradientPng, hostilePage, prose, PWN } from './fixtures.mjs';

const appTest = appSuite();

// ---- What the window shows, read from the app's document -------------------

const ROWS_JS = `return [...document.querySelectorAll('[data-testid=story-row]')].map((r) => ({
  id: Number(r.dataset.id),
  title: r.querySelector('.title')?.textContent ?? '',
  selected: r.classList.contains('selected'),
  starred: r.querySelector('.star')?.getAttribute('aria-pressed') === 'true',
}));`;

const rows = (s) => s.execute(ROWS_JS);

const count = (s, name) =>
  s.execute(`return document.querySelector('[data-testid=count-${name}]')?.textContent.trim() ?? null;`);

/** The reader: its title, and the frame's document once the story has loaded in it. */
const READER_JS = `
const frame = document.querySelector('[data-testid=reader-frame]');
const title = document.querySelector('[data-testid=reader-title]')?.textContent ?? null;
if (!frame) return { title, loaded: false };
const doc = frame.contentDocument;
if (!doc || doc.URL !== 'about:srcdoc' || doc.readyState !== 'complete' || !doc.querySelector('.story-body')) {
  return { title, loaded: false };
}
// The reader scrolls in the app's document: the frame is as tall as the story.
const box = document.querySelector('[data-testid=reader-scroll]');
return {
  title,
  loaded: true,
  sandbox: frame.getAttribute('sandbox'),
  frameTitle: doc.title,
  heading: doc.querySelector('.story-title')?.textContent ?? '',
  text: doc.querySelector('.story-body').innerText,
  images: [...doc.images].map((i) => ({ src: i.getAttribute('src'), complete: i.complete, naturalWidth: i.naturalWidth })),
  links: [...doc.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
  scrollTop: box.scrollTop,
  range: box.scrollHeight - box.clientHeight,
  frameHeight: frame.getBoundingClientRect().height,
  docHeight: doc.documentElement.getBoundingClientRect().height,
};`;

const reader = (s) => s.execute(READER_JS);

/** Waits for story `title` to be loaded in the reader and resolves to its state. */
function readerShows(s, title) {
  return waitUntil(`the reader to show “${title}”`, async () => {
    const r = await reader(s);
    return r.loaded && r.title?.includes(title) ? r : null;
  });
}

async function rowWithTitle(s, title) {
  return waitUntil(`a story row titled “${title}”`, async () => (await rows(s)).find((r) => r.title.includes(title)));
}

async function clickRow(s, id) {
  await (await s.find(`[data-testid=story-row][data-id="${id}"] button.open`)).click();
}

/** Fills the library through the command line (the window is not open yet). */
async function populate(lib, stories) {
  const files = stories.map((st, i) => {
    const file = join(lib.dir, `story-${i}.txt`);
    writeFileSync(file, `${st.title}\n\n${st.paragraphs.join('\n\n')}\n`);
    return file;
  });
  const saved = JSON.parse(await gloss(lib.path, 'save', ...files, '--json'));
  assert.equal(saved.length, stories.length, 'every story is saved');
  return saved;
}

// ---- The tests ------------------------------------------------------------------

appTest('saves a page through the Save field, reads it offline, stars, searches, and keeps state and position across a restart', async (ctx) => {
  const title = 'The harbour at dawn';
  const photo = gradientPng(640, 360, [30, 90, 160], [240, 200, 120]);
  const server = await ctx.server({
    '/story.html': {
      type: 'text/html; charset=utf-8',
      body: articlePage({
        title,
        paragraphs: prose('fishing', 24, 'marmalade'),
        images: [{ src: '/photo.png', alt: 'Boats at dawn', width: 640, height: 360 }],
      }),
    },
    '/photo.png': { type: 'image/png', body: photo },
  });
  const lib = ctx.newLibrary();
  let s = await ctx.launch(lib.path);
  assert.deepEqual(await rows(s), [], 'a new library starts empty');

  // Save it the way a user does: type the link in the Save field, press Enter.
  const input = await s.find('[data-testid=save-input]');
  await input.click();
  await input.type(server.url('/story.html') + Keys.ENTER);
  const row = await rowWithTitle(s, title);
  const id = row.id;
  assert.equal(await count(s, 'inbox'), '1');

  // From here on nothing may come from the network: stop the server first.
  await server.close();
  await assert.rejects(fetch(server.url('/photo.png')), 'the fixture server is really gone');

  await clickRow(s, id);
  let r = await readerShows(s, title);
  assert.match(r.heading, new RegExp(title));
  assert.match(r.text, /Every morning the fishing story begins the same way/);
  assert.match(r.text, /paragraph 24 of the piece/, 'the whole article is there');
  assert.doesNotMatch(r.text, /NAVIGATION-CLUTTER|FOOTER-CLUTTER/, 'navigation and footer are left out');
  assert.equal(r.sandbox, 'allow-same-origin');
  assert.equal(r.images.length, 1, 'the article image is kept');
  assert.match(r.images[0].src, /^gloss-asset:\/\/localhost\/[0-9a-f]{64}$/, 'the image comes from the library');
  r = await waitUntil('the image to load from the library', async () => {
    const now = await reader(s);
    return now.images[0]?.complete ? now : null;
  });
  assert.equal(r.images[0].naturalWidth, 640, 'the stored image shows (decoded at its real size)');

  // s stars it (focus is on the row just clicked), and Starred lists it.
  await s.keys('s');
  await waitUntil('the star to show on the row', async () => (await rows(s)).find((x) => x.id === id)?.starred);
  await waitUntil('the Starred count to be 1', async () => (await count(s, 'starred')) === '1');
  await (await s.find('[data-testid=sidebar-starred]')).click();
  await waitUntil('Starred to list the story', async () => {
    const list = await rows(s);
    return list.length === 1 && list[0].id === id;
  });
  assert.equal((await showStory(lib.path, id)).starred, true, 'the star is stored');

  // / then a word: the result shows with the word marked in its snippet.
  await s.keys('/');
  await waitUntil('the search field to have focus', () =>
    s.execute("return document.activeElement?.getAttribute('data-testid') === 'search-input';"),
  );
  await s.keys('marmalade');
  const hit = await waitUntil('a search result with a marked snippet', () =>
    s.execute(`const el = document.querySelector('[data-testid=search-result][data-id="${id}"]');
      return el ? { marks: [...el.querySelectorAll('mark')].map((m) => m.textContent), snippet: el.querySelector('.snippet')?.textContent } : null;`),
  );
  assert.ok(hit.marks.map((m) => m.toLowerCase()).includes('marmalade'), `the snippet marks the word: ${JSON.stringify(hit)}`);
  assert.match(hit.snippet, /marmalade/i);
  await s.keys(Keys.ESCAPE);
  await waitUntil('the search to be cleared', async () => (await s.execute("return document.querySelectorAll('[data-testid=search-result]').length")) === 0);

  // Scroll the reader to about half way; wait until the position is stored.
  r = await reader(s);
  assert.ok(r.range > 1000, `the story is long enough to scroll (range ${r.range})`);
  assert.ok(Math.abs(r.frameHeight - r.docHeight) <= 1, `the frame is as tall as its story: ${r.frameHeight} vs ${r.docHeight}`);
  // One animation frame first: the reader ignores the scroll of its own restore until then.
  await s.executeAsync(`const done = arguments[arguments.length - 1];
    requestAnimationFrame(() => {
      const el = document.querySelector('[data-testid=reader-scroll]');
      el.scrollTop = Math.round((el.scrollHeight - el.clientHeight) / 2);
      done(el.scrollTop);
    });`);
  const stored = await waitUntil('the reading progress to be stored', async () => {
    const p = (await showStory(lib.path, id)).progress;
    return p > 0 ? p : null;
  });
  assert.ok(Math.abs(stored - 0.5) < 0.05, `progress stored near the half: ${stored}`);

  // Quit and start again on the same library.
  await ctx.quit();
  s = await ctx.launch(lib.path);
  const again = await rowWithTitle(s, title);
  assert.equal(again.id, id);
  assert.equal(again.starred, true, 'still starred after a restart');
  assert.equal(await count(s, 'starred'), '1');
  await clickRow(s, id);
  r = await readerShows(s, title);
  assert.ok(r.scrollTop > 0, 'the reading position is restored');
  assert.ok(Math.abs(r.scrollTop / r.range - stored) < 0.02, `restored at ${r.scrollTop}/${r.range}, stored ${stored}`);
});

appTest('a hostile page runs no script in the app or in the reader', async (ctx) => {
  const title = 'Lighthouse keepers keep odd hours';
  const server = await ctx.server({ '/hostile.html': { type: 'text/html; charset=utf-8', body: hostilePage() } });
  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);

  const CHECK_JS = `
    const frame = document.querySelector('[data-testid=reader-frame]');
    const w = frame?.contentWindow;
    return {
      app: window.__pwned ?? null,
      appTitle: document.title,
      frame: w ? (w.__pwned ?? null) : 'no frame',
      frameTitle: frame?.contentDocument?.title ?? 'no frame',
    };`;
  const check = () => s.execute(CHECK_JS);
  const clean = (c) => c.app === null && c.appTitle === 'Gloss' && c.frame === null && !/PWNED/.test(c.frameTitle);

  const input = await s.find('[data-testid=save-input]');
  await input.click();
  await input.type(server.url('/hostile.html') + Keys.ENTER);
  const row = await rowWithTitle(s, title);
  await clickRow(s, row.id);
  const r = await readerShows(s, title);
  assert.match(r.text, /paragraph 6 of the piece/, 'the text around the traps is kept');
  assert.ok(!r.links.some((h) => /^\s*javascript:/i.test(h)), `no javascript: link survives: ${r.links}`);
  assert.ok(!/allow-scripts/.test(r.sandbox), 'the reader frame may not run scripts');
  // Every image has loaded or failed by now (the load event waits for them):
  // an onerror would have run already.
  assert.ok(r.images.every((i) => i.complete));

  // Click every link that is left, as a reader would.
  await s.execute(`const doc = document.querySelector('[data-testid=reader-frame]').contentDocument;
    for (const a of doc.querySelectorAll('a')) a.click();`);

  let c = await check();
  assert.ok(clean(c), `no script ran: ${JSON.stringify(c)}`);

  // Defence in depth: even markup that got past the sanitizer can't run in
  // the frame. Put a handler in the frame's document and make it fire.
  await s.execute(
    `const doc = document.querySelector('[data-testid=reader-frame]').contentDocument;
    const img = doc.createElement('img');
    img.id = 'late-trap';
    img.setAttribute('onerror', arguments[0]);
    img.src = 'gloss-asset://localhost/' + '0'.repeat(64);
    doc.querySelector('.story-body').append(img);`,
    [PWN],
  );
  await waitUntil('the planted image to fail', () =>
    s.execute(`const i = document.querySelector('[data-testid=reader-frame]').contentDocument.getElementById('late-trap');
      return i.complete && i.naturalWidth === 0;`),
  );
  c = await check();
  assert.ok(clean(c), `a planted handler did not run either: ${JSON.stringify(c)}`);

  // The control: a script that did run would be seen by the same check.
  await s.execute("document.querySelector('[data-testid=reader-frame]').contentWindow.__pwned = 1;");
  c = await check();
  assert.equal(c.frame, 1, 'the check sees a flag set in the frame');
  assert.ok(!clean(c));
  await s.execute("document.querySelector('[data-testid=reader-frame]').contentDocument.title = 'PWNED';");
  assert.equal((await check()).frameTitle, 'PWNED', 'the check sees a retitled frame');
  await s.execute('window.__pwned = 1;');
  assert.equal((await check()).app, 1, 'the check sees a flag set in the app');
});

appTest('gloss --library L opens a window titled Gloss that shows the stories', async (ctx) => {
  const lib = ctx.newLibrary();
  const titles = ['Tides and timetables', 'A market in the rain', 'The last ferry home'];
  await populate(
    lib,
    titles.map((t, i) => ({ title: t, paragraphs: prose(['tides', 'markets', 'ferries'][i], 4) })),
  );
  const s = await ctx.launch(lib.path);

  // The process is the app on that library, and its X window is called Gloss.
  assert.equal(appProcesses(lib.path).length, 1, 'one app process on the library');
  assert.equal(await s.title(), 'Gloss');
  const tree = execFileSync('xwininfo', ['-root', '-tree'], { encoding: 'utf8' });
  const win = tree.split('\n').find((l) => /"Gloss"/.test(l));
  assert.ok(win, `an X window named Gloss exists:\n${tree}`);
  const winId = win.trim().split(/\s+/)[0];
  const info = execFileSync('xwininfo', ['-id', winId], { encoding: 'utf8' });
  assert.match(info, /Map State: IsViewable/, 'the window is mapped');

  // Each story is on screen: a visible row with its title, at the top of the
  // stack where it is (nothing blank or covering it).
  const onScreen = await waitUntil('the three rows to be on screen', async () => {
    const v = await s.execute(`return [...document.querySelectorAll('[data-testid=story-row]')].map((r) => {
      const b = r.getBoundingClientRect();
      const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
      const style = getComputedStyle(r);
      return {
        title: r.querySelector('.title')?.textContent ?? '',
        visible: b.width > 100 && b.height > 40 && b.top >= 0 && b.bottom <= innerHeight && style.visibility === 'visible' && Number(style.opacity) > 0,
        topmost: !!hit && r.contains(hit),
      };
    });`);
    return v.length === 3 && v.every((x) => x.visible && x.topmost) ? v : null;
  });
  assert.deepEqual(onScreen.map((x) => x.title).sort(), [...titles].sort());
  for (const el of await s.findAll('[data-testid=story-row]')) {
    assert.ok(await el.displayed(), `row “${await el.text()}” is displayed`);
  }
  assert.equal(await count(s, 'inbox'), '3');
});

appTest('keyboard: j/k move, Enter opens, e archives, ? shows the shortcuts and Escape closes them', async (ctx) => {
  const lib = ctx.newLibrary();
  await populate(lib, [
    { title: 'Gulls over the quay', paragraphs: prose('gulls', 3) },
    { title: 'Nets mended by hand', paragraphs: prose('nets', 3) },
    { title: 'Salt, smoke and herring', paragraphs: prose('herring', 3) },
  ]);
  const s = await ctx.launch(lib.path);
  const list = await waitUntil('three rows', async () => {
    const v = await rows(s);
    return v.length === 3 ? v : null;
  });
  assert.ok(list.every((x) => !x.selected), 'nothing is selected at first');
  const selected = async () => (await rows(s)).find((x) => x.selected)?.id ?? null;

  await s.keys('j');
  await waitUntil('j to select the first story', async () => (await selected()) === list[0].id);
  await s.keys('j');
  await waitUntil('j to select the second story', async () => (await selected()) === list[1].id);
  await s.keys('k');
  await waitUntil('k to go back to the first story', async () => (await selected()) === list[0].id);

  await s.keys(Keys.ENTER);
  await readerShows(s, list[0].title);
  await waitUntil('Enter to put the focus on the reader', () =>
    s.execute("return document.activeElement?.getAttribute('data-testid') === 'reader-scroll';"),
  );

  // A click in the story's text must not swallow the shortcuts that follow.
  const [x, y] = await s.execute(`const f = document.querySelector('[data-testid=reader-frame]');
    const p = f.contentDocument.querySelector('.story-body p').getBoundingClientRect();
    const fr = f.getBoundingClientRect();
    return [fr.left + p.left + 20, fr.top + p.top + 10];`);
  await s.mouse([{ move: [x, y] }, 'down', 'up']);
  await waitUntil('the focus to come back from the frame', () =>
    s.execute("return document.activeElement?.getAttribute('data-testid') === 'reader-scroll';"),
  );

  // e archives the open story: it leaves the Inbox and shows in the Archive.
  await s.keys('e');
  await waitUntil('the story to leave the inbox', async () => {
    const v = await rows(s);
    return v.length === 2 && !v.some((x) => x.id === list[0].id);
  });
  await waitUntil('the counts to follow', async () => (await count(s, 'archive')) === '1' && (await count(s, 'inbox')) === '2');
  assert.equal((await showStory(lib.path, list[0].id)).archived, true, 'the archive is stored');

  const dialog = () =>
    s.execute(`const d = document.querySelector('dialog[open]');
      if (!d) return null;
      const b = d.getBoundingClientRect();
      return { heading: d.querySelector('h2')?.textContent, shown: b.width > 0 && b.height > 0, rows: d.querySelectorAll('tr').length };`);
  assert.equal(await dialog(), null);
  await s.keys('?');
  const d = await waitUntil('the shortcuts dialog', dialog);
  assert.equal(d.heading, 'Keyboard shortcuts');
  assert.ok(d.shown && d.rows >= 10, `it lists the shortcuts: ${JSON.stringify(d)}`);
  await s.keys(Keys.ESCAPE);
  await waitUntil('Escape to close the dialog', async () => (await dialog()) === null);
});

appTest('text selected in the reader is copied with Ctrl+C', async (ctx) => {
  const lib = ctx.newLibrary();
  await populate(lib, [{ title: 'Ropes and knots', paragraphs: prose('knots', 4) }]);
  const s = await ctx.launch(lib.path);
  const row = await rowWithTitle(s, 'Ropes and knots');
  await clickRow(s, row.id);
  await readerShows(s, 'Ropes and knots');

  // Drag across the first paragraph with the mouse, as a reader would.
  const box = await s.execute(`const f = document.querySelector('[data-testid=reader-frame]');
    const p = f.contentDocument.querySelector('.story-body p').getBoundingClientRect();
    const fr = f.getBoundingClientRect();
    return { left: fr.left + p.left, top: fr.top + p.top, right: fr.left + p.right, bottom: fr.top + p.bottom };`);
  await s.mouse([{ move: [box.left + 2, box.top + 4] }, 'down', { move: [box.right - 2, box.bottom - 4], duration: 150 }, 'up']);
  const selected = await waitUntil('a selection in the reader', () =>
    s.execute("return document.querySelector('[data-testid=reader-frame]').contentWindow.getSelection().toString() || null;"),
  );
  assert.match(selected, /Every morning the knots story begins/);
  await waitUntil('the focus to come back from the frame', () =>
    s.execute("return document.activeElement?.getAttribute('data-testid') === 'reader-scroll';"),
  );
  await s.chord(Keys.CONTROL, 'c');

  // Paste it where it can be read back: the Save field.
  const input = await s.find('[data-testid=save-input]');
  await input.click();
  await s.chord(Keys.CONTROL, 'v');
  const pasted = await waitUntil('the copied text in the Save field', () => s.execute("return document.getElementById('save-input').value || null;"));
  assert.match(pasted, /Every morning the knots story begins/);
});
