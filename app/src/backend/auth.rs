//! ログイン and sessions (spec §2, §5; security.md "Passwords and login", "Sessions").

use super::ids::{hash_token, new_token};
use super::{audit, outbox, password, rate, AppState};
use crate::error::AppError;
use crate::text::login as text;
use tokio::sync::OnceCell;

pub const SESSION_COOKIE: &str = "portal_session";
pub use super::config::{LoginLimits, SessionLimits};

#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
struct Throttle {
    failures: i64,
    last_failure_at: i64,
    locked_until: i64,
}

async fn throttle(state: &AppState, key: &str) -> Result<Throttle, sqlx::Error> {
    Ok(sqlx::query_as("SELECT failures, last_failure_at, locked_until FROM login_throttle WHERE key = $1")
        .bind(key)
        .fetch_optional(&state.db)
        .await?
        .unwrap_or_default())
}

/// Why a login may not even be tried now (same answer whether the ID exists or not).
fn refusal(limits: &LoginLimits, t: &Throttle, now: i64) -> Option<&'static str> {
    if t.locked_until > now {
        Some(text::LOCKED)
    } else if now < t.last_failure_at + limits.delay_seconds(t.failures) {
        Some(text::WAIT)
    } else {
        None
    }
}

/// A hash to verify unknown IDs against, so they cost the same time as a wrong password.
static DUMMY_HASH: OnceCell<String> = OnceCell::const_new();

async fn dummy_hash() -> Result<&'static String, sqlx::Error> {
    DUMMY_HASH.get_or_try_init(|| password::hash(new_token())).await
}

#[derive(Debug, sqlx::FromRow)]
struct Credentials {
    id: String,
    password_hash: String,
    status: String,
    email1: Option<String>,
    must_change_password: i64,
    password_expires_at: Option<i64>,
}

/// One password check under the brute-force limits, keyed on the login ID (as typed,
/// lower-cased) and on the client address. Login and パスワード変更 both go through it.
pub struct Attempt<'a> {
    state: &'a AppState,
    client_ip: Option<&'a str>,
    norm: String,
    id_key: String,
    ip_key: String,
    by_id: Throttle,
    by_ip: Throttle,
}

impl<'a> Attempt<'a> {
    /// Refuses at once (same answer whether the ID exists or not) while locked or waiting.
    pub async fn begin(state: &'a AppState, client_ip: Option<&'a str>, login_id: &str) -> Result<Self, AppError> {
        let now = state.clock.now();
        let norm = login_id.trim().to_ascii_lowercase();
        let id_key = rate::key("login-id", &norm);
        let ip_key = rate::key("login-ip", client_ip.unwrap_or("unknown"));
        let (by_id, by_ip) = (throttle(state, &id_key).await?, throttle(state, &ip_key).await?);
        let limits = &state.config.login_limits;
        if let Some(message) = refusal(limits, &by_id, now).or(if by_ip.locked_until > now { Some(text::LOCKED) } else { None }) {
            audit::record(&state.db, now, audit::AuditEvent { event: "login_refused_locked", subject: Some(&norm), client_ip, ..Default::default() }).await?;
            return Err(AppError::form(message));
        }
        Ok(Self { state, client_ip, norm, id_key, ip_key, by_id, by_ip })
    }

    /// Counts a failure; locks (with a notice to the member's address 1) when the limit is hit.
    /// Returns whether this failure locked the login ID.
    pub async fn failed(&self, account_id: Option<&str>, email1: Option<&str>) -> Result<bool, AppError> {
        let (state, now, limits) = (self.state, self.state.clock.now(), self.state.config.login_limits);
        let mut tx = super::db::begin(&state.db).await?;
        let failures = self.by_id.failures + 1;
        let locks = failures >= limits.lock_after;
        record_failure(&mut tx, &self.id_key, failures, now, locks.then_some(limits.lock_seconds)).await?;
        let ip_failures = self.by_ip.failures + 1;
        let ip_locks = ip_failures >= limits.client_lock_after;
        record_failure(&mut tx, &self.ip_key, ip_failures, now, ip_locks.then_some(limits.lock_seconds)).await?;
        let (subject, client_ip) = (Some(self.norm.as_str()), self.client_ip);
        audit::record(&mut *tx, now, audit::AuditEvent { event: "login_failed", account_id, subject, client_ip, detail: Some(&format!("failures={failures}")) }).await?;
        if locks {
            audit::record(&mut *tx, now, audit::AuditEvent { event: "login_locked", account_id, subject, client_ip, ..Default::default() }).await?;
            if let Some(to) = email1 {
                outbox::enqueue(&mut *tx, now, &super::mails::account_locked(&state.config, to, limits.lock_seconds / 60)).await?;
            }
        }
        tx.commit().await?;
        state.mail_wakeup.notify_one();
        Ok(locks)
    }

    /// Clears the login ID's failure count (inside the caller's transaction).
    pub async fn succeeded(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(&self.id_key).execute(&mut **tx).await?;
        Ok(())
    }
}

/// Checks the credentials and opens a session. Returns the session token for the cookie.
pub async fn login(state: &AppState, client_ip: Option<&str>, login_id: &str, password_typed: &str) -> Result<String, AppError> {
    let now = state.clock.now();
    let attempt = Attempt::begin(state, client_ip, login_id).await?;
    let account: Option<Credentials> = sqlx::query_as(
        "SELECT a.id, a.password_hash, r.status, a.email1, a.must_change_password, a.password_expires_at \
         FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.login_id_norm = $1",
    )
    .bind(&attempt.norm)
    .fetch_optional(&state.db)
    .await?;
    let hash = match &account {
        Some(a) => a.password_hash.clone(),
        None => dummy_hash().await?.clone(),
    };
    let verified = password::verify(password_typed.to_string(), hash).await;
    let active = account.as_ref().is_some_and(|a| a.status != crate::domain::MemberStatus::Lost.code());
    let account = match account {
        Some(a) if verified && active => a,
        other => {
            let locks = attempt.failed(other.as_ref().map(|a| a.id.as_str()), other.as_ref().and_then(|a| a.email1.as_deref())).await?;
            return Err(AppError::form(if locks { text::LOCKED } else { text::WRONG }));
        }
    };
    // Only someone who knows the temporary password learns that it expired.
    if account.must_change_password != 0 && account.password_expires_at.is_some_and(|at| at <= now) {
        audit::record(&state.db, now, audit::AuditEvent { event: "login_temp_expired", account_id: Some(&account.id), client_ip, ..Default::default() }).await?;
        return Err(AppError::form(text::TEMP_EXPIRED));
    }
    let mut tx = super::db::begin(&state.db).await?;
    attempt.succeeded(&mut tx).await?;
    let token = new_token();
    sqlx::query("INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, client_ip) VALUES ($1, $2, $3, $3, $4)")
        .bind(hash_token(&token))
        .bind(&account.id)
        .bind(now)
        .bind(client_ip)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut *tx, now, audit::AuditEvent { event: "login", account_id: Some(&account.id), client_ip, ..Default::default() }).await?;
    tx.commit().await?;
    Ok(token)
}

/// `lock_for`: seconds to lock now; a lock starts a fresh count afterwards.
async fn record_failure(tx: &mut sqlx::Transaction<'_, sqlx::Any>, key: &str, failures: i64, now: i64, lock_for: Option<i64>) -> Result<(), sqlx::Error> {
    let (failures, locked_until) = match lock_for { Some(seconds) => (0, now + seconds), None => (failures, 0) };
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, last_failure_at, locked_until) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until",
    )
    .bind(key)
    .bind(failures)
    .bind(now)
    .bind(locked_until)
    .execute(&mut **tx)
    .await?;
    Ok(())
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
    /// Then プロフィール設定.
    pub must_set_profile: bool,
}

impl SessionMember {
    /// Where the member must go first, if not where they asked to go.
    pub fn forced_path(&self) -> Option<&'static str> {
        if self.must_change_password {
            Some("/password")
        } else if self.must_set_profile {
            Some("/profile")
        } else {
            None
        }
    }
}

/// The member of a valid session (idle and absolute timeouts), refreshing its idle clock.
pub async fn member(state: &AppState, token: &str) -> Result<Option<SessionMember>, AppError> {
    let now = state.clock.now();
    let id_hash = hash_token(token);
    let row: Option<(i64, i64, String, String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT s.created_at, s.last_seen_at, a.id, a.login_id, r.name, a.nickname, r.status, a.must_change_password, a.must_set_profile FROM sessions s \
         JOIN accounts a ON a.id = s.account_id JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE s.id_hash = $1",
    )
    .bind(&id_hash)
    .fetch_optional(&state.db)
    .await?;
    let Some((created, seen, account_id, login_id, name, nickname, status, must_change, must_profile)) = row else { return Ok(None) };
    let limits = state.config.sessions;
    if now - seen > limits.idle_seconds || now - created > limits.max_seconds || status == crate::domain::MemberStatus::Lost.code() {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(&id_hash).execute(&state.db).await?;
        return Ok(None);
    }
    if now - seen >= limits.refresh_after() {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2").bind(now).bind(&id_hash).execute(&state.db).await?;
    }
    Ok(Some(SessionMember { account_id, login_id, name, nickname, must_change_password: must_change != 0, must_set_profile: must_profile != 0 }))
}

/// Ends one session (ログアウト).
pub async fn logout(state: &AppState, client_ip: Option<&str>, token: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let id_hash = hash_token(token);
    let account: Option<(String,)> = sqlx::query_as("DELETE FROM sessions WHERE id_hash = $1 RETURNING account_id").bind(&id_hash).fetch_optional(&state.db).await?;
    if let Some((account_id,)) = account {
        audit::record(&state.db, now, audit::AuditEvent { event: "logout", account_id: Some(&account_id), client_ip, ..Default::default() }).await?;
    }
    Ok(())
}

/// Ends every session of an account except `keep` (a session token), inside a transaction.
pub async fn end_sessions(tx: &mut sqlx::Transaction<'_, sqlx::Any>, account_id: &str, keep: Option<&str>) -> Result<u64, sqlx::Error> {
    let keep = keep.map(hash_token).unwrap_or_default();
    let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2").bind(account_id).bind(keep).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

/// A local path to go to after login: never another site (no open redirect).
pub fn safe_next(next: &str) -> &str {
    let ok = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.contains("://");
    if ok { next } else { "/home" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_cap() {
        let l = LoginLimits::default();
        assert_eq!((0..5).map(|n| l.delay_seconds(n)).collect::<Vec<_>>(), vec![0, 0, 0, 0, 0]);
        assert_eq!(l.delay_seconds(5), 2);
        assert_eq!(l.delay_seconds(6), 4);
        assert_eq!(l.delay_seconds(9), 32);
        assert_eq!(l.delay_seconds(40), 32);
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/home"), "/home");
        for bad in ["https://evil.example/", "//evil.example", "/\\evil", "home", ""] {
            assert_eq!(safe_next(bad), "/home", "{bad}");
        }
    }
}
