//! The login throttle of members and staff alike: each password attempt is counted before it
//! is hashed, the ID locks after too many, and unknown IDs cost the same time as known ones.

use crate::backend::audit;
use crate::backend::identity::challenge::ChallengeError;
use crate::backend::identity::password::{self, HashError};
use crate::backend::mail::letters;
use crate::backend::platform::ids::new_token;
use crate::backend::platform::{rate, AppState, Db, Work};
use crate::domain::LoginId;
use crate::error::AppError;
use crate::text::login as text;
use tokio::sync::OnceCell;

/// Why a login (or a re-authentication with the current password) did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// The login ID is locked (the same answer whether it exists or not).
    #[error("the login ID is locked")]
    Locked,
    /// Too soon after the previous attempt.
    #[error("too soon after the previous attempt")]
    Wait,
    /// Unknown ID, wrong password or a member no longer eligible: one answer for all.
    #[error("wrong login ID or password")]
    Wrong,
    #[error("the temporary password expired")]
    TempExpired,
    /// 2段階認証: the code (or backup code) does not match.
    #[error("wrong second-step code")]
    CodeWrong,
    /// 2段階認証: the waiting login ended (too late, too many wrong codes, or used).
    #[error("the login waiting for its code ended")]
    CodeExpired,
    #[error(transparent)]
    Challenge(#[from] ChallengeError),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<LoginError> for AppError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Locked => AppError::form(text::LOCKED),
            LoginError::Wait => AppError::form(text::WAIT),
            LoginError::Wrong => AppError::form(text::WRONG),
            LoginError::TempExpired => AppError::form(text::TEMP_EXPIRED),
            LoginError::CodeWrong => AppError::field("code", crate::domain::FieldError::new(crate::text::two_step::CODE_WRONG)),
            LoginError::CodeExpired => AppError::Gone(crate::text::two_step::LOGIN_CODE_EXPIRED.into()),
            LoginError::Challenge(e) => e.into(),
            LoginError::Hash(e) => e.into(),
            LoginError::Db(e) => e.into(),
        }
    }
}

/// A hash to verify unknown IDs against, so they cost the same time as a wrong password.
static DUMMY_HASH: OnceCell<String> = OnceCell::const_new();

async fn dummy_hash() -> Result<&'static String, HashError> {
    DUMMY_HASH.get_or_try_init(|| password::hash_outside_turns(new_token())).await
}

/// Whose login a password attempt is for: members and staff are counted and locked apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    Member,
    Staff,
}

impl Principal {
    /// The login ID as typed, normalised the way the accounts store it.
    fn normalize(self, typed: &str) -> String {
        match self {
            Self::Member => LoginId::normalize(typed),
            Self::Staff => crate::domain::login_key(typed),
        }
    }

    /// The throttle key of a login ID (whether or not it exists).
    fn key(self, norm: &str) -> String {
        match self {
            Self::Member => rate::key("login-id", norm),
            Self::Staff => rate::key("staff-id", norm),
        }
    }

    /// The member's event or the staff member's.
    fn event(self, member: audit::Event, staff: audit::Event) -> audit::Event {
        match self {
            Self::Member => member,
            Self::Staff => staff,
        }
    }

    /// The account behind a login ID and the address its lock notice goes to.
    async fn account(self, db: &Db, norm: &str) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
        let sql = match self {
            Self::Member => "SELECT id, email1 FROM accounts WHERE login_id_norm = $1",
            Self::Staff => "SELECT id, email FROM staff WHERE email_norm = $1",
        };
        sqlx::query_as(sql).bind(norm).fetch_optional(db).await
    }
}

/// Lifts the lock and the failure count of a member's or staff member's login ID (a reset by
/// mail, a 管理者's reset of a staff account).
pub async fn lift_lock<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(
    exec: E,
    principal: Principal,
    login_id_norm: &str,
) -> Result<(), sqlx::Error> {
    lift_key(exec, &principal.key(login_id_norm)).await
}

async fn lift_key<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(exec: E, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key).execute(exec).await?;
    Ok(())
}

/// Until when a member's (or staff member's) login ID is locked, if it is.
pub async fn locked_until(db: &Db, principal: Principal, login_id_norm: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT locked_until FROM login_throttle WHERE key = $1 AND locked_until > $2")
        .bind(principal.key(login_id_norm))
        .bind(now)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| r.0))
}

/// Counts one password attempt of a login ID before the password is checked, in one atomic
/// statement, so attempts sent at once are each counted. Returns the count (this attempt
/// included) and the time of the attempt before, or `None` while the ID is locked. The attempt
/// that reaches `lock_after` sets the lock itself: any attempt after it is refused even while
/// that one is still being hashed. An expired lock starts a fresh count.
async fn count_attempt(state: &AppState, key: &str, now: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let limits = state.config.login_limits;
    let lock_until = now + limits.lock_seconds;
    sqlx::query_as(
        "INSERT INTO login_throttle (key, failures, last_failure_at, locked_until, prev_failure_at) VALUES ($1, 1, $2, $5, 0) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.locked_until > 0 THEN 1 ELSE login_throttle.failures + 1 END, \
           locked_until = CASE WHEN (CASE WHEN login_throttle.locked_until > 0 THEN 1 ELSE login_throttle.failures + 1 END) >= $3 THEN $4 ELSE 0 END, \
           prev_failure_at = CASE WHEN login_throttle.locked_until > 0 THEN 0 ELSE login_throttle.last_failure_at END, \
           last_failure_at = $2 \
         WHERE login_throttle.locked_until <= $2 \
         RETURNING failures, prev_failure_at",
    )
    .bind(key)
    .bind(now)
    .bind(limits.lock_after)
    .bind(lock_until)
    .bind(if limits.lock_after <= 1 { lock_until } else { 0 })
    .fetch_optional(&state.db)
    .await
}

/// One password check under the brute-force limits of the login ID (as typed, lower-cased).
/// Login, パスワード変更 and re-authentication all go through it: counted first, hashed second.
pub struct Attempt<'a> {
    state: &'a AppState,
    client_ip: Option<&'a str>,
    principal: Principal,
    norm: String,
    key: String,
    /// This attempt reached the lock threshold: it locks the ID unless its password is right.
    locks: bool,
    failures: i64,
}

impl<'a> Attempt<'a> {
    /// Counts the attempt, then refuses at once (same answer whether the ID exists or not)
    /// while the ID is locked or too soon after the previous attempt. A refused attempt counts.
    pub async fn begin(state: &'a AppState, client_ip: Option<&'a str>, login_id: &str) -> Result<Self, LoginError> {
        Self::begin_for(state, client_ip, Principal::Member, login_id).await
    }

    /// `begin` for a member's or a staff member's login ID.
    pub async fn begin_for(
        state: &'a AppState,
        client_ip: Option<&'a str>,
        principal: Principal,
        login_id: &str,
    ) -> Result<Self, LoginError> {
        let now = state.clock.now();
        let norm = principal.normalize(login_id);
        let key = principal.key(&norm);
        let limits = state.config.login_limits;
        let Some((failures, previous_at)) = count_attempt(state, &key, now).await? else {
            let event = principal.event(audit::Event::LoginRefusedLocked, audit::Event::StaffLoginRefusedLocked);
            audit::record(&state.db, now, audit::AuditEvent { subject: Some(&norm), client_ip, ..audit::AuditEvent::of(event) }).await?;
            return Err(LoginError::Locked);
        };
        let attempt = Self { state, client_ip, principal, norm, key, locks: failures >= limits.lock_after, failures };
        if now < previous_at + limits.delay_seconds(failures - 1) {
            if attempt.locks {
                let account = principal.account(&state.db, &attempt.norm).await?;
                attempt.failed(account.as_ref().map(|a| a.0.as_str()), account.as_ref().and_then(|a| a.1.as_deref())).await?;
                return Err(LoginError::Locked);
            }
            let event = principal.event(audit::Event::LoginRefusedWait, audit::Event::StaffLoginRefusedWait);
            audit::record(&state.db, now, audit::AuditEvent { subject: Some(&attempt.norm), client_ip, ..audit::AuditEvent::of(event) })
                .await?;
            return Err(LoginError::Wait);
        }
        Ok(attempt)
    }

    /// Records the failure (already counted by `begin`); when this attempt reached the limit the
    /// ID is locked and the member's address 1 gets a notice. Returns whether it locked.
    pub async fn failed(&self, id: Option<&str>, email1: Option<&str>) -> Result<bool, sqlx::Error> {
        let (state, limits) = (self.state, self.state.config.login_limits);
        let mut work = Work::begin(state, "throttle.failed").await?.from_client(self.client_ip);
        let subject = Some(self.norm.as_str());
        let (account_id, staff_id) = match self.principal {
            Principal::Member => (id, None),
            Principal::Staff => (None, id),
        };
        let detail = format!("failures={}", self.failures);
        let event = self.principal.event(audit::Event::LoginFailed, audit::Event::StaffLoginFailed);
        let failed = audit::AuditEvent { account_id, staff_id, subject, detail: Some(&detail), ..audit::AuditEvent::of(event) };
        work.audit(failed).await?;
        if self.locks {
            let event = self.principal.event(audit::Event::LoginLocked, audit::Event::StaffLoginLocked);
            work.audit(audit::AuditEvent { account_id, staff_id, subject, ..audit::AuditEvent::of(event) }).await?;
            if let Some(to) = email1 {
                let minutes = limits.lock_seconds / 60;
                let notice = match self.principal {
                    Principal::Member => letters::account_locked(&state.config, to, minutes),
                    Principal::Staff => letters::staff_account_locked(&state.config, to, minutes),
                };
                work.mail(&notice).await?;
            }
        }
        work.commit().await?;
        Ok(self.locks)
    }

    /// Compares the typed password with the stored hash (the dummy hash for an unknown ID), in a
    /// turn to hash taken only now, so no core waits idle while the counts are written. Longer
    /// than the password rule allows: wrong without hashing (for every ID alike). Busy: no
    /// password was compared, so the attempt's count is taken back and `HashError::Busy` returned.
    pub async fn verify(&self, password_typed: &str, stored_hash: Option<String>) -> Result<bool, LoginError> {
        if password_typed.len() > crate::domain::Password::MAX {
            return Ok(false);
        }
        let hash = match stored_hash {
            Some(hash) => hash,
            None => dummy_hash().await?.clone(),
        };
        let slot = match password::slot_for(self.client_ip).await {
            Ok(slot) => slot,
            Err(e) => {
                self.uncount().await?;
                return Err(e.into());
            }
        };
        Ok(password::verify_in(slot, password_typed.to_string(), hash).await)
    }

    /// Takes this attempt's count back (and the lock it set): it was refused as busy before
    /// any password was compared.
    async fn uncount(&self) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE login_throttle SET failures = failures - 1, locked_until = CASE WHEN $2 = 1 THEN 0 ELSE locked_until END WHERE key = $1 AND failures > 0")
            .bind(&self.key)
            .bind(i64::from(self.locks))
            .execute(&self.state.db)
            .await?;
        Ok(())
    }

    /// The login ID as the accounts store it.
    pub fn login_id_norm(&self) -> &str {
        &self.norm
    }

    /// Clears the login ID's count and any lock this attempt set, at once (the password was the
    /// only factor asked).
    pub async fn cleared(&self, db: &Db) -> Result<(), sqlx::Error> {
        lift_key(db, &self.key).await
    }

    /// Clears the login ID's count and any lock this attempt set (inside the caller's transaction).
    pub async fn succeeded(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<(), sqlx::Error> {
        lift_key(&mut **tx, &self.key).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn delays_grow_then_cap() {
        let l = crate::backend::platform::config::LoginLimits::default();
        assert_eq!((0..5).map(|n| l.delay_seconds(n)).collect::<Vec<_>>(), vec![0, 0, 0, 0, 0]);
        assert_eq!(l.delay_seconds(5), 2);
        assert_eq!(l.delay_seconds(6), 4);
        assert_eq!(l.delay_seconds(9), 32);
        assert_eq!(l.delay_seconds(40), 32);
    }
}
