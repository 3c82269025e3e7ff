// What the extension's end-to-end tests need, and the ending of all of it:
// a web server on 127.0.0.1 of the test's own, Debian's Chromium with the
// unpacked extension (dist/chromium) in a new profile that holds Gloss's
// native messaging host manifest, and the `gloss` command line on the test's
// own library. Chromium is driven by puppeteer-core over a pipe; saves are
// started by the extension's own toolbar action (Extensions.triggerAction,
// the browser's click on the button), never by calling Gloss directly.

import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { waitUntil } from '../../tests/e2e/harness.mjs';
import { CHROMIUM_ID } from '../build.mjs';

export { waitUntil };

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
/** The unpacked extension, as `npm run build` leaves it. */
export const extensionDir = join(here, '../dist/chromium');
/** The `gloss` binary the tests drive and Chromium starts as the host: the test command's debug build. */
export const glossBinary = resolve(
  process.env.GLOSS_BINARY || join(resolve(repoRoot, process.env.CARGO_TARGET_DIR || 'target'), 'debug/gloss'),
);
export const CHROMIUM = process.env.GLOSS_CHROMIUM || '/usr/bin/chromium';
const HOST_NAME = 'org.glossreader.gloss';

/**
 * The flags the machine needs (docs: no network but loopback; as root, no
 * sandbox) and those that load the unpacked extension and nothing else.
 */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--load-extension=${extensionDir}`,
  `--disable-extensions-except=${extensionDir}`,
];

/** A library folder of the test's own; `remove()` deletes it. */
export function tempLibrary() {
  const dir = mkdtempSync(join(tmpdir(), 'gloss-ext-e2e-'));
  return { dir, path: join(dir, 'library.gloss'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `gloss --library LIBRARY ARGS...` and resolves to its standard output
 * (rejects with its standard error). Asynchronous, so that the test's server
 * keeps answering while Gloss fetches from it.
 *
 * @param {string} library @param {...string} args
 * @returns {Promise<string>}
 */
export function gloss(library, ...args) {
  return new Promise((resolveOut, reject) => {
    execFile(glossBinary, ['--library', library, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`gloss ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolveOut(stdout);
    });
  });
}

/** `gloss list --json`: the library's stories. @param {string} library */
export async function listStories(library) {
  return JSON.parse(await gloss(library, 'list', '--json'));
}

/**
 * A web server on 127.0.0.1 with a port of its own. `handler` answers each
 * request; every request is recorded (method, path, headers) for the test to
 * read back. `close()` ends it and its connections.
 *
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: string) => void} handler
 */
export async function webServer(handler) {
  /** @type {{ method: string, path: string, headers: import('node:http').IncomingHttpHeaders }[]} */
  const requests = [];
  const sockets = new Set();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://x').pathname, headers: req.headers });
      handler(req, res, body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    requests,
    /** @param {string} path */
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r(undefined));
      }),
  };
}

/** Pids of the `gloss` processes (hosts) whose environment names `library`. @param {string} library */
function hostProcesses(library) {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))) continue;
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv[0] !== glossBinary) continue;
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (env.includes(`GLOSS_LIBRARY=${library}`)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/**
 * Chromium with the extension, on a profile of its own. With `host`, the
 * profile holds Gloss's host manifest (NativeMessagingHosts/, where Chromium
 * looks for a profile's own hosts), as `gloss browser-setup` writes it; the
 * host saves into `library` (GLOSS_LIBRARY, which Chromium passes on).
 *
 * @param {{ library: string, host?: boolean, env?: Record<string, string> }} options
 */
export async function launchChromium({ library, host = true, env = {} }) {
  const profile = mkdtempSync(join(tmpdir(), 'gloss-ext-profile-'));
  if (host) {
    mkdirSync(join(profile, 'NativeMessagingHosts'));
    writeFileSync(join(profile, 'NativeMessagingHosts', `${HOST_NAME}.json`), await hostManifest());
  }
  /** @type {import('puppeteer-core').Browser | undefined} */
  let browser;
  const close = async () => {
    try {
      await browser?.close();
    } finally {
      // Chromium closes the host's standard input as it goes; the host must then exit.
      try {
        await waitUntil('the native host to exit with the browser', () => hostProcesses(library).length === 0, 10000);
      } finally {
        for (const pid of hostProcesses(library)) process.kill(pid, 'SIGKILL');
        rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
      }
    }
  };
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      pipe: true,
      enableExtensions: true,
      userDataDir: profile,
      env: { ...process.env, GLOSS_LIBRARY: library, ...env },
      args: CHROMIUM_FLAGS,
    });
    const workerTarget = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${CHROMIUM_ID}/`),
      { timeout: 20000 },
    );
    const extension = (await browser.extensions()).get(CHROMIUM_ID);
    if (!extension) throw new Error(`the extension did not load with id ${CHROMIUM_ID}`);
    const worker = await workerTarget.worker();
    if (!worker) throw new Error('no service worker for the extension');
    return { browser, extension, worker, profile, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The host manifest `gloss browser-setup` writes for Chromium, naming this
 * build's binary.
 */
async function hostManifest() {
  const printed = await new Promise((resolveOut, reject) => {
    execFile(glossBinary, ['browser-setup', '--print', '--browser', 'chromium'], { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`gloss browser-setup --print: ${err.message}\n${stderr}`));
      else resolveOut(stdout);
    });
  });
  const manifest = JSON.parse(printed);
  if (manifest.name !== HOST_NAME || JSON.stringify(manifest.allowed_origins) !== JSON.stringify([`chrome-extension://${CHROMIUM_ID}/`])) {
    throw new Error(`gloss browser-setup printed a manifest for another host or extension: ${printed}`);
  }
  return `${JSON.stringify({ ...manifest, path: glossBinary }, null, 2)}\n`;
}

/**
 * The badge, tooltip and popup of the extension's button on the active tab.
 *
 * @param {import('puppeteer-core').WebWorker} worker
 */
export function buttonState(worker) {
  return worker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    const tabId = tab.id;
    return {
      tabId,
      badge: await chrome.action.getBadgeText({ tabId }),
      title: await chrome.action.getTitle({ tabId }),
      popup: await chrome.action.getPopup({ tabId }),
    };
  });
}

/**
 * Clicks the extension's button for `page` (the browser's own action, which
 * grants `activeTab`) and waits until the badge says saved or failed.
 *
 * @param {{ extension: import('puppeteer-core').Extension, worker: import('puppeteer-core').WebWorker }} chromium
 * @param {import('puppeteer-core').Page} page
 */
export async function clickButton(chromium, page) {
  await page.bringToFront();
  await chromium.worker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    await chrome.action.setBadgeText({ tabId: tab.id, text: '' });
  });
  await page.triggerExtensionAction(chromium.extension);
  return settled(chromium.worker);
}

/** Waits until the active tab's badge says saved (✓) or failed (!). @param {import('puppeteer-core').WebWorker} worker */
export function settled(worker) {
  return waitUntil(
    'the badge to say saved or failed',
    async () => {
      const state = await buttonState(worker);
      return state.badge === '✓' || state.badge === '!' ? state : null;
    },
    60000,
  );
}
