//! The 認証文字's non-visual alternative (JIS X 8341-3): instead of reading the image, the
//! browser proves some work bound to the CAPTCHA's one-time id — a nonce whose SHA-256 with the
//! id starts with [`BITS`] zero bits (hashcash). Found in about a second on an old phone, checked
//! with one hash; the id is spent once like an image answer (`backend::captcha::check`).

use sha2::{Digest, Sha256};

/// Leading zero bits asked: 2^18 ≈ 260,000 hashes on average.
pub const BITS: u32 = 18;
/// How the proof travels in the 認証文字 field: `pow-<nonce>` (never an image answer, whose
/// characters are capitals and digits only).
pub const PREFIX: &str = "pow-";

fn leading_zero_bits(digest: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in digest {
        if *byte == 0 {
            bits += 8;
        } else {
            return bits + byte.leading_zeros();
        }
    }
    bits
}

/// Whether `nonce` proves the work for `id`.
pub fn is_valid(id: &str, nonce: u64, bits: u32) -> bool {
    leading_zero_bits(&Sha256::new().chain_update(id.as_bytes()).chain_update(b":").chain_update(nonce.to_string()).finalize()) >= bits
}

/// Tries `count` nonces from `from`; the first that proves the work, if any. The browser calls
/// it in slices so the page stays responsive.
pub fn search(id: &str, from: u64, count: u64, bits: u32) -> Option<u64> {
    let prefix = Sha256::new().chain_update(id.as_bytes()).chain_update(b":");
    (from..from + count).find(|n| leading_zero_bits(&prefix.clone().chain_update(n.to_string()).finalize()) >= bits)
}

/// The nonce of a `pow-<nonce>` answer.
pub fn parse(answer: &str) -> Option<u64> {
    answer.strip_prefix(PREFIX)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_found_nonce_is_valid_for_its_id_only() {
        let id = "1790000000.0123456789abcdef0123456789abcdef.mac";
        let nonce = search(id, 0, 1 << 22, 12).expect("a 12-bit proof within 4M tries");
        assert!(is_valid(id, nonce, 12));
        assert!(!is_valid("1790000000.fedcba9876543210fedcba9876543210.mac", nonce, 12), "bound to its id");
        assert_eq!(parse(&format!("{PREFIX}{nonce}")), Some(nonce));
        assert_eq!(parse("ABCDE"), None);
        assert_eq!(leading_zero_bits(&[0, 0b0001_0000]), 11);
    }
}
