//! The server's secret key: from `SECRET_KEY` (required off loopback), or generated once and
//! stored in the database so that every instance (and every restart) uses the same one. It keys
//! the audit log's subject hashes, the rate-limit keys and the CAPTCHAs' signed answers, and
//! seals the second factors. Rotation: the new key in `SECRET_KEY`, the old in `SECRET_KEY_OLD`,
//! then `server rotate-secrets`.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::{Arc, LazyLock, RwLock};

/// The key in use and the old ones still accepted while a rotation runs (`SECRET_KEY_OLD`).
struct Keys {
    current: Vec<u8>,
    old: Vec<Vec<u8>>,
}

/// Before `install` (unit tests, tools that never serve) a random key of this process: hashes
/// are still keyed, only not comparable across processes.
static KEYS: LazyLock<RwLock<Arc<Keys>>> =
    LazyLock::new(|| RwLock::new(Arc::new(Keys { current: crate::backend::platform::ids::new_token().into_bytes(), old: Vec::new() })));

fn keys() -> Arc<Keys> {
    KEYS.read().unwrap_or_else(|e| e.into_inner()).clone()
}

static INSTALLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Uses this key (and accepts the old ones) for the life of the process: the first call wins
/// (tests start many portals in one process, and every one must keep opening what it sealed).
pub fn install(key: Vec<u8>, old: Vec<Vec<u8>>) {
    if !INSTALLED.swap(true, std::sync::atomic::Ordering::SeqCst) {
        *KEYS.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Keys { current: key, old });
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The database's sealed values and keyed hashes were made with another key: serving would
    /// lock every staff member and 2段階認証 member out (and open no old link).
    #[error("SECRET_KEY is not the key this database was used with (fingerprint {stored} stored, {configured} configured, none of SECRET_KEY_OLD matches): set the key the data was sealed with, or list it in SECRET_KEY_OLD and run `server rotate-secrets`")]
    Mismatch { stored: String, configured: String },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A fingerprint of a key, safe to store beside the data (it does not give the key).
fn fingerprint(key: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(Sha256::digest([b"portal-key-fingerprint\x1f".as_slice(), key].concat()))[..16].to_string()
}

/// `SECRET_KEY` if configured, else the database's stored key (created by the first instance).
/// The database keeps the fingerprint of the key its data was made with: another key stops the
/// start with [`KeyError::Mismatch`], unless that key is among `old` (a rotation under way; `server
/// rotate-secrets` re-seals and moves the fingerprint to the new key).
pub async fn load_or_create(db: &crate::backend::platform::Db, configured: Option<&str>, old: &[String]) -> Result<Vec<u8>, KeyError> {
    let key = match configured {
        Some(k) => k.as_bytes().to_vec(),
        None => {
            sqlx::query("INSERT INTO server_secrets (name, value) VALUES ('hmac_key', $1) ON CONFLICT (name) DO NOTHING")
                .bind(crate::backend::platform::ids::new_token())
                .execute(db)
                .await?;
            let (value,): (String,) = sqlx::query_as("SELECT value FROM server_secrets WHERE name = 'hmac_key'").fetch_one(db).await?;
            value.into_bytes()
        }
    };
    let print = fingerprint(&key);
    sqlx::query("INSERT INTO server_secrets (name, value) VALUES ('key_fingerprint', $1) ON CONFLICT (name) DO NOTHING")
        .bind(&print)
        .execute(db)
        .await?;
    let (stored,): (String,) = sqlx::query_as("SELECT value FROM server_secrets WHERE name = 'key_fingerprint'").fetch_one(db).await?;
    if stored != print {
        if old.iter().any(|k| fingerprint(k.as_bytes()) == stored) {
            tracing::warn!("SECRET_KEY_OLD holds the key the data was sealed with: run `server rotate-secrets` to finish the rotation");
        } else {
            return Err(KeyError::Mismatch { stored, configured: print });
        }
    }
    Ok(key)
}

fn mac_with(key: &[u8], parts: &[&str]) -> String {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            m.update(b"\x1f");
        }
        m.update(part.as_bytes());
    }
    hex::encode(m.finalize().into_bytes())
}

/// HMAC-SHA-256 of `parts` (joined by a separator that none of them contains), hex encoded.
pub fn mac(parts: &[&str]) -> String {
    mac_with(&keys().current, parts)
}

/// `mac` under the current key, then under each old one: what a long-lived keyed value (a backup
/// code's hash, an unsubscribe link) may have been made with.
pub fn macs(parts: &[&str]) -> Vec<String> {
    let keys = keys();
    std::iter::once(&keys.current).chain(keys.old.iter()).map(|k| mac_with(k, parts)).collect()
}

/// The cipher that seals stored secrets, keyed by a key derived from a server key (never the HMAC
/// key itself).
fn sealing_cipher(key: &[u8]) -> chacha20poly1305::XChaCha20Poly1305 {
    use chacha20poly1305::KeyInit;
    let derived = hex::decode(mac_with(key, &["sealing-key-v1"])).expect("hex");
    chacha20poly1305::XChaCha20Poly1305::new_from_slice(&derived).expect("a 32-byte key")
}

/// `v1.`: sealed without associated data (before owners were bound); still opened, re-sealed as
/// `v2.` by `server rotate-secrets`.
const V1: &str = "v1.";
/// `v2.`: sealed with its table and owner as associated data.
const V2: &str = "v2.";

fn associated(table: &str, owner: &str) -> String {
    format!("{table}\x1f{owner}")
}

/// Encrypts a small secret for storage (a TOTP secret, a sealed cookie) bound to where it
/// belongs: `table` and `owner` are associated data, so a value copied to another row or
/// another member does not open. XChaCha20-Poly1305 with a random nonce; `v2.` + base64.
pub fn seal_for(table: &str, owner: &str, plain: &str) -> String {
    seal_under(&keys().current, table, owner, plain)
}

/// `seal_for` under a given key (what an older key sealed, in a rotation's test).
pub fn seal_under(key: &[u8], table: &str, owner: &str, plain: &str) -> String {
    use base64::Engine as _;
    use chacha20poly1305::aead::{Aead, AeadCore, OsRng, Payload};
    let cipher = sealing_cipher(key);
    let nonce = chacha20poly1305::XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let aad = associated(table, owner);
    let sealed = cipher.encrypt(&nonce, Payload { msg: plain.as_bytes(), aad: aad.as_bytes() }).expect("encryption of a short secret");
    let mut bytes = nonce.to_vec();
    bytes.extend(sealed);
    format!("{V2}{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes))
}

/// The secret `seal_for` stored for this table and owner, if it was sealed under the server key
/// (or an old one) and not altered or moved.
pub fn open_for(table: &str, owner: &str, sealed: &str) -> Option<String> {
    use base64::Engine as _;
    use chacha20poly1305::aead::{Aead, Payload};
    let (encoded, aad) = match (sealed.strip_prefix(V2), sealed.strip_prefix(V1)) {
        (Some(e), _) => (e, associated(table, owner)),
        (None, Some(e)) => (e, String::new()),
        _ => return None,
    };
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded).ok()?;
    if bytes.len() < 24 {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(24);
    let nonce: [u8; 24] = nonce.try_into().ok()?;
    let keys = keys();
    std::iter::once(&keys.current).chain(keys.old.iter()).find_map(|key| {
        let plain = sealing_cipher(key).decrypt(&nonce.into(), Payload { msg: ciphertext, aad: aad.as_bytes() }).ok()?;
        String::from_utf8(plain).ok()
    })
}

/// The sealed columns of the database: table, column (each row's `id` is the owner).
const SEALED_COLUMNS: [(&str, &str); 3] = [("accounts", "totp_secret"), ("staff", "totp_secret"), ("staff", "setup_secret")];

/// What `rotate` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rotation {
    pub resealed: u64,
    /// Sealed under no key given: left as they are (and the fingerprint not moved).
    pub unreadable: u64,
}

/// `server rotate-secrets`: every sealed value opened (under the current or an old key) and
/// sealed again under the current key with its owner bound; then the database's fingerprint
/// moves to the current key, so the old one can leave `SECRET_KEY_OLD`. A row changed meanwhile
/// (a new enrolment) keeps its newer value. Backup codes and unsubscribe links stay keyed by the
/// key they were made with: they keep working while that key is in `SECRET_KEY_OLD`.
pub async fn rotate(db: &crate::backend::platform::Db) -> Result<Rotation, sqlx::Error> {
    let mut done = Rotation::default();
    for (table, column) in SEALED_COLUMNS {
        let rows: Vec<(String, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")))
                .fetch_all(db)
                .await?;
        for (id, sealed) in rows {
            let Some(plain) = open_for(table, &id, &sealed) else {
                done.unreadable += 1;
                continue;
            };
            let updated = sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE {table} SET {column} = $1 WHERE id = $2 AND {column} = $3")))
                .bind(seal_for(table, &id, &plain))
                .bind(&id)
                .bind(&sealed)
                .execute(db)
                .await?;
            done.resealed += updated.rows_affected();
        }
    }
    if done.unreadable == 0 {
        sqlx::query("UPDATE server_secrets SET value = $1 WHERE name = 'key_fingerprint'")
            .bind(fingerprint(&keys().current))
            .execute(db)
            .await?;
    }
    Ok(done)
}

/// Keyed hash of a subject for the audit log (lower-cased first, so case does not matter):
/// without the server's key nobody can test a guessed address against the log.
pub fn subject_hash(subject: &str) -> String {
    mac(&["audit-subject", &subject.trim().to_lowercase()])[..32].to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sealed_secrets_open_only_unaltered_and_where_they_belong() {
        let sealed = super::seal_for("staff", "s1", "JBSWY3DPEHPK3PXP");
        assert!(sealed.starts_with("v2.") && !sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(sealed, super::seal_for("staff", "s1", "JBSWY3DPEHPK3PXP"), "a fresh nonce each time");
        assert_eq!(super::open_for("staff", "s1", &sealed).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(super::open_for("staff", "s2", &sealed), None, "copied to another owner: does not open");
        assert_eq!(super::open_for("accounts", "s1", &sealed), None, "nor in another table");
        let mut altered = sealed.clone().into_bytes();
        let last = altered.len() - 2;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(super::open_for("staff", "s1", &String::from_utf8(altered).unwrap()), None);
        assert_eq!(super::open_for("staff", "s1", "JBSWY3DPEHPK3PXP"), None);
    }

    #[test]
    fn macs_depend_on_every_part_and_their_boundaries() {
        assert_eq!(super::mac(&["a", "b"]), super::mac(&["a", "b"]));
        assert_ne!(super::mac(&["a", "b"]), super::mac(&["ab"]));
        assert_ne!(super::mac(&["a", "b"]), super::mac(&["a", "c"]));
        assert_eq!(super::mac(&["x"]).len(), 64);
    }
}
