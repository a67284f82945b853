//! One unit of work: begin → the writes, audit entries and letters of one operation → commit.
//! The rooms above add what they keep (`audit` adds `Work::audit`, `mail` adds `Work::mail`);
//! this floor holds the transaction, the time, who is acting, and the mail worker's wake-up,
//! which rings only after a commit that queued mail (a letter of a rolled-back operation
//! never leaves).

use super::AppState;
use sqlx::{Any, Transaction};

pub struct Work<'s> {
    /// The operation's transaction: the services' own queries run on `&mut *work.tx`.
    pub tx: Transaction<'static, Any>,
    /// The operation's one time (every row it writes and every entry it audits carries it).
    pub now: i64,
    pub state: &'s AppState,
    /// Who acts, filled into every audit entry that does not name them itself.
    pub actor: Actor<'s>,
    mail_queued: bool,
    end: Unfinished,
}

/// Logs an operation left before its end (by a `?`: its transaction rolls back as it drops).
struct Unfinished {
    span: tracing::Span,
    ended: bool,
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if !self.ended {
            tracing::info!(parent: &self.span, "unit of work rolled back");
        }
    }
}

/// The context of a unit of work's audit entries.
#[derive(Debug, Clone, Copy, Default)]
pub struct Actor<'s> {
    pub client_ip: Option<&'s str>,
    pub account_id: Option<&'s str>,
    pub staff_id: Option<&'s str>,
}

impl<'s> Work<'s> {
    /// Begins `operation` (a dotted name, as `registration.start`: it names the operation in
    /// the log when it fails).
    pub async fn begin(state: &'s AppState, operation: &'static str) -> Result<Self, sqlx::Error> {
        let span = tracing::info_span!("work", operation);
        let tx = super::db::begin(&state.db).await.inspect_err(|e| tracing::error!(parent: &span, error = %e, "cannot begin"))?;
        let end = Unfinished { span, ended: false };
        Ok(Self { tx, now: state.clock.now(), state, actor: Actor::default(), mail_queued: false, end })
    }

    /// Sent by this client (its address goes into the audit entries).
    pub fn from_client(mut self, client_ip: Option<&'s str>) -> Self {
        self.actor.client_ip = client_ip;
        self
    }

    /// About this member's account.
    pub fn on_account(mut self, account_id: &'s str) -> Self {
        self.actor.account_id = Some(account_id);
        self
    }

    /// Done by this staff member (職員画面).
    pub fn by_staff(mut self, staff_id: &'s str) -> Self {
        self.actor.staff_id = Some(staff_id);
        self
    }

    /// For the rooms that queue mail (the outbox): the commit wakes the mail worker.
    pub fn mail_queued(&mut self) {
        self.mail_queued = true;
    }

    /// Commits; then wakes the mail worker if the operation queued mail.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        self.end.ended = true;
        let (span, mail_queued, state) = (self.end.span.clone(), self.mail_queued, self.state);
        self.tx.commit().await.inspect_err(|e| tracing::error!(parent: &span, error = %e, "commit failed"))?;
        if mail_queued {
            state.mail_wakeup.notify_one();
        }
        Ok(())
    }

    /// Ends the operation without its writes now (a refused request: its connection goes back
    /// to the pool at once).
    pub async fn rollback(mut self) -> Result<(), sqlx::Error> {
        self.end.ended = true;
        self.tx.rollback().await
    }
}
