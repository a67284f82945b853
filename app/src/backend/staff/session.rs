//! The staff login (ID = the staff address, password, and the authenticator's code or a backup
//! code) and staff sessions: cookie scoped to `/staff`, idle and absolute timeouts of their own.

use super::StaffError;
use crate::backend::audit;
use crate::backend::identity::throttle::{Attempt, LoginError, Principal};
use crate::backend::identity::{session, totp};

use crate::backend::platform::Client;
use crate::backend::platform::{AppState, Work};
use crate::domain::{SecondFactor, StaffRole};

/// The staff member behind a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
}

impl StaffMember {
    pub fn view(&self) -> crate::api::staff::StaffView {
        crate::api::staff::StaffView { name: self.name.clone(), role: self.role }
    }
}

#[derive(sqlx::FromRow)]
struct Credentials {
    id: String,
    email: String,
    password_hash: Option<String>,
    totp_secret: Option<String>,
    disabled_at: Option<i64>,
}

/// Checks all three and opens a staff session; returns its token. Counted and locked like a
/// member's login (a wrong code counts as a failure too); every failure gives the same answer.
pub async fn login(
    state: &AppState,
    client: &Client<'_>,
    email: &str,
    password_typed: &str,
    factor: &SecondFactor,
) -> Result<String, StaffError> {
    let now = state.clock.now();
    client_allowed(state, client).await?;
    let attempt = Attempt::begin_for(state, client.ip, Principal::Staff, email).await?;
    let staff: Option<Credentials> =
        sqlx::query_as("SELECT id, email, password_hash, totp_secret, disabled_at FROM staff WHERE email_norm = $1")
            .bind(attempt.login_id_norm())
            .fetch_optional(&state.db)
            .await?;
    let verified = attempt.verify(password_typed, staff.as_ref().and_then(|s| s.password_hash.clone())).await?;
    let usable = staff.as_ref().filter(|s| verified && s.disabled_at.is_none());
    let second =
        match usable.and_then(|s| s.totp_secret.as_deref().and_then(|v| totp::STAFF.open_secret(&s.id, v)).map(|secret| (s, secret))) {
            Some((s, secret)) => totp::STAFF.spend(&state.db, &s.id, &secret, factor, now).await?,
            None => false,
        };
    let staff = match staff {
        Some(s) if verified && second => s,
        other => {
            let locked = attempt.failed(other.as_ref().map(|s| s.id.as_str()), other.as_ref().map(|s| s.email.as_str())).await?;
            return Err(if locked { LoginError::Locked.into() } else { StaffError::LoginWrong });
        }
    };
    // STAFF_REQUIRE_PASSKEY: a staff member who has a passkey uses it (told only after a right
    // password and code); one who has none yet logs in to add one (the guard sends them there).
    if state.config.staff_require_passkey && super::passkeys::count(&state.db, &staff.id).await? > 0 {
        attempt.cleared(&state.db).await?;
        return Err(StaffError::NotPossible(crate::text::passkey::STAFF_REQUIRED));
    }
    let mut work = Work::begin(state, "session.login").await?.from_client(client.ip);
    attempt.succeeded(&mut work.tx).await?;
    client_forgiven(&mut work, client).await?;
    let detail = matches!(factor, SecondFactor::Backup(_)).then_some("backup code");
    let token = open(&mut work, client, &staff.id, detail).await?;
    work.commit().await?;
    Ok(token)
}

fn client_key(client: &Client<'_>) -> String {
    crate::backend::platform::rate::key("staff-login-client", &crate::backend::platform::rate::client(client.ip))
}

/// Per client too (an IPv6 client by its /64): a staff login is no mass sign-up day, so past
/// the limit it refuses for the hour instead of asking a 認証文字. A success takes its count back.
pub async fn client_allowed(state: &AppState, client: &Client<'_>) -> Result<(), StaffError> {
    let now = state.clock.now();
    if crate::backend::platform::rate::hit(&state.db, &client_key(client), now, 3600).await? > state.config.client_limits.login_failures {
        let refused = audit::AuditEvent { client_ip: client.ip, ..audit::AuditEvent::of(audit::Event::StaffLoginRefusedClient) };
        audit::record(&state.db, now, refused).await?;
        return Err(LoginError::Wait.into());
    }
    Ok(())
}

/// A complete login takes the client's count back (inside its transaction).
pub async fn client_forgiven(work: &mut Work<'_>, client: &Client<'_>) -> Result<(), sqlx::Error> {
    crate::backend::platform::rate::unhit(&mut *work.tx, &client_key(client)).await
}

/// Opens the session of a complete staff login (inside its transaction) and audits it;
/// `detail`: how the second step was passed, if not by the code.
pub async fn open(work: &mut Work<'_>, client: &Client<'_>, staff_id: &str, detail: Option<&str>) -> Result<String, sqlx::Error> {
    let token = session::STAFF.open(&mut *work.tx, staff_id, client, work.now).await?;
    work.audit(audit::AuditEvent { staff_id: Some(staff_id), detail, ..audit::AuditEvent::of(audit::Event::StaffLogin) }).await?;
    Ok(token)
}

/// The staff member of a live session (idle and absolute timeouts), refreshing its idle clock.
/// A disabled staff member has their session ended here.
pub async fn staff_of(state: &AppState, token: &str) -> Result<Option<StaffMember>, sqlx::Error> {
    let Some(staff_id) = session::STAFF.resolve(state, token).await? else { return Ok(None) };
    let row: Option<(String, String, String, Option<i64>)> =
        sqlx::query_as("SELECT name, email, role, disabled_at FROM staff WHERE id = $1").bind(&staff_id).fetch_optional(&state.db).await?;
    // A disabled staff member (or a role no longer known) is let in nowhere.
    let staff = row.filter(|r| r.3.is_none()).and_then(|(name, email, role, _)| Some((name, email, StaffRole::parse(&role)?)));
    let Some((name, email, role)) = staff else {
        session::STAFF.end(&state.db, token).await?;
        return Ok(None);
    };
    Ok(Some(StaffMember { id: staff_id, name, email, role }))
}

/// ログイン中の端末 of a staff member: their live sessions, this one first.
pub async fn devices(state: &AppState, staff_id: &str, current_token: &str) -> Result<Vec<crate::api::DeviceSession>, sqlx::Error> {
    Ok(session::STAFF.list(state, staff_id, Some(current_token)).await?.into_iter().map(|s| s.device()).collect())
}

/// 「ログアウトさせる」 on one of the staff member's own devices (never another's session).
pub async fn end_device(state: &AppState, client_ip: Option<&str>, staff_id: &str, handle: &str) -> Result<(), sqlx::Error> {
    let mut work = Work::begin(state, "staff_session.end_device").await?.from_client(client_ip).by_staff(staff_id);
    session::STAFF.end_device(&mut work, staff_id, handle, audit::Event::StaffSessionEnded).await?;
    work.commit().await
}

/// 「他の端末をすべてログアウト」 of a staff member: every session but this one.
pub async fn end_other_devices(state: &AppState, client_ip: Option<&str>, staff_id: &str, current_token: &str) -> Result<(), sqlx::Error> {
    let mut work = Work::begin(state, "staff_session.end_other_devices").await?.from_client(client_ip).by_staff(staff_id);
    session::STAFF.end_other_devices(&mut work, staff_id, current_token, audit::Event::StaffOtherSessionsEnded).await?;
    work.commit().await
}

pub async fn logout(state: &AppState, client_ip: Option<&str>, token: &str) -> Result<(), sqlx::Error> {
    if let Some(staff_id) = session::STAFF.end(&state.db, token).await? {
        let event = audit::AuditEvent { staff_id: Some(&staff_id), client_ip, ..audit::AuditEvent::of(audit::Event::StaffLogout) };
        audit::record(&state.db, state.clock.now(), event).await?;
    }
    Ok(())
}
