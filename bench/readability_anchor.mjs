// Readability.js in process, timed page by page: the anchor bench/extract.sh
// compares Gloss with. Usage: node readability_anchor.mjs PAGES.tsv [ROUNDS]
// (PAGES.tsv: "path<TAB>url" lines). Loads every page first, then times only
// `new Readability(new JSDOM(html, {url}).window.document).parse()`.
// Run with NODE_PATH pointing at a folder holding @mozilla/readability and jsdom.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.env.NODE_PATH || process.cwd(), "noop.js"));
const { Readability } = require("@mozilla/readability");
const { JSDOM, VirtualConsole } = require("jsdom");

const [list, roundsArg] = process.argv.slice(2);
const rounds = Math.max(1, Number(roundsArg || 1));
const pages = readFileSync(list, "utf8")
  .split("\n")
  .filter((l) => l.includes("\t"))
  .map((l) => {
    const [path, url] = l.split("\t");
    return { html: readFileSync(path).toString("utf8"), url };
  });

const quiet = new VirtualConsole(); // pages' CSS and markup errors are not ours
const times = [];
let failed = 0;
const started = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) {
  for (const { html, url } of pages) {
    const t = process.hrtime.bigint();
    try {
      const dom = new JSDOM(html, { url, virtualConsole: quiet });
      new Readability(dom.window.document).parse();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      dom.window.close();
    } catch (e) {
      failed++;
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
}
const total = Number(process.hrtime.bigint() - started) / 1e9;
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `readability pages=${pages.length} rounds=${rounds} total_s=${total.toFixed(3)} ` +
    `pages_per_s=${(times.length / total).toFixed(1)} median_ms=${median.toFixed(3)} failed=${failed}`
);
