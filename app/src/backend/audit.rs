//! The audit log: who did what and when, never personal data in clear text.

use crate::backend::platform::ids::new_id;
use crate::backend::platform::secret;
use crate::backend::platform::work::Work;
use sqlx::{Any, Executor};

pub use crate::domain::audit::Event;

/// One audit entry. `subject` is hashed before it is stored (an address or a login ID
/// as typed), so entries about the same person can be correlated without revealing it.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    pub event: Event,
    pub account_id: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub client_ip: Option<&'a str>,
    pub detail: Option<&'a str>,
    /// The staff member who did it (職員画面), if not the member themself.
    pub staff_id: Option<&'a str>,
}

impl<'a> AuditEvent<'a> {
    /// The event alone; the other fields are filled where they are known.
    pub fn of(event: Event) -> Self {
        Self { event, account_id: None, subject: None, client_ip: None, detail: None, staff_id: None }
    }

    /// With what was done (in a unit of work that names the client and the staff member).
    pub fn with_detail(event: Event, detail: &'a str) -> Self {
        Self { detail: Some(detail), ..Self::of(event) }
    }

    /// About one member's account, with what was done (in a unit of work that names the
    /// client and the staff member).
    pub fn on_account(event: Event, account_id: &'a str, detail: &'a str) -> Self {
        Self { account_id: Some(account_id), detail: Some(detail), ..Self::of(event) }
    }

    /// What a staff member did in the console (not about one member's account).
    pub fn by_staff(event: Event, staff_id: &'a str, client_ip: Option<&'a str>, detail: &'a str) -> Self {
        Self { staff_id: Some(staff_id), client_ip, detail: Some(detail), ..Self::of(event) }
    }
}

/// A staff member acting on a member's account, with the reason they gave (職員画面).
#[derive(Debug, Clone, Copy)]
pub struct ByStaff<'a> {
    pub staff_id: &'a str,
    pub reason: &'a str,
}

impl Work<'_> {
    /// Records an entry in this unit of work, at its time; the client, account and staff
    /// member the entry does not name are the work's own.
    pub async fn audit(&mut self, ev: AuditEvent<'_>) -> Result<(), sqlx::Error> {
        let actor = self.actor;
        let ev = AuditEvent {
            client_ip: ev.client_ip.or(actor.client_ip),
            account_id: ev.account_id.or(actor.account_id),
            staff_id: ev.staff_id.or(actor.staff_id),
            ..ev
        };
        record(&mut *self.tx, self.now, ev).await
    }
}

pub async fn record<'c, E>(exec: E, now: i64, ev: AuditEvent<'_>) -> Result<(), sqlx::Error>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (id, at, event, account_id, subject, client_ip, detail, staff_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(now)
    .bind(ev.event.code())
    .bind(ev.account_id)
    .bind(ev.subject.map(secret::subject_hash))
    .bind(ev.client_ip)
    .bind(ev.detail)
    .bind(ev.staff_id)
    .execute(exec)
    .await?;
    tracing::info!(event = ev.event.code(), account_id = ev.account_id, staff_id = ev.staff_id, "audit");
    crate::backend::platform::metrics::audited(ev.event);
    Ok(())
}
