import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { AccountInfo } from '../bindings/AccountInfo';
import type { AccountSyncResult } from '../bindings/AccountSyncResult';
import type { FeedInfo } from '../bindings/FeedInfo';
import type { FolderInfo } from '../bindings/FolderInfo';
import { ApiError } from '../api';
import {
  Accounts,
  accountTree,
  ago,
  checkForm,
  explainAddError,
  managesSubscriptions,
  newAccount,
  removalWarning,
  syncState,
  syncSummary,
  type AccountForm,
} from './accounts.svelte';
import { Feeds, feedTree } from './feeds.svelte';

function account(id: number, name: string, over: Partial<AccountInfo> = {}): AccountInfo {
  return {
    id,
    kind: 'fever',
    name,
    url: `https://rss${id}.example/api/fever.php`,
    username: 'reader',
    created_at: '2026-12-01T08:00:00Z',
    last_synced: null,
    next_sync: null,
    error_count: 0,
    last_error: null,
    feeds: 0,
    unread: 0,
    pending: 0,
    manages_subscriptions: false,
    ...over,
  };
}

function feed(id: number, title: string, accountId: number | null, folder: string | null = null, folderId: number | null = null): FeedInfo {
  return {
    id,
    url: `https://e.com/${id}.xml`,
    title,
    site_url: null,
    folder_id: folderId,
    folder,
    icon: null,
    full_text: false,
    retention_days: null,
    unread: 0,
    stories: 0,
    created_at: '2024-01-01T00:00:00Z',
    last_checked: null,
    next_check: null,
    error_count: 0,
    last_error: null,
    warning: null,
    account_id: accountId,
  };
}

const result = (id: number, over: Partial<AccountSyncResult> = {}): AccountSyncResult => ({
  id,
  name: `A${id}`,
  pushed: 0,
  pulled: 0,
  new_stories: 0,
  updated: 0,
  took_ms: 10,
  error: null,
  skipped_until: null,
  ...over,
});

describe('the sidebar', () => {
  test('each account by name holds its own feeds, by folder and then loose, each by title', () => {
    const accounts = [account(2, 'Miniflux at home'), account(1, 'freshrss')];
    const feeds = [
      feed(10, 'Local paper', null),
      feed(11, 'zeta', 1, 'Tech'),
      feed(12, 'Alpha', 1, 'Tech'),
      feed(13, 'beta', 1, 'News'),
      feed(14, 'Loose one', 1),
      feed(15, 'Only feed', 2),
    ];
    const tree = accountTree(accounts, feeds);
    expect(tree.map((n) => n.account.name)).toEqual(['freshrss', 'Miniflux at home']);
    expect(tree[0]?.groups.map((g) => [g.folder, g.feeds.map((f) => f.title)])).toEqual([
      ['News', ['beta']],
      ['Tech', ['Alpha', 'zeta']],
      [null, ['Loose one']],
    ]);
    expect(tree[0]?.feeds).toBe(4);
    expect(tree[1]?.groups).toEqual([{ folder: null, feeds: [feeds[5]] }]);
  });

  test('the local Feeds section leaves out account feeds and folders that only hold them', () => {
    const folders: FolderInfo[] = [
      { id: 1, name: 'Mine', feeds: 1, unread: 0 },
      { id: 2, name: 'Server only', feeds: 1, unread: 0 },
      { id: 3, name: 'Empty', feeds: 0, unread: 0 },
    ];
    const t = feedTree([feed(10, 'a', null, 'Mine', 1), feed(11, 'b', 7, 'Server only', 2), feed(12, 'c', 7)], folders);
    expect(t.folders.map((n) => n.folder.name)).toEqual(['Empty', 'Mine']);
    expect(t.loose).toEqual([]);
  });

  test('at real size: 3 accounts and 3,000 feeds, every feed under its own account once', () => {
    const accounts = [account(1, 'One'), account(2, 'Two'), account(3, 'Three')];
    const feeds = Array.from({ length: 3000 }, (_, i) => feed(i + 1, `Feed ${i}`, i % 4 === 0 ? null : (i % 3) + 1, i % 5 === 0 ? null : `Folder ${i % 7}`));
    const tree = accountTree(accounts, feeds);
    const placed = tree.flatMap((n) => n.groups.flatMap((g) => g.feeds.map((f) => [n.account.id, f.id, f.account_id])));
    expect(placed.length).toBe(feeds.filter((f) => f.account_id !== null).length);
    expect(new Set(placed.map(([, id]) => id)).size).toBe(placed.length);
    for (const [owner, , accountId] of placed) expect(owner).toBe(accountId);
    for (const n of tree) expect(n.groups.length).toBeLessThanOrEqual(8);
  });
});

describe('sync state in words', () => {
  const now = Date.parse('2026-12-02T10:00:00Z');

  test('ago', () => {
    expect(ago('2026-12-02T09:59:30Z', now)).toBe('just now');
    expect(ago('2026-12-02T09:55:00Z', now)).toBe('5 minutes ago');
    expect(ago('2026-12-02T09:00:00Z', now)).toBe('1 hour ago');
    expect(ago('2026-11-29T10:00:00Z', now)).toBe('3 days ago');
    expect(ago('not a time', now)).toBe('just now');
  });

  test('syncing, never synced, synced, failed, with changes waiting', () => {
    expect(syncState(account(1, 'A'), true, now)).toEqual({ text: 'Syncing…', tone: 'busy' });
    expect(syncState(account(1, 'A'), false, now)).toEqual({ text: 'Not synced yet.', tone: 'never' });
    expect(syncState(account(1, 'A', { last_synced: '2026-12-02T09:50:00Z' }), false, now)).toEqual({ text: 'Synced 10 minutes ago.', tone: 'ok' });
    expect(
      syncState(account(1, 'A', { last_synced: '2026-12-02T09:50:00Z', error_count: 2, last_error: 'the server refused the password; check it in the account’s settings', pending: 1200 }), false, now),
    ).toEqual({
      text: 'The last sync failed: the server refused the password; check it in the account’s settings 1,200 changes waiting to be sent.',
      tone: 'error',
    });
    expect(syncState(account(1, 'A', { last_synced: '2026-12-02T09:59:59Z', pending: 1 }), false, now).text).toBe('Synced just now. 1 change waiting to be sent.');
  });
});

describe('the Add account form', () => {
  const form = (over: Partial<AccountForm> = {}): AccountForm => ({ kind: 'fever', url: 'https://rss.example/api/fever.php', user: 'me@example.com', secret: 'correct horse', name: '', ...over });

  test('says what is missing or wrong, in order', () => {
    expect(checkForm(form())).toBeNull();
    expect(checkForm(form({ url: '  ' }))).toBe('Type the address of the server’s Fever API.');
    expect(checkForm(form({ url: 'rss.example' }))).toContain('is not a web address');
    expect(checkForm(form({ url: 'ftp://rss.example/' }))).toContain('is not a web address');
    expect(checkForm(form({ user: ' ' }))).toBe('Type the user name or email you sign in to the server with.');
    expect(checkForm(form({ kind: 'greader', user: '' }))).toBe('Type the user name you sign in to the server with.');
    expect(checkForm(form({ secret: '' }))).toBe('Type the password (or the API password the server gave you).');
  });

  test('sends trimmed fields, the password as typed, an empty name as none', () => {
    expect(newAccount(form({ url: ' https://a.example/fever/ ', user: ' me ', secret: ' pw ', name: '  ' }))).toEqual({
      kind: 'fever',
      url: 'https://a.example/fever/',
      username: 'me',
      name: null,
      secret: ' pw ',
    });
    expect(newAccount(form({ name: ' Home ' })).name).toBe('Home');
  });

  test('each refusal says what to change', () => {
    expect(explainAddError('fever', new ApiError('invalid_input', 'The server refused the user name or password.'))).toBe(
      'The server refused to sign in: The server refused the user name or password.',
    );
    const notFever = explainAddError('fever', new ApiError('unsupported', 'https://a.example/ does not answer as a Fever API.'));
    expect(notFever).toContain('does not answer as a Fever API server');
    expect(notFever).toContain('/api/fever.php');
    expect(explainAddError('greader', new ApiError('unsupported', 'x'))).toContain('/api/greader.php');
    expect(explainAddError('fever', new ApiError('network', 'connection refused.'))).toBe(
      'Gloss could not reach the server: connection refused. Check the address and that the server is running.',
    );
    expect(explainAddError('fever', new ApiError('database', 'disk full'))).toBe('disk full');
  });
});

describe('what the window offers', () => {
  test('subscriptions are changed from Gloss only where the core says the API can', () => {
    expect(managesSubscriptions(account(1, 'F'))).toBe(false);
    expect(managesSubscriptions(account(1, 'G', { kind: 'greader', manages_subscriptions: true }))).toBe(true);
  });

  test('removing says what goes, what stays and what is not sent', () => {
    expect(removalWarning(account(1, 'Home', { feeds: 12 }))).toBe(
      'Gloss stops syncing “\u2068Home\u2069” and removes its 12 feeds and their stories. Starred, tagged and annotated stories stay in the library as saved stories. Nothing changes on the server.',
    );
    expect(removalWarning(account(1, 'Home', { feeds: 1, pending: 3 }))).toContain('1 feed and their stories');
    expect(removalWarning(account(1, 'Home', { feeds: 1, pending: 3 }))).toContain('3 changes not yet sent to the server will not be sent.');
  });

  test('a sync summary names the accounts that failed', () => {
    const names = (id: number) => (id === 2 ? 'Work' : 'Home');
    expect(syncSummary([result(1), result(2)], names)).toBe('No new stories from your accounts.');
    expect(syncSummary([result(1, { new_stories: 1 })], names)).toBe('1 new story from your accounts.');
    expect(syncSummary([result(1, { new_stories: 20000 }), result(2, { error: 'the server did not answer within 30 seconds' })], names)).toBe(
      '20,000 new stories from your accounts; Work could not be synced: the server did not answer within 30 seconds.',
    );
  });
});

describe('Accounts', () => {
  let calls: [string, Record<string, unknown>][] = [];
  let accounts: AccountInfo[] = [];
  let finishSync: (() => void) | null = null;

  beforeEach(() => {
    calls = [];
    accounts = [account(1, 'Home', { feeds: 3 }), account(2, 'Work', { kind: 'greader', manages_subscriptions: true })];
    finishSync = null;
    mockIPC((cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push([cmd, a]);
      switch (cmd) {
        case 'list_accounts':
          return accounts;
        case 'add_account':
          if (a.secret === 'wrong') return Promise.reject({ kind: 'invalid_input', message: 'The server refused the user name or password.' });
          accounts = [...accounts, account(3, (a.name as string | null) ?? 'rss.example', { url: a.url as string })];
          return accounts[2];
        case 'rename_account':
          accounts = accounts.map((x) => (x.id === a.id ? { ...x, name: a.name as string } : x));
          return null;
        case 'remove_account':
          accounts = accounts.filter((x) => x.id !== a.id);
          return 41;
        case 'sync_accounts': {
          const asked = a.ids as number[];
          const ids = asked.length > 0 ? asked : accounts.map((x) => x.id);
          return new Promise((resolve) => {
            finishSync = () => resolve(ids.map((id) => result(id, { new_stories: id === 1 ? 5 : 0, error: id === 2 ? 'the server refused the password' : null })));
          });
        }
        default:
          return null;
      }
    });
  });

  afterEach(() => clearMocks());

  const sent = (cmd: string) => calls.filter(([c]) => c === cmd).map(([, a]) => a);

  test('adds an account (the password goes with the call, nowhere else) and reloads the feeds', async () => {
    const toasts: string[] = [];
    const feedsChanged = vi.fn(() => Promise.resolve());
    const acc = new Accounts((m) => toasts.push(m), feedsChanged);
    const added = await acc.add({ kind: 'fever', url: 'https://rss.example/fever/', user: 'me', secret: 'a long password', name: 'Mine' });
    expect(added.name).toBe('Mine');
    expect(sent('add_account')).toEqual([{ kind: 'fever', url: 'https://rss.example/fever/', username: 'me', name: 'Mine', secret: 'a long password' }]);
    expect(acc.accounts.map((a) => a.name)).toEqual(['Home', 'Work', 'Mine']);
    expect(feedsChanged).toHaveBeenCalled();
    expect(JSON.stringify(acc.accounts)).not.toContain('a long password');
  });

  test('a refused login rejects with the backend’s error for the dialog', async () => {
    const acc = new Accounts(() => {}, () => Promise.resolve());
    await expect(acc.add({ kind: 'fever', url: 'https://rss.example/', user: 'me', secret: 'wrong', name: '' })).rejects.toMatchObject({ kind: 'invalid_input' });
  });

  test('renames (an empty name refused here) and removes', async () => {
    const toasts: string[] = [];
    const acc = new Accounts((m) => toasts.push(m), () => Promise.resolve());
    await acc.load();
    expect((await acc.rename(1, '  '))?.message).toBe('An account needs a name.');
    expect(await acc.rename(1, 'Home')).toBeNull();
    expect(sent('rename_account')).toEqual([]);
    expect(await acc.rename(1, ' Kitchen ')).toBeNull();
    expect(sent('rename_account')).toEqual([{ id: 1, name: 'Kitchen' }]);
    expect(await acc.remove(1)).toBe(true);
    expect(acc.accounts.map((a) => a.id)).toEqual([2]);
    expect(toasts).toEqual(['Removed “\u2068Kitchen\u2069”; 41 stories deleted, starred, tagged and annotated ones kept.']);
  });

  test('syncs all accounts in one call, shows each as syncing until it ends, and never starts one twice', async () => {
    const toasts: string[] = [];
    const acc = new Accounts((m) => toasts.push(m), () => Promise.resolve());
    await acc.load();
    const first = acc.sync([], { quiet: true });
    await vi.waitFor(() => expect(sent('sync_accounts')).toEqual([{ ids: [] }]));
    expect(acc.isSyncing(1) && acc.isSyncing(2)).toBe(true);
    // The event of one account's end clears it before the call returns.
    acc.onProgress(result(1));
    expect(acc.isSyncing(1)).toBe(false);
    expect(acc.isSyncing(2)).toBe(true);
    // A second sync asked for meanwhile leaves out the one under way.
    expect(await acc.sync([2])).toBeNull();
    expect(toasts).toEqual(['A sync is already under way.']);
    finishSync?.();
    const results = await first;
    expect(results?.map((r) => r.id)).toEqual([1, 2]);
    expect(acc.syncing).toEqual([]);
    // Quiet, but something came and something failed: the toast says both.
    expect(toasts[1]).toBe('5 new stories from your accounts; Work could not be synced: the server refused the password.');
  });

  test('no accounts: the schedule asks nothing of the backend', async () => {
    accounts = [];
    const acc = new Accounts(() => {}, () => Promise.resolve());
    expect(await acc.sync([], { quiet: true })).toBeNull();
    expect(sent('sync_accounts')).toEqual([]);
  });
});

describe('the refresh schedule syncs the accounts beside the local feeds', () => {
  afterEach(() => clearMocks());

  test('refreshAll refreshes only local feeds and runs the accounts’ sync', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'list_feeds') return [feed(1, 'Local', null), feed(2, 'On the server', 9)];
      if (cmd === 'list_folders') return [];
      if (cmd === 'refresh_feeds') return [];
      return null;
    });
    const alsoRun = vi.fn(() => Promise.resolve());
    const feeds = new Feeds(() => {}, alsoRun);
    await feeds.load();
    expect(feeds.local.map((f) => f.id)).toEqual([1]);
    await feeds.refreshAll({ quiet: true });
    expect(alsoRun).toHaveBeenCalledWith(true);
    expect(calls.filter(([c]) => c === 'refresh_feeds')).toHaveLength(1);
    expect(feeds.progress.total).toBe(1);
  });

  test('with only account feeds, no local refresh is asked for', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'list_feeds') return [feed(2, 'On the server', 9)];
      if (cmd === 'list_folders') return [];
      return null;
    });
    const alsoRun = vi.fn(() => Promise.resolve());
    const feeds = new Feeds(() => {}, alsoRun);
    await feeds.refreshAll();
    expect(calls).not.toContain('refresh_feeds');
    expect(alsoRun).toHaveBeenCalledWith(false);
  });
});
