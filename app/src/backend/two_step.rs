//! 2段階認証 for members (`MEMBER_2FA=optional|required`): enrolment of an authenticator app in
//! セキュリティ設定, the code asked after a right password (`/login/code`), backup codes, turning
//! it off, and the staff's reset for a member who lost both. Codes are spent once
//! (`totp::MEMBERS`); a wrong code counts toward the same lock as a wrong password.

use super::auth::{self, Attempt, Client, LoginError};
use super::ids::{hash_token, new_token};
use super::totp::{self, MEMBERS};
use super::{audit, mails, outbox, secret, AppState};
use crate::domain::SecondFactor;

/// The cookie of a login waiting for its code; it is not a session.
pub const COOKIE: &str = "portal_login_code";
/// How long the code may take after the password.
pub const PENDING_SECONDS: i64 = 5 * 60;
/// Wrong codes one waiting login allows (each also counts toward the login ID's lock).
const TRIES: i64 = 5;

/// Whether the account has an authenticator enrolled.
pub async fn enrolled<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(conn: E, account_id: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT totp_secret FROM accounts WHERE id = $1").bind(account_id).fetch_optional(conn).await?;
    Ok(row.and_then(|(s,)| s).is_some())
}

/// A right password of an enrolled member: the login waits for its code. Returns the token of
/// the waiting login's cookie. Nothing is lifted yet: the password's count stays until the code.
pub async fn begin(state: &AppState, client: &Client<'_>, account_id: &str, next: &str) -> Result<String, sqlx::Error> {
    let now = state.clock.now();
    let token = new_token();
    sqlx::query("DELETE FROM login_second_steps WHERE created_at <= $1").bind(now - PENDING_SECONDS).execute(&state.db).await?;
    sqlx::query(
        "INSERT INTO login_second_steps (id_hash, account_id, next_path, created_at, client_ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_token(&token))
    .bind(account_id)
    .bind(auth::safe_next(next))
    .bind(now)
    .bind(client.ip)
    .bind(client.user_agent.map(|ua| ua.chars().take(256).collect::<String>()))
    .execute(&state.db)
    .await?;
    Ok(token)
}

/// A member whose code is checked: the login ID (its lock), the sealed secret and the address
/// a lock notice goes to.
#[derive(sqlx::FromRow)]
pub struct CodeOwner {
    pub id: String,
    pub login_id_norm: String,
    pub email1: Option<String>,
    pub totp_secret: Option<String>,
}

impl CodeOwner {
    pub async fn of(db: &super::Db, account_id: &str) -> Result<Self, sqlx::Error> {
        sqlx::query_as("SELECT id, login_id_norm, email1, totp_secret FROM accounts WHERE id = $1").bind(account_id).fetch_one(db).await
    }

    /// The secret, if enrolled (and sealed under this server key).
    pub fn secret(&self) -> Option<String> {
        self.totp_secret.as_deref().and_then(secret::open)
    }
}

/// A code or backup code typed where a second step is asked (login, reset link, 解除), counted
/// like a password under the login ID's limits: spent once when right — the returned attempt is
/// lifted by the caller's own write — and recorded as a failure (perhaps locking) when wrong.
pub async fn check_code<'a>(
    state: &'a AppState,
    client_ip: Option<&'a str>,
    owner: &CodeOwner,
    typed: &str,
) -> Result<(Attempt<'a>, SecondFactor), LoginError> {
    let attempt = Attempt::begin(state, client_ip, &owner.login_id_norm).await?;
    let secret = owner.secret().unwrap_or_default();
    let spent = match SecondFactor::parse(typed) {
        Ok(factor) => MEMBERS.spend(&state.db, &owner.id, &secret, &factor, state.clock.now()).await?.then_some(factor),
        Err(_) => None,
    };
    match spent {
        Some(factor) => Ok((attempt, factor)),
        None => {
            let locked = attempt.failed(Some(&owner.id), owner.email1.as_deref()).await?;
            Err(if locked { LoginError::Locked } else { LoginError::CodeWrong })
        }
    }
}

#[derive(sqlx::FromRow)]
struct Waiting {
    next_path: String,
    created_at: i64,
    #[sqlx(flatten)]
    owner: CodeOwner,
}

async fn waiting(state: &AppState, token: &str) -> Result<Option<Waiting>, sqlx::Error> {
    let now = state.clock.now();
    let row: Option<Waiting> = sqlx::query_as(
        "SELECT w.next_path, w.created_at, a.id, a.login_id_norm, a.email1, a.totp_secret \
         FROM login_second_steps w JOIN accounts a ON a.id = w.account_id WHERE w.id_hash = $1",
    )
    .bind(hash_token(token))
    .fetch_optional(&state.db)
    .await?;
    Ok(row.filter(|w| w.created_at > now - PENDING_SECONDS && w.owner.totp_secret.is_some()))
}

/// Whether a waiting login's cookie still works (the code page shows its form or says so).
pub async fn is_waiting(state: &AppState, token: &str) -> Result<bool, sqlx::Error> {
    Ok(waiting(state, token).await?.is_some())
}

/// The code of a waiting login: spent once, then the session opens. Returns the session token
/// and where to go. A wrong code is counted like a wrong password (`Attempt`), and a waiting
/// login ends after [`TRIES`] of them.
pub async fn finish(state: &AppState, client: &Client<'_>, token: &str, typed: &str) -> Result<(String, String), LoginError> {
    let Some(w) = waiting(state, token).await? else { return Err(LoginError::CodeExpired) };
    let (attempt, factor) = match check_code(state, client.ip, &w.owner, typed).await {
        Ok(spent) => spent,
        Err(LoginError::CodeWrong) => {
            let counted = sqlx::query("UPDATE login_second_steps SET tries = tries + 1 WHERE id_hash = $1 RETURNING tries")
                .bind(hash_token(token))
                .fetch_optional(&state.db)
                .await?;
            let tries: i64 = counted.map(|r| sqlx::Row::get(&r, 0)).unwrap_or(TRIES);
            if tries < TRIES {
                return Err(LoginError::CodeWrong);
            }
            sqlx::query("DELETE FROM login_second_steps WHERE id_hash = $1").bind(hash_token(token)).execute(&state.db).await?;
            return Err(LoginError::CodeExpired);
        }
        Err(LoginError::Locked) => {
            sqlx::query("DELETE FROM login_second_steps WHERE id_hash = $1").bind(hash_token(token)).execute(&state.db).await?;
            return Err(LoginError::Locked);
        }
        Err(other) => return Err(other),
    };
    let mut tx = super::db::begin(&state.db).await?;
    let used = sqlx::query("DELETE FROM login_second_steps WHERE id_hash = $1").bind(hash_token(token)).execute(&mut *tx).await?;
    if used.rows_affected() != 1 {
        return Err(LoginError::CodeExpired);
    }
    attempt.succeeded(&mut tx).await?;
    let detail = matches!(factor, SecondFactor::Backup(_)).then_some("backup code");
    let session = auth::open_session(&mut tx, state, client, &w.owner.id, detail).await?;
    tx.commit().await?;
    Ok((session, w.next_path))
}

// ---------------------------------------------------------------- セキュリティ設定

/// What セキュリティ設定 shows.
pub struct Status {
    pub enrolled: bool,
    pub backup_codes_left: i64,
    /// While not enrolled: the secret to scan (created once, kept until enrolment).
    pub setup_secret: Option<String>,
}

pub async fn status(state: &AppState, account_id: &str) -> Result<Status, sqlx::Error> {
    let (enrolled, pending): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT totp_secret, totp_setup_secret FROM accounts WHERE id = $1").bind(account_id).fetch_one(&state.db).await?;
    if enrolled.is_some() {
        return Ok(Status {
            enrolled: true,
            backup_codes_left: MEMBERS.backup_codes_left(&state.db, account_id).await?,
            setup_secret: None,
        });
    }
    let setup_secret = match pending.as_deref().and_then(secret::open) {
        Some(s) => s,
        None => {
            let fresh = totp::new_secret();
            // Two pages loading at once keep the first secret made.
            sqlx::query("UPDATE accounts SET totp_setup_secret = $1 WHERE id = $2 AND totp_setup_secret IS NULL")
                .bind(secret::seal(&fresh))
                .bind(account_id)
                .execute(&state.db)
                .await?;
            let (stored,): (Option<String>,) =
                sqlx::query_as("SELECT totp_setup_secret FROM accounts WHERE id = $1").bind(account_id).fetch_one(&state.db).await?;
            stored.as_deref().and_then(secret::open).unwrap_or(fresh)
        }
    };
    Ok(Status { enrolled: false, backup_codes_left: 0, setup_secret: Some(setup_secret) })
}

/// The issuer an authenticator app shows beside the member's codes.
pub fn issuer(state: &AppState) -> String {
    format!("{} {}", crate::text::PRODUCT_NAME, state.config.society_name)
}

#[derive(Debug, thiserror::Error)]
pub enum TwoStepError {
    /// The code does not match (enrolment), or the password or code does not (turning off).
    #[error("wrong code")]
    CodeWrong,
    #[error("already enrolled")]
    AlreadyEnrolled,
    #[error("not enrolled")]
    NotEnrolled,
    /// `MEMBER_2FA=required`: it cannot be turned off.
    #[error("required by the society")]
    Required,
    #[error(transparent)]
    Login(#[from] LoginError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Confirms the authenticator with one of its codes: enrolled, with new backup codes (shown
/// once), a notice to address 1. Two confirmations at once enrol once.
pub async fn enrol(state: &AppState, client_ip: Option<&str>, account_id: &str, code: &str) -> Result<Vec<String>, TwoStepError> {
    let now = state.clock.now();
    let (pending, email1): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT totp_setup_secret, email1 FROM accounts WHERE id = $1").bind(account_id).fetch_one(&state.db).await?;
    let Some(sealed) = pending else { return Err(TwoStepError::AlreadyEnrolled) };
    let setup_secret = secret::open(&sealed).unwrap_or_default();
    let step = totp::matching_step(&setup_secret, code, now).ok_or(TwoStepError::CodeWrong)?;
    let mut tx = super::db::begin(&state.db).await?;
    let done = sqlx::query(
        "UPDATE accounts SET totp_secret = totp_setup_secret, totp_setup_secret = NULL, totp_last_step = $1, updated_at = $2 \
         WHERE id = $3 AND totp_secret IS NULL AND totp_setup_secret = $4",
    )
    .bind(step)
    .bind(now)
    .bind(account_id)
    .bind(&sealed)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(TwoStepError::AlreadyEnrolled);
    }
    let codes = MEMBERS.new_backup_codes(&mut tx, account_id).await?;
    changed(state, &mut tx, now, account_id, client_ip, email1.as_deref(), mails::TwoStepChange::Enabled).await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(codes)
}

/// New backup codes (the old ones stop working), after the password.
pub async fn renew_backup_codes(
    state: &AppState,
    client_ip: Option<&str>,
    member: &auth::SessionMember,
    password: &str,
) -> Result<Vec<String>, TwoStepError> {
    auth::check_current_password(state, client_ip, member, password).await?;
    if !enrolled(&state.db, &member.account_id).await? {
        return Err(TwoStepError::NotEnrolled);
    }
    let now = state.clock.now();
    let mut tx = super::db::begin(&state.db).await?;
    let codes = MEMBERS.new_backup_codes(&mut tx, &member.account_id).await?;
    let email1 = address_1(&mut tx, &member.account_id).await?;
    changed(state, &mut tx, now, &member.account_id, client_ip, email1.as_deref(), mails::TwoStepChange::BackupCodes).await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(codes)
}

/// Turns it off: the password and a code (or a backup code), a code counted like a login's.
pub async fn disable(
    state: &AppState,
    client_ip: Option<&str>,
    member: &auth::SessionMember,
    password: &str,
    code: &str,
) -> Result<(), TwoStepError> {
    if state.config.member_2fa_required {
        return Err(TwoStepError::Required);
    }
    auth::check_current_password(state, client_ip, member, password).await?;
    let owner = CodeOwner::of(&state.db, &member.account_id).await?;
    if owner.secret().is_none() {
        return Err(TwoStepError::NotEnrolled);
    }
    let (attempt, _) = check_code(state, client_ip, &owner, code).await?;
    let now = state.clock.now();
    let mut tx = super::db::begin(&state.db).await?;
    attempt.succeeded(&mut tx).await?;
    remove(&mut tx, &member.account_id).await?;
    changed(state, &mut tx, now, &member.account_id, client_ip, owner.email1.as_deref(), mails::TwoStepChange::Disabled).await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// 職員画面's 2段階認証リセット for a member who lost the authenticator and the backup codes
/// (after the inquiry form), inside the staff action's transaction, which audits it: removed,
/// every session and waiting login ended, a notice to address 1. `false`: none was set.
pub async fn reset_for_staff(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if !enrolled(&mut **tx, account_id).await? {
        return Ok(false);
    }
    remove(tx, account_id).await?;
    auth::end_sessions(tx, account_id, None).await?;
    if let Some(to) = address_1(tx, account_id).await? {
        outbox::enqueue(&mut **tx, now, &mails::two_step_changed(&state.config, &to, mails::TwoStepChange::ResetByStaff)).await?;
    }
    Ok(true)
}

async fn remove(tx: &mut sqlx::Transaction<'_, sqlx::Any>, account_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET totp_secret = NULL, totp_setup_secret = NULL WHERE id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM account_backup_codes WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM login_second_steps WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?;
    Ok(())
}

async fn address_1(tx: &mut sqlx::Transaction<'_, sqlx::Any>, account_id: &str) -> Result<Option<String>, sqlx::Error> {
    let (email1,): (Option<String>,) =
        sqlx::query_as("SELECT email1 FROM accounts WHERE id = $1").bind(account_id).fetch_one(&mut **tx).await?;
    Ok(email1)
}

/// The audit entry and the notice of a change (a member should hear of every one of them).
async fn changed(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    now: i64,
    account_id: &str,
    client_ip: Option<&str>,
    email1: Option<&str>,
    change: mails::TwoStepChange,
) -> Result<(), sqlx::Error> {
    let event = audit::AuditEvent { event: change.event(), account_id: Some(account_id), client_ip, ..Default::default() };
    audit::record(&mut **tx, now, event).await?;
    if let Some(to) = email1 {
        outbox::enqueue(&mut **tx, now, &mails::two_step_changed(&state.config, to, change)).await?;
    }
    Ok(())
}

impl From<TwoStepError> for crate::error::AppError {
    fn from(e: TwoStepError) -> Self {
        use crate::error::AppError;
        use crate::text::two_step as text;
        let field = |name, message| AppError::field(name, crate::domain::FieldError::new(message));
        match e {
            TwoStepError::CodeWrong | TwoStepError::Login(LoginError::CodeWrong) => field("code", text::CODE_WRONG),
            TwoStepError::Login(LoginError::Wrong) => field("current_password", crate::text::settings::REAUTH_WRONG),
            TwoStepError::AlreadyEnrolled => AppError::form(text::ALREADY_ON),
            TwoStepError::NotEnrolled => AppError::form(text::NOT_ON),
            TwoStepError::Required => AppError::form(text::REQUIRED_NO_DISABLE),
            TwoStepError::Login(e) => e.into(),
            TwoStepError::Db(e) => e.into(),
        }
    }
}

/// Backup codes travel from the form that made them to `/security/codes` in a sealed cookie of
/// a few minutes (with or without JavaScript), shown once there and then deleted.
pub const CODES_COOKIE: &str = "portal_backup_codes";
pub const CODES_COOKIE_SECONDS: i64 = 10 * 60;

/// `enrolled`: made by an enrolment (else by a renewal), which the page says.
pub fn seal_codes(enrolled: bool, codes: &[String]) -> String {
    secret::seal(&format!("{} {}", if enrolled { "enrolled" } else { "renewed" }, codes.join(" ")))
}

pub fn open_codes(sealed: &str) -> Option<(bool, Vec<String>)> {
    let plain = secret::open(sealed)?;
    let mut words = plain.split(' ');
    let enrolled = words.next()? == "enrolled";
    Some((enrolled, words.map(str::to_string).collect()))
}
