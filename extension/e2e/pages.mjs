// The pages the extension's end-to-end tests serve: an article of a real
// size (thousands of words), written by a script after load or kept behind a
// login, around the chrome a news site has (navigation, footer).

const WORDS = [
  'harbour', 'council', 'fishermen', 'weather', 'morning', 'quota', 'vessel', 'market', 'winter',
  'ferry', 'tide', 'report', 'budget', 'island', 'school', 'road', 'bridge', 'storm', 'price', 'crew',
];

/**
 * Paragraph `i` of the article: a sentence that names it (so a test can look
 * for the first and the last) and some fifty words of filler.
 *
 * @param {string} story @param {number} i
 */
export function paragraph(story, i) {
  const filler = [];
  for (let w = 0; w < 50; w++) filler.push(WORDS[(i * 7 + w * 3) % WORDS.length]);
  return `${story} paragraph ${i} was written for this test. ${filler.join(' ')}.`;
}

/** @param {string} story @param {number} count */
export function paragraphs(story, count) {
  return Array.from({ length: count }, (_, i) => paragraph(story, i + 1));
}

/** @param {string} s */
export function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const NAV = '<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Log in</a></nav></header>';
const FOOTER = '<footer><p>© The Test Gazette. All rights reserved.</p></footer>';

/**
 * A server-rendered article page.
 *
 * @param {{ title: string, body: string, head?: string }} page
 */
export function htmlPage({ title, body, head = '' }) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${head}</head><body>${NAV}${body}${FOOTER}</body></html>`;
}

/** @param {string} title @param {string[]} texts */
export function articleHtml(title, texts) {
  return `<main><article><h1>${escapeHtml(title)}</h1>${texts.map((t) => `<p>${escapeHtml(t)}</p>`).join('')}</article></main>`;
}

/**
 * A single-page app: the HTML is an empty shell; its script asks the server
 * for the story (JSON) and writes the article into the page.
 */
export const SHELL_PAGE = htmlPage({
  title: 'Loading…',
  head: '<script src="/app.js" defer></script>',
  body: '<div id="app"><p class="spinner">Loading…</p></div>',
});

export const SHELL_SCRIPT = `
fetch('/api/story.json')
  .then((r) => r.json())
  .then((story) => {
    document.title = story.title;
    const article = document.createElement('article');
    const h1 = document.createElement('h1');
    h1.textContent = story.title;
    article.append(h1);
    for (const text of story.paragraphs) {
      const p = document.createElement('p');
      p.textContent = text;
      article.append(p);
    }
    const app = document.getElementById('app');
    app.replaceChildren(article);
    app.dataset.ready = 'yes';
  });
`;

/** A login form that posts to /login. */
export const LOGIN_PAGE = htmlPage({
  title: 'Log in',
  body:
    '<main><h1>Log in</h1><form method="post" action="/login">' +
    '<label>Email <input name="email" type="email"></label>' +
    '<label>Password <input name="password" type="password"></label>' +
    '<button type="submit" id="submit">Log in</button></form></main>',
});

/** What a visitor without the session cookie gets instead of the article. */
export const PAYWALL_PAGE = htmlPage({
  title: 'Subscribers only',
  body: '<main><h1>Subscribers only</h1><p>This story is for subscribers. <a href="/login">Log in</a> to read it.</p></main>',
});

/**
 * Answers with a page.
 *
 * @param {import('node:http').ServerResponse} res @param {string} type @param {string} body
 * @param {Record<string, string>} [headers]
 */
export function send(res, type, body, headers = {}) {
  res.writeHead(200, { 'content-type': type, ...headers });
  res.end(body);
}

export const SPA_TITLE = 'Night ferries return to the island';
export const SPA_TEXT = paragraphs('Ferry', 60);

/**
 * The single-page app: /story is the shell, its script fetches the story.
 *
 * @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
 */
export function spaSite(req, res) {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/story') send(res, 'text/html; charset=utf-8', SHELL_PAGE);
  else if (path === '/app.js') send(res, 'text/javascript', SHELL_SCRIPT);
  else if (path === '/api/story.json') send(res, 'application/json', JSON.stringify({ title: SPA_TITLE, paragraphs: SPA_TEXT }));
  else send(res, 'text/html', htmlPage({ title: 'Not here', body: '<p>Nothing here.</p>' }));
}

