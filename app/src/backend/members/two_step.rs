//! 2段階認証 for members (`MEMBER_2FA=optional|required`): enrolment of an authenticator app in
//! セキュリティ設定, the code asked after a right password (`/login/code`), backup codes, turning
//! it off, and the staff's reset for a member who lost both. Codes are spent once
//! (`totp::MEMBERS`); a wrong code counts toward the same lock as a wrong password.

use crate::backend::audit;
use crate::backend::identity::throttle::{Attempt, LoginError};
use crate::backend::identity::totp::{self, MEMBERS};
use crate::backend::mail::letters;
use crate::backend::members::login;
use crate::backend::platform::ids::{hash_token, new_token};
use crate::backend::platform::Client;
use crate::backend::platform::{secret, AppState, Work};
use crate::domain::SecondFactor;

/// How long the code may take after the password (a waiting login is not a session: its
/// cookie is `edge::cookies::LOGIN_CODE`).
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
    .bind(crate::domain::safe_next(next))
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
    pub async fn of(db: &crate::backend::platform::Db, account_id: &str) -> Result<Self, sqlx::Error> {
        sqlx::query_as("SELECT id, login_id_norm, email1, totp_secret FROM accounts WHERE id = $1").bind(account_id).fetch_one(db).await
    }

    /// The secret, if enrolled (and sealed under this server key).
    pub fn secret(&self) -> Option<String> {
        self.totp_secret.as_deref().and_then(|sealed| MEMBERS.open_secret(&self.id, sealed))
    }
}

/// A code or backup code typed where a second step is asked (login, reset link), counted
/// like a password under the login ID's limits: spent once when right — the returned attempt is
/// lifted by the caller's own write — and recorded as a failure (perhaps locking) when wrong.
pub async fn check_code<'a>(
    state: &'a AppState,
    client_ip: Option<&'a str>,
    owner: &CodeOwner,
    typed: &str,
) -> Result<(Attempt<'a>, SecondFactor), LoginError> {
    let attempt = Attempt::begin(state, client_ip, &owner.login_id_norm).await?;
    match spend(state, owner, typed).await? {
        Some(factor) => Ok((attempt, factor)),
        None => Err(failed(&attempt, owner).await?),
    }
}

/// Spends the typed code or backup code if it is one of the owner's.
async fn spend(state: &AppState, owner: &CodeOwner, typed: &str) -> Result<Option<SecondFactor>, sqlx::Error> {
    let secret = owner.secret().unwrap_or_default();
    Ok(match SecondFactor::parse(typed) {
        Ok(factor) => MEMBERS.spend(&state.db, &owner.id, &secret, &factor, state.clock.now()).await?.then_some(factor),
        Err(_) => None,
    })
}

async fn failed(attempt: &Attempt<'_>, owner: &CodeOwner) -> Result<LoginError, sqlx::Error> {
    let locked = attempt.failed(Some(&owner.id), owner.email1.as_deref()).await?;
    Ok(if locked { LoginError::Locked } else { LoginError::CodeWrong })
}

/// Changing a factor of an enrolled member (new backup codes, 解除): the password **and** a code
/// (or backup code), checked as one attempt under the login ID's limits. The attempt is lifted
/// only by the caller's write, so a right password never resets the count of wrong codes; a
/// wrong password spends no code.
async fn check_both<'a>(
    state: &'a AppState,
    client_ip: Option<&'a str>,
    member: &login::SessionMember,
    password: &str,
    code: &str,
) -> Result<(Attempt<'a>, CodeOwner), TwoStepError> {
    let owner = CodeOwner::of(&state.db, &member.account_id).await?;
    if owner.secret().is_none() {
        return Err(TwoStepError::NotEnrolled);
    }
    let attempt = login::password_attempt(state, client_ip, member, password).await?;
    match spend(state, &owner, code).await? {
        Some(_) => Ok((attempt, owner)),
        None => Err(failed(&attempt, &owner).await?.into()),
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
    Ok(row.filter(|w| w.created_at > now - PENDING_SECONDS))
}

/// The account of a waiting login that may still finish (its code or a passkey).
pub async fn waiting_account(state: &AppState, token: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(waiting(state, token).await?.map(|w| w.owner.id))
}

/// Ends a waiting login that a second step finished (inside its transaction): where to go, or
/// `None` when it already ended (used by another finish, or by a code at the same moment).
pub async fn end_waiting(tx: &mut sqlx::Transaction<'_, sqlx::Any>, token: &str, account_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("DELETE FROM login_second_steps WHERE id_hash = $1 AND account_id = $2 RETURNING next_path")
            .bind(hash_token(token))
            .bind(account_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(next,)| next))
}

/// What the code page offers a waiting login: the code form (an authenticator app is set),
/// the passkey button (a passkey is registered), or neither (the waiting login ended).
pub async fn waiting_factors(state: &AppState, token: &str) -> Result<Option<(bool, bool)>, sqlx::Error> {
    let Some(w) = waiting(state, token).await? else { return Ok(None) };
    let passkeys = super::passkeys::any(&state.db, &w.owner.id).await?;
    let code = w.owner.totp_secret.is_some();
    Ok((code || passkeys).then_some((code, passkeys)))
}

/// The code of a waiting login: spent once, then the session opens. Returns the session token
/// and where to go. A wrong code is counted like a wrong password (`Attempt`), and a waiting
/// login ends after [`TRIES`] of them.
pub async fn finish(state: &AppState, client: &Client<'_>, token: &str, typed: &str) -> Result<(String, String), LoginError> {
    let Some(w) = waiting(state, token).await?.filter(|w| w.owner.totp_secret.is_some()) else { return Err(LoginError::CodeExpired) };
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
    let mut work = Work::begin(state, "two_step.finish").await?.from_client(client.ip);
    let used = sqlx::query("DELETE FROM login_second_steps WHERE id_hash = $1").bind(hash_token(token)).execute(&mut *work.tx).await?;
    if used.rows_affected() != 1 {
        return Err(LoginError::CodeExpired);
    }
    attempt.succeeded(&mut work.tx).await?;
    let detail = matches!(factor, SecondFactor::Backup(_)).then_some("backup code");
    let session = login::open_session(&mut work, client, &w.owner.id, detail).await?;
    work.commit().await?;
    Ok((session, w.next_path))
}

// ---------------------------------------------------------------- セキュリティ設定

/// What セキュリティ設定 shows.
pub struct Status {
    pub enrolled: bool,
    pub backup_codes_left: i64,
    /// While not enrolled: the key to scan, this session's own (see [`setup_secret`]).
    pub setup_secret: Option<String>,
}

/// The key an enrolment in this session binds: keyed by the session and the account's last
/// accepted step, so it stays the same while the member scans it and retypes a code (a page
/// reloaded after a wrong code shows the QR code already scanned), is never another session's,
/// and is new after each enrolment. Nothing is stored until the code confirms it.
fn setup_secret(account_id: &str, session_token: &str, last_step: i64) -> String {
    let mac = secret::mac(&["totp-setup", account_id, &hash_token(session_token), &last_step.to_string()]);
    totp::encoded(&hex::decode(&mac[..40]).expect("hex"))
}

async fn last_step(state: &AppState, account_id: &str) -> Result<(Option<String>, i64), sqlx::Error> {
    sqlx::query_as("SELECT totp_secret, totp_last_step FROM accounts WHERE id = $1").bind(account_id).fetch_one(&state.db).await
}

pub async fn status(state: &AppState, account_id: &str, session_token: &str) -> Result<Status, sqlx::Error> {
    let (enrolled, step) = last_step(state, account_id).await?;
    if enrolled.is_some() {
        return Ok(Status {
            enrolled: true,
            backup_codes_left: MEMBERS.backup_codes_left(&state.db, account_id).await?,
            setup_secret: None,
        });
    }
    Ok(Status { enrolled: false, backup_codes_left: 0, setup_secret: Some(setup_secret(account_id, session_token, step)) })
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

/// Confirms the authenticator with one of its codes, after the current password (a stolen
/// session alone cannot bind the thief's phone): enrolled, with new backup codes (shown once),
/// the member's other sessions ended, a notice to address 1. Two confirmations at once enrol once.
pub async fn enrol(
    state: &AppState,
    client_ip: Option<&str>,
    member: &login::SessionMember,
    session_token: &str,
    password: &str,
    code: &str,
) -> Result<Vec<String>, TwoStepError> {
    let now = state.clock.now();
    let (enrolled, step_before) = last_step(state, &member.account_id).await?;
    if enrolled.is_some() {
        return Err(TwoStepError::AlreadyEnrolled);
    }
    let setup_secret = setup_secret(&member.account_id, session_token, step_before);
    let keep_session = Some(session_token);
    // The code of the key this page just showed proves the app has it (guessing it gains
    // nothing); the password is the factor, counted.
    let step = totp::matching_step(&setup_secret, code, now).ok_or(TwoStepError::CodeWrong)?;
    let attempt = login::password_attempt(state, client_ip, member, password).await?;
    let mut work = Work::begin(state, "two_step.enrol").await?.from_client(client_ip);
    let done = sqlx::query(
        "UPDATE accounts SET totp_secret = $1, totp_setup_secret = NULL, totp_last_step = $2, updated_at = $3 WHERE id = $4 AND totp_secret IS NULL AND totp_last_step = $5",
    )
    .bind(MEMBERS.seal_secret(&member.account_id, &setup_secret))
    .bind(step)
    .bind(now)
    .bind(&member.account_id)
    .bind(step_before)
    .execute(&mut *work.tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(TwoStepError::AlreadyEnrolled);
    }
    attempt.succeeded(&mut work.tx).await?;
    let codes = MEMBERS.new_backup_codes(&mut work.tx, &member.account_id).await?;
    let email1 = address_1(&mut work.tx, &member.account_id).await?;
    changed(&mut work, member, keep_session, email1.as_deref(), letters::TwoStepChange::Enabled).await?;
    work.commit().await?;
    Ok(codes)
}

/// New backup codes (the old ones stop working), after the password and a code or backup code.
pub async fn renew_backup_codes(
    state: &AppState,
    client_ip: Option<&str>,
    member: &login::SessionMember,
    keep_session: Option<&str>,
    password: &str,
    code: &str,
) -> Result<Vec<String>, TwoStepError> {
    let (attempt, owner) = check_both(state, client_ip, member, password, code).await?;
    let mut work = Work::begin(state, "two_step.renew_backup_codes").await?.from_client(client_ip);
    attempt.succeeded(&mut work.tx).await?;
    let codes = MEMBERS.new_backup_codes(&mut work.tx, &member.account_id).await?;
    changed(&mut work, member, keep_session, owner.email1.as_deref(), letters::TwoStepChange::BackupCodes).await?;
    work.commit().await?;
    Ok(codes)
}

/// Turns it off: the password and a code (or a backup code), checked as one attempt.
pub async fn disable(
    state: &AppState,
    client_ip: Option<&str>,
    member: &login::SessionMember,
    keep_session: Option<&str>,
    password: &str,
    code: &str,
) -> Result<(), TwoStepError> {
    if state.config.member_2fa_required {
        return Err(TwoStepError::Required);
    }
    let (attempt, owner) = check_both(state, client_ip, member, password, code).await?;
    let mut work = Work::begin(state, "two_step.disable").await?.from_client(client_ip);
    attempt.succeeded(&mut work.tx).await?;
    remove(&mut work.tx, &member.account_id).await?;
    changed(&mut work, member, keep_session, owner.email1.as_deref(), letters::TwoStepChange::Disabled).await?;
    work.commit().await?;
    Ok(())
}

/// 職員画面's 2段階認証リセット for a member who lost the authenticator and the backup codes
/// (or the passkeys), after the inquiry form, inside the staff action's transaction, which
/// audits it: the app, the backup codes and every passkey removed,
/// every session and waiting login ended, a notice to address 1. `false`: none was set.
pub async fn reset_for_staff(work: &mut Work<'_>, account_id: &str) -> Result<bool, sqlx::Error> {
    if !enrolled(&mut *work.tx, account_id).await? && !super::passkeys::any(&mut *work.tx, account_id).await? {
        return Ok(false);
    }
    remove(&mut work.tx, account_id).await?;
    super::passkeys::remove_all(&mut work.tx, account_id).await?;
    login::end_sessions(&mut work.tx, account_id, None).await?;
    if let Some(to) = address_1(&mut work.tx, account_id).await? {
        work.mail(&letters::two_step_changed(&work.state.config, &to, letters::TwoStepChange::ResetByStaff)).await?;
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

pub(super) async fn address_1(tx: &mut sqlx::Transaction<'_, sqlx::Any>, account_id: &str) -> Result<Option<String>, sqlx::Error> {
    let (email1,): (Option<String>,) =
        sqlx::query_as("SELECT email1 FROM accounts WHERE id = $1").bind(account_id).fetch_one(&mut **tx).await?;
    Ok(email1)
}

/// The audit entry and the notice of a change of a factor (the app, backup codes, a passkey: a
/// member should hear of every one of them); the member's other sessions end (one of them may be
/// the thief's who saw the old factor).
pub(super) async fn changed(
    work: &mut Work<'_>,
    member: &login::SessionMember,
    keep_session: Option<&str>,
    email1: Option<&str>,
    change: letters::TwoStepChange,
) -> Result<(), sqlx::Error> {
    let ended = login::end_sessions(&mut work.tx, &member.account_id, keep_session).await?;
    let detail = format!("other_sessions_ended={ended}");
    let event = audit::AuditEvent { account_id: Some(&member.account_id), detail: Some(&detail), ..audit::AuditEvent::of(change.event()) };
    work.audit(event).await?;
    if let Some(to) = email1 {
        work.mail(&letters::two_step_changed(&work.state.config, to, change)).await?;
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
/// a few minutes (with or without JavaScript, `edge::cookies::BACKUP_CODES`), shown once there
/// and then deleted.
pub const CODES_COOKIE_SECONDS: i64 = 10 * 60;

/// `enrolled`: made by an enrolment (else by a renewal), which the page says. Sealed for the
/// member: another member's cookie does not open.
pub fn seal_codes(account_id: &str, enrolled: bool, codes: &[String]) -> String {
    secret::seal_for("backup-codes", account_id, &format!("{} {}", if enrolled { "enrolled" } else { "renewed" }, codes.join(" ")))
}

pub fn open_codes(account_id: &str, sealed: &str) -> Option<(bool, Vec<String>)> {
    let plain = secret::open_for("backup-codes", account_id, sealed)?;
    let mut words = plain.split(' ');
    let enrolled = words.next()? == "enrolled";
    Some((enrolled, words.map(str::to_string).collect()))
}
