//! ログインID・パスワード忘れた方: a mail with the login ID and a one-time
//! 30-minute link to set a new password. The same answer and the same work for every
//! address, so the form tells nobody who is registered.

use crate::backend::audit;
use crate::backend::identity::challenge;
use crate::backend::identity::password;
use crate::backend::identity::password::HashError;
use crate::backend::mail::letters;
use crate::backend::members::{login, settings};
use crate::backend::platform::ids::{hash_token, new_token};
use crate::backend::platform::{AppState, Work};
use crate::domain::{Email, FieldError, MemberStatus, Password};
use crate::error::AppError;
use crate::text::recovery as text;

/// Why a new password was not set from a reset link.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// Used, expired, or never issued.
    #[error("the reset link can no longer be used")]
    LinkUnusable,
    #[error("new password refused: {0}")]
    NewPassword(FieldError),
    /// 2段階認証: the code is wrong, or the login ID is locked by wrong codes.
    #[error(transparent)]
    Code(#[from] crate::backend::identity::throttle::LoginError),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<RecoveryError> for AppError {
    fn from(e: RecoveryError) -> Self {
        match e {
            RecoveryError::LinkUnusable => AppError::Gone(text::RESET_LINK_INVALID.into()),
            RecoveryError::NewPassword(e) => AppError::field("new_password", e),
            RecoveryError::Code(e) => e.into(),
            RecoveryError::Hash(e) => e.into(),
            RecoveryError::Db(e) => e.into(),
        }
    }
}

pub const LINK_SECONDS: i64 = 30 * 60;
pub const MAILS_PER_ADDRESS_PER_HOUR: i64 = 3;

/// Sends the reset mail (registered address) or the mail pointing to the inquiry form.
pub async fn request(state: &AppState, client_ip: Option<&str>, email: &Email) -> Result<(), sqlx::Error> {
    let now = state.clock.now();
    let norm = email.normalized();
    let mut work = Work::begin(state, "recovery.request").await?.from_client(client_ip);
    if challenge::public_form(&mut work, "forgot", audit::Event::ForgotMailDropped, &norm, MAILS_PER_ADDRESS_PER_HOUR).await?
        != challenge::Gate::Open
    {
        work.commit().await?;
        return Ok(());
    }
    // Any confirmed address 1–3 of an account whose member is still eligible (an address
    // belongs to one account at most: unique index).
    let account: Option<(String, String)> = sqlx::query_as(
        "SELECT a.id, a.login_id FROM account_emails e JOIN accounts a ON a.id = e.account_id \
         JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE e.email_norm = $1 AND r.status <> $2",
    )
    .bind(&norm)
    .bind(MemberStatus::Lost.code())
    .fetch_optional(&mut *work.tx)
    .await?;
    let (mail, account_id, event) = match account {
        Some((account_id, login_id)) => {
            let token = new_token();
            sqlx::query("INSERT INTO password_resets (token_hash, account_id, expires_at, created_at) VALUES ($1, $2, $3, $4)")
                .bind(hash_token(&token))
                .bind(&account_id)
                .bind(now + LINK_SECONDS)
                .bind(now)
                .execute(&mut *work.tx)
                .await?;
            (letters::password_reset(&state.config, email.as_str(), &login_id, &token), Some(account_id), audit::Event::ResetRequested)
        }
        None => (letters::password_reset_unknown(&state.config, email.as_str()), None, audit::Event::ResetRequestedUnknown),
    };
    work.mail(&mail).await?;
    work.audit(audit::AuditEvent { account_id: account_id.as_deref(), subject: Some(&norm), ..audit::AuditEvent::of(event) }).await?;
    work.commit().await?;
    Ok(())
}

/// The account a reset link belongs to, if it is unused and unexpired.
async fn link_account(state: &AppState, token: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT account_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
            .bind(hash_token(token))
            .bind(state.clock.now())
            .fetch_optional(&state.db)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// The reset page of a usable link: the login ID (the member needs it, and a password manager
/// too) and whether 2段階認証 asks for a code as well.
pub async fn link_view(state: &AppState, token: &str) -> Result<Option<crate::api::ResetLinkView>, sqlx::Error> {
    let Some(account_id) = link_account(state, token).await? else { return Ok(None) };
    let (login_id, two_step): (String, i64) =
        sqlx::query_as("SELECT login_id, CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END FROM accounts WHERE id = $1")
            .bind(&account_id)
            .fetch_one(&state.db)
            .await?;
    Ok(Some(crate::api::ResetLinkView { login_id, needs_code: two_step == 1 }))
}

/// 2段階認証 also guards the reset: a member with it enrolled gives a code (or a backup code),
/// counted like a login's, before the new password works. Whoever reads the member's mail
/// alone cannot take the account.
async fn check_code(state: &AppState, client_ip: Option<&str>, account_id: &str, typed: &str) -> Result<(), RecoveryError> {
    let owner = crate::backend::members::two_step::CodeOwner::of(&state.db, account_id).await?;
    if owner.secret().is_some() {
        // The count is lifted with the lock when the new password is stored (`reset`).
        crate::backend::members::two_step::check_code(state, client_ip, &owner, typed).await?;
    }
    Ok(())
}

/// Sets the new password: the link is spent (with every other open link of the account),
/// every session ends, the login lock is lifted and a notice goes to address 1.
pub async fn reset(
    state: &AppState,
    client_ip: Option<&str>,
    token: &str,
    new_password: &Password,
    code: &str,
) -> Result<(), RecoveryError> {
    let now = state.clock.now();
    let Some(account_id) = link_account(state, token).await? else { return Err(RecoveryError::LinkUnusable) };
    let account = settings::account_for_password(state, &account_id).await?;
    new_password.check_for_account(&account.context()).map_err(RecoveryError::NewPassword)?;
    check_code(state, client_ip, &account_id, code).await?;
    let hash = password::hash(new_password.expose().to_string()).await?;
    let mut work = Work::begin(state, "recovery.reset").await?.from_client(client_ip);
    let spent = sqlx::query("UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1")
        .bind(now)
        .bind(hash_token(token))
        .execute(&mut *work.tx)
        .await?;
    if spent.rows_affected() != 1 {
        return Err(RecoveryError::LinkUnusable);
    }
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(&account_id)
        .execute(&mut *work.tx)
        .await?;
    settings::store_password(&mut work, &account_id, &hash, None).await?;
    login::lift_account_lock(&mut work.tx, &account_id).await?;
    work.audit(audit::AuditEvent { account_id: Some(&account_id), ..audit::AuditEvent::of(audit::Event::PasswordReset) }).await?;
    work.commit().await?;
    Ok(())
}
