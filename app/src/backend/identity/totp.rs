//! Two-step login, for staff (always) and members (`MEMBER_2FA`): time-based one-time codes
//! (RFC 6238: SHA-1, 6 digits, 30 s) with the `totp-rs` crate, and single-use backup codes.
//! A code is accepted for its own 30-second step and the neighbouring ones (clock drift); the
//! step of the last accepted code is stored so no code works twice.

use crate::backend::platform::{secret, Db};
use crate::domain::{SecondFactor, BACKUP_ALPHABET, BACKUP_LEN};
use rand::seq::IndexedRandom;
use totp_rs::{Algorithm, Secret, TOTP};

/// How many backup codes an enrolment (or a renewal) gives.
pub const BACKUP_CODES: usize = 10;

const STEP: i64 = 30;

/// A new random secret (160 bits, as RFC 4226 recommends), base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    encoded(&bytes)
}

/// Secret bytes as an authenticator app takes them (base32).
pub fn encoded(bytes: &[u8]) -> String {
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
    [step, step - 1, step + 1]
        .into_iter()
        .find(|s| crate::backend::platform::ids::secrets_equal(&totp.generate((s * STEP).max(0) as u64), code))
}

/// Where one kind of principal keeps its second factor: the secret and last step on its own
/// row, the backup codes (keyed hashes) in a table of their own.
pub struct Store {
    owners: &'static str,
    codes: &'static str,
    owner_column: &'static str,
    /// Keys the backup codes' hashes apart per kind.
    label: &'static str,
}

pub const STAFF: Store = Store { owners: "staff", codes: "staff_backup_codes", owner_column: "staff_id", label: "staff-backup-code" };
pub const MEMBERS: Store =
    Store { owners: "accounts", codes: "account_backup_codes", owner_column: "account_id", label: "member-backup-code" };

impl Store {
    fn backup_code_hash(&self, owner: &str, code: &str) -> String {
        secret::mac(&[self.label, owner, code])
    }

    /// The hashes a backup code may be stored under: this key's, then an old key's (codes made
    /// before a rotation keep working while that key is in `SECRET_KEY_OLD`).
    fn backup_code_hashes(&self, owner: &str, code: &str) -> Vec<String> {
        secret::macs(&[self.label, owner, code])
    }

    /// The owner's sealed TOTP secret, opened (bound to the owner's row).
    pub fn open_secret(&self, owner: &str, sealed: &str) -> Option<String> {
        secret::open_for(self.owners, owner, sealed)
    }

    /// A TOTP secret sealed for the owner's row.
    pub fn seal_secret(&self, owner: &str, plain: &str) -> String {
        secret::seal_for(self.owners, owner, plain)
    }

    /// Spends a second factor: a code's time step is accepted once (a replayed or older code is
    /// refused, also when two logins send it at the same moment), a backup code once.
    pub async fn spend<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(
        &self,
        conn: E,
        owner: &str,
        secret: &str,
        factor: &SecondFactor,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = match factor {
            SecondFactor::Code(code) => {
                let Some(step) = matching_step(secret, code, now) else { return Ok(false) };
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE {} SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
                    self.owners
                )))
                .bind(step)
                .bind(owner)
                .execute(conn)
                .await?
            }
            SecondFactor::Backup(code) => {
                // The current key's hash, or (during a rotation) an old key's: one per key.
                let hashes = self.backup_code_hashes(owner, code);
                let marks: Vec<String> = (0..hashes.len()).map(|i| format!("${}", i + 3)).collect();
                let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE {} SET used_at = $1 WHERE {} = $2 AND code_hash IN ({}) AND used_at IS NULL",
                    self.codes,
                    self.owner_column,
                    marks.join(", ")
                )))
                .bind(now)
                .bind(owner);
                for hash in hashes {
                    query = query.bind(hash);
                }
                query.execute(conn).await?
            }
        };
        Ok(done.rows_affected() == 1)
    }

    /// Replaces the owner's backup codes with [`BACKUP_CODES`] new ones; returns them as shown
    /// once (`abcde-fghjk`): only their hashes are kept.
    pub async fn new_backup_codes(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>, owner: &str) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {} WHERE {} = $1", self.codes, self.owner_column)))
            .bind(owner)
            .execute(&mut **tx)
            .await?;
        let mut shown = Vec::with_capacity(BACKUP_CODES);
        for _ in 0..BACKUP_CODES {
            let code: String = {
                let mut rng = rand::rng();
                (0..BACKUP_LEN).map(|_| *BACKUP_ALPHABET.choose(&mut rng).expect("non-empty") as char).collect()
            };
            sqlx::query(sqlx::AssertSqlSafe(format!("INSERT INTO {} ({}, code_hash) VALUES ($1, $2)", self.codes, self.owner_column)))
                .bind(owner)
                .bind(self.backup_code_hash(owner, &code))
                .execute(&mut **tx)
                .await?;
            shown.push(format!("{}-{}", &code[..BACKUP_LEN / 2], &code[BACKUP_LEN / 2..]));
        }
        Ok(shown)
    }

    /// How many backup codes are left unused.
    pub async fn backup_codes_left(&self, db: &Db, owner: &str) -> Result<i64, sqlx::Error> {
        let (left,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {} WHERE {} = $1 AND used_at IS NULL",
            self.codes, self.owner_column
        )))
        .bind(owner)
        .fetch_one(db)
        .await?;
        Ok(left)
    }
}

/// A QR code of `text` as an `<img>` data URI (SVG; allowed by the CSP's `img-src data:`).
pub fn qr_data_uri(text: &str) -> Option<String> {
    use base64::Engine as _;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build();
    Some(format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg)))
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
