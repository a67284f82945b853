//! The outbox and its worker against real databases and a real SMTP listener:
//! nothing lost in an outage or a crash, nothing sent twice.

mod common;

use app::backend::mail::outbox::{self, Mail};
use app::backend::platform::clock::ManualClock;
use app::backend::platform::Clock;
use common::{all_dbs, smtp::SmtpListener, T0};
use server::mailer::Mailer;
use server::worker::{deliver_due, PassResult};

fn mail(to: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: "利用登録手続きのご案内".into(),
        body: "本文 https://portal.test/r/secret-token\n".into(),
        kind: outbox::MailKind::Registration,
    }
}

fn smtp(listener: &SmtpListener) -> Mailer {
    Mailer::smtp(&listener.url(), "健康マイポータル <info@kenpo.test>").unwrap()
}

async fn pending(db: &app::backend::platform::Db) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL").fetch_one(db).await.unwrap();
    n
}

#[tokio::test]
async fn a_mail_written_in_a_rolled_back_transaction_is_never_sent() {
    for t in all_dbs().await {
        let listener = SmtpListener::start().await;
        let clock = ManualClock::at(T0);
        let mut tx = t.db.begin().await.unwrap();
        outbox::enqueue(&mut *tx, T0, &mail("a@example.test")).await.unwrap();
        tx.rollback().await.unwrap();
        let result = deliver_due(&t.db, &smtp(&listener), &clock).await.unwrap();
        assert_eq!(result, PassResult::default(), "{}", t.name);
        assert!(listener.received().is_empty(), "{}", t.name);
    }
}

#[tokio::test]
async fn an_smtp_outage_delays_the_mail_with_backoff_and_it_arrives_once() {
    for t in all_dbs().await {
        let listener = SmtpListener::start().await;
        let mailer = smtp(&listener);
        let clock = ManualClock::at(T0);
        outbox::enqueue(&t.db, T0, &mail("taro@example.test")).await.unwrap();

        listener.refuse_next(2);
        assert_eq!(deliver_due(&t.db, &mailer, &clock).await.unwrap(), PassResult { sent: 0, failed: 1 }, "{}", t.name);
        // Not due again before the backoff has passed.
        clock.advance(outbox::backoff_seconds(1) - 1);
        assert_eq!(deliver_due(&t.db, &mailer, &clock).await.unwrap(), PassResult::default(), "{}", t.name);
        clock.advance(1);
        assert_eq!(deliver_due(&t.db, &mailer, &clock).await.unwrap(), PassResult { sent: 0, failed: 1 }, "{}", t.name);
        clock.advance(outbox::backoff_seconds(2));
        assert_eq!(deliver_due(&t.db, &mailer, &clock).await.unwrap(), PassResult { sent: 1, failed: 0 }, "{}", t.name);
        clock.advance(3600);
        assert_eq!(deliver_due(&t.db, &mailer, &clock).await.unwrap(), PassResult::default(), "{}", t.name);

        let received = listener.received();
        assert_eq!(received.len(), 1, "{}", t.name);
        assert_eq!(received[0].recipients, vec!["taro@example.test".to_string()]);
        assert!(received[0].header("Subject").is_some());
        let (attempts, body, error): (i64, String, Option<String>) =
            sqlx::query_as("SELECT attempts, body, last_error FROM mail_outbox").fetch_one(&t.db).await.unwrap();
        assert_eq!(attempts, 3, "{}", t.name);
        assert_eq!(body, "", "the sent body (with its one-time link) is erased: {}", t.name);
        assert_eq!(error, None);
    }
}

#[tokio::test]
async fn a_worker_that_crashed_holding_a_mail_does_not_lose_it() {
    for t in all_dbs().await {
        let listener = SmtpListener::start().await;
        let clock = ManualClock::at(T0);
        outbox::enqueue(&t.db, T0, &mail("hanako@example.test")).await.unwrap();
        // A worker claims the mail and dies before sending it.
        assert_eq!(outbox::claim_due(&t.db, T0, 10).await.unwrap().len(), 1);
        assert_eq!(deliver_due(&t.db, &smtp(&listener), &clock).await.unwrap(), PassResult::default(), "leased: {}", t.name);
        clock.advance(outbox::LEASE_SECONDS);
        assert_eq!(deliver_due(&t.db, &smtp(&listener), &clock).await.unwrap().sent, 1, "{}", t.name);
        assert_eq!(listener.received().len(), 1);
        assert_eq!(pending(&t.db).await, 0);
    }
}

#[tokio::test]
async fn two_workers_never_send_the_same_mail() {
    for t in all_dbs().await {
        let listener = SmtpListener::start().await;
        let clock = ManualClock::at(T0);
        for i in 0..30 {
            outbox::enqueue(&t.db, T0, &mail(&format!("m{i}@example.test"))).await.unwrap();
        }
        let (a, b) = (smtp(&listener), smtp(&listener));
        let (ra, rb) = tokio::join!(deliver_due(&t.db, &a, &clock), deliver_due(&t.db, &b, &clock));
        assert_eq!(ra.unwrap().sent + rb.unwrap().sent, 30, "{}", t.name);
        let mut ids: Vec<String> = listener.received().iter().filter_map(|m| m.header("Message-ID")).collect();
        assert_eq!(ids.len(), 30, "{}", t.name);
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 30, "each mail once: {}", t.name);
    }
}

#[tokio::test]
async fn a_mail_is_given_up_after_the_last_attempt() {
    for t in all_dbs().await {
        let listener = SmtpListener::start().await;
        let mailer = smtp(&listener);
        let clock = ManualClock::at(T0);
        outbox::enqueue(&t.db, T0, &mail("x@example.test")).await.unwrap();
        listener.refuse_next(usize::MAX);
        for _ in 0..outbox::MAX_ATTEMPTS {
            assert_eq!(deliver_due(&t.db, &mailer, &clock).await.unwrap().failed, 1, "{}", t.name);
            clock.advance(3600);
        }
        assert_eq!(deliver_due(&t.db, &mailer, &clock).await.unwrap(), PassResult::default(), "{}", t.name);
        let (failed_at,): (Option<i64>,) = sqlx::query_as("SELECT failed_at FROM mail_outbox").fetch_one(&t.db).await.unwrap();
        assert!(failed_at.is_some(), "{}", t.name);
    }
}

#[tokio::test]
async fn the_dev_inbox_keeps_mails_in_the_database() {
    for t in all_dbs().await {
        let clock = ManualClock::at(T0);
        outbox::enqueue(&t.db, T0, &mail("dev@example.test")).await.unwrap();
        let mailer = Mailer::DevInbox { db: t.db.clone() };
        assert_eq!(deliver_due(&t.db, &mailer, &clock).await.unwrap().sent, 1);
        let (to, body): (String, String) = sqlx::query_as("SELECT recipient, body FROM dev_inbox").fetch_one(&t.db).await.unwrap();
        assert_eq!(to, "dev@example.test", "{}", t.name);
        assert!(body.contains("secret-token"));
    }
}

#[tokio::test]
async fn the_worker_delivers_when_woken_and_stops_on_shutdown() {
    let t = common::sqlite().await;
    let listener = SmtpListener::start().await;
    let clock = std::sync::Arc::new(app::backend::platform::SystemClock);
    let wakeup = std::sync::Arc::new(tokio::sync::Notify::new());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let config = std::sync::Arc::new(common::test_config(&t.url));
    let worker = tokio::spawn(server::worker::run(t.db.clone(), smtp(&listener), clock.clone(), config, wakeup.clone(), stopped));
    use app::backend::platform::Clock;
    outbox::enqueue(&t.db, clock.now(), &mail("w@example.test")).await.unwrap();
    wakeup.notify_one();
    for _ in 0..100 {
        if !listener.received().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(listener.received().len(), 1);
    stop.send(true).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), worker).await.expect("worker stops").unwrap();
}

/// Worker A claims a batch and stalls past its lease; worker B (another instance) delivers
/// the batch; A wakes up and must send nothing: the listener gets exactly one copy of each.
#[tokio::test]
async fn a_worker_that_lost_its_lease_sends_nothing() {
    for t in all_dbs().await {
        let listener = SmtpListener::start().await;
        let mailer = smtp(&listener);
        let clock = ManualClock::at(T0);
        for i in 0..3 {
            outbox::enqueue(&t.db, T0, &mail(&format!("m{i}@example.test"))).await.unwrap();
        }
        let stalled = outbox::claim_due(&t.db, clock.now(), 20).await.unwrap();
        assert_eq!(stalled.len(), 3, "{}", t.name);
        clock.advance(outbox::LEASE_SECONDS + 1);
        assert_eq!(deliver_due(&t.db, &mailer, &clock).await.unwrap(), PassResult { sent: 3, failed: 0 }, "B: {}", t.name);
        let late = server::worker::deliver_claimed(&t.db, &mailer, &clock, &stalled).await.unwrap();
        assert_eq!(late, PassResult::default(), "A sends nothing: {}", t.name);
        assert_eq!(listener.received().len(), 3, "one copy of each: {}", t.name);

        // A lease lost between claim and renewal by a *failure* write is fenced too: A's late
        // failure report does not reschedule a mail B already sent.
        outbox::mark_failed(&t.db, &stalled[0], clock.now(), "late").await.unwrap();
        let (sent, error): (Option<i64>, Option<String>) = sqlx::query_as("SELECT sent_at, last_error FROM mail_outbox WHERE id = $1")
            .bind(&stalled[0].id)
            .fetch_one(&t.db)
            .await
            .unwrap();
        assert!(sent.is_some() && error.is_none(), "{}", t.name);
    }
}

#[tokio::test]
async fn a_mail_given_up_loses_its_body_and_is_listed_for_the_operator() {
    for t in all_dbs().await {
        let listener = SmtpListener::start().await;
        let mailer = smtp(&listener);
        let clock = ManualClock::at(T0);
        let id = outbox::enqueue(&t.db, T0, &mail("gone@example.test")).await.unwrap();
        listener.refuse_next(outbox::MAX_ATTEMPTS as usize);
        for attempt in 1..=outbox::MAX_ATTEMPTS {
            assert_eq!(
                deliver_due(&t.db, &mailer, &clock).await.unwrap(),
                PassResult { sent: 0, failed: 1 },
                "attempt {attempt}: {}",
                t.name
            );
            clock.advance(outbox::backoff_seconds(attempt));
        }
        let (body,): (String,) = sqlx::query_as("SELECT body FROM mail_outbox WHERE id = $1").bind(&id).fetch_one(&t.db).await.unwrap();
        assert_eq!(body, "", "the one-time link is gone: {}", t.name);
        let failed = outbox::failed(&t.db).await.unwrap();
        assert_eq!(failed.len(), 1, "{}", t.name);
        assert_eq!((failed[0].recipient.as_str(), failed[0].attempts), ("gone@example.test", outbox::MAX_ATTEMPTS));
        assert!(failed[0].last_error.is_some());
        clock.advance(86_400);
        assert_eq!(deliver_due(&t.db, &mailer, &clock).await.unwrap(), PassResult::default(), "never retried: {}", t.name);
    }
}
