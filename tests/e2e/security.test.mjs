// The three layers against article script, each proved alone in the real
// window (docs/security.md): the sanitizer, the reader's sandboxed frame, and
// the app's CSP with its capabilities. Each test bypasses the layers it does
// not test and shows, with a positive control, that its detector would have
// seen a script run. Then links: only on a click, only http/https/mailto,
// in the system browser, and the window never navigates.
//
// "The system browser" is whatever `xdg-open` is on PATH: this file puts a
// recorder first on PATH before the driver (and so the app) starts, which
// writes each URL it is asked to open to a log instead of opening it.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { Keys } from './webdriver.mjs';
import { appSuite, gloss, showStory, waitUntil } from './harness.mjs';
import { articlePage, hostilePage, prose, PWN } from './fixtures.mjs';

const recorderDir = mkdtempSync(join(tmpdir(), 'gloss-e2e-opener-'));
const openedLog = join(recorderDir, 'opened.log');
for (const name of ['xdg-open', 'gio', 'x-www-browser', 'sensible-browser']) {
  const file = join(recorderDir, name);
  // `gio open URL` passes the verb first; record only the URL.
  writeFileSync(file, `#!/bin/sh\n[ "$1" = open ] && shift\nprintf '%s\\n' "$1" >> '${openedLog}'\n`);
  chmodSync(file, 0o755);
}
process.env.PATH = `${recorderDir}:${process.env.PATH}`;
process.env.BROWSER = join(recorderDir, 'xdg-open');
after(() => rmSync(recorderDir, { recursive: true, force: true }));

/** The URLs the app asked the system to open, in order. */
const opened = () => (existsSync(openedLog) ? readFileSync(openedLog, 'utf8').split('\n').filter(Boolean) : []);

const appTest = appSuite({ logName: 'tauri-driver-security' });

const FRAME = "document.querySelector('[data-testid=reader-frame]')";

/** Saves `html` (served from a fixture server) into `lib` with the command line; returns the story id. */
async function saveServed(ctx, lib, html) {
  const server = await ctx.server({ '/story.html': { type: 'text/html; charset=utf-8', body: html } });
  const saved = JSON.parse(await gloss(lib.path, 'save', server.url('/story.html'), '--json'));
  return saved[0].id;
}

/** Opens story `id` from the list and waits until the reader frame has loaded it. */
async function openInReader(s, id, title) {
  const row = await waitUntil(`the row of story ${id}`, () =>
    s.execute(`return !!document.querySelector('[data-testid=story-row][data-id="${id}"] button.open');`),
  );
  assert.ok(row);
  await (await s.find(`[data-testid=story-row][data-id="${id}"] button.open`)).click();
  await waitUntil(`the reader to show “${title}”`, () =>
    s.execute(
      `const f = ${FRAME}; const d = f && f.contentDocument;
       return !!d && d.readyState === 'complete' && !!d.querySelector('.story-body') && d.body.textContent.includes(arguments[0]);`,
      [title],
    ),
  );
}

/** Replaces the reader frame's document with raw `html` (the sanitizer and the frame's own CSP bypassed). */
async function injectIntoReader(s, html) {
  await s.execute(
    `const f = ${FRAME}; f.dataset.injected = ''; f.srcdoc = arguments[0];`,
    [html],
  );
  await waitUntil('the injected document to load in the reader frame', () =>
    s.execute(
      `const d = ${FRAME}.contentDocument;
       return !!d && d.readyState === 'complete' && !!d.getElementById('injected-marker');`,
    ),
  );
}

appTest('layer 1 alone: a hostile page saved through the window is stored without script', async (ctx) => {
  const title = 'Lighthouse keepers keep odd hours';
  const server = await ctx.server({ '/hostile.html': { type: 'text/html; charset=utf-8', body: hostilePage() } });
  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);
  const input = await s.find('[data-testid=save-input]');
  await input.click();
  await input.type(server.url('/hostile.html') + Keys.ENTER);
  const id = await waitUntil('the saved story in the list', () =>
    s.execute(
      `const r = [...document.querySelectorAll('[data-testid=story-row]')].find((r) => r.textContent.includes(arguments[0]));
       return r ? Number(r.dataset.id) : null;`,
      [title],
    ),
  );
  // What the library holds, read by the command line: no layer of the window involved.
  const story = await showStory(lib.path, id);
  assert.match(story.text, /paragraph 6 of the piece/i, 'the text around the traps is kept');
  for (const bad of [/<script/i, /\son\w+\s*=/i, /javascript:/i, /<svg/i, /<iframe/i, /<object/i, /<form/i, /<style/i, /<meta/i]) {
    assert.doesNotMatch(story.html, bad, `${bad} in the stored HTML`);
  }
  // The control: the page served did carry every one of them.
  for (const bad of [/<script/i, /\son\w+\s*=/i, /javascript:/i, /<svg/i, /<iframe/i, /<object/i, /<form/i, /<style/i]) {
    assert.match(hostilePage(), bad);
  }
});

appTest('layer 2 alone: the sandboxed reader frame runs no script, even script the app CSP allows', async (ctx) => {
  const lib = ctx.newLibrary();
  const title = 'Tide tables for the winter';
  const id = await saveServed(ctx, lib, articlePage({ title, paragraphs: prose('tides', 6) }));
  const s = await ctx.launch(lib.path);
  await openInReader(s, id, title);
  assert.equal(await s.execute(`return ${FRAME}.getAttribute('sandbox');`), 'allow-same-origin');

  // The app's own bundle: a script from 'self', which the app's CSP lets run
  // anywhere. Booting it mounts the whole app into #app: easy to see.
  const bundle = await s.execute(`return document.querySelector('script[src*="/assets/"]').getAttribute('src');`);
  assert.ok(bundle, 'the app bundle is found');
  const payload = `<!doctype html><html><head><title>injected</title></head><body>
    <p id="injected-marker">raw, unsanitized</p><div id="app"></div>
    <script type="module" src="${bundle}"></script>
    <img src="gloss-asset://localhost/${'0'.repeat(64)}" onerror="${PWN}">
    <svg onload="${PWN}"></svg><details open ontoggle="${PWN}"></details>
    <script>${PWN}</script></body></html>`;
  const CHECK = `const f = ${FRAME}; const d = f.contentDocument;
    return { mounted: d.getElementById('app')?.childElementCount ?? -1, frame: f.contentWindow.__pwned ?? null,
             app: window.__pwned ?? null, title: d.title, appTitle: document.title,
             images: [...d.images].every((i) => i.complete) };`;

  await injectIntoReader(s, payload);
  const c = await waitUntil('the injected images to settle', async () => {
    const v = await s.execute(CHECK);
    return v.images ? v : null;
  });
  assert.deepEqual(
    { mounted: c.mounted, frame: c.frame, app: c.app, title: c.title, appTitle: c.appTitle },
    { mounted: 0, frame: null, app: null, title: 'injected', appTitle: 'Gloss' },
    'nothing in the sandboxed frame ran',
  );

  // The control: the same document in a frame that allows scripts boots the bundle.
  await s.execute(
    `const f = document.createElement('iframe'); f.id = 'control-frame';
     f.setAttribute('sandbox', 'allow-scripts allow-same-origin'); f.style.cssText = 'position:fixed;left:0;top:0;width:400px;height:300px;opacity:0.01';
     f.srcdoc = arguments[0]; document.body.append(f);`,
    [payload],
  );
  const mounted = await waitUntil('the bundle to boot in the control frame', () =>
    s.execute(`const d = document.getElementById('control-frame').contentDocument;
      const n = d && d.getElementById('app') ? d.getElementById('app').childElementCount : 0; return n > 0 ? n : null;`),
  );
  assert.ok(mounted > 0, 'the detector sees a script that runs');
  await s.execute(`document.getElementById('control-frame').remove();`);
});

appTest('layer 3 alone: with the sanitizer and the sandbox bypassed, the app CSP blocks inline script and frames cannot reach IPC', async (ctx) => {
  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);
  await s.execute(`window.__violations = []; window.__messages = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
    window.addEventListener('message', (e) => window.__messages.push(String(e.data)));`);

  // (a) Inline script and an inline handler inserted into the app's own document.
  await s.execute(
    `const img = document.createElement('img'); img.id = 'trap'; img.setAttribute('onerror', arguments[0]);
     img.src = 'gloss-asset://localhost/' + '0'.repeat(64); document.body.append(img);
     const sc = document.createElement('script'); sc.textContent = arguments[0]; document.body.append(sc);`,
    [PWN],
  );
  await waitUntil('the planted image to fail', () =>
    s.execute(`const i = document.getElementById('trap'); return i.complete && i.naturalWidth === 0;`),
  );
  const planted = await s.execute(`return { flag: window.__pwned ?? null, title: document.title, violations: window.__violations };`);
  assert.equal(planted.flag, null, 'the inline handler and script did not run');
  assert.equal(planted.title, 'Gloss');
  assert.ok(planted.violations.some((v) => v.startsWith('script-src')), `the CSP reported the block: ${planted.violations}`);

  // (b) A frame that may run scripts (opaque origin), with inline script: the
  // app's CSP, inherited by srcdoc documents, still blocks it.
  await s.execute(
    `const f = document.createElement('iframe'); f.id = 'evil-frame'; f.setAttribute('sandbox', 'allow-scripts');
     f.srcdoc = '<p id=injected-marker>x</p><script>parent.postMessage("ran:" + typeof window.__TAURI_INTERNALS__, "*")<\\/script>' +
       '<img src=x onerror="parent.postMessage(\\'handler\\', \\'*\\')">';
     document.body.append(f);`,
  );
  const frame = await s.find('#evil-frame');
  await s.cmd('POST', '/frame', { id: { 'element-6066-11e4-a52e-4f735466cecf': frame.id } });
  try {
    await waitUntil('the injected frame to load', () =>
      s.execute(`return document.readyState === 'complete' && !!document.getElementById('injected-marker') && [...document.images].every((i) => i.complete);`),
    );
    // From inside the frame: no Tauri bridge, and the IPC endpoint refuses
    // a call that lacks the app's invoke key (the recorder stays empty).
    const inside = await s.executeAsync(
      `const done = arguments[arguments.length - 1];
       const bridge = typeof window.__TAURI_INTERNALS__;
       fetch('ipc://localhost/open_external', { method: 'POST', body: JSON.stringify({ url: 'https://ipc.example/from-frame' }),
         headers: { 'Content-Type': 'application/json', 'Tauri-Callback': '1', 'Tauri-Error': '2', 'Tauri-Invoke-Key': 'guess' } })
         .then((r) => r.text().then((t) => done({ bridge, status: r.status, body: t.slice(0, 200) })))
         .catch((e) => done({ bridge, status: 0, body: String(e) }));`,
    );
    assert.equal(inside.bridge, 'undefined', 'the frame has no Tauri bridge');
    assert.ok(inside.status === 0 || inside.status >= 400, `IPC from the frame is refused: ${JSON.stringify(inside)}`);
    // The detector's control: a message from this frame does arrive.
    await s.execute(`parent.postMessage('control', '*');`);
  } finally {
    await s.cmd('POST', '/frame', { id: null });
  }
  const messages = await waitUntil('the control message', async () => {
    const m = await s.execute('return window.__messages;');
    return m.includes('control') ? m : null;
  });
  assert.deepEqual(messages, ['control'], 'only the control message came: the frame ran no script');

  // The app itself can open a link through IPC (the recorder works), and
  // the frame's attempt above never reached it.
  await s.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke('open_external', { url: 'https://ipc.example/from-app' }).then(() => done(true), (e) => done(String(e)));`,
  );
  await waitUntil('the app’s own open to be recorded', () => opened().includes('https://ipc.example/from-app'));
  assert.ok(!opened().includes('https://ipc.example/from-frame'), `opened: ${opened()}`);
  // And the app's IPC refuses other schemes.
  const refused = await s.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke('open_external', { url: 'file:///etc/passwd' }).then(() => done('opened'), (e) => done(e));`,
  );
  assert.equal(refused.kind, 'invalid_input', JSON.stringify(refused));
  assert.ok(!opened().some((u) => u.startsWith('file:')));
});

appTest('links open only on a click, only http/https/mailto, in the system browser; the window never navigates', async (ctx) => {
  const lib = ctx.newLibrary();
  const title = 'Where the ferries go';
  // Inside a long paragraph, where a reader keeps them (a paragraph of
  // nothing but links is pruned as navigation).
  const links = ` Read <a href="https://ferries.example/timetable">the timetable</a>,
    <a href="http://ferries.example/old">the old one</a> or
    <a href="mailto:captain@ferries.example">write to the captain</a>.`;
  const html = articlePage({ title, paragraphs: prose('ferries', 6) }).replace(/(<p>[^<]{80,}?)(<\/p>)/, `$1${links}$2`);
  assert.ok(html.includes('ferries.example/timetable'));
  const id = await saveServed(ctx, lib, html);
  const s = await ctx.launch(lib.path);
  const before = opened().length;
  await openInReader(s, id, title);
  const appUrl = await s.execute('return document.URL;');
  assert.equal(opened().length, before, 'opening a story opens nothing');
  const hrefs = await s.execute(`return [...${FRAME}.contentDocument.querySelectorAll('a')].map((a) => a.getAttribute('href'));`);

  /** Clicks the link with `href` in the reader frame with the mouse, as a person would. */
  const click = async (href) => {
    const at = await s.execute(
      `const f = ${FRAME}; const a = [...f.contentDocument.querySelectorAll('a')].find((l) => l.getAttribute('href') === arguments[0]);
       const fr = f.getBoundingClientRect(), r = a.getClientRects()[0];
       return [fr.left + r.left + Math.min(8, r.width / 2), fr.top + r.top + r.height / 2];`,
      [href],
    );
    await s.mouse([{ move: at }, 'down', 'up']);
  };

  const want = ['https://ferries.example/timetable', 'http://ferries.example/old', 'mailto:captain@ferries.example'];
  assert.deepEqual(hrefs.filter((h) => want.includes(h)), want, `the story's links: ${hrefs}`);
  for (const [i, href] of want.entries()) {
    await click(href);
    try {
      await waitUntil(`${href} to reach the browser`, () => opened().length === before + i + 1);
    } catch (e) {
      const diag = await s.execute(`return { url: document.URL, frame: ${FRAME}?.contentDocument?.URL, active: document.activeElement?.className };`);
      throw new Error(`${e.message}; opened ${JSON.stringify(opened())}; state ${JSON.stringify(diag)}`);
    }
  }
  assert.deepEqual(opened().slice(before), want);

  // With the sanitizer bypassed: links of other schemes, clicked, open nothing.
  const hostile = [
    `javascript:${PWN}`,
    'file:///etc/passwd',
    `gloss-asset://localhost/${'0'.repeat(64)}`,
    'ftp://ferries.example/x',
    'https://ferries.example/last',
  ];
  await injectIntoReader(
    s,
    `<p id="injected-marker">raw</p><p>${hostile.map((h) => `<a href="${h}">${h.slice(0, 4)}</a>`).join(' ')}</p>`,
  );
  for (const href of hostile) await click(href);
  // Navigation decisions come in order: once the last (web) link is
  // recorded, the four before it have been decided.
  await waitUntil('the last link to reach the browser', () => opened().includes('https://ferries.example/last'));
  assert.deepEqual(opened().slice(before), [...want, 'https://ferries.example/last'], 'only web and mail links were opened');
  const state = await s.execute(`return { url: document.URL, flag: window.__pwned ?? null,
    frameUrl: ${FRAME}.contentDocument?.URL ?? null, frameFlag: ${FRAME}.contentWindow?.__pwned ?? null };`);
  assert.deepEqual(state, { url: appUrl, flag: null, frameUrl: 'about:srcdoc', frameFlag: null }, 'the window and the frame stayed where they were');
});

appTest('text from a story cannot reorder the words around it: titles and site names are laid out apart', async (ctx) => {
  // U+202E (right-to-left override) reverses everything after it up to the
  // end of the paragraph, unless something isolates it: a spoofing trick
  // ("Invoice \u202Efdp.exe") that would also scramble Gloss's own words
  // shown next to a title or a site name.
  const title = 'Harbour notes \u202Eevil title';
  const site = 'Gazette\u202E';
  const server = await ctx.server({
    '/rtl.html': {
      type: 'text/html; charset=utf-8',
      body: articlePage({ title, site, published: '2024-03-05T09:00:00Z', paragraphs: prose('harbour', 6) }),
    },
  });
  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);
  const input = await s.find('[data-testid=save-input]');
  await input.click();
  await input.type(server.url('/rtl.html') + Keys.ENTER);

  // Finds an element with `find` (page code) and measures, in the same
  // script (a toast may expire between two calls), the left edges of the
  // characters `at` (indexes, negative from the end) of its first text node,
  // with its text; null while there is no such element.
  const measure = (find, at) =>
    s.execute(
      `const el = (${find})(); if (!el) return null;
       const node = el.firstChild; const r = document.createRange();
       const lefts = arguments[0].map((i) => { const j = i < 0 ? node.data.length + i : i;
         r.setStart(node, j); r.setEnd(node, j + 1); return r.getBoundingClientRect().left; });
       return { lefts, text: node.data };`,
      [at],
    );

  // The toast names the story inside Gloss's sentence: "Saved “…”."
  const toast = await waitUntil('the saved toast', () =>
    measure("() => [...document.querySelectorAll('[data-testid=toast] .message')].find((m) => m.textContent.startsWith('Saved'))", [-2, -1]),
  );
  const [closingQuote, period] = toast.lefts;
  assert.ok(closingQuote < period, `“.” stays after the closing quotation mark (${closingQuote} < ${period}) in ${toast.text}`);

  const id = await waitUntil('the saved story in the list', () =>
    s.execute(
      `const r = [...document.querySelectorAll('[data-testid=story-row]')].find((r) => r.textContent.includes('Harbour notes'));
       return r ? Number(r.dataset.id) : null;`,
    ),
  );
  await openInReader(s, id, 'harbour');
  // The control: inside the title itself the override does reverse "evil title".
  const heading = await measure("() => document.querySelector('[data-testid=reader-title]')", [title.indexOf('evil'), -1]);
  const [e, lastE] = heading.lefts;
  assert.ok(e > lastE, `the override reverses the title's own words (${e} > ${lastE})`);

  // The date after the site's name keeps its own order.
  const date = await measure("() => document.querySelector('[data-testid=reader-meta]').children[1]", [0, -1]);
  const [first, last] = date.lefts;
  assert.ok(first < last, `the date reads left to right after the site's name (${first} < ${last})`);
  assert.equal(
    date.text,
    await s.execute("return new Date('2024-03-05T09:00:00Z').toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });"),
  );
});
