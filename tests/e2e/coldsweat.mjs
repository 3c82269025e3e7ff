// A real Fever server for the window's tests: Coldsweat 0.10.2, installed by
// the test command (scripts/lib.sh, ensure_coldsweat) and started, fetched
// and stopped by tests/support/coldsweat.sh on 127.0.0.1 with a random port
// and its database in a temporary folder. Asked through its own Fever API
// what it holds.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './harness.mjs';

const script = join(repoRoot, 'tests/support/coldsweat.sh');

function coldsweatSh(...args) {
  return new Promise((resolveRun, reject) => {
    execFile(script, args, { encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`coldsweat.sh ${args[0]}: ${err.message}\n${stderr}`));
      else resolveRun(stdout.trim());
    });
  });
}

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Starts Coldsweat with one user subscribed to `feeds` ([{url, title, group}],
 * served by the test on 127.0.0.1) and fetched once. Resolves to
 * `{fever, email, password, api(params), close()}`; `fever` is the address
 * to give Gloss, `api('items')` asks the server's own Fever API.
 */
export async function startColdsweat(feeds) {
  const dir = mkdtempSync(join(tmpdir(), 'gloss-coldsweat-'));
  const email = 'reader@example.com';
  const password = 'a long enough test password';
  const close = async () => {
    await coldsweatSh('stop', dir).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const outlines = feeds.map(
      (f) => `<outline text="${escapeXml(f.group)}"><outline type="rss" text="${escapeXml(f.title)}" title="${escapeXml(f.title)}" xmlUrl="${escapeXml(f.url)}"/></outline>`,
    );
    const opml = join(dir, 'subs.opml');
    writeFileSync(opml, `<?xml version="1.0"?><opml version="2.0"><head><title>e2e</title></head><body>${outlines.join('')}</body></opml>`);
    const fever = (await coldsweatSh('start', dir, email, password, opml)).split('\n').pop();
    const apiKey = createHash('md5').update(`${email}:${password}`).digest('hex');
    const api = async (params) => {
      const res = await fetch(`${fever}?api&${params}`, { method: 'POST', body: new URLSearchParams({ api_key: apiKey }) });
      if (!res.ok) throw new Error(`Coldsweat answered ${res.status} to ${params}`);
      return res.json();
    };
    if ((await api('')).auth !== 1) throw new Error('Coldsweat refused the test user');
    return { fever, email, password, api, close };
  } catch (e) {
    await close();
    throw e;
  }
}
