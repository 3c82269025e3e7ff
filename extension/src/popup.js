// The popup a failed save leaves on the tab's button: why the save failed,
// in plain words, and a button to try again. The reason comes in the popup's
// own address (set by the background with the failure), and is shown as text.

const HEADINGS = {
  not_installed: 'Gloss is not installed',
  refused: 'This page cannot be saved',
  too_large: 'This page is too large',
  failed: 'Not saved',
};

const params = new URLSearchParams(location.search);
const kind = params.get('kind') ?? 'failed';
const heading = document.getElementById('heading');
const reason = document.getElementById('reason');
const retry = /** @type {HTMLButtonElement | null} */ (document.getElementById('retry'));
if (heading) heading.textContent = HEADINGS[/** @type {keyof typeof HEADINGS} */ (kind)] ?? HEADINGS.failed;
if (reason) reason.textContent = params.get('reason') ?? '';

retry?.addEventListener('click', async () => {
  retry.disabled = true;
  retry.textContent = 'Saving…';
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  if (tab?.id !== undefined) await chrome.runtime.sendMessage({ type: 'retry', tabId: tab.id });
  window.close();
});
