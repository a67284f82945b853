//! 新規利用登録: the wizard's state machine, all on the server.
//!
//! invited --(step 2: identity)--> verified --(step 4: key)--> key_confirmed --(step 5)--> completed
//! Any stage --(5 failures)--> spent. Every transition is a conditional UPDATE on the
//! current stage, so a double submit or a reload cannot move a registration twice.

use crate::api::AccountDefaults;
use crate::backend::audit;
use crate::backend::identity::challenge;
use crate::backend::identity::password;
use crate::backend::identity::password::HashError;
use crate::backend::mail::letters;
use crate::backend::platform::db::{unique_violation, Unique};
use crate::backend::platform::ids::{hash_token, new_id, new_token, secrets_equal};
use crate::backend::platform::{AppState, Work};
use crate::domain::{Bango, BirthDate, Email, FieldError, Kigo, LoginId, MemberNumber, MemberStatus, Password, PasswordContext};
use crate::error::AppError;
use crate::text::registration as text;
use rand::Rng;

pub const INVITE_TTL: i64 = 24 * 3600;
pub const KEY_TTL: i64 = 30 * 60;
pub const REGISTRATION_TTL: i64 = 24 * 3600;
pub const MAX_FAILURES: i64 = 5;
pub const MAILS_PER_ADDRESS_PER_HOUR: i64 = 3;

/// What can go wrong in the wizard, named by case; the words are chosen in `From<…> for AppError`.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    /// The link expired or was used, or this browser is not the one that passed the step before.
    #[error("the registration link can no longer be used")]
    LinkUnusable,
    /// The attempt that reached `MAX_FAILURES` spent the registration.
    #[error("too many failed attempts spent the registration")]
    Spent,
    #[error("the identity does not match the roster")]
    IdentityMismatch,
    #[error("wrong identity key ({tries_left} tries left)")]
    KeyWrong { tries_left: i64 },
    #[error("password refused: {0}")]
    Password(FieldError),
    #[error("the login ID is taken")]
    LoginIdTaken,
    #[error("the member already has an account")]
    AlreadyRegistered,
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<RegistrationError> for AppError {
    fn from(e: RegistrationError) -> Self {
        match e {
            RegistrationError::LinkUnusable => AppError::Gone(text::LINK_INVALID.into()),
            RegistrationError::Spent => AppError::Gone(text::SPENT.into()),
            RegistrationError::IdentityMismatch => AppError::form(text::IDENTITY_FAILED),
            RegistrationError::KeyWrong { tries_left } => AppError::field("identity_key", FieldError::new(text::key_wrong(tries_left))),
            RegistrationError::Password(e) => AppError::field("password", e),
            RegistrationError::LoginIdTaken => AppError::field("login_id", FieldError::new(text::LOGIN_ID_TAKEN)),
            RegistrationError::AlreadyRegistered => AppError::form(text::ALREADY_REGISTERED),
            RegistrationError::Hash(e) => e.into(),
            RegistrationError::Db(e) => e.into(),
        }
    }
}

/// Where a registration stands (`registrations.stage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// M1 sent; step 2 (identity) next.
    Invited,
    /// Identity checked, 認証キー shown and M2 sent; step 4 (key) next.
    Verified,
    /// Key confirmed; step 5 (account) next.
    KeyConfirmed,
    Completed,
    /// Five failed attempts.
    Spent,
}

impl Stage {
    const ALL: [Self; 5] = [Self::Invited, Self::Verified, Self::KeyConfirmed, Self::Completed, Self::Spent];

    /// The value stored in `registrations.stage` (and written by the SQL below).
    fn code(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Verified => "verified",
            Self::KeyConfirmed => "key_confirmed",
            Self::Completed => "completed",
            Self::Spent => "spent",
        }
    }
}

impl TryFrom<String> for Stage {
    type Error = String;

    fn try_from(code: String) -> Result<Self, String> {
        Self::ALL.into_iter().find(|s| s.code() == code).ok_or_else(|| format!("unknown registration stage {code}"))
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Registration {
    id: String,
    email: String,
    email_norm: String,
    #[sqlx(try_from = "String")]
    stage: Stage,
    invite_expires_at: i64,
    kigo: Option<Kigo>,
    bango: Option<Bango>,
    identity_key: Option<String>,
    key_expires_at: Option<i64>,
    expires_at: i64,
}

const COLUMNS: &str = "id, email, email_norm, stage, invite_expires_at, kigo, bango, identity_key, key_expires_at, expires_at";

async fn find(state: &AppState, column: &'static str, token_hash: &str) -> Result<Option<Registration>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE {column} = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_optional(&state.db).await
}

/// Step 1. Does the same work for every address (one outbox row, or none when the
/// address is over its limit) and answers the same, so nobody can probe the roster.
pub async fn start(state: &AppState, client_ip: Option<&str>, email: &Email) -> Result<(), sqlx::Error> {
    let now = state.clock.now();
    let norm = email.normalized();
    let mut work = Work::begin(state, "registration.start").await?.from_client(client_ip);
    if challenge::public_form(&mut work, "register", audit::Event::RegisterMailDropped, &norm, MAILS_PER_ADDRESS_PER_HOUR).await?
        != challenge::Gate::Open
    {
        work.commit().await?;
        return Ok(());
    }

    let registered: Option<(String,)> = sqlx::query_as("SELECT account_id FROM account_emails WHERE email_norm = $1 LIMIT 1")
        .bind(&norm)
        .fetch_optional(&mut *work.tx)
        .await?;
    let on_roster: Option<(String, String, String)> = sqlx::query_as(
        "SELECT r.kigo, r.bango, r.status FROM roster r WHERE r.email_norm = $1 \
         AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.kigo = r.kigo AND a.bango = r.bango)",
    )
    .bind(&norm)
    .fetch_optional(&mut *work.tx)
    .await?;
    let active = on_roster.as_ref().is_some_and(|(_, _, status)| status != MemberStatus::Lost.code());

    let (mail, event) = if registered.is_some() {
        (letters::already_registered(&state.config, email.as_str()), audit::Event::RegistrationStartRegistered)
    } else if active {
        let token = new_token();
        sqlx::query(
            "INSERT INTO registrations (id, email, email_norm, stage, invite_token_hash, invite_expires_at, created_at, expires_at, updated_at) \
             VALUES ($1, $2, $3, 'invited', $4, $5, $6, $7, $6)",
        )
        .bind(new_id())
        .bind(email.as_str())
        .bind(&norm)
        .bind(hash_token(&token))
        .bind(now + INVITE_TTL)
        .bind(now)
        .bind(now + REGISTRATION_TTL)
        .execute(&mut *work.tx)
        .await?;
        (letters::m1_invitation(&state.config, email.as_str(), &token), audit::Event::RegistrationStarted)
    } else {
        (letters::registration_not_started(&state.config, email.as_str()), audit::Event::RegistrationStartUnknown)
    };
    work.mail(&mail).await?;
    work.audit(audit::AuditEvent { subject: Some(&norm), ..audit::AuditEvent::of(event) }).await?;
    work.commit().await?;
    Ok(())
}

/// Whether an M1 link can still be used (the step 2 page).
pub async fn invitation_is_usable(state: &AppState, token: &str) -> Result<bool, sqlx::Error> {
    let now = state.clock.now();
    Ok(find(state, "invite_token_hash", &hash_token(token))
        .await?
        .is_some_and(|r| r.stage == Stage::Invited && r.invite_expires_at >= now && r.expires_at >= now))
}

/// The two steps whose attempts are counted: the identity check and the key.
#[derive(Debug, Clone, Copy)]
enum Attempt {
    Identity,
    Key,
}

impl Attempt {
    /// The stage the step acts on.
    fn stage(self) -> Stage {
        match self {
            Self::Identity => Stage::Invited,
            Self::Key => Stage::Verified,
        }
    }
}

/// Counts one attempt of step 2 or 4 *before* it is checked, in one atomic statement that
/// returns the new count: attempts sent at once are each counted, so however they arrive at
/// most `MAX_FAILURES` are ever compared. `None`: the registration left that stage (passed,
/// spent or expired by another request).
async fn count_attempt(state: &AppState, reg: &Registration, attempt: Attempt) -> Result<Option<i64>, sqlx::Error> {
    let sql = match attempt {
        Attempt::Identity => "UPDATE registrations SET identity_failures = identity_failures + 1, updated_at = $1 WHERE id = $2 AND stage = 'invited' RETURNING identity_failures",
        Attempt::Key => "UPDATE registrations SET key_failures = key_failures + 1, updated_at = $1 WHERE id = $2 AND stage = 'verified' RETURNING key_failures",
    };
    let row: Option<(i64,)> = sqlx::query_as(sql).bind(state.clock.now()).bind(&reg.id).fetch_optional(&state.db).await?;
    Ok(row.map(|(n,)| n))
}

/// Records a failed attempt (already counted); the one that reaches the limit, and any after
/// it, spends the registration. Returns whether it is spent.
async fn attempt_failed(
    state: &AppState,
    client_ip: Option<&str>,
    reg: &Registration,
    attempt: Attempt,
    attempts: i64,
) -> Result<bool, sqlx::Error> {
    let now = state.clock.now();
    let spent = attempts >= MAX_FAILURES;
    let (failed_event, spent_event) = match attempt {
        Attempt::Identity => (audit::Event::RegistrationIdentityFailed, audit::Event::RegistrationIdentitySpent),
        Attempt::Key => (audit::Event::RegistrationKeyFailed, audit::Event::RegistrationKeySpent),
    };
    let mut work = Work::begin(state, "registration.attempt_failed").await?.from_client(client_ip);
    if spent {
        sqlx::query("UPDATE registrations SET stage = 'spent', updated_at = $1 WHERE id = $2 AND stage = $3")
            .bind(now)
            .bind(&reg.id)
            .bind(attempt.stage().code())
            .execute(&mut *work.tx)
            .await?;
    }
    let event = if spent { spent_event } else { failed_event };
    work.audit(audit::AuditEvent {
        subject: Some(&reg.email_norm),
        detail: Some(&format!("attempts={attempts}")),
        ..audit::AuditEvent::of(event)
    })
    .await?;
    work.commit().await?;
    Ok(spent)
}

/// What the member typed in step 2, already parsed.
#[derive(Debug, Clone)]
pub struct IdentityInput {
    pub email: Email,
    pub number: MemberNumber,
    pub birth_date: BirthDate,
}

fn browser_token() -> (String, String) {
    let token = new_token();
    let hash = hash_token(&token);
    (token, hash)
}

/// Step 2. On success returns the browser token for the cookie that shows the key (step 3).
pub async fn verify_identity(
    state: &AppState,
    client_ip: Option<&str>,
    token: &str,
    input: &IdentityInput,
) -> Result<String, RegistrationError> {
    let now = state.clock.now();
    let reg = find(state, "invite_token_hash", &hash_token(token)).await?;
    let Some(reg) = reg.filter(|r| r.stage == Stage::Invited && r.invite_expires_at >= now && r.expires_at >= now) else {
        return Err(RegistrationError::LinkUnusable);
    };
    let Some(attempts) = count_attempt(state, &reg, Attempt::Identity).await? else {
        return Err(RegistrationError::LinkUnusable);
    };
    if attempts > MAX_FAILURES {
        attempt_failed(state, client_ip, &reg, Attempt::Identity, attempts).await?;
        return Err(RegistrationError::Spent);
    }
    let roster: Option<(String, String)> = sqlx::query_as(
        "SELECT r.birth_date, r.status FROM roster r WHERE r.kigo = $1 AND r.bango = $2 AND r.email_norm = $3 \
         AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.kigo = r.kigo AND a.bango = r.bango)",
    )
    .bind(input.number.kigo.as_str())
    .bind(input.number.bango.as_str())
    .bind(&reg.email_norm)
    .fetch_optional(&state.db)
    .await?;
    let matches = input.email.normalized() == reg.email_norm
        && roster.is_some_and(|(birth, status)| birth == input.birth_date.iso() && status != MemberStatus::Lost.code());

    if !matches {
        let spent = attempt_failed(state, client_ip, &reg, Attempt::Identity, attempts).await?;
        return Err(if spent { RegistrationError::Spent } else { RegistrationError::IdentityMismatch });
    }

    let mut work = Work::begin(state, "registration.verify_identity").await?.from_client(client_ip);
    let key = format!("{:04}", rand::rng().random_range(0..10_000));
    let key_token = new_token();
    let (browser, browser_hash) = browser_token();
    let updated = sqlx::query(
        "UPDATE registrations SET stage = 'verified', kigo = $1, bango = $2, identity_key = $3, key_token_hash = $4, key_expires_at = $5, \
         browser_token_hash = $6, invite_token_hash = NULL, updated_at = $7 WHERE id = $8 AND stage = 'invited'",
    )
    .bind(input.number.kigo.as_str())
    .bind(input.number.bango.as_str())
    .bind(&key)
    .bind(hash_token(&key_token))
    .bind(now + KEY_TTL)
    .bind(&browser_hash)
    .bind(now)
    .bind(&reg.id)
    .execute(&mut *work.tx)
    .await?;
    if updated.rows_affected() != 1 {
        // A second submit of the same form: the first one won.
        return Err(RegistrationError::LinkUnusable);
    }
    work.mail(&letters::m2_identity_confirmed(&state.config, &reg.email, &key_token)).await?;
    work.audit(audit::AuditEvent { subject: Some(&reg.email_norm), ..audit::AuditEvent::of(audit::Event::RegistrationIdentityVerified) })
        .await?;
    work.commit().await?;
    Ok(browser)
}

/// Passed step 2, and both the key (30 min) and the registration (24 h) are still valid.
fn key_is_live(r: &Registration, now: i64) -> bool {
    r.stage == Stage::Verified && r.key_expires_at.unwrap_or(0) >= now && r.expires_at >= now
}

/// Step 3: the key, for the browser that passed step 2 while it is valid.
pub async fn key_for_browser(state: &AppState, browser: &str) -> Result<Option<String>, sqlx::Error> {
    let now = state.clock.now();
    Ok(find(state, "browser_token_hash", &hash_token(browser)).await?.filter(|r| key_is_live(r, now)).and_then(|r| r.identity_key))
}

/// Whether an M2 link can still be used (the step 4 page).
pub async fn key_link_is_usable(state: &AppState, token: &str) -> Result<bool, sqlx::Error> {
    let now = state.clock.now();
    Ok(find(state, "key_token_hash", &hash_token(token)).await?.is_some_and(|r| key_is_live(&r, now)))
}

/// Step 4. On success returns the browser token for the cookie of step 5 (this device).
pub async fn confirm_key(state: &AppState, client_ip: Option<&str>, token: &str, key: &str) -> Result<String, RegistrationError> {
    let now = state.clock.now();
    let reg = find(state, "key_token_hash", &hash_token(token)).await?;
    let Some(reg) = reg.filter(|r| key_is_live(r, now)) else {
        return Err(RegistrationError::LinkUnusable);
    };
    let Some(attempts) = count_attempt(state, &reg, Attempt::Key).await? else {
        return Err(RegistrationError::LinkUnusable);
    };
    // Past the limit even the right key is refused: the 認証キー has only 10,000 values.
    if attempts > MAX_FAILURES || !secrets_equal(key, reg.identity_key.as_deref().unwrap_or("")) {
        if attempt_failed(state, client_ip, &reg, Attempt::Key, attempts).await? {
            return Err(RegistrationError::Spent);
        }
        return Err(RegistrationError::KeyWrong { tries_left: MAX_FAILURES - attempts });
    }
    let mut work = Work::begin(state, "registration.confirm_key").await?.from_client(client_ip);
    let (browser, browser_hash) = browser_token();
    let updated = sqlx::query(
        "UPDATE registrations SET stage = 'key_confirmed', key_token_hash = NULL, identity_key = NULL, browser_token_hash = $1, updated_at = $2 WHERE id = $3 AND stage = 'verified'",
    )
    .bind(&browser_hash)
    .bind(now)
    .bind(&reg.id)
    .execute(&mut *work.tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(RegistrationError::LinkUnusable);
    }
    work.audit(audit::AuditEvent { subject: Some(&reg.email_norm), ..audit::AuditEvent::of(audit::Event::RegistrationKeyConfirmed) })
        .await?;
    work.commit().await?;
    Ok(browser)
}

/// A registration that passed step 4, with the member it is for.
struct Confirmed {
    reg: Registration,
    number: MemberNumber,
    name: String,
    birth_date: String,
}

async fn confirmed_for_browser(state: &AppState, browser: &str) -> Result<Option<Confirmed>, sqlx::Error> {
    let now = state.clock.now();
    let Some(reg) =
        find(state, "browser_token_hash", &hash_token(browser)).await?.filter(|r| r.stage == Stage::KeyConfirmed && r.expires_at >= now)
    else {
        return Ok(None);
    };
    // Step 2 wrote both before the stage could move on.
    let (Some(kigo), Some(bango)) = (reg.kigo.clone(), reg.bango.clone()) else { return Ok(None) };
    let member: Option<(String, String)> = sqlx::query_as("SELECT name, birth_date FROM roster WHERE kigo = $1 AND bango = $2")
        .bind(kigo.as_str())
        .bind(bango.as_str())
        .fetch_optional(&state.db)
        .await?;
    Ok(member.map(|(name, birth_date)| Confirmed { reg, number: MemberNumber { kigo, bango }, name, birth_date }))
}

/// Step 5 page: the defaults, if this browser may set up the account.
pub async fn account_defaults(state: &AppState, browser: &str) -> Result<Option<AccountDefaults>, sqlx::Error> {
    Ok(confirmed_for_browser(state, browser).await?.map(|c| AccountDefaults {
        email: c.reg.email,
        nickname: c.name,
        consent_key: state.config.consent.key.clone(),
    }))
}

/// What the member typed in step 5 (the password is checked here against the birth date too).
#[derive(Debug, Clone)]
pub struct AccountInput {
    pub login_id: LoginId,
    pub password: Password,
    pub email: Email,
    pub nickname: String,
}

/// Step 5: creates the account, spends the registration and writes M3, in one transaction.
pub async fn create_account(
    state: &AppState,
    client_ip: Option<&str>,
    browser: &str,
    input: AccountInput,
) -> Result<(), RegistrationError> {
    let now = state.clock.now();
    let Some(Confirmed { reg, number, birth_date, .. }) = confirmed_for_browser(state, browser).await? else {
        return Err(RegistrationError::LinkUnusable);
    };
    let ctx = PasswordContext { login_id: Some(input.login_id.as_str()), email: Some(input.email.as_str()), birth_date: Some(&birth_date) };
    input.password.check_for_account(&ctx).map_err(RegistrationError::Password)?;
    let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM accounts WHERE login_id_norm = $1")
        .bind(input.login_id.normalized())
        .fetch_optional(&state.db)
        .await?;
    if taken.is_some() {
        return Err(RegistrationError::LoginIdTaken);
    }

    // Hash last: it is the expensive step, and a taken ID needs no hash.
    let hash = password::hash(input.password.expose().to_string()).await?;

    let mut work = Work::begin(state, "registration.create_account").await?.from_client(client_ip);
    let spent = sqlx::query("UPDATE registrations SET stage = 'completed', browser_token_hash = NULL, updated_at = $1 WHERE id = $2 AND stage = 'key_confirmed'")
        .bind(now)
        .bind(&reg.id)
        .execute(&mut *work.tx)
        .await?;
    if spent.rows_affected() != 1 {
        return Err(RegistrationError::LinkUnusable);
    }
    let account_id = new_id();
    let inserted = sqlx::query(
        "INSERT INTO accounts (id, kigo, bango, login_id, login_id_norm, password_hash, nickname, email1, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&account_id)
    .bind(number.kigo.as_str())
    .bind(number.bango.as_str())
    .bind(input.login_id.as_str())
    .bind(input.login_id.normalized())
    .bind(&hash)
    .bind(&input.nickname)
    .bind(&reg.email)
    .bind(now)
    .execute(&mut *work.tx)
    .await;
    // Either the login ID was taken a moment ago, or this member already has an account.
    inserted.map_err(|e| match unique_violation(&e) {
        Some(Unique::LoginId) => RegistrationError::LoginIdTaken,
        Some(_) => RegistrationError::AlreadyRegistered,
        None => e.into(),
    })?;
    // Address 1 is the address that received the registration mails: it is proven. Any other
    // address typed here waits for the link mailed to it, as in プロフィール設定.
    let added = sqlx::query("INSERT INTO account_emails (account_id, slot, email, email_norm) VALUES ($1, 1, $2, $3)")
        .bind(&account_id)
        .bind(&reg.email)
        .bind(&reg.email_norm)
        .execute(&mut *work.tx)
        .await;
    added.map_err(|e| if unique_violation(&e).is_some() { RegistrationError::AlreadyRegistered } else { e.into() })?;
    if input.email.normalized() != reg.email_norm {
        crate::backend::members::settings::request_confirmation(&mut work, &account_id, 1, input.email.as_str()).await?;
    }
    // The box of step 5 was ticked for the versions served now (`consent::check_agreement`).
    crate::backend::members::consent::record(&mut work, &account_id).await?;
    // M3 goes to the address the registration was started with (the manual's step 9).
    work.mail(&letters::m3_registration_complete(&state.config, &reg.email, input.login_id.as_str())).await?;
    work.audit(audit::AuditEvent { account_id: Some(&account_id), ..audit::AuditEvent::of(audit::Event::AccountCreated) }).await?;
    work.commit().await?;
    Ok(())
}
