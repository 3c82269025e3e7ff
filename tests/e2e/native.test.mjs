// The app as the desktop and the browser reach it: a gloss://save link from
// a second launch (the way a browser starts the registered handler), a link
// that started the app, a refused link, and `gloss save` from a shell handed
// to the running window. Run through tests/e2e/run.sh.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { appSuite, appBinary, appProcesses, quitApp, waitUntil, firstListMark } from './harness.mjs';
import { Session } from './webdriver.mjs';
import { articlePage, prose } from './fixtures.mjs';

const appTest = appSuite({ logName: 'tauri-driver-native' });

/** The lean command line, built beside the app. */
const cliBinary = resolve(process.env.GLOSS_E2E_CLI || join(dirname(appBinary), 'gloss'));

/** The environment the driver gave the running app: a second launch must share it (and its D-Bus session). */
function appEnv(ctx) {
  const { home } = ctx.driver;
  return {
    ...process.env,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_STATE_HOME: join(home, 'state'),
    GLOSS_LIBRARY: join(home, 'unused.gloss'),
  };
}

/**
 * Runs a program to its end and resolves to {code, stdout, stderr}; a
 * program that does not end in `timeoutMs` is killed and the test fails.
 */
function runToEnd(ctx, file, args, timeoutMs = 30000) {
  return new Promise((resolveRun, reject) => {
    const child = execFile(file, args, { env: appEnv(ctx), encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err && err.killed) reject(new Error(`${file} ${args.join(' ')} did not end in ${timeoutMs} ms\n${stderr}`));
      else resolveRun({ code: err ? err.code : 0, stdout, stderr });
    });
    ctx.cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
  });
}

const ROWS_JS = `return [...document.querySelectorAll('[data-testid=story-row]')].map((r) => ({
  id: Number(r.dataset.id),
  title: r.querySelector('.title')?.textContent ?? '',
}));`;

const rowTitled = (s, title) =>
  waitUntil(`a story row titled “${title}”`, async () => (await s.execute(ROWS_JS)).find((r) => r.title.includes(title)));

const readerTitle = (s) => s.execute("return document.querySelector('[data-testid=reader-title]')?.textContent ?? null;");

const toasts = (s) => s.execute("return [...document.querySelectorAll('[data-testid=toast]')].map((t) => t.textContent);");

function storyRoutes(title, topic) {
  return {
    '/story.html': { type: 'text/html; charset=utf-8', body: articlePage({ title, paragraphs: prose(topic, 8) }) },
  };
}

appTest('a gloss://save link from a second launch is saved by the running app and shown', async (ctx) => {
  const title = 'Lighthouse keepers of the northern coast';
  const server = await ctx.server(storyRoutes(title, 'lighthouses'));
  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);

  // What the desktop runs for a gloss:// link (Exec=gloss-app %u): the link alone.
  const link = `gloss://save?url=${encodeURIComponent(server.url('/story.html'))}`;
  const second = await runToEnd(ctx, appBinary, [link]);
  assert.equal(second.code, 0, `the second launch hands over and exits: ${second.stderr}`);

  await rowTitled(s, title);
  await waitUntil('the saved story to open in the reader', async () => (await readerTitle(s))?.includes(title));
  assert.equal(existsSync(appEnv(ctx).GLOSS_LIBRARY), false, 'the second launch opened no library of its own');

  // A link that asks for anything but saving an http(s) page is refused, with the reason.
  const refused = await runToEnd(ctx, appBinary, ['gloss://save?url=file%3A%2F%2F%2Fetc%2Fpasswd']);
  assert.equal(refused.code, 0);
  const message = await waitUntil('the refusal to be shown', async () => (await toasts(s)).find((t) => t.includes('refused')));
  assert.match(message, /only gloss:\/\/save\?url=… with an http or https address/i);
  assert.equal((await s.execute(ROWS_JS)).length, 1, 'nothing else was saved');
});

appTest('a gloss://save link that starts the app is saved once the window is ready', async (ctx) => {
  const title = 'Tide tables and the people who print them';
  const server = await ctx.server(storyRoutes(title, 'tides'));
  const lib = ctx.newLibrary();
  const link = `gloss://save?url=${encodeURIComponent(server.url('/story.html'))}`;
  const s = await Session.start(ctx.driver.base, {
    'tauri:options': { application: appBinary, args: ['--library', lib.path, link] },
  });
  ctx.cleanups.push(() => quitApp(s, lib.path));
  await waitUntil('the first list to be painted', () => firstListMark(s), 20000);
  await rowTitled(s, title);
  await waitUntil('the saved story to open in the reader', async () => (await readerTitle(s))?.includes(title));
});

appTest('`gloss save URL` while the window is open is handed to it', async (ctx) => {
  const title = 'Harbour cranes at night';
  const server = await ctx.server(storyRoutes(title, 'cranes'));
  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);

  // The invitation next to the library, for this user's eyes only.
  const invitation = `${lib.path}.handoff`;
  await waitUntil('the handoff invitation', () => existsSync(invitation));
  assert.equal(statSync(invitation).mode & 0o777, 0o600);

  const saved = await runToEnd(ctx, cliBinary, ['--library', lib.path, 'save', server.url('/story.html'), '--tag', 'shell']);
  assert.equal(saved.code, 0, saved.stderr);
  assert.match(saved.stdout, new RegExp(`^saved \\d+: ${title}`, 'm'), 'printed as a normal save');

  // The window learnt of it from its own save, not by reloading: the row
  // appears with no click, and the save's progress line went through.
  const row = await rowTitled(s, title);
  const json = await runToEnd(ctx, cliBinary, ['--library', lib.path, 'show', String(row.id), '--format', 'json']);
  assert.deepEqual(JSON.parse(json.stdout).tags, ['shell'], 'the options went along');

  // A failing save is reported by the command as its own would be.
  const failed = await runToEnd(ctx, cliBinary, ['--library', lib.path, 'save', server.url('/missing.html')]);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^gloss: .*404/m);

  // The driver ends the app without letting it clean up (as a crash
  // would), so its invitation is left behind: the next save finds nobody
  // listening there and is done by the command itself. (A normal exit
  // removes the invitation: see the handoff tests in src-tauri/handoff.rs.)
  await ctx.quit();
  assert.equal(appProcesses(lib.path).length, 0);
  assert.equal(existsSync(invitation), true, 'the stale invitation is still there');
  const alone = await runToEnd(ctx, cliBinary, ['--library', lib.path, 'save', server.url('/story.html')]);
  assert.equal(alone.code, 0, alone.stderr);
  assert.match(alone.stdout, /^updated \d+:/m);
});

appTest('a second plain launch is handed to the running window instead of opening another', async (ctx) => {
  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);
  const second = await runToEnd(ctx, appBinary, ['--library', lib.path]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(await s.execute('return document.title;'), 'Gloss', 'the first window is still there');
});

/** What the native menu does: emits `menu-action` (sent here the same way, through the event bridge). */
const menu = (s, action) =>
  s.executeAsync(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke('plugin:event|emit', { event: 'menu-action', payload: arguments[0] })
       .then(() => done(null), (e) => done(String(e)));`,
    [action],
  );

appTest('the menu opens About (version, library) and Settings (bookmarklet), and sets the theme', async (ctx) => {
  const lib = ctx.newLibrary();
  const s = await ctx.launch(lib.path);

  assert.equal(await menu(s, 'about'), null);
  const about = await waitUntil('the About box', () =>
    s.execute(`const v = document.querySelector('[data-testid=about-version]');
      const l = document.querySelector('[data-testid=about-library]');
      return v && l ? { version: v.textContent, library: l.textContent } : null;`),
  );
  assert.match(about.version, /^Gloss \d+\.\d+\.\d+/);
  assert.equal(about.library, lib.path);

  assert.equal(await menu(s, 'settings'), null);
  const bookmarklet = await waitUntil('the bookmarklet in Settings', () =>
    s.execute("return document.querySelector('[data-testid=bookmarklet]')?.value ?? null;"),
  );
  assert.equal(bookmarklet, "javascript:location.href='gloss://save?url='+encodeURIComponent(location.href)");

  assert.equal(await menu(s, 'theme-dark'), null);
  await waitUntil('the dark theme', async () => (await s.execute('return document.documentElement.dataset.theme;')) === 'dark');
  assert.equal(await menu(s, 'theme-light'), null);
  await waitUntil('the light theme', async () => (await s.execute('return document.documentElement.dataset.theme;')) === 'light');
});
