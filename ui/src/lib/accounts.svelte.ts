// Feed accounts in the window: the accounts (Fever, Google Reader API) whose
// feeds the sidebar shows under each account's name, their sync state, and
// adding, renaming, removing and syncing them.
//
// Syncs run in the backend (never on the UI thread); the window starts them
// on the same schedule as the local feeds' refresh and by hand, and hears of
// each account's end through the `accounts-progress` event.

import * as api from '../api';
import type { AccountInfo } from '../bindings/AccountInfo';
import type { AccountKind } from '../bindings/AccountKind';
import type { AccountSyncResult } from '../bindings/AccountSyncResult';
import type { FeedInfo } from '../bindings/FeedInfo';
import { plural, quoted } from './format';

// ---- What each kind of account can do (pure) ------------------------------------------

export const KIND_LABEL: Record<AccountKind, string> = { fever: 'Fever API', greader: 'Google Reader API' };

/** Where the API lives on the common servers, for the Add account dialog. */
export const KIND_HINT: Record<AccountKind, string> = {
  fever: 'FreshRSS: https://your.server/api/fever.php · Miniflux: https://your.server/fever/',
  greader: 'FreshRSS: https://your.server/api/greader.php · Miniflux: https://your.server',
};

/**
 * Whether Gloss can subscribe, unsubscribe, rename and move the account's
 * feeds (the core decides: Fever cannot change subscriptions, they are
 * managed on the server).
 */
export function managesSubscriptions(a: Pick<AccountInfo, 'manages_subscriptions'>): boolean {
  return a.manages_subscriptions;
}

export const FEVER_SUBSCRIPTIONS_NOTE =
  'Fever accounts cannot change subscriptions: subscribe, unsubscribe, rename and move this account’s feeds on the server; Gloss shows the change at the next sync.';

// ---- The sidebar (pure) ----------------------------------------------------------------

export interface AccountGroup {
  /** The account's folder (label) name; null: feeds in no folder. */
  folder: string | null;
  feeds: FeedInfo[];
}

export interface AccountNode {
  account: AccountInfo;
  /** Folders by name, then the feeds in no folder; feeds by title. */
  groups: AccountGroup[];
  feeds: number;
}

const byName = (a: string, b: string): number => a.localeCompare(b, undefined, { sensitivity: 'base' });

/** Accounts by name, each with its feeds grouped by folder. */
export function accountTree(accounts: readonly AccountInfo[], feeds: readonly FeedInfo[]): AccountNode[] {
  return [...accounts]
    .sort((a, b) => byName(a.name, b.name))
    .map((account) => {
      const own = feeds.filter((f) => f.account_id === account.id).sort((a, b) => byName(a.title || a.url, b.title || b.url));
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local, never rendered
      const byFolder = new Map<string, FeedInfo[]>();
      const loose: FeedInfo[] = [];
      for (const f of own) {
        if (f.folder === null) loose.push(f);
        else byFolder.set(f.folder, [...(byFolder.get(f.folder) ?? []), f]);
      }
      const groups: AccountGroup[] = [...byFolder.keys()].sort(byName).map((folder) => ({ folder, feeds: byFolder.get(folder) ?? [] }));
      if (loose.length > 0) groups.push({ folder: null, feeds: loose });
      return { account, groups, feeds: own.length };
    });
}

/** An account's sync state in words, and how to show it. */
export interface SyncState {
  text: string;
  tone: 'ok' | 'busy' | 'error' | 'never';
}

const MINUTE = 60_000;

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function ago(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms) || ms < MINUTE) return 'just now';
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${plural(hours, 'hour')} ago`;
  return `${plural(Math.floor(hours / 24), 'day')} ago`;
}

export function syncState(a: AccountInfo, syncing: boolean, now: number = Date.now()): SyncState {
  const waiting = a.pending > 0 ? ` ${plural(a.pending, 'change')} waiting to be sent.` : '';
  if (syncing) return { text: 'Syncing…', tone: 'busy' };
  if (a.error_count > 0) {
    const why = a.last_error ?? 'the server did not answer as expected.';
    return { text: `The last sync failed: ${why}${waiting}`, tone: 'error' };
  }
  if (a.last_synced === null) return { text: `Not synced yet.${waiting}`, tone: 'never' };
  return { text: `Synced ${ago(a.last_synced, now)}.${waiting}`, tone: 'ok' };
}

// ---- The Add account dialog (pure) ------------------------------------------------------

export interface AccountForm {
  kind: AccountKind;
  url: string;
  user: string;
  secret: string;
  name: string;
}

/** What is missing or wrong in the form, in words; null when it can be sent. */
export function checkForm(form: AccountForm): string | null {
  const url = form.url.trim();
  if (url === '') return `Type the address of the server’s ${KIND_LABEL[form.kind]}.`;
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return `${quoted(url)} is not a web address: it starts with https:// (or http://).`;
  if (form.user.trim() === '') return form.kind === 'fever' ? 'Type the user name or email you sign in to the server with.' : 'Type the user name you sign in to the server with.';
  if (form.secret === '') return 'Type the password (or the API password the server gave you).';
  return null;
}

/** The form as the backend takes it: trimmed, an empty name left to the backend. */
export function newAccount(form: AccountForm): api.NewAccountArgs {
  const name = form.name.trim();
  return { kind: form.kind, url: form.url.trim(), username: form.user.trim(), name: name === '' ? null : name, secret: form.secret };
}

/**
 * The backend's refusal, told so that the user knows what to change: the
 * password, the address, or the network.
 */
export function explainAddError(kind: AccountKind, e: api.ApiError): string {
  switch (e.kind) {
    case 'network':
      return `Gloss could not reach the server: ${e.message} Check the address and that the server is running.`;
    case 'unsupported':
    case 'not_found':
      return `That address does not answer as a ${KIND_LABEL[kind]} server: ${e.message} ${KIND_HINT[kind]}.`;
    case 'invalid_input':
      return `The server refused to sign in: ${e.message}`;
    default:
      return e.message;
  }
}

// ---- Removing (pure) ----------------------------------------------------------------------

/** What removing an account does, said before it is done. */
export function removalWarning(a: AccountInfo): string {
  const parts = [
    `Gloss stops syncing ${quoted(a.name)} and removes its ${plural(a.feeds, 'feed')} and their stories.`,
    'Starred, tagged and annotated stories stay in the library as saved stories.',
    'Nothing changes on the server.',
  ];
  if (a.pending > 0) parts.push(`${plural(a.pending, 'change')} not yet sent to the server will not be sent.`);
  return parts.join(' ');
}

/** What a sync did, in words, for a toast. */
export function syncSummary(results: readonly AccountSyncResult[], names: (id: number) => string): string {
  const added = results.reduce((n, r) => n + r.new_stories, 0);
  const failed = results.filter((r) => r.error !== null);
  const parts = [added === 0 ? 'No new stories from your accounts' : `${plural(added, 'new story', 'new stories')} from your accounts`];
  for (const r of failed) parts.push(`${names(r.id)} could not be synced: ${r.error ?? ''}`);
  return `${parts.join('; ')}.`;
}

// ---- State -----------------------------------------------------------------------------

export class Accounts {
  accounts = $state.raw<AccountInfo[]>([]);
  error = $state<api.ApiError | null>(null);
  loaded = $state(false);
  /** Ids of the accounts being synced now. */
  syncing = $state.raw<number[]>([]);
  /** The account the account dialog renames or removes. */
  target = $state<number | null>(null);

  private loadSeq = 0;

  constructor(
    private readonly toast: (message: string) => void,
    /** Reloads the feeds (account feeds come and go with a sync). */
    private readonly feedsChanged: () => Promise<void>,
  ) {}

  account(id: number): AccountInfo | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  name(id: number): string {
    return this.account(id)?.name ?? 'An account';
  }

  isSyncing(id: number): boolean {
    return this.syncing.includes(id);
  }

  async load(): Promise<void> {
    const seq = ++this.loadSeq;
    try {
      const accounts = await api.listAccounts();
      if (seq !== this.loadSeq) return;
      this.accounts = accounts;
      this.error = null;
    } catch (e) {
      if (seq === this.loadSeq) this.error = api.toApiError(e);
    } finally {
      if (seq === this.loadSeq) this.loaded = true;
    }
  }

  /** One account's sync ended (the `accounts-progress` event). */
  onProgress(r: AccountSyncResult): void {
    this.syncing = this.syncing.filter((id) => id !== r.id);
  }

  /** Adds an account (the backend signs in first); rejects with its error for the dialog. */
  async add(form: AccountForm): Promise<AccountInfo> {
    const account = await api.addAccount(newAccount(form));
    await Promise.all([this.load(), this.feedsChanged()]);
    return account;
  }

  /** Renames; resolves with the error for the dialog, or null when done. */
  async rename(id: number, name: string): Promise<api.ApiError | null> {
    const clean = name.trim();
    if (clean === '') return new api.ApiError('invalid_input', 'An account needs a name.');
    if (clean === this.account(id)?.name) return null;
    try {
      await api.renameAccount(id, clean);
      await this.load();
      return null;
    } catch (e) {
      return api.toApiError(e);
    }
  }

  async remove(id: number): Promise<boolean> {
    const name = this.name(id);
    try {
      const deleted = await api.removeAccount(id);
      await Promise.all([this.load(), this.feedsChanged()]);
      this.toast(`Removed ${quoted(name)}; ${plural(deleted, 'story', 'stories')} deleted, starred, tagged and annotated ones kept.`);
      return true;
    } catch (e) {
      this.toast(api.toApiError(e).message);
      return false;
    }
  }

  /**
   * Syncs `ids` (all when empty). Quiet (the schedule): a toast only when
   * something new came or an account failed. An account already syncing is
   * not started twice. Named accounts sync whatever their backoff (a person
   * asked); all of them (the schedule, "Sync all") honour it.
   */
  async sync(ids: number[] = [], { quiet = false } = {}): Promise<AccountSyncResult[] | null> {
    if (!this.loaded) await this.load();
    const wanted = (ids.length > 0 ? ids : this.accounts.map((a) => a.id)).filter((id) => !this.isSyncing(id));
    if (wanted.length === 0) {
      if (!quiet && this.accounts.length > 0) this.toast('A sync is already under way.');
      return null;
    }
    this.syncing = [...this.syncing, ...wanted];
    // "All" goes as none named, so that the backend leaves out the accounts
    // that back off after errors or that the server asked to wait.
    const all = ids.length === 0 && wanted.length === this.accounts.length;
    try {
      const results = await api.syncAccounts(all ? [] : wanted);
      const added = results.reduce((n, r) => n + r.new_stories, 0);
      const failed = results.some((r) => r.error !== null);
      if (!quiet || added > 0 || failed) this.toast(syncSummary(results, (id) => this.name(id)));
      return results;
    } catch (e) {
      this.toast(`Could not sync: ${api.toApiError(e).message}`);
      return null;
    } finally {
      this.syncing = this.syncing.filter((id) => !wanted.includes(id));
      await Promise.all([this.load(), this.feedsChanged()]);
    }
  }
}
