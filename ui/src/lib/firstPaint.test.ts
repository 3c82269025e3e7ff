import { expect, test } from 'vitest';
import { markFirstListPainted } from './firstPaint';

test('the first-list mark is set once, after the frame is painted', () => {
  const frames: (() => void)[] = [];
  const raf = (cb: () => void) => frames.push(cb);
  markFirstListPainted(raf);
  markFirstListPainted(raf);
  expect(frames).toHaveLength(1);
  expect(document.documentElement.dataset.firstList).toBeUndefined();
  frames[0]?.();
  expect(Number(document.documentElement.dataset.firstList)).toBeGreaterThan(0);
  expect(performance.getEntriesByName('gloss:first-list')).toHaveLength(1);
});

test('the work after the start waits until the start is done', async () => {
  const { afterStart, startDone } = await import('./firstPaint');
  let ran = false;
  const waiting = afterStart().then(() => {
    ran = true;
  });
  await Promise.resolve();
  expect(ran).toBe(false);
  startDone();
  await waiting;
  expect(ran).toBe(true);
});
