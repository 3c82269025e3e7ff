// What the extension's end-to-end tests need, and the ending of all of it:
// a web server on 127.0.0.1 of the test's own, a browser with the extension
// and Gloss's native messaging host manifest in a profile of its own, and the
// `gloss` command line on the test's own library. Saves are started by the
// browser's own click on the extension's button, never by calling Gloss:
//
// - Debian's Chromium, headless, loads the unpacked extension (dist/chromium);
//   puppeteer-core drives it over a pipe, and the button is clicked with
//   DevTools' Extensions.triggerAction.
// - Debian's Firefox ESR, headless, gets the extension as a temporary add-on
//   (dist/firefox, WebDriver BiDi's webExtension.install); the button is
//   clicked by the browser window's own action code (the code its toolbar
//   button runs), reached through BiDi's chrome scope, which
//   `--remote-allow-system-access` opens.
//
// Each browser gets a HOME of the test's own, where `gloss browser-setup`
// writes Gloss's host manifest as it does for a person: Chromium runs on that
// HOME's default profile (.config/chromium, which holds
// NativeMessagingHosts/), Firefox reads .mozilla/native-messaging-hosts/.

import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { tempLibrary, waitUntil } from '../../tests/e2e/harness.mjs';
import { CHROMIUM_ID, FIREFOX_ID } from '../build.mjs';

export { tempLibrary, waitUntil };

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
/** The unpacked extension, as `npm run build` leaves it. */
export const extensionDir = join(here, '../dist/chromium');
/**
 * The `gloss` binary the tests drive and the browsers start as the host: the
 * test command's debug build ($GLOSS_BINARY; else beside the window suite's
 * app, $GLOSS_E2E_BINARY; else in the target folder).
 */
export const glossBinary = resolve(
  process.env.GLOSS_BINARY ||
    (process.env.GLOSS_E2E_BINARY
      ? join(dirname(process.env.GLOSS_E2E_BINARY), 'gloss')
      : join(resolve(repoRoot, process.env.CARGO_TARGET_DIR || 'target'), 'debug/gloss')),
);
export const CHROMIUM = process.env.GLOSS_CHROMIUM || '/usr/bin/chromium';
/** The Firefox binary itself (/usr/bin/firefox-esr links to it). */
export const FIREFOX = process.env.GLOSS_FIREFOX || '/usr/lib/firefox-esr/firefox-esr';
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
 * @typedef {{ badge: string, title: string, popup: string }} ButtonState
 * @typedef {{
 *   browser: import('puppeteer-core').Browser,
 *   click: (page: import('puppeteer-core').Page) => Promise<ButtonState>,
 *   button: () => Promise<ButtonState>,
 *   close: () => Promise<void>,
 * }} Browser
 */

/**
 * Runs `gloss browser-setup` for `family` with `home` as the user's home
 * (HOME, and XDG_CONFIG_HOME below it), as a person runs it once, and checks
 * the manifest it wrote: Gloss's host, this build's binary, Gloss's extension
 * only. Chromium reads it from `<home>/.config/chromium/NativeMessagingHosts/`
 * (its user data folder's), Firefox from `<home>/.mozilla/native-messaging-hosts/`.
 *
 * @param {string} home
 * @param {'chromium' | 'firefox'} family
 */
async function browserSetup(home, family) {
  const printed = await new Promise((resolveOut, reject) => {
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
    execFile(glossBinary, ['browser-setup', '--browser', family, '--json'], { encoding: 'utf8', env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`gloss browser-setup --browser ${family}: ${err.message}\n${stderr}`));
      else resolveOut(stdout);
    });
  });
  const written = JSON.parse(printed);
  const expectedPath =
    family === 'chromium'
      ? join(home, '.config/chromium/NativeMessagingHosts', `${HOST_NAME}.json`)
      : join(home, '.mozilla/native-messaging-hosts', `${HOST_NAME}.json`);
  if (written.length !== 1 || written[0].path !== expectedPath) {
    throw new Error(`gloss browser-setup wrote ${printed}, not ${expectedPath}`);
  }
  const manifest = JSON.parse(readFileSync(expectedPath, 'utf8'));
  const allowed = family === 'chromium' ? manifest.allowed_origins : manifest.allowed_extensions;
  const expected = family === 'chromium' ? [`chrome-extension://${CHROMIUM_ID}/`] : [FIREFOX_ID];
  if (manifest.name !== HOST_NAME || manifest.path !== glossBinary || JSON.stringify(allowed) !== JSON.stringify(expected)) {
    throw new Error(`gloss browser-setup wrote a manifest for another host, binary or extension: ${JSON.stringify(manifest)}`);
  }
}

/**
 * Ends a browser and what it started: its native host processes must exit
 * when it closes their standard input (they are killed, and the test fails,
 * if they do not).
 *
 * @param {import('puppeteer-core').Browser | undefined} browser
 * @param {string} library
 * @param {string} folder the profile or home to remove
 */
async function closeBrowser(browser, library, folder) {
  try {
    await browser?.close();
  } finally {
    try {
      await waitUntil('the native host to exit with the browser', () => hostProcesses(library).length === 0, 10000);
    } finally {
      for (const pid of hostProcesses(library)) process.kill(pid, 'SIGKILL');
      rmSync(folder, { recursive: true, force: true, maxRetries: 5 });
    }
  }
}

/**
 * Waits until `state()` says saved (✓) or failed (!).
 *
 * @param {() => Promise<ButtonState>} state
 */
function settled(state) {
  return waitUntil(
    'the badge to say saved or failed',
    async () => {
      const s = await state();
      return s.badge === '✓' || s.badge === '!' ? s : null;
    },
    60000,
  );
}

/**
 * Chromium with the extension, on a profile of its own (the default one of
 * a HOME of the test's own). With `host`, `gloss browser-setup` has written
 * Gloss's host manifest there; the host saves into `library` (GLOSS_LIBRARY,
 * which the browser passes on to it).
 *
 * @param {{ library: string, host?: boolean }} options
 */
export async function launchChromium({ library, host = true }) {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`no extension at ${extensionDir}: build it first (npm --prefix extension run build)`);
  }
  const home = mkdtempSync(join(tmpdir(), 'gloss-ext-chromium-'));
  const profile = join(home, '.config/chromium');
  /** @type {import('puppeteer-core').Browser | undefined} */
  let browser;
  try {
    mkdirSync(profile, { recursive: true });
    if (host) await browserSetup(home, 'chromium');
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      pipe: true,
      enableExtensions: true,
      userDataDir: profile,
      env: { ...process.env, HOME: home, GLOSS_LIBRARY: library },
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
    /** @returns {Promise<ButtonState>} */
    const button = () =>
      worker.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        const tabId = tab.id;
        return {
          badge: await chrome.action.getBadgeText({ tabId }),
          title: await chrome.action.getTitle({ tabId }),
          popup: await chrome.action.getPopup({ tabId }),
        };
      });
    /** @returns {Promise<string[]>} every tab's badge */
    const badges = () =>
      worker.evaluate(async () => {
        const tabs = await chrome.tabs.query({});
        return Promise.all(tabs.map((tab) => chrome.action.getBadgeText({ tabId: tab.id })));
      });
    /** @param {import('puppeteer-core').Page} page */
    const click = async (page) => {
      await page.bringToFront();
      // The tab is the active one (the button acts on that) once it is shown.
      await page.waitForFunction(() => document.visibilityState === 'visible');
      await worker.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        await chrome.action.setBadgeText({ tabId: tab.id, text: '' });
      });
      await page.triggerExtensionAction(/** @type {import('puppeteer-core').Extension} */ (extension));
      return settled(button);
    };
    const started = browser;
    const installHost = () => browserSetup(home, 'chromium');
    return { browser: started, extension, worker, click, button, badges, installHost, close: () => closeBrowser(started, library, home) };
  } catch (error) {
    await closeBrowser(browser, library, home);
    throw error;
  }
}

/**
 * Firefox ESR with the extension as a temporary add-on, on a profile of its
 * own, with HOME a folder of the test's own that holds Gloss's host manifest.
 *
 * @param {{ library: string, host?: boolean }} options
 */
export async function launchFirefox({ library, host = true }) {
  const home = mkdtempSync(join(tmpdir(), 'gloss-ext-firefox-'));
  /** @type {import('puppeteer-core').Browser | undefined} */
  let browser;
  try {
    if (host) await browserSetup(home, 'firefox');
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      env: { ...process.env, HOME: home, GLOSS_LIBRARY: library },
      args: ['--remote-allow-system-access'],
    });
    const id = await browser.installExtension(join(here, '../dist/firefox'));
    if (id !== FIREFOX_ID) throw new Error(`the extension installed as ${id}, not ${FIREFOX_ID}`);
    const connection = /** @type {any} */ (browser).connection;
    const tree = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const window = tree.result.contexts.find((/** @type {{ url: string }} */ c) => c.url === 'chrome://browser/content/browser.xhtml');
    if (!window) throw new Error('no Firefox browser window in the chrome scope');
    /**
     * Runs `body` in the browser window with `action` (the extension's
     * toolbar button) and `tab` (the selected tab).
     *
     * @param {string} body
     */
    const inWindow = async (body) => {
      const expression = `(() => {
        const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
        const extension = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(FIREFOX_ID)});
        const action = ExtensionParent.apiManager.global.browserActionFor(extension);
        const tab = window.gBrowser.selectedTab;
        ${body}
      })()`;
      const reply = await connection.send('script.evaluate', { expression, target: { context: window.context }, awaitPromise: true });
      if (reply.result.type === 'exception') throw new Error(`in Firefox's window: ${reply.result.exceptionDetails.text}`);
      return reply.result.result.value;
    };
    /** @returns {Promise<ButtonState>} */
    const button = async () =>
      JSON.parse(
        await inWindow(
          "return JSON.stringify({ badge: action.action.getProperty(tab, 'badgeText'), title: action.action.getProperty(tab, 'title'), popup: action.action.getProperty(tab, 'popup') });",
        ),
      );
    /** @param {import('puppeteer-core').Page} page */
    const click = async (page) => {
      await page.bringToFront();
      await inWindow("action.action.setProperty(tab, 'badgeText', ''); action.triggerAction(window); return '';");
      return settled(button);
    };
    /**
     * Presses the extension's keyboard shortcut: runs the browser window's
     * own <key> element for it (what Firefox does on the key press), which
     * must be Alt+Shift+S.
     *
     * @param {import('puppeteer-core').Page} page
     */
    const pressShortcut = async (page) => {
      await page.bringToFront();
      const pressed = await inWindow(`
        action.action.setProperty(tab, 'badgeText', '');
        const keyset = extension.shortcuts.keysetsMap.get(window);
        const key = [...(keyset?.children ?? [])].find((k) => (k.getAttribute('key') ?? '').toUpperCase() === 'S');
        if (!key) return 'no key';
        const modifiers = (key.getAttribute('modifiers') ?? '').split(/[ ,]+/).sort().join('+');
        if (modifiers !== 'alt+shift') return 'modifiers ' + modifiers;
        key.doCommand();
        return 'pressed';`);
      if (pressed !== 'pressed') throw new Error(`no Alt+Shift+S key for the extension in Firefox's window: ${pressed}`);
      return settled(button);
    };
    const started = browser;
    return { browser: started, click, pressShortcut, button, close: () => closeBrowser(started, library, home) };
  } catch (error) {
    await closeBrowser(browser, library, home);
    throw error;
  }
}
