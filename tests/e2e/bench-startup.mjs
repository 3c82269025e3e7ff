// The measuring half of bench/startup.sh (which builds, generates the library
// and writes docs/benchmarks.md):
//
//   node tests/e2e/bench-startup.mjs generate DIR COUNT
//       writes COUNT varied .txt stories into DIR and their paths, one a
//       line, into DIR/list (for `gloss save -`);
//   tests/e2e/run.sh --script tests/e2e/bench-startup.mjs measure LIBRARY RUNS OPEN OUT.json [IDLE_S]
//       launches the app (GLOSS_E2E_BINARY) on LIBRARY RUNS times through
//       the e2e driver and times each launch to the first painted list, with
//       the start-up marks of both sides (the app's, written to the file
//       GLOSS_STARTUP_TRACE names, and the page's performance marks
//       gloss:*); then opens OPEN stories one after another, reads the
//       memory of the app and its WebKit processes from /proc, and the CPU
//       time they use over IDLE_S seconds (default 60) of doing nothing.

import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from './webdriver.mjs';
import { startDriver, quitApp, appProcesses, withDescendants, waitUntil, appBinary } from './harness.mjs';

// ---- generate -------------------------------------------------------------------

const COMMON = `the of and to in a is that for it as was with be by on not he this are or his from at which but have an they
you were her she there been one all we their has would when if so no will more out up into do any your what about time
them some can could than other its only our over new after first also two may these like then most made years way our
people town harbour river market council school street winter summer morning evening water boat road bridge field farm
house garden station village coast island valley hill weather rain wind snow light night week month year plan report
meeting money work family children library museum music choir festival ferry train bus shop bakery fish bread apples`.split(/\s+/);

/** A small deterministic random generator (mulberry32): the same library every time. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(dir, count) {
  mkdirSync(dir, { recursive: true });
  const rand = rng(20000);
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const syl = ['ka', 'lo', 'mer', 'an', 'ti', 'vos', 'el', 'ru', 'dan', 'sil', 'or', 'pe', 'gra', 'hon', 'ne', 'ust', 'bri', 'fa', 'lum', 'ce'];
  // A few thousand rarer words, so that the index has a real vocabulary.
  const rare = Array.from({ length: 4000 }, () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(syl)).join(''));
  const word = () => (rand() < 0.7 ? pick(COMMON) : pick(rare));
  const sentence = () => {
    const n = 8 + Math.floor(rand() * 18);
    const w = Array.from({ length: n }, word);
    w[0] = w[0][0].toUpperCase() + w[0].slice(1);
    return `${w.join(' ')}.`;
  };
  const paths = [];
  for (let i = 0; i < count; i++) {
    const title = Array.from({ length: 4 + Math.floor(rand() * 6) }, word).join(' ');
    const paras = [];
    const words = 150 + Math.floor(rand() * 900); // 150 to 1050 words
    let n = 0;
    while (n < words) {
      const p = Array.from({ length: 2 + Math.floor(rand() * 5) }, sentence).join(' ');
      n += p.split(' ').length;
      paras.push(p);
    }
    const file = join(dir, `story-${String(i).padStart(5, '0')}.txt`);
    writeFileSync(file, `${title[0].toUpperCase()}${title.slice(1)} (${i + 1})\n\n${paras.join('\n\n')}\n`);
    paths.push(file);
  }
  writeFileSync(join(dir, 'list'), `${paths.join('\n')}\n`);
}

// ---- measure --------------------------------------------------------------------

const CLK_TCK = 100; // Linux USER_HZ

/** When a process started, in ms since the epoch (10 ms resolution): now, less its age. */
function startedAt(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const now = Date.now();
  const uptimeS = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startS = Number(fields[19]) / CLK_TCK; // since boot
  return now - (uptimeS - startS) * 1000;
}

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (re) => Number(status.match(re)?.[1] ?? 0);
  let pss = 0;
  try {
    pss = Number(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+)/m)?.[1] ?? 0);
  } catch {
    // not readable: leave 0
  }
  return {
    pid,
    name: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(),
    rssKiB: kib(/^VmRSS:\s+(\d+)/m),
    // What the RSS is made of: the process's own memory (heap, stacks,
    // relocated data), pages of mapped files (code and read-only data of the
    // binary and its libraries, shared with every process that maps them)
    // and shared memory.
    rssAnonKiB: kib(/^RssAnon:\s+(\d+)/m),
    rssFileKiB: kib(/^RssFile:\s+(\d+)/m),
    rssShmemKiB: kib(/^RssShmem:\s+(\d+)/m),
    pssKiB: pss,
  };
}

/** The app and its WebKit processes, by role. */
function memory(library) {
  const app = appProcesses(library);
  return withDescendants(app).map((pid) => {
    const m = memoryOf(pid);
    const role = app.includes(pid) ? 'app' : /WebProc/i.test(m.name) ? 'web' : /Network/i.test(m.name) ? 'network' : m.name;
    return { ...m, role };
  });
}

const FIRST_LIST_JS = `const done = arguments[arguments.length - 1];
const read = () => {
  const v = document.documentElement.dataset.firstList;
  if (!v) return false;
  done({ mark: Number(v), origin: performance.timeOrigin, rows: document.querySelectorAll('[data-testid=story-row]').length });
  return true;
};
if (!read()) new MutationObserver((_, o) => { if (read()) o.disconnect(); }).observe(document.documentElement, { attributes: true });`;

// The page's side of the timeline: its marks (gloss:*, ms from the
// navigation start) and the navigation's own (DOMContentLoaded starts once
// the module script has run, in a build with no marks of its own too).
const PAGE_MARKS_JS = `const nav = performance.getEntriesByType('navigation')[0];
return {
  origin: performance.timeOrigin,
  marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('gloss:')).map((m) => [m.name.slice(6), m.startTime]),
  responseEnd: nav ? nav.responseEnd : null,
  domContentLoaded: nav ? nav.domContentLoadedEventStart : null,
};`;

/** The app's own marks for process `pid` (src-tauri/startup_trace.rs), as epoch ms by name. */
function appMarks(pid) {
  const file = process.env.GLOSS_STARTUP_TRACE;
  const marks = {};
  if (!file || !existsSync(file)) return marks;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [p, name, ms] = line.trim().split(' ');
    if (Number(p) === pid && name && !(name in marks)) marks[name] = Number(ms);
  }
  return marks;
}

/**
 * Every mark of one launch, in ms from the process's start (the kernel's
 * start time, to 10 ms): null where this build sets no such mark.
 */
function timeline(startMs, app, page) {
  const at = (v) => (v === undefined || v === null ? null : v - startMs);
  const ui = Object.fromEntries(page.marks);
  const fromNav = (v) => (v === undefined || v === null ? null : page.origin + v);
  return {
    'process start': 0,
    'main()': at(app.main),
    'Tauri setup': at(app.setup),
    'library open': at(app['library-open']),
    'window built': at(app['window-built']),
    'window created': at(app['window-created']),
    'navigation start': at(page.origin),
    'page loaded (response end)': at(fromNav(page.responseEnd)),
    'bundle evaluated': at(fromNav(ui.bundle)),
    'app mounted': at(fromNav(ui.mounted)),
    'scripts done (DOMContentLoaded)': at(fromNav(page.domContentLoaded)),
    'first IPC received (app)': at(app['first-ipc-received']),
    'first IPC answered (app)': at(app['first-ipc']),
    'first IPC answered (page)': at(fromNav(ui['first-ipc'])),
    'first list painted': at(fromNav(ui['first-list'])),
  };
}

async function launchTimed(driver, library) {
  const requested = Date.now();
  const session = await Session.start(driver.base, {
    'tauri:options': { application: appBinary, args: ['--library', library] },
  });
  const sessionAt = Date.now();
  await session.cmd('POST', '/timeouts', { script: 60000 });
  const r = await session.executeAsync(FIRST_LIST_JS);
  // Read at once: the CPU time is the figure that the machine's load moves least.
  const cpuAtFirstList = cpuByRole(library);
  const painted = r.origin + r.mark;
  const [pid] = appProcesses(library);
  const start = startedAt(pid);
  const page = await session.execute(PAGE_MARKS_JS);
  return {
    session,
    run: {
      markMs: r.mark,
      fromRequestMs: painted - requested,
      fromProcessStartMs: painted - start,
      sessionReadyMs: sessionAt - requested,
      rows: r.rows,
      cpuAtFirstListMs: cpuAtFirstList,
      timeline: timeline(start, appMarks(pid), page),
    },
  };
}

/** utime + stime of a process (all its threads), in clock ticks. */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // exited
  }
}

/** utime + stime so far of the app and each of its WebKit processes, in ms, by role. */
function cpuByRole(library) {
  const byRole = {};
  for (const { pid, role } of memory(library)) {
    byRole[role] = (byRole[role] ?? 0) + (cpuTicks(pid) * 1000) / CLK_TCK;
  }
  return byRole;
}

/**
 * The CPU time the app and its WebKit processes use while the window sits
 * there, over `seconds`: a measuring window, not a wait for anything.
 */
async function idleCpu(library, seconds) {
  const procs = memory(library).map(({ pid, role }) => ({ pid, role }));
  const before = procs.map((p) => cpuTicks(p.pid));
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const wallS = (Date.now() - t0) / 1000;
  const byRole = {};
  procs.forEach((p, i) => {
    byRole[p.role] = (byRole[p.role] ?? 0) + (cpuTicks(p.pid) - before[i]) / CLK_TCK;
  });
  const cpuS = Object.values(byRole).reduce((a, b) => a + b, 0);
  return { wallS, cpuS, percentOfOneCore: (100 * cpuS) / wallS, byRole };
}

async function openStories(session, count) {
  const title = () =>
    session.execute(`const f = document.querySelector('[data-testid=reader-frame]');
      const doc = f?.contentDocument;
      return doc && doc.URL === 'about:srcdoc' && doc.readyState === 'complete' ? doc.querySelector('.story-title')?.textContent ?? null : null;`);
  await (await session.find('[data-testid=story-row] button.open')).click();
  let last = await waitUntil('the first story in the reader', title);
  const seen = new Set([last]);
  for (let i = 1; i < count; i++) {
    await session.keys('j'); // with the reader open, j opens the next story
    last = await waitUntil(`story ${i + 1} in the reader`, async () => {
      const t = await title();
      return t && t !== last ? t : null;
    });
    seen.add(last);
  }
  return seen.size;
}

async function measure(library, runs, open, outFile, idleS) {
  const driver = await startDriver({ logName: 'bench-driver' });
  const results = { runs: [], memory: {} };
  let session = null;
  try {
    for (let i = 0; i < runs; i++) {
      const { session: s, run } = await launchTimed(driver, library);
      session = s;
      console.error(`run ${i + 1}: ${JSON.stringify(run)}`);
      results.runs.push(run);
      if (i < runs - 1) {
        await quitApp(session, library);
        session = null;
      }
    }
    results.memory.atStart = memory(library);
    results.opened = await openStories(session, open);
    // The last story's images and layout are done; let the web process settle its caches on a condition: two frames.
    await session.executeAsync('const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));');
    results.memory.afterOpening = memory(library);
    // "Nothing happening" starts once the work the last story started (its
    // layout and paint, the list and counts it changed) is done: after
    // three whole seconds in a row in which all the processes together use
    // at most two clock ticks each (at most 30 s). One quiet second was not
    // enough: the second after the last story was often quiet, and then
    // WebKit painted for three or four seconds more (no DOM change, no
    // scroll), inside the minute. How long it took is reported.
    const settleStart = Date.now();
    for (let i = 0, quietInARow = 0; i < 30 && quietInARow < 3; i++) {
      const quiet = await idleCpu(library, 1);
      quietInARow = quiet.cpuS <= 0.02 ? quietInARow + 1 : 0;
    }
    results.settledMs = Date.now() - settleStart;
    console.error(`idle: settled after ${results.settledMs} ms; measuring the CPU time of every Gloss process over ${idleS} s`);
    results.idle = await idleCpu(library, idleS);
  } finally {
    if (session) await quitApp(session, library).catch((e) => console.error(e.message));
    await driver.stop();
  }
  writeFileSync(outFile, JSON.stringify(results, null, 2));
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'generate') {
  generate(args[0], Number(args[1]));
} else if (cmd === 'measure') {
  measure(args[0], Number(args[1]), Number(args[2]), args[3], Number(args[4] ?? 60)).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  console.error('usage: bench-startup.mjs generate DIR COUNT | measure LIBRARY RUNS OPEN OUT.json [IDLE_S]');
  process.exitCode = 2;
}
