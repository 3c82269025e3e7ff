import { describe, expect, it, vi } from 'vitest';
import { isMenuAction, runMenuAction, type MenuTargets } from './menuActions';
import type { MenuAction } from '../bindings/MenuAction';

function targets() {
  return {
    focusSave: vi.fn(),
    openImport: vi.fn(),
    openExport: vi.fn(),
    openSettings: vi.fn(),
    setTheme: vi.fn(),
    textSize: vi.fn(),
    textReset: vi.fn(),
    showShortcuts: vi.fn(),
    showAbout: vi.fn(),
  } satisfies MenuTargets;
}

describe('menu actions', () => {
  const cases: [MenuAction, keyof MenuTargets, unknown[]][] = [
    ['save-url', 'focusSave', []],
    ['import', 'openImport', []],
    ['export', 'openExport', []],
    ['settings', 'openSettings', []],
    ['theme-light', 'setTheme', ['light']],
    ['theme-dark', 'setTheme', ['dark']],
    ['theme-system', 'setTheme', ['system']],
    ['text-larger', 'textSize', [1]],
    ['text-smaller', 'textSize', [-1]],
    ['text-reset', 'textReset', []],
    ['shortcuts', 'showShortcuts', []],
    ['about', 'showAbout', []],
  ];

  it.each(cases)('%s calls %s and nothing else', (action, target, args) => {
    const t = targets();
    runMenuAction(action, t);
    expect(t[target]).toHaveBeenCalledExactlyOnceWith(...args);
    const others = Object.entries(t).filter(([name]) => name !== target);
    for (const [, spy] of others) expect(spy).not.toHaveBeenCalled();
  });

  it('ignores payloads that are not menu actions', () => {
    const t = targets();
    for (const bad of ['quit', 'SAVE-URL', '', 42, null, { action: 'about' }]) {
      expect(isMenuAction(bad)).toBe(false);
      runMenuAction(bad, t);
    }
    for (const spy of Object.values(t)) expect(spy).not.toHaveBeenCalled();
  });
});
