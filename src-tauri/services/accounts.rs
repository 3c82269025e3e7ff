//! Feed accounts' syncs, for the window's "Sync" buttons and its refresh
//! schedule: one sync of the accounts at a time, each account's end told to
//! the window as it happens (`accounts-progress`), the stories it brought
//! told by the library's change door (`library-changed`).
//!
//! The network work runs on the async runtime and the library work on the
//! blocking pool ([`WriterAccess`]), never on the UI thread.

use gloss_core::accounts;
use gloss_core::feeds::RefreshOptions;
use gloss_core::model::AccountSyncResult;
use gloss_core::Result;
use tauri::{Emitter, Runtime};

use crate::events;
use crate::state::{Shared, WriterAccess};

/// Syncs the accounts `ids` (all when empty, leaving out those the server
/// asked to wait or that back off after errors). A second call waits for
/// the first, so an account is never synced twice at once.
pub async fn sync<R: Runtime>(
    app: &impl Emitter<R>,
    state: &Shared,
    ids: &[i64],
) -> Result<Vec<AccountSyncResult>> {
    let _one_at_a_time = state.syncing_accounts.lock().await;
    let results = accounts::sync_accounts(
        &mut WriterAccess(state),
        &state.fetcher,
        ids,
        &RefreshOptions::default(),
    )
    .await?;
    for r in &results {
        events::emit(app, r);
    }
    Ok(results)
}
