import { describe, expect, test } from 'vitest';
import { isEditableTarget, resolveShortcut, SHORTCUTS, type Action, type KeyLike } from './shortcuts';

function key(k: string, mods: Partial<KeyLike> = {}): KeyLike {
  return { key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods };
}

const body = { inEditable: false, dialogOpen: false };
const input = { inEditable: true, dialogOpen: false };
const dialog = { inEditable: false, dialogOpen: true };

describe('resolveShortcut', () => {
  test.each<[string, Action]>([
    ['j', 'next'],
    ['k', 'prev'],
    ['Enter', 'open'],
    ['o', 'open'],
    ['s', 'star'],
    ['e', 'archive'],
    ['m', 'toggleRead'],
    ['t', 'tag'],
    ['/', 'search'],
    ['Delete', 'delete'],
  ])('%s → %s', (k, action) => {
    expect(resolveShortcut(key(k), body)).toBe(action);
  });

  test('? needs Shift on most layouts and still means help', () => {
    expect(resolveShortcut(key('?', { shiftKey: true }), body)).toBe('help');
  });

  test('Ctrl and Cmd combinations', () => {
    expect(resolveShortcut(key('l', { ctrlKey: true }), body)).toBe('save');
    expect(resolveShortcut(key('l', { metaKey: true }), body)).toBe('save');
    expect(resolveShortcut(key('k', { ctrlKey: true }), body)).toBe('search');
    expect(resolveShortcut(key('=', { ctrlKey: true }), body)).toBe('textBigger');
    expect(resolveShortcut(key('+', { ctrlKey: true, shiftKey: true }), body)).toBe('textBigger');
    expect(resolveShortcut(key('-', { ctrlKey: true }), body)).toBe('textSmaller');
  });

  test('letters type into text fields; Ctrl shortcuts still work there', () => {
    for (const k of ['j', 'k', 's', 'e', 'm', 't', '/', '?', 'Delete', 'o']) {
      expect(resolveShortcut(key(k), input)).toBeNull();
    }
    expect(resolveShortcut(key('l', { ctrlKey: true }), input)).toBe('save');
    expect(resolveShortcut(key('Escape'), input)).toBe('escape');
  });

  test('an open dialog takes every key but Escape', () => {
    expect(resolveShortcut(key('j'), dialog)).toBeNull();
    expect(resolveShortcut(key('l', { ctrlKey: true }), dialog)).toBeNull();
    expect(resolveShortcut(key('Escape'), dialog)).toBe('escape');
  });

  test('n and Shift+N move between the matches of a search, never while typing', () => {
    expect(resolveShortcut(key('n'), body)).toBe('findNext');
    expect(resolveShortcut(key('N', { shiftKey: true }), body)).toBe('findPrev');
    expect(resolveShortcut(key('n'), input)).toBeNull();
    expect(resolveShortcut(key('N', { shiftKey: true }), input)).toBeNull();
    expect(resolveShortcut(key('n'), dialog)).toBeNull();
    expect(resolveShortcut(key('n', { ctrlKey: true }), body)).toBeNull();
    const listed = SHORTCUTS.filter((s) => s.action === 'findNext' || s.action === 'findPrev').map((s) => s.keys);
    expect(listed).toEqual([[['n']], [['Shift', 'N']]]);
  });

  test('Shift+letter, Alt+letter and AltGr (Ctrl+Alt) do nothing', () => {
    expect(resolveShortcut(key('J', { shiftKey: true }), body)).toBeNull();
    expect(resolveShortcut(key('s', { altKey: true }), body)).toBeNull();
    expect(resolveShortcut(key('l', { ctrlKey: true, altKey: true }), body)).toBeNull();
    expect(resolveShortcut(key('s', { ctrlKey: true }), body)).toBeNull();
  });

  test('keys without a shortcut pass through', () => {
    expect(resolveShortcut(key('x'), body)).toBeNull();
    expect(resolveShortcut(key('ArrowDown'), body)).toBeNull();
  });

  test('the help dialog lists every action', () => {
    const listed = new Set(SHORTCUTS.map((s) => s.action));
    const all: Action[] = ['next', 'prev', 'open', 'star', 'archive', 'toggleRead', 'tag', 'delete', 'search', 'save', 'textBigger', 'textSmaller', 'help', 'escape'];
    for (const a of all) expect(listed.has(a)).toBe(true);
  });
});

describe('isEditableTarget', () => {
  test('text fields are editable, buttons and checkboxes are not', () => {
    const text = document.createElement('input');
    const search = document.createElement('input');
    search.type = 'search';
    const box = document.createElement('input');
    box.type = 'checkbox';
    const area = document.createElement('textarea');
    const button = document.createElement('button');
    const div = document.createElement('div');
    expect(isEditableTarget(text)).toBe(true);
    expect(isEditableTarget(search)).toBe(true);
    expect(isEditableTarget(area)).toBe(true);
    expect(isEditableTarget(box)).toBe(false);
    expect(isEditableTarget(button)).toBe(false);
    expect(isEditableTarget(div)).toBe(false);
    expect(isEditableTarget(null)).toBe(false);
    expect(isEditableTarget(window)).toBe(false);
  });
});

describe('feed shortcuts', () => {
  const key = (k: string, shiftKey = false) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey });
  const ctx = { inEditable: false, dialogOpen: false };

  test('u is next unread, r refreshes, Shift+A marks all read', () => {
    expect(resolveShortcut(key('u'), ctx)).toBe('nextUnread');
    expect(resolveShortcut(key('r'), ctx)).toBe('refreshFeeds');
    expect(resolveShortcut(key('A', true), ctx)).toBe('markAllRead');
    expect(resolveShortcut(key('a'), ctx)).toBeNull();
    expect(resolveShortcut(key('U', true), ctx)).toBeNull();
    expect(resolveShortcut(key('A', true), { inEditable: true, dialogOpen: false })).toBeNull();
  });

  test('no key is bound twice', () => {
    const combos = SHORTCUTS.flatMap((s) => s.keys.map((k) => k.join('+')));
    expect(new Set(combos).size).toBe(combos.length);
  });
});
