//! The time as Gloss stores it.

/// Milliseconds since the Unix epoch: the library's clock, and the app's
/// for the times it keeps beside the library (backups, health).
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
