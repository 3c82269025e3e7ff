// A small W3C WebDriver client over fetch: just what the e2e tests use.
// tauri-driver speaks classic WebDriver and forwards to WebKitWebDriver.

const ELEMENT = 'element-6066-11e4-a52f-4fb20fd2ba2b';

export class WebDriverError extends Error {}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  }
  if (!res.ok || (json.value && json.value.error)) {
    const v = json.value || {};
    throw new WebDriverError(`${method} ${path}: ${v.error || res.status}: ${v.message || text.slice(0, 200)}`);
  }
  return json.value;
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(base, capabilities) {
    const value = await call(base, 'POST', '/session', {
      capabilities: { alwaysMatch: capabilities },
    });
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async quit() {
    await this.cmd('DELETE', '');
  }

  title() {
    return this.cmd('GET', '/title');
  }

  /** Runs a function body in the app's document; `arguments` are passed. */
  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return new Element(this, v[ELEMENT]);
  }

  async findAll(css) {
    const v = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return v.map((e) => new Element(this, e[ELEMENT]));
  }

  /** Sends keys to whatever has focus (the document when nothing does). */
  async keys(text) {
    const actions = [];
    for (const ch of text) {
      actions.push({ type: 'keyDown', value: ch }, { type: 'keyUp', value: ch });
    }
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'kb', actions }] });
    await this.cmd('DELETE', '/actions');
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  /**
   * Polls `check` (an async function returning a truthy value when done)
   * until it holds or `timeoutMs` passes. Waiting on a condition, never on a clock.
   */
  async waitFor(what, check, timeoutMs = 15000) {
    const end = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const v = await check();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > end) {
        throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  cmd(method, path, body) {
    return this.session.cmd(method, `/element/${this.id}${path}`, body);
  }

  click() {
    return this.cmd('POST', '/click', {});
  }

  text() {
    return this.cmd('GET', '/text');
  }

  attribute(name) {
    return this.cmd('GET', `/attribute/${name}`);
  }

  type(text) {
    return this.cmd('POST', '/value', { text });
  }

  clear() {
    return this.cmd('POST', '/clear', {});
  }
}

export const Keys = { ENTER: '\uE007', ESCAPE: '\uE00C', CONTROL: '\uE009' };
