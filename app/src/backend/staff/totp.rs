//! Time-based one-time codes (RFC 6238: SHA-1, 6 digits, 30 s) for the staff login, with the
//! `totp-rs` crate. A code is accepted for its own 30-second step and the neighbouring ones
//! (clock drift); the step of the last accepted code is stored so no code works twice.

use totp_rs::{Algorithm, Secret, TOTP};

const STEP: i64 = 30;

/// A new random secret (160 bits, as RFC 4226 recommends), base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => unreachable!("to_encoded returns Encoded"),
    }
}

fn totp(secret: &str, issuer: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().ok()?;
    // The issuer may not contain ':' (it separates issuer and account in the label).
    TOTP::new(Algorithm::SHA1, 6, 1, STEP as u64, bytes, Some(issuer.replace(':', " ")), account.to_string()).ok()
}

/// The `otpauth://` URL an authenticator app scans.
pub fn url(secret: &str, issuer: &str, account: &str) -> Option<String> {
    totp(secret, issuer, account).map(|t| t.get_url())
}

/// The code for a unix time (tests and the setup page's own check).
pub fn code_at(secret: &str, at: i64) -> Option<String> {
    totp(secret, "x", "x").map(|t| t.generate(at.max(0) as u64))
}

/// The time step whose code `code` is, within one step of `now`; `None` if it matches none.
pub fn matching_step(secret: &str, code: &str, now: i64) -> Option<i64> {
    let totp = totp(secret, "x", "x")?;
    let step = now / STEP;
    [step, step - 1, step + 1].into_iter().find(|s| super::super::ids::secrets_equal(&totp.generate((s * STEP).max(0) as u64), code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_and_the_neighbours_only() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let now = 1_790_000_000;
        let code = code_at(&secret, now).unwrap();
        assert_eq!(matching_step(&secret, &code, now), Some(now / 30));
        assert_eq!(matching_step(&secret, &code, now + 30), Some(now / 30), "the previous step still counts");
        assert_eq!(matching_step(&secret, &code, now + 90), None);
        assert!(url(&secret, "健保: 職員", "a@b.jp").unwrap().starts_with("otpauth://totp/"));
    }

    #[test]
    fn rfc_6238_vector() {
        // RFC 6238 appendix B, SHA-1, T = 59: 94287082 (8 digits); 6 digits: 287082.
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => unreachable!(),
        };
        assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
    }
}
