// Sample articles for the screenshots in docs/screenshots/: written for
// Gloss (no third-party text), with pictures drawn here.

import { articlePage, png } from './fixtures.mjs';

/** A little landscape: sky, sun, hills and water, in the given palette. */
export function landscapePng(width, height, { sky, sky2, sun, hill, hill2, water }) {
  const mix = (a, b, t) => a.map((c, i) => Math.round(c + (b[i] - c) * t));
  const sunX = width * 0.72;
  const sunY = height * 0.3;
  const sunR = height * 0.09;
  return png(width, height, (x, y) => {
    const h1 = height * (0.58 + 0.06 * Math.sin(x / (width / 5.3)) + 0.03 * Math.sin(x / (width / 17)));
    const h2 = height * (0.68 + 0.05 * Math.sin(x / (width / 3.1) + 1.7));
    const shore = height * 0.8;
    if (y >= shore) {
      const ripple = Math.sin(y * 0.9 + Math.sin(x * 0.05) * 2) > 0.85 ? 0.25 : 0;
      return mix(water, [255, 255, 255], ripple);
    }
    if (y >= h2) return mix(hill2, hill, (y - h2) / (shore - h2 + 1) * 0.5);
    if (y >= h1) return mix(hill, hill2, (y - h1) / (h2 - h1 + 1) * 0.4);
    const d = Math.hypot(x - sunX, y - sunY);
    if (d < sunR) return sun;
    const glow = Math.max(0, 1 - (d - sunR) / (sunR * 2.5)) * 0.35;
    return mix(mix(sky, sky2, y / h1), sun, glow);
  });
}

export const PICTURES = {
  dawn: { width: 720, height: 405, palette: { sky: [38, 70, 125], sky2: [243, 176, 120], sun: [255, 226, 150], hill: [52, 74, 92], hill2: [31, 48, 63], water: [57, 94, 128] } },
  noon: { width: 720, height: 405, palette: { sky: [96, 160, 220], sky2: [200, 228, 245], sun: [255, 250, 215], hill: [92, 150, 86], hill2: [58, 112, 66], water: [52, 128, 170] } },
  dusk: { width: 720, height: 405, palette: { sky: [70, 40, 96], sky2: [232, 118, 96], sun: [255, 200, 120], hill: [64, 42, 74], hill2: [38, 26, 48], water: [86, 58, 104] } },
  frost: { width: 720, height: 405, palette: { sky: [170, 196, 222], sky2: [236, 242, 248], sun: [255, 255, 240], hill: [214, 226, 236], hill2: [168, 188, 206], water: [120, 150, 178] } },
};

export const ARTICLES = [
  {
    slug: 'tide-tables',
    site: 'The Harbour Gazette',
    byline: 'By Maren Holt',
    published: '2026-11-20T07:30:00Z',
    title: 'Reading the tide tables before the first ferry',
    images: [
      { picture: 'dawn', alt: 'The bay at first light, the hills still dark', caption: 'The bay at first light: the ferry leaves in forty minutes.' },
      { picture: 'noon', alt: 'The same bay at midday with the water high', caption: 'By noon the water has covered the slipway.' },
    ],
    paragraphs: [
      'The first ferry leaves at twenty past six, and the people who cross every morning know the tide tables better than the timetable. A low spring tide can leave the slipway bare for a hundred metres of weed and mud, and the crew will not lower the ramp onto it.',
      'So the regulars check the tables the night before. The harbour office prints them on a single sheet each month, and most kitchens along the front have one pinned next to the calendar, annotated in pencil with the days the boat is likely to run late.',
      'There is a rhythm to it that newcomers take a season to learn. The highest tides come a day or two after the full and new moons; the lowest follow them. In the autumn, when the gales arrive from the south-west, the sea can sit half a metre above the printed height.',
      'The skipper, who has worked the crossing for nineteen years, says the tables are a promise the sea mostly keeps. On the mornings it does not, she radios the harbour office, the office posts a notice on the board by the café, and the café does a brisk trade in bacon rolls.',
      'None of this is written down anywhere official. It lives in the pencil marks, in the café, and in the habit of glancing at the water on the way down the hill. It works, most days, and on the days it does not, everyone is late together.',
      'The council has talked about lengthening the slipway for a decade. The estimates keep rising, and the tables keep being printed, and the ferry keeps leaving at twenty past six, give or take the moon.',
    ],
  },
  {
    slug: 'night-market',
    site: 'Northern Notes',
    byline: 'By Tomas Reyes',
    published: '2026-11-18T19:00:00Z',
    title: 'A night market that runs on lanterns and trust',
    images: [{ picture: 'dusk', alt: 'Dusk over the square where the market sets up', caption: 'The stalls go up as the light goes down.' }],
    paragraphs: [
      'On Thursdays the car park behind the old grain store becomes a market. The first stalls arrive at dusk with folding tables, paraffin lanterns and boxes of whatever grew, was baked or was mended that week.',
      'There are no cards and no tills. Prices are chalked on slates, and a tin on each table takes the money. Stallholders wander off to talk to each other for ten minutes at a time, and nobody seems to think this strange.',
      'The organisers, a committee of four who meet in the pub, say the honesty tins come back a little over rather than under. People round up. Some leave notes. One regular leaves a drawing of whatever she bought.',
      'By nine the lanterns are the only light, and the market feels older than it is. It started six years ago, when the supermarket on the ring road closed for a month of repairs and somebody put a table of eggs out by the grain store.',
    ],
  },
  {
    slug: 'winter-orchard',
    site: 'Field & Furrow',
    byline: 'By Ingrid Sato',
    published: '2026-11-12T09:15:00Z',
    title: 'Pruning an old orchard in the frost',
    images: [{ picture: 'frost', alt: 'A frosted field below pale hills', caption: 'Frost makes the bare branches easy to read.' }],
    paragraphs: [
      'The best time to prune an old apple tree is a dry, cold morning when the leaves are long gone and the shape of the tree is plain. Frost helps: it outlines every branch in white, and the crossing and rubbing ones stand out.',
      'The rule the volunteers follow is simple. Take out what is dead, diseased or damaged, then what crosses, then enough of the rest to let a pigeon fly through the middle. Never more than a quarter of the tree in a year.',
      'The orchard has forty-one trees, some of them planted before the war. A few carry labels with varieties nobody sells any more, and the group takes cuttings from those each winter to graft onto new rootstock.',
      'It is slow work with cold hands. But by midday the trees look lighter, the brash is stacked for the wildlife, and the thermos is empty.',
    ],
  },
  {
    slug: 'lighthouse-keepers',
    site: 'The Harbour Gazette',
    byline: 'By Maren Holt',
    published: '2026-11-05T12:00:00Z',
    title: 'What the last lighthouse keeper kept',
    images: [],
    paragraphs: [
      'The lighthouse on the point was automated in 1991, and its last keeper moved to a cottage in the village with a trunk of logbooks. He kept them for thirty years; his daughter has now given them to the museum.',
      'The entries are short. Wind, visibility, ships passed, lamp lit, lamp out. But between them are other notes: a seal on the rocks three days running, a sister visiting, the year the fog lasted nine days.',
      'The museum plans to transcribe them with volunteers over the winter, a page at a time, and to publish the weather records for anyone who wants to compare the sea of the 1970s with the sea of now.',
    ],
  },
  {
    slug: 'choir',
    site: 'Northern Notes',
    byline: 'By Tomas Reyes',
    published: '2026-10-29T18:30:00Z',
    title: 'The choir that rehearses in a boatshed',
    images: [{ picture: 'noon', alt: 'Green hills above a blue bay', caption: 'The boatshed sits just above the high-water mark.' }],
    paragraphs: [
      'The acoustics are terrible, the singers agree, which is exactly why they like it. The boatshed swallows every wrong note, and by the time the choir sings in the church at Christmas, the stone walls feel like a gift.',
      'Twenty-six people turn up on Tuesdays, from a retired headteacher to two brothers who fish. Nobody auditions. The conductor, who also mends the nets, says the only requirement is to come back the next week.',
      'This year they are learning a piece written for them by a composer from the next valley, about the tides. The low notes, she says, are the mud.',
    ],
  },
];

/** HTML for a sample article, its pictures served at /img/SLUG-N.png. */
export function samplePage(a) {
  return articlePage({
    title: a.title,
    byline: a.byline,
    site: a.site,
    published: a.published,
    paragraphs: a.paragraphs,
    images: a.images.map((img, i) => ({
      src: `/img/${a.slug}-${i}.png`,
      alt: img.alt,
      caption: img.caption,
      width: PICTURES[img.picture].width,
      height: PICTURES[img.picture].height,
    })),
  });
}

/** Routes for fixtureServer: every sample page and picture. */
export function sampleRoutes() {
  const routes = {};
  const drawn = {};
  for (const a of ARTICLES) {
    routes[`/${a.slug}.html`] = { type: 'text/html; charset=utf-8', body: samplePage(a) };
    a.images.forEach((img, i) => {
      const p = PICTURES[img.picture];
      drawn[img.picture] ??= landscapePng(p.width, p.height, p.palette);
      routes[`/img/${a.slug}-${i}.png`] = { type: 'image/png', body: drawn[img.picture] };
    });
  }
  return routes;
}
