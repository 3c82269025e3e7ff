//! Feed accounts: the feeds, items and read/starred states of a feed server
//! the user already has (FreshRSS, Miniflux, Inoreader, Coldsweat, …),
//! kept in step with Gloss through the **Fever** API or the **Google
//! Reader** API. docs/feeds.md says what syncs and what does not.
//!
//! - [`api`]: the one shape both APIs are used through (log in, list
//!   subscriptions, pull items and id sets, send state in batches).
//! - [`fever`], [`greader`]: the two clients and their dialects.
//! - `sync`: push the pending queue, pull, reconcile (a pending change made
//!   in Gloss always wins).
//! - here: adding, syncing, renaming and removing accounts, and the
//!   subscription changes Google Reader servers allow.
//!
//! All SQL is in `library/accounts.rs`. Passwords are in the system keyring
//! (`secrets`, key `account:<id>`), never in the library. The library is
//! reached only around each step, never across the network.

pub mod api;
pub mod fever;
pub mod greader;
mod sync;

use std::time::Instant;

use url::Url;

use self::api::{AccountApi, ManagesSubscriptions};
use self::fever::Fever;
use self::greader::GReader;
use crate::feeds::politeness::backoff;
use crate::feeds::RefreshOptions;
use crate::fetch::Fetcher;
use crate::library::{AccountSyncOutcome, AccountSyncState, LibraryAccess, NewAccountRow};
use crate::model::{AccountInfo, AccountKind, AccountSyncResult, FeedInfo};
use crate::text::one_line;
use crate::{secrets, urls, Error, Library, Result};

/// An account to add.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub kind: AccountKind,
    /// The API's address (FreshRSS: `…/api/greader.php` or `…/api/fever.php`).
    pub url: String,
    pub username: String,
    /// Shown in the sidebar; the server's host name when none is given.
    pub name: Option<String>,
}

/// A new name for an account's password in the keyring: unique to this
/// account of this library (two libraries both have an account 1).
fn new_secret_key(new: &NewAccount) -> String {
    use sha2::{Digest, Sha256};
    let seed = format!(
        "{}|{}|{}|{:?}|{:?}",
        new.url,
        new.username,
        std::process::id(),
        std::thread::current().id(),
        std::time::SystemTime::now()
    );
    format!(
        "account:{}",
        &hex::encode(Sha256::digest(seed.as_bytes()))[..24]
    )
}

/// Adds an account after its server accepted the user name and password
/// (a wrong one adds nothing). The password goes to the system keyring.
/// The account's feeds and items come with its first sync.
pub async fn add_account(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    new: &NewAccount,
    password: &str,
) -> Result<AccountInfo> {
    let url = urls::parse_web_url(&new.url)?;
    if new.username.trim().is_empty() {
        return Err(Error::InvalidInput(
            "an account needs the user name (or email) it has on the server".into(),
        ));
    }
    if password.is_empty() {
        return Err(Error::InvalidInput(
            "an account needs its password (or API password)".into(),
        ));
    }
    match new.kind {
        AccountKind::Fever => {
            Fever::new(fetcher, &url, &new.username, password)
                .login()
                .await?
        }
        AccountKind::Greader => {
            GReader::new(fetcher, &url, &new.username, password)
                .login()
                .await?
        }
    }
    let name = new
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| url.host_str().unwrap_or("Feed account").to_string());
    let row = NewAccountRow {
        kind: new.kind,
        name,
        url: url.to_string(),
        username: new.username.trim().to_string(),
        secret_key: new_secret_key(new),
    };
    // The password first: an account without it could never sync.
    secrets::store(&row.secret_key, password)?;
    match lib.with(|l| l.add_account(&row)) {
        Ok(info) => Ok(info),
        Err(e) => {
            let _ = secrets::forget(&row.secret_key);
            Err(e)
        }
    }
}

/// Renames an account (in Gloss only).
pub fn rename_account(lib: &mut Library, id: i64, name: &str) -> Result<AccountInfo> {
    lib.rename_account(id, name)
}

/// Removes an account with its feeds and their stories (starred, tagged
/// and annotated ones stay as saved stories) and forgets its password.
/// Returns how many stories were deleted.
pub fn remove_account(lib: &mut Library, id: i64) -> Result<u32> {
    let key = lib.account_sync_state(id)?.secret_key;
    let deleted = lib.remove_account(id)?;
    secrets::forget(&key)?;
    Ok(deleted)
}

/// The account's API address (checked when it was added).
fn account_url(state: &AccountSyncState) -> Result<Url> {
    Url::parse(&state.url)
        .map_err(|e| Error::InvalidInput(format!("{} is not an address: {e}", state.url)))
}

fn password(state: &AccountSyncState) -> Result<String> {
    secrets::load(&state.secret_key)?.ok_or_else(|| {
        Error::InvalidInput(format!(
            "the password of feed account {} is not in the system keyring any more; remove \
             the account and add it again",
            state.id
        ))
    })
}

/// Syncs one account (see `sync`): whatever the server's state or its
/// `Retry-After` (asking for one account by id is a person asking; the
/// wait is honoured by [`sync_accounts`]). A failure of the server is
/// `Ok` with `error` set, and recorded for `gloss accounts list`; `Err` is
/// an unknown id or a library failure.
pub async fn sync_account(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    id: i64,
    options: &RefreshOptions,
) -> Result<AccountSyncResult> {
    let state = lib.with(|l| l.account_sync_state(id))?;
    let started = Instant::now();
    let (outcome, retry_after) = match password(&state) {
        Err(e) => (Err(e), None),
        Ok(password) => {
            let url = account_url(&state)?;
            match state.kind {
                AccountKind::Fever => {
                    let mut api = Fever::new(fetcher, &url, &state.username, &password);
                    let outcome = sync::run(lib, fetcher, &mut api, id, options).await;
                    (outcome, api.retry_after())
                }
                AccountKind::Greader => {
                    let mut api = GReader::new(fetcher, &url, &state.username, &password);
                    let outcome = sync::run(lib, fetcher, &mut api, id, options).await;
                    (outcome, api.retry_after())
                }
            }
        }
    };
    let now = chrono::Utc::now().timestamp_millis();
    let (counts, error) = match outcome {
        Ok(counts) => (counts, None),
        // A library failure is not the server's: it ends the command.
        Err(e @ (Error::Database { .. } | Error::Damaged(_))) => return Err(e),
        Err(e) => (sync::Counts::default(), Some(one_line(&e.to_string()))),
    };
    let record = AccountSyncOutcome {
        error: error.clone(),
        retry_after: retry_after.map(|d| now + d.as_millis() as i64),
        backoff_until: error
            .as_ref()
            .map(|_| now + backoff(state.error_count + 1).as_millis() as i64),
    };
    lib.with(|l| l.record_account_sync(id, &record))?;
    Ok(AccountSyncResult {
        id,
        name: state.name,
        pushed: counts.pushed,
        pulled: counts.pulled,
        new_stories: counts.new_stories,
        updated: counts.updated,
        took_ms: started.elapsed().as_millis() as u64,
        error,
        skipped_until: None,
    })
}

/// Syncs the accounts `ids`, or all of them when empty; then an account
/// that failed lately waits its backoff, and one the server asked to wait
/// (`Retry-After`) is left until then either way.
pub async fn sync_accounts(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    ids: &[i64],
    options: &RefreshOptions,
) -> Result<Vec<AccountSyncResult>> {
    let explicit = !ids.is_empty();
    let ids: Vec<i64> = if explicit {
        ids.to_vec()
    } else {
        lib.with(|l| l.accounts())?.iter().map(|a| a.id).collect()
    };
    let mut results = Vec::with_capacity(ids.len());
    for id in ids {
        let state: AccountSyncState = lib.with(|l| l.account_sync_state(id))?;
        let now = chrono::Utc::now().timestamp_millis();
        let mut until = state.retry_after.unwrap_or(0);
        if !explicit {
            until = until.max(state.backoff_until.unwrap_or(0));
        }
        if until > now {
            results.push(AccountSyncResult {
                id,
                name: state.name,
                pushed: 0,
                pulled: 0,
                new_stories: 0,
                updated: 0,
                took_ms: 0,
                error: None,
                skipped_until: Some(
                    chrono::DateTime::from_timestamp_millis(until)
                        .unwrap_or_default()
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                ),
            });
            continue;
        }
        results.push(sync_account(lib, fetcher, id, options).await?);
    }
    Ok(results)
}

/// A Google Reader client for a feed's account, or the "not supported by
/// Fever" error.
fn manager(fetcher: &Fetcher, state: &AccountSyncState) -> Result<GReader> {
    if !state.kind.manages_subscriptions() {
        return Err(Error::Unsupported(format!(
            "changing subscriptions is not supported by Fever (account {} reads them only); \
             change them on the server, and the next sync brings them to Gloss",
            state.id
        )));
    }
    let url = account_url(state)?;
    Ok(GReader::new(
        fetcher,
        &url,
        &state.username,
        &password(state)?,
    ))
}

/// The account and server id of an account's feed, or a clear error for a local one.
fn account_feed(lib: &mut impl LibraryAccess, feed: i64) -> Result<(AccountSyncState, String)> {
    let (account, remote) = lib.with(|l| l.feed_account(feed))?.ok_or_else(|| {
        Error::InvalidInput(format!(
            "feed {feed} is not a feed account's; `gloss feeds` manages it"
        ))
    })?;
    Ok((lib.with(|l| l.account_sync_state(account))?, remote))
}

/// Brings the server's subscription list into the library after a change.
async fn reload_subscriptions(
    lib: &mut (impl LibraryAccess + Send),
    api: &mut GReader,
    account: i64,
) -> Result<()> {
    let feeds = api.subscriptions().await?;
    lib.with(|l| l.apply_account_subscriptions(account, &feeds))
}

/// Subscribes to the feed at `url` on a Google Reader account's server (in
/// `folder`); its items come with the next sync.
pub async fn subscribe(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    account: i64,
    url: &str,
    folder: Option<&str>,
) -> Result<FeedInfo> {
    let state = lib.with(|l| l.account_sync_state(account))?;
    let mut api = manager(fetcher, &state)?;
    let url = urls::parse_web_url(url)?.to_string();
    let remote = api.subscribe(&url, folder).await?;
    reload_subscriptions(lib, &mut api, account).await?;
    let feed = lib
        .with(|l| l.account_feeds(account))?
        .into_iter()
        .find(|f| f.remote_id == remote)
        .ok_or_else(|| {
            Error::Network(format!(
                "the server does not list {url} after subscribing; try again"
            ))
        })?;
    lib.with(|l| l.feed(feed.id))
}

/// Unsubscribes from an account's feed on its server (its stories go as
/// a removed feed's do: kept ones stay).
pub async fn unsubscribe(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    feed: i64,
) -> Result<()> {
    let (state, remote) = account_feed(lib, feed)?;
    let mut api = manager(fetcher, &state)?;
    api.unsubscribe(&remote).await?;
    reload_subscriptions(lib, &mut api, state.id).await
}

/// Renames an account's feed on its server.
pub async fn rename_feed(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    feed: i64,
    title: &str,
) -> Result<FeedInfo> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::InvalidInput("a feed's title cannot be empty".into()));
    }
    let (state, remote) = account_feed(lib, feed)?;
    let mut api = manager(fetcher, &state)?;
    api.rename_feed(&remote, title).await?;
    reload_subscriptions(lib, &mut api, state.id).await?;
    lib.with(|l| l.feed(feed))
}

/// Moves an account's feed to the folder `folder` (none: out of folders)
/// on its server.
pub async fn move_feed(
    lib: &mut (impl LibraryAccess + Send),
    fetcher: &Fetcher,
    feed: i64,
    folder: Option<&str>,
) -> Result<FeedInfo> {
    let (state, remote) = account_feed(lib, feed)?;
    let mut api = manager(fetcher, &state)?;
    let from = lib.with(|l| l.feed(feed))?.folder;
    let to = folder.map(str::trim).filter(|f| !f.is_empty());
    api.move_feed(&remote, from.as_deref(), to).await?;
    reload_subscriptions(lib, &mut api, state.id).await?;
    lib.with(|l| l.feed(feed))
}
