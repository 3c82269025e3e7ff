// A small W3C WebDriver client over fetch: just what the e2e tests use.
// tauri-driver speaks classic WebDriver and forwards to WebKitWebDriver.

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {}

const debug = !!process.env.GLOSS_E2E_DEBUG;

/** No command may hang a test: each one gets an answer or an error in time. */
const COMMAND_TIMEOUT_MS = 30000;
const SESSION_TIMEOUT_MS = 60000;

async function call(base, method, path, body) {
  const started = Date.now();
  const limit = path === '/session' && method === 'POST' ? SESSION_TIMEOUT_MS : COMMAND_TIMEOUT_MS;
  let res, text;
  try {
    res = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(limit),
    });
    text = await res.text();
  } catch (e) {
    throw new WebDriverError(`${method} ${path}: no answer (${e.name === 'TimeoutError' ? `timed out after ${limit} ms` : e.message})`);
  } finally {
    if (debug) console.error(`[wd] ${method} ${path} ${JSON.stringify(body ?? '').slice(0, 120)} ${Date.now() - started} ms`);
  }
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

  /** Runs an asynchronous function body; it ends by calling `arguments[arguments.length - 1](value)`. */
  executeAsync(script, args = []) {
    return this.cmd('POST', '/execute/async', { script, args });
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

  /** Presses keys together (e.g. Keys.CONTROL, 'c') and lets them go in reverse order. */
  async chord(...keys) {
    const actions = [...keys.map((k) => ({ type: 'keyDown', value: k })), ...keys.reverse().map((k) => ({ type: 'keyUp', value: k }))];
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'kb', actions }] });
    await this.cmd('DELETE', '/actions');
  }

  /** Mouse actions at window (viewport) coordinates: [{move: [x, y]}, 'down', 'up', ...]. */
  async mouse(steps) {
    const actions = steps.map((st) => {
      if (st === 'down') return { type: 'pointerDown', button: 0 };
      if (st === 'up') return { type: 'pointerUp', button: 0 };
      return { type: 'pointerMove', origin: 'viewport', x: Math.round(st.move[0]), y: Math.round(st.move[1]), duration: st.duration ?? 0 };
    });
    await this.cmd('POST', '/actions', {
      actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }],
    });
    await this.cmd('DELETE', '/actions');
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
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

  displayed() {
    return this.cmd('GET', '/displayed');
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

export const Keys = {
  ENTER: '\uE007',
  ESCAPE: '\uE00C',
  CONTROL: '\uE009',
  SHIFT: '\uE008',
  TAB: '\uE004',
  ARROW_UP: '\uE013',
  ARROW_DOWN: '\uE015',
};
