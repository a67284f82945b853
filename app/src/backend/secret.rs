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

#[cfg(test)]
mod tests {
    #[test]
    fn macs_depend_on_every_part_and_their_boundaries() {
        assert_eq!(super::mac(&["a", "b"]), super::mac(&["a", "b"]));
        assert_ne!(super::mac(&["a", "b"]), super::mac(&["ab"]));
        assert_ne!(super::mac(&["a", "b"]), super::mac(&["a", "c"]));
        assert_eq!(super::mac(&["x"]).len(), 64);
    }
}
