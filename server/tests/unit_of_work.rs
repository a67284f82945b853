//! One unit of work (`platform::Work`) against real databases: its mail leaves only with its
//! commit, the mail worker is woken only after a commit that queued mail, and its audit entries
//! carry the work's client and staff member unless they name their own.

mod common;

use app::backend::audit::{AuditEvent, Event};
use app::backend::mail::outbox::{Mail, MailKind};
use app::backend::platform::clock::ManualClock;
use app::backend::platform::Work;
use common::{all_dbs, test_config, test_state, T0};
use std::time::Duration;

fn mail() -> Mail {
    Mail { to: "taro@corp.test".into(), subject: "件名".into(), body: "本文".into(), kind: MailKind::Plain }
}

async fn outbox_rows(db: &app::backend::platform::Db) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox").fetch_one(db).await.unwrap();
    n
}

/// Whether the mail worker's wake-up rang (a stored permit answers at once).
async fn woken(state: &app::backend::platform::AppState) -> bool {
    tokio::time::timeout(Duration::from_millis(50), state.mail_wakeup.notified()).await.is_ok()
}

#[tokio::test]
async fn a_mail_leaves_with_its_commit_only_and_the_worker_wakes_after_it() {
    for t in all_dbs().await {
        let state = test_state(&t, test_config(&t.url), ManualClock::at(T0));

        // Left by an error (dropped before its end): nothing of it stays, nobody is woken.
        {
            let mut work = Work::begin(&state, "test.dropped").await.unwrap();
            work.mail(&mail()).await.unwrap();
        }
        assert_eq!(outbox_rows(&t.db).await, 0, "{}", t.name);
        assert!(!woken(&state).await, "{}: a rolled-back mail wakes no worker", t.name);

        let mut work = Work::begin(&state, "test.rolled_back").await.unwrap();
        work.mail(&mail()).await.unwrap();
        work.rollback().await.unwrap();
        assert_eq!(outbox_rows(&t.db).await, 0, "{}", t.name);

        // Committed without mail: no wake-up.
        let work = Work::begin(&state, "test.no_mail").await.unwrap();
        work.commit().await.unwrap();
        assert!(!woken(&state).await, "{}", t.name);

        let mut work = Work::begin(&state, "test.committed").await.unwrap();
        work.mail(&mail()).await.unwrap();
        assert!(!woken(&state).await, "{}: not before the commit", t.name);
        work.commit().await.unwrap();
        assert_eq!(outbox_rows(&t.db).await, 1, "{}", t.name);
        assert!(woken(&state).await, "{}: woken after the commit", t.name);
    }
}

#[tokio::test]
async fn audit_entries_carry_the_works_client_and_staff_member_unless_they_name_their_own() {
    for t in all_dbs().await {
        let state = test_state(&t, test_config(&t.url), ManualClock::at(T0));
        let mut work = Work::begin(&state, "test.audit").await.unwrap().from_client(Some("203.0.113.7")).by_staff("staff-1");
        work.audit(AuditEvent::with_detail(Event::StaffLogin, "one")).await.unwrap();
        work.audit(AuditEvent { client_ip: Some("198.51.100.1"), ..AuditEvent::with_detail(Event::StaffLogout, "two") }).await.unwrap();
        work.commit().await.unwrap();
        let rows: Vec<(String, Option<String>, Option<String>, i64)> =
            sqlx::query_as("SELECT detail, client_ip, staff_id, at FROM audit_log ORDER BY detail").fetch_all(&t.db).await.unwrap();
        assert_eq!(
            rows,
            vec![
                ("one".into(), Some("203.0.113.7".into()), Some("staff-1".into()), T0),
                ("two".into(), Some("198.51.100.1".into()), Some("staff-1".into()), T0),
            ],
            "{}",
            t.name
        );
    }
}
