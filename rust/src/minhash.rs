//! MinHash signatures and LSH band keys, value for value those of datasketch 2's default
//! "affine32" scheme with xxh32 as the shingle hash (what medqa_ds used before this core), so no
//! record moves between splits.
//!
//! A shingle is a word 3-gram of the lower-cased text, a word being a run of ASCII letters and
//! digits (a text of fewer than three words is one shingle: its words joined). Each shingle's
//! xxh32 is pre-mixed with the MurmurHash3 finalizer, then permuted as `a * h + b mod 2^32`.

use xxhash_rust::xxh32::xxh32;

/// The `a` (odd) and `b` parameters of the affine permutations, one pair per signature value.
pub struct Permutations {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
}

/// Words as Python's `re.findall("[0-9a-z]+", text.lower())` finds them.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut push = |c: char, word: &mut String| {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c.to_ascii_lowercase(), &mut word);
        } else {
            // U+0130 lowers to "i\u{307}", U+212A (Kelvin) to "k": the only non-ASCII letters
            // whose lower case holds an ASCII letter; the same in Python and Rust.
            for l in c.to_lowercase() {
                push(l, &mut word);
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85EB_CA6B);
    h ^= h >> 13;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^ (h >> 16)
}

fn update(values: &mut [u32], shingle: &[u8], perms: &Permutations) {
    let h = fmix32(xxh32(shingle, 0));
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above), all `permuted_min_avx2` asks.
        unsafe { permuted_min_avx2(values, &perms.a, &perms.b, h) };
        return;
    }
    permuted_min(values, &perms.a, &perms.b, h);
}

/// Each value lowered to the shingle's permuted hash `a * h + b mod 2^32` where that is less.
#[inline(always)]
fn permuted_min(values: &mut [u32], a: &[u32], b: &[u32], h: u32) {
    for ((v, a), b) in values.iter_mut().zip(a).zip(b) {
        *v = (*v).min(a.wrapping_mul(h).wrapping_add(*b));
    }
}

/// `permuted_min` compiled for AVX2, whose 32-bit lane multiply the x86-64 baseline (SSE2) lacks:
/// the same arithmetic, eight lanes at a time. Wheels target the baseline, so this is chosen at
/// run time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn permuted_min_avx2(values: &mut [u32], a: &[u32], b: &[u32], h: u32) {
    permuted_min(values, a, b, h)
}

/// The MinHash signature of a text's shingles.
pub fn signature(text: &str, perms: &Permutations) -> Vec<u32> {
    let mut values = vec![u32::MAX; perms.a.len()];
    let words = words(text);
    if words.len() < 3 {
        update(&mut values, words.join(" ").as_bytes(), perms);
        return values;
    }
    let mut shingle = Vec::new();
    for gram in words.windows(3) {
        shingle.clear();
        shingle.extend_from_slice(gram[0].as_bytes());
        for w in &gram[1..] {
            shingle.push(b' ');
            shingle.extend_from_slice(w.as_bytes());
        }
        update(&mut values, &shingle, perms);
    }
    values
}

/// Band `j`'s key is the xxh32, seeded with `j`, of the band's `rows` values as native-endian
/// bytes: equal keys make candidate pairs.
pub fn band_keys(signatures: &[u8], num_perm: usize, bands: usize, rows: usize) -> Vec<u32> {
    let row_bytes = num_perm * 4;
    let mut out = Vec::with_capacity(signatures.len() / row_bytes * bands);
    for sig in signatures.chunks_exact(row_bytes) {
        for j in 0..bands {
            out.push(xxh32(&sig[j * rows * 4..(j + 1) * rows * 4], j as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_ascii_letter_and_digit_runs_of_the_lower_case() {
        assert_eq!(
            words("Rash, ARMS2 é x\u{212A}y \u{130}a"),
            ["rash", "arms2", "xky", "i", "a"]
        );
    }

    #[test]
    fn a_short_text_is_one_shingle_and_an_empty_one_hashes_the_empty_string() {
        let perms = Permutations {
            a: vec![3, 5],
            b: vec![7, 11],
        };
        let mut empty = vec![u32::MAX; 2];
        update(&mut empty, b"", &perms);
        assert_eq!(signature("", &perms), empty);
        let mut two = vec![u32::MAX; 2];
        update(&mut two, b"dry cough", &perms);
        assert_eq!(signature("Dry, cough!", &perms), two);
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn the_avx2_loop_gives_the_baseline_loop_values() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        let a: Vec<u32> = (0..131u32)
            .map(|k| k.wrapping_mul(2_654_435_761) | 1)
            .collect();
        let b: Vec<u32> = (0..131u32)
            .map(|k| k.wrapping_mul(40_503) ^ 0xdead_beef)
            .collect();
        for h in [0, 1, 0x7fff_ffff, 0xffff_ffff, 123_456_789] {
            let mut base: Vec<u32> = (0..131u32).map(|k| k.wrapping_mul(97_531)).collect();
            let mut wide = base.clone();
            permuted_min(&mut base, &a, &b, h);
            // SAFETY: AVX2 was detected above.
            unsafe { permuted_min_avx2(&mut wide, &a, &b, h) };
            assert_eq!(base, wide);
        }
    }

    #[test]
    fn band_keys_hash_each_band_with_its_number_as_seed() {
        let sig: Vec<u8> = (0u32..4).flat_map(|v| v.to_ne_bytes()).collect();
        assert_eq!(
            band_keys(&sig, 4, 2, 2),
            [xxh32(&sig[..8], 0), xxh32(&sig[8..], 1)]
        );
    }
}
