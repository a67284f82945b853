//! Staff accounts: created by the CLI (the first 管理者) or by a 管理者 in the console, set up
//! through a one-time link (password + authenticator + backup codes), disabled, or reset.

use super::session::StaffMember;
use super::StaffError;
use crate::api::staff::{SetupInfo, StaffLine};
use crate::backend::audit;
use crate::backend::identity::password;
use crate::backend::identity::{session, throttle, totp};
use crate::backend::mail::{letters, outbox};
use crate::backend::platform::ids::{hash_token, new_id, new_token};
use crate::backend::platform::{db, AppState, Config, Db, Work};
use crate::domain::{Email, MemberNumber, Password, StaffRole};

/// How long a setup link works.
pub const SETUP_LINK_SECONDS: i64 = 24 * 3600;

/// The issuer an authenticator app shows beside the code.
fn issuer(config: &Config) -> String {
    format!("{} 職員", config.society_name)
}

fn setup_url(config: &Config, token: &str) -> String {
    format!("{}/staff/setup/{token}", config.public_url)
}

/// A staff account to add: who, their login address and role, and their own 記号・番号 if the
/// society insures them (they may not act on that member record).
pub struct NewStaff<'a> {
    pub name: &'a str,
    pub email: &'a Email,
    pub role: StaffRole,
    pub member: Option<MemberNumber>,
}

/// Adds a staff account and returns its setup link. From the console (`by` a 管理者) the link is
/// also mailed to the new address; the CLI prints it.
pub async fn add(db: &Db, config: &Config, now: i64, by: Option<&StaffMember>, new: NewStaff<'_>) -> Result<String, StaffError> {
    let NewStaff { name, email, role, member } = new;
    let (id, token) = (new_id(), new_token());
    let mut tx = db::begin(db).await?;
    let inserted = sqlx::query(
        "INSERT INTO staff (id, name, email, email_norm, role, setup_token_hash, setup_secret, setup_expires_at, created_at, updated_at, member_kigo, member_bango) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11)",
    )
    .bind(&id)
    .bind(name)
    .bind(email.as_str())
    .bind(email.normalized())
    .bind(role.code())
    .bind(hash_token(&token))
    .bind(totp::STAFF.seal_secret(&id, &totp::new_secret()))
    .bind(now + SETUP_LINK_SECONDS)
    .bind(now)
    .bind(member.as_ref().map(|m| m.kigo.as_str().to_string()))
    .bind(member.as_ref().map(|m| m.bango.as_str().to_string()))
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(e) if crate::backend::platform::db::unique_violation(&e).is_some() => return Err(StaffError::EmailTaken),
        other => other?,
    };
    let url = setup_url(config, &token);
    if by.is_some() {
        outbox::enqueue(&mut *tx, now, &letters::staff_setup(config, email.as_str(), name, &url)).await?;
    }
    let detail = format!("{} {}", role.label(), email.as_str());
    audit::record(
        &mut *tx,
        now,
        audit::AuditEvent {
            staff_id: by.map(|s| s.id.as_str()).or(Some(&id)),
            detail: Some(&detail),
            ..audit::AuditEvent::of(audit::Event::StaffAdded)
        },
    )
    .await?;
    tx.commit().await?;
    Ok(url)
}

#[derive(sqlx::FromRow)]
struct Pending {
    id: String,
    name: String,
    email: String,
    setup_secret: String,
}

/// The staff account a setup link is for, with the TOTP secret to enrol (opened).
async fn pending(db: &Db, token: &str, now: i64) -> Result<Pending, StaffError> {
    let p: Pending = sqlx::query_as(
        "SELECT id, name, email, setup_secret FROM staff WHERE setup_token_hash = $1 AND setup_expires_at > $2 AND setup_secret IS NOT NULL AND disabled_at IS NULL",
    )
    .bind(hash_token(token))
    .bind(now)
    .fetch_optional(db)
    .await?
    .ok_or(StaffError::SetupLinkGone)?;
    let setup_secret = totp::STAFF.open_secret(&p.id, &p.setup_secret).ok_or(StaffError::SetupLinkGone)?;
    Ok(Pending { setup_secret, ..p })
}

/// The address (login ID) of the account a setup link is for: the password rules need it.
pub async fn setup_email(state: &AppState, token: &str) -> Result<String, StaffError> {
    Ok(pending(&state.db, token, state.clock.now()).await?.email)
}

/// What the setup page shows: the secret to enrol, as a QR code and as text.
pub async fn setup_info(state: &AppState, token: &str) -> Result<SetupInfo, StaffError> {
    let p = pending(&state.db, token, state.clock.now()).await?;
    let url = totp::url(&p.setup_secret, &issuer(&state.config), &p.email).ok_or(StaffError::SetupLinkGone)?;
    let qr = crate::backend::identity::totp::qr_data_uri(&url).ok_or(StaffError::SetupLinkGone)?;
    Ok(SetupInfo { name: p.name, email: p.email, secret: p.setup_secret, qr })
}

/// Finishes the setup: the password and the authenticator (proved by one code) take effect
/// together, the link dies, and 10 fresh backup codes are returned (shown once, stored hashed).
pub async fn complete_setup(
    state: &AppState,
    client_ip: Option<&str>,
    token: &str,
    password: &Password,
    code: &str,
) -> Result<Vec<String>, StaffError> {
    let now = state.clock.now();
    let p = pending(&state.db, token, now).await?;
    let step = totp::matching_step(&p.setup_secret, code, now).ok_or(StaffError::SetupCodeWrong)?;
    let hash = password::hash(password.expose().to_string()).await?;
    let mut work = Work::begin(state, "accounts.complete_setup").await?.from_client(client_ip);
    let done = sqlx::query(
        "UPDATE staff SET password_hash = $1, totp_secret = setup_secret, totp_last_step = $2, setup_token_hash = NULL, setup_secret = NULL, \
         setup_expires_at = NULL, updated_at = $3 WHERE id = $4 AND setup_token_hash = $5 AND setup_expires_at > $3",
    )
    .bind(&hash)
    .bind(step)
    .bind(now)
    .bind(&p.id)
    .bind(hash_token(token))
    .execute(&mut *work.tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StaffError::SetupLinkGone); // used by a request sent at the same time
    }
    let codes = totp::STAFF.new_backup_codes(&mut work.tx, &p.id).await?;
    session::STAFF.end_all_but(&mut *work.tx, &p.id, None).await?;
    throttle::lift_lock(&mut *work.tx, throttle::Principal::Staff, &p.email.to_lowercase()).await?;
    work.audit(audit::AuditEvent { staff_id: Some(&p.id), ..audit::AuditEvent::of(audit::Event::StaffSetupCompleted) }).await?;
    work.commit().await?;
    Ok(codes)
}

/// The keyed hash a backup code is stored as (without the key a stolen table proves nothing).
#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    email: String,
    role: String,
    password_hash: Option<String>,
    setup_expires_at: Option<i64>,
    disabled_at: Option<i64>,
}

/// 職員管理: every staff account, 管理者 first.
pub async fn list(state: &AppState, me: &StaffMember) -> Result<Vec<StaffLine>, sqlx::Error> {
    use crate::text::staff as text;
    let now = state.clock.now();
    let rows: Vec<Row> =
        sqlx::query_as("SELECT id, name, email, role, password_hash, setup_expires_at, disabled_at FROM staff ORDER BY role, name")
            .fetch_all(&state.db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let state = if r.disabled_at.is_some() {
                text::STAFF_DISABLED.to_string()
            } else if r.password_hash.is_none() {
                match r.setup_expires_at {
                    Some(at) if at > now => {
                        format!("{}（{}まで）", text::STAFF_SETUP_PENDING, crate::backend::platform::clock::jst(at, "%Y/%m/%d %H:%M"))
                    }
                    _ => text::STAFF_SETUP_EXPIRED.to_string(),
                }
            } else {
                text::STAFF_ACTIVE.to_string()
            };
            StaffLine {
                is_self: r.id == me.id,
                role: StaffRole::parse(&r.role).unwrap_or(StaffRole::Agent),
                disabled: r.disabled_at.is_some(),
                id: r.id,
                name: r.name,
                email: r.email,
                state,
            }
        })
        .collect())
}

/// What a 管理者 does to another staff account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffChange {
    Disable,
    Enable,
    /// A new setup link: the password, the authenticator and the backup codes stop working.
    Reset,
}

/// A 管理者's change of another staff account, confirmed with a reason for the audit log. A
/// reset keeps a disabled account disabled (it only renews the setup link).
pub async fn change(
    state: &AppState,
    by: &StaffMember,
    client_ip: Option<&str>,
    staff_id: &str,
    what: StaffChange,
    reason: &str,
) -> Result<(), StaffError> {
    use crate::text::staff as text;
    if staff_id == by.id && what != StaffChange::Reset {
        return Err(StaffError::NotPossible(text::NOT_YOURSELF));
    }
    let now = state.clock.now();
    let target: Option<(String, String, String)> =
        sqlx::query_as("SELECT name, email, email_norm FROM staff WHERE id = $1").bind(staff_id).fetch_optional(&state.db).await?;
    let (name, email, email_norm) = target.ok_or(StaffError::NotFound)?;
    let mut work = Work::begin(state, "accounts.change").await?.from_client(client_ip).by_staff(&by.id);
    let event = match what {
        StaffChange::Disable => {
            sqlx::query("UPDATE staff SET disabled_at = $1, updated_at = $1 WHERE id = $2 AND disabled_at IS NULL")
                .bind(now)
                .bind(staff_id)
                .execute(&mut *work.tx)
                .await?;
            audit::Event::StaffDisabled
        }
        StaffChange::Enable => {
            sqlx::query("UPDATE staff SET disabled_at = NULL, updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(staff_id)
                .execute(&mut *work.tx)
                .await?;
            audit::Event::StaffEnabled
        }
        StaffChange::Reset => {
            let token = new_token();
            sqlx::query(
                "UPDATE staff SET password_hash = NULL, totp_secret = NULL, totp_last_step = 0, setup_token_hash = $1, setup_secret = $2, \
                 setup_expires_at = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(hash_token(&token))
            .bind(totp::STAFF.seal_secret(staff_id, &totp::new_secret()))
            .bind(now + SETUP_LINK_SECONDS)
            .bind(now)
            .bind(staff_id)
            .execute(&mut *work.tx)
            .await?;
            sqlx::query("DELETE FROM staff_backup_codes WHERE staff_id = $1").bind(staff_id).execute(&mut *work.tx).await?;
            // Every factor goes: the old passkeys must not outlive the old password and app.
            let owner = crate::backend::identity::webauthn::Owner::Staff(staff_id);
            crate::backend::identity::webauthn::remove_all(&mut work.tx, owner).await?;
            throttle::lift_lock(&mut *work.tx, throttle::Principal::Staff, &email_norm).await?;
            work.mail(&letters::staff_setup(&state.config, &email, &name, &setup_url(&state.config, &token))).await?;
            audit::Event::StaffReset
        }
    };
    if event != audit::Event::StaffEnabled {
        session::STAFF.end_all_but(&mut *work.tx, staff_id, None).await?;
    }
    let detail = format!("{name} <{email}>: {reason}");
    work.audit(audit::AuditEvent::with_detail(event, &detail)).await?;
    work.commit().await?;
    Ok(())
}
