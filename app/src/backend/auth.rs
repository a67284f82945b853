//! ログイン and sessions (spec §2, §5; security.md "Passwords and login", "Sessions").

use super::ids::{hash_token, new_token};
use super::{audit, outbox, password, rate, AppState};
use crate::error::AppError;
use crate::text::login as text;
use tokio::sync::OnceCell;

pub const SESSION_COOKIE: &str = "portal_session";
pub const IDLE_TIMEOUT: i64 = 30 * 60;
pub const ABSOLUTE_TIMEOUT: i64 = 12 * 3600;
pub use super::config::LoginLimits;

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
}

/// Checks the credentials and opens a session. Returns the session token for the cookie.
pub async fn login(state: &AppState, client_ip: Option<&str>, login_id: &str, password_typed: &str) -> Result<String, AppError> {
    let now = state.clock.now();
    let norm = login_id.trim().to_ascii_lowercase();
    let id_key = rate::key("login-id", &norm);
    let ip_key = rate::key("login-ip", client_ip.unwrap_or("unknown"));
    let limits = state.config.login_limits;
    let (by_id, by_ip) = (throttle(state, &id_key).await?, throttle(state, &ip_key).await?);
    if let Some(message) = refusal(&limits, &by_id, now).or(if by_ip.locked_until > now { Some(text::LOCKED) } else { None }) {
        audit::record(&state.db, now, audit::AuditEvent { event: "login_refused_locked", subject: Some(&norm), client_ip, ..Default::default() }).await?;
        return Err(AppError::form(message));
    }

    let account: Option<Credentials> = sqlx::query_as(
        "SELECT a.id, a.password_hash, r.status, a.email1 FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.login_id_norm = $1",
    )
    .bind(&norm)
    .fetch_optional(&state.db)
    .await?;
    let hash = match &account {
        Some(a) => a.password_hash.clone(),
        None => dummy_hash().await?.clone(),
    };
    let verified = password::verify(password_typed.to_string(), hash).await;
    let active = account.as_ref().is_some_and(|a| a.status != crate::domain::MemberStatus::Lost.code());

    let mut tx = state.db.begin().await?;
    if !(verified && active) {
        let failures = by_id.failures + 1;
        let locks = failures >= limits.lock_after;
        record_failure(&mut tx, &id_key, failures, now, locks.then_some(limits.lock_seconds)).await?;
        let ip_failures = by_ip.failures + 1;
        let ip_locks = ip_failures >= limits.client_lock_after;
        record_failure(&mut tx, &ip_key, ip_failures, now, ip_locks.then_some(limits.lock_seconds)).await?;
        let account_id = account.as_ref().map(|a| a.id.as_str());
        audit::record(&mut *tx, now, audit::AuditEvent { event: "login_failed", account_id, subject: Some(&norm), client_ip, detail: Some(&format!("failures={failures}")), ..Default::default() }).await?;
        if locks {
            audit::record(&mut *tx, now, audit::AuditEvent { event: "login_locked", account_id, subject: Some(&norm), client_ip, ..Default::default() }).await?;
            if let Some(to) = account.as_ref().and_then(|a| a.email1.as_deref()) {
                outbox::enqueue(&mut *tx, now, &super::mails::account_locked(&state.config, to, limits.lock_seconds / 60)).await?;
            }
        }
        tx.commit().await?;
        state.mail_wakeup.notify_one();
        return Err(AppError::form(if locks { text::LOCKED } else { text::WRONG }));
    }
    let Some(account) = account else { return Err(AppError::form(text::WRONG)) };
    sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(&id_key).execute(&mut *tx).await?;
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
}

/// The member of a valid session (idle and absolute timeouts), refreshing its idle clock.
pub async fn member(state: &AppState, token: &str) -> Result<Option<SessionMember>, AppError> {
    let now = state.clock.now();
    let id_hash = hash_token(token);
    let row: Option<(i64, i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT s.created_at, s.last_seen_at, a.id, a.login_id, r.name, a.nickname, r.status FROM sessions s \
         JOIN accounts a ON a.id = s.account_id JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE s.id_hash = $1",
    )
    .bind(&id_hash)
    .fetch_optional(&state.db)
    .await?;
    let Some((created, seen, account_id, login_id, name, nickname, status)) = row else { return Ok(None) };
    if now - seen > IDLE_TIMEOUT || now - created > ABSOLUTE_TIMEOUT || status == crate::domain::MemberStatus::Lost.code() {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(&id_hash).execute(&state.db).await?;
        return Ok(None);
    }
    if now - seen >= 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2").bind(now).bind(&id_hash).execute(&state.db).await?;
    }
    Ok(Some(SessionMember { account_id, login_id, name, nickname }))
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
