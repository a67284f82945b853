//! Every limit holds when requests arrive at once, as an attacker sends them (README.md "Security notes"):
//! ≥ 20 concurrent calls of the services the server
//! functions call, on SQLite and PostgreSQL, on a multi-threaded runtime.

mod common;

use app::backend::identity::challenge::{self, Answer, Form};
use app::backend::members::registration::{self as reg, IdentityInput};
use app::backend::members::{inquiry, login, recovery, settings};
use app::backend::platform::clock::ManualClock;
use app::backend::platform::AppState;
use app::backend::roster;
use app::domain::{Bango, BirthDate, Email, InquiryKind, Kigo, MemberNumber};
use app::error::AppError;
use app::text::mail as letters;
use common::{all_dbs, body_of, mails_to, member_with_account, test_config, test_state, token_after, TestDb, PASSWORD, T0};
use std::future::Future;

const TEST_ANSWER: &str = "PASSME";

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

/// Runs `n` copies of a request at once and returns their answers.
async fn at_once<F, Fut, T>(n: usize, make: F) -> Vec<T>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|i| tokio::spawn(make(i))).collect();
    let mut out = Vec::with_capacity(n);
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

async fn roster_state(t: &TestDb) -> (AppState, ManualClock) {
    let clock = ManualClock::at(T0);
    let csv = "kigo,bango,birth_date,name,name_kana,email,status\n12,345,1985-04-01,山田 太郎,,taro@corp.test,在職\n";
    roster::import(&t.db, &roster::parse(csv, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap(), T0).await.unwrap();
    let mut config = test_config(&t.url);
    config.captcha_test_answer = Some(TEST_ANSWER.into());
    (test_state(t, config, clock.clone()), clock)
}

fn taro_identity() -> IdentityInput {
    IdentityInput {
        email: email("taro@corp.test"),
        number: MemberNumber { kigo: Kigo::parse("12").unwrap(), bango: Bango::parse("345").unwrap() },
        birth_date: BirthDate::parse("1985-04-01").unwrap(),
    }
}

async fn invite(state: &AppState) -> String {
    reg::start(state, None, &email("taro@corp.test")).await.unwrap();
    token_after(&body_of(state, "taro@corp.test", letters::SUBJECT_M1).await, "/register/verify/")
}

async fn stage(state: &AppState) -> String {
    let (stage,): (String,) = sqlx::query_as("SELECT stage FROM registrations").fetch_one(&state.db).await.unwrap();
    stage
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_key_guesses_at_once_spend_the_registration() {
    for t in all_dbs().await {
        let (state, _) = roster_state(&t).await;
        let browser = reg::verify_identity(&state, None, &invite(&state).await, &taro_identity()).await.unwrap();
        let key = reg::key_for_browser(&state, &browser).await.unwrap().unwrap();
        let key_token = token_after(&body_of(&state, "taro@corp.test", letters::SUBJECT_M2).await, "/register/confirm/");
        let guesses: Vec<String> = (0..10_000).map(|k| format!("{k:04}")).filter(|k| *k != key).take(40).collect();
        let answers = at_once(40, |i| {
            let (state, token, guess) = (state.clone(), key_token.clone(), guesses[i].clone());
            async move { reg::confirm_key(&state, Some("10.6.6.6"), &token, &guess).await }
        })
        .await;
        assert!(answers.iter().all(Result::is_err), "{}", t.name);
        // Each guess is counted before it is compared, until the fifth spends the registration;
        // guesses arriving after that are not even counted. Exactly four were wrong and alive.
        let (counted,): (i64,) = sqlx::query_as("SELECT key_failures FROM registrations").fetch_one(&state.db).await.unwrap();
        assert!((reg::MAX_FAILURES..=40).contains(&counted), "{counted} counted: {}", t.name);
        let (alive,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE event = 'registration_key_failed'").fetch_one(&state.db).await.unwrap();
        assert_eq!(alive, reg::MAX_FAILURES - 1, "{}", t.name);
        // However they arrived, five wrong keys spent it: the right key is refused now.
        let err = reg::confirm_key(&state, None, &key_token, &key).await.unwrap_err();
        assert!(matches!(err, reg::RegistrationError::Spent | reg::RegistrationError::LinkUnusable), "{err:?} {}", t.name);
        assert_eq!(stage(&state).await, "spent", "{}", t.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_identity_checks_at_once_spend_the_link() {
    for t in all_dbs().await {
        let (state, _) = roster_state(&t).await;
        let token = invite(&state).await;
        let answers = at_once(20, |i| {
            let (state, token) = (state.clone(), token.clone());
            let mut wrong = taro_identity();
            wrong.number.bango = Bango::parse(&format!("{}", 1000 + i)).unwrap();
            async move { reg::verify_identity(&state, None, &token, &wrong).await }
        })
        .await;
        assert!(answers.iter().all(Result::is_err), "{}", t.name);
        assert!(reg::verify_identity(&state, None, &token, &taro_identity()).await.is_err(), "the right answer comes too late: {}", t.name);
        assert_eq!(stage(&state).await, "spent", "{}", t.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_wrong_passwords_at_once_lock_the_id() {
    for t in all_dbs().await {
        let (state, clock) = member_with_account(&t).await;
        let answers = at_once(30, |_| {
            let state = state.clone();
            async move { common::login(&state, Some("10.5.5.5"), "yamada.taro", "Wrong#Pass1").await }
        })
        .await;
        assert!(answers.iter().all(Result::is_err), "{}", t.name);
        // Longer than any delay, shorter than the lock: the lock holds, whoever asks.
        clock.advance(60);
        let err = common::login(&state, Some("10.5.5.6"), "yamada.taro", PASSWORD).await.unwrap_err();
        assert_eq!(err.form_message().as_deref(), Some(app::text::login::LOCKED), "{}", t.name);
        let (notices,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE subject = $1")
            .bind(app::text::mail::SUBJECT_LOCKED)
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(notices, 1, "one notice for one lock: {}", t.name);
        // At most `delay_after` passwords were ever compared before the wait and the lock.
        let (compared,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE event = 'login_failed'").fetch_one(&state.db).await.unwrap();
        assert!(compared <= state.config.login_limits.delay_after + 1, "{compared} compared: {}", t.name);
        clock.advance(state.config.login_limits.lock_seconds);
        assert!(common::login(&state, Some("10.5.5.6"), "yamada.taro", PASSWORD).await.is_ok(), "the lock ends: {}", t.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_step_1_posts_for_one_address_send_three_mails() {
    for t in all_dbs().await {
        let (state, _) = roster_state(&t).await;
        let answers = at_once(20, |i| {
            let state = state.clone();
            async move { reg::start(&state, Some(&format!("10.4.0.{i}")), &email("taro@corp.test")).await }
        })
        .await;
        assert!(answers.iter().all(Result::is_ok), "the page looks the same: {}", t.name);
        assert_eq!(mails_to(&state, "taro@corp.test").await.len() as i64, reg::MAILS_PER_ADDRESS_PER_HOUR, "{}", t.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_reset_requests_at_once_send_three_mails() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        let answers = at_once(20, |i| {
            let state = state.clone();
            async move { recovery::request(&state, Some(&format!("10.4.1.{i}")), &email("taro@corp.test")).await }
        })
        .await;
        assert!(answers.iter().all(Result::is_ok), "{}", t.name);
        assert_eq!(mails_to(&state, "taro@corp.test").await.len() as i64, recovery::MAILS_PER_ADDRESS_PER_HOUR, "{}", t.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_inquiries_at_once_from_one_address_store_three() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        let answers = at_once(20, |i| {
            let state = state.clone();
            let input = app::domain::InquiryInput {
                kind: InquiryKind::Other,
                name: "鈴木 一郎".into(),
                kigo: Kigo::parse("34").unwrap(),
                bango: Bango::parse("20").unwrap(),
                birth_date: BirthDate::parse("1960-02-03").unwrap(),
                email: email("ichiro@home.test"),
                phone: None,
                body: "至急".into(),
            };
            async move { inquiry::submit(&state, Some(&format!("10.4.2.{i}")), &input).await }
        })
        .await;
        let limited = answers.iter().filter(|a| matches!(a, Err(inquiry::InquiryError::TooMany))).count() as i64;
        assert_eq!(limited, 20 - inquiry::PER_ADDRESS_PER_HOUR, "{}", t.name);
        assert_eq!(inquiry::list(&state.db, false).await.unwrap().len() as i64, inquiry::PER_ADDRESS_PER_HOUR, "{}", t.name);
        assert_eq!(mails_to(&state, "ichiro@home.test").await.len() as i64, inquiry::PER_ADDRESS_PER_HOUR, "{}", t.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_confirmation_resends_at_once_send_at_most_ten_mails() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        let mut input = settings::ProfileInput {
            current_password: Some(PASSWORD.into()),
            login_id: app::domain::LoginId::parse("Yamada.Taro").unwrap(),
            nickname: "たろう".into(),
            emails: [Some(email("taro@corp.test")), Some(email("taro@home.test")), None],
            preferences: vec![],
        };
        settings::save(&state, None, &common::taro(), input.clone()).await.unwrap();
        let answers = at_once(20, |_| {
            let state = state.clone();
            async move { settings::resend(&state, None, "acc1", 2).await }
        })
        .await;
        assert_eq!(answers.iter().filter(|a| a.is_ok()).count(), 9, "{}", t.name);
        assert_eq!(mails_to(&state, "taro@home.test").await.len(), 10, "{}", t.name);
        // The limit covers saves too.
        input.emails[2] = Some(email("taro3@home.test"));
        assert!(
            matches!(settings::save(&state, None, &common::taro(), input).await, Err(settings::SettingsError::TooManyConfirmations)),
            "{}",
            t.name
        );
    }
}

/// A company's members share one office address: past the per-client limit step 1 asks for
/// the 認証文字, and 500 members from one address within an hour all get their mail.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_office_address_past_its_limit_gets_a_captcha_never_a_refusal() {
    for t in all_dbs().await {
        let (state, _) = roster_state(&t).await;
        let office = Some("203.0.113.50");
        let limit = state.config.client_limits.registrations;
        assert!(challenge::captcha_if_needed(&state, Form::Registration, office).await.unwrap().is_none());
        for i in 0..limit {
            challenge::pass(&state, Form::Registration, office, &Answer::default()).await.unwrap();
            reg::start(&state, office, &email(&format!("member{i}@office.test"))).await.unwrap();
        }
        // Next: the form shows a CAPTCHA, and a post without (or with a wrong) answer is sent back to it.
        assert!(challenge::captcha_if_needed(&state, Form::Registration, office).await.unwrap().is_some(), "{}", t.name);
        let err = challenge::pass(&state, Form::Registration, office, &Answer::default()).await.unwrap_err();
        assert!(matches!(err, challenge::ChallengeError::Required), "{err:?}");
        let wrong = Answer { captcha_id: Some("1.2.3".into()), captcha: Some("NOPE".into()) };
        assert!(challenge::pass(&state, Form::Registration, office, &wrong).await.is_err());
        // Another client is not affected.
        assert!(challenge::captcha_if_needed(&state, Form::Registration, Some("198.51.100.1")).await.unwrap().is_none());
        // With the 認証文字 everyone gets through.
        let solved = Answer { captcha_id: Some("1.2.3".into()), captcha: Some(TEST_ANSWER.into()) };
        let answers = at_once(500 - limit as usize, |i| {
            let (state, solved) = (state.clone(), solved.clone());
            async move {
                challenge::pass(&state, Form::Registration, office, &solved).await.map_err(AppError::from)?;
                Ok::<_, AppError>(reg::start(&state, office, &email(&format!("late{i}@office.test"))).await?)
            }
        })
        .await;
        assert!(answers.iter().all(Result::is_ok), "{}", t.name);
        let (mails,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE recipient LIKE '%@office.test'").fetch_one(&state.db).await.unwrap();
        assert_eq!(mails, 500, "{}", t.name);
    }
}

/// Failed logins of one client (password spraying over many IDs) make its logins ask for the
/// 認証文字; the right password of another member there still logs in with it. Successful
/// logins do not count.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_client_spraying_passwords_gets_a_captcha_and_members_still_log_in() {
    for t in all_dbs().await {
        let (mut state, _) = member_with_account(&t).await;
        let mut config = (*state.config).clone();
        config.captcha_test_answer = Some(TEST_ANSWER.into());
        state.config = std::sync::Arc::new(config);
        let office = Some("203.0.113.60");
        let limit = state.config.client_limits.login_failures as usize;
        // Logins are counted before their hash (a burst in flight counts), and a success takes
        // its count back: one after another, members never feed the client's limit.
        for _ in 0..limit + 10 {
            common::login(&state, office, "sato.hanako", PASSWORD).await.unwrap();
        }
        assert!(challenge::captcha_if_needed(&state, Form::Login, office).await.unwrap().is_none(), "{}", t.name);
        let sprayed = at_once(limit, |i| {
            let state = state.clone();
            async move { common::login(&state, office, &format!("guess.{i:03}"), "Wrong#Pass1").await }
        })
        .await;
        assert!(sprayed.iter().all(Result::is_err));
        let err = common::login(&state, office, "yamada.taro", PASSWORD).await.unwrap_err();
        assert_eq!(err.field_message("captcha").as_deref(), Some(app::text::registration::CAPTCHA_REQUIRED), "{}", t.name);
        let client = app::backend::platform::Client { ip: office, user_agent: None };
        let solved = Answer { captcha_id: Some("1.2.3".into()), captcha: Some(TEST_ANSWER.into()) };
        assert!(login::login(&state, &client, "yamada.taro", PASSWORD, &solved).await.is_ok(), "not refused: {}", t.name);
        assert!(common::login(&state, Some("198.51.100.2"), "yamada.taro", PASSWORD).await.is_ok(), "other clients: {}", t.name);
    }
}

/// Showing a form writes nothing (the CAPTCHA is signed, not stored); checking one writes it
/// once, so the same CAPTCHA sent twice at once passes at most once. Images are limited per client.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn captchas_cost_no_write_until_checked_and_are_limited_per_client() {
    for t in all_dbs().await {
        let (state, _) = roster_state(&t).await;
        let client = format!("198.18.{}.1", if t.name == "sqlite" { 1 } else { 2 });
        let mut made = 0;
        let limited = loop {
            match app::backend::identity::captcha::create(&state, Some(&client)).await {
                Ok(_) => made += 1,
                Err(e) => break e,
            }
            assert!(made <= 200, "never limited");
        };
        assert!(matches!(limited, app::backend::identity::captcha::CaptchaError::TooMany), "{limited:?}");
        assert!(made >= 100, "an office's worth first: {made}");
        assert!(app::backend::identity::captcha::create(&state, Some("198.18.9.9")).await.is_ok(), "another client is not limited");
        let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM captchas_used").fetch_one(&state.db).await.unwrap();
        assert_eq!(rows, 0, "no write for {made} images: {}", t.name);
        let view = app::backend::identity::captcha::create(&state, Some("198.18.9.9")).await.unwrap();
        let checks = at_once(20, |_| {
            let (state, id) = (state.clone(), view.id.clone());
            async move {
                app::backend::identity::captcha::check(&state, None, &id, "WRONG").await.unwrap()
                    == app::backend::identity::captcha::Verdict::Passed
            }
        })
        .await;
        assert!(checks.iter().all(|ok| !ok));
        let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM captchas_used").fetch_one(&state.db).await.unwrap();
        assert_eq!(rows, 1, "spent once: {}", t.name);
        // A forged id (another expiry with the same MAC) is refused, whatever the answer.
        let forged = format!("9{}", view.id);
        assert_eq!(
            app::backend::identity::captcha::check(&state, None, &forged, "ANY").await.unwrap(),
            app::backend::identity::captcha::Verdict::Wrong
        );
    }
}

/// The audit log's subject hash is keyed: the key is made once and every instance (another
/// pool on the same database) reads the same one; a `SECRET_KEY` other than the key the data
/// was made with stops the start, naming the problem (it would lock every second factor out).
#[tokio::test]
async fn the_server_key_is_made_once_and_shared() {
    for t in all_dbs().await {
        let first = app::backend::platform::secret::load_or_create(&t.db, None, &[]).await.unwrap();
        let other = app::backend::platform::db::connect(&t.url).await.unwrap();
        assert_eq!(app::backend::platform::secret::load_or_create(&other, None, &[]).await.unwrap(), first, "{}", t.name);
        assert_eq!(first.len(), 64);
        let changed = app::backend::platform::secret::load_or_create(&t.db, Some("k".repeat(32).as_str()), &[]).await;
        assert!(matches!(changed, Err(app::backend::platform::secret::KeyError::Mismatch { .. })), "{}: {changed:?}", t.name);
        assert!(changed.unwrap_err().to_string().contains("SECRET_KEY is not the key"));
    }
    // A configured key on a new database: taken, and taken again at the next start.
    for t in all_dbs().await {
        let key = "k".repeat(32);
        assert_eq!(app::backend::platform::secret::load_or_create(&t.db, Some(&key), &[]).await.unwrap(), key.as_bytes());
        assert_eq!(app::backend::platform::secret::load_or_create(&t.db, Some(&key), &[]).await.unwrap(), key.as_bytes(), "{}", t.name);
        assert!(
            app::backend::platform::secret::load_or_create(&t.db, None, &[]).await.is_err(),
            "nor the generated key, once a configured one is in use"
        );
        let plain = app::backend::platform::ids::hash_token("audit-subject:taro@corp.test");
        assert_ne!(app::backend::platform::secret::subject_hash("taro@corp.test"), plain[..32], "not an unkeyed hash");
    }
}

/// The non-visual alternative to the 認証文字 has its own hourly cap per client, which ends in a
/// refusal (with the inquiry route), not in another proof; an IPv6 client counts by its /64.
#[tokio::test]
async fn proofs_of_work_are_capped_per_client_by_the_hour_an_ipv6_client_by_its_64() {
    use app::backend::identity::captcha::{self, Verdict, PROOFS_PER_HOUR};
    use app::domain::proof;
    let prove = |id: &str| format!("{}{}", proof::PREFIX, proof::search(id, 0, 1 << 28, proof::BITS).expect("a proof"));
    for t in all_dbs().await {
        let (state, clock) = member_with_account(&t).await;
        let check = |ip: String| {
            let state = state.clone();
            async move {
                let c = captcha::create(&state, Some(&ip)).await.unwrap();
                captcha::check(&state, Some(&ip), &c.id, &prove(&c.id)).await.unwrap()
            }
        };
        for i in 0..PROOFS_PER_HOUR {
            assert_eq!(check(format!("2001:db8:1:2::{:x}", i + 1)).await, Verdict::Passed, "{i} ({})", t.name);
        }
        assert_eq!(check("2001:db8:1:2:ffff::9".into()).await, Verdict::ProofLimit, "another address of the same /64 ({})", t.name);
        assert!(Verdict::ProofLimit.refusal().unwrap().contains("/inquiry"), "the refusal names the inquiry route");
        assert_eq!(check("2001:db8:1:3::1".into()).await, Verdict::Passed, "another /64");
        clock.advance(3601);
        assert_eq!(check("2001:db8:1:2::1".into()).await, Verdict::Passed, "the next hour");
    }
}
