//! パスキー of staff (`identity::webauthn`): added and removed on 職員のパスキー (`/staff/passkeys`)
//! after the password and the authenticator's code; at login the passkey takes the code's place
//! (password + passkey). `STAFF_REQUIRE_PASSKEY=true`: the code no longer logs in a staff member
//! who has a passkey, and one who has none is sent to add one first (`edge::staff_of_request`).

use super::session::StaffMember;
use super::StaffError;
use crate::backend::audit;
use crate::backend::identity::throttle::{Attempt, LoginError, Principal};
use crate::backend::identity::totp;
use crate::backend::identity::webauthn::{self, Owner, PasskeyError, Purpose, Step};
use crate::backend::platform::{AppState, Client, Work};
use crate::domain::SecondFactor;

pub use crate::backend::identity::webauthn::Registered;

pub async fn list(state: &AppState, staff_id: &str) -> Result<Vec<Registered>, sqlx::Error> {
    webauthn::list(state, Owner::Staff(staff_id)).await
}

pub async fn count<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(conn: E, staff_id: &str) -> Result<i64, sqlx::Error> {
    webauthn::count(conn, Owner::Staff(staff_id)).await
}

#[derive(sqlx::FromRow)]
struct Secrets {
    password_hash: Option<String>,
    totp_secret: Option<String>,
}

/// The staff member's password and code (or backup code) as one attempt under their login
/// ID's limits: counted, spent once when right, and failed (perhaps locking) when either is wrong.
async fn check_password_and_code<'a>(
    state: &'a AppState,
    client_ip: Option<&'a str>,
    staff: &StaffMember,
    password: &str,
    code: &str,
) -> Result<Attempt<'a>, StaffError> {
    let factor = SecondFactor::parse(code).map_err(|_| StaffError::Invalid("code", crate::text::passkey::CODE_REQUIRED))?;
    let attempt = Attempt::begin_for(state, client_ip, Principal::Staff, &staff.email).await?;
    let secrets: Secrets =
        sqlx::query_as("SELECT password_hash, totp_secret FROM staff WHERE id = $1").bind(&staff.id).fetch_one(&state.db).await?;
    let verified = attempt.verify(password, secrets.password_hash).await?;
    let secret = secrets.totp_secret.as_deref().and_then(|sealed| totp::STAFF.open_secret(&staff.id, sealed));
    let spent = match secret {
        Some(secret) if verified => totp::STAFF.spend(&state.db, &staff.id, &secret, &factor, state.clock.now()).await?,
        _ => false,
    };
    if !spent {
        let locked = attempt.failed(Some(&staff.id), Some(&staff.email)).await?;
        return Err(if locked { LoginError::Locked.into() } else { StaffError::LoginWrong });
    }
    Ok(attempt)
}

/// Adding a passkey: the password and the code first, then the browser creates it.
pub async fn begin_add(
    state: &AppState,
    client_ip: Option<&str>,
    staff: &StaffMember,
    session_token: &str,
    password: &str,
    code: &str,
    name: &str,
) -> Result<Step, StaffError> {
    let owner = Owner::Staff(&staff.id);
    let name = webauthn::check_name(name)?;
    if webauthn::count(&state.db, owner).await? >= webauthn::MAX_PER_OWNER {
        return Err(PasskeyError::TooMany.into());
    }
    let attempt = check_password_and_code(state, client_ip, staff, password, code).await?;
    attempt.cleared(&state.db).await?;
    Ok(webauthn::ask_creation(state, session_token, owner, &staff.email, &staff.name, name).await?)
}

/// The credential the browser created: stored, audited.
pub async fn finish_add(
    state: &AppState,
    client_ip: Option<&str>,
    staff: &StaffMember,
    session_token: &str,
    response: &str,
) -> Result<Step, StaffError> {
    let owner = Owner::Staff(&staff.id);
    let ceremony = webauthn::take(state, Purpose::Add, session_token, Some(owner)).await?;
    let mut work = Work::begin(state, "staff_passkeys.add").await?.from_client(client_ip).by_staff(&staff.id);
    let now = work.now;
    webauthn::store_creation(&mut work.tx, state, ceremony, owner, response, now).await?;
    work.audit(audit::AuditEvent { staff_id: Some(&staff.id), ..audit::AuditEvent::of(audit::Event::StaffPasskeyAdded) }).await?;
    work.commit().await?;
    Ok(Step::done())
}

/// Removing one: the password and the code.
pub async fn remove(
    state: &AppState,
    client_ip: Option<&str>,
    staff: &StaffMember,
    password: &str,
    code: &str,
    id: &str,
) -> Result<(), StaffError> {
    let attempt = check_password_and_code(state, client_ip, staff, password, code).await?;
    let mut work = Work::begin(state, "staff_passkeys.remove").await?.from_client(client_ip).by_staff(&staff.id);
    attempt.succeeded(&mut work.tx).await?;
    if !webauthn::remove(&mut work.tx, Owner::Staff(&staff.id), id).await? {
        return Err(PasskeyError::Unknown.into());
    }
    work.audit(audit::AuditEvent { staff_id: Some(&staff.id), ..audit::AuditEvent::of(audit::Event::StaffPasskeyRemoved) }).await?;
    work.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- login

/// 「パスキーで認証」 on the staff login: the address and the password first (counted like a
/// login; every failure the same answer), then the browser is asked for one of the staff
/// member's passkeys. `bound_to` is the login page's cookie (`edge::cookies::STAFF_PASSKEY`).
pub async fn begin_login(state: &AppState, client: &Client<'_>, bound_to: &str, email: &str, password: &str) -> Result<Step, StaffError> {
    super::session::client_allowed(state, client).await?;
    let attempt = Attempt::begin_for(state, client.ip, Principal::Staff, email).await?;
    let staff: Option<(String, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT id, password_hash, disabled_at FROM staff WHERE email_norm = $1")
            .bind(attempt.login_id_norm())
            .fetch_optional(&state.db)
            .await?;
    let verified = attempt.verify(password, staff.as_ref().and_then(|s| s.1.clone())).await?;
    let usable = staff.as_ref().filter(|s| verified && s.2.is_none());
    let Some((id, _, _)) = usable else {
        let locked = attempt.failed(staff.as_ref().map(|s| s.0.as_str()), None).await?;
        return Err(if locked { LoginError::Locked.into() } else { StaffError::LoginWrong });
    };
    // The password's count stays until the passkey is right.
    Ok(webauthn::ask_assertion(state, Purpose::Second, bound_to, Owner::Staff(id), None).await?)
}

/// The passkey after the password: the staff session opens (its token). A failure counts like
/// a wrong code.
pub async fn finish_login(state: &AppState, client: &Client<'_>, bound_to: &str, response: &str) -> Result<String, StaffError> {
    let staff_id = webauthn::staff_of(state, bound_to).await?.ok_or(PasskeyError::Failed)?;
    let owner = Owner::Staff(&staff_id);
    let ceremony = webauthn::take(state, Purpose::Second, bound_to, Some(owner)).await?;
    let (email, disabled_at): (String, Option<i64>) =
        sqlx::query_as("SELECT email, disabled_at FROM staff WHERE id = $1").bind(&staff_id).fetch_one(&state.db).await?;
    let attempt = Attempt::begin_for(state, client.ip, Principal::Staff, &email).await?;
    let checked = webauthn::check_assertion(state, &ceremony, response, owner).await;
    let (row, result) = match checked {
        Ok(verified) if disabled_at.is_none() => verified,
        _ => {
            let locked = attempt.failed(Some(&staff_id), Some(&email)).await?;
            return Err(if locked { LoginError::Locked.into() } else { PasskeyError::Failed.into() });
        }
    };
    let mut work = Work::begin(state, "staff_passkeys.login").await?.from_client(client.ip);
    attempt.succeeded(&mut work.tx).await?;
    super::session::client_forgiven(&mut work, client).await?;
    webauthn::used(&mut work.tx, &row, &result, work.now).await?;
    let token = super::session::open(&mut work, client, &staff_id, Some("passkey")).await?;
    work.commit().await?;
    Ok(token)
}

impl From<PasskeyError> for StaffError {
    fn from(e: PasskeyError) -> Self {
        match e {
            PasskeyError::Login(e) => Self::Login(e),
            PasskeyError::Db(e) => Self::Db(e),
            other => Self::Passkey(other),
        }
    }
}
