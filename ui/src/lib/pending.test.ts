import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { PendingDeletes } from './pending';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

test('a delete is sent only when its undo time runs out', () => {
  const commit = vi.fn();
  const p = new PendingDeletes(commit, 6000);
  p.schedule([1, 2], 'Two stories');
  expect(p.hiddenIds()).toEqual(new Set([1, 2]));
  vi.advanceTimersByTime(5999);
  expect(commit).not.toHaveBeenCalled();
  vi.advanceTimersByTime(1);
  expect(commit).toHaveBeenCalledWith([1, 2]);
  expect(p.size).toBe(0);
});

test('undo cancels the delete: nothing is ever sent', () => {
  const commit = vi.fn();
  const p = new PendingDeletes(commit, 6000);
  const e = p.schedule([3], 'A story');
  expect(p.undo(e.token)).toBe(true);
  vi.advanceTimersByTime(60_000);
  expect(commit).not.toHaveBeenCalled();
  expect(p.hiddenIds().size).toBe(0);
  expect(p.undo(e.token)).toBe(false);
});

test('closing the window sends every pending delete at once', () => {
  const commit = vi.fn();
  const onChange = vi.fn();
  const p = new PendingDeletes(commit, 6000, onChange);
  p.schedule([1], 'a');
  p.schedule([2], 'b');
  p.flushAll();
  expect(commit).toHaveBeenCalledTimes(2);
  vi.advanceTimersByTime(10_000);
  expect(commit).toHaveBeenCalledTimes(2);
  expect(onChange).toHaveBeenCalled();
});
