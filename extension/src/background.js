// The extension's background: a service worker in Chromium, an event page in
// Firefox (the build writes each browser's manifest from one source).
//
// Every save starts from something the user did in the browser's own
// interface — the toolbar button, the keyboard shortcut (Alt+Shift+S) or a
// context menu — which is also what grants `activeTab` for that tab. No page
// can start one: the extension has no content scripts and no
// `externally_connectable`, and it accepts runtime messages only from its own
// popup.

import { capturePage } from './capture.js';
import {
  BADGES,
  HOST_NAME,
  failurePopup,
  isGrantInFlight,
  outcomeOfError,
  outcomeOfReply,
  saveLinkMessage,
  savePageMessage,
} from './messages.js';

const MENU_SAVE_PAGE = 'gloss-save-page';
const MENU_SAVE_LINK = 'gloss-save-link';
const MENU_HIGHLIGHT = 'gloss-highlight';
const COMMAND_SAVE = 'save-page';

/**
 * @typedef {import('./messages.js').HostMessage} HostMessage
 * @typedef {import('./messages.js').Outcome} Outcome
 * @typedef {{ id?: number, url?: string }} TabLike
 */

/**
 * Shows a state on the tab's badge and, for a failure, sets the tab's popup
 * to say why (the popup opens on the next click of the button).
 *
 * @param {number} tabId
 * @param {'saving' | 'saved' | 'failed'} state
 * @param {string} title the button's tooltip
 * @param {string} popup '' for none
 */
async function show(tabId, state, title, popup) {
  const badge = BADGES[state];
  try {
    // The badge last: once it shows a state, the tooltip and popup say the same.
    await Promise.all([
      chrome.action.setBadgeBackgroundColor({ tabId, color: badge.color }),
      chrome.action.setTitle({ tabId, title }),
      chrome.action.setPopup({ tabId, popup }),
    ]);
    await chrome.action.setBadgeText({ tabId, text: badge.text });
  } catch {
    // The tab was closed while its page was being saved: nothing to show it on.
  }
}

/**
 * Sends one message to Gloss and shows what came of it on the tab's badge.
 * The message is made inside, so that a page refused before sending (too
 * large, not a web page) shows its reason the same way.
 *
 * @param {number | undefined} tabId
 * @param {() => Promise<HostMessage>} makeMessage
 * @returns {Promise<Outcome>}
 */
async function send(tabId, makeMessage) {
  if (tabId !== undefined) await show(tabId, 'saving', 'Saving to Gloss…', '');
  /** @type {Outcome} */
  let outcome;
  try {
    const message = await makeMessage();
    outcome = outcomeOfReply(await chrome.runtime.sendNativeMessage(HOST_NAME, message));
  } catch (error) {
    outcome = outcomeOfError(error);
  }
  if (tabId !== undefined) {
    if (outcome.ok) {
      const title = outcome.warning
        ? `Saved to Gloss: ${outcome.title}. ${outcome.warning}`
        : `Saved to Gloss: ${outcome.title}`;
      await show(tabId, 'saved', title, '');
    } else {
      await show(tabId, 'failed', `Not saved: ${outcome.reason}`, failurePopup(outcome));
    }
  }
  return outcome;
}

/**
 * How many times, and how far apart, a page is asked for its content while
 * Chromium's grant is still on its way to it (`isGrantInFlight`,
 * docs/browser.md): up to half a second in all, then the refusal is shown.
 */
const GRANT_WAIT = { asks: 10, pauseMs: 50 };

/**
 * Runs `capturePage` in the tab and returns what it gave.
 *
 * @param {number} tabId
 * @param {string | undefined} tabUrl the tab's address as the click gave it
 * @param {boolean} withSelection
 */
async function capture(tabId, tabUrl, withSelection) {
  for (let ask = 1; ; ask += 1) {
    try {
      return await chrome.scripting.executeScript({ target: { tabId }, func: capturePage, args: [withSelection] });
    } catch (error) {
      if (ask >= GRANT_WAIT.asks || !isGrantInFlight(error, tabUrl)) throw error;
      await new Promise((resolve) => setTimeout(resolve, GRANT_WAIT.pauseMs));
    }
  }
}

/**
 * Saves the tab's document as it is now (after its scripts ran), with the
 * selection as a highlight when `withSelection`.
 *
 * @param {TabLike} tab
 * @param {boolean} withSelection
 */
function saveTab(tab, withSelection) {
  return send(tab.id, async () => {
    if (tab.id === undefined) throw new Error('The tab is gone.');
    const [result] = await capture(tab.id, tab.url, withSelection);
    if (!result || !result.result) throw new Error('The page gave nothing to save.');
    return savePageMessage(/** @type {import('./capture.js').Capture} */ (result.result));
  });
}

/**
 * Has Gloss fetch a link itself (the link's page is not open, so there is no
 * document to send).
 *
 * @param {TabLike | undefined} tab where the menu was opened, for the badge
 * @param {string} url
 */
function saveLink(tab, url) {
  return send(tab?.id, () => Promise.resolve(saveLinkMessage(url)));
}

/** @param {chrome.tabs.Tab} tab */
function onActionClicked(tab) {
  return saveTab(tab, false);
}

/** @param {string} command @param {chrome.tabs.Tab | undefined} tab */
async function onCommand(command, tab) {
  if (command !== COMMAND_SAVE) return undefined;
  const target = tab ?? (await chrome.tabs.query({ active: true, currentWindow: true }))[0];
  return target ? saveTab(target, false) : undefined;
}

/** @param {chrome.contextMenus.OnClickData} info @param {chrome.tabs.Tab | undefined} tab */
function onMenuClicked(info, tab) {
  switch (info.menuItemId) {
    case MENU_SAVE_PAGE:
      return tab ? saveTab(tab, false) : undefined;
    case MENU_HIGHLIGHT:
      return tab ? saveTab(tab, true) : undefined;
    case MENU_SAVE_LINK:
      return info.linkUrl ? saveLink(tab, info.linkUrl) : undefined;
    default:
      return undefined;
  }
}

/**
 * The popup's "Try again": it runs in the extension's own page, opened by a
 * click on the button, which granted `activeTab` for the tab.
 *
 * @param {unknown} message
 * @param {chrome.runtime.MessageSender} sender
 */
function onPopupMessage(message, sender) {
  const fromPopup =
    sender.id === chrome.runtime.id && !sender.tab && (sender.url ?? '').startsWith(chrome.runtime.getURL('popup.html'));
  if (!fromPopup || !message || typeof message !== 'object') return undefined;
  const m = /** @type {{ type?: unknown, tabId?: unknown }} */ (message);
  if (m.type !== 'retry' || typeof m.tabId !== 'number') return undefined;
  return saveTab({ id: m.tabId }, false);
}

function createMenus() {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({ id: MENU_SAVE_PAGE, title: 'Save this page to Gloss', contexts: ['page'] });
    chrome.contextMenus.create({ id: MENU_SAVE_LINK, title: 'Save this link to Gloss', contexts: ['link'] });
    chrome.contextMenus.create({ id: MENU_HIGHLIGHT, title: 'Highlight in Gloss', contexts: ['selection'] });
  });
}

chrome.runtime.onInstalled.addListener(createMenus);
chrome.runtime.onStartup.addListener(createMenus);
chrome.action.onClicked.addListener(onActionClicked);
chrome.commands.onCommand.addListener(onCommand);
chrome.contextMenus.onClicked.addListener(onMenuClicked);
chrome.runtime.onMessage.addListener((message, sender, respond) => {
  const saving = onPopupMessage(message, sender);
  if (!saving) return false;
  saving.then(respond, () => respond(undefined));
  return true;
});
// A new page in the tab is not the one saved or refused: its badge and
// popup start afresh.
chrome.tabs.onUpdated.addListener((tabId, change) => {
  if (change.status === 'loading') {
    void Promise.all([chrome.action.setBadgeText({ tabId, text: '' }), chrome.action.setPopup({ tabId, popup: '' })]);
  }
});

// The same listeners, for the worker's own console and the end-to-end tests
// (which call the menu's listener as the browser would: a headless browser
// has no menu to click). Pages cannot reach a background's globals.
Object.assign(globalThis, { glossListeners: { onActionClicked, onCommand, onMenuClicked } });
