// The keys of a menu (WAI-ARIA menu button pattern): the arrows move round
// the items, Home and End go to the ends, Escape closes it and gives the
// focus back to its button, Tab closes it and lets the focus move on.

export type MenuKeyResult = { move: number } | { close: 'escape' | 'tab' } | null;

/** What a key press in a menu of `count` items with item `at` focused does. */
export function menuKey(key: string, at: number, count: number): MenuKeyResult {
  if (count <= 0) return key === 'Escape' ? { close: 'escape' } : null;
  const from = at < 0 ? -1 : at;
  switch (key) {
    case 'ArrowDown':
      return { move: (from + 1) % count };
    case 'ArrowUp':
      return { move: from <= 0 ? count - 1 : from - 1 };
    case 'Home':
      return { move: 0 };
    case 'End':
      return { move: count - 1 };
    case 'Escape':
      return { close: 'escape' };
    case 'Tab':
      return { close: 'tab' };
    default:
      return null;
  }
}
