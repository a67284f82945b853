//! 紙通知: a login ID and a temporary password for roster members who cannot register
//! by mail (紙通知 members, README.md "Operating"). Logging in with one forces パスワード変更
//! and then プロフィール設定 (`SessionMember::forced_path`).

use crate::backend::audit;
use crate::backend::identity::password;
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{Db, Work};
use crate::domain::{Bango, Kigo, MemberStatus, Password, PasswordContext};
use rand::seq::{IndexedRandom, SliceRandom};
use sqlx::Any;

/// Characters that cannot be misread on paper (no 0/O, 1/l/I).
const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"#+=?!@%&-";

/// Who gets credentials.
#[derive(Debug, Clone)]
pub enum Selection {
    Members(Vec<(Kigo, Bango)>),
    /// Every active member without a company address and without an account.
    AllWithoutEmail,
}

/// One line of the printable list. The password exists only here and in the file.
#[derive(Clone)]
pub struct Issued {
    pub kigo: String,
    pub bango: String,
    pub name: String,
    pub login_id: String,
    pub password: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone)]
pub struct Skipped {
    pub kigo: String,
    pub bango: String,
    pub reason: &'static str,
}

#[derive(Default)]
pub struct Report {
    pub issued: Vec<Issued>,
    pub skipped: Vec<Skipped>,
}

fn random_from(set: &[u8], n: usize) -> Vec<u8> {
    let mut rng = rand::rng();
    (0..n).map(|_| *set.choose(&mut rng).expect("non-empty set")).collect()
}

/// `kp` + 8 lower-case letters and digits.
fn new_login_id() -> String {
    let alphabet: Vec<u8> = [LOWER, DIGITS].concat();
    format!("kp{}", String::from_utf8(random_from(&alphabet, 8)).expect("ascii"))
}

/// 12 characters with every class the rules of §3 ask for.
pub(crate) fn new_password(login_id: &str) -> String {
    loop {
        let all: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS].concat();
        let mut chars =
            [random_from(LOWER, 1), random_from(UPPER, 1), random_from(DIGITS, 1), random_from(SYMBOLS, 1), random_from(&all, 8)].concat();
        chars.shuffle(&mut rand::rng());
        let candidate = String::from_utf8(chars).expect("ascii");
        let ctx = PasswordContext { login_id: Some(login_id), ..Default::default() };
        if Password::parse(&candidate, &ctx).and_then(|p| p.check_for_account(&ctx)).is_ok() {
            return candidate;
        }
    }
}

#[derive(sqlx::FromRow)]
struct Candidate {
    kigo: String,
    bango: String,
    name: String,
    status: String,
    account_id: Option<String>,
    login_id: Option<String>,
    must_change_password: Option<i64>,
}

impl Candidate {
    /// Why no letter is issued for this member, if none is: lost eligibility, or they already
    /// set their own password (that is a re-issue, which needs a second staff member).
    fn not_issued(&self) -> Option<&'static str> {
        if self.status == MemberStatus::Lost.code() {
            Some("資格喪失のため発行しません")
        } else if self.must_change_password == Some(0) {
            Some("既に利用登録済みです（ご本人がパスワードを設定済み）")
        } else {
            None
        }
    }
}

async fn candidates(db: &Db, selection: &Selection) -> Result<(Vec<Candidate>, Vec<Skipped>), sqlx::Error> {
    const SELECT: &str = "SELECT r.kigo, r.bango, r.name, r.status, a.id AS account_id, a.login_id, a.must_change_password \
        FROM roster r LEFT JOIN accounts a ON a.kigo = r.kigo AND a.bango = r.bango";
    match selection {
        Selection::AllWithoutEmail => {
            let found = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE (r.email IS NULL OR r.email = '') AND r.status <> $1 AND a.id IS NULL ORDER BY r.kigo, r.bango"
            )))
            .bind(MemberStatus::Lost.code())
            .fetch_all(db)
            .await?;
            Ok((found, Vec::new()))
        }
        Selection::Members(members) => {
            let (mut found, mut missing) = (Vec::new(), Vec::new());
            for (kigo, bango) in members {
                let row: Option<Candidate> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.kigo = $1 AND r.bango = $2")))
                    .bind(kigo.as_str())
                    .bind(bango.as_str())
                    .fetch_optional(db)
                    .await?;
                match row {
                    Some(c) => found.push(c),
                    None => missing
                        .push(Skipped { kigo: kigo.as_str().into(), bango: bango.as_str().into(), reason: "名簿にありません" }),
                }
            }
            Ok((found, missing))
        }
    }
}

/// Creates (or, while still unused, renews) temporary credentials. Members who already set
/// their own password, or who lost eligibility, are skipped with the reason.
/// `by`: the staff member who issued them from the console (else the CLI's operator).
pub async fn issue(
    db: &Db,
    now: i64,
    selection: &Selection,
    valid_days: i64,
    by: Option<audit::ByStaff<'_>>,
) -> Result<Report, sqlx::Error> {
    let (found, mut skipped) = candidates(db, selection).await?;
    let expires_at = now + valid_days * 86_400;
    let mut planned = Vec::new();
    for c in found {
        match c.not_issued() {
            Some(reason) => skipped.push(Skipped { kigo: c.kigo.clone(), bango: c.bango.clone(), reason }),
            None => {
                let login_id = c.login_id.clone().unwrap_or_else(new_login_id);
                let password = new_password(&login_id);
                planned.push((c, login_id, password));
            }
        }
    }
    let hashes = hash_all(planned.iter().map(|(_, _, pw)| pw.clone()).collect(), by.is_some()).await?;

    let mut tx = crate::backend::platform::db::begin(db).await?;
    let mut issued = Vec::new();
    for ((c, mut login_id, password), hash) in planned.into_iter().zip(hashes) {
        let account_id = match &c.account_id {
            Some(id) => {
                renew(&mut tx, id, &hash, expires_at, now).await?;
                id.clone()
            }
            None => create(&mut tx, &c, &mut login_id, &hash, expires_at, now).await?,
        };
        audit::record(
            &mut *tx,
            now,
            audit::AuditEvent {
                account_id: Some(&account_id),
                staff_id: by.map(|b| b.staff_id),
                detail: by.map(|b| b.reason),
                ..audit::AuditEvent::of(audit::Event::TempCredentialsIssued)
            },
        )
        .await?;
        issued.push(Issued { kigo: c.kigo, bango: c.bango, name: c.name, login_id, password, expires_at });
    }
    tx.commit().await?;
    Ok(Report { issued, skipped })
}

/// Hashes a batch, waiting for its turns however long it takes. From the CLI (its own process)
/// one hash per core; inside the serving portal one at a time, so a batch never queues more
/// than one hash ahead of members' logins.
async fn hash_all(passwords: Vec<String>, beside_logins: bool) -> Result<Vec<String>, sqlx::Error> {
    let failed = |e: crate::backend::identity::password::HashError| sqlx::Error::Protocol(e.to_string());
    if beside_logins {
        let mut hashes = Vec::with_capacity(passwords.len());
        for pw in passwords {
            hashes.push(password::hash_in(password::slot_unbounded().await.map_err(failed)?, pw).await.map_err(failed)?);
        }
        return Ok(hashes);
    }
    let mut hashing = tokio::task::JoinSet::new();
    for (i, pw) in passwords.iter().cloned().enumerate() {
        hashing.spawn(async move {
            let hashed = match password::slot_unbounded().await {
                Ok(slot) => password::hash_in(slot, pw).await,
                Err(e) => Err(e),
            };
            (i, hashed)
        });
    }
    let mut hashes = vec![String::new(); passwords.len()];
    while let Some(done) = hashing.join_next().await {
        let (i, hash) = done.map_err(|e| sqlx::Error::Protocol(format!("hashing task: {e}")))?;
        hashes[i] = hash.map_err(failed)?;
    }
    Ok(hashes)
}

/// How many first letters a selection would issue now (what 紙通知の一括印刷 shows before issuing).
pub async fn count(db: &Db, selection: &Selection) -> Result<usize, sqlx::Error> {
    let (found, _) = candidates(db, selection).await?;
    Ok(found.iter().filter(|c| c.not_issued().is_none()).count())
}

async fn renew(tx: &mut sqlx::Transaction<'_, Any>, account_id: &str, hash: &str, expires_at: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET password_hash = $1, password_expires_at = $2, updated_at = $3 WHERE id = $4 AND must_change_password = 1",
    )
    .bind(hash)
    .bind(expires_at)
    .bind(now)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    crate::backend::members::login::end_sessions(tx, account_id, None).await?;
    Ok(())
}

/// A new account; a generated login ID that happens to be taken is drawn again.
async fn create(
    tx: &mut sqlx::Transaction<'_, Any>,
    c: &Candidate,
    login_id: &mut String,
    hash: &str,
    expires_at: i64,
    now: i64,
) -> Result<String, sqlx::Error> {
    let account_id = new_id();
    loop {
        let taken: Option<(String,)> =
            sqlx::query_as("SELECT id FROM accounts WHERE login_id_norm = $1").bind(login_id.as_str()).fetch_optional(&mut **tx).await?;
        if taken.is_none() {
            break;
        }
        *login_id = new_login_id();
    }
    sqlx::query(
        "INSERT INTO accounts (id, kigo, bango, login_id, login_id_norm, password_hash, nickname, must_change_password, must_set_profile, password_expires_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4, $5, $6, 1, 1, $7, $8, $8)",
    )
    .bind(&account_id)
    .bind(&c.kigo)
    .bind(&c.bango)
    .bind(login_id.as_str())
    .bind(hash)
    .bind(&c.name)
    .bind(expires_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(account_id)
}

/// A temporary password for a member who already registered (職員画面, after a request and a
/// second staff member's approval: the member lost the password and cannot use the mail
/// reset), made and hashed before the approval's transaction writes it ([`Reissue::apply`]).
pub struct Reissue {
    account_id: String,
    issued: Issued,
    hash: String,
    addresses: Vec<String>,
}

impl Reissue {
    pub async fn prepare(db: &Db, account_id: &str, valid_days: i64, now: i64) -> Result<Self, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct Row {
            kigo: String,
            bango: String,
            name: String,
            login_id: String,
            email1: Option<String>,
            email2: Option<String>,
            email3: Option<String>,
        }
        let row: Row = sqlx::query_as(
            "SELECT a.kigo, a.bango, r.name, a.login_id, a.email1, a.email2, a.email3 FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.id = $1",
        )
        .bind(account_id)
        .fetch_one(db)
        .await?;
        let password = new_password(&row.login_id);
        let hash = password::hash(password.clone()).await.map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        let addresses = [row.email1, row.email2, row.email3].into_iter().flatten().collect();
        let issued = Issued {
            kigo: row.kigo,
            bango: row.bango,
            name: row.name,
            login_id: row.login_id,
            password,
            expires_at: now + valid_days * 86_400,
        };
        Ok(Self { account_id: account_id.to_string(), issued, hash, addresses })
    }

    /// Writes it inside the caller's transaction, which audits who approved it: the old password
    /// stops working, every session ends, the lock lifts, パスワード変更 is forced at the next
    /// login, and the member's confirmed addresses get a notice (never the password: that goes
    /// by letter, printed by the approver).
    pub async fn apply(self, work: &mut Work<'_>) -> Result<Issued, sqlx::Error> {
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, must_change_password = 1, password_expires_at = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(&self.hash)
        .bind(self.issued.expires_at)
        .bind(work.now)
        .bind(&self.account_id)
        .execute(&mut *work.tx)
        .await?;
        crate::backend::members::login::end_sessions(&mut work.tx, &self.account_id, None).await?;
        crate::backend::members::login::lift_account_lock(&mut work.tx, &self.account_id).await?;
        for to in &self.addresses {
            let notice = crate::backend::mail::letters::temp_password_issued(&work.state.config, to);
            work.mail(&notice).await?;
        }
        Ok(self.issued)
    }
}

/// The printable list: UTF-8 with a BOM so that Excel opens it correctly.
pub fn to_csv(issued: &[Issued], login_url: &str) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(["記号", "番号", "氏名", "ログインID", "仮パスワード", "有効期限", "ログインURL"])?;
    for i in issued {
        w.write_record([
            &i.kigo,
            &i.bango,
            &i.name,
            &i.login_id,
            &i.password,
            &crate::backend::platform::clock::jst(i.expires_at, "%Y/%m/%d %H:%M"),
            login_url,
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_credentials_follow_the_rules_and_avoid_ambiguous_characters() {
        for _ in 0..200 {
            let id = new_login_id();
            assert!(crate::domain::LoginId::parse(&id).is_ok(), "{id}");
            let pw = new_password(&id);
            assert!(Password::parse(&pw, &PasswordContext { login_id: Some(&id), ..Default::default() }).is_ok(), "{pw}");
            assert!(!pw.chars().any(|c| "0O1lI".contains(c)), "{pw}");
        }
    }
}
