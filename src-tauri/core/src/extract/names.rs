//! Maps keyed by a fixed set of names (tag names, class words), for the
//! walks of extraction. A leaf: `dom` and `nesting` both use it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map from a fixed set of names (tag names, class words) built once:
/// a page cannot add keys to it, so a weak hash costs nothing there, and
/// SipHash cost more than the rest of a lookup.
pub(crate) type NameMap<V> = HashMap<&'static str, V, BuildHasherDefault<NameHasher>>;

/// FNV-1a, for [`NameMap`] only.
#[derive(Default)]
pub(crate) struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
