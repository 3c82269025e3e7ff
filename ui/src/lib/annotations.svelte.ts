// Highlights and notes: the open story's annotations, the selection toolbar's
// state, the editor, the side panel and the Notebook. The DOM side (reading
// the frame's selection, drawing <mark>s) is Reader.svelte's, with
// anchoring.ts; this is what is shown and what is sent.

import * as api from '../api';
import type { Annotation } from '../bindings/Annotation';
import type { Color } from '../bindings/Color';
import type { NotebookEntry } from '../bindings/NotebookEntry';
import type { Span } from './anchoring';

export const COLORS: readonly { color: Color; label: string; key: string }[] = [
  { color: 'yellow', label: 'Yellow', key: '1' },
  { color: 'green', label: 'Green', key: '2' },
  { color: 'blue', label: 'Blue', key: '3' },
  { color: 'pink', label: 'Pink', key: '4' },
  { color: 'purple', label: 'Purple', key: '5' },
];

/** The colour keys 1–5 of the selection toolbar. */
export function colorForKey(key: string): Color | null {
  return COLORS.find((c) => c.key === key)?.color ?? null;
}

/** Text selected in the reader, mapped to the story's text, with where to show the toolbar. */
export interface ReaderSelection {
  storyId: number;
  exact: string;
  prefix: string;
  suffix: string;
  /** In the story's text (null when the frame's text differs and the words could not be found there). */
  position: Span | null;
  /** Toolbar position in the reader's scroller (px). */
  x: number;
  y: number;
}

/** The backend's limit on a tag's length (code points; `tags.rs`). */
export const MAX_TAG_CHARS = 100;

const sameTag = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/**
 * Tags typed by the user, separated by commas: trimmed, inner runs of
 * whitespace made one space, control characters dropped, empty ones left out,
 * and each once (ignoring case; the first spelling wins).
 */
export function parseTags(raw: string): string[] {
  const out: string[] = [];
  for (const part of raw.split(',')) {
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    const t = part.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
    if (t !== '' && !out.some((o) => sameTag(o, t))) out.push(t);
  }
  return out;
}

/** Why these tags cannot be kept, in words; null when they can. */
export function tagError(tags: readonly string[]): string | null {
  const long = tags.find((t) => [...t].length > MAX_TAG_CHARS);
  return long === undefined ? null : `A tag can be at most ${MAX_TAG_CHARS} characters long.`;
}

/** `tags` with `added` after them, those it already has (ignoring case) left out. */
export function withTags(tags: readonly string[], added: readonly string[]): string[] {
  const out = [...tags];
  for (const t of added) if (!out.some((o) => sameTag(o, t))) out.push(t);
  return out;
}

/** `tags` without `name`. */
export function withoutTag(tags: readonly string[], name: string): string[] {
  return tags.filter((t) => t !== name);
}

/** Every tag of these highlights and `also`, once each, in alphabetical order (ignoring case). */
export function tagsOf(entries: readonly { tags: readonly string[] }[], also: readonly string[] = []): string[] {
  return [...also, ...entries.flatMap((e) => e.tags)].filter((t, i, all) => all.indexOf(t) === i).sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }) || a.localeCompare(b));
}

export interface NotebookFilters {
  color: Color | '';
  tag: string;
  storyId: number | null;
  text: string;
}

const PANEL_KEY = 'gloss.annotations.panel';
const UNDO_MS = 6000;

function loadPanel(): boolean {
  try {
    return globalThis.localStorage?.getItem(PANEL_KEY) === '1';
  } catch {
    return false;
  }
}

export class Annotations {
  storyId = $state<number | null>(null);
  items = $state.raw<Annotation[]>([]);
  error = $state<api.ApiError | null>(null);
  /** Ids that the reader could not place in the frame (shown with the orphans). */
  unplaced = $state.raw<number[]>([]);
  panelOpen = $state(loadPanel());

  /** The reader's current selection (the toolbar shows while it is set). */
  selection = $state<ReaderSelection | null>(null);
  /** The annotation whose editor is open, and where (reader scroller px). */
  editing = $state<{ id: number; x: number; y: number; focusNote: boolean } | null>(null);
  /** Bring this one into view once the reader has drawn it. */
  focusId = $state<number | null>(null);
  /** Bumped to ask the reader to scroll to `focusId` again. */
  focusSeq = $state(0);

  notebook = $state.raw<NotebookEntry[]>([]);
  notebookError = $state<api.ApiError | null>(null);
  notebookLoading = $state(false);
  filters = $state<NotebookFilters>({ color: '', tag: '', storyId: null, text: '' });

  /** Set by the reader: empties the frame's selection (after highlighting it). */
  clearFrameSelection: (() => void) | null = null;

  private loadSeq = 0;
  private notebookSeq = 0;

  constructor(private readonly toast: (message: string, action?: { label: string; run: () => void }, timeoutMs?: number) => void) {}

  get placed(): Annotation[] {
    return this.items.filter((a) => a.position !== null && !this.unplaced.includes(a.id));
  }

  get orphaned(): Annotation[] {
    return this.items.filter((a) => a.position === null || this.unplaced.includes(a.id));
  }

  byId(id: number): Annotation | undefined {
    return this.items.find((a) => a.id === id);
  }

  /** The open story's annotations (null: none open). */
  async load(storyId: number | null): Promise<void> {
    const seq = ++this.loadSeq;
    if (storyId !== this.storyId) {
      this.storyId = storyId;
      this.items = [];
      this.unplaced = [];
      this.selection = null;
      this.editing = null;
    }
    if (storyId === null) return;
    try {
      const items = await api.storyAnnotations(storyId);
      if (seq !== this.loadSeq) return;
      this.items = items;
      this.error = null;
      if (this.editing && !items.some((a) => a.id === this.editing?.id)) this.editing = null;
    } catch (e) {
      if (seq === this.loadSeq) this.error = api.toApiError(e);
    }
  }

  togglePanel(open = !this.panelOpen): void {
    this.panelOpen = open;
    try {
      globalThis.localStorage?.setItem(PANEL_KEY, open ? '1' : '0');
    } catch {
      // not kept; fine
    }
  }

  /** Highlights the selection; with `note`, opens the editor on the new highlight's note. */
  async create(color: Color, { note = false } = {}): Promise<Annotation | null> {
    const sel = this.selection;
    if (!sel) return null;
    this.selection = null;
    this.clearFrameSelection?.();
    try {
      const made = await api.addAnnotation(sel.storyId, {
        quote: { exact: sel.exact, prefix: sel.prefix, suffix: sel.suffix },
        position: sel.position,
        color,
        note: '',
        tags: [],
      });
      if (this.storyId === sel.storyId) {
        this.items = [...this.items.filter((a) => a.id !== made.id), made];
        if (note) this.editing = { id: made.id, x: sel.x, y: sel.y, focusNote: true };
      }
      void this.load(this.storyId);
      return made;
    } catch (e) {
      this.toast(`Could not highlight: ${api.toApiError(e).message}`);
      return null;
    }
  }

  private replace(a: Annotation): void {
    this.items = this.items.map((x) => (x.id === a.id ? a : x));
    this.notebook = this.notebook.map((x) => (x.id === a.id ? { ...x, ...a } : x));
  }

  async setColor(id: number, color: Color): Promise<void> {
    try {
      this.replace(await api.updateAnnotation(id, { color }));
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }

  async setNote(id: number, note: string): Promise<boolean> {
    try {
      this.replace(await api.updateAnnotation(id, { note }));
      return true;
    } catch (e) {
      this.toast(api.toApiError(e).message);
      return false;
    }
  }

  /** Replaces a highlight's tags (colour and note are kept). */
  async setTags(id: number, tags: string[]): Promise<boolean> {
    try {
      this.replace(await api.updateAnnotation(id, { tags }));
      return true;
    } catch (e) {
      this.toast(api.toApiError(e).message);
      return false;
    }
  }

  /** Adds the tags typed in `raw` (comma-separated) to a highlight. */
  async addTags(id: number, raw: string): Promise<boolean> {
    const a = this.byId(id) ?? this.notebook.find((x) => x.id === id);
    const added = parseTags(raw);
    if (!a || added.length === 0) return false;
    const error = tagError(added);
    if (error !== null) {
      this.toast(error);
      return false;
    }
    const tags = withTags(a.tags, added);
    if (tags.length === a.tags.length) return true;
    return this.setTags(id, tags);
  }

  /** Removes one tag from a highlight. */
  async removeTag(id: number, name: string): Promise<boolean> {
    const a = this.byId(id) ?? this.notebook.find((x) => x.id === id);
    if (!a || !a.tags.includes(name)) return false;
    return this.setTags(id, withoutTag(a.tags, name));
  }

  /** Deletes with an Undo toast (undo adds it again with the same words, colour, note and tags). */
  async remove(id: number): Promise<void> {
    if (this.editing?.id === id) this.editing = null;
    try {
      const gone = await api.deleteAnnotation(id);
      this.items = this.items.filter((a) => a.id !== id);
      this.notebook = this.notebook.filter((a) => a.id !== id);
      this.toast(
        'Highlight deleted.',
        {
          label: 'Undo',
          run: () => {
            void api
              .addAnnotation(gone.story_id, {
                quote: gone.quote,
                position: gone.position,
                color: gone.color,
                note: gone.note,
                tags: gone.tags,
              })
              .then(() => {
                void this.load(this.storyId);
                void this.loadNotebook();
              })
              .catch((e: unknown) => this.toast(`Could not restore the highlight: ${api.toApiError(e).message}`));
          },
        },
        UNDO_MS,
      );
    } catch (e) {
      this.toast(api.toApiError(e).message);
    }
  }

  async loadNotebook(): Promise<void> {
    const seq = ++this.notebookSeq;
    const f = this.filters;
    this.notebookLoading = true;
    try {
      const entries = await api.notebook({
        story_id: f.storyId,
        color: f.color || null,
        tag: f.tag.trim() || null,
        text: f.text.trim() || null,
        limit: 1000,
      });
      if (seq !== this.notebookSeq) return;
      this.notebook = entries;
      this.notebookError = null;
    } catch (e) {
      if (seq === this.notebookSeq) this.notebookError = api.toApiError(e);
    } finally {
      if (seq === this.notebookSeq) this.notebookLoading = false;
    }
  }
}
