//! Start-up work that the first paint does not need: it waits until the
//! window has painted its first list, so that it does not compete with it
//! for the two things a start is short of, the CPU and the library's
//! connections.
//!
//! The front end says it has painted by calling `launch_ready` (it does so
//! once the list is on screen and its listeners are in place). A window
//! that never says so (its script failed) still gets the work, after
//! [`AT_THE_LATEST`].

use std::sync::mpsc::{self, Sender};
use std::sync::Mutex;
use std::time::Duration;

/// How long the work waits for the window at most.
pub const AT_THE_LATEST: Duration = Duration::from_secs(10);

/// The work waiting for the first paint (managed as Tauri state).
pub struct AfterFirstPaint(Mutex<Option<Sender<()>>>);

impl AfterFirstPaint {
    /// Runs `work` on a thread of its own once [`painted`](Self::painted)
    /// is called, or after [`AT_THE_LATEST`].
    pub fn start(work: impl FnOnce() + Send + 'static) -> Self {
        let (painted, wait) = mpsc::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("gloss-after-paint".into())
            .spawn(move || {
                // A message, a timeout or a dropped sender: all mean "go".
                let _ = wait.recv_timeout(AT_THE_LATEST);
                work();
            });
        if let Err(e) = spawned {
            eprintln!("gloss: the background start-up work could not start: {e}");
        }
        AfterFirstPaint(Mutex::new(Some(painted)))
    }

    /// The window has painted its first list: start the work now (once).
    pub fn painted(&self) {
        let sender = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(sender) = sender {
            let _ = sender.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn the_work_starts_when_the_window_has_painted() {
        let (done, ran) = mpsc::channel();
        let deferred = AfterFirstPaint::start(move || {
            let _ = done.send(Instant::now());
        });
        assert!(
            ran.try_recv().is_err(),
            "nothing runs before the first paint"
        );
        let painted_at = Instant::now();
        deferred.painted();
        deferred.painted(); // a second call (a reload of the page) is harmless
        let started = ran
            .recv_timeout(AT_THE_LATEST * 2)
            .expect("the work runs once the window has painted");
        assert!(started >= painted_at);
    }
}
