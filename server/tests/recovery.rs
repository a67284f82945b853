//! ログインID・パスワード忘れた方 and the inquiry form against real databases.

mod common;

use app::backend::members::inquiry;
use app::backend::members::{login, recovery, settings};
use app::backend::platform::AppState;
use app::domain::InquiryInput;
use app::domain::{Bango, BirthDate, Email, InquiryKind, Kigo};
use app::error::AppError;

use app::text::recovery as text;
use common::{all_dbs, body_of, mails_to, member_with_account, token_after, PASSWORD};

const NEW: &str = "Quiet9!River-Maple";

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

async fn reset_token(state: &AppState, to: &str) -> String {
    token_after(&body_of(state, to, app::text::mail::SUBJECT_RESET).await, "/forgot/reset/")
}

#[tokio::test]
async fn any_registered_address_gets_the_login_id_and_a_link_that_ends_every_session() {
    for t in all_dbs().await {
        let (state, clock) = member_with_account(&t).await;
        // Address 2, confirmed through プロフィール設定.
        let profile = settings::ProfileInput {
            current_password: Some(PASSWORD.into()),
            login_id: app::domain::LoginId::parse("Yamada.Taro").unwrap(),
            nickname: "たろう".into(),
            emails: [Some(email("taro@corp.test")), Some(email("taro@home.test")), None],
            preferences: vec![],
        };
        settings::save(&state, None, &common::taro(), profile).await.unwrap();
        let confirm = token_after(&body_of(&state, "taro@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).await, "/profile/email/");
        settings::confirm(&state, None, &confirm).await.unwrap();
        let session = common::login(&state, None, "yamada.taro", PASSWORD).await.unwrap();

        recovery::request(&state, Some("10.0.0.1"), &email("TARO@home.test")).await.unwrap();
        let body = body_of(&state, "TARO@home.test", app::text::mail::SUBJECT_RESET).await;
        assert!(body.contains("ログインID： Yamada.Taro"), "{body}");
        let token = token_after(&body, "/forgot/reset/");
        assert_eq!(recovery::link_view(&state, &token).await.unwrap().map(|l| l.login_id).as_deref(), Some("Yamada.Taro"), "{}", t.name);

        // The account's rules apply (birth date), then the reset works once.
        let e = AppError::from(recovery::reset(&state, None, &token, &common::typed_password("Kenpo#19850401x"), "").await.unwrap_err());
        assert!(e.field_message("new_password").unwrap().contains("生年月日"), "{}", t.name);
        recovery::reset(&state, None, &token, &common::typed_password(NEW), "").await.unwrap();
        assert!(login::member(&state, &session).await.unwrap().is_none(), "every session ends: {}", t.name);
        assert!(common::login(&state, None, "yamada.taro", NEW).await.is_ok());
        body_of(&state, "taro@corp.test", app::text::mail::SUBJECT_PASSWORD_CHANGED).await;
        let e = AppError::from(recovery::reset(&state, None, &token, &common::typed_password("Other7#Sunny-Hill"), "").await.unwrap_err());
        assert_eq!(e.form_message().unwrap(), text::RESET_LINK_INVALID, "single use: {}", t.name);

        // Expired after 30 minutes; a newer link spends the older ones when used.
        clock.advance(1);
        recovery::request(&state, None, &email("taro@corp.test")).await.unwrap();
        let older = reset_token(&state, "taro@corp.test").await;
        clock.advance(1);
        recovery::request(&state, None, &email("taro@corp.test")).await.unwrap();
        let newer = reset_token(&state, "taro@corp.test").await;
        assert_ne!(older, newer);
        recovery::reset(&state, None, &newer, &common::typed_password("Other7#Sunny-Hill"), "").await.unwrap();
        assert_eq!(recovery::link_view(&state, &older).await.unwrap(), None, "{}", t.name);
        clock.advance(3600);
        recovery::request(&state, None, &email("taro@corp.test")).await.unwrap();
        let late = reset_token(&state, "taro@corp.test").await;
        clock.advance(recovery::LINK_SECONDS + 1);
        assert_eq!(
            AppError::from(recovery::reset(&state, None, &late, &common::typed_password("Third8#Quiet-Lake"), "").await.unwrap_err())
                .form_message()
                .unwrap(),
            text::RESET_LINK_INVALID
        );
    }
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_and_a_mail_pointing_to_the_inquiry_form() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        recovery::request(&state, None, &email("stranger@example.test")).await.unwrap();
        let body = body_of(&state, "stranger@example.test", app::text::mail::SUBJECT_RESET_UNKNOWN).await;
        assert!(body.contains("/inquiry"), "{body}");
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM password_resets").fetch_one(&state.db).await.unwrap();
        assert_eq!(n, 0, "{}", t.name);
    }
}

#[tokio::test]
async fn a_reset_lifts_the_login_lock() {
    for t in all_dbs().await {
        let (state, clock) = member_with_account(&t).await;
        let limits = state.config.login_limits;
        for n in 1..=limits.lock_after {
            let _ = common::login(&state, Some(&format!("10.0.{n}.1")), "yamada.taro", "Wrong#Pass1").await;
            clock.advance(limits.delay_seconds(n));
        }
        assert_eq!(
            common::login(&state, None, "yamada.taro", PASSWORD).await.unwrap_err().form_message().unwrap(),
            app::text::login::LOCKED
        );
        recovery::request(&state, None, &email("taro@corp.test")).await.unwrap();
        recovery::reset(&state, None, &reset_token(&state, "taro@corp.test").await, &common::typed_password(NEW), "").await.unwrap();
        assert!(common::login(&state, None, "yamada.taro", NEW).await.is_ok(), "{}", t.name);
    }
}

#[tokio::test]
async fn requests_are_limited_per_address_silently() {
    for t in all_dbs().await {
        let (state, clock) = member_with_account(&t).await;
        for _ in 0..5 {
            recovery::request(&state, Some("10.0.0.1"), &email("taro@corp.test")).await.unwrap();
        }
        assert_eq!(mails_to(&state, "taro@corp.test").await.len() as i64, recovery::MAILS_PER_ADDRESS_PER_HOUR, "{}", t.name);
        let (dropped,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE event = 'forgot_mail_dropped'").fetch_one(&state.db).await.unwrap();
        assert_eq!(dropped, 2, "{}", t.name);
        clock.advance(3601);
        recovery::request(&state, Some("10.0.0.1"), &email("taro@corp.test")).await.unwrap();
        assert_eq!(
            mails_to(&state, "taro@corp.test").await.len() as i64,
            recovery::MAILS_PER_ADDRESS_PER_HOUR + 1,
            "a new hour: {}",
            t.name
        );
    }
}

fn inquiry_input(mail: &str) -> InquiryInput {
    InquiryInput {
        kind: InquiryKind::PaperLost,
        name: "鈴木 一郎".into(),
        kigo: Kigo::parse("34").unwrap(),
        bango: Bango::parse("20").unwrap(),
        birth_date: BirthDate::parse("1960-02-03").unwrap(),
        email: email(mail),
        phone: Some("03-1234-5678".into()),
        body: "紙の通知をなくしました。".into(),
    }
}

#[tokio::test]
async fn an_inquiry_is_stored_mailed_to_staff_acknowledged_and_closed() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        let reference = inquiry::submit(&state, Some("10.0.0.1"), &inquiry_input("ichiro@home.test")).await.unwrap();
        assert!(reference.starts_with("Q-2026") && reference.len() == 15, "{reference}");
        let staff = body_of(&state, "madoguchi@kenpo.test", &format!("【問い合わせ】{reference} 紙通知を紛失した")).await;
        assert!(staff.contains("34-20") && staff.contains("紙の通知をなくしました。") && staff.contains("03-1234-5678"), "{staff}");
        let ack = body_of(&state, "ichiro@home.test", app::text::mail::SUBJECT_INQUIRY_ACK).await;
        assert!(ack.contains(&reference), "{ack}");
        assert!(!ack.contains("紙の通知をなくしました") && !ack.contains("鈴木"), "nothing typed is echoed: {ack}");

        let open = inquiry::list(&state.db, false).await.unwrap();
        assert_eq!(open.len(), 1, "{}", t.name);
        assert_eq!((open[0].reference.as_str(), open[0].name.as_str()), (reference.as_str(), "鈴木 一郎"));
        assert!(inquiry::close(&state.db, &reference.to_lowercase(), 1).await.unwrap());
        assert!(!inquiry::close(&state.db, &reference, 2).await.unwrap(), "already closed");
        assert!(inquiry::list(&state.db, false).await.unwrap().is_empty());
        assert_eq!(inquiry::list(&state.db, true).await.unwrap().len(), 1, "{}", t.name);
    }
}

#[tokio::test]
async fn inquiries_are_rate_limited_and_kept_while_smtp_is_down() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        for i in 0..inquiry::PER_ADDRESS_PER_HOUR {
            inquiry::submit(&state, Some(&format!("10.0.0.{i}")), &inquiry_input("ichiro@home.test")).await.unwrap();
        }
        let e = inquiry::submit(&state, Some("10.0.1.1"), &inquiry_input("ichiro@home.test")).await.unwrap_err();
        assert!(matches!(e, inquiry::InquiryError::TooMany), "per address: {}", t.name);
        for i in 0..inquiry::PER_CLIENT_PER_HOUR {
            inquiry::submit(&state, Some("10.0.2.1"), &inquiry_input(&format!("p{i}@home.test"))).await.unwrap();
        }
        let e = inquiry::submit(&state, Some("10.0.2.1"), &inquiry_input("other@home.test")).await.unwrap_err();
        assert!(matches!(e, inquiry::InquiryError::TooMany), "per client: {}", t.name);
        // Nothing was delivered (no worker runs here): every mail waits in the outbox.
        let (waiting,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL").fetch_one(&state.db).await.unwrap();
        let stored = inquiry::list(&state.db, false).await.unwrap().len() as i64;
        assert_eq!(waiting, stored * 2, "{}", t.name);
    }
}
