// The native menu bar (built in src-tauri/menu.rs) sends `menu-action` with
// one of the MenuAction strings; this maps each to what the window already
// does for the same thing, so a menu item and its keyboard shortcut can
// never do two different things.

import type { MenuAction } from '../bindings/MenuAction';
import type { ThemeChoice } from './typography';

/** What the menu reaches in the window (App.svelte passes the real ones; tests pass spies). */
export interface MenuTargets {
  /** Focus the Save field (as Ctrl+L does). */
  focusSave(): void;
  /** Open the Import dialog (any reader's export, OPML, Gloss's own). */
  openImport(): void;
  /** Open the Export dialog. */
  openExport(): void;
  openSettings(): void;
  setTheme(theme: ThemeChoice): void;
  /** One step bigger (+1) or smaller (-1), as Ctrl+= and Ctrl+- do. */
  textSize(direction: 1 | -1): void;
  textReset(): void;
  showShortcuts(): void;
  showAbout(): void;
}

const ACTIONS: readonly MenuAction[] = [
  'save-url',
  'import',
  'export',
  'settings',
  'theme-light',
  'theme-dark',
  'theme-system',
  'text-larger',
  'text-smaller',
  'text-reset',
  'shortcuts',
  'about',
];

/** True for the strings the menu sends (an event payload is not trusted blindly). */
export function isMenuAction(value: unknown): value is MenuAction {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}

/** Carries out one menu action; anything else is ignored. */
export function runMenuAction(action: unknown, to: MenuTargets): void {
  if (!isMenuAction(action)) return;
  switch (action) {
    case 'save-url':
      to.focusSave();
      break;
    case 'import':
      to.openImport();
      break;
    case 'export':
      to.openExport();
      break;
    case 'settings':
      to.openSettings();
      break;
    case 'theme-light':
      to.setTheme('light');
      break;
    case 'theme-dark':
      to.setTheme('dark');
      break;
    case 'theme-system':
      to.setTheme('system');
      break;
    case 'text-larger':
      to.textSize(1);
      break;
    case 'text-smaller':
      to.textSize(-1);
      break;
    case 'text-reset':
      to.textReset();
      break;
    case 'shortcuts':
      to.showShortcuts();
      break;
    case 'about':
      to.showAbout();
      break;
  }
}
