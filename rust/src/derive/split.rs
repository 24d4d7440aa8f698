//! `SplitSpec.assign`: a record's split from a salted hash of its id (or its group's key), so it
//! depends on the id and the salt alone.

use sha2::{Digest, Sha256};

/// The point of `key` in [0, 1]: the first 8 bytes of sha256(f"{salt}\x1f{key}"), big-endian,
/// over 2**64. Python's int / int is correctly rounded, and so is `u64 as f64` (to nearest, ties
/// to even); the division by a power of two is exact. A point can be 1.0, as in Python.
fn point(salt: &str, key: &str) -> f64 {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update([0x1f]);
    hasher.update(key.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) as f64 / 18_446_744_073_709_551_616.0
}

/// The index of the split of `key`, given each split's share in `SPLITS` order (0 for a split
/// left out): the first split with a positive share whose cumulative edge (the shares added in
/// order, as floats, as Python adds them) lies above the point; the last such split when none
/// does. None when no share is positive (Python's IndexError).
pub fn assign(salt: &str, key: &str, shares: &[f64]) -> Option<usize> {
    let point = point(salt, key);
    let mut edge = 0.0;
    let mut last = None;
    for (k, share) in shares.iter().enumerate() {
        if *share > 0.0 {
            edge += share;
            if point < edge {
                return Some(k);
            }
            last = Some(k);
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_point_is_the_digests_first_eight_bytes() {
        // int.from_bytes(hashlib.sha256(b"medqa-ds\x1fx").digest()[:8], "big") / 2**64
        let p = point("medqa-ds", "x");
        assert!((0.0..1.0).contains(&p));
        assert_eq!(p, 0.4980094860086247);
    }

    #[test]
    fn edges_add_up_in_order_and_skip_empty_shares() {
        let p = point("medqa-ds", "x");
        assert_eq!(assign("medqa-ds", "x", &[0.8, 0.1, 0.1]), Some(0));
        assert_eq!(assign("medqa-ds", "x", &[0.0, p, 1.0 - p]), Some(2)); // point < edge, strictly
        assert_eq!(assign("medqa-ds", "x", &[0.0, 0.5, 0.5]), Some(1));
        // shares summing below 1 leave the top of the range to the last positive split
        assert_eq!(assign("medqa-ds", "x", &[0.01, 0.02, 0.0]), Some(1));
        assert_eq!(assign("medqa-ds", "x", &[0.0, 0.0, 0.0]), None);
        assert_eq!(assign("medqa-ds", "x", &[f64::NAN, 1.0, 0.0]), Some(1));
    }
}
