//! The Google Reader API (FreshRSS, Miniflux, Inoreader, The Old Reader,
//! BazQux), in the dialects servers actually speak:
//!
//! - Auth: `POST accounts/ClientLogin` (Email, Passwd) answers lines with
//!   `Auth=…`, sent as `Authorization: GoogleLogin auth=…`; writes also need
//!   the short-lived `T` token from `reader/api/0/token`. A 401 on a write
//!   gets a new token (and, if that is refused, a new login) and is sent once more.
//! - Item ids: the long form `tag:google.com,2005:reader/item/<16 hex>` or
//!   the short signed decimal form; `stream/items/ids` answers decimal.
//!   Both stand for the same 64-bit number ([`item_number`]); an id is sent
//!   back exactly as the server wrote it (BazQux refuses bare hex, miniflux
//!   #2960).
//! - Feed ids: `feed/<url>` on some servers, `feed/<number>` on others
//!   (FreshRSS #3107): kept as given, never built from an address except to
//!   subscribe.
//! - Paging: `continuation` until it is empty, missing, or one already seen
//!   (a server that repeats it would loop for ever).

use std::collections::HashSet;
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use super::api::{
    api_root, bad_answer, describe_failure, AccountApi, ItemPage, ManagesSubscriptions, RemoteItem,
};
use crate::fetch::{ApiMethod, Fetcher};
use crate::library::{RemoteFeed, StateField};
use crate::{Error, Result};

const READING_LIST: &str = "user/-/state/com.google/reading-list";
const READ: &str = "user/-/state/com.google/read";
const STARRED: &str = "user/-/state/com.google/starred";
const LONG_ID_PREFIX: &str = "tag:google.com,2005:reader/item/";
/// Items per page of `stream/contents`.
const PAGE_ITEMS: u32 = 500;
/// Ids per page of `stream/items/ids`.
const PAGE_IDS: u32 = 10_000;
/// Ids per `edit-tag` or `stream/items/contents` request: thousands of
/// changes are a handful of requests.
pub const BATCH: usize = 250;
/// Pages of one listing read at most, whatever the server says.
const MAX_PAGES: usize = 10_000;

/// The 64-bit number an item id stands for, in either form.
pub fn item_number(id: &str) -> Option<i64> {
    let id = id.trim();
    if let Some(hex) = id.strip_prefix(LONG_ID_PREFIX) {
        return u64::from_str_radix(hex, 16).ok().map(|n| n as i64);
    }
    id.parse::<i64>().ok()
}

/// The long form of an item number (what `stream/items/contents` takes
/// from a client that only knows the decimal id).
pub fn long_id(number: i64) -> String {
    format!("{LONG_ID_PREFIX}{:016x}", number as u64)
}

/// A Google Reader API account's client.
#[derive(Debug, Clone)]
pub struct GReader {
    fetcher: Fetcher,
    /// The API's root (`…/api/greader.php` for FreshRSS), no trailing slash.
    base: String,
    server: String,
    username: String,
    password: String,
    auth: Option<String>,
    token: Option<String>,
    retry_after: Option<Duration>,
    requests: u32,
}

#[derive(Deserialize)]
struct Category {
    #[serde(default)]
    id: String,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Deserialize)]
struct Subscription {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default, rename = "htmlUrl")]
    html_url: Option<String>,
    #[serde(default)]
    categories: Vec<Category>,
}

#[derive(Deserialize)]
struct SubscriptionList {
    #[serde(default)]
    subscriptions: Vec<Subscription>,
}

#[derive(Deserialize)]
struct Link {
    #[serde(default)]
    href: String,
}

#[derive(Deserialize)]
struct Content {
    #[serde(default)]
    content: String,
}

#[derive(Deserialize)]
struct Origin {
    #[serde(default, rename = "streamId")]
    stream_id: String,
}

#[derive(Deserialize)]
struct Item {
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    published: Option<i64>,
    #[serde(default, rename = "crawlTimeMsec")]
    crawl_time_msec: Option<String>,
    #[serde(default)]
    canonical: Vec<Link>,
    #[serde(default)]
    alternate: Vec<Link>,
    #[serde(default)]
    summary: Option<Content>,
    #[serde(default)]
    content: Option<Content>,
    #[serde(default)]
    author: Option<String>,
    origin: Option<Origin>,
}

#[derive(Deserialize)]
struct Stream {
    #[serde(default)]
    items: Vec<Item>,
    #[serde(default)]
    continuation: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ItemRef {
    id: String,
}

#[derive(Deserialize)]
struct ItemRefs {
    #[serde(default, rename = "itemRefs")]
    item_refs: Option<Vec<ItemRef>>,
    #[serde(default)]
    continuation: Option<serde_json::Value>,
}

/// A continuation as text: servers send a string or a number.
fn continuation(value: Option<serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
    .filter(|c| !c.trim().is_empty())
}

/// The label a category names (`user/-/label/Tech`, `user/1234/label/Tech`).
fn label_of(category: &Category) -> Option<String> {
    let (_, name) = category.id.split_once("/label/")?;
    Some(category.label.clone().unwrap_or_else(|| name.to_string())).filter(|l| !l.is_empty())
}

fn label_stream(folder: &str) -> String {
    format!("user/-/label/{folder}")
}

fn remote_item(item: Item) -> Option<RemoteItem> {
    let feed = item.origin?.stream_id;
    let link = item
        .canonical
        .iter()
        .chain(&item.alternate)
        .find_map(|l| Url::parse(&l.href).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    let published = item.published.or_else(|| {
        item.crawl_time_msec
            .as_deref()
            .and_then(|ms| ms.parse::<i64>().ok())
            .map(|ms| ms / 1000)
    });
    Some(RemoteItem {
        id: item.id,
        feed,
        title: item.title.filter(|t| !t.trim().is_empty()),
        link,
        author: item.author.filter(|a| !a.trim().is_empty()),
        published_at: published
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        html: item.content.or(item.summary).map(|c| c.content),
    })
}

impl GReader {
    /// A client for the API rooted at `url` (FreshRSS:
    /// `https://example.org/api/greader.php`; Miniflux: the server's address).
    pub fn new(fetcher: &Fetcher, url: &Url, username: &str, password: &str) -> Self {
        GReader {
            fetcher: fetcher.clone(),
            base: api_root(url).as_str().trim_end_matches('/').to_string(),
            server: url
                .host_str()
                .unwrap_or("the Google Reader server")
                .to_string(),
            username: username.to_string(),
            password: password.to_string(),
            auth: None,
            token: None,
            retry_after: None,
            requests: 0,
        }
    }

    fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url> {
        let mut url = Url::parse(&format!("{}/{path}", self.base)).map_err(|e| {
            Error::InvalidInput(format!("{} is not a usable API address: {e}", self.base))
        })?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// One request; a 401 is `Ok(None)` so the caller can log in again.
    async fn send(
        &mut self,
        method: ApiMethod,
        url: &Url,
        form: &[(String, String)],
    ) -> Result<Option<Vec<u8>>> {
        self.requests += 1;
        let headers: Vec<(&'static str, String)> = self
            .auth
            .iter()
            .map(|a| ("authorization", format!("GoogleLogin auth={a}")))
            .collect();
        match self.fetcher.call_api(method, url, &headers, form).await {
            Ok(body) => Ok(Some(body)),
            Err(failed) if failed.status == Some(401) => Ok(None),
            Err(failed) => {
                self.retry_after = failed.retry_after;
                Err(describe_failure(&self.server, failed))
            }
        }
    }

    fn refused(&self) -> Error {
        Error::InvalidInput(format!(
            "{} refused the user name or password (HTTP 401); check them (FreshRSS wants the \
             API password set in its profile page), then add the account again",
            self.server
        ))
    }

    async fn ensure_auth(&mut self) -> Result<()> {
        if self.auth.is_none() {
            self.login().await?;
        }
        Ok(())
    }

    async fn ensure_token(&mut self) -> Result<String> {
        if let Some(token) = &self.token {
            return Ok(token.clone());
        }
        self.ensure_auth().await?;
        let url = self.url("reader/api/0/token", &[])?;
        let body = match self.send(ApiMethod::Get, &url, &[]).await? {
            Some(body) => body,
            None => {
                // The login itself has expired: once more from the start.
                self.login().await?;
                self.send(ApiMethod::Get, &url, &[])
                    .await?
                    .ok_or_else(|| self.refused())?
            }
        };
        let token = String::from_utf8_lossy(&body).trim().to_string();
        if token.is_empty() {
            return Err(bad_answer(
                &self.server,
                "the token request",
                "an empty token",
            ));
        }
        self.token = Some(token.clone());
        Ok(token)
    }

    /// A read: logged in, and logged in again once on a 401.
    async fn get(&mut self, path: &str, query: &[(&str, &str)]) -> Result<Vec<u8>> {
        self.ensure_auth().await?;
        let url = self.url(path, query)?;
        if let Some(body) = self.send(ApiMethod::Get, &url, &[]).await? {
            return Ok(body);
        }
        self.login().await?;
        self.send(ApiMethod::Get, &url, &[])
            .await?
            .ok_or_else(|| self.refused())
    }

    /// A write with the `T` token; on a 401 the token (then the login) is
    /// renewed and the write sent once more.
    async fn post(&mut self, path: &str, form: &[(String, String)]) -> Result<Vec<u8>> {
        let url = self.url(path, &[])?;
        for attempt in 0..2 {
            let token = self.ensure_token().await?;
            let mut fields = form.to_vec();
            fields.push(("T".into(), token));
            if let Some(body) = self.send(ApiMethod::Post, &url, &fields).await? {
                return Ok(body);
            }
            self.token = None;
            if attempt == 1 {
                break;
            }
        }
        Err(self.refused())
    }

    async fn json<T: for<'de> Deserialize<'de>>(
        &mut self,
        path: &str,
        query: &[(&str, &str)],
        what: &str,
    ) -> Result<T> {
        let body = self.get(path, query).await?;
        serde_json::from_slice(&body).map_err(|e| bad_answer(&self.server, what, e))
    }

    /// Every id of a stream (minus `exclude`), page after page.
    async fn ids(&mut self, stream: &str, exclude: Option<&str>) -> Result<HashSet<i64>> {
        let mut ids = HashSet::new();
        let mut seen = HashSet::new();
        let mut page: Option<String> = None;
        let n = PAGE_IDS.to_string();
        for _ in 0..MAX_PAGES {
            let mut query = vec![("output", "json"), ("s", stream), ("n", n.as_str())];
            if let Some(exclude) = exclude {
                query.push(("xt", exclude));
            }
            if let Some(c) = page.as_deref() {
                query.push(("c", c));
            }
            let refs: ItemRefs = self
                .json("reader/api/0/stream/items/ids", &query, "the item ids")
                .await?;
            let refs_found = refs.item_refs.unwrap_or_default();
            let empty = refs_found.is_empty();
            ids.extend(refs_found.iter().filter_map(|r| item_number(&r.id)));
            match continuation(refs.continuation) {
                Some(next) if !empty && seen.insert(next.clone()) => page = Some(next),
                _ => break,
            }
        }
        Ok(ids)
    }

    async fn edit_subscription(&mut self, form: Vec<(String, String)>) -> Result<()> {
        let body = self.post("reader/api/0/subscription/edit", &form).await?;
        let text = String::from_utf8_lossy(&body);
        if text.trim() != "OK" && !text.trim_start().starts_with('{') {
            return Err(Error::Network(format!(
                "{} did not accept the subscription change (it answered {:?})",
                self.server,
                crate::text::one_line(&text.chars().take(80).collect::<String>())
            )));
        }
        Ok(())
    }
}

impl AccountApi for GReader {
    async fn login(&mut self) -> Result<()> {
        let url = self.url("accounts/ClientLogin", &[])?;
        let form = vec![
            ("Email".to_string(), self.username.clone()),
            ("Passwd".to_string(), self.password.clone()),
        ];
        self.auth = None;
        self.token = None;
        let body = self
            .send(ApiMethod::Post, &url, &form)
            .await
            .map_err(|e| match e {
                Error::InvalidInput(_) => self.refused(),
                other => other,
            })?
            .ok_or_else(|| self.refused())?;
        let text = String::from_utf8_lossy(&body);
        let auth = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Auth="))
            .map(str::to_string)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| self.refused())?;
        self.auth = Some(auth);
        Ok(())
    }

    async fn subscriptions(&mut self) -> Result<Vec<RemoteFeed>> {
        let list: SubscriptionList = self
            .json(
                "reader/api/0/subscription/list",
                &[("output", "json")],
                "the subscription list",
            )
            .await?;
        Ok(list
            .subscriptions
            .into_iter()
            .map(|s| {
                let url = s
                    .url
                    .clone()
                    .filter(|u| !u.is_empty())
                    .or_else(|| s.id.strip_prefix("feed/").map(str::to_string))
                    .unwrap_or_default();
                RemoteFeed {
                    folder: s.categories.iter().find_map(label_of),
                    remote_id: s.id,
                    title: s.title,
                    url,
                    site_url: s.html_url.filter(|u| !u.is_empty()),
                }
            })
            .collect())
    }

    async fn items(&mut self, cursor: Option<&str>, page: Option<&str>) -> Result<ItemPage> {
        let n = PAGE_ITEMS.to_string();
        let mut query = vec![("output", "json"), ("n", n.as_str())];
        if let Some(since) = cursor {
            query.push(("ot", since));
        }
        if let Some(c) = page {
            query.push(("c", c));
        }
        let path = format!("reader/api/0/stream/contents/{READING_LIST}");
        let stream: Stream = self.json(&path, &query, "the items").await?;
        let empty = stream.items.is_empty();
        let newest = stream
            .items
            .iter()
            .filter_map(|i| i.crawl_time_msec.as_deref()?.parse::<i64>().ok())
            .max()
            .map(|ms| ms / 1000);
        let next = continuation(stream.continuation).filter(|c| !empty && Some(c.as_str()) != page);
        Ok(ItemPage {
            items: stream.items.into_iter().filter_map(remote_item).collect(),
            next,
            cursor: newest.map(|s| s.to_string()),
        })
    }

    async fn items_by_id(&mut self, ids: &[i64]) -> Result<Vec<RemoteItem>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(BATCH) {
            let form: Vec<(String, String)> = chunk
                .iter()
                .map(|n| ("i".to_string(), n.to_string()))
                .collect();
            let body = self
                .post("reader/api/0/stream/items/contents?output=json", &form)
                .await?;
            let stream: Stream = serde_json::from_slice(&body)
                .map_err(|e| bad_answer(&self.server, "the items", e))?;
            out.extend(stream.items.into_iter().filter_map(remote_item));
        }
        Ok(out)
    }

    async fn unread_ids(&mut self) -> Result<HashSet<i64>> {
        self.ids(READING_LIST, Some(READ)).await
    }

    async fn starred_ids(&mut self) -> Result<HashSet<i64>> {
        self.ids(STARRED, None).await
    }

    async fn mark(
        &mut self,
        ids: &[String],
        field: StateField,
        value: bool,
    ) -> Result<Vec<String>> {
        let tag = match field {
            StateField::Read => READ,
            StateField::Starred => STARRED,
        };
        let mut confirmed = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(BATCH) {
            let mut form: Vec<(String, String)> = chunk
                .iter()
                .map(|id| ("i".to_string(), id.clone()))
                .collect();
            form.push((if value { "a" } else { "r" }.to_string(), tag.to_string()));
            let body = self.post("reader/api/0/edit-tag", &form).await?;
            if String::from_utf8_lossy(&body).trim() != "OK" {
                return Err(bad_answer(
                    &self.server,
                    "a change of read or starred",
                    "no OK",
                ));
            }
            confirmed.extend_from_slice(chunk);
        }
        Ok(confirmed)
    }

    fn item_number(&self, id: &str) -> Option<i64> {
        item_number(id)
    }

    fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    fn requests(&self) -> u32 {
        self.requests
    }
}

impl ManagesSubscriptions for GReader {
    async fn subscribe(&mut self, url: &str, folder: Option<&str>) -> Result<String> {
        let stream = format!("feed/{url}");
        let mut form = vec![
            ("ac".to_string(), "subscribe".to_string()),
            ("s".to_string(), stream.clone()),
        ];
        if let Some(folder) = folder {
            form.push(("a".to_string(), label_stream(folder)));
        }
        self.edit_subscription(form).await?;
        // A server with numbered feed ids names the new feed its own way.
        let listed = self.subscriptions().await?;
        listed
            .into_iter()
            .find(|f| f.remote_id == stream || f.url == url)
            .map(|f| f.remote_id)
            .ok_or_else(|| {
                Error::Network(format!(
                    "{} accepted the subscription to {url} but does not list it; try again later",
                    self.server
                ))
            })
    }

    async fn unsubscribe(&mut self, feed: &str) -> Result<()> {
        self.edit_subscription(vec![
            ("ac".to_string(), "unsubscribe".to_string()),
            ("s".to_string(), feed.to_string()),
        ])
        .await
    }

    async fn rename_feed(&mut self, feed: &str, title: &str) -> Result<()> {
        self.edit_subscription(vec![
            ("ac".to_string(), "edit".to_string()),
            ("s".to_string(), feed.to_string()),
            ("t".to_string(), title.to_string()),
        ])
        .await
    }

    async fn move_feed(&mut self, feed: &str, from: Option<&str>, to: Option<&str>) -> Result<()> {
        let mut form = vec![
            ("ac".to_string(), "edit".to_string()),
            ("s".to_string(), feed.to_string()),
        ];
        if let Some(from) = from {
            form.push(("r".to_string(), label_stream(from)));
        }
        if let Some(to) = to {
            form.push(("a".to_string(), label_stream(to)));
        }
        self.edit_subscription(form).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_id_forms_stand_for_one_number() {
        let long = "tag:google.com,2005:reader/item/0005e6f1a2b3c4d5";
        let n = item_number(long).unwrap();
        assert_eq!(item_number(&n.to_string()), Some(n));
        assert_eq!(long_id(n), long);
        // The top bit set: the decimal form is negative.
        let high = "tag:google.com,2005:reader/item/ffffffffffffff9c";
        assert_eq!(item_number(high), Some(-100));
        assert_eq!(item_number("-100"), Some(-100));
        assert_eq!(item_number("tag:google.com,2005:reader/item/xyz"), None);
    }

    #[test]
    fn labels_are_read_from_either_user_form() {
        let c = |id: &str| Category {
            id: id.into(),
            label: None,
        };
        assert_eq!(label_of(&c("user/-/label/Tech")).as_deref(), Some("Tech"));
        assert_eq!(
            label_of(&c("user/1234/label/News")).as_deref(),
            Some("News")
        );
        assert_eq!(label_of(&c("user/-/state/com.google/starred")), None);
    }
}
