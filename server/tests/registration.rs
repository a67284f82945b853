//! 新規利用登録 against real databases: every rule of the wizard, on SQLite and PostgreSQL.

mod common;

use app::error::AppError;

use app::backend::mail::letters;
use app::backend::members::registration::{self as reg, AccountInput, IdentityInput};
use app::backend::platform::clock::ManualClock;
use app::backend::platform::AppState;
use app::backend::roster;
use app::domain::{Bango, BirthDate, Email, Kigo, LoginId, MemberNumber};
use app::text::mail;
use app::text::registration as text;
use common::{all_dbs, body_of, mails_to, test_config, test_state, token_after, TestDb, T0};

const ROSTER: &str = "kigo,bango,birth_date,name,name_kana,email,status\n\
12,345,1985-04-01,山田 太郎,,taro@corp.test,在職\n\
12,999,1970-01-31,伊藤 誠,,makoto@corp.test,資格喪失\n\
34,20,1962-03-15,高橋 美智子,,michiko@corp.test,任意継続\n";

async fn setup(t: &TestDb) -> (AppState, ManualClock) {
    let clock = ManualClock::at(T0);
    let rows = roster::parse(ROSTER, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    roster::import(&t.db, &rows, T0).await.unwrap();
    (test_state(t, test_config(&t.url), clock.clone()), clock)
}

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

fn identity(mail: &str, kigo: &str, bango: &str, birth: &str) -> IdentityInput {
    IdentityInput {
        email: email(mail),
        number: MemberNumber { kigo: Kigo::parse(kigo).unwrap(), bango: Bango::parse(bango).unwrap() },
        birth_date: BirthDate::parse(birth).unwrap(),
    }
}

async fn invite(state: &AppState, to: &str) -> String {
    reg::start(state, Some("127.0.0.1"), &email(to)).await.unwrap();
    token_after(&body_of(state, to, mail::SUBJECT_M1).await, "/register/verify/")
}

fn account(login: &str) -> AccountInput {
    AccountInput {
        login_id: LoginId::parse(login).unwrap(),
        password: common::typed_password("Blue7#Harbor-Quilt"),
        email: email("taro@corp.test"),
        nickname: "たろう".into(),
    }
}

/// Steps 1–4 for 山田 太郎; returns the browser token of step 5.
async fn up_to_step5(state: &AppState) -> String {
    let token = invite(state, "taro@corp.test").await;
    let browser = reg::verify_identity(state, None, &token, &identity("TARO@corp.test", "12", "0345", "1985-04-01")).await.unwrap();
    let key = reg::key_for_browser(state, &browser).await.unwrap().expect("key shown");
    let body = body_of(state, "taro@corp.test", mail::SUBJECT_M2).await;
    let key_token = token_after(&body, "/register/confirm/");
    reg::confirm_key(state, None, &key_token, &key).await.unwrap()
}

#[tokio::test]
async fn a_member_registers_from_step_1_to_the_account() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        let token = invite(&state, "taro@corp.test").await;
        assert!(reg::invitation_is_usable(&state, &token).await.unwrap());
        let browser = reg::verify_identity(&state, None, &token, &identity("taro@corp.test", "12", "345", "1985-04-01")).await.unwrap();
        assert!(!reg::invitation_is_usable(&state, &token).await.unwrap(), "M1 link is single-use: {}", t.name);
        let key = reg::key_for_browser(&state, &browser).await.unwrap().unwrap();
        assert_eq!(key.len(), 4);
        let m2 = body_of(&state, "taro@corp.test", mail::SUBJECT_M2).await;
        let key_token = token_after(&m2, "/register/confirm/");
        // The key is not in the mail: the body is made of the address and the link only (a
        // search for four digits would find them in the link, the port or the phone number).
        assert_eq!(m2, letters::m2_identity_confirmed(&state.config, "taro@corp.test", &key_token).body, "{}", t.name);
        assert!(reg::key_link_is_usable(&state, &key_token).await.unwrap());
        let browser2 = reg::confirm_key(&state, None, &key_token, &key).await.unwrap();
        assert!(!reg::key_link_is_usable(&state, &key_token).await.unwrap(), "M2 link is single-use");
        let defaults = reg::account_defaults(&state, &browser2).await.unwrap().unwrap();
        assert_eq!((defaults.email.as_str(), defaults.nickname.as_str()), ("taro@corp.test", "山田 太郎"));
        reg::create_account(&state, None, &browser2, account("Yamada.Taro")).await.unwrap();
        let (login_id, hash): (String, String) =
            sqlx::query_as("SELECT login_id, password_hash FROM accounts").fetch_one(&state.db).await.unwrap();
        assert_eq!(login_id, "Yamada.Taro");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(body_of(&state, "taro@corp.test", mail::SUBJECT_M3).await.contains("Yamada.Taro"), "{}", t.name);
        assert!(reg::account_defaults(&state, &browser2).await.unwrap().is_none(), "the registration is spent");
        // The audit log tells the story without personal data.
        let events: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT event, subject FROM audit_log ORDER BY at, event").fetch_all(&state.db).await.unwrap();
        let names: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
        for e in ["registration_started", "registration_identity_verified", "registration_key_confirmed", "account_created"] {
            assert!(names.contains(&e), "{e} in {names:?}");
        }
        assert!(events.iter().all(|e| e.1.as_deref().is_none_or(|s| !s.contains('@'))));
    }
}

#[tokio::test]
async fn step_1_answers_the_same_for_everyone_and_mails_the_right_notice() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        let browser = up_to_step5(&state).await;
        reg::create_account(&state, None, &browser, account("Yamada.Taro")).await.unwrap();
        for (to, subject) in [
            ("Taro@Corp.test", mail::SUBJECT_ALREADY_REGISTERED),
            ("stranger@else.test", mail::SUBJECT_NOT_STARTED),
            ("makoto@corp.test", mail::SUBJECT_NOT_STARTED),
            ("michiko@corp.test", mail::SUBJECT_M1),
        ] {
            reg::start(&state, None, &email(to)).await.unwrap();
            body_of(&state, to, subject).await;
        }
        let already = mails_to(&state, "Taro@Corp.test").await;
        assert!(already[0].1.contains("/forgot") && already[0].1.contains("http://127.0.0.1:3000/"));
        assert!(mails_to(&state, "stranger@else.test").await[0].1.contains("/inquiry"));
    }
}

#[tokio::test]
async fn an_address_gets_at_most_three_mails_an_hour() {
    for t in all_dbs().await {
        let (state, clock) = setup(&t).await;
        for _ in 0..5 {
            reg::start(&state, None, &email("stranger@else.test")).await.unwrap();
        }
        assert_eq!(mails_to(&state, "stranger@else.test").await.len(), 3, "{}", t.name);
        clock.advance(3601);
        reg::start(&state, None, &email("stranger@else.test")).await.unwrap();
        assert_eq!(mails_to(&state, "stranger@else.test").await.len(), 4, "{}", t.name);
    }
}

#[tokio::test]
async fn five_failed_identity_checks_spend_the_link() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        let token = invite(&state, "taro@corp.test").await;
        let wrong = [
            identity("other@corp.test", "12", "345", "1985-04-01"), // wrong email
            identity("taro@corp.test", "13", "345", "1985-04-01"),  // wrong 記号
            identity("taro@corp.test", "12", "346", "1985-04-01"),  // wrong 番号
            identity("taro@corp.test", "12", "345", "1985-04-02"),  // wrong birth date
        ];
        for input in &wrong {
            let err = AppError::from(reg::verify_identity(&state, None, &token, input).await.unwrap_err());
            assert_eq!(err.form_message().as_deref(), Some(text::IDENTITY_FAILED), "{}", t.name);
        }
        let err = AppError::from(reg::verify_identity(&state, None, &token, &wrong[0]).await.unwrap_err());
        assert_eq!(err.form_message().as_deref(), Some(text::SPENT), "{}", t.name);
        let err = AppError::from(
            reg::verify_identity(&state, None, &token, &identity("taro@corp.test", "12", "345", "1985-04-01")).await.unwrap_err(),
        );
        assert_eq!(err.form_message().as_deref(), Some(text::LINK_INVALID), "even the right answer: {}", t.name);
        assert!(!reg::invitation_is_usable(&state, &token).await.unwrap());
    }
}

#[tokio::test]
async fn a_lost_eligibility_member_cannot_pass_step_2() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        // Even with a link (e.g. issued before the roster said 資格喪失).
        let token = invite(&state, "michiko@corp.test").await;
        sqlx::query("UPDATE roster SET status = 'lost' WHERE kigo = '34'").execute(&state.db).await.unwrap();
        let err = AppError::from(
            reg::verify_identity(&state, None, &token, &identity("michiko@corp.test", "34", "20", "1962-03-15")).await.unwrap_err(),
        );
        assert_eq!(err.form_message().as_deref(), Some(text::IDENTITY_FAILED), "{}", t.name);
    }
}

#[tokio::test]
async fn links_expire() {
    for t in all_dbs().await {
        let (state, clock) = setup(&t).await;
        let token = invite(&state, "taro@corp.test").await;
        clock.advance(reg::INVITE_TTL + 1);
        assert!(!reg::invitation_is_usable(&state, &token).await.unwrap(), "M1 after 24 h: {}", t.name);

        let token = invite(&state, "taro@corp.test").await;
        let browser = reg::verify_identity(&state, None, &token, &identity("taro@corp.test", "12", "345", "1985-04-01")).await.unwrap();
        let key = reg::key_for_browser(&state, &browser).await.unwrap().unwrap();
        let body = body_of(&state, "taro@corp.test", mail::SUBJECT_M2).await;
        let key_token = token_after(&body, "/register/confirm/");
        clock.advance(reg::KEY_TTL + 1);
        assert!(reg::key_for_browser(&state, &browser).await.unwrap().is_none(), "key hidden after 30 min");
        assert!(!reg::key_link_is_usable(&state, &key_token).await.unwrap(), "M2 after 30 min: {}", t.name);
        let err = AppError::from(reg::confirm_key(&state, None, &key_token, &key).await.unwrap_err());
        assert_eq!(err.form_message().as_deref(), Some(text::LINK_INVALID));
    }
}

#[tokio::test]
async fn five_wrong_keys_spend_the_registration() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        let token = invite(&state, "taro@corp.test").await;
        let browser = reg::verify_identity(&state, None, &token, &identity("taro@corp.test", "12", "345", "1985-04-01")).await.unwrap();
        let key = reg::key_for_browser(&state, &browser).await.unwrap().unwrap();
        let wrong = if key == "0000" { "1111" } else { "0000" };
        let body = body_of(&state, "taro@corp.test", mail::SUBJECT_M2).await;
        let key_token = token_after(&body, "/register/confirm/");
        for left in (1..5).rev() {
            let err = AppError::from(reg::confirm_key(&state, None, &key_token, wrong).await.unwrap_err());
            assert!(err.field_message("identity_key").unwrap().contains(&format!("あと{left}回")), "{}", t.name);
        }
        let err = AppError::from(reg::confirm_key(&state, None, &key_token, wrong).await.unwrap_err());
        assert_eq!(err.form_message().as_deref(), Some(text::SPENT));
        let err = AppError::from(reg::confirm_key(&state, None, &key_token, &key).await.unwrap_err());
        assert_eq!(err.form_message().as_deref(), Some(text::LINK_INVALID), "{}", t.name);
    }
}

#[tokio::test]
async fn a_double_submitted_account_form_creates_one_account() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        let browser = up_to_step5(&state).await;
        let (a, b) = tokio::join!(
            reg::create_account(&state, None, &browser, account("Yamada.Taro")),
            reg::create_account(&state, None, &browser, account("Yamada.Taro2")),
        );
        assert!(a.is_ok() ^ b.is_ok(), "exactly one wins: {a:?} {b:?} on {}", t.name);
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts").fetch_one(&state.db).await.unwrap();
        assert_eq!(n, 1, "{}", t.name);
        let (m3,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE subject = $1")
            .bind(mail::SUBJECT_M3)
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(m3, 1, "{}", t.name);
    }
}

#[tokio::test]
async fn a_taken_login_id_is_refused_case_insensitively_and_the_step_can_be_retried() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        let browser = up_to_step5(&state).await;
        reg::create_account(&state, None, &browser, account("Yamada.Taro")).await.unwrap();
        // Another member (高橋) takes the same ID in another case.
        let token = invite(&state, "michiko@corp.test").await;
        let b = reg::verify_identity(&state, None, &token, &identity("michiko@corp.test", "34", "20", "1962-03-15")).await.unwrap();
        let key = reg::key_for_browser(&state, &b).await.unwrap().unwrap();
        let body = body_of(&state, "michiko@corp.test", mail::SUBJECT_M2).await;
        let b = reg::confirm_key(&state, None, &token_after(&body, "/register/confirm/"), &key).await.unwrap();
        let mut input = account("YAMADA.TARO");
        input.email = email("michiko@corp.test");
        let err = AppError::from(reg::create_account(&state, None, &b, input.clone()).await.unwrap_err());
        assert_eq!(err.field_message("login_id").as_deref(), Some(text::LOGIN_ID_TAKEN), "{}", t.name);
        input.login_id = LoginId::parse("Takahashi.M").unwrap();
        reg::create_account(&state, None, &b, input).await.unwrap();
    }
}

#[tokio::test]
async fn the_server_refuses_weak_passwords_the_browser_might_let_through() {
    let t = common::sqlite().await;
    let (state, _) = setup(&t).await;
    let browser = up_to_step5(&state).await;
    for (password, expected) in [("Password#123", text::PASSWORD_COMMON), ("Zebra#19850401", "生年月日")] {
        let mut input = account("Yamada.Taro");
        input.password = common::typed_password(password);
        let err = AppError::from(reg::create_account(&state, None, &browser, input).await.unwrap_err());
        assert!(err.field_message("password").unwrap().contains(expected), "{password}: {err:?}");
    }
}

/// Concurrent writers on one SQLite file wait for each other instead of failing with
/// SQLITE_BUSY_SNAPSHOT (transactions that read, then write, take the write lock first).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_all_succeed() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let state = state.clone();
                tokio::spawn(
                    async move { reg::start(&state, Some(&format!("10.2.0.{i}")), &email(&format!("someone{i}@corp.test"))).await },
                )
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap_or_else(|e| panic!("{}: {e:?}", t.name));
        }
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox").fetch_one(&state.db).await.unwrap();
        assert_eq!(n, 16, "{}", t.name);
    }
}

/// Address 1 is the address that received the registration mails; another address typed at
/// step 5 is only a pending change until the link mailed to it is followed.
#[tokio::test]
async fn another_address_typed_at_step_5_waits_for_its_link() {
    for t in all_dbs().await {
        let (state, _) = setup(&t).await;
        let browser = up_to_step5(&state).await;
        let mut input = account("Yamada.Taro");
        input.email = email("someone.else@example.test");
        reg::create_account(&state, None, &browser, input).await.unwrap();
        let (email1,): (String,) = sqlx::query_as("SELECT email1 FROM accounts").fetch_one(&state.db).await.unwrap();
        assert_eq!(email1, "taro@corp.test", "{}", t.name);
        let link =
            token_after(&body_of(&state, "someone.else@example.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).await, "/profile/email/");
        let (found,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM account_emails WHERE email_norm = 'someone.else@example.test'")
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(found, 0, "not an address of the account yet: {}", t.name);
        app::backend::members::settings::confirm(&state, None, &link).await.unwrap();
        let (email1,): (String,) = sqlx::query_as("SELECT email1 FROM accounts").fetch_one(&state.db).await.unwrap();
        assert_eq!(email1, "someone.else@example.test", "{}", t.name);
    }
}
