// The dialogs, loaded the first time one is opened (dynamic import(): Vite
// puts each in a chunk of its own), so that the bundle the window evaluates
// before its first paint holds only what that paint shows. A dialog stays
// mounted once loaded: closing it returns the focus (Modal.svelte).

import type { Component } from 'svelte';
import type { Dialog } from './app.svelte';

export type DialogName = Exclude<Dialog, null>;

/** Each dialog's module, by the name `app.dialog` opens it with. */
const DIALOGS: Record<DialogName, () => Promise<{ default: Component }>> = {
  help: () => import('../components/HelpDialog.svelte'),
  tags: () => import('../components/TagDialog.svelte'),
  settings: () => import('../components/SettingsDialog.svelte'),
  subscribe: () => import('../components/SubscribeDialog.svelte'),
  feed: () => import('../components/FeedDialog.svelte'),
  folder: () => import('../components/FolderDialog.svelte'),
  'add-account': () => import('../components/AddAccountDialog.svelte'),
  account: () => import('../components/AccountDialog.svelte'),
  about: () => import('../components/AboutDialog.svelte'),
  import: () => import('../components/ImportDialog.svelte'),
  export: () => import('../components/ExportDialog.svelte'),
};

export async function loadDialog(name: DialogName): Promise<Component> {
  return (await DIALOGS[name]()).default;
}
