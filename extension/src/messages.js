// The messages the extension sends to Gloss's native messaging host
// (`gloss native-host`, docs/browser.md) and what a reply, or the browser's
// own error, means for the person who clicked. No browser API here: the
// background script does the sending, this module decides what to send and
// what to say, so both are unit-tested.

/** The native messaging host's name, as Gloss's host manifests declare it. */
export const HOST_NAME = 'org.glossreader.gloss';

/** Gloss refuses a page's HTML over this size (docs/browser.md). */
export const MAX_HTML_BYTES = 32 * 1024 * 1024;

/**
 * @typedef {import('./capture.js').Capture} Capture
 * @typedef {import('./capture.js').QuoteSelector} QuoteSelector
 * @typedef {{ type: 'save_page', url: string, title: string, html: string, selection?: QuoteSelector }
 *   | { type: 'save_link', url: string }} HostMessage
 * @typedef {'not_installed' | 'refused' | 'too_large' | 'failed'} FailureKind
 * @typedef {{ ok: true, title: string, warning?: string }
 *   | { ok: false, kind: FailureKind, reason: string }} Outcome
 */

/** Thrown before anything is sent, with what to tell the user. */
export class SaveRefused extends Error {
  /** @param {FailureKind} kind @param {string} reason */
  constructor(kind, reason) {
    super(reason);
    this.name = 'SaveRefused';
    this.kind = kind;
  }
}

/**
 * An address Gloss can save: http or https only (a browser's own pages,
 * files and extension pages are not web pages Gloss can store).
 *
 * @param {string} url
 */
export function checkSavable(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new SaveRefused('refused', 'Gloss saves web pages only, and this address is not one.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SaveRefused(
      'refused',
      `Gloss saves web pages (http and https) only; this is a ${parsed.protocol.replace(':', '')} page.`,
    );
  }
}

/**
 * The message that saves a captured page, with its selection when there is
 * one; refused before sending when the page is not a web page or too large.
 *
 * @param {Capture} capture
 * @returns {HostMessage}
 */
export function savePageMessage(capture) {
  checkSavable(capture.url);
  const bytes = new TextEncoder().encode(capture.html).length;
  if (bytes > MAX_HTML_BYTES) {
    throw new SaveRefused(
      'too_large',
      `This page is too large to save: ${megabytes(bytes)} of HTML, and Gloss takes up to ${megabytes(MAX_HTML_BYTES)}.`,
    );
  }
  /** @type {HostMessage} */
  const message = { type: 'save_page', url: capture.url, title: capture.title, html: capture.html };
  if (capture.selection && capture.selection.exact) {
    const { exact, prefix, suffix } = capture.selection;
    message.selection = { exact, prefix, suffix };
  }
  return message;
}

/**
 * The message that has Gloss fetch and save a link itself.
 *
 * @param {string} url
 * @returns {HostMessage}
 */
export function saveLinkMessage(url) {
  checkSavable(url);
  return { type: 'save_link', url };
}

/** @param {number} bytes */
function megabytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

/**
 * What Gloss's reply means: saved (with the story's title and any warning,
 * such as a selection not found in the saved article) or why not.
 *
 * @param {unknown} reply
 * @returns {Outcome}
 */
export function outcomeOfReply(reply) {
  if (!reply || typeof reply !== 'object') {
    return { ok: false, kind: 'failed', reason: 'Gloss gave no answer. Try again; if it keeps happening, update Gloss.' };
  }
  const r = /** @type {Record<string, unknown>} */ (reply);
  if (r.ok === true) {
    /** @type {Outcome} */
    const saved = { ok: true, title: typeof r.title === 'string' ? r.title : '' };
    if (typeof r.warning === 'string' && r.warning) saved.warning = r.warning;
    return saved;
  }
  const error = r.error && typeof r.error === 'object' ? /** @type {Record<string, unknown>} */ (r.error) : {};
  const kind = typeof error.kind === 'string' ? error.kind : '';
  const message = typeof error.message === 'string' && error.message ? error.message : 'no reason given';
  switch (kind) {
    case 'too_large':
      return { ok: false, kind: 'too_large', reason: `This page is too large for Gloss: ${message}` };
    case 'invalid_input':
      return { ok: false, kind: 'refused', reason: `Gloss refused this page: ${message}` };
    case 'network':
      return { ok: false, kind: 'failed', reason: `Gloss could not fetch the page: ${message}` };
    case 'bad_message':
      return {
        ok: false,
        kind: 'failed',
        reason: `Gloss did not understand the extension (update both): ${message}`,
      };
    default:
      return { ok: false, kind: 'failed', reason: `Gloss could not save the page: ${message}` };
  }
}

/**
 * What the browser's error from native messaging means. "Not found" is the
 * host manifest missing: Gloss not installed, or its browser connection not
 * set up.
 *
 * @param {unknown} error
 * @returns {Outcome}
 */
export function outcomeOfError(error) {
  if (error instanceof SaveRefused) {
    return { ok: false, kind: /** @type {FailureKind} */ (error.kind), reason: error.message };
  }
  const text = error instanceof Error ? error.message : String(error);
  // Chromium: "Specified native messaging host not found."; Firefox: "No such
  // native application org.glossreader.gloss".
  if (/host not found|no such native application/i.test(text)) {
    return {
      ok: false,
      kind: 'not_installed',
      reason:
        'Gloss is not installed, or not connected to this browser. Install Gloss, then run "gloss browser-setup" once.',
    };
  }
  if (/forbidden/i.test(text)) {
    return {
      ok: false,
      kind: 'not_installed',
      reason:
        'Gloss does not know this copy of the extension. Install the extension from the store or the zip that comes with Gloss, then run "gloss browser-setup".',
    };
  }
  if (/cannot access|cannot be scripted|missing host permission|extensions gallery|chrome:\/\//i.test(text)) {
    return { ok: false, kind: 'refused', reason: 'The browser does not let extensions read this page, so it cannot be saved.' };
  }
  if (/exited|disconnected|closed/i.test(text)) {
    return {
      ok: false,
      kind: 'failed',
      reason: `Gloss stopped before it answered (${text}). Try again; if it keeps happening, run "gloss check".`,
    };
  }
  return { ok: false, kind: 'failed', reason: `The page could not be saved: ${text}` };
}

/**
 * Whether Chromium refused to run the capture in a tab only because the
 * page had not yet taken in the access the click just granted, so that
 * asking again a moment later finds it there.
 *
 * A click on the button grants `activeTab` in the browser at once, and tells
 * the page's renderer in a message of its own; the renderer can handle the
 * script request that follows before that message (they reach it through
 * different queues, and a busy renderer can leave the grant's waiting). It
 * then refuses with its generic "Cannot access contents of the page"
 * although the grant stands (docs/browser.md has what the end-to-end tests
 * showed). The grant is proven by the tab's address: without the `tabs`
 * permission the extension sees it only while it has access to the page.
 *
 * @param {unknown} error what `scripting.executeScript` threw
 * @param {string | undefined} tabUrl the tab's address as the click gave it
 */
export function isGrantInFlight(error, tabUrl) {
  const text = error instanceof Error ? error.message : String(error);
  return /^Cannot access contents of the page\./.test(text) && /^https?:\/\//i.test(tabUrl ?? '');
}

/** The badge for each state: short, as badges are. */
export const BADGES = {
  saving: { text: '…', color: '#5f6368' },
  saved: { text: '✓', color: '#188038' },
  failed: { text: '!', color: '#c5221f' },
};

/**
 * The popup's address for a failed save: the reason rides in the query, so
 * the popup needs no storage and the background no memory of it.
 *
 * @param {Outcome & { ok: false }} failure
 */
export function failurePopup(failure) {
  const query = new URLSearchParams({ kind: failure.kind, reason: failure.reason });
  return `popup.html?${query.toString()}`;
}
