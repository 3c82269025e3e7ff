//! Start-up marks for `bench/startup.sh`: where the time between the
//! process's start and the first painted list goes on the Rust side.
//!
//! Off unless `GLOSS_STARTUP_TRACE` names a file: then each mark appends
//! one line `PID NAME MS` to it (MS: wall-clock milliseconds since the Unix
//! epoch, the clock the web view's `performance.timeOrigin` also counts
//! from, so the bench lines both sides up). Normal use writes nothing and
//! pays one environment look-up.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable that turns the marks on.
pub const TRACE_ENV: &str = "GLOSS_STARTUP_TRACE";

/// The file the marks go to, looked up once.
fn trace_file() -> Option<&'static PathBuf> {
    static FILE: OnceLock<Option<PathBuf>> = OnceLock::new();
    FILE.get_or_init(|| {
        std::env::var_os(TRACE_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
    .as_ref()
}

/// Records that start-up reached `name` (when tracing is on). A mark that
/// cannot be written is dropped: tracing never stops the app.
pub fn mark(name: &str) {
    let Some(path) = trace_file() else {
        return;
    };
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default();
    // One write of one short line to a file opened for appending: the lines
    // of several launches into the same file never interleave.
    let line = format!("{} {name} {ms:.1}\n", std::process::id());
    let _ = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(line.as_bytes()));
}
