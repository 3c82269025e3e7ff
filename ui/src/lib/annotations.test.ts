import { afterEach, describe, expect, test } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { Annotation } from '../bindings/Annotation';
import { Annotations, MAX_TAG_CHARS, parseTags, tagError, tagsOf, withoutTag, withTags } from './annotations.svelte';

function ann(id: number, tags: string[] = []): Annotation {
  return {
    id,
    story_id: 7,
    color: 'yellow',
    note: '',
    quote: { exact: 'words', prefix: '', suffix: '' },
    position: { start: 0, end: 5 },
    tags,
    created: '2024-01-01T00:00:00Z',
    modified: '2024-01-01T00:00:00Z',
  };
}

describe('parseTags', () => {
  test('splits on commas, trims, collapses spaces and leaves out empty ones', () => {
    expect(parseTags(' idea ,  to   read,,  ')).toEqual(['idea', 'to read']);
    expect(parseTags('')).toEqual([]);
    expect(parseTags(' , ,')).toEqual([]);
  });

  test('keeps each tag once, ignoring case (the first spelling wins)', () => {
    expect(parseTags('Idea, idea, IDEA, other')).toEqual(['Idea', 'other']);
  });

  test('accents make different tags', () => {
    expect(parseTags('resume, résumé')).toEqual(['resume', 'résumé']);
  });

  test('drops control characters', () => {
    expect(parseTags('a\tb, c\u0007d\n')).toEqual(['a b', 'c d']);
  });
});

describe('tag helpers', () => {
  test('tagError: too long tags are refused in words', () => {
    expect(tagError(['ok'])).toBeNull();
    expect(tagError(['é'.repeat(MAX_TAG_CHARS)])).toBeNull();
    expect(tagError(['x'.repeat(MAX_TAG_CHARS + 1)])).toMatch(/at most 100 characters/);
  });

  test('withTags adds the new ones after, not those already there (ignoring case)', () => {
    expect(withTags(['Idea'], ['idea', 'quote'])).toEqual(['Idea', 'quote']);
  });

  test('withoutTag removes exactly that tag', () => {
    expect(withoutTag(['a', 'b', 'A'], 'a')).toEqual(['b', 'A']);
  });

  test('tagsOf lists every tag once, alphabetically ignoring case', () => {
    expect(tagsOf([{ tags: ['b', 'A'] }, { tags: ['c', 'b'] }], ['old'])).toEqual(['A', 'b', 'c', 'old']);
    expect(tagsOf([])).toEqual([]);
  });
});

describe('Annotations tags', () => {
  let calls: [string, Record<string, unknown>][] = [];
  const toasts: string[] = [];

  function backend(): void {
    calls = [];
    mockIPC((cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push([cmd, a]);
      if (cmd === 'update_annotation') return { ...ann(a.id as number), tags: a.tags ?? [] };
      return null;
    });
  }

  afterEach(() => {
    clearMocks();
    toasts.length = 0;
  });

  function withItems(...items: Annotation[]): Annotations {
    const a = new Annotations((m) => toasts.push(m));
    a.items = items;
    return a;
  }

  test('adding sends all the tags, colour and note kept (null)', async () => {
    backend();
    const a = withItems(ann(1, ['idea']));
    expect(await a.addTags(1, 'Idea, to read ,')).toBe(true);
    expect(calls).toEqual([['update_annotation', { id: 1, color: null, note: null, tags: ['idea', 'to read'] }]]);
    expect(a.byId(1)?.tags).toEqual(['idea', 'to read']);
  });

  test('removing one tag sends the others', async () => {
    backend();
    const a = withItems(ann(1, ['a', 'b']));
    expect(await a.removeTag(1, 'a')).toBe(true);
    expect(calls).toEqual([['update_annotation', { id: 1, color: null, note: null, tags: ['b'] }]]);
    expect(a.byId(1)?.tags).toEqual(['b']);
  });

  test('nothing is sent for no new tags, or a too long one (which is explained)', async () => {
    backend();
    const a = withItems(ann(1, ['idea']));
    expect(await a.addTags(1, ' , ')).toBe(false);
    expect(await a.addTags(1, 'IDEA')).toBe(true);
    expect(await a.addTags(1, 'x'.repeat(MAX_TAG_CHARS + 1))).toBe(false);
    expect(calls).toEqual([]);
    expect(toasts).toEqual(['A tag can be at most 100 characters long.']);
  });

  test('a backend error is shown and the tags stay', async () => {
    mockIPC(() => Promise.reject({ kind: 'invalid_input', message: 'a tag cannot be empty' }));
    const a = withItems(ann(1, ['idea']));
    expect(await a.addTags(1, 'new')).toBe(false);
    expect(toasts).toEqual(['a tag cannot be empty']);
    expect(a.byId(1)?.tags).toEqual(['idea']);
  });
});
