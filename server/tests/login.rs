//! ログイン and sessions against real databases: throttling, locks, timeouts, and a
//! session shared by two server instances.

mod common;

use app::backend::members::login;
use app::backend::platform::clock::ManualClock;
use app::backend::platform::AppState;
use app::text::login as text;
use common::{all_dbs, test_config, test_state, TestDb};

async fn setup(t: &TestDb) -> (AppState, ManualClock) {
    common::member_with_account(t).await
}

const RIGHT: &str = common::PASSWORD;

fn message(r: Result<String, app::error::AppError>) -> String {
    r.unwrap_err().form_message().unwrap()
}

#[tokio::test]
async fn a_member_logs_in_case_insensitively_and_logs_out() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        let token = common::login(&state, Some("127.0.0.1"), "YAMADA.taro", RIGHT).await.unwrap();
        let member = login::member(&state, &token).await.unwrap().expect("session");
        assert_eq!(member.name, "山田 太郎", "{}", t.name);
        let again = common::login(&state, Some("127.0.0.1"), "yamada.taro", RIGHT).await.unwrap();
        assert_ne!(token, again, "a new session id at each login");
        login::logout(&state, None, &token).await.unwrap();
        assert!(login::member(&state, &token).await.unwrap().is_none(), "{}", t.name);
        assert!(login::member(&state, &again).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_id_get_the_same_message() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        assert_eq!(message(common::login(&state, None, "yamada.taro", "Wrong#Pass1").await), text::WRONG);
        assert_eq!(message(common::login(&state, None, "nobody.here", RIGHT).await), text::WRONG);
        assert_eq!(message(common::login(&state, None, "yamada.taro", &RIGHT.to_lowercase()).await), text::WRONG, "passwords are exact");
    }
}

#[tokio::test]
async fn failures_slow_down_then_lock_for_15_minutes_with_a_mail() {
    for t in all_dbs().await {
        let (state, clock) = setup(&t).await;
        let limits = app::backend::platform::config::LoginLimits::default();
        for id in ["yamada.taro", "nobody.here"] {
            // Every try counts, also one refused for coming too soon.
            let mut tries = 0;
            loop {
                tries += 1;
                let m = message(common::login(&state, Some(&format!("10.0.0.{tries}")), id, "Wrong#Pass1").await);
                if tries == limits.lock_after {
                    assert_eq!(m, text::LOCKED, "{id} #{tries} {}", t.name);
                    break;
                }
                assert_eq!(m, text::WRONG, "{id} #{tries} {}", t.name);
                if tries == limits.delay_after {
                    // Right away is too soon, whatever the password.
                    tries += 1;
                    assert_eq!(message(common::login(&state, Some("10.0.1.1"), id, RIGHT).await), text::WAIT, "{id} #{tries}");
                }
                clock.advance(limits.delay_seconds(tries));
            }
            // Locked: even the right password is refused, and an unknown ID looks the same.
            assert_eq!(message(common::login(&state, Some("10.0.2.1"), id, RIGHT).await), text::LOCKED, "{id} {}", t.name);
        }
        let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'taro@corp.test' AND subject = $1")
            .bind(app::text::mail::SUBJECT_LOCKED)
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(mails, 1, "one notice for the real member: {}", t.name);
        clock.advance(limits.lock_seconds);
        assert!(common::login(&state, Some("10.0.3.1"), "yamada.taro", RIGHT).await.is_ok(), "{}", t.name);
        let events: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT event FROM audit_log").fetch_all(&state.db).await.unwrap();
        for e in ["login_failed", "login_locked", "login_refused_locked", "login"] {
            assert!(events.iter().any(|(x,)| x == e), "{e}");
        }
    }
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes_or_12_hours() {
    for t in all_dbs().await {
        let (state, clock) = setup(&t).await;
        let limits = state.config.sessions;
        let token = common::login(&state, None, "yamada.taro", RIGHT).await.unwrap();
        clock.advance(limits.idle_seconds - 60);
        assert!(login::member(&state, &token).await.unwrap().is_some());
        // Activity keeps it alive, up to the absolute limit.
        for _ in 0..(limits.max_seconds / (limits.idle_seconds - 60)) {
            clock.advance(limits.idle_seconds - 60);
            if login::member(&state, &token).await.unwrap().is_none() {
                break;
            }
        }
        assert!(login::member(&state, &token).await.unwrap().is_none(), "absolute timeout: {}", t.name);

        let token = common::login(&state, None, "yamada.taro", RIGHT).await.unwrap();
        clock.advance(limits.idle_seconds + 1);
        assert!(login::member(&state, &token).await.unwrap().is_none(), "idle timeout: {}", t.name);
    }
}

#[tokio::test]
async fn a_session_opened_on_one_instance_works_on_another() {
    for t in all_dbs().await {
        let (first, clock) = setup(&t).await;
        let second = test_state(&t, test_config(&t.url), clock.clone());
        let other_pool = app::backend::platform::db::connect(&t.url).await.unwrap();
        let second = AppState { db: other_pool, ..second };
        let token = common::login(&first, None, "yamada.taro", RIGHT).await.unwrap();
        assert!(login::member(&second, &token).await.unwrap().is_some(), "{}", t.name);
        login::logout(&second, None, &token).await.unwrap();
        assert!(login::member(&first, &token).await.unwrap().is_none(), "{}", t.name);
    }
}

#[tokio::test]
async fn housekeeping_forgets_expired_sessions_and_counters_but_keeps_live_ones() {
    for t in all_dbs().await {
        let (state, clock) = setup(&t).await;
        let stale = common::login(&state, None, "yamada.taro", RIGHT).await.unwrap();
        let _ = common::login(&state, Some("10.9.0.1"), "someone.else", "Wrong#Pass1").await;
        clock.advance(86_400 + 1);
        let live = common::login(&state, None, "yamada.taro", RIGHT).await.unwrap();
        let deleted = app::backend::maintenance::prune(&state.db, app::backend::platform::Clock::now(state.clock.as_ref()), &state.config)
            .await
            .unwrap();
        assert!(deleted >= 3, "stale session and both throttle rows: {deleted} on {}", t.name);
        let (sessions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions").fetch_one(&state.db).await.unwrap();
        assert_eq!(sessions, 1, "{}", t.name);
        assert!(login::member(&state, &live).await.unwrap().is_some());
        assert!(login::member(&state, &stale).await.unwrap().is_none());
    }
}
