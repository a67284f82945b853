//! The server's secret key: from `SECRET_KEY`, or generated once and stored in the database so
//! that every instance (and every restart) uses the same one. It keys the audit log's subject
//! hashes, the rate-limit keys and the CAPTCHAs' signed answers.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::OnceLock;

static KEY: OnceLock<Vec<u8>> = OnceLock::new();

/// The key in use. Before `install` (unit tests, tools that never serve) a random key of
/// this process: hashes are still keyed, only not comparable across processes.
fn key() -> &'static [u8] {
    KEY.get_or_init(|| super::ids::new_token().into_bytes())
}

/// Uses this key for the life of the process (the first call wins).
pub fn install(key: Vec<u8>) {
    let _ = KEY.set(key);
}

/// `SECRET_KEY` if configured, else the database's stored key (created by the first instance).
pub async fn load_or_create(db: &super::Db, configured: Option<&str>) -> Result<Vec<u8>, sqlx::Error> {
    if let Some(k) = configured {
        return Ok(k.as_bytes().to_vec());
    }
    sqlx::query("INSERT INTO server_secrets (name, value) VALUES ('hmac_key', $1) ON CONFLICT (name) DO NOTHING")
        .bind(super::ids::new_token())
        .execute(db)
        .await?;
    let (value,): (String,) = sqlx::query_as("SELECT value FROM server_secrets WHERE name = 'hmac_key'").fetch_one(db).await?;
    Ok(value.into_bytes())
}

/// HMAC-SHA-256 of `parts` (joined by a separator that none of them contains), hex encoded.
pub fn mac(parts: &[&str]) -> String {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key()).expect("HMAC takes any key length");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            m.update(b"\x1f");
        }
        m.update(part.as_bytes());
    }
    hex::encode(m.finalize().into_bytes())
}

/// The cipher that seals stored secrets, keyed by a key derived from the server key (never the
/// HMAC key itself).
fn sealing_cipher() -> chacha20poly1305::XChaCha20Poly1305 {
    use chacha20poly1305::KeyInit;
    let derived = hex::decode(mac(&["sealing-key-v1"])).expect("hex");
    chacha20poly1305::XChaCha20Poly1305::new_from_slice(&derived).expect("a 32-byte key")
}

const SEALED_PREFIX: &str = "v1.";

/// Encrypts a small secret for storage (a staff member's TOTP secret): a database copy alone does
/// not give the second factor. XChaCha20-Poly1305 with a random nonce; `v1.` + base64.
pub fn seal(plain: &str) -> String {
    use base64::Engine as _;
    use chacha20poly1305::aead::{Aead, AeadCore, OsRng};
    let cipher = sealing_cipher();
    let nonce = chacha20poly1305::XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher.encrypt(&nonce, plain.as_bytes()).expect("encryption of a short secret");
    let mut bytes = nonce.to_vec();
    bytes.extend(sealed);
    format!("{SEALED_PREFIX}{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes))
}

/// The secret `seal` stored, if it was sealed under this server key and not altered.
pub fn open(sealed: &str) -> Option<String> {
    use base64::Engine as _;
    use chacha20poly1305::aead::Aead;
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD.decode(sealed.strip_prefix(SEALED_PREFIX)?).ok()?;
    if bytes.len() < 24 {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(24);
    let nonce: [u8; 24] = nonce.try_into().ok()?;
    let plain = sealing_cipher().decrypt(&nonce.into(), ciphertext).ok()?;
    String::from_utf8(plain).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sealed_secrets_open_only_unaltered() {
        let sealed = super::seal("JBSWY3DPEHPK3PXP");
        assert!(sealed.starts_with("v1.") && !sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(sealed, super::seal("JBSWY3DPEHPK3PXP"), "a fresh nonce each time");
        assert_eq!(super::open(&sealed).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        let mut altered = sealed.clone().into_bytes();
        let last = altered.len() - 2;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(super::open(&String::from_utf8(altered).unwrap()), None);
        assert_eq!(super::open("JBSWY3DPEHPK3PXP"), None);
    }

    #[test]
    fn macs_depend_on_every_part_and_their_boundaries() {
        assert_eq!(super::mac(&["a", "b"]), super::mac(&["a", "b"]));
        assert_ne!(super::mac(&["a", "b"]), super::mac(&["ab"]));
        assert_ne!(super::mac(&["a", "b"]), super::mac(&["a", "c"]));
        assert_eq!(super::mac(&["x"]).len(), 64);
    }
}
