//! The mail outbox: services write a row in the same transaction as the change
//! that causes the mail; the worker (server crate) delivers it with retries.

use crate::backend::platform::ids::new_id;
use crate::backend::platform::work::Work;
use sqlx::{Any, Executor};

/// A mail to write to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub kind: MailKind,
}

/// What a mail holds, for 送信エラー's 再送: a plain mail is sent again as it was; a mail with a
/// one-time link is not (its body is erased once given up) but its procedure gives a new link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    Plain,
    /// M1 / M2 of 新規利用登録: 再送 starts the registration again (a new M1).
    Registration,
    /// ログインID・パスワード再設定: a new reset link.
    PasswordReset,
    /// メールアドレス確認: a new link for the pending address.
    EmailConfirmation,
    /// 職員アカウント設定: a new setup link (a reset of the staff account, 管理者 only).
    StaffSetup,
}

impl MailKind {
    pub const ALL: [Self; 5] = [Self::Plain, Self::Registration, Self::PasswordReset, Self::EmailConfirmation, Self::StaffSetup];

    pub fn code(self) -> &'static str {
        match self {
            Self::Plain => "plain",
            Self::Registration => "registration",
            Self::PasswordReset => "password_reset",
            Self::EmailConfirmation => "email_confirmation",
            Self::StaffSetup => "staff_setup",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A claimed outbox row, ready to send.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxMail {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
    /// This worker's claim (fencing token): a write about the mail counts only under it.
    pub lease_token: String,
    /// The one-click unsubscribe URL of a category mail (`List-Unsubscribe` header).
    pub list_unsubscribe: Option<String>,
}

/// After this many failed attempts a mail is given up (and stays visible to operators).
pub const MAX_ATTEMPTS: i64 = 12;
/// How long a claimed mail is reserved for one worker; longer than an SMTP timeout.
pub const LEASE_SECONDS: i64 = 120;

/// Seconds to wait after the `attempts`-th failure: 5 s, 10 s, 20 s... capped at one hour.
pub fn backoff_seconds(attempts: i64) -> i64 {
    let exp = (attempts.max(1) - 1).min(20) as u32;
    (5i64 << exp).min(3600)
}

impl Work<'_> {
    /// Queues a mail in this unit of work: it leaves once the work commits (and only then).
    pub async fn mail(&mut self, mail: &Mail) -> Result<String, sqlx::Error> {
        let id = enqueue(&mut *self.tx, self.now, mail).await?;
        self.mail_queued();
        Ok(id)
    }
}

/// Writes a mail to the outbox (inside the caller's transaction). Returns its id.
pub async fn enqueue<'c, E>(exec: E, now: i64, mail: &Mail) -> Result<String, sqlx::Error>
where
    E: Executor<'c, Database = Any>,
{
    let id = new_id();
    insert(exec, &id, now, mail, None).await?;
    Ok(id)
}

/// Writes a mail under an id the caller chose, with the one-click unsubscribe URL of a
/// category mail (`List-Unsubscribe`, RFC 8058) if it has one.
pub async fn insert<'c, E>(exec: E, id: &str, now: i64, mail: &Mail, list_unsubscribe: Option<&str>) -> Result<(), sqlx::Error>
where
    E: Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO mail_outbox (id, recipient, subject, body, created_at, next_attempt_at, list_unsubscribe, kind) VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
    )
    .bind(id)
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(now)
    .bind(list_unsubscribe)
    .bind(mail.kind.code())
    .execute(exec)
    .await?;
    crate::backend::platform::metrics::mail("queued");
    Ok(())
}

/// Claims up to `limit` due mails for this worker. Two workers (or two server
/// instances) never claim the same row: the claim is a conditional update, and it writes a
/// fresh lease token that every later write about the mail must present.
pub async fn claim_due(db: &crate::backend::platform::Db, now: i64, limit: i64) -> Result<Vec<OutboxMail>, sqlx::Error> {
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 AND locked_until <= $1 ORDER BY created_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut claimed = Vec::with_capacity(ids.len());
    for (id,) in ids {
        let row: Option<OutboxMail> = sqlx::query_as(
            "UPDATE mail_outbox SET locked_until = $1, lease_token = $4 WHERE id = $2 AND locked_until <= $3 AND sent_at IS NULL AND failed_at IS NULL \
             RETURNING id, recipient, subject, body, attempts, lease_token, list_unsubscribe",
        )
        .bind(now + LEASE_SECONDS)
        .bind(&id)
        .bind(now)
        .bind(new_id())
        .fetch_optional(db)
        .await?;
        claimed.extend(row);
    }
    Ok(claimed)
}

/// Renews the lease right before the SMTP send. `false`: the lease ran out while earlier
/// mails of the batch were sent and another worker took this one; it must not be sent here.
pub async fn renew(db: &crate::backend::platform::Db, mail: &OutboxMail, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE mail_outbox SET locked_until = $1 WHERE id = $2 AND lease_token = $3 AND sent_at IS NULL AND failed_at IS NULL",
    )
    .bind(now + LEASE_SECONDS)
    .bind(&mail.id)
    .bind(&mail.lease_token)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a delivery and forgets the body (it may hold a one-time link).
pub async fn mark_sent(db: &crate::backend::platform::Db, mail: &OutboxMail, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mail_outbox SET sent_at = $1, body = '', locked_until = 0, attempts = attempts + 1, last_error = NULL WHERE id = $2 AND lease_token = $3")
        .bind(now)
        .bind(&mail.id)
        .bind(&mail.lease_token)
        .execute(db)
        .await?;
    crate::backend::platform::metrics::mail("sent");
    Ok(())
}

/// Records a failed attempt and schedules the next one, or gives up after `MAX_ATTEMPTS`:
/// then the body of a mail with a one-time link is erased (the link must not outlive the mail;
/// a plain mail keeps it for 再送), and the mail is listed by `server outbox --failed` and
/// 送信エラー. `error` must not contain personal data.
pub async fn mark_failed(db: &crate::backend::platform::Db, mail: &OutboxMail, now: i64, error: &str) -> Result<(), sqlx::Error> {
    let attempts = mail.attempts + 1;
    let failed_at = (attempts >= MAX_ATTEMPTS).then_some(now);
    sqlx::query(
        "UPDATE mail_outbox SET attempts = $1, next_attempt_at = $2, locked_until = 0, last_error = $3, failed_at = $4, \
         body = CASE WHEN $4 IS NULL OR kind = 'plain' THEN body ELSE '' END WHERE id = $5 AND lease_token = $6",
    )
    .bind(attempts)
    .bind(now + backoff_seconds(attempts))
    .bind(error)
    .bind(failed_at)
    .bind(&mail.id)
    .bind(&mail.lease_token)
    .execute(db)
    .await?;
    crate::backend::platform::metrics::mail(if failed_at.is_some() { "failed" } else { "retry" });
    Ok(())
}

/// A mail given up after its last attempt, for the operator.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FailedMail {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub created_at: i64,
    pub failed_at: i64,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub resent_at: Option<i64>,
}

/// The mails given up, newest first (`server outbox --failed`).
pub async fn failed(db: &crate::backend::platform::Db) -> Result<Vec<FailedMail>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, recipient, subject, created_at, failed_at, attempts, last_error, resent_at FROM mail_outbox WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id",
    )
        .fetch_all(db)
        .await
}

/// What waits in the outbox, for monitoring (`/metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    /// Mails not sent yet and not given up.
    pub waiting: i64,
    /// Age of the oldest of them (0 when none waits): a growing figure means mail is stuck.
    pub oldest_age_seconds: i64,
    /// Mails given up after their last attempt and not sent again (送信エラー).
    pub given_up: i64,
}

pub async fn backlog(db: &crate::backend::platform::Db, now: i64) -> Result<Backlog, sqlx::Error> {
    // Both counts walk the index `mail_outbox_due` (sent_at, failed_at, …), not the sent mails.
    let (waiting, oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(MIN(created_at) AS BIGINT) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(db)
    .await?;
    let (given_up,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox WHERE failed_at IS NOT NULL AND resent_at IS NULL")
            .fetch_one(db)
            .await?;
    Ok(Backlog { waiting, oldest_age_seconds: oldest.map_or(0, |t| (now - t).max(0)), given_up })
}

/// When the next mail becomes due (for the worker's sleep), if any is pending.
pub async fn next_due_at(db: &crate::backend::platform::Db) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT CAST(MIN(CASE WHEN locked_until > next_attempt_at THEN locked_until ELSE next_attempt_at END) AS BIGINT) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL HAVING COUNT(*) > 0",
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(t,)| t))
}

#[cfg(test)]
mod tests {
    use super::backoff_seconds;

    #[test]
    fn backoff_grows_exponentially_and_is_capped() {
        assert_eq!(backoff_seconds(1), 5);
        assert_eq!(backoff_seconds(2), 10);
        assert_eq!(backoff_seconds(3), 20);
        assert_eq!(backoff_seconds(11), 3600);
        assert_eq!(backoff_seconds(100), 3600);
    }
}
