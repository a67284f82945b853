//! パスキー (WebAuthn, `webauthn-rs`) of members: registered and removed in セキュリティ設定 after
//! the password and an existing factor, the second step after the password (in place of the
//! code), and a login with the passkey alone (a discoverable credential: no ID typed).
//!
//! Every ceremony's state stays on the server (`webauthn_ceremonies`): one use (taken by a
//! conditional delete, so two finishes at once get one success), [`CEREMONY_SECONDS`], bound to
//! the browser's cookie that began it (the session, the waiting login, or the login page's
//! `edge::cookies::PASSKEY`). The relying party is the host of `PUBLIC_URL` and its origin; user
//! verification is required. A failed assertion counts toward the login ID's lock like a wrong
//! code, with one message whatever failed.

use crate::backend::audit;
use crate::backend::identity::throttle::{Attempt, LoginError};
use crate::backend::mail::letters;
use crate::backend::members::{login, two_step};
use crate::backend::platform::ids::{hash_token, new_token};
use crate::backend::platform::{AppState, Client, Work};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::*;

/// How long a ceremony may take (the browser's own timeout is the same).
pub const CEREMONY_SECONDS: i64 = 5 * 60;
/// Passkeys one account may hold.
pub const MAX_PER_ACCOUNT: i64 = 10;
/// A passkey's name, as the member chose it.
pub const NAME_MAX: usize = 30;

pub use crate::api::PasskeyStep as Step;

impl Step {
    fn done() -> Self {
        Self { done: true, ..Self::default() }
    }
}

/// One registered passkey, as セキュリティ設定 lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Registered {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub sign_count: i64,
    pub backup_eligible: i64,
    pub backup_state: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    /// The assertion or the registration did not verify, the ceremony is unknown, spent or
    /// expired, or the passkey is not (any more) the account's: one answer for all.
    #[error("the passkey was not accepted")]
    Failed,
    #[error("name: {0}")]
    Name(&'static str),
    #[error("too many passkeys")]
    TooMany,
    #[error("unknown passkey")]
    Unknown,
    #[error(transparent)]
    Login(#[from] LoginError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The relying party of this portal: id = the host of `PUBLIC_URL`, origin = `PUBLIC_URL`.
fn relying_party(state: &AppState) -> Result<Webauthn, PasskeyError> {
    let origin = Url::parse(&state.config.public_url).map_err(|_| PasskeyError::Failed)?;
    let host = origin.host_str().ok_or(PasskeyError::Failed)?.to_string();
    WebauthnBuilder::new(&host, &origin)
        .and_then(|b| b.rp_name(crate::text::PRODUCT_NAME).timeout(std::time::Duration::from_secs(CEREMONY_SECONDS as u64)).build())
        .map_err(|e| {
            tracing::error!(error = %e, "PUBLIC_URL is no relying party for passkeys");
            PasskeyError::Failed
        })
}

// ---------------------------------------------------------------- ceremonies

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Proving an existing passkey before a change (then `Pending`).
    Confirm,
    /// Creating a new passkey (its name in the pending change).
    Add,
    /// The second step of a waiting login.
    Second,
    /// A login with the passkey alone.
    Login,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Add => "add",
            Self::Second => "second",
            Self::Login => "login",
        }
    }
}

/// What a confirmed change will do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Add { name: String },
    Remove { id: String },
}

#[derive(Serialize, Deserialize)]
struct Stored {
    /// The webauthn-rs state (`PasskeyRegistration`, `PasskeyAuthentication`, `DiscoverableAuthentication`).
    state: serde_json::Value,
    change: Option<Change>,
    next: Option<String>,
}

/// Starts a ceremony bound to `bound_to` (a cookie's token); one per binding (a new one replaces it).
async fn begin(state: &AppState, purpose: Purpose, bound_to: &str, account_id: Option<&str>, stored: &Stored) -> Result<(), sqlx::Error> {
    let now = state.clock.now();
    let binding = hash_token(bound_to);
    let mut tx = state.db.begin().await?;
    sqlx::query("DELETE FROM webauthn_ceremonies WHERE bound_to = $1 OR created_at <= $2")
        .bind(&binding)
        .bind(now - CEREMONY_SECONDS)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO webauthn_ceremonies (id, purpose, bound_to, account_id, state, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(new_token())
        .bind(purpose.code())
        .bind(&binding)
        .bind(account_id)
        .bind(serde_json::to_string(stored).expect("state serialises"))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Takes the ceremony of `bound_to` (once: of two finishes at once, one gets it).
async fn take(state: &AppState, purpose: Purpose, bound_to: &str) -> Result<(Option<String>, Stored), PasskeyError> {
    let now = state.clock.now();
    let row: Option<(Option<String>, String)> = sqlx::query_as(
        "DELETE FROM webauthn_ceremonies WHERE bound_to = $1 AND purpose = $2 AND created_at > $3 RETURNING account_id, state",
    )
    .bind(hash_token(bound_to))
    .bind(purpose.code())
    .bind(now - CEREMONY_SECONDS)
    .fetch_optional(&state.db)
    .await?;
    let (account_id, json) = row.ok_or(PasskeyError::Failed)?;
    let stored: Stored = serde_json::from_str(&json).map_err(|_| PasskeyError::Failed)?;
    Ok((account_id, stored))
}

fn state_of<T: serde::de::DeserializeOwned>(stored: &Stored) -> Result<T, PasskeyError> {
    serde_json::from_value(stored.state.clone()).map_err(|_| PasskeyError::Failed)
}

fn json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("serialises")
}

// ---------------------------------------------------------------- stored passkeys

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    account_id: String,
    user_handle: String,
    passkey: String,
}

impl Row {
    fn passkey(&self) -> Result<Passkey, PasskeyError> {
        serde_json::from_str(&self.passkey).map_err(|_| PasskeyError::Failed)
    }
}

async fn rows_of(state: &AppState, account_id: &str) -> Result<Vec<Row>, sqlx::Error> {
    sqlx::query_as("SELECT id, account_id, user_handle, passkey FROM passkeys WHERE account_id = $1 ORDER BY created_at")
        .bind(account_id)
        .fetch_all(&state.db)
        .await
}

fn passkeys_of(rows: &[Row]) -> Result<Vec<Passkey>, PasskeyError> {
    rows.iter().map(Row::passkey).collect()
}

/// The account's passkeys, oldest first.
pub async fn list(state: &AppState, account_id: &str) -> Result<Vec<Registered>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, created_at, last_used_at, sign_count, backup_eligible, backup_state FROM passkeys WHERE account_id = $1 ORDER BY created_at, id",
    )
    .bind(account_id)
    .fetch_all(&state.db)
    .await
}

/// Whether the account has any passkey (a second step is asked after the password).
pub async fn any<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(conn: E, account_id: &str) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM passkeys WHERE account_id = $1").bind(account_id).fetch_one(conn).await?;
    Ok(n > 0)
}

/// Records a verified use: the counter and the backup flags the authenticator reported.
async fn used(tx: &mut sqlx::Transaction<'_, sqlx::Any>, row: &Row, result: &AuthenticationResult, now: i64) -> Result<(), PasskeyError> {
    let mut passkey = row.passkey()?;
    passkey.update_credential(result);
    sqlx::query(
        "UPDATE passkeys SET passkey = $1, sign_count = $2, backup_eligible = $3, backup_state = $4, last_used_at = $5 WHERE id = $6",
    )
    .bind(serde_json::to_string(&passkey).expect("serialises"))
    .bind(i64::from(result.counter()))
    .bind(i64::from(result.backup_eligible()))
    .bind(i64::from(result.backup_state()))
    .bind(now)
    .bind(&row.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- セキュリティ設定

/// Begins adding or removing a passkey: the current password, then an existing factor — the
/// code (or a backup code) when an authenticator app is set, else one of the passkeys (the
/// browser is asked for it), else the password was the only factor. Returns what the browser
/// does next. The password's count stays until every factor was right.
pub async fn begin_change(
    state: &AppState,
    client_ip: Option<&str>,
    member: &login::SessionMember,
    session_token: &str,
    password: &str,
    code: &str,
    change: Change,
) -> Result<Step, PasskeyError> {
    match &change {
        Change::Add { name } => {
            let name = crate::domain::trim_spaces(name);
            if name.is_empty() {
                return Err(PasskeyError::Name(crate::text::passkey::NAME_REQUIRED));
            }
            if name.chars().count() > NAME_MAX {
                return Err(PasskeyError::Name(crate::text::passkey::NAME_TOO_LONG));
            }
            let (n,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM passkeys WHERE account_id = $1").bind(&member.account_id).fetch_one(&state.db).await?;
            if n >= MAX_PER_ACCOUNT {
                return Err(PasskeyError::TooMany);
            }
        }
        Change::Remove { id } => {
            if !list(state, &member.account_id).await?.iter().any(|p| &p.id == id) {
                return Err(PasskeyError::Unknown);
            }
        }
    }
    let change = match change {
        Change::Add { name } => Change::Add { name: crate::domain::trim_spaces(&name).to_string() },
        other => other,
    };
    let attempt = login::password_attempt(state, client_ip, member, password).await?;
    let owner = two_step::CodeOwner::of(&state.db, &member.account_id).await?;
    if owner.secret().is_some() {
        let (code_attempt, _) = two_step::check_code(state, client_ip, &owner, code).await?;
        code_attempt.cleared(&state.db).await?;
        return confirmed(state, client_ip, member, session_token, change).await;
    }
    let rows = rows_of(state, &member.account_id).await?;
    if rows.is_empty() {
        attempt.cleared(&state.db).await?;
        return confirmed(state, client_ip, member, session_token, change).await;
    }
    let (options, auth) = relying_party(state)?.start_passkey_authentication(&passkeys_of(&rows)?).map_err(|_| PasskeyError::Failed)?;
    let stored = Stored { state: json(&auth), change: Some(change), next: None };
    begin(state, Purpose::Confirm, session_token, Some(&member.account_id), &stored).await?;
    Ok(Step { get: Some(serde_json::to_string(&options).expect("serialises")), ..Step::default() })
}

/// The browser's answer to the step [`begin_change`] (or this) asked: an existing passkey
/// (then the change goes on), or the new credential (then it is stored).
pub async fn finish_change(
    state: &AppState,
    client_ip: Option<&str>,
    member: &login::SessionMember,
    session_token: &str,
    response: &str,
) -> Result<Step, PasskeyError> {
    let binding = hash_token(session_token);
    let (purpose,): (String,) = sqlx::query_as("SELECT purpose FROM webauthn_ceremonies WHERE bound_to = $1")
        .bind(&binding)
        .fetch_optional(&state.db)
        .await?
        .ok_or(PasskeyError::Failed)?;
    if purpose == Purpose::Confirm.code() {
        let (account_id, stored) = take(state, Purpose::Confirm, session_token).await?;
        if account_id.as_deref() != Some(member.account_id.as_str()) {
            return Err(PasskeyError::Failed);
        }
        let owner = two_step::CodeOwner::of(&state.db, &member.account_id).await?;
        let attempt = Attempt::begin(state, client_ip, &owner.login_id_norm).await?;
        let checked = verify_assertion(state, &stored, response, &member.account_id).await;
        let Ok((row, result)) = checked else {
            attempt.failed(Some(&member.account_id), owner.email1.as_deref()).await?;
            return Err(PasskeyError::Failed);
        };
        let mut work = Work::begin(state, "passkeys.confirm").await?.from_client(client_ip);
        attempt.succeeded(&mut work.tx).await?;
        used(&mut work.tx, &row, &result, work.now).await?;
        work.commit().await?;
        let change = stored.change.ok_or(PasskeyError::Failed)?;
        return confirmed(state, client_ip, member, session_token, change).await;
    }
    let (account_id, stored) = take(state, Purpose::Add, session_token).await?;
    if account_id.as_deref() != Some(member.account_id.as_str()) {
        return Err(PasskeyError::Failed);
    }
    let Some(Change::Add { name }) = stored.change.clone() else { return Err(PasskeyError::Failed) };
    let registration: PasskeyRegistration = state_of(&stored)?;
    let credential: RegisterPublicKeyCredential = serde_json::from_str(response).map_err(|_| PasskeyError::Failed)?;
    let passkey = relying_party(state)?.finish_passkey_registration(&credential, &registration).map_err(|e| {
        tracing::info!(error = %e, "a passkey registration did not verify");
        PasskeyError::Failed
    })?;
    let handle = stored.next.clone().ok_or(PasskeyError::Failed)?;
    let flags = serde_json::to_value(&passkey).expect("serialises");
    let flag = |name: &str| flags["cred"][name].as_bool().unwrap_or(false);
    let mut work = Work::begin(state, "passkeys.add").await?.from_client(client_ip);
    let id = URL_SAFE_NO_PAD.encode(passkey.cred_id().as_slice());
    let inserted = sqlx::query(
        "INSERT INTO passkeys (id, account_id, user_handle, name, passkey, sign_count, backup_eligible, backup_state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&id)
    .bind(&member.account_id)
    .bind(&handle)
    .bind(&name)
    .bind(serde_json::to_string(&passkey).expect("serialises"))
    .bind(flags["cred"]["counter"].as_i64().unwrap_or(0))
    .bind(i64::from(flag("backup_eligible")))
    .bind(i64::from(flag("backup_state")))
    .bind(work.now)
    .execute(&mut *work.tx)
    .await?;
    // A credential already registered (to anyone): refused, never moved between accounts.
    if inserted.rows_affected() != 1 {
        return Err(PasskeyError::Failed);
    }
    changed(&mut work, member, Some(session_token), letters::TwoStepChange::PasskeyAdded).await?;
    work.commit().await?;
    Ok(Step::done())
}

/// Every factor of the change was right: a new passkey's creation begins, or one is removed.
async fn confirmed(
    state: &AppState,
    client_ip: Option<&str>,
    member: &login::SessionMember,
    session_token: &str,
    change: Change,
) -> Result<Step, PasskeyError> {
    match change {
        Change::Add { name } => {
            let rows = rows_of(state, &member.account_id).await?;
            // One user handle per account: what a discoverable login returns to name it.
            let handle = rows.first().map(|r| r.user_handle.clone()).unwrap_or_else(|| Uuid::new_v4().to_string());
            let uuid = Uuid::parse_str(&handle).map_err(|_| PasskeyError::Failed)?;
            let exclude = passkeys_of(&rows)?.iter().map(|p| p.cred_id().clone()).collect();
            let (options, registration) = relying_party(state)?
                .start_passkey_registration(uuid, &member.login_id, &member.name, Some(exclude))
                .map_err(|_| PasskeyError::Failed)?;
            // A passkey the phone can offer without an ID typed (a discoverable credential).
            let mut options = json(&options);
            options["publicKey"]["authenticatorSelection"]["residentKey"] = "required".into();
            options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = true.into();
            let stored = Stored { state: json(&registration), change: Some(Change::Add { name }), next: Some(handle) };
            begin(state, Purpose::Add, session_token, Some(&member.account_id), &stored).await?;
            Ok(Step { create: Some(options.to_string()), ..Step::default() })
        }
        Change::Remove { id } => {
            let mut work = Work::begin(state, "passkeys.remove").await?.from_client(client_ip);
            let removed = sqlx::query("DELETE FROM passkeys WHERE id = $1 AND account_id = $2")
                .bind(&id)
                .bind(&member.account_id)
                .execute(&mut *work.tx)
                .await?;
            if removed.rows_affected() != 1 {
                return Err(PasskeyError::Unknown);
            }
            changed(&mut work, member, Some(session_token), letters::TwoStepChange::PasskeyRemoved).await?;
            work.commit().await?;
            Ok(Step::done())
        }
    }
}

/// The audit entry and the notice to address 1; the member's other sessions end.
async fn changed(
    work: &mut Work<'_>,
    member: &login::SessionMember,
    keep_session: Option<&str>,
    change: letters::TwoStepChange,
) -> Result<(), sqlx::Error> {
    let ended = login::end_sessions(&mut work.tx, &member.account_id, keep_session).await?;
    let detail = format!("other_sessions_ended={ended}");
    let event = audit::AuditEvent { account_id: Some(&member.account_id), detail: Some(&detail), ..audit::AuditEvent::of(change.event()) };
    work.audit(event).await?;
    let (email1,): (Option<String>,) =
        sqlx::query_as("SELECT email1 FROM accounts WHERE id = $1").bind(&member.account_id).fetch_one(&mut *work.tx).await?;
    if let Some(to) = email1 {
        work.mail(&letters::two_step_changed(&work.state.config, &to, change)).await?;
    }
    Ok(())
}

/// Checks an assertion against the ceremony's state and the account's stored passkey.
async fn verify_assertion(
    state: &AppState,
    stored: &Stored,
    response: &str,
    account_id: &str,
) -> Result<(Row, AuthenticationResult), PasskeyError> {
    let credential: PublicKeyCredential = serde_json::from_str(response).map_err(|_| PasskeyError::Failed)?;
    let auth: PasskeyAuthentication = state_of(stored)?;
    let id = URL_SAFE_NO_PAD.encode(credential.get_credential_id());
    let row = rows_of(state, account_id).await?.into_iter().find(|r| r.id == id).ok_or(PasskeyError::Failed)?;
    let result = relying_party(state)?.finish_passkey_authentication(&credential, &auth).map_err(|e| {
        tracing::info!(error = %e, "a passkey assertion did not verify");
        PasskeyError::Failed
    })?;
    Ok((row, result))
}

// ---------------------------------------------------------------- login

/// The second step of a waiting login (`/login/code`): the account's passkeys to choose from.
pub async fn begin_second(state: &AppState, waiting_token: &str) -> Result<Step, PasskeyError> {
    let account_id = two_step::waiting_account(state, waiting_token).await?.ok_or(PasskeyError::Failed)?;
    let rows = rows_of(state, &account_id).await?;
    if rows.is_empty() {
        return Err(PasskeyError::Failed);
    }
    let (options, auth) = relying_party(state)?.start_passkey_authentication(&passkeys_of(&rows)?).map_err(|_| PasskeyError::Failed)?;
    begin(state, Purpose::Second, waiting_token, Some(&account_id), &Stored { state: json(&auth), change: None, next: None }).await?;
    Ok(Step { get: Some(serde_json::to_string(&options).expect("serialises")), ..Step::default() })
}

/// The passkey of a waiting login: the session opens (token, where to go). A failure counts
/// like a wrong code.
pub async fn finish_second(
    state: &AppState,
    client: &Client<'_>,
    waiting_token: &str,
    response: &str,
) -> Result<(String, String), PasskeyError> {
    let (account_id, stored) = take(state, Purpose::Second, waiting_token).await?;
    let account_id = account_id.ok_or(PasskeyError::Failed)?;
    let owner = two_step::CodeOwner::of(&state.db, &account_id).await?;
    let attempt = Attempt::begin(state, client.ip, &owner.login_id_norm).await?;
    let Ok((row, result)) = verify_assertion(state, &stored, response, &account_id).await else {
        let locked = attempt.failed(Some(&account_id), owner.email1.as_deref()).await?;
        return Err(if locked { LoginError::Locked.into() } else { PasskeyError::Failed });
    };
    let mut work = Work::begin(state, "passkeys.second").await?.from_client(client.ip);
    let next = two_step::end_waiting(&mut work.tx, waiting_token, &account_id).await?.ok_or(PasskeyError::Failed)?;
    attempt.succeeded(&mut work.tx).await?;
    used(&mut work.tx, &row, &result, work.now).await?;
    let session = login::open_session(&mut work, client, &account_id, Some("passkey")).await?;
    work.commit().await?;
    Ok((session, next))
}

/// 「パスキーでログイン」: a discoverable credential, no ID typed. `bound_to` is the login page's
/// own cookie (`edge::cookies::PASSKEY`).
pub async fn begin_login(state: &AppState, bound_to: &str, next: &str) -> Result<Step, PasskeyError> {
    let (mut options, auth) = relying_party(state)?.start_discoverable_authentication().map_err(|_| PasskeyError::Failed)?;
    // A button press, not the autofill list (conditional mediation).
    options.mediation = None;
    let stored = Stored { state: json(&auth), change: None, next: Some(crate::domain::safe_next(next).to_string()) };
    begin(state, Purpose::Login, bound_to, None, &stored).await?;
    Ok(Step { get: Some(serde_json::to_string(&options).expect("serialises")), ..Step::default() })
}

/// The discoverable assertion: the session of its account opens (token, where to go), if the
/// account may log in (as with a password: not 利用停止, not past its 資格喪失 months).
pub async fn finish_login(state: &AppState, client: &Client<'_>, bound_to: &str, response: &str) -> Result<(String, String), PasskeyError> {
    let (_, stored) = take(state, Purpose::Login, bound_to).await?;
    let credential: PublicKeyCredential = serde_json::from_str(response).map_err(|_| PasskeyError::Failed)?;
    let webauthn = relying_party(state)?;
    let (handle, cred_id) = webauthn.identify_discoverable_authentication(&credential).map_err(|_| PasskeyError::Failed)?;
    let id = URL_SAFE_NO_PAD.encode(cred_id);
    let row: Option<Row> = sqlx::query_as("SELECT id, account_id, user_handle, passkey FROM passkeys WHERE id = $1")
        .bind(&id)
        .fetch_optional(&state.db)
        .await?;
    let Some(row) = row.filter(|r| r.user_handle == handle.to_string()) else { return Err(PasskeyError::Failed) };
    let owner = two_step::CodeOwner::of(&state.db, &row.account_id).await?;
    let attempt = Attempt::begin(state, client.ip, &owner.login_id_norm).await?;
    let auth: DiscoverableAuthentication = state_of(&stored)?;
    let key = DiscoverableKey::from(row.passkey()?);
    let verified = webauthn.finish_discoverable_authentication_v2(&credential, auth, &key);
    let may_log_in = login::may_log_in(state, &row.account_id).await?;
    let result = match verified {
        Ok(result) if may_log_in => result,
        _ => {
            let locked = attempt.failed(Some(&row.account_id), owner.email1.as_deref()).await?;
            return Err(if locked { LoginError::Locked.into() } else { PasskeyError::Failed });
        }
    };
    let mut work = Work::begin(state, "passkeys.login").await?.from_client(client.ip);
    attempt.succeeded(&mut work.tx).await?;
    used(&mut work.tx, &row, &result, work.now).await?;
    let session = login::open_session(&mut work, client, &row.account_id, Some("passkey")).await?;
    work.commit().await?;
    Ok((session, stored.next.unwrap_or_else(|| "/home".into())))
}

/// Removes every passkey of an account (退会, the staff's 2段階認証リセット), in the caller's transaction.
pub async fn remove_all(tx: &mut sqlx::Transaction<'_, sqlx::Any>, account_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM passkeys WHERE account_id = $1").bind(account_id).execute(&mut **tx).await?.rows_affected())
}

impl From<PasskeyError> for crate::error::AppError {
    fn from(e: PasskeyError) -> Self {
        use crate::error::AppError;
        use crate::text::passkey as text;
        match e {
            PasskeyError::Failed => AppError::form(text::FAILED),
            PasskeyError::Name(m) => AppError::field("name", crate::domain::FieldError::new(m)),
            PasskeyError::TooMany => AppError::form(text::TOO_MANY),
            PasskeyError::Unknown => AppError::form(text::UNKNOWN),
            PasskeyError::Login(LoginError::Wrong) => {
                AppError::field("current_password", crate::domain::FieldError::new(crate::text::settings::REAUTH_WRONG))
            }
            PasskeyError::Login(e) => e.into(),
            PasskeyError::Db(e) => e.into(),
        }
    }
}
