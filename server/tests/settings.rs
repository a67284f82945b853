//! プロフィール設定 and パスワード変更 against real databases (SQLite and PostgreSQL).

mod common;

use app::api::PendingLink;
use app::backend::members::login;
use app::backend::members::settings::{self, ProfileInput};
use app::backend::platform::AppState;
use app::domain::{Email, LoginId, MailPreference};
use app::error::AppError;
use app::text::settings as text;
use common::{all_dbs, body_of, mails_to, member_with_account, token_after, PASSWORD};

fn input(login_id: &str, emails: [&str; 3]) -> ProfileInput {
    ProfileInput {
        current_password: Some(PASSWORD.into()),
        login_id: LoginId::parse(login_id).unwrap(),
        nickname: "たろう".into(),
        emails: emails.map(|e| (!e.is_empty()).then(|| Email::parse(e).unwrap())),
        preferences: MailPreference::ALL.to_vec(),
    }
}

fn form_message(e: AppError) -> String {
    e.form_message().unwrap()
}

async fn addresses(state: &AppState, account: &str) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT slot, email FROM account_emails WHERE account_id = $1 ORDER BY slot")
        .bind(account)
        .fetch_all(&state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn login_id_nickname_and_mail_preferences_change_at_once() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        let mut changed = input("Taro-2026", ["taro@corp.test", "", ""]);
        changed.nickname = "タロー".into();
        changed.preferences = vec![MailPreference::MedicalExpenses, MailPreference::Applications];
        assert!(!settings::save(&state, None, &common::taro(), changed).await.unwrap(), "no address changed: no mail");
        let p = settings::load(&state, "acc1", "").await.unwrap();
        assert_eq!((p.login_id.as_str(), p.nickname.as_str()), ("Taro-2026", "タロー"), "{}", t.name);
        assert_eq!(p.preferences, vec![MailPreference::MedicalExpenses, MailPreference::Applications]);
        assert!(common::login(&state, None, "taro-2026", PASSWORD).await.is_ok(), "the new ID logs in: {}", t.name);
        assert!(common::login(&state, None, "yamada.taro", PASSWORD).await.is_err(), "the old one does not");

        // Another member's ID, in any case, is refused next to the field.
        let e = AppError::from(
            settings::save(&state, None, &common::taro(), input("SATO.hanako", ["taro@corp.test", "", ""])).await.unwrap_err(),
        );
        assert_eq!(e.field_message("login_id").as_deref(), Some(app::text::registration::LOGIN_ID_TAKEN), "{}", t.name);
        // Changing only the case of one's own ID is fine.
        settings::save(&state, None, &common::taro(), input("TARO-2026", ["taro@corp.test", "", ""])).await.unwrap();
        let events: Vec<(String,)> =
            sqlx::query_as("SELECT event FROM audit_log WHERE account_id = 'acc1'").fetch_all(&state.db).await.unwrap();
        assert!(events.iter().any(|(e,)| e == "profile_updated"));
    }
}

#[tokio::test]
async fn a_new_address_takes_effect_only_through_its_one_time_link() {
    for t in all_dbs().await {
        let (state, clock) = member_with_account(&t).await;
        assert!(settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@home.test", "", ""])).await.unwrap());
        assert_eq!(addresses(&state, "acc1").await, vec![(1, "taro@corp.test".into())], "pending only: {}", t.name);
        let p = settings::load(&state, "acc1", "").await.unwrap();
        assert_eq!((p.pending.len(), p.pending[0].slot, p.emails[0].as_str()), (1, 1, "taro@corp.test"));
        let token = token_after(&body_of(&state, "taro@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).await, "/profile/email/");
        // Saving the same form again sends no second mail.
        assert!(!settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@home.test", "", ""])).await.unwrap());
        assert_eq!(mails_to(&state, "taro@home.test").await.len(), 1);

        clock.advance(3600);
        assert_eq!(
            settings::pending_for_link(&state, &token).await.unwrap(),
            Some(PendingLink { slot: 1, email: "taro@home.test".into() })
        );
        settings::confirm(&state, None, &token).await.unwrap();
        assert_eq!(addresses(&state, "acc1").await, vec![(1, "taro@home.test".into())], "{}", t.name);
        assert!(
            body_of(&state, "taro@corp.test", app::text::mail::SUBJECT_EMAIL_CHANGED).await.contains("メールアドレス1"),
            "the old address 1 is told"
        );
        assert_eq!(
            form_message(AppError::from(settings::confirm(&state, None, &token).await.unwrap_err())),
            text::EMAIL_LINK_INVALID,
            "single use"
        );

        // An unused link expires after 24 hours.
        settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@home.test", "taro2@home.test", ""])).await.unwrap();
        let token = token_after(&body_of(&state, "taro2@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).await, "/profile/email/");
        clock.advance(settings::EMAIL_LINK_SECONDS + 1);
        assert_eq!(settings::pending_for_link(&state, &token).await.unwrap(), None);
        assert_eq!(
            form_message(AppError::from(settings::confirm(&state, None, &token).await.unwrap_err())),
            text::EMAIL_LINK_INVALID,
            "{}",
            t.name
        );
        assert_eq!(addresses(&state, "acc1").await.len(), 1);
    }
}

#[tokio::test]
async fn swapping_confirmed_addresses_and_removing_one_apply_at_once() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@corp.test", "taro@home.test", ""])).await.unwrap();
        let token = token_after(&body_of(&state, "taro@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).await, "/profile/email/");
        settings::confirm(&state, None, &token).await.unwrap();
        assert!(
            !settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@home.test", "taro@corp.test", ""])).await.unwrap(),
            "no mail for a swap"
        );
        assert_eq!(addresses(&state, "acc1").await, vec![(1, "taro@home.test".into()), (2, "taro@corp.test".into())], "{}", t.name);
        settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@home.test", "", ""])).await.unwrap();
        assert_eq!(addresses(&state, "acc1").await, vec![(1, "taro@home.test".into())], "{}", t.name);
        let notices =
            mails_to(&state, "taro@corp.test").await.into_iter().filter(|(s, _)| s == app::text::mail::SUBJECT_EMAIL_CHANGED).count();
        assert_eq!(notices, 2, "confirmation and swap told address 1 as it was: {}", t.name);
    }
}

#[tokio::test]
async fn a_pending_change_can_be_resent_or_cancelled() {
    for t in all_dbs().await {
        let (state, clock) = member_with_account(&t).await;
        settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@corp.test", "", "taro@home.test"])).await.unwrap();
        let first = token_after(&body_of(&state, "taro@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).await, "/profile/email/");
        clock.advance(1); // mails of the same second have no order
        settings::resend(&state, None, "acc1", 3).await.unwrap();
        let second = token_after(&body_of(&state, "taro@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).await, "/profile/email/");
        assert_ne!(first, second);
        assert_eq!(settings::pending_for_link(&state, &first).await.unwrap(), None, "the old link stops working: {}", t.name);
        settings::cancel(&state, None, "acc1", 3).await.unwrap();
        assert_eq!(
            form_message(AppError::from(settings::confirm(&state, None, &second).await.unwrap_err())),
            text::EMAIL_LINK_INVALID,
            "{}",
            t.name
        );
        assert_eq!(form_message(AppError::from(settings::resend(&state, None, "acc1", 3).await.unwrap_err())), text::NOTHING_PENDING);
        assert!(settings::load(&state, "acc1", "").await.unwrap().pending.is_empty());
    }
}

#[tokio::test]
async fn an_address_of_another_account_is_refused_only_to_whoever_holds_the_link() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        // The save looks like any other: it does not tell whether hanako's address is registered.
        assert!(settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@corp.test", "HANAKO@corp.test", ""]))
            .await
            .unwrap());
        let token = token_after(&body_of(&state, "HANAKO@corp.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).await, "/profile/email/");
        assert_eq!(
            form_message(AppError::from(settings::confirm(&state, None, &token).await.unwrap_err())),
            text::EMAIL_TAKEN,
            "{}",
            t.name
        );
        assert_eq!(addresses(&state, "acc1").await.len(), 1);
        assert_eq!(settings::pending_for_link(&state, &token).await.unwrap(), None, "spent");
    }
}

#[tokio::test]
async fn confirmation_mails_are_rate_limited_per_account() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@corp.test", "a@home.test", ""])).await.unwrap();
        for _ in 0..9 {
            settings::resend(&state, None, "acc1", 2).await.unwrap();
        }
        assert!(matches!(AppError::from(settings::resend(&state, None, "acc1", 2).await.unwrap_err()), AppError::Limited(_)), "{}", t.name);
        let e = AppError::from(
            settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@corp.test", "a@home.test", "b@home.test"]))
                .await
                .unwrap_err(),
        );
        assert!(matches!(e, AppError::Limited(_)), "{}", t.name);
    }
}

async fn session(state: &AppState, ip: &str) -> (String, login::SessionMember) {
    let token = common::login(state, Some(ip), "yamada.taro", PASSWORD).await.unwrap();
    let member = login::member(state, &token).await.unwrap().unwrap();
    (token, member)
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_and_sends_a_notice() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        let (other, _) = session(&state, "10.0.0.2").await;
        let (mine, member) = session(&state, "10.0.0.1").await;
        let e = AppError::from(
            settings::change_password(&state, None, &mine, &member, PASSWORD, &common::typed_password(PASSWORD)).await.unwrap_err(),
        );
        assert_eq!(e.field_message("new_password").as_deref(), Some(text::SAME_AS_CURRENT));
        let e = AppError::from(
            settings::change_password(&state, None, &mine, &member, PASSWORD, &common::typed_password("Password#1234")).await.unwrap_err(),
        );
        assert!(e.field_message("new_password").is_some(), "a common password is refused: {}", t.name);
        let e = AppError::from(
            settings::change_password(&state, None, &mine, &member, PASSWORD, &common::typed_password("Kenpo#19850401x"))
                .await
                .unwrap_err(),
        );
        assert!(e.field_message("new_password").unwrap().contains("生年月日"), "the birth date is checked on the server");

        settings::change_password(&state, Some("10.0.0.1"), &mine, &member, PASSWORD, &common::typed_password("Quiet9!River-Maple"))
            .await
            .unwrap();
        assert!(login::member(&state, &mine).await.unwrap().is_some(), "this session stays: {}", t.name);
        assert!(login::member(&state, &other).await.unwrap().is_none(), "the other one ends: {}", t.name);
        assert!(common::login(&state, None, "yamada.taro", PASSWORD).await.is_err());
        assert!(common::login(&state, None, "yamada.taro", "Quiet9!River-Maple").await.is_ok());
        body_of(&state, "taro@corp.test", app::text::mail::SUBJECT_PASSWORD_CHANGED).await;
    }
}

#[tokio::test]
async fn wrong_current_passwords_count_toward_the_login_lock() {
    for t in all_dbs().await {
        let (state, clock) = member_with_account(&t).await;
        let (mine, member) = session(&state, "10.0.0.1").await;
        let limits = state.config.login_limits;
        for n in 1..limits.lock_after {
            let e = AppError::from(
                settings::change_password(&state, None, &mine, &member, "Wrong#Pass1", &common::typed_password("Quiet9!River-Maple"))
                    .await
                    .unwrap_err(),
            );
            assert_eq!(e.field_message("current_password").as_deref(), Some(text::CURRENT_WRONG), "#{n} {}", t.name);
            clock.advance(limits.delay_seconds(n));
        }
        let e = AppError::from(
            settings::change_password(&state, None, &mine, &member, "Wrong#Pass1", &common::typed_password("Quiet9!River-Maple"))
                .await
                .unwrap_err(),
        );
        assert_eq!(form_message(e), app::text::login::LOCKED, "{}", t.name);
        // Locked for login too, and told by mail.
        assert_eq!(form_message(common::login(&state, None, "yamada.taro", PASSWORD).await.unwrap_err()), app::text::login::LOCKED);
        body_of(&state, "taro@corp.test", app::text::mail::SUBJECT_LOCKED).await;
    }
}

#[tokio::test]
async fn changing_the_login_id_or_an_address_needs_the_current_password() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        let without = |mut i: ProfileInput| {
            i.current_password = None;
            i
        };
        for change in [input("Taro-2026", ["taro@corp.test", "", ""]), input("Yamada.Taro", ["taro@corp.test", "taro@home.test", ""])] {
            let e = AppError::from(settings::save(&state, None, &common::taro(), without(change.clone())).await.unwrap_err());
            assert_eq!(e.field_message("current_password").as_deref(), Some(text::REAUTH_REQUIRED), "{}", t.name);
            let mut wrong = change.clone();
            wrong.current_password = Some("Wrong#Pass1".into());
            let e = AppError::from(settings::save(&state, None, &common::taro(), wrong).await.unwrap_err());
            assert_eq!(e.field_message("current_password").as_deref(), Some(text::REAUTH_WRONG), "{}", t.name);
        }
        // Nothing changed meanwhile, and the wrong passwords counted toward the login lock.
        assert_eq!(settings::load(&state, "acc1", "").await.unwrap().login_id, "Yamada.Taro");
        assert!(mails_to(&state, "taro@home.test").await.is_empty(), "{}", t.name);
        let (failed,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE event = 'login_failed' AND account_id = 'acc1'")
            .fetch_one(&state.db)
            .await
            .unwrap();
        assert_eq!(failed, 2, "{}", t.name);
        // The nickname, the mail preferences or removing an address need no password.
        let mut nickname = without(input("Yamada.Taro", ["taro@corp.test", "", ""]));
        nickname.nickname = "タロー".into();
        settings::save(&state, None, &common::taro(), nickname).await.unwrap();
        settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@corp.test", "taro@home.test", ""])).await.unwrap();
    }
}

/// Two accounts confirming the same new address at once: one gets it, the other is told.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_address_belongs_to_one_account_even_when_both_confirm_at_once() {
    for t in all_dbs().await {
        let (state, _) = member_with_account(&t).await;
        let hanako = login::SessionMember { account_id: "acc2".into(), login_id: "Sato.Hanako".into(), ..common::taro() };
        settings::save(&state, None, &common::taro(), input("Yamada.Taro", ["taro@corp.test", "family@home.test", ""])).await.unwrap();
        settings::save(&state, None, &hanako, input("Sato.Hanako", ["hanako@corp.test", "family@home.test", ""])).await.unwrap();
        let links: Vec<String> =
            mails_to(&state, "family@home.test").await.iter().map(|(_, body)| token_after(body, "/profile/email/")).collect();
        assert_eq!(links.len(), 2);
        let tasks: Vec<_> = links
            .into_iter()
            .map(|l| {
                let s = state.clone();
                tokio::spawn(async move { settings::confirm(&s, None, &l).await })
            })
            .collect();
        let mut won = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => won += 1,
                Err(e) => assert!(matches!(e, settings::SettingsError::EmailTaken), "{e:?} {}", t.name),
            }
        }
        assert_eq!(won, 1, "{}", t.name);
        let (owners,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM account_emails WHERE email_norm = 'family@home.test'").fetch_one(&state.db).await.unwrap();
        assert_eq!(owners, 1, "{}", t.name);
    }
}

#[tokio::test]
async fn the_member_sees_their_devices_and_ends_them() {
    for t in all_dbs().await {
        let (state, clock) = member_with_account(&t).await;
        let login = |ua: &'static str| {
            let state = state.clone();
            async move {
                login::login(
                    &state,
                    &app::backend::platform::Client { ip: Some("10.0.0.1"), user_agent: Some(ua) },
                    "yamada.taro",
                    PASSWORD,
                    &Default::default(),
                )
                .await
                .unwrap()
                .session()
                .unwrap()
            }
        };
        let phone = login("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1").await;
        clock.advance(60);
        let office = login(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
        )
        .await;
        let home = login("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0").await;
        let hanako = common::login(&state, None, "sato.hanako", PASSWORD).await.unwrap();
        let devices = settings::load(&state, "acc1", &office).await.unwrap().sessions;
        assert_eq!(devices.len(), 3, "{}", t.name);
        assert!(devices[0].current && devices[0].device == "Windows・Edge", "this device first: {devices:?}");
        assert!(devices.iter().any(|d| d.device == "iPhone・Safari" && !d.current));
        // Another account's session cannot be ended from here, even by its handle.
        let hanakos = settings::load(&state, "acc2", &hanako).await.unwrap().sessions;
        login::end_session_by_handle(&state, None, "acc1", &hanakos[0].handle).await.unwrap();
        assert!(login::member(&state, &hanako).await.unwrap().is_some(), "{}", t.name);
        let iphone = devices.iter().find(|d| d.device == "iPhone・Safari").unwrap();
        login::end_session_by_handle(&state, None, "acc1", &iphone.handle).await.unwrap();
        assert!(login::member(&state, &phone).await.unwrap().is_none(), "{}", t.name);
        login::end_other_sessions(&state, None, "acc1", &office).await.unwrap();
        assert!(login::member(&state, &home).await.unwrap().is_none(), "{}", t.name);
        assert!(login::member(&state, &office).await.unwrap().is_some(), "this device stays: {}", t.name);
        assert_eq!(settings::load(&state, "acc1", &office).await.unwrap().sessions.len(), 1);
    }
}
