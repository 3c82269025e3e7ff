//! The hybrid logical clock: stamps that follow the wall clock where it
//! can, and never go backwards or behind a stamp already seen, so that a
//! change made after seeing another is always stamped later than it, even
//! when the two devices' clocks are hours apart.
//!
//! A stamp is one `i64`: milliseconds since the Unix epoch in the high bits
//! and a counter in the low 16, so stamps compare as numbers.

/// Bits of the counter below the milliseconds.
const COUNTER_BITS: u32 = 16;

/// A device's clock: the last stamp it issued or saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    last: i64,
}

impl Clock {
    pub fn new(last: i64) -> Self {
        Clock { last }
    }

    /// The last stamp issued or seen.
    pub fn last(self) -> i64 {
        self.last
    }

    /// A new stamp for a change made at `wall_ms`: later than every stamp
    /// issued or seen so far.
    pub fn tick(&mut self, wall_ms: i64) -> i64 {
        let physical = wall_ms.max(0) << COUNTER_BITS;
        self.last = physical.max(self.last + 1);
        self.last
    }

    /// Takes in a stamp from another device.
    pub fn observe(&mut self, stamp: i64) {
        self.last = self.last.max(stamp);
    }
}

/// The wall time a stamp carries, in ms (for messages and docs).
pub fn wall_ms(stamp: i64) -> i64 {
    stamp >> COUNTER_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_never_go_back_and_pass_what_was_seen() {
        let mut c = Clock::new(0);
        let a = c.tick(1_000);
        let b = c.tick(1_000);
        let back = c.tick(500);
        assert!(a < b && b < back);
        // A device three hours ahead.
        let ahead = Clock::new(0).tick(1_000 + 3 * 3_600_000);
        c.observe(ahead);
        assert!(c.tick(2_000) > ahead);
        assert_eq!(wall_ms(a), 1_000);
    }
}
