//! Incompressible bytes for tests and benchmarks: file contents that differ
//! per seed and never repeat inside, so that a part of one is never taken
//! for another and compression cannot make sizes look better than photos'.

/// `len` pseudo-random bytes from `seed` (xorshift64; the same seed gives
/// the same bytes).
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// An image-like blob: a PNG signature, then `len` bytes of [`noise`].
pub fn png_like(seed: u64, len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(noise(seed, len));
    bytes
}
