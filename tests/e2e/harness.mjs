// Starts what an e2e test needs and ends all of it: a fixture web server on
// 127.0.0.1, tauri-driver (which starts WebKitWebDriver and the app), and
// the app itself with a library of the test's own.

import { test, before, after } from 'node:test';
import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readdirSync, readFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { Session } from './webdriver.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const artifacts = join(here, 'artifacts');

/** The app binary the suite drives: built once by the test command (run.sh sets GLOSS_E2E_BINARY). */
export const appBinary = resolve(
  process.env.GLOSS_E2E_BINARY || join(resolve(repoRoot, process.env.CARGO_TARGET_DIR || 'target'), 'debug/gloss-app'),
);

/** Resolves after `ms`: only for bounding a wait on something else, never to let the app "settle". */
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns a truthy value (which it resolves to) or
 * `timeoutMs` passes. Waiting on a condition, never on a clock.
 */
export async function waitUntil(what, check, timeoutMs = 15000, everyMs = 100) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = undefined;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await delay(everyMs);
  }
}

export function tempLibrary() {
  const dir = mkdtempSync(join(tmpdir(), 'gloss-e2e-'));
  return { dir, path: join(dir, 'library.gloss'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs the gloss command line on a library and resolves to its standard
 * output. Asynchronous on purpose: a synchronous child would block the event
 * loop that serves the fixture pages it may be fetching.
 */
export function gloss(library, ...args) {
  return new Promise((resolveOut, reject) => {
    execFile(appBinary, ['--library', library, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`gloss ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolveOut(stdout);
    });
  });
}

/** `gloss show ID --format json`, parsed. */
export async function showStory(library, id) {
  return JSON.parse(await gloss(library, 'show', String(id), '--format', 'json'));
}

/** Serves `routes` ({path: {type, body}}) on 127.0.0.1; `close()` ends it. */
export async function fixtureServer(routes) {
  const sockets = new Set();
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url, 'http://x').pathname];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': route.type });
    res.end(route.body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  let closed = null;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => {
      closed ??= new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      });
      return closed;
    },
  };
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** Pids of running processes whose command line contains every string of `parts`. */
export function processesWith(...parts) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let argv;
    try {
      argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone already
    }
    if (parts.every((p) => argv.includes(p))) out.push(Number(name));
  }
  return out;
}

/** `/proc/PID/stat` fields after the command name: [state, ppid, ...], or null when gone. */
function statOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** True while `pid` runs (a zombie has exited; its parent just has not reaped it yet). */
export function isRunning(pid) {
  const st = statOf(pid);
  return st !== null && st[0] !== 'Z' && st[0] !== 'X';
}

/** Pids of the app processes open on `libraryPath`. */
export function appProcesses(libraryPath) {
  return processesWith(appBinary, '--library', libraryPath).filter(isRunning);
}

/** `pids` and all their descendants that are running. */
export function withDescendants(pids) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = statOf(name);
    if (!st) continue;
    const ppid = Number(st[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const out = new Set();
  const todo = [...pids];
  while (todo.length) {
    const pid = todo.pop();
    if (out.has(pid)) continue;
    out.add(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return [...out].filter(isRunning);
}

/**
 * Starts tauri-driver and waits until its /status says it is ready.
 *
 * The driver, WebKitWebDriver and every app it launches get a data folder of
 * their own (XDG_DATA_HOME and friends in a temporary directory): no test
 * sees another run's window state or reader settings, and none touches the
 * user's.
 */
export async function startDriver({ logName = 'tauri-driver' } = {}) {
  const port = await freePort();
  const nativePort = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'gloss-e2e-home-'));
  for (const d of ['data', 'config', 'cache', 'state']) mkdirSync(join(home, d));
  mkdirSync(artifacts, { recursive: true });
  const log = openSync(join(artifacts, `${logName}.log`), 'w');
  const env = {
    ...process.env,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_STATE_HOME: join(home, 'state'),
    // The default library folder, should anything fall back to it.
    GLOSS_LIBRARY: join(home, 'unused.gloss'),
  };
  const child = spawn(
    'tauri-driver',
    ['--port', String(port), '--native-port', String(nativePort), '--native-driver', '/usr/bin/WebKitWebDriver'],
    { stdio: ['ignore', log, log], env },
  );
  closeSync(log);
  const exited = new Promise((r) => child.once('exit', r));
  const spawnFailed = new Promise((_, reject) => child.once('error', reject));
  spawnFailed.catch(() => {});
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, delay(5000)]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    // WebKitWebDriver is tauri-driver's child; it goes with it, but make sure.
    for (const pid of processesWith('/usr/bin/WebKitWebDriver', `--port=${nativePort}`)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    rmSync(home, { recursive: true, force: true, maxRetries: 5 });
  };
  try {
    await Promise.race([
      spawnFailed,
      waitUntil(
        'tauri-driver to answer /status',
        async () => {
          if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
          const res = await fetch(`${base}/status`);
          return res.ok;
        },
        20000,
      ),
    ]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { base, home, stop };
}

/** Reads the first-list mark: ms from navigation start to the first painted list. */
export function firstListMark(session) {
  return session.execute('const v = document.documentElement.dataset.firstList; return v ? Number(v) : null;');
}

/**
 * Opens the app on `libraryPath` and waits until it is ready: by default
 * until its first list is painted; `ready` (a check on the session, named by
 * `readyWhat`) waits for something else, such as the recovery dialog.
 */
export async function launchApp(driver, libraryPath, { ready = firstListMark, readyWhat = 'the first list to be painted' } = {}) {
  const session = await Session.start(driver.base, {
    'tauri:options': { application: appBinary, args: ['--library', libraryPath] },
  });
  try {
    await waitUntil(readyWhat, () => ready(session), 20000);
  } catch (e) {
    await quitApp(session, libraryPath).catch(() => {});
    throw e;
  }
  return session;
}

/**
 * Ends a session and waits until the app on `libraryPath` has exited (the
 * app is single-instance: a new launch while the old one lingers would be
 * handed to it). Kills it if it does not go.
 */
export async function quitApp(session, libraryPath) {
  // The app and its WebKit processes (web, network): all of them must go.
  const pids = withDescendants(appProcesses(libraryPath));
  const running = () => [...new Set([...pids, ...appProcesses(libraryPath)])].filter(isRunning);
  try {
    await Promise.race([session.quit(), delay(10000)]);
  } catch {
    // The window may be gone already; what matters is the processes below.
  }
  try {
    await waitUntil('the app and its web processes to exit', () => running().length === 0, 10000);
  } catch (e) {
    for (const pid of running()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await waitUntil('the killed app to go', () => running().length === 0, 5000);
    throw e;
  }
}

/**
 * Makes the page (the window less its native menu bar) `width`×`height`:
 * asks for the window size, then grows it by what the menu bar took.
 */
export async function setPageSize(session, width, height) {
  await session.cmd('POST', '/window/rect', { width, height });
  const inner = await waitUntil(`the window to be ${width} wide`, async () => {
    const [w, h] = await session.execute('return [innerWidth, innerHeight];');
    return w === width ? h : null;
  });
  if (inner !== height) await session.cmd('POST', '/window/rect', { width, height: 2 * height - inner });
  await waitUntil(`the page to be ${width}×${height}`, () =>
    session.execute('return innerWidth === arguments[0] && innerHeight === arguments[1];', [width, height]),
  );
}

/** Saves a screenshot of the session's window as tests/e2e/artifacts/NAME.png. */
export async function keepScreenshot(name, session) {
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  writeFileSync(file, await session.screenshot());
  return file;
}

/**
 * What one test holds: its libraries, servers and app sessions. `close()`
 * ends all of them, whatever state the test left them in; `failed(name)`
 * keeps a screenshot of the window that is open.
 */
export class TestContext {
  constructor(driver) {
    this.driver = driver;
    this.session = null;
    this.library = null;
    this.cleanups = [];
  }

  newLibrary() {
    const lib = tempLibrary();
    this.cleanups.push(() => lib.remove());
    return lib;
  }

  async server(routes) {
    const srv = await fixtureServer(routes);
    this.cleanups.push(() => srv.close());
    return srv;
  }

  /** Opens the app on `libraryPath` (quitting the one this test has open first); `options` go to launchApp. */
  async launch(libraryPath, options) {
    if (this.session) await this.quit();
    this.library = libraryPath;
    this.session = await launchApp(this.driver, libraryPath, options);
    return this.session;
  }

  async quit() {
    const { session, library } = this;
    this.session = null;
    if (session) await quitApp(session, library);
  }

  async failed(name) {
    if (!this.session) return;
    try {
      const file = await keepScreenshot(name, this.session);
      console.error(`screenshot of the failing test: ${file}`);
    } catch (e) {
      console.error(`no screenshot: ${e.message}`);
    }
  }

  async close() {
    const errors = [];
    try {
      await this.quit();
    } catch (e) {
      errors.push(e);
    }
    for (const c of this.cleanups.reverse()) {
      try {
        await c();
      } catch (e) {
        errors.push(e);
      }
    }
    this.cleanups = [];
    if (errors.length) throw errors[0];
  }
}

/**
 * Sets up one tauri-driver for a test file and returns `appTest(name, body)`:
 * a test whose context (sessions, servers, libraries) always ends, with a
 * screenshot kept when it fails.
 */
export function appSuite({ logName } = {}) {
  let driver;
  before(async () => {
    driver = await startDriver(logName ? { logName } : {});
  });
  after(async () => {
    await driver?.stop();
  });
  return function appTest(name, body) {
    test(name, { timeout: 180_000 }, async () => {
      const ctx = new TestContext(driver);
      let failure = null;
      try {
        await body(ctx);
      } catch (e) {
        failure = e;
        await ctx.failed(name);
      }
      try {
        await ctx.close();
      } catch (e) {
        // The test's own failure is the one worth reading; a cleanup error after it is noise.
        if (!failure) throw e;
        console.error(`cleanup after the failure: ${e.message}`);
      }
      if (failure) throw failure;
    });
  };
}
