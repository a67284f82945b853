//! The mail worker: delivers due outbox rows, retries with exponential backoff,
//! and finishes the mail in hand before the server stops.

use crate::mailer::Mailer;
use app::backend::documents::medical;
use app::backend::mail::{campaigns, outbox};
use app::backend::maintenance;
use app::backend::platform::{Clock, Config, Db};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How many mails one pass claims.
const BATCH: i64 = 20;
/// The longest sleep: other server instances may have written mails we were not woken for.
const MAX_IDLE: Duration = Duration::from_secs(5);
/// How often a campaign that waits for its rate allowance is looked at again.
const CAMPAIGN_PACE: Duration = Duration::from_secs(1);

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PassResult {
    pub sent: usize,
    pub failed: usize,
}

/// Claims and sends every due mail once. Used by the worker and by `send-test-mail`.
pub async fn deliver_due(db: &Db, mailer: &Mailer, clock: &dyn Clock) -> Result<PassResult, sqlx::Error> {
    let mut result = PassResult::default();
    loop {
        let batch = outbox::claim_due(db, clock.now(), BATCH).await?;
        if batch.is_empty() {
            return Ok(result);
        }
        let pass = deliver_claimed(db, mailer, clock, &batch).await?;
        result.sent += pass.sent;
        result.failed += pass.failed;
    }
}

/// Sends mails this worker claimed. Each lease is renewed just before its send: a worker
/// that was paused past its lease (slow SMTP, a stalled process) finds another worker took
/// the mail and sends nothing, so no mail goes out twice.
pub async fn deliver_claimed(db: &Db, mailer: &Mailer, clock: &dyn Clock, batch: &[outbox::OutboxMail]) -> Result<PassResult, sqlx::Error> {
    let mut result = PassResult::default();
    for mail in batch {
        if !outbox::renew(db, mail, clock.now()).await? {
            tracing::warn!(mail_id = %mail.id, "mail lease lost to another worker: not sent here");
            continue;
        }
        match mailer.send(mail, clock.now()).await {
            Ok(()) => {
                outbox::mark_sent(db, mail, clock.now()).await?;
                tracing::info!(mail_id = %mail.id, "mail sent");
                result.sent += 1;
            }
            Err(error) => {
                outbox::mark_failed(db, mail, clock.now(), &error).await?;
                let attempts = mail.attempts + 1;
                if attempts >= outbox::MAX_ATTEMPTS {
                    tracing::error!(mail_id = %mail.id, attempts, %error, "mail given up: see `server outbox --failed`");
                } else {
                    tracing::warn!(mail_id = %mail.id, attempts, %error, "mail not sent, will retry");
                }
                result.failed += 1;
            }
        }
    }
    Ok(result)
}

/// Runs until `shutdown` turns true; a pass in progress is completed first.
pub async fn run(
    db: Db,
    mailer: Mailer,
    clock: Arc<dyn Clock>,
    config: Arc<Config>,
    wakeup: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    tracing::info!(via = mailer.describe(), "mail worker started");
    let mut pruned_at: Option<i64> = None;
    loop {
        if *shutdown.borrow() {
            break;
        }
        let now = clock.now();
        if pruned_at.is_none_or(|at| now - at >= maintenance::EVERY_SECONDS) {
            pruned_at = Some(now);
            match maintenance::prune(&db, now, &config).await {
                Ok(n) => tracing::info!(deleted = n, "expired rows pruned"),
                Err(e) => tracing::error!(error = %e, "pruning failed"),
            }
        }
        match medical::announce_due(&db, &config, clock.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(batches = n, "医療費のお知らせ announced"),
            Err(e) => tracing::error!(error = %e, "医療費のお知らせ announcement: database error"),
        }
        match campaigns::dispatch(&db, &config, clock.now(), config.mail_rate_per_minute).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(queued = n, "campaign mails queued"),
            Err(e) => tracing::error!(error = %e, "campaign dispatch: database error"),
        }
        if let Err(e) = deliver_due(&db, &mailer, clock.as_ref()).await {
            tracing::error!(error = %e, "mail worker: database error");
        }
        let mut idle = match outbox::next_due_at(&db).await {
            Ok(Some(at)) => Duration::from_secs((at - clock.now()).max(0) as u64).clamp(Duration::from_millis(200), MAX_IDLE),
            _ => MAX_IDLE,
        };
        // A batch scheduled to go public: its mail starts then.
        if let Ok(Some(at)) = medical::next_publish_at(&db, clock.now()).await {
            idle = idle.min(Duration::from_secs((at - clock.now()).max(0) as u64).max(Duration::from_millis(200)));
        }
        // A campaign held back by the rate: look again when the minute's allowance has moved.
        if campaigns::any_waiting(&db).await.unwrap_or(false) {
            idle = idle.min(CAMPAIGN_PACE);
        }
        tokio::select! {
            _ = wakeup.notified() => {}
            _ = tokio::time::sleep(idle) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("mail worker stopped");
}
