//! A member's ログイン and sessions (README.md "Security notes").

use crate::backend::audit;
use crate::backend::identity::challenge;
use crate::backend::identity::password::HashError;
use crate::backend::identity::session;
use crate::backend::identity::throttle::{lift_lock, Attempt, LoginError, Principal};

pub use crate::backend::identity::session::SessionRow;
use crate::backend::platform::{AppState, Client, Work};
use crate::domain::{FirstSteps, MemberStatus};

#[derive(Debug, sqlx::FromRow)]
struct Credentials {
    id: String,
    password_hash: String,
    status: String,
    email1: Option<String>,
    must_change_password: i64,
    password_expires_at: Option<i64>,
    disabled_at: Option<i64>,
    totp_secret: Option<String>,
    lost_at: Option<i64>,
    passkeys: i64,
}

/// Lifts the lock of an account's login ID (a password reset by mail: whoever can read the
/// member's mail may log in again at once), inside the caller's transaction.
pub async fn lift_account_lock(tx: &mut sqlx::Transaction<'_, sqlx::Any>, account_id: &str) -> Result<(), sqlx::Error> {
    let (login_norm,): (String,) =
        sqlx::query_as("SELECT login_id_norm FROM accounts WHERE id = $1").bind(account_id).fetch_one(&mut **tx).await?;
    lift_lock(&mut **tx, Principal::Member, &login_norm).await
}

/// Re-authentication of a logged-in member (パスワード変更; changing the login ID or an
/// address, ASVS V7.5.1): the current password, counted by the same throttle as login.
/// `LoginError::Wrong` when it does not match (the caller names the field). A right password
/// clears the count at once: it is the only factor these steps ask for.
pub async fn check_current_password(
    state: &AppState,
    client_ip: Option<&str>,
    member: &SessionMember,
    password_typed: &str,
) -> Result<(), LoginError> {
    let attempt = password_attempt(state, client_ip, member, password_typed).await?;
    attempt.cleared(&state.db).await?;
    Ok(())
}

/// The current password of a logged-in member as the first factor of a step that asks for more
/// (2段階認証's changes): counted, and left counted for the caller to lift only when every
/// factor of the step was right (`Attempt::succeeded`, in the step's own transaction).
pub async fn password_attempt<'a>(
    state: &'a AppState,
    client_ip: Option<&'a str>,
    member: &SessionMember,
    password_typed: &str,
) -> Result<Attempt<'a>, LoginError> {
    let attempt = Attempt::begin(state, client_ip, &member.login_id).await?;
    let (hash, email1): (String, Option<String>) =
        sqlx::query_as("SELECT password_hash, email1 FROM accounts WHERE id = $1").bind(&member.account_id).fetch_one(&state.db).await?;
    if !attempt.verify(password_typed, Some(hash)).await? {
        let locked = attempt.failed(Some(&member.account_id), email1.as_deref()).await?;
        return Err(if locked { LoginError::Locked } else { LoginError::Wrong });
    }
    Ok(attempt)
}

/// Checks the credentials and opens a session (or, with 2段階認証, asks for the code next).
/// `answer` is the 認証文字, needed only once this client is past its failure limit.
pub async fn login(
    state: &AppState,
    client: &Client<'_>,
    login_id: &str,
    password_typed: &str,
    answer: &challenge::Answer,
) -> Result<LoggedIn, LoginError> {
    let now = state.clock.now();
    let client_ip = client.ip;
    let counted = challenge::pass(state, challenge::Form::Login, client_ip, answer).await?;
    let attempt = Attempt::begin(state, client_ip, login_id).await?;
    let account: Option<Credentials> = sqlx::query_as(
        "SELECT a.id, a.password_hash, r.status, a.email1, a.must_change_password, a.password_expires_at, a.disabled_at, a.totp_secret, \
         r.lost_at, (SELECT COUNT(*) FROM passkeys p WHERE p.account_id = a.id) AS passkeys \
         FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.login_id_norm = $1",
    )
    .bind(attempt.login_id_norm())
    .fetch_optional(&state.db)
    .await?;
    let verified = match attempt.verify(password_typed, account.as_ref().map(|a| a.password_hash.clone())).await {
        // No password was compared: the login ID's count was taken back, the client's stays
        // (a flood that keeps the queue full must end up in the 認証文字, not in free retries).
        Err(LoginError::Hash(HashError::Busy)) => return Err(HashError::Busy.into()),
        other => other?,
    };
    // 利用停止 (by staff), or 資格喪失 past its read-only months: the same answer as a wrong password.
    let active = account.as_ref().is_some_and(|a| a.disabled_at.is_none() && access(state, &a.status, a.lost_at, now).is_some());
    let account = match account {
        Some(a) if verified && active => a,
        other => {
            let locks = attempt.failed(other.as_ref().map(|a| a.id.as_str()), other.as_ref().and_then(|a| a.email1.as_deref())).await?;
            return Err(if locks { LoginError::Locked } else { LoginError::Wrong });
        }
    };
    // Only someone who knows the temporary password learns that it expired.
    if account.must_change_password != 0 && account.password_expires_at.is_some_and(|at| at <= now) {
        audit::record(
            &state.db,
            now,
            audit::AuditEvent { account_id: Some(&account.id), client_ip, ..audit::AuditEvent::of(audit::Event::LoginTempExpired) },
        )
        .await?;
        return Err(LoginError::TempExpired);
    }
    // 2段階認証 (an authenticator app or a passkey): the second step comes next; the login ID's
    // count stays until it is right.
    if account.totp_secret.is_some() || account.passkeys > 0 {
        counted.forgive(&state.db).await?;
        return Ok(LoggedIn::CodeNeeded(account.id));
    }
    let mut work = Work::begin(state, "login.login").await?.from_client(client_ip);
    attempt.succeeded(&mut work.tx).await?;
    counted.forgive(&mut *work.tx).await?;
    let token = open_session(&mut work, client, &account.id, None).await?;
    work.commit().await?;
    Ok(LoggedIn::Session(token))
}

/// What a right password leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoggedIn {
    /// The session token for the cookie.
    Session(String),
    /// 2段階認証: the account whose code is asked next (`two_step::begin`).
    CodeNeeded(String),
}

impl LoggedIn {
    /// The session, for callers that know the account has no second step (tests, tools).
    pub fn session(self) -> Option<String> {
        match self {
            Self::Session(token) => Some(token),
            Self::CodeNeeded(_) => None,
        }
    }
}

/// Opens a session for a member whose login is complete (inside the caller's transaction);
/// returns its token. `detail`: how the second step was passed, if there was one.
pub async fn open_session(work: &mut Work<'_>, client: &Client<'_>, account_id: &str, detail: Option<&str>) -> Result<String, sqlx::Error> {
    let token = session::MEMBERS.open(&mut *work.tx, account_id, client, work.now).await?;
    work.audit(audit::AuditEvent { account_id: Some(account_id), detail, ..audit::AuditEvent::of(audit::Event::Login) }).await?;
    Ok(token)
}

/// Whether an account may log in now (not 利用停止, not past its 資格喪失 months): a login
/// without a password (a passkey) asks what the password login asks.
pub async fn may_log_in(state: &AppState, account_id: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT r.status, r.lost_at, a.disabled_at FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_optional(&state.db)
    .await?;
    Ok(row.is_some_and(|(status, lost_at, disabled_at)| {
        disabled_at.is_none() && access(state, &status, lost_at, state.clock.now()).is_some()
    }))
}

/// Whether a roster row may log in at `now`: `Some(None)` fully, `Some(Some(until))` read-only
/// until then (資格喪失 within `DOCUMENTS_AFTER_LEAVING_MONTHS`), `None` not at all.
fn access(state: &AppState, status: &str, lost_at: Option<i64>, now: i64) -> Option<Option<i64>> {
    if status != MemberStatus::Lost.code() {
        return Some(None);
    }
    let until = state.config.readable_until(lost_at?);
    (now < until).then_some(Some(until))
}

/// The member behind a session.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionMember {
    pub account_id: String,
    pub login_id: String,
    pub name: String,
    pub nickname: String,
    /// Signed in with a temporary password: パスワード変更 comes before anything else.
    pub must_change_password: bool,
    /// Then 利用規約 and 個人情報の取扱い, at their current versions (never agreed, or changed since).
    pub must_agree: bool,
    /// Then 2段階認証, when the society requires it (`MEMBER_2FA=required`) and none is set.
    pub must_enrol: bool,
    /// Then プロフィール設定.
    pub must_set_profile: bool,
    /// 資格喪失: until then the member may only read the household's documents
    /// (`domain::readable_after_leaving`).
    pub read_only_until: Option<i64>,
}

impl SessionMember {
    /// What the member must do before anything else.
    pub fn first_steps(&self) -> FirstSteps {
        FirstSteps {
            change_password: self.must_change_password,
            agree: self.must_agree,
            enrol: self.must_enrol,
            set_profile: self.must_set_profile,
        }
    }

    /// Where the member must go first, if not where they asked to go.
    pub fn forced_path(&self) -> Option<&'static str> {
        self.first_steps().forced_path()
    }
}

/// The member of a live session (idle and absolute timeouts), refreshing its idle clock. A
/// member no longer eligible (資格喪失, 利用停止) has their session ended here.
pub async fn member(state: &AppState, token: &str) -> Result<Option<SessionMember>, sqlx::Error> {
    let Some(account_id) = session::MEMBERS.resolve(state, token).await? else { return Ok(None) };
    #[derive(sqlx::FromRow)]
    struct Live {
        login_id: String,
        name: String,
        nickname: String,
        status: String,
        must_change_password: i64,
        must_set_profile: i64,
        consent_version: Option<String>,
        two_step: i64,
        disabled_at: Option<i64>,
        lost_at: Option<i64>,
    }
    let row: Option<Live> = sqlx::query_as(
        "SELECT a.login_id, r.name, a.nickname, r.status, a.must_change_password, a.must_set_profile, a.consent_version, \
         CASE WHEN a.totp_secret IS NULL AND NOT EXISTS (SELECT 1 FROM passkeys p WHERE p.account_id = a.id) THEN 0 ELSE 1 END AS two_step, \
         a.disabled_at, r.lost_at \
         FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.id = $1",
    )
    .bind(&account_id)
    .fetch_optional(&state.db)
    .await?;
    let now = state.clock.now();
    let (live, read_only_until) = match row {
        Some(live) if live.disabled_at.is_none() => match access(state, &live.status, live.lost_at, now) {
            Some(until) => (live, until),
            None => {
                session::MEMBERS.end(&state.db, token).await?;
                return Ok(None);
            }
        },
        _ => {
            session::MEMBERS.end(&state.db, token).await?;
            return Ok(None);
        }
    };
    Ok(Some(SessionMember {
        account_id,
        login_id: live.login_id,
        name: live.name,
        nickname: live.nickname,
        must_change_password: live.must_change_password != 0,
        must_agree: live.consent_version.as_deref() != Some(state.config.consent.key.as_str()),
        must_enrol: state.config.member_2fa_required && live.two_step == 0,
        must_set_profile: live.must_set_profile != 0,
        read_only_until,
    }))
}

/// Ends one session (ログアウト).
pub async fn logout(state: &AppState, client_ip: Option<&str>, token: &str) -> Result<(), sqlx::Error> {
    if let Some(account_id) = session::MEMBERS.end(&state.db, token).await? {
        let event = audit::AuditEvent { account_id: Some(&account_id), client_ip, ..audit::AuditEvent::of(audit::Event::Logout) };
        audit::record(&state.db, state.clock.now(), event).await?;
    }
    Ok(())
}

/// Ends every session of an account except `keep` (a session token), inside a transaction.
pub async fn end_sessions(tx: &mut sqlx::Transaction<'_, sqlx::Any>, account_id: &str, keep: Option<&str>) -> Result<u64, sqlx::Error> {
    session::MEMBERS.end_all_but(&mut **tx, account_id, keep).await
}

/// The account's live sessions, the caller's first, then the most recently used.
pub async fn sessions(state: &AppState, account_id: &str, current_token: &str) -> Result<Vec<SessionRow>, sqlx::Error> {
    session::MEMBERS.list(state, account_id, Some(current_token)).await
}

/// 「ログアウトさせる」: ends one session of the account (never another account's).
pub async fn end_session_by_handle(state: &AppState, client_ip: Option<&str>, account_id: &str, handle: &str) -> Result<(), sqlx::Error> {
    let mut work = Work::begin(state, "login.end_session_by_handle").await?.from_client(client_ip).on_account(account_id);
    session::MEMBERS.end_device(&mut work, account_id, handle, audit::Event::SessionEndedByMember).await?;
    work.commit().await
}

/// 「他の端末をすべてログアウト」: every session of the account but the caller's.
pub async fn end_other_sessions(
    state: &AppState,
    client_ip: Option<&str>,
    account_id: &str,
    current_token: &str,
) -> Result<(), sqlx::Error> {
    let mut work = Work::begin(state, "login.end_other_sessions").await?.from_client(client_ip).on_account(account_id);
    session::MEMBERS.end_other_devices(&mut work, account_id, current_token, audit::Event::OtherSessionsEnded).await?;
    work.commit().await
}
