//! 2段階認証 for members (`pages::two_step`, `backend::two_step`): enrolment with its backup codes
//! shown once, the code after the password (spent once, also when sent at once; counted toward
//! the lock), the forgot flow asking for it, turning it off, `MEMBER_2FA=required`, and the
//! staff's reset — through the server functions' URLs of a running portal, SQLite and PostgreSQL.

mod common;

use app::api::SecurityData;
use app::backend::identity::totp;
use app::domain::StaffRole;
use app::pages::login::{LoadHome, Login};
use app::pages::recovery::{RequestReset, ResetLink, ResetPassword};
use app::pages::staff::members::ActOnMember;
use app::pages::two_step::{DisableTwoStep, EnrolTwoStep, LoadSecurity, LoginCode, RenewBackupCodes};
use app::text::mail::{SUBJECT_RESET, SUBJECT_TWO_STEP};
use app::text::two_step as text;
use common::spawn::{fields, form_message, spawn_app, spawn_app_with, Browser, Enc, TestApp};
use common::{all_dbs, PASSWORD};
use leptos::server_fn::ServerFn;

const NEW: &str = "Quiet9!River-Maple";

fn now(app: &TestApp) -> i64 {
    app::backend::platform::Clock::now(app.state.clock.as_ref())
}

/// A browser after the password of 山田 太郎: on the code page when enrolled.
async fn password_step(app: &TestApp, password: &str) -> (Browser, common::spawn::Answer) {
    let browser = app.browser();
    let answer = browser.call::<Login>(Enc::Form, "/", &[("next", "/profile"), ("login_id", "yamada.taro"), ("password", password)]).await;
    (browser, answer)
}

/// Enrols 山田 太郎 from セキュリティ設定; returns the secret and the backup codes shown.
async fn enrol(app: &TestApp, browser: &Browser) -> (String, Vec<String>) {
    let data: SecurityData = browser.load::<LoadSecurity, _>(&[]).await;
    assert!(!data.enrolled && data.qr.as_deref().is_some_and(|q| q.starts_with("data:image/svg+xml;base64,")), "{data:?}");
    let secret = data.secret.unwrap().replace(' ', "");
    let again: SecurityData = browser.load::<LoadSecurity, _>(&[]).await;
    assert_eq!(again.secret.unwrap().replace(' ', ""), secret, "the page opened again (a wrong code) shows the key already scanned");
    let (elsewhere, _) = password_step(app, PASSWORD).await;
    let other: SecurityData = elsewhere.load::<LoadSecurity, _>(&[]).await;
    assert_ne!(other.secret.unwrap().replace(' ', ""), secret, "another session of the member never sees the same key");
    let page = browser.get("/security").await;
    assert!(page.body.contains(text::STEP_SCAN) && page.body.contains(&format!("action=\"{}\"", EnrolTwoStep::PATH)));
    let wrong = format!("{:06}", (totp::code_at(&secret, now(app)).unwrap().parse::<u32>().unwrap() + 1) % 1_000_000);
    let e = browser.call::<EnrolTwoStep>(Enc::Form, "/security", &[("enrol_password", PASSWORD), ("code", &wrong)]).await.refused(422);
    assert_eq!(fields(&e), vec![("code".to_string(), text::CODE_WRONG.to_string())]);
    // Full-width digits, as a phone keyboard may give them.
    let code: String = totp::code_at(&secret, now(app)).unwrap().chars().map(|d| char::from_u32(d as u32 + 0xfee0).unwrap()).collect();
    // Four confirmations at once: one enrolment, one set of backup codes.
    let form = [("enrol_password", PASSWORD), ("code", code.as_str())];
    let answers = futures::future::join_all((0..4).map(|_| browser.call::<EnrolTwoStep>(Enc::Js, "/security", &form))).await;
    let (done, refused): (Vec<_>, Vec<_>) = answers.into_iter().partition(|a| a.status == 200);
    assert_eq!(done.len(), 1);
    done[0].went_to("/security/codes");
    refused.into_iter().for_each(|a| assert_eq!(form_message(&a.refused(422)), text::ALREADY_ON));
    let shown = browser.get("/security/codes").await;
    assert_eq!(shown.status, 200);
    let codes: Vec<String> = shown.body.match_indices("<li><code>").map(|(i, _)| shown.body[i + 10..i + 21].to_string()).collect();
    assert_eq!(codes.len(), 10, "{}", shown.body);
    assert!(browser.get("/security/codes").await.body.contains(text::CODES_GONE), "shown once");
    (secret, codes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrolled_member_logs_in_with_a_code_spent_once_or_a_backup_code() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        // A right password counts until its code is right too: no waiting between the many logins here.
        let app = spawn_app_with(&t, |c| c.login_limits.delay_after = 100).await;
        app.with_members().await;
        let (browser, answer) = password_step(&app, PASSWORD).await;
        answer.went_to("/profile");
        let (secret, backup) = enrol(&app, &browser).await;
        app.mail(common::spawn::TARO.email, SUBJECT_TWO_STEP).await;
        let profile = browser.get("/profile").await.body;
        assert!(profile.contains(text::ON), "プロフィール設定 shows it");

        // The password alone opens no session: the code page, with a cookie of its own.
        let (other, answer) = password_step(&app, PASSWORD).await;
        answer.went_to("/login/code");
        assert!(answer.set_cookie("portal_session").is_none() && answer.set_cookie("portal_login_code").is_some());
        assert_eq!(other.get("/home").await.location(), "/?next=/home", "no session yet");
        let page = other.get("/login/code").await;
        assert!(page.body.contains(&format!("action=\"{}\"", LoginCode::PATH)), "{}", page.body);
        let e = other.call::<LoginCode>(Enc::Js, "/login/code", &[("code", "")]).await.refused(422);
        assert_eq!(fields(&e), vec![("code".to_string(), text::CODE_REQUIRED.to_string())]);
        let e = other.call::<LoginCode>(Enc::Js, "/login/code", &[("code", "000000")]).await.refused(422);
        assert_eq!(fields(&e), vec![("code".to_string(), text::CODE_WRONG.to_string())], "{}", app.db);

        // The enrolment's own code was spent there: the next step's code logs in, once.
        app.clock.advance(30);
        let code = totp::code_at(&secret, now(&app)).unwrap();
        let done = other.call::<LoginCode>(Enc::Form, "/login/code", &[("code", &code)]).await;
        done.went_to("/profile");
        assert!(done.set_cookie("portal_session").is_some());
        let _: app::api::HomeData = other.load::<LoadHome, _>(&[]).await;
        let (third, answer) = password_step(&app, PASSWORD).await;
        answer.went_to("/login/code");
        let e = third.call::<LoginCode>(Enc::Js, "/login/code", &[("code", &code)]).await.refused(422);
        assert_eq!(fields(&e), vec![("code".to_string(), text::CODE_WRONG.to_string())], "a replayed code");

        // A backup code works once, typed as shown or in capitals without the hyphen.
        third.call::<LoginCode>(Enc::Js, "/login/code", &[("code", &backup[0].to_uppercase().replace('-', ""))]).await.went_to("/profile");
        let (fourth, _) = password_step(&app, PASSWORD).await;
        let e = fourth.call::<LoginCode>(Enc::Js, "/login/code", &[("code", &backup[0])]).await.refused(422);
        assert_eq!(fields(&e), vec![("code".to_string(), text::CODE_WRONG.to_string())]);

        // Four waiting logins send the same new code at once: one session.
        app.clock.advance(30);
        let code = totp::code_at(&secret, now(&app)).unwrap();
        let mut waiting = Vec::new();
        for _ in 0..4 {
            let (b, answer) = password_step(&app, PASSWORD).await;
            answer.went_to("/login/code");
            waiting.push(b);
        }
        let form = [("code", code.as_str())];
        let answers = futures::future::join_all(waiting.iter().map(|b| b.call::<LoginCode>(Enc::Js, "/login/code", &form))).await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1, "{}", app.db);
        assert_eq!(answers.iter().filter(|a| a.status == 422).count(), 3);

        // The waiting login ends after five minutes.
        let (late, _) = password_step(&app, PASSWORD).await;
        app.clock.advance(app::backend::members::two_step::PENDING_SECONDS + 1);
        let code = totp::code_at(&secret, now(&app)).unwrap();
        let e = late.call::<LoginCode>(Enc::Js, "/login/code", &[("code", &code)]).await.refused(410);
        assert_eq!(e, app::error::AppError::Gone(text::LOGIN_CODE_EXPIRED.into()));
        assert!(late.get("/login/code").await.body.contains(text::LOGIN_CODE_EXPIRED));
        let audited = app.audit_events().await;
        assert!(audited.contains(&"two_step_enabled".to_string()) && audited.contains(&"login_failed".to_string()), "{audited:?}");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_count_toward_the_lock_and_the_reset_link_asks_for_a_code_too() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app_with(&t, |c| {
            c.login_limits = app::backend::platform::config::LoginLimits { delay_after: 100, lock_after: 4, lock_seconds: 900 }
        })
        .await;
        app.with_members().await;
        let (browser, _) = password_step(&app, PASSWORD).await;
        let (secret, _) = enrol(&app, &browser).await;

        // Password (1), wrong code (2), wrong code (3), wrong code (4): locked, also for the password.
        let (b, _) = password_step(&app, PASSWORD).await;
        for _ in 0..2 {
            b.call::<LoginCode>(Enc::Js, "/login/code", &[("code", "111111")]).await.refused(422);
        }
        let e = b.call::<LoginCode>(Enc::Js, "/login/code", &[("code", "111111")]).await.refused(422);
        assert_eq!(form_message(&e), app::text::login::LOCKED, "{}", app.db);
        let (_, answer) = password_step(&app, PASSWORD).await;
        assert_eq!(form_message(&answer.refused(422)), app::text::login::LOCKED);

        // The forgot flow: the link's page asks for the code; without it nothing changes.
        app.clock.advance(901);
        let forgot = app.browser();
        forgot.call::<RequestReset>(Enc::Form, "/forgot", &[("email", common::spawn::TARO.email)]).await.went_to("/forgot/sent");
        let token = app.token_in(&app.mail(common::spawn::TARO.email, SUBJECT_RESET).await, "/forgot/reset/");
        let link = format!("/forgot/reset/{token}");
        let view: Option<app::api::ResetLinkView> = forgot.load::<ResetLink, _>(&[("token", &token)]).await;
        assert!(view.is_some_and(|v| v.needs_code));
        assert!(forgot.get(&link).await.body.contains(text::RESET_CODE_HINT));
        let form = |code: &str| {
            vec![("token", token.clone()), ("new_password", NEW.into()), ("confirm_password", NEW.into()), ("code", code.to_string())]
        };
        let call = |code: String| {
            let f = form(&code);
            let forgot = &forgot;
            let link = link.clone();
            async move {
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                forgot.call::<ResetPassword>(Enc::Js, &link, &f).await
            }
        };
        let e = call(String::new()).await.refused(422);
        assert_eq!(fields(&e), vec![("code".to_string(), text::CODE_WRONG.to_string())], "{}", app.db);
        password_step(&app, PASSWORD).await.1.went_to("/login/code");
        call(totp::code_at(&secret, now(&app)).unwrap()).await.went_to("/forgot/done");
        let (_, answer) = password_step(&app, PASSWORD).await;
        assert_eq!(form_message(&answer.refused(422)), app::text::login::WRONG, "the new password only");
        password_step(&app, NEW).await.1.went_to("/login/code");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_it_off_needs_the_password_and_a_code_and_backup_codes_can_be_renewed() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let (browser, _) = password_step(&app, PASSWORD).await;
        let (secret, old_backup) = enrol(&app, &browser).await;

        let renew = |password: &'static str, code: String| {
            let browser = &browser;
            async move { browser.call::<RenewBackupCodes>(Enc::Js, "/security", &[("current_password", password), ("renew_code", &code)]).await }
        };
        let e = renew("nope", old_backup[0].clone()).await.refused(422);
        assert_eq!(fields(&e), vec![("current_password".to_string(), app::text::settings::REAUTH_WRONG.to_string())]);
        // The password alone renews nothing: a code (or backup code) too.
        let e = renew(PASSWORD, String::new()).await.refused(422);
        assert_eq!(fields(&e), vec![("renew_code".to_string(), text::CODE_REQUIRED.to_string())]);
        let e = renew(PASSWORD, "000000".into()).await.refused(422);
        assert_eq!(fields(&e), vec![("renew_code".to_string(), text::CODE_WRONG.to_string())]);
        let e = renew("nope", old_backup[0].clone()).await.refused(422);
        assert_eq!(fields(&e).len(), 1, "a wrong password spends no backup code");
        renew(PASSWORD, old_backup[0].clone()).await.went_to("/security/codes");
        assert_eq!(browser.get("/security/codes").await.body.matches("<li><code>").count(), 10);

        let e = browser.call::<DisableTwoStep>(Enc::Js, "/security", &[("password", ""), ("code", "")]).await.refused(422);
        assert_eq!(fields(&e).len(), 2);
        let e = browser.call::<DisableTwoStep>(Enc::Js, "/security", &[("password", "nope"), ("code", "123456")]).await.refused(422);
        assert_eq!(fields(&e), vec![("password".to_string(), app::text::settings::REAUTH_WRONG.to_string())]);
        let e =
            browser.call::<DisableTwoStep>(Enc::Js, "/security", &[("password", PASSWORD), ("code", &old_backup[1])]).await.refused(422);
        assert_eq!(fields(&e), vec![("code".to_string(), text::CODE_WRONG.to_string())], "the old backup codes were replaced");
        app.clock.advance(30);
        let code = totp::code_at(&secret, now(&app)).unwrap();
        browser
            .call::<DisableTwoStep>(Enc::Form, "/security", &[("password", PASSWORD), ("code", &code)])
            .await
            .went_to("/security?disabled=1");
        let data: SecurityData = browser.load::<LoadSecurity, _>(&[]).await;
        assert!(!data.enrolled && data.qr.is_some(), "a new key to scan");
        password_step(&app, PASSWORD).await.1.went_to("/profile");
        let events = app.audit_events().await;
        for e in ["two_step_enabled", "two_step_backup_codes_renewed", "two_step_disabled"] {
            assert!(events.contains(&e.to_string()), "{e}: {events:?}");
        }
        assert!(
            app.nth_mail(common::spawn::TARO.email, SUBJECT_TWO_STEP, 3).await.body().contains("解除しました"),
            "one notice per change"
        );
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn required_by_the_society_it_comes_first_and_staff_can_reset_it() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app_with(&t, |c| c.member_2fa_required = true).await;
        app.with_members().await;
        let (browser, answer) = password_step(&app, PASSWORD).await;
        answer.went_to("/profile");
        assert_eq!(browser.get("/profile").await.location(), "/security", "{}", app.db);
        browser.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/security");
        assert!(browser.get("/security").await.body.contains(text::REQUIRED_LEAD));
        let (secret, _) = enrol(&app, &browser).await;
        assert_eq!(browser.get("/profile").await.status, 200);
        app.clock.advance(30);
        let code = totp::code_at(&secret, now(&app)).unwrap();
        let e = browser.call::<DisableTwoStep>(Enc::Js, "/security", &[("password", PASSWORD), ("code", &code)]).await.refused(422);
        assert_eq!(form_message(&e), text::REQUIRED_NO_DISABLE);

        // Lost phone and backup codes: a 担当者 asks, a 管理者 approves; sessions end; enrolment
        // comes first again. Never a self-service downgrade.
        let (agent, _) = common::staff::staff_browser(&app, "madoguchi@kenpo.test", StaffRole::Agent).await;
        let act = [("kigo", "12"), ("bango", "345"), ("action", "two-step-reset"), ("reason", "問い合わせ#12 本人確認済み")];
        let asked = agent.call::<ActOnMember>(Enc::Js, "/staff/members/12/345/two-step-reset", &act).await;
        asked.went_to("/staff/members/12/345?requested=two-step-reset");
        assert_eq!(browser.get("/profile").await.status, 200, "nothing happens on a request alone");
        let (admin, _) = common::staff::staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        let open: app::pages::staff::approvals::ApprovalsData = admin.load::<app::pages::staff::approvals::LoadApprovals, _>(&[]).await;
        let decision = [("id", open.open[0].id.as_str()), ("decision", "approve"), ("note", "記録と照合")];
        admin
            .call::<app::pages::staff::approvals::DecideRequest>(Enc::Js, "/staff/approvals", &decision)
            .await
            .went_to("/staff/approvals?done=1");
        let again = agent.call::<ActOnMember>(Enc::Js, "/staff/members/12/345/two-step-reset", &act).await.refused(422);
        assert_eq!(form_message(&again), app::text::staff::NO_TWO_STEP);
        assert_eq!(browser.get("/profile").await.location(), "/?next=/profile&ended=1", "logged out");
        let (b, answer) = password_step(&app, PASSWORD).await;
        answer.went_to("/profile");
        assert_eq!(b.get("/home").await.location(), "/security");
        assert!(app.nth_mail(common::spawn::TARO.email, SUBJECT_TWO_STEP, 2).await.body().contains("健康保険組合が解除しました"));
        assert!(app.audit_events().await.contains(&"staff_two_step_reset".to_string()));
        app.stop().await;
    }
}

/// Logs 山田 太郎 in on another browser with the password and a fresh code: a second session.
async fn second_session(app: &TestApp, secret: &str) -> Browser {
    app.clock.advance(30);
    let (other, answer) = password_step(app, PASSWORD).await;
    answer.went_to("/login/code");
    let code = totp::code_at(secret, now(app)).unwrap();
    other.call::<LoginCode>(Enc::Form, "/login/code", &[("code", &code)]).await.went_to("/profile");
    assert_eq!(other.get("/profile").await.status, 200);
    other
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_at_turning_it_off_lock_the_id_even_with_the_right_password_and_changes_end_other_sessions() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let (browser, _) = password_step(&app, PASSWORD).await;
        // Enrolment asks for the current password: a stolen session alone binds no authenticator.
        let data: SecurityData = browser.load::<LoadSecurity, _>(&[]).await;
        let code = totp::code_at(&data.secret.unwrap().replace(' ', ""), now(&app)).unwrap();
        let form = [("enrol_password", "Wrong#Pass-123"), ("code", code.as_str())];
        let e = browser.call::<EnrolTwoStep>(Enc::Form, "/security", &form).await.refused(422);
        assert_eq!(fields(&e), vec![("enrol_password".to_string(), app::text::settings::REAUTH_WRONG.to_string())]);
        let (secret, backup) = enrol(&app, &browser).await;

        // Renewing the backup codes ends every other session (one may be a thief's).
        let other = second_session(&app, &secret).await;
        browser
            .call::<RenewBackupCodes>(Enc::Form, "/security", &[("current_password", PASSWORD), ("renew_code", &backup[0])])
            .await
            .went_to("/security/codes");
        assert_eq!(other.get("/profile").await.location(), "/?next=/profile&ended=1", "{}", app.db);
        assert_eq!(browser.get("/profile").await.status, 200, "this session stays");

        // One after another: the right password never lifts the count of wrong codes.
        let mut last = None;
        for _ in 0..11 {
            app.clock.advance(40);
            let e = browser.call::<DisableTwoStep>(Enc::Js, "/security", &[("password", PASSWORD), ("code", "000000")]).await.refused(422);
            last = Some(e);
        }
        assert_eq!(form_message(&last.unwrap()), app::text::login::LOCKED, "{}", app.db);
        app.mail(common::spawn::TARO.email, app::text::mail::SUBJECT_LOCKED).await;
        let (_, answer) = password_step(&app, PASSWORD).await;
        assert_eq!(form_message(&answer.refused(422)), app::text::login::LOCKED, "the login is locked too");

        // Twenty at once after the lock ran out: counted each, locked again, a second notice.
        app.clock.advance(901);
        let form = [("password", PASSWORD), ("code", "000000")];
        let answers = futures::future::join_all((0..20).map(|_| browser.call::<DisableTwoStep>(Enc::Js, "/security", &form))).await;
        assert!(answers.iter().all(|a| a.status == 422), "{}", app.db);
        let (_, answer) = password_step(&app, PASSWORD).await;
        assert_eq!(form_message(&answer.refused(422)), app::text::login::LOCKED, "{}", app.db);
        app.nth_mail(common::spawn::TARO.email, app::text::mail::SUBJECT_LOCKED, 2).await;
        let data: SecurityData = browser.load::<LoadSecurity, _>(&[]).await;
        assert!(data.enrolled, "still on");

        // Turning it off with both factors (after the lock) ends the other sessions too.
        app.clock.advance(901);
        let other = second_session(&app, &secret).await;
        app.clock.advance(30);
        let code = totp::code_at(&secret, now(&app)).unwrap();
        browser
            .call::<DisableTwoStep>(Enc::Form, "/security", &[("password", PASSWORD), ("code", &code)])
            .await
            .went_to("/security?disabled=1");
        assert_eq!(other.get("/profile").await.location(), "/?next=/profile&ended=1");
        app.stop().await;
    }
}
