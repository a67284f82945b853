//! 送信エラー: the mails given up after their last attempt, with the member whose address it is,
//! and 再送 — once per given-up mail: a plain mail goes again as it was; a mail whose one-time
//! link was erased is replaced by a fresh one from its procedure (a new link).

use super::accounts::{self, StaffChange};
use super::session::StaffMember;
use super::StaffError;
use crate::api::staff::FailedMailLine;
use crate::backend::audit;
use crate::backend::mail::outbox::{self, Mail, MailKind};
use crate::backend::members::{recovery, registration, settings};
use crate::backend::platform::clock::jst;
use crate::backend::platform::{AppState, Db, Work};
use crate::domain::{Email, StaffRole};
use crate::text::staff as text;

const TIME: &str = "%Y/%m/%d %H:%M";

/// The mails given up, newest first (200 at most), with the member whose address it is.
pub async fn failed_mails(db: &Db) -> Result<Vec<FailedMailLine>, sqlx::Error> {
    let mails = outbox::failed(db).await?;
    let mut lines = Vec::with_capacity(mails.len());
    for m in mails.into_iter().take(200) {
        let member: Option<(String, String)> = sqlx::query_as(
            "SELECT a.kigo, a.bango FROM account_emails e JOIN accounts a ON a.id = e.account_id WHERE e.email_norm = $1 \
             UNION SELECT kigo, bango FROM roster WHERE email_norm = $1",
        )
        .bind(m.recipient.to_lowercase())
        .fetch_optional(db)
        .await?;
        lines.push(FailedMailLine {
            id: m.id,
            failed_at: jst(m.failed_at, TIME),
            resent: m.resent_at.map(|at| jst(at, TIME)),
            recipient: m.recipient,
            subject: m.subject,
            attempts: m.attempts,
            last_error: m.last_error,
            member,
        });
    }
    Ok(lines)
}

#[derive(sqlx::FromRow)]
struct Failed {
    recipient: String,
    subject: String,
    body: String,
    kind: String,
    list_unsubscribe: Option<String>,
}

/// 再送 of a given-up mail. The first click takes it (a conditional update: a double click or a
/// second staff member finds it resent); if the new mail cannot be made, the take is undone.
pub async fn resend(state: &AppState, staff: &StaffMember, client_ip: Option<&str>, id: &str) -> Result<(), StaffError> {
    let now = state.clock.now();
    let failed: Option<Failed> =
        sqlx::query_as("SELECT recipient, subject, body, kind, list_unsubscribe FROM mail_outbox WHERE id = $1 AND failed_at IS NOT NULL")
            .bind(id)
            .fetch_optional(&state.db)
            .await?;
    let failed = failed.ok_or(StaffError::NotPossible(text::RESEND_NOT_FAILED))?;
    let kind = MailKind::from_code(&failed.kind).unwrap_or(MailKind::Plain);
    if kind == MailKind::StaffSetup && staff.role != StaffRole::Admin {
        return Err(StaffError::NotPossible(text::RESEND_STAFF_ADMIN_ONLY));
    }
    if !crate::backend::mail::campaigns::still_wanted(&state.db, id).await? {
        return Err(StaffError::NotPossible(text::RESEND_UNSUBSCRIBED));
    }

    let mut work = Work::begin(state, "mail_errors.resend").await?.from_client(client_ip).by_staff(&staff.id);
    let taken =
        sqlx::query("UPDATE mail_outbox SET resent_at = $1, body = '' WHERE id = $2 AND failed_at IS NOT NULL AND resent_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *work.tx)
            .await?;
    if taken.rows_affected() != 1 {
        return Err(StaffError::NotPossible(text::RESEND_ALREADY));
    }
    let detail = format!("{} [{}]", failed.subject, kind.code());
    let recipient = failed.recipient.to_lowercase();
    let event = audit::AuditEvent { subject: Some(&recipient), ..audit::AuditEvent::with_detail(audit::Event::StaffMailResent, &detail) };
    work.audit(event).await?;
    if kind == MailKind::Plain {
        let copy = Mail { to: failed.recipient, subject: failed.subject, body: failed.body, kind };
        outbox::insert(&mut *work.tx, &crate::backend::platform::ids::new_id(), now, &copy, failed.list_unsubscribe.as_deref()).await?;
        work.mail_queued();
        work.commit().await?;
        return Ok(());
    }
    work.commit().await?;
    // The procedure writes its own mail (and link) in its own transaction.
    let renewed = renew_link(state, staff, client_ip, kind, &failed.recipient).await;
    if renewed.is_err() {
        sqlx::query("UPDATE mail_outbox SET resent_at = NULL WHERE id = $1").bind(id).execute(&state.db).await?;
    }
    renewed
}

/// A fresh mail with a new one-time link, made by the procedure the lost mail belonged to.
async fn renew_link(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    kind: MailKind,
    recipient: &str,
) -> Result<(), StaffError> {
    let email = Email::parse(recipient).map_err(|_| StaffError::NotPossible(text::RESEND_NOT_FAILED))?;
    match kind {
        MailKind::Plain => unreachable!("a plain mail is copied"),
        MailKind::Registration => registration::start(state, client_ip, &email).await?,
        MailKind::PasswordReset => recovery::request(state, client_ip, &email).await?,
        MailKind::EmailConfirmation => {
            let pending: Option<(String, i64)> =
                sqlx::query_as("SELECT account_id, slot FROM email_changes WHERE email_norm = $1 AND expires_at > $2")
                    .bind(email.normalized())
                    .bind(state.clock.now())
                    .fetch_optional(&state.db)
                    .await?;
            let (account_id, slot) = pending.ok_or(StaffError::NotPossible(text::RESEND_CONFIRMATION_GONE))?;
            settings::resend(state, client_ip, &account_id, slot as usize)
                .await
                .map_err(|_| StaffError::NotPossible(text::RESEND_CONFIRMATION_GONE))?;
        }
        MailKind::StaffSetup => {
            let target: Option<(String, Option<i64>)> = sqlx::query_as("SELECT id, disabled_at FROM staff WHERE email_norm = $1")
                .bind(email.normalized())
                .fetch_optional(&state.db)
                .await?;
            let (staff_id, disabled_at) = target.ok_or(StaffError::NotPossible(text::RESEND_STAFF_GONE))?;
            if disabled_at.is_some() {
                return Err(StaffError::NotPossible(text::RESEND_STAFF_DISABLED));
            }
            accounts::change(state, staff, client_ip, &staff_id, StaffChange::Reset, text::RESEND_STAFF_REASON).await?;
        }
    }
    Ok(())
}
