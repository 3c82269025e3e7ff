// Takes the screenshots in docs/screenshots/ from the real app: a library
// made from the sample articles in samples.mjs (served on 127.0.0.1, saved
// with the command line), shown in light and dark, a story with pictures,
// and search results with the words marked in the open story. On demand, not in CI:
//
//   tests/e2e/run.sh --screenshots

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDriver, TestContext, gloss, waitUntil, firstListMark, repoRoot, setPageSize } from './harness.mjs';
import { ARTICLES, sampleRoutes } from './samples.mjs';

const out = join(repoRoot, 'docs/screenshots');
const WIDTH = 1280;
const HEIGHT = 800;

async function setTheme(s, theme) {
  await s.execute(
    `const key = 'gloss.typography.v1';
    const t = JSON.parse(localStorage.getItem(key) || '{}');
    localStorage.setItem(key, JSON.stringify({ ...t, theme: arguments[0] }));
    delete document.documentElement.dataset.firstList;
    location.reload();`,
    [theme],
  );
  await waitUntil('the app to come back after the reload', () => firstListMark(s), 20000);
  await waitUntil(`the ${theme} theme`, () => s.execute('return document.documentElement.dataset.theme === arguments[0];', [theme]));
}

async function openStory(s, title) {
  const id = await waitUntil(`a row titled “${title}”`, () =>
    s.execute(
      `const r = [...document.querySelectorAll('[data-testid=story-row]')].find((r) => r.textContent.includes(arguments[0]));
      return r ? Number(r.dataset.id) : null;`,
      [title],
    ),
  );
  await (await s.find(`[data-testid=story-row][data-id="${id}"] button.open`)).click();
  await waitUntil(`“${title}” in the reader, pictures loaded`, () =>
    s.execute(
      `const f = document.querySelector('[data-testid=reader-frame]');
      const doc = f?.contentDocument;
      if (!doc || doc.URL !== 'about:srcdoc' || doc.readyState !== 'complete') return false;
      if (!doc.querySelector('.story-title')?.textContent.includes(arguments[0])) return false;
      return [...doc.images].every((i) => i.complete && i.naturalWidth > 0);`,
      [title],
    ),
  );
  // The list's thumbnails too.
  await waitUntil('the thumbnails', () =>
    s.execute("return [...document.querySelectorAll('[data-testid=story-list] img')].every((i) => i.complete);"),
  );
  return id;
}

/** Waits for the next two painted frames, so that the screenshot shows what the DOM says. */
function painted(s) {
  return s.executeAsync('const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));');
}

async function shoot(s, name) {
  await painted(s);
  const file = join(out, `${name}.png`);
  writeFileSync(file, await s.screenshot());
  console.log(`wrote ${file}`);
}

async function main() {
  mkdirSync(out, { recursive: true });
  const driver = await startDriver({ logName: 'screenshots-driver' });
  const ctx = new TestContext(driver);
  try {
    const server = await ctx.server(sampleRoutes());
    const lib = ctx.newLibrary();
    // Oldest first, so that the list (newest first) starts with the first article.
    const byDate = [...ARTICLES].sort((a, b) => a.published.localeCompare(b.published));
    for (const a of byDate) await gloss(lib.path, 'save', server.url(`/${a.slug}.html`));
    const list = JSON.parse(await gloss(lib.path, 'list', '--json'));
    const idOf = (slug) => list.find((x) => x.url.endsWith(`/${slug}.html`)).id;
    await gloss(lib.path, 'star', String(idOf('night-market')), String(idOf('lighthouse-keepers')));
    await gloss(lib.path, 'tag', String(idOf('tide-tables')), 'harbour', 'ferries');
    await gloss(lib.path, 'tag', String(idOf('lighthouse-keepers')), 'harbour');
    await gloss(lib.path, 'tag', String(idOf('winter-orchard')), 'gardening');
    await gloss(lib.path, 'read', String(idOf('choir')), String(idOf('lighthouse-keepers')));
    await server.close();

    const s = await ctx.launch(lib.path);
    await setPageSize(s, WIDTH, HEIGHT);

    const first = ARTICLES[0].title;
    await setTheme(s, 'light');
    await openStory(s, first);
    await shoot(s, 'main-light');

    await setTheme(s, 'dark');
    await openStory(s, first);
    await shoot(s, 'main-dark');

    // A story with its pictures: the reader scrolled to the first one.
    await setTheme(s, 'light');
    await openStory(s, first);
    await s.execute(`const f = document.querySelector('[data-testid=reader-frame]');
      const fig = f.contentDocument.querySelector('figure');
      const box = document.querySelector('[data-testid=reader-scroll]');
      box.scrollTop = fig.getBoundingClientRect().top - 120;`);
    await shoot(s, 'reader-images');

    // Search: / then a word; the results with the word marked.
    await s.execute("document.querySelector('[data-testid=story-list] button.open').focus();");
    await s.keys('/');
    await s.keys('tide');
    await waitUntil('search results', () =>
      s.execute("return document.querySelectorAll('[data-testid=search-result] mark').length >= 2;"),
    );
    await (await s.find('[data-testid=search-result]')).click();
    await waitUntil('the result open in the reader, its words marked', () =>
      s.execute("return document.querySelector('[data-testid=reader-frame]')?.contentDocument?.querySelectorAll('mark.gloss-search').length > 0;"),
    );
    // n: the first match in view is the current one ("1 of N").
    await s.keys('n');
    await waitUntil('a current match', () => s.execute("return /^1 of /.test(document.querySelector('[data-testid=find-count]')?.textContent ?? '');"));
    await s.execute("document.getElementById('search-input').focus();");
    await shoot(s, 'search');
  } finally {
    await ctx.close().catch((e) => console.error(e.message));
    await driver.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
