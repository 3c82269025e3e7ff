import { describe, expect, it } from 'vitest';
import {
  MAX_HTML_BYTES,
  SaveRefused,
  failurePopup,
  isGrantInFlight,
  outcomeOfError,
  outcomeOfReply,
  saveLinkMessage,
  savePageMessage,
} from '../src/messages.js';

const page = { url: 'https://news.example/a', title: 'A story', html: '<html><body><p>Text</p></body></html>' };

/** @param {() => unknown} make */
function refusal(make) {
  try {
    make();
  } catch (error) {
    if (error instanceof SaveRefused) return { kind: error.kind, reason: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('what is sent', () => {
  it('is the page, its address and title, and the selection when there is one: nothing else', () => {
    expect(savePageMessage(page)).toEqual({ type: 'save_page', ...page });
    const selection = { exact: 'Text', prefix: '', suffix: '' };
    // Whatever else rides along on the capture stays behind.
    const extra = /** @type {any} */ ({ ...page, cookies: 'session=1', selection: { ...selection, storage: 'x' } });
    expect(savePageMessage(extra)).toEqual({ type: 'save_page', ...page, selection });
  });

  it('drops an empty selection', () => {
    expect(savePageMessage({ ...page, selection: { exact: '', prefix: 'a', suffix: 'b' } })).not.toHaveProperty('selection');
  });

  it('refuses what is not a web page before sending anything', () => {
    for (const url of ['chrome://settings/', 'file:///home/me/a.html', 'about:blank', 'not a url', 'moz-extension://x/popup.html']) {
      expect(refusal(() => savePageMessage({ ...page, url })).kind).toBe('refused');
      expect(refusal(() => saveLinkMessage(url)).kind).toBe('refused');
    }
    expect(refusal(() => saveLinkMessage('javascript:alert(1)')).reason).toContain('http and https');
  });

  it('refuses HTML over Gloss\'s limit, counted in UTF-8 bytes, and says how large it was', () => {
    const under = 'a'.repeat(MAX_HTML_BYTES);
    expect(savePageMessage({ ...page, html: under }).type).toBe('save_page');
    // 11 million three-byte characters: 33 MB of UTF-8 in 11 million UTF-16 units.
    const over = '東'.repeat(11 * 1024 * 1024);
    const { kind, reason } = refusal(() => savePageMessage({ ...page, html: over }));
    expect(kind).toBe('too_large');
    expect(reason).toBe('This page is too large to save: 33 MiB of HTML, and Gloss takes up to 32 MiB.');
  });

  it('sends a link as its address only', () => {
    expect(saveLinkMessage('https://news.example/b?x=1')).toEqual({ type: 'save_link', url: 'https://news.example/b?x=1' });
  });
});

describe('what a reply means', () => {
  it('is saved, with the title and any warning', () => {
    expect(outcomeOfReply({ ok: true, story_id: 3, title: 'T', created: true, by_window: false })).toEqual({ ok: true, title: 'T' });
    expect(outcomeOfReply({ ok: true, story_id: 3, title: 'T', warning: 'The selection is not in the saved article.' })).toEqual({
      ok: true,
      title: 'T',
      warning: 'The selection is not in the saved article.',
    });
  });

  it('says why Gloss refused, in plain words, by kind', () => {
    /** @param {string} kind @param {string} message */
    const reply = (kind, message) => outcomeOfReply({ ok: false, error: { kind, message } });
    expect(reply('too_large', 'The page is over 32 MiB.')).toEqual({
      ok: false,
      kind: 'too_large',
      reason: 'This page is too large for Gloss: The page is over 32 MiB.',
    });
    expect(reply('invalid_input', 'Only http and https pages can be saved.')).toMatchObject({ kind: 'refused' });
    expect(reply('network', 'timed out')).toMatchObject({ kind: 'failed', reason: 'Gloss could not fetch the page: timed out' });
    expect(reply('bad_message', 'unknown type')).toMatchObject({ kind: 'failed' });
    expect(reply('storage', 'disk full')).toMatchObject({ kind: 'failed', reason: 'Gloss could not save the page: disk full' });
  });

  it('treats a malformed reply as a failure, never as saved', () => {
    for (const reply of [undefined, null, 'ok', 42, {}, { ok: 'true' }, { ok: false }, { ok: false, error: 'x' }]) {
      expect(outcomeOfReply(reply).ok).toBe(false);
    }
  });
});

describe('what the browser\'s errors mean', () => {
  it('is "Gloss not installed" when the host is missing, in Chromium and Firefox', () => {
    for (const text of ['Specified native messaging host not found.', 'No such native application org.glossreader.gloss']) {
      const outcome = outcomeOfError(new Error(text));
      expect(outcome).toMatchObject({ ok: false, kind: 'not_installed' });
      expect(outcome.ok === false && outcome.reason).toContain('gloss browser-setup');
    }
  });

  it('tells a page the browser protects from one Gloss refused, and passes on anything else', () => {
    expect(outcomeOfError(new Error('Cannot access a chrome:// URL'))).toMatchObject({ kind: 'refused' });
    expect(outcomeOfError(new Error('Native host has exited.'))).toMatchObject({ kind: 'failed' });
    expect(outcomeOfError(new SaveRefused('too_large', 'big'))).toEqual({ ok: false, kind: 'too_large', reason: 'big' });
    expect(outcomeOfError('odd')).toEqual({ ok: false, kind: 'failed', reason: 'The page could not be saved: odd' });
  });

  it('asks a page again only when Chromium refused it while the click\'s grant was on its way', () => {
    const generic = new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.');
    // The address is known only through the grant: the grant stands.
    expect(isGrantInFlight(generic, 'https://news.example/a')).toBe(true);
    expect(isGrantInFlight(generic, 'http://127.0.0.1:8080/story')).toBe(true);
    // No address: nothing shows the extension has access (or the popup's
    // "Try again", long after the grant): the refusal is final.
    expect(isGrantInFlight(generic, undefined)).toBe(false);
    // Pages the browser never lets extensions read, and other failures.
    expect(isGrantInFlight(generic, 'chrome://settings')).toBe(false);
    expect(isGrantInFlight(new Error('Cannot access a chrome:// URL'), 'https://news.example/a')).toBe(false);
    expect(isGrantInFlight(new Error('The extensions gallery cannot be scripted.'), 'https://chromewebstore.google.com/')).toBe(false);
    expect(isGrantInFlight(new Error('No tab with id: 7.'), 'https://news.example/a')).toBe(false);
    expect(isGrantInFlight('odd', 'https://news.example/a')).toBe(false);
  });
});

describe('the popup of a failed save', () => {
  it('carries the kind and the reason in its address, whatever characters the reason has', () => {
    const reason = 'Gloss refused this page: <b>&amp; "quoted" ?x=1#y';
    const url = new URL(failurePopup({ ok: false, kind: 'refused', reason }), 'chrome-extension://id/');
    expect(url.pathname).toBe('/popup.html');
    expect(url.searchParams.get('kind')).toBe('refused');
    expect(url.searchParams.get('reason')).toBe(reason);
  });
});
