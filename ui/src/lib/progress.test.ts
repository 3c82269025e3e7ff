import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createProgressSaver, isAtEnd, progressFromScroll, scrollTopFor } from './progress';

describe('progress from the scroll position', () => {
  test('fraction of the scrollable range', () => {
    expect(progressFromScroll(0, 3000, 1000)).toBe(0);
    expect(progressFromScroll(1000, 3000, 1000)).toBe(0.5);
    expect(progressFromScroll(2000, 3000, 1000)).toBe(1);
    expect(progressFromScroll(2500, 3000, 1000)).toBe(1);
  });

  test('a story that fits on screen is read through', () => {
    expect(progressFromScroll(0, 800, 1000)).toBe(1);
  });

  test('restoring puts the same fraction back', () => {
    expect(scrollTopFor(0.5, 3000, 1000)).toBe(1000);
    expect(scrollTopFor(2, 3000, 1000)).toBe(2000);
    expect(scrollTopFor(Number.NaN, 3000, 1000)).toBe(0);
  });

  test('the end is reached near the bottom', () => {
    expect(isAtEnd(1990, 3000, 1000)).toBe(true);
    expect(isAtEnd(1900, 3000, 1000)).toBe(false);
  });
});

describe('createProgressSaver (throttled set_progress)', () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => vi.useRealTimers());

  function make(intervalMs = 1000) {
    const sent: [number, number][] = [];
    const saver = createProgressSaver({
      send: (id, p) => {
        sent.push([id, p]);
      },
      intervalMs,
      now: () => now,
    });
    const advance = async (ms: number) => {
      now += ms;
      await vi.advanceTimersByTimeAsync(ms);
    };
    return { saver, sent, advance };
  }

  test('sends the first position at once, then at most once per interval, always the latest', async () => {
    const { saver, sent, advance } = make();
    saver.update(1, 0.1);
    await advance(0);
    expect(sent).toEqual([[1, 0.1]]);
    for (let i = 2; i <= 9; i++) {
      saver.update(1, i / 10);
      await advance(100);
    }
    // 800 ms after the first send: nothing more yet.
    expect(sent).toHaveLength(1);
    await advance(200);
    expect(sent).toEqual([
      [1, 0.1],
      [1, 0.9],
    ]);
    await advance(5000);
    expect(sent).toHaveLength(2);
  });

  test('flush sends what is pending now (leaving the story)', async () => {
    const { saver, sent, advance } = make();
    saver.update(1, 0.1);
    saver.update(1, 0.4);
    saver.flush();
    await advance(0);
    expect(sent).toEqual([
      [1, 0.1],
      [1, 0.4],
    ]);
  });

  test('switching story sends the previous story’s last position first', async () => {
    const { saver, sent, advance } = make();
    saver.update(1, 0.2);
    saver.update(1, 0.7);
    saver.update(2, 0.05);
    await advance(0);
    expect(sent.slice(0, 2)).toEqual([
      [1, 0.2],
      [1, 0.7],
    ]);
    await advance(1000);
    expect(sent[2]).toEqual([2, 0.05]);
  });

  test('tiny changes are not written', async () => {
    const { saver, sent, advance } = make();
    saver.update(1, 0.5);
    await advance(1500);
    saver.update(1, 0.501);
    await advance(1500);
    expect(sent).toEqual([[1, 0.5]]);
  });

  test('cancel forgets the pending value', async () => {
    const { saver, sent, advance } = make();
    saver.update(1, 0.5);
    saver.update(1, 0.6);
    saver.cancel();
    await advance(2000);
    expect(sent).toEqual([[1, 0.5]]);
  });

  test('a failed write is not fatal', async () => {
    const saver = createProgressSaver({
      send: () => Promise.reject(new Error('db locked')),
      now: () => now,
    });
    saver.update(1, 0.3);
    await vi.advanceTimersByTimeAsync(10);
    expect(true).toBe(true);
  });
});
