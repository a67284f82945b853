//! プロフィール設定 and パスワード変更: a logged-in member's own account.

use crate::api::{PendingEmail, PendingLink, ProfileData};
use crate::backend::audit;
use crate::backend::identity::password;
use crate::backend::identity::password::HashError;
use crate::backend::identity::throttle::LoginError;
use crate::backend::mail::letters;
use crate::backend::members::login::{self, SessionMember};
use crate::backend::platform::db::{unique_violation, Unique};
use crate::backend::platform::ids::{hash_token, new_token};
use crate::backend::platform::{rate, AppState, Work};
use crate::domain::{Email, FieldError, LoginId, MailPreference, MemberStatus, Password, PasswordContext};
use crate::error::AppError;
use crate::text::settings as text;
use sqlx::{Any, Transaction};

/// What can go wrong in プロフィール設定, パスワード変更 and the address confirmation link.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// Changing the login ID or an address needs 現在のパスワード, and none was typed.
    #[error("the current password is needed for this change")]
    ReauthRequired,
    /// The 現在のパスワード typed with a profile change is wrong.
    #[error("wrong current password (profile)")]
    ReauthWrong,
    /// The 現在のパスワード of パスワード変更 is wrong.
    #[error("wrong current password")]
    CurrentPasswordWrong,
    #[error("the new password is the current one")]
    SameAsCurrent,
    #[error("new password refused: {0}")]
    NewPassword(FieldError),
    #[error("the login ID is taken")]
    LoginIdTaken,
    /// Another account has the address.
    #[error("the address belongs to another account")]
    EmailTaken,
    /// The address is already another slot of this account.
    #[error("the address is already one of this account's")]
    EmailAlreadyOurs,
    #[error("the confirmation link can no longer be used")]
    EmailLinkUnusable,
    #[error("no address waits for confirmation in that slot")]
    NothingPending,
    #[error("too many confirmation mails this hour")]
    TooManyConfirmations,
    /// 退会 twice (another request did it first).
    #[error("the account is already withdrawn")]
    AlreadyWithdrawn,
    /// Locked, too soon, busy: as at login.
    #[error(transparent)]
    Login(LoginError),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl SettingsError {
    /// A re-authentication's failure, `wrong` when the password did not match.
    fn reauth(e: LoginError, wrong: SettingsError) -> Self {
        match e {
            LoginError::Wrong => wrong,
            other => Self::Login(other),
        }
    }
}

impl From<SettingsError> for AppError {
    fn from(e: SettingsError) -> Self {
        let field = |name, message| AppError::field(name, FieldError::new(message));
        match e {
            SettingsError::ReauthRequired => field("current_password", text::REAUTH_REQUIRED),
            SettingsError::ReauthWrong => field("current_password", text::REAUTH_WRONG),
            SettingsError::CurrentPasswordWrong => field("current_password", text::CURRENT_WRONG),
            SettingsError::SameAsCurrent => field("new_password", text::SAME_AS_CURRENT),
            SettingsError::NewPassword(e) => AppError::field("new_password", e),
            SettingsError::LoginIdTaken => field("login_id", crate::text::registration::LOGIN_ID_TAKEN),
            SettingsError::EmailTaken => AppError::form(text::EMAIL_TAKEN),
            SettingsError::EmailAlreadyOurs => AppError::form(text::EMAIL_ALREADY_OURS),
            SettingsError::EmailLinkUnusable => AppError::form(text::EMAIL_LINK_INVALID),
            SettingsError::NothingPending => AppError::form(text::NOTHING_PENDING),
            SettingsError::TooManyConfirmations => AppError::Limited(text::TOO_MANY_RESENDS.into()),
            SettingsError::AlreadyWithdrawn => AppError::Gone(text::WITHDRAWN_ALREADY.into()),
            SettingsError::Login(e) => e.into(),
            SettingsError::Hash(e) => e.into(),
            SettingsError::Db(e) => e.into(),
        }
    }
}

/// How long the link that confirms a new address works.
pub const EMAIL_LINK_SECONDS: i64 = 24 * 3600;
/// Confirmation mails per account and hour (saves and resends together).
const CONFIRMATIONS_PER_HOUR: i64 = 10;

#[derive(Debug, sqlx::FromRow)]
struct AccountRow {
    login_id: String,
    login_id_norm: String,
    nickname: String,
    email1: Option<String>,
    email2: Option<String>,
    email3: Option<String>,
    mail_preferences: String,
    must_set_profile: i64,
    two_step: i64,
}

impl AccountRow {
    fn emails(&self) -> [Option<String>; 3] {
        [self.email1.clone(), self.email2.clone(), self.email3.clone()]
    }
}

async fn account(state: &AppState, account_id: &str) -> Result<AccountRow, sqlx::Error> {
    sqlx::query_as(
        "SELECT login_id, login_id_norm, nickname, email1, email2, email3, mail_preferences, must_set_profile, \
         CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END AS two_step FROM accounts WHERE id = $1",
    )
    .bind(account_id)
    .fetch_one(&state.db)
    .await
}

/// 退会: after the password, the account and everything hanging from it — addresses, pending
/// address changes, reset links, sessions, preferences, 配信メール not handed out yet — are
/// deleted in one transaction; the roster row stays (the society's record), so the member can
/// register again. The audit log keeps the member's history under a keyed hash of the account
/// id instead of the id. A notice goes to the old address 1.
pub async fn withdraw(state: &AppState, client_ip: Option<&str>, member: &SessionMember, current: &str) -> Result<(), SettingsError> {
    login::check_current_password(state, client_ip, member, current)
        .await
        .map_err(|e| SettingsError::reauth(e, SettingsError::ReauthWrong))?;
    let id = member.account_id.as_str();
    let mut work = Work::begin(state, "settings.withdraw").await?.from_client(client_ip);
    for rows in [
        "DELETE FROM email_changes WHERE account_id = $1",
        "DELETE FROM password_resets WHERE account_id = $1",
        "DELETE FROM sessions WHERE account_id = $1",
        "DELETE FROM account_emails WHERE account_id = $1",
        "DELETE FROM account_backup_codes WHERE account_id = $1",
        "DELETE FROM login_second_steps WHERE account_id = $1",
        "DELETE FROM passkeys WHERE account_id = $1",
        "DELETE FROM webauthn_ceremonies WHERE owner = 'member:' || $1",
        "DELETE FROM campaign_recipients WHERE account_id = $1 AND queued_at IS NULL",
    ] {
        sqlx::query(rows).bind(id).execute(&mut *work.tx).await?;
    }
    // Two 退会 at once: the second finds no account and its transaction is rolled back.
    let deleted: Option<(Option<String>,)> =
        sqlx::query_as("DELETE FROM accounts WHERE id = $1 RETURNING email1").bind(id).fetch_optional(&mut *work.tx).await?;
    let Some((email1,)) = deleted else { return Err(SettingsError::AlreadyWithdrawn) };
    let pseudonym = format!("withdrawn-{}", &crate::backend::platform::secret::mac(&["withdrawn-account", id])[..32]);
    sqlx::query("UPDATE audit_log SET account_id = $1 WHERE account_id = $2").bind(&pseudonym).bind(id).execute(&mut *work.tx).await?;
    work.audit(audit::AuditEvent { account_id: Some(&pseudonym), ..audit::AuditEvent::of(audit::Event::AccountWithdrawn) }).await?;
    if let Some(to) = email1 {
        work.mail(&letters::withdrawn(&state.config, &to)).await?;
    }
    work.commit().await?;
    Ok(())
}

/// What the プロフィール設定 screen shows.
pub async fn load(state: &AppState, account_id: &str, session_token: &str) -> Result<ProfileData, sqlx::Error> {
    let a = account(state, account_id).await?;
    let pending: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT slot, email, expires_at FROM email_changes WHERE account_id = $1 AND expires_at > $2 ORDER BY slot")
            .bind(account_id)
            .bind(state.clock.now())
            .fetch_all(&state.db)
            .await?;
    // 任意継続・特例退職: the company address of their working years may no longer reach them.
    let status: Option<(String,)> =
        sqlx::query_as("SELECT r.status FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.id = $1")
            .bind(account_id)
            .fetch_optional(&state.db)
            .await?;
    let left_company = status
        .and_then(|(code,)| MemberStatus::parse(&code).ok())
        .is_some_and(|s| matches!(s, MemberStatus::VoluntaryContinuation | MemberStatus::SpecialRetiree));
    Ok(ProfileData {
        left_company,
        two_step: a.two_step == 1,
        login_id: a.login_id.clone(),
        nickname: a.nickname.clone(),
        emails: a.emails().map(Option::unwrap_or_default).to_vec(),
        pending: pending
            .into_iter()
            .map(|(slot, email, expires)| PendingEmail {
                slot: slot as u8,
                email,
                expires: crate::backend::platform::clock::jst(expires, "%Y/%m/%d %H:%M"),
            })
            .collect(),
        preferences: MailPreference::parse_list(&a.mail_preferences),
        first_time: a.must_set_profile != 0,
        sessions: login::sessions(state, account_id, session_token).await?.into_iter().map(|s| s.device()).collect(),
    })
}

/// A parsed プロフィール設定 form.
#[derive(Debug, Clone)]
pub struct ProfileInput {
    /// 現在のパスワード: needed to change the login ID or to add or change an address.
    pub current_password: Option<String>,
    pub login_id: LoginId,
    pub nickname: String,
    pub emails: [Option<Email>; 3],
    pub preferences: Vec<MailPreference>,
}

const SET_EMAIL: [&str; 3] = [
    "UPDATE accounts SET email1 = $1, updated_at = $2 WHERE id = $3",
    "UPDATE accounts SET email2 = $1, updated_at = $2 WHERE id = $3",
    "UPDATE accounts SET email3 = $1, updated_at = $2 WHERE id = $3",
];

/// Puts confirmed addresses (or none) into slots, in the account and the lookup table. All
/// old rows go before any new one is written: a swap of 1 and 2 never holds one address twice
/// (an address belongs to one slot of one account: unique index). `false`: an address was
/// taken by another account meanwhile.
async fn set_emails(
    tx: &mut Transaction<'_, Any>,
    account_id: &str,
    changes: &[(usize, Option<&str>)],
    now: i64,
) -> Result<bool, sqlx::Error> {
    for (slot, email) in changes {
        sqlx::query(SET_EMAIL[slot - 1]).bind(*email).bind(now).bind(account_id).execute(&mut **tx).await?;
        sqlx::query("DELETE FROM account_emails WHERE account_id = $1 AND slot = $2")
            .bind(account_id)
            .bind(*slot as i64)
            .execute(&mut **tx)
            .await?;
    }
    for (slot, email) in changes {
        let Some(email) = email else { continue };
        let inserted = sqlx::query("INSERT INTO account_emails (account_id, slot, email, email_norm) VALUES ($1, $2, $3, $4)")
            .bind(account_id)
            .bind(*slot as i64)
            .bind(*email)
            .bind(email.to_ascii_lowercase())
            .execute(&mut **tx)
            .await;
        match inserted {
            Err(e) if unique_violation(&e) == Some(Unique::Email) => return Ok(false),
            other => other?,
        };
    }
    Ok(true)
}

async fn drop_pending(tx: &mut Transaction<'_, Any>, account_id: &str, slot: usize) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM email_changes WHERE account_id = $1 AND slot = $2")
        .bind(account_id)
        .bind(slot as i64)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Stores a pending address with a fresh one-time link and mails the link to it.
pub(crate) async fn request_confirmation(work: &mut Work<'_>, account_id: &str, slot: usize, email: &str) -> Result<(), sqlx::Error> {
    drop_pending(&mut work.tx, account_id, slot).await?;
    let token = new_token();
    sqlx::query("INSERT INTO email_changes (account_id, slot, email, email_norm, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(account_id)
        .bind(slot as i64)
        .bind(email)
        .bind(email.to_ascii_lowercase())
        .bind(hash_token(&token))
        .bind(work.now + EMAIL_LINK_SECONDS)
        .bind(work.now)
        .execute(&mut *work.tx)
        .await?;
    work.mail(&letters::email_confirmation(&work.state.config, email, &token)).await?;
    Ok(())
}

/// Counts `wanted` confirmation mails of the account (one atomic statement each, inside the
/// caller's transaction: a refused save counts nothing) and refuses past the hourly limit.
async fn count_confirmations(tx: &mut Transaction<'_, Any>, account_id: &str, now: i64, wanted: usize) -> Result<(), SettingsError> {
    let key = rate::key("email-confirm", account_id);
    for _ in 0..wanted {
        if rate::hit(&mut **tx, &key, now, 3600).await? > CONFIRMATIONS_PER_HOUR {
            return Err(SettingsError::TooManyConfirmations);
        }
    }
    Ok(())
}

fn label(slots: &[usize]) -> String {
    slots.iter().map(|s| text::EMAIL_LABELS[s - 1]).collect::<Vec<_>>().join("・")
}

/// Saves プロフィール設定. Addresses new to the account wait for their confirmation link;
/// an address the account already has confirmed (e.g. swapping 1 and 2) applies at once.
/// Returns whether a confirmation mail was sent.
pub async fn save(state: &AppState, client_ip: Option<&str>, member: &SessionMember, input: ProfileInput) -> Result<bool, SettingsError> {
    let now = state.clock.now();
    let account_id = member.account_id.as_str();
    let current = account(state, account_id).await?;
    let old_norms = current.emails().map(|e| e.map(|e| e.to_ascii_lowercase()));
    let address_changes =
        input.emails.iter().zip(&old_norms).any(|(new, old)| new.as_ref().is_some_and(|e| old.as_deref() != Some(e.normalized().as_str())));
    // Whoever holds an open session must not take the account over: changing where the login ID
    // and the reset mails go needs the password (a temporary password's first profile too).
    let reauth = if input.login_id.as_str() != current.login_id || address_changes {
        let typed = input.current_password.as_deref().unwrap_or_default();
        if typed.is_empty() {
            return Err(SettingsError::ReauthRequired);
        }
        login::check_current_password(state, client_ip, member, typed)
            .await
            .map_err(|e| SettingsError::reauth(e, SettingsError::ReauthWrong))?;
        true
    } else {
        false
    };
    let new_norm = input.login_id.normalized();
    if new_norm != current.login_id_norm {
        let taken: Option<(String,)> =
            sqlx::query_as("SELECT id FROM accounts WHERE login_id_norm = $1").bind(&new_norm).fetch_optional(&state.db).await?;
        if taken.is_some() {
            return Err(SettingsError::LoginIdTaken);
        }
    }
    let cur = current.emails();
    let confirmed: Vec<String> = cur.iter().flatten().map(|e| e.to_ascii_lowercase()).collect();
    let pending: Vec<(i64, String)> =
        sqlx::query_as("SELECT slot, email_norm FROM email_changes WHERE account_id = $1 AND expires_at > $2")
            .bind(account_id)
            .bind(now)
            .fetch_all(&state.db)
            .await?;
    let is_pending = |slot: usize, norm: &str| pending.iter().any(|(s, n)| *s == slot as i64 && n == norm);
    let to_confirm: Vec<(usize, &Email)> = input
        .emails
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.as_ref().map(|e| (i + 1, e)))
        .filter(|(slot, e)| !confirmed.contains(&e.normalized()) && !is_pending(*slot, &e.normalized()))
        .collect();
    let mut work = Work::begin(state, "settings.save").await?.from_client(client_ip);
    count_confirmations(&mut work.tx, account_id, now, to_confirm.len()).await?;
    let updated = sqlx::query(
        "UPDATE accounts SET login_id = $1, login_id_norm = $2, nickname = $3, mail_preferences = $4, must_set_profile = 0, updated_at = $5 WHERE id = $6",
    )
    .bind(input.login_id.as_str())
    .bind(&new_norm)
    .bind(&input.nickname)
    .bind(MailPreference::to_list(&input.preferences))
    .bind(now)
    .bind(account_id)
    .execute(&mut *work.tx)
    .await;
    updated.map_err(|e| if unique_violation(&e) == Some(Unique::LoginId) { SettingsError::LoginIdTaken } else { e.into() })?;
    let (mut changed, mut writes) = (Vec::new(), Vec::new());
    for slot in 1..=3 {
        let (new, old) = (input.emails[slot - 1].as_ref(), cur[slot - 1].as_deref());
        match new {
            None => {
                drop_pending(&mut work.tx, account_id, slot).await?;
                if old.is_some() {
                    writes.push((slot, None));
                    changed.push(slot);
                }
            }
            Some(e) if confirmed.contains(&e.normalized()) => {
                drop_pending(&mut work.tx, account_id, slot).await?;
                if old != Some(e.as_str()) {
                    writes.push((slot, Some(e.as_str())));
                    if old.map(str::to_ascii_lowercase) != Some(e.normalized()) {
                        changed.push(slot);
                    }
                }
            }
            Some(e) if is_pending(slot, &e.normalized()) => {}
            Some(e) => request_confirmation(&mut work, account_id, slot, e.as_str()).await?,
        }
    }
    if !set_emails(&mut work.tx, account_id, &writes, now).await? {
        return Err(SettingsError::EmailTaken);
    }
    if let (false, Some(old1)) = (changed.is_empty(), cur[0].as_deref()) {
        work.mail(&letters::email_changed(&state.config, old1, &label(&changed))).await?;
    }
    let detail = format!(
        "login_id_changed={} emails_changed={:?} confirmations={} reauthenticated={reauth}",
        current.login_id != input.login_id.as_str(),
        changed,
        to_confirm.len()
    );
    work.audit(audit::AuditEvent {
        account_id: Some(account_id),
        detail: Some(&detail),
        ..audit::AuditEvent::of(audit::Event::ProfileUpdated)
    })
    .await?;
    work.commit().await?;
    Ok(!to_confirm.is_empty())
}

/// 確認メールを再送: a new link for a pending address (the old link stops working).
pub async fn resend(state: &AppState, client_ip: Option<&str>, account_id: &str, slot: usize) -> Result<(), SettingsError> {
    let now = state.clock.now();
    let pending: Option<(String,)> = sqlx::query_as("SELECT email FROM email_changes WHERE account_id = $1 AND slot = $2")
        .bind(account_id)
        .bind(slot as i64)
        .fetch_optional(&state.db)
        .await?;
    let Some((email,)) = pending else { return Err(SettingsError::NothingPending) };
    let mut work = Work::begin(state, "settings.resend").await?.from_client(client_ip);
    count_confirmations(&mut work.tx, account_id, now, 1).await?;
    request_confirmation(&mut work, account_id, slot, &email).await?;
    work.audit(audit::AuditEvent {
        account_id: Some(account_id),
        subject: Some(&email),
        ..audit::AuditEvent::of(audit::Event::EmailConfirmationResent)
    })
    .await?;
    work.commit().await?;
    Ok(())
}

/// 変更を取り消す: forgets a pending address (its link stops working).
pub async fn cancel(state: &AppState, client_ip: Option<&str>, account_id: &str, slot: usize) -> Result<(), SettingsError> {
    let mut work = Work::begin(state, "settings.cancel").await?.from_client(client_ip);
    if drop_pending(&mut work.tx, account_id, slot).await? == 0 {
        return Err(SettingsError::NothingPending);
    }
    work.audit(audit::AuditEvent {
        account_id: Some(account_id),
        detail: Some(&format!("slot={slot}")),
        ..audit::AuditEvent::of(audit::Event::EmailChangeCancelled)
    })
    .await?;
    work.commit().await?;
    Ok(())
}

/// The slot and address a confirmation link would register, if it is usable.
pub async fn pending_for_link(state: &AppState, token: &str) -> Result<Option<PendingLink>, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT slot, email FROM email_changes WHERE token_hash = $1 AND expires_at > $2")
        .bind(hash_token(token))
        .bind(state.clock.now())
        .fetch_optional(&state.db)
        .await?;
    Ok(row.map(|(slot, email)| PendingLink { slot: slot as u8, email }))
}

/// The link of a confirmation mail was followed and 「確認」 clicked: the address takes effect.
/// Works without a session (the member may read mail on another device). Single use.
pub async fn confirm(state: &AppState, client_ip: Option<&str>, token: &str) -> Result<(), SettingsError> {
    let now = state.clock.now();
    let mut work = Work::begin(state, "settings.confirm").await?.from_client(client_ip);
    let row: Option<(String, i64, String, String)> =
        sqlx::query_as("DELETE FROM email_changes WHERE token_hash = $1 AND expires_at > $2 RETURNING account_id, slot, email, email_norm")
            .bind(hash_token(token))
            .bind(now)
            .fetch_optional(&mut *work.tx)
            .await?;
    let Some((account_id, slot, email, norm)) = row else { return Err(SettingsError::EmailLinkUnusable) };
    let owners: Vec<(String, i64)> =
        sqlx::query_as("SELECT account_id, slot FROM account_emails WHERE email_norm = $1").bind(&norm).fetch_all(&mut *work.tx).await?;
    let refusal = if owners.iter().any(|(a, _)| *a != account_id) {
        Some(SettingsError::EmailTaken)
    } else if owners.iter().any(|(_, s)| *s != slot) {
        Some(SettingsError::EmailAlreadyOurs)
    } else {
        None
    };
    if let Some(refusal) = refusal {
        // The link is spent either way: nobody can try it again.
        work.commit().await?;
        return Err(refusal);
    }
    let (old1,): (Option<String>,) =
        sqlx::query_as("SELECT email1 FROM accounts WHERE id = $1").bind(&account_id).fetch_one(&mut *work.tx).await?;
    let slot = slot as usize;
    if !set_emails(&mut work.tx, &account_id, &[(slot, Some(&email))], now).await? {
        // Another account confirmed the same address a moment ago (the check above raced).
        return Err(SettingsError::EmailTaken);
    }
    if let Some(old1) = old1 {
        work.mail(&letters::email_changed(&state.config, &old1, &label(&[slot]))).await?;
    }
    work.audit(audit::AuditEvent {
        account_id: Some(&account_id),
        subject: Some(&email),
        detail: Some(&format!("slot={slot}")),
        ..audit::AuditEvent::of(audit::Event::EmailConfirmed)
    })
    .await?;
    work.commit().await?;
    Ok(())
}

/// What a new password must not contain for this account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountForPassword {
    pub login_id: String,
    pub email1: Option<String>,
    /// YYYY-MM-DD
    pub birth_date: String,
}

impl AccountForPassword {
    pub fn context(&self) -> PasswordContext<'_> {
        PasswordContext { login_id: Some(&self.login_id), email: self.email1.as_deref(), birth_date: Some(&self.birth_date) }
    }
}

pub async fn account_for_password(state: &AppState, account_id: &str) -> Result<AccountForPassword, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.login_id, a.email1, r.birth_date FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_one(&state.db)
    .await
}

/// Stores a new password hash, ends the account's sessions except `keep`, and mails a notice
/// to address 1 (inside the caller's transaction).
pub async fn store_password(work: &mut Work<'_>, account_id: &str, hash: &str, keep: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET password_hash = $1, must_change_password = 0, password_expires_at = NULL, updated_at = $2 WHERE id = $3",
    )
    .bind(hash)
    .bind(work.now)
    .bind(account_id)
    .execute(&mut *work.tx)
    .await?;
    login::end_sessions(&mut work.tx, account_id, keep).await?;
    let (email1,): (Option<String>,) =
        sqlx::query_as("SELECT email1 FROM accounts WHERE id = $1").bind(account_id).fetch_one(&mut *work.tx).await?;
    if let Some(to) = email1 {
        work.mail(&letters::password_changed(&work.state.config, &to)).await?;
    }
    Ok(())
}

/// パスワード変更. A wrong current password counts toward the login limits of the ID.
pub async fn change_password(
    state: &AppState,
    client_ip: Option<&str>,
    session_token: &str,
    member: &SessionMember,
    current: &str,
    new: &Password,
) -> Result<(), SettingsError> {
    login::check_current_password(state, client_ip, member, current)
        .await
        .map_err(|e| SettingsError::reauth(e, SettingsError::CurrentPasswordWrong))?;
    if current == new.expose() {
        return Err(SettingsError::SameAsCurrent);
    }
    let account = account_for_password(state, &member.account_id).await?;
    new.check_for_account(&account.context()).map_err(SettingsError::NewPassword)?;
    let hash = password::hash(new.expose().to_string()).await?;
    let mut work = Work::begin(state, "settings.change_password").await?.from_client(client_ip);
    store_password(&mut work, &member.account_id, &hash, Some(session_token)).await?;
    work.audit(audit::AuditEvent { account_id: Some(&member.account_id), ..audit::AuditEvent::of(audit::Event::PasswordChanged) }).await?;
    work.commit().await?;
    Ok(())
}
