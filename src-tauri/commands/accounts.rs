//! Feed accounts (Fever, Google Reader API) from the window: list, add
//! (signing in first), rename, remove, sync, and a Google Reader account's
//! subscriptions. Each is one call into `gloss_core::accounts`; the password
//! goes from the dialog to the core, which keeps it in the OS keyring.

use gloss_core::accounts::{self, NewAccount};
use gloss_core::model::{AccountInfo, AccountKind, AccountSyncResult, FeedInfo};
use tauri::{AppHandle, Runtime, State};

use super::CommandResult;
use crate::services;
use crate::state::{blocking, Shared, WriterAccess};

#[tauri::command]
pub async fn list_accounts(state: State<'_, Shared>) -> CommandResult<Vec<AccountInfo>> {
    Ok(blocking(&state, |s| s.reader().accounts()).await?)
}

/// Signs in to the server and keeps the account; a refused password, an
/// address that is not the API or a server that cannot be reached adds
/// nothing and says which. The first sync is the window's next call.
#[tauri::command]
pub async fn add_account(
    state: State<'_, Shared>,
    kind: AccountKind,
    url: String,
    username: String,
    name: Option<String>,
    secret: String,
) -> CommandResult<AccountInfo> {
    let new = NewAccount {
        kind,
        url,
        username,
        name,
    };
    let account =
        accounts::add_account(&mut WriterAccess(&state), &state.fetcher, &new, &secret).await?;
    Ok(account)
}

#[tauri::command]
pub async fn rename_account(state: State<'_, Shared>, id: i64, name: String) -> CommandResult<()> {
    blocking(&state, move |s| {
        accounts::rename_account(&mut s.writer(), id, &name).map(drop)
    })
    .await?;
    Ok(())
}

/// Removes an account, its feeds and their stories but the starred, tagged
/// and annotated ones; returns how many stories were deleted.
#[tauri::command]
pub async fn remove_account(state: State<'_, Shared>, id: i64) -> CommandResult<u32> {
    Ok(blocking(&state, move |s| {
        accounts::remove_account(&mut s.writer(), id)
    })
    .await?)
}

/// Syncs the accounts `ids` (all when empty); each account's end is also an
/// `accounts-progress` event. A server that fails is a result with an
/// error, not a failed call.
#[tauri::command]
pub async fn sync_accounts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    ids: Vec<i64>,
) -> CommandResult<Vec<AccountSyncResult>> {
    Ok(services::accounts::sync(&app, &state, &ids).await?)
}

/// Follows a feed on a Google Reader API account (Fever cannot).
#[tauri::command]
pub async fn account_subscribe(
    state: State<'_, Shared>,
    account_id: i64,
    url: String,
    folder: Option<String>,
) -> CommandResult<FeedInfo> {
    let feed = accounts::subscribe(
        &mut WriterAccess(&state),
        &state.fetcher,
        account_id,
        &url,
        folder.as_deref(),
    )
    .await?;
    Ok(feed)
}

/// Stops following an account's feed, on the server.
#[tauri::command]
pub async fn account_unsubscribe(state: State<'_, Shared>, feed_id: i64) -> CommandResult<()> {
    accounts::unsubscribe(&mut WriterAccess(&state), &state.fetcher, feed_id).await?;
    Ok(())
}

/// Renames an account's feed and/or moves it to `folder` ("": no folder),
/// on the server.
#[tauri::command]
pub async fn account_edit_feed(
    state: State<'_, Shared>,
    feed_id: i64,
    title: Option<String>,
    folder: Option<String>,
) -> CommandResult<Option<FeedInfo>> {
    let mut feed = None;
    if let Some(title) = title {
        feed = Some(
            accounts::rename_feed(&mut WriterAccess(&state), &state.fetcher, feed_id, &title)
                .await?,
        );
    }
    if let Some(folder) = folder {
        let folder = Some(folder.trim()).filter(|f| !f.is_empty());
        feed = Some(
            accounts::move_feed(&mut WriterAccess(&state), &state.fetcher, feed_id, folder).await?,
        );
    }
    Ok(feed)
}
