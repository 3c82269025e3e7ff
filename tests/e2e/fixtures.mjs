// Pages and images the e2e tests (and the screenshot script) serve on
// 127.0.0.1. Everything here is written for Gloss: no third-party pages.

import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * An RGB PNG of `width`×`height`; `pixel(x, y)` returns [r, g, b].
 * Small, valid, and different for each `pixel` function.
 */
export function png(width, height, pixel) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let o = 0;
  for (let y = 0; y < height; y++) {
    raw[o++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw[o++] = r;
      raw[o++] = g;
      raw[o++] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A soft two-colour gradient with a few bands: looks like a picture, compresses well. */
export function gradientPng(width, height, from, to) {
  return png(width, height, (x, y) => {
    const t = (x / width) * 0.7 + (y / height) * 0.3;
    const band = Math.floor((y / height) * 6) % 2 ? 0.06 : 0;
    return from.map((c, i) => Math.round(c + (to[i] - c) * Math.min(1, t + band)));
  });
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Paragraphs of plain prose about `topic`, each one different. */
export function prose(topic, count, extraWord = '') {
  const openers = [
    `Every morning the ${topic} story begins the same way`,
    `Nobody who studies ${topic} for long keeps a simple view of it`,
    `The records kept about ${topic} in the town archive are patchy`,
    `There is a practical side to ${topic} that visitors rarely see`,
    `Ask three people about ${topic} and you get four opinions`,
    `The seasons shape ${topic} more than any plan does`,
    `Money, as usual, decides much of what happens to ${topic}`,
    `Young people are changing ${topic} in ways their parents notice`,
  ];
  const middles = [
    'with a walk along the harbour wall while the light is still grey',
    'because the details change from one street to the next',
    'so most of what we know comes from letters and old photographs',
    'and the people who do the work talk about it with quiet pride',
    'which makes every meeting of the committee last twice as long',
    'and the winter months in particular leave their mark on everyone',
    'though the grants that arrive each spring are never quite enough',
    'and they bring new tools, new habits and a good deal of patience',
  ];
  const out = [];
  for (let i = 0; i < count; i++) {
    const a = openers[i % openers.length];
    const b = middles[(i * 3 + 1) % middles.length];
    const extra = extraWord && i === 1 ? ` Locals call the result ${extraWord}, and the name has stuck.` : '';
    out.push(
      `${a}, ${b}. It is paragraph ${i + 1} of the piece, and it carries enough words to read like a real article ` +
        `rather than a list of fragments; the reader should keep it whole.${extra} ` +
        `Small details matter here: the time of day, the weather, the names of the boats and the shops.`,
    );
  }
  return out;
}

/**
 * A news-like page: navigation, a header, the article (title, byline,
 * paragraphs, a figure), a sidebar and a footer — the clutter the extractor
 * must drop.
 */
export function articlePage({
  title,
  byline = 'By Ada Example',
  paragraphs,
  images = [],
  lang = 'en',
  site = 'The Harbour Gazette',
  published = null,
}) {
  const figures = images.map(
    (img) =>
      `<figure><img src="${esc(img.src)}" alt="${esc(img.alt)}" width="${img.width}" height="${img.height}">` +
      `<figcaption>${esc(img.caption ?? img.alt)}</figcaption></figure>`,
  );
  const body = [];
  paragraphs.forEach((p, i) => {
    body.push(`<p>${esc(p)}</p>`);
    if (i === 1 && figures[0]) body.push(figures[0]);
    if (i === 4 && figures[1]) body.push(figures[1]);
  });
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(title)} | ${esc(site)}</title>
<meta name="author" content="${esc(byline.replace(/^By /, ''))}">
<meta property="og:site_name" content="${esc(site)}">
${published ? `<meta property="article:published_time" content="${esc(published)}">` : ''}</head>
<body>
<nav class="site-nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a> NAVIGATION-CLUTTER</nav>
<header><p class="masthead">${esc(site)}</p></header>
<main><article>
<h1>${esc(title)}</h1>
<p class="byline">${esc(byline)}</p>
${body.join('\n')}
</article></main>
<aside class="related"><h2>Related</h2><ul><li><a href="/a">Another story</a></li><li><a href="/b">And another</a></li></ul></aside>
<footer class="site-footer">FOOTER-CLUTTER © ${esc(site)}. <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>`;
}

/** The script every trap in the hostile page runs: it sets flags a test can see. */
export const PWN = "window.parent.__pwned = 1; window.__pwned = 1; document.title = 'PWNED'";

/** A page whose raw HTML tries to run script in every common way. */
export function hostilePage() {
  const paragraphs = prose('lighthouse keepers', 6);
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Lighthouse keepers keep odd hours</title>
<script>${PWN}</script>
<meta http-equiv="refresh" content="0;url=javascript:${PWN}">
</head>
<body onload="${PWN}">
<article>
<h1>Lighthouse keepers keep odd hours</h1>
<p>${esc(paragraphs[0])}</p>
<p><img src=x onerror="${PWN}"> ${esc(paragraphs[1])}</p>
<script>${PWN}</script>
<p>${esc(paragraphs[2])} <a href="javascript:${PWN}" id="js-link">Read the keeper's log</a>.</p>
<svg width="10" height="10" onload="${PWN}"><circle r="4"/></svg>
<p onmouseover="${PWN}">${esc(paragraphs[3])}</p>
<iframe srcdoc="<script>${PWN.replace(/'/g, '&#39;')}</script>"></iframe>
<object data="javascript:${PWN}"></object>
<p>${esc(paragraphs[4])}</p>
<form action="javascript:${PWN}"><button>Subscribe</button></form>
<p><a href="  JaVaScRiPt:${PWN}">Another trap</a> ${esc(paragraphs[5])}</p>
<style>@import url("javascript:${PWN}");</style>
</article>
</body></html>`;
}
