//! How hard Gloss may lean on other people's servers: at most a few
//! connections per host and a few in all, and longer and longer pauses for a
//! feed that keeps failing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

/// Requests in flight to one host at most (NetNewsWire and browsers keep to
/// a handful per host; feeds need no more).
pub const PER_HOST: usize = 2;
/// Requests in flight at most, whatever the hosts.
pub const TOTAL: usize = 8;

/// The first pause after a failure; it doubles with each failure in a row.
const BACKOFF_BASE: Duration = Duration::from_secs(5 * 60);
/// The longest pause: a feed that is down for days is still tried twice a day.
pub const BACKOFF_MAX: Duration = Duration::from_secs(12 * 60 * 60);

/// The pause before a feed that has failed `errors` times in a row is
/// checked again by a refresh of all feeds: 5 min, 10, 20, … at most 12 h.
pub fn backoff(errors: u32) -> Duration {
    if errors == 0 {
        return Duration::ZERO;
    }
    let factor = 1u32
        .checked_shl(errors.saturating_sub(1).min(20))
        .unwrap_or(u32::MAX);
    BACKOFF_BASE.saturating_mul(factor).min(BACKOFF_MAX)
}

/// Connection slots, per host and in all, shared by every task of a refresh.
#[derive(Debug)]
pub struct HostLimits {
    per_host: usize,
    total: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Held while a request runs; dropping it frees the slots.
#[derive(Debug)]
pub struct Permits {
    _host: Option<OwnedSemaphorePermit>,
    _total: Option<OwnedSemaphorePermit>,
}

impl HostLimits {
    pub fn new(per_host: usize, total: usize) -> Self {
        HostLimits {
            per_host: per_host.max(1),
            total: Arc::new(Semaphore::new(total.max(1))),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a slot on `url`'s host, then for one in all (in that order,
    /// so a task queued behind a busy host holds no slot others could use).
    pub async fn acquire(&self, url: &Url) -> Permits {
        let host = {
            let mut hosts = self
                .hosts
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(
                hosts
                    .entry(host_key(url))
                    .or_insert_with(|| Arc::new(Semaphore::new(self.per_host))),
            )
        };
        // The semaphores are never closed, so acquiring cannot fail.
        let host = host.acquire_owned().await.ok();
        let total = Arc::clone(&self.total).acquire_owned().await.ok();
        Permits {
            _host: host,
            _total: total,
        }
    }
}

impl Default for HostLimits {
    fn default() -> Self {
        HostLimits::new(PER_HOST, TOTAL)
    }
}

/// Host and port: one server, as far as politeness goes.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default().to_ascii_lowercase(),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0), Duration::ZERO);
        assert_eq!(backoff(1), Duration::from_secs(300));
        assert_eq!(backoff(2), Duration::from_secs(600));
        assert_eq!(backoff(4), Duration::from_secs(2400));
        assert_eq!(backoff(9), BACKOFF_MAX);
        assert_eq!(backoff(u32::MAX), BACKOFF_MAX);
    }

    #[tokio::test]
    async fn a_host_gets_at_most_its_share() {
        let limits = HostLimits::new(2, 8);
        let a = Url::parse("http://a.test/x").unwrap();
        let b = Url::parse("http://b.test/x").unwrap();
        let _one = limits.acquire(&a).await;
        let _two = limits.acquire(&a).await;
        let third = tokio::time::timeout(Duration::from_millis(50), limits.acquire(&a)).await;
        assert!(third.is_err(), "a third slot on one host");
        let other = tokio::time::timeout(Duration::from_millis(50), limits.acquire(&b)).await;
        assert!(other.is_ok(), "another host is not held up");
    }
}
