import { describe, expect, test } from 'vitest';
import { computeWindow, needsMore, scrollToReveal } from './virtual';

describe('computeWindow', () => {
  test('at the top renders the visible rows plus overscan below', () => {
    const w = computeWindow({ scrollTop: 0, viewportHeight: 500, rowHeight: 100, count: 1000, overscan: 2 });
    expect(w).toEqual({ start: 0, end: 8, offset: 0, totalHeight: 100_000 });
  });

  test('in the middle of 100,000 rows only a screenful is rendered', () => {
    const w = computeWindow({ scrollTop: 5_000_050, viewportHeight: 800, rowHeight: 96, count: 100_000, overscan: 6 });
    const first = Math.floor(5_000_050 / 96);
    expect(w.start).toBe(first - 6);
    expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(800 / 96) + 1 + 12);
    expect(w.offset).toBe(w.start * 96);
    expect(w.totalHeight).toBe(9_600_000);
  });

  test('at the bottom the window ends at the last row', () => {
    const w = computeWindow({ scrollTop: 99_500, viewportHeight: 500, rowHeight: 100, count: 1000, overscan: 3 });
    expect(w.end).toBe(1000);
    expect(w.start).toBe(995 - 3);
  });

  test('scroll positions past the end (elastic scrolling, a shrunken list) are clamped', () => {
    const w = computeWindow({ scrollTop: 1e9, viewportHeight: 500, rowHeight: 100, count: 20, overscan: 0 });
    expect(w.end).toBe(20);
    expect(w.start).toBe(15);
    const neg = computeWindow({ scrollTop: -300, viewportHeight: 500, rowHeight: 100, count: 20, overscan: 0 });
    expect(neg.start).toBe(0);
  });

  test('fewer rows than fit', () => {
    expect(computeWindow({ scrollTop: 0, viewportHeight: 900, rowHeight: 100, count: 3 })).toEqual({
      start: 0,
      end: 3,
      offset: 0,
      totalHeight: 300,
    });
  });

  test('an empty list renders nothing', () => {
    expect(computeWindow({ scrollTop: 0, viewportHeight: 900, rowHeight: 100, count: 0 })).toEqual({
      start: 0,
      end: 0,
      offset: 0,
      totalHeight: 0,
    });
  });
});

describe('paging and revealing', () => {
  test('asks for more when the window nears the loaded end', () => {
    expect(needsMore(90, 100, true, 20)).toBe(true);
    expect(needsMore(50, 100, true, 20)).toBe(false);
    expect(needsMore(99, 100, false, 20)).toBe(false);
  });

  test('scrollToReveal moves the least needed', () => {
    expect(scrollToReveal(5, 0, 300, 100)).toBe(300); // row 5 spans 500..600
    expect(scrollToReveal(1, 400, 300, 100)).toBe(100);
    expect(scrollToReveal(4, 300, 300, 100)).toBe(300); // already visible
  });
});
