// Keyboard shortcuts: one table, used both to dispatch key presses and to
// list them in the "?" dialog, so the two can't disagree.

export type Action =
  | 'next'
  | 'prev'
  | 'open'
  | 'star'
  | 'archive'
  | 'toggleRead'
  | 'tag'
  | 'delete'
  | 'search'
  | 'save'
  | 'textBigger'
  | 'textSmaller'
  | 'help'
  | 'escape'
  | 'nextUnread'
  | 'markAllRead'
  | 'refreshFeeds'
  | 'findNext'
  | 'findPrev';

export interface Shortcut {
  action: Action;
  /** What the help dialog shows, e.g. ["j"] or ["Ctrl", "L"]. */
  keys: string[][];
  label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'next', keys: [['j']], label: 'Next story' },
  { action: 'prev', keys: [['k']], label: 'Previous story' },
  { action: 'open', keys: [['Enter'], ['o']], label: 'Open the selected story' },
  { action: 'star', keys: [['s']], label: 'Star or unstar' },
  { action: 'archive', keys: [['e']], label: 'Archive or move back to the inbox' },
  { action: 'toggleRead', keys: [['m']], label: 'Mark read or unread' },
  { action: 'tag', keys: [['t']], label: 'Edit tags' },
  { action: 'delete', keys: [['Delete']], label: 'Delete (with undo)' },
  { action: 'search', keys: [['/'], ['Ctrl', 'K']], label: 'Search' },
  { action: 'save', keys: [['Ctrl', 'L']], label: 'Save a link' },
  { action: 'textBigger', keys: [['Ctrl', '=']], label: 'Bigger text' },
  { action: 'textSmaller', keys: [['Ctrl', '-']], label: 'Smaller text' },
  { action: 'nextUnread', keys: [['u']], label: 'Next unread story (Space at the end of a story too)' },
  { action: 'markAllRead', keys: [['Shift', 'A']], label: 'Mark every story of the list read (with undo)' },
  { action: 'refreshFeeds', keys: [['r']], label: 'Refresh all feeds and sync accounts' },
  { action: 'findNext', keys: [['n']], label: 'After a search: the next match in the story' },
  { action: 'findPrev', keys: [['Shift', 'N']], label: 'After a search: the previous match in the story' },
  { action: 'help', keys: [['?']], label: 'Show these shortcuts' },
  { action: 'escape', keys: [['Esc']], label: 'Close a dialog or menu, hide the matches in the story, leave search, back to the list' },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export interface KeyContext {
  /** Focus is in a text field: single-letter shortcuts type letters instead. */
  inEditable: boolean;
  /** A modal dialog is open: only Escape (which the dialog handles) and nothing else. */
  dialogOpen: boolean;
}

const PLAIN: Record<string, Action> = {
  j: 'next',
  k: 'prev',
  Enter: 'open',
  o: 'open',
  s: 'star',
  e: 'archive',
  m: 'toggleRead',
  t: 'tag',
  Delete: 'delete',
  '/': 'search',
  '?': 'help',
  u: 'nextUnread',
  r: 'refreshFeeds',
  n: 'findNext',
};

const WITH_SHIFT: Record<string, Action> = {
  A: 'markAllRead',
  N: 'findPrev',
};

const WITH_CTRL: Record<string, Action> = {
  l: 'save',
  L: 'save',
  k: 'search',
  K: 'search',
  '=': 'textBigger',
  '+': 'textBigger',
  '-': 'textSmaller',
  _: 'textSmaller',
};

/** The action for a key press in a context, or null to let the key through. */
export function resolveShortcut(e: KeyLike, ctx: KeyContext): Action | null {
  if (e.key === 'Escape') return 'escape';
  if (ctx.dialogOpen) return null;
  // Ctrl on Windows/Linux, Cmd on macOS; never both, never with Alt (AltGr on
  // European keyboards reports Ctrl+Alt and types characters).
  const command = e.ctrlKey !== e.metaKey && !e.altKey;
  if (command) return WITH_CTRL[e.key] ?? null;
  if (e.ctrlKey || e.metaKey || e.altKey || ctx.inEditable) return null;
  // Shift is part of "?" on most layouts; for letters it means something else.
  if (e.shiftKey && /^[a-z]$/i.test(e.key)) return WITH_SHIFT[e.key] ?? null;
  return PLAIN[e.key] ?? null;
}

/** True for elements where typing must not trigger shortcuts. */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  const type = ((el as HTMLInputElement).type || 'text').toLowerCase();
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file', 'image'].includes(type);
}
