// A real Fever server for the window's tests: Coldsweat (PyPI), installed by
// the test command into a virtual environment (scripts/lib.sh), started here
// on 127.0.0.1 with a random port and its database in a temporary folder,
// and asked through its own Fever API what it holds.

import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from './harness.mjs';

/** The `coldsweat` command: $GLOSS_COLDSWEAT, else the test command's virtual environment. */
export function coldsweatCommand() {
  const candidates = [process.env.GLOSS_COLDSWEAT, '/opt/gloss-test/coldsweat/bin/coldsweat'].filter(Boolean);
  return candidates.find((c) => existsSync(c)) ?? null;
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

function run(cmd, args, env) {
  return new Promise((resolveRun, reject) => {
    execFile(cmd, args, { env, encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`coldsweat ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolveRun(stdout);
    });
  });
}

/**
 * Starts Coldsweat with one user subscribed to `feeds` ([{url, title, group}],
 * served by the test on 127.0.0.1) and fetched once. Resolves to
 * `{fever, email, password, api(params), close()}`; `fever` is the address
 * to give Gloss.
 */
export async function startColdsweat(feeds) {
  const command = coldsweatCommand();
  if (!command) throw new Error('Coldsweat is not installed: run scripts/test (or set GLOSS_COLDSWEAT to its `coldsweat` command)');
  const dir = mkdtempSync(join(tmpdir(), 'gloss-coldsweat-'));
  const env = {
    ...process.env,
    FLASK_DATABASE_URL: `sqlite:///${join(dir, 'coldsweat.db')}`,
    FLASK_SECRET_KEY: 'e2e only, never a real secret',
  };
  const email = 'reader@example.com';
  const password = 'a long enough test password';
  let child = null;
  const close = async () => {
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(command, ['setup', email, '-p', password], env);
    const outlines = feeds.map((f) => `<outline text="${f.group}"><outline type="rss" text="${f.title}" title="${f.title}" xmlUrl="${f.url}"/></outline>`);
    const opml = join(dir, 'subs.opml');
    writeFileSync(opml, `<?xml version="1.0"?><opml version="2.0"><head><title>e2e</title></head><body>${outlines.join('')}</body></opml>`);
    await run(command, ['import', opml, email, '--fetch'], env);
    const port = await freePort();
    child = spawn(command, ['run', '--host', '127.0.0.1', '--port', String(port), '--no-reload'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.on('data', (d) => (log = (log + d).slice(-4000)));
    const fever = `http://127.0.0.1:${port}/fever/`;
    const apiKey = createHash('md5').update(`${email}:${password}`).digest('hex');
    const api = async (params) => {
      const res = await fetch(`${fever}?api&${params}`, { method: 'POST', body: new URLSearchParams({ api_key: apiKey }) });
      if (!res.ok) throw new Error(`Coldsweat answered ${res.status} to ${params}`);
      return res.json();
    };
    await waitUntil(`Coldsweat answering on port ${port}${log ? `: ${log}` : ''}`, async () => {
      if (child.exitCode !== null) throw new Error(`Coldsweat ended: ${log}`);
      return (await api('')).auth === 1;
    }, 30_000, 200);
    return { fever, email, password, api, close };
  } catch (e) {
    await close();
    throw e;
  }
}
