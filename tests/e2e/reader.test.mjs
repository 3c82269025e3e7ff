// The reader at ordinary window sizes (its toolbar on one row, its menu from
// the keyboard, no stray separators) and a search's words found in the open
// story (marked, n and N between them). Run through tests/e2e/run.sh.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Keys } from './webdriver.mjs';
import { appSuite, gloss, setPageSize, showStory, waitUntil } from './harness.mjs';
import { articlePage, prose } from './fixtures.mjs';

const appTest = appSuite({ logName: 'reader-driver' });

/** Waits until the reader shows the story titled `title`, loaded in its frame. */
function readerLoaded(s, title) {
  return waitUntil(`the reader to show “${title}”`, () =>
    s.execute(
      `const doc = document.querySelector('[data-testid=reader-frame]')?.contentDocument;
      return !!doc && doc.URL === 'about:srcdoc' && doc.readyState === 'complete' && !!doc.querySelector('.story-body')
        && (document.querySelector('[data-testid=reader-title]')?.textContent ?? '').includes(arguments[0]);`,
      [title],
    ),
  );
}

async function openRow(s, title) {
  const id = await waitUntil(`a row titled “${title}”`, () =>
    s.execute(
      `const r = [...document.querySelectorAll('[data-testid=story-row]')].find((r) => r.querySelector('.title')?.textContent.includes(arguments[0]));
      return r ? Number(r.dataset.id) : null;`,
      [title],
    ),
  );
  await (await s.find(`[data-testid=story-row][data-id="${id}"] button.open`)).click();
  await readerLoaded(s, title);
  return id;
}

/**
 * The toolbar's controls (each button's top and bottom) and, for a line of
 * fields, what a person sees: each field's text with the separator drawn
 * before it, in order.
 */
const LAYOUT_JS = `
const bar = document.querySelector('[role=toolbar][aria-label="Story actions"]');
const buttons = [...bar.querySelectorAll('button')].filter((b) => b.getClientRects().length > 0)
  .map((b) => { const r = b.getBoundingClientRect(); return { name: b.getAttribute('aria-label') || b.textContent.trim(), top: r.top, bottom: r.bottom }; });
const fields = (line) => line ? [...line.children]
  .filter((el) => el.getClientRects().length > 0 && !el.classList.contains('visually-hidden'))
  .map((el) => { const c = getComputedStyle(el, '::before').content; return ((c === 'none' || c === 'normal') ? '' : c.replace(/^"|"$/g, '')) + el.textContent; })
  .join('') : null;
return {
  width: innerWidth,
  barHeight: bar.getBoundingClientRect().height,
  buttons,
  row: fields(document.querySelector('[data-testid=story-row][data-id="' + arguments[0] + '"] .meta')),
  header: fields(document.querySelector('[data-testid=reader-meta]')),
  frameHeader: fields(document.querySelector('[data-testid=reader-frame]').contentDocument.querySelector('.story-meta')),
};`;

appTest('at 1024 and 1280 pixels the story toolbar is one row, its menu works from the keyboard, and a story without a site shows no leading separator', async (ctx) => {
  const lib = ctx.newLibrary();
  // A story saved from a file has no site: no name, no host.
  const title = 'Notes on the winter timetable of the harbour ferries';
  const file = join(lib.dir, 'timetable.txt');
  writeFileSync(file, `${title}\n\n${prose('ferry timetables', 8).join('\n\n')}\n`);
  const [saved] = JSON.parse(await gloss(lib.path, 'save', file, '--json'));
  const stored = await showStory(lib.path, saved.id);
  assert.ok(!stored.site && stored.url.startsWith('file:'), `the story has no site: ${stored.site} ${stored.url}`);
  const s = await ctx.launch(lib.path);

  for (const width of [1024, 1280]) {
    await setPageSize(s, width, 760);
    const id = await openRow(s, title);
    const l = await s.execute(LAYOUT_JS, [id]);
    assert.equal(l.width, width);
    const names = l.buttons.map((b) => b.name);
    for (const name of ['Star', 'Archive', 'Read', 'Open original', 'More actions']) {
      assert.ok(names.includes(name), `${width}px: “${name}” is in the toolbar: ${names.join(', ')}`);
    }
    const tops = new Set(l.buttons.map((b) => Math.round(b.top)));
    assert.equal(tops.size, 1, `${width}px: every button of the toolbar on one row: ${JSON.stringify(l.buttons)}`);
    assert.ok(l.barHeight < 60, `${width}px: the toolbar is one row high (${l.barHeight}px)`);
    // The list row, the reader's header and the story's own header: fields, with a separator only between two.
    for (const [where, line] of [['list row', l.row], ['reader header', l.header], ['story header', l.frameHeader]]) {
      assert.ok(line, `${width}px: the ${where} has a meta line`);
      assert.doesNotMatch(line, /^\s*·/, `${width}px: the ${where} starts with a field, not a separator: “${line}”`);
      assert.doesNotMatch(line, /·\s*·|·\s*$/, `${width}px: no empty field in the ${where}: “${line}”`);
      assert.match(line, /min read/, `${width}px: the ${where} shows the reading time: “${line}”`);
    }
    assert.match(l.row, /\S\s*·\s*\S/, `${width}px: the row's fields are separated: “${l.row}”`);
  }

  // The menu from the keyboard: Enter opens it on its first item, the arrows
  // move, Escape closes it and gives the focus back (and does nothing else).
  const more = await s.find('[data-testid=more-actions]');
  await s.execute("document.querySelector('[data-testid=more-actions]').focus();");
  assert.equal(await more.attribute('aria-haspopup'), 'menu');
  assert.equal(await more.attribute('aria-expanded'), 'false');
  await s.keys(Keys.ENTER);
  const focused = () =>
    s.execute(`const a = document.activeElement;
      return { role: a?.getAttribute('role'), text: a?.textContent.trim() ?? '', testid: a?.getAttribute('data-testid'),
        expanded: document.querySelector('[data-testid=more-actions]').getAttribute('aria-expanded'),
        items: [...document.querySelectorAll('[role=menu] [role=menuitem]')].map((i) => i.querySelector('.label').textContent.trim()) };`);
  let f = await waitUntil('the menu open on its first item', async () => {
    const now = await focused();
    return now.role === 'menuitem' ? now : null;
  });
  assert.equal(f.expanded, 'true');
  assert.deepEqual(f.items, ['Edit tags', 'Text settings', 'Delete']);
  assert.match(f.text, /^Edit tags/);
  await s.keys(Keys.ARROW_DOWN);
  f = await focused();
  assert.match(f.text, /^Text settings/, 'ArrowDown moves to the next item');
  await s.keys(Keys.ARROW_UP + Keys.ARROW_UP);
  f = await focused();
  assert.match(f.text, /^Delete/, 'ArrowUp from the first item goes round to the last');
  await s.keys(Keys.ESCAPE);
  f = await waitUntil('the menu to close', async () => {
    const now = await focused();
    return now.items.length === 0 ? now : null;
  });
  assert.equal(f.testid, 'more-actions', 'Escape gives the focus back to the menu button');
  assert.equal(f.expanded, 'false');
  await readerLoaded(s, title);

  // Every action is still reachable: Text settings from the menu opens its dialog.
  await s.keys(Keys.ARROW_DOWN);
  await waitUntil('the menu open again', async () => (await focused()).role === 'menuitem');
  await s.keys(Keys.ARROW_DOWN + Keys.ENTER);
  await waitUntil('the text settings dialog', () =>
    s.execute("return [...document.querySelectorAll('dialog[open] h2')].some((h) => h.textContent.trim() === 'Settings');"),
  );
  await s.keys(Keys.ESCAPE);
  await waitUntil('the dialog to close, the focus back on the menu button', () =>
    s.execute("return document.querySelectorAll('dialog[open]').length === 0 && document.activeElement?.getAttribute('data-testid') === 'more-actions';"),
  );
  // And the shortcuts still work: t opens the tag editor as before.
  await s.execute("document.querySelector('[data-testid=reader-scroll]').focus();");
  await s.keys('t');
  await waitUntil('the tag editor', () =>
    s.execute("return [...document.querySelectorAll('dialog[open] h2')].some((h) => h.textContent.trim() === 'Tags');"),
  );
});

/** A long story with the word café in five places, one of them split by inline elements. */
function cafePage(title) {
  const paragraphs = prose('harbour', 32).map((p) => `<p>${p}</p>`);
  paragraphs[2] = '<p>The <b>Café</b> on the quay opens at six, before the first ferry.</p>';
  paragraphs[9] = '<p>A cafeteria is not a cafe, say the fishermen, and they mean it.</p>';
  paragraphs[17] = '<p>By noon the CAFÉ is full and the ca<em>f</em>é next door too.</p>';
  paragraphs[29] = '<p>At night only the old café stays open.</p>';
  return articlePage({ title, paragraphs: [] }).replace('</article>', `${paragraphs.join('\n')}\n</article>`);
}

/** The marks in the story: how many matches, the current one, and whether it is in view. */
const MARKS_JS = `
const frame = document.querySelector('[data-testid=reader-frame]');
const doc = frame.contentDocument;
const box = document.querySelector('[data-testid=reader-scroll]');
const marks = [...doc.querySelectorAll('mark.gloss-search')];
const current = [...doc.querySelectorAll('mark.gloss-search-current')];
const top = current.length ? frame.offsetTop + current[0].getBoundingClientRect().top : null;
const matches = [...new Set(marks.map((m) => m.dataset.match))].map((i) =>
  marks.filter((m) => m.dataset.match === i).map((m) => m.textContent).join(''));
return {
  matches,
  highlights: doc.querySelectorAll('mark.gloss-hl').length,
  current: [...new Set(current.map((m) => m.dataset.match))],
  currentText: current.map((m) => m.textContent).join(''),
  inView: top === null ? null : top >= box.scrollTop && top < box.scrollTop + box.clientHeight,
  scrollTop: box.scrollTop,
  count: document.querySelector('[data-testid=find-count]')?.textContent.trim() ?? null,
  results: document.querySelectorAll('[data-testid=search-result]').length,
};`;

appTest('after a search the story marks its words; n and N move between them, and Escape hides them', async (ctx) => {
  const title = 'Mornings on the quay';
  const server = await ctx.server({ '/quay.html': { type: 'text/html; charset=utf-8', body: cafePage(title) } });
  const lib = ctx.newLibrary();
  await gloss(lib.path, 'save', server.url('/quay.html'));
  await server.close();
  const s = await ctx.launch(lib.path);
  const marks = () => s.execute(MARKS_JS);
  /** Waits until the reader says `text` (“3 of 5”) and resolves to the marks then. */
  const counted = (text) =>
    waitUntil(`the reader to say “${text}”`, async () => {
      const now = await marks();
      return now.count === text ? now : null;
    });

  // Search without the accent, open the result.
  await s.keys('/');
  await waitUntil('the search field to have focus', () =>
    s.execute("return document.activeElement?.getAttribute('data-testid') === 'search-input';"),
  );
  await s.keys('cafe');
  await (await waitUntil('a search result', () => s.find('[data-testid=search-result]'))).click();
  await readerLoaded(s, title);
  let m = await waitUntil('the matches marked in the story', async () => {
    const now = await marks();
    return now.matches.length > 0 ? now : null;
  });
  assert.deepEqual(m.matches, ['Café', 'cafe', 'CAFÉ', 'café', 'café'], 'every form of the word, and only the word (not cafeteria)');
  assert.equal(m.highlights, 0, 'the matches are not highlights');
  assert.deepEqual(m.current, [], 'no match is current before n');
  assert.equal(m.count, '5 matches');

  // n: the first match; n again: the next, scrolled into view.
  await s.keys('n');
  m = await counted('1 of 5');
  assert.deepEqual(m.current, ['0']);
  assert.equal(m.currentText, 'Café');
  assert.equal(m.inView, true);
  // Matches 3 and 4 share a line: the second needs no scrolling.
  for (const [i, text, further] of [[1, 'cafe', true], [2, 'CAFÉ', true], [3, 'café', false]]) {
    const before = m.scrollTop;
    await s.keys('n');
    m = await counted(`${i + 1} of 5`);
    assert.deepEqual(m.current, [String(i)], `n moves to match ${i + 1}`);
    assert.equal(m.currentText, text);
    assert.equal(m.inView, true, `match ${i + 1} is in view`);
    if (further) assert.ok(m.scrollTop > before, `the reader scrolled down to match ${i + 1} (${before} → ${m.scrollTop})`);
    else assert.equal(m.scrollTop, before, `match ${i + 1} was in view already`);
  }
  // The word split by <em> is one match, current as a whole.
  assert.equal((await s.execute("return [...document.querySelector('[data-testid=reader-frame]').contentDocument.querySelectorAll('mark.gloss-search[data-match=\"3\"]')].length;")), 3);

  // N goes back; from the first, N goes round to the last.
  await s.chord(Keys.SHIFT, 'N');
  m = await counted('3 of 5');
  assert.deepEqual(m.current, ['2']);
  assert.equal(m.inView, true);
  await s.chord(Keys.SHIFT, 'N');
  await s.chord(Keys.SHIFT, 'N');
  await s.chord(Keys.SHIFT, 'N');
  m = await counted('5 of 5');
  assert.deepEqual(m.current, ['4']);
  assert.equal(m.inView, true);

  // Typing n in a text field types it: the current match stays.
  await (await s.find('[data-testid=save-input]')).click();
  await s.keys('n');
  assert.equal(await s.execute("return document.querySelector('[data-testid=save-input]').value;"), 'n');
  assert.equal((await marks()).count, '5 of 5', 'n in a text field does not move');
  await s.execute("const i = document.querySelector('[data-testid=save-input]'); i.value = ''; i.dispatchEvent(new Event('input')); i.blur(); document.querySelector('[data-testid=reader-scroll]').focus();");

  // Escape hides the matches; the search and its results stay.
  await s.keys(Keys.ESCAPE);
  m = await waitUntil('the matches to go', async () => {
    const now = await marks();
    return now.matches.length === 0 ? now : null;
  });
  assert.equal(m.count, null, 'the “n of 5” goes with them');
  assert.equal(m.results, 1, 'the search results are still there');
  await s.keys('n');
  assert.deepEqual((await marks()).matches, [], 'n finds nothing once they are hidden');

  // Leaving the search (Escape in the field) takes them away for good;
  // opening the story again after a new search marks the new words.
  await s.keys('/');
  await s.keys(Keys.ESCAPE);
  await waitUntil('the search to be left', async () => (await marks()).results === 0);
  await s.keys('/');
  await s.keys('ferry');
  await waitUntil('the new search marked in the open story', async () => {
    const now = await marks();
    return now.matches.length === 1 && now.matches[0] === 'ferry' ? now : null;
  });
});
