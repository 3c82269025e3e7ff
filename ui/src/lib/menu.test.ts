import { describe, expect, test } from 'vitest';
import { menuKey } from './menu';

describe('menu keys', () => {
  test('the arrows go round the items', () => {
    expect(menuKey('ArrowDown', 0, 3)).toEqual({ move: 1 });
    expect(menuKey('ArrowDown', 2, 3)).toEqual({ move: 0 });
    expect(menuKey('ArrowUp', 0, 3)).toEqual({ move: 2 });
    expect(menuKey('ArrowUp', 2, 3)).toEqual({ move: 1 });
    // Focus on none of them (the menu itself): down is the first, up the last.
    expect(menuKey('ArrowDown', -1, 3)).toEqual({ move: 0 });
    expect(menuKey('ArrowUp', -1, 3)).toEqual({ move: 2 });
  });

  test('Home and End go to the ends', () => {
    expect(menuKey('Home', 2, 3)).toEqual({ move: 0 });
    expect(menuKey('End', 0, 3)).toEqual({ move: 2 });
  });

  test('Escape and Tab close it; other keys do nothing here', () => {
    expect(menuKey('Escape', 1, 3)).toEqual({ close: 'escape' });
    expect(menuKey('Tab', 1, 3)).toEqual({ close: 'tab' });
    expect(menuKey('Escape', -1, 0)).toEqual({ close: 'escape' });
    expect(menuKey('a', 1, 3)).toBeNull();
    expect(menuKey('Enter', 1, 3)).toBeNull();
  });
});
