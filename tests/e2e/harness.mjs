// Starts what an e2e test needs and ends all of it: a fixture web server on
// 127.0.0.1, tauri-driver (which starts WebKitWebDriver and the app), and
// the app itself with a library of the test's own.

import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { Session } from './webdriver.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
export const artifacts = join(here, 'artifacts');

/** The app binary the suite drives: built once by the test command. */
export const appBinary = resolve(process.env.GLOSS_E2E_BINARY || join(repoRoot, 'target/debug/gloss'));

export function tempLibrary() {
  const dir = mkdtempSync(join(tmpdir(), 'gloss-e2e-'));
  return { dir, path: join(dir, 'library.gloss'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the gloss command line on a library and returns its standard output. */
export function gloss(library, ...args) {
  return execFileSync(appBinary, ['--library', library, ...args], { encoding: 'utf8' });
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
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
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

/** Starts tauri-driver and waits until its /status says it is ready. */
export async function startDriver() {
  const port = await freePort();
  const nativePort = await freePort();
  const child = spawn(
    'tauri-driver',
    ['--port', String(port), '--native-port', String(nativePort), '--native-driver', '/usr/bin/WebKitWebDriver'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const exited = new Promise((r) => child.once('exit', r));
  const base = `http://127.0.0.1:${port}`;
  const end = Date.now() + 20000;
  for (;;) {
    try {
      const res = await fetch(`${base}/status`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    if (Date.now() > end) throw new Error('tauri-driver did not become ready in 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Opens the app on `libraryPath` and waits until its first list is painted. */
export async function launchApp(driver, libraryPath) {
  const session = await Session.start(driver.base, {
    'tauri:options': { application: appBinary, args: ['--library', libraryPath] },
  });
  await session.waitFor('the first list to be painted', () =>
    session.execute('return document.documentElement.dataset.firstList || null'),
  );
  return session;
}

/** Keeps a screenshot of a failing test in tests/e2e/artifacts/. */
export async function withScreenshotOnFailure(name, session, body) {
  try {
    return await body();
  } catch (e) {
    if (session) {
      try {
        mkdirSync(artifacts, { recursive: true });
        writeFileSync(join(artifacts, `${name}.png`), await session.screenshot());
      } catch {
        // The window may be gone; the error below is what matters.
      }
    }
    throw e;
  }
}
