//! The Fever API (FreshRSS, Miniflux, Tiny Tiny RSS's plugin, Coldsweat).
//!
//! Every call is a POST to `<endpoint>?api&<command>` with the form field
//! `api_key = md5("<email>:<password>")`; an answer with `auth: 0` means
//! the key was refused. Items come 50 at a time by `since_id` (ascending
//! ids); specific ones by `with_ids`. Marking is one item per request
//! (`mark=item&as=read|unread|saved|unsaved&id=N`): the API has no batch,
//! so a sync sends them a few at a time in parallel, under the same
//! per-host limit as feed refreshes. Fever cannot change subscriptions.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use md5::{Digest, Md5};
use serde::Deserialize;
use tokio::sync::Semaphore;
use url::Url;

use super::api::{api_root, bad_answer, describe_failure, AccountApi, ItemPage, RemoteItem};
use crate::feeds::politeness::PER_HOST;
use crate::fetch::{ApiMethod, Fetcher};
use crate::library::{RemoteFeed, StateField};
use crate::{Error, Result};

/// Items per `with_ids` request (the API's maximum).
const MAX_WITH_IDS: usize = 50;

/// The Fever API key: md5 of `email:password`, in lower-case hex.
pub fn api_key(email: &str, password: &str) -> String {
    hex::encode(Md5::digest(format!("{email}:{password}").as_bytes()))
}

/// A Fever account's client.
#[derive(Debug, Clone)]
pub struct Fever {
    fetcher: Fetcher,
    endpoint: Url,
    api_key: String,
    /// The host, for messages.
    server: String,
    retry_after: Option<Duration>,
    requests: u32,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    auth: i64,
}

#[derive(Deserialize)]
struct Group {
    id: i64,
    title: String,
}

#[derive(Deserialize)]
struct FeedGroup {
    group_id: i64,
    feed_ids: String,
}

#[derive(Deserialize)]
struct Feed {
    id: i64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    site_url: Option<String>,
}

#[derive(Deserialize)]
struct Subscriptions {
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    feeds: Vec<Feed>,
    #[serde(default)]
    feeds_groups: Vec<FeedGroup>,
}

#[derive(Deserialize)]
struct Item {
    id: i64,
    feed_id: i64,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    created_on_time: Option<i64>,
}

#[derive(Deserialize)]
struct Items {
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Deserialize)]
struct UnreadIds {
    #[serde(default)]
    unread_item_ids: String,
}

#[derive(Deserialize)]
struct SavedIds {
    #[serde(default)]
    saved_item_ids: String,
}

impl Fever {
    /// A client for the Fever endpoint at `url` (e.g.
    /// `https://example.org/api/fever.php`).
    pub fn new(fetcher: &Fetcher, url: &Url, email: &str, password: &str) -> Self {
        Fever {
            fetcher: fetcher.clone(),
            server: url.host_str().unwrap_or("the Fever server").to_string(),
            endpoint: api_root(url),
            api_key: api_key(email, password),
            retry_after: None,
            requests: 0,
        }
    }

    /// One call: `query` after `api&`, `form` beside the API key.
    async fn call<T: for<'de> Deserialize<'de>>(
        &mut self,
        query: &str,
        form: &[(String, String)],
        what: &str,
    ) -> Result<T> {
        self.requests += 1;
        let body = call(&self.fetcher, &self.endpoint, &self.api_key, query, form)
            .await
            .map_err(|(e, retry)| {
                self.retry_after = retry;
                e
            })?;
        check_auth(&self.server, &body)?;
        serde_json::from_slice(&body).map_err(|e| bad_answer(&self.server, what, e))
    }
}

/// Sends one call; the error comes with the server's `Retry-After`.
async fn call(
    fetcher: &Fetcher,
    endpoint: &Url,
    key: &str,
    query: &str,
    form: &[(String, String)],
) -> std::result::Result<Vec<u8>, (Error, Option<Duration>)> {
    let mut url = endpoint.clone();
    url.set_query(Some(&format!("api&{query}")));
    let mut fields = vec![("api_key".to_string(), key.to_string())];
    fields.extend_from_slice(form);
    let server = endpoint.host_str().unwrap_or("the Fever server");
    fetcher
        .call_api(ApiMethod::Post, &url, &[], &fields)
        .await
        .map_err(|failed| {
            let retry = failed.retry_after;
            (describe_failure(server, failed), retry)
        })
}

fn check_auth(server: &str, body: &[u8]) -> Result<()> {
    let envelope: Envelope =
        serde_json::from_slice(body).map_err(|e| bad_answer(server, "a Fever call", e))?;
    if envelope.auth != 1 {
        return Err(Error::InvalidInput(format!(
            "{server} refused the email and password (Fever API key); check them (the Fever API \
             may also need to be switched on for the user on the server)"
        )));
    }
    Ok(())
}

fn id_list(text: &str) -> HashSet<i64> {
    text.split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn remote_item(item: Item) -> RemoteItem {
    RemoteItem {
        id: item.id.to_string(),
        feed: item.feed_id.to_string(),
        title: item.title.filter(|t| !t.trim().is_empty()),
        link: item
            .url
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https")),
        author: item.author.filter(|a| !a.trim().is_empty()),
        published_at: item
            .created_on_time
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        html: item.html,
    }
}

impl AccountApi for Fever {
    async fn login(&mut self) -> Result<()> {
        let _: Envelope = self.call("", &[], "a login").await?;
        Ok(())
    }

    async fn subscriptions(&mut self) -> Result<Vec<RemoteFeed>> {
        let list: Subscriptions = self.call("groups&feeds", &[], "the feed list").await?;
        let mut folder_of = std::collections::HashMap::new();
        for link in &list.feeds_groups {
            let Some(group) = list.groups.iter().find(|g| g.id == link.group_id) else {
                continue;
            };
            for feed in id_list(&link.feed_ids) {
                folder_of.entry(feed).or_insert_with(|| group.title.clone());
            }
        }
        Ok(list
            .feeds
            .into_iter()
            .map(|f| RemoteFeed {
                remote_id: f.id.to_string(),
                title: f.title,
                url: f.url,
                site_url: f.site_url.filter(|s| !s.is_empty()),
                folder: folder_of.get(&f.id).cloned(),
            })
            .collect())
    }

    async fn items(&mut self, cursor: Option<&str>, page: Option<&str>) -> Result<ItemPage> {
        let since: i64 = page.or(cursor).and_then(|c| c.parse().ok()).unwrap_or(0);
        let list: Items = self
            .call(&format!("items&since_id={since}"), &[], "the items")
            .await?;
        let highest = list.items.iter().map(|i| i.id).max();
        // An empty page, or one that does not go past `since` (a server
        // that ignores since_id), ends the pull.
        let next = highest.filter(|h| *h > since).map(|h| h.to_string());
        Ok(ItemPage {
            cursor: Some(next.clone().unwrap_or_else(|| since.to_string())),
            next,
            items: list.items.into_iter().map(remote_item).collect(),
        })
    }

    async fn items_by_id(&mut self, ids: &[i64]) -> Result<Vec<RemoteItem>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(MAX_WITH_IDS) {
            let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
            let page: Items = self
                .call(
                    &format!("items&with_ids={}", list.join(",")),
                    &[],
                    "the items",
                )
                .await?;
            out.extend(page.items.into_iter().map(remote_item));
        }
        Ok(out)
    }

    async fn unread_ids(&mut self) -> Result<HashSet<i64>> {
        let ids: UnreadIds = self
            .call("unread_item_ids", &[], "the unread items")
            .await?;
        Ok(id_list(&ids.unread_item_ids))
    }

    async fn starred_ids(&mut self) -> Result<HashSet<i64>> {
        let ids: SavedIds = self.call("saved_item_ids", &[], "the saved items").await?;
        Ok(id_list(&ids.saved_item_ids))
    }

    async fn mark(
        &mut self,
        ids: &[String],
        field: StateField,
        value: bool,
    ) -> Result<Vec<String>> {
        let status = match (field, value) {
            (StateField::Read, true) => "read",
            (StateField::Read, false) => "unread",
            (StateField::Starred, true) => "saved",
            (StateField::Starred, false) => "unsaved",
        };
        let slots = Arc::new(Semaphore::new(PER_HOST));
        let mut tasks = tokio::task::JoinSet::new();
        for id in ids {
            let (fetcher, endpoint, key) = (
                self.fetcher.clone(),
                self.endpoint.clone(),
                self.api_key.clone(),
            );
            let (id, slots) = (id.clone(), Arc::clone(&slots));
            let form = vec![
                ("mark".to_string(), "item".to_string()),
                ("as".to_string(), status.to_string()),
                ("id".to_string(), id.clone()),
            ];
            tasks.spawn(async move {
                let _slot = slots.acquire_owned().await.ok();
                let sent = call(&fetcher, &endpoint, &key, "mark=item", &form).await;
                (id, sent)
            });
        }
        self.requests += ids.len() as u32;
        let mut confirmed = Vec::with_capacity(ids.len());
        let mut failure = None;
        while let Some(joined) = tasks.join_next().await {
            let Ok((id, sent)) = joined else { continue };
            match sent {
                Ok(body) => match check_auth(&self.server, &body) {
                    Ok(()) => confirmed.push(id),
                    Err(e) => failure = Some((e, None)),
                },
                // The server has no such item any more: nothing to change there.
                Err((Error::NotFound(_), _)) => confirmed.push(id),
                Err(e) => failure = Some(e),
            }
        }
        match failure {
            // What was confirmed stays confirmed; the rest waits for the next sync.
            Some((e, retry)) if confirmed.is_empty() => {
                self.retry_after = retry;
                Err(e)
            }
            _ => Ok(confirmed),
        }
    }

    fn item_number(&self, id: &str) -> Option<i64> {
        id.trim().parse().ok()
    }

    fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    fn requests(&self) -> u32 {
        self.requests
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_key_is_md5_of_email_and_password() {
        // `printf 'a:b' | md5sum`
        assert_eq!(api_key("a", "b"), "d8160c9b3dc20d4e931aeb4f45262155");
    }
}
