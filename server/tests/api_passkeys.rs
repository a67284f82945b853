//! パスキー through the server functions `public/passkey.js` calls, with a software
//! authenticator (`common::passkey`), on SQLite and PostgreSQL: registration after the password
//! (and an existing passkey for the next change), the login with the passkey alone, the second
//! step after the password, replayed and concurrent finishes, a removed passkey refused, and a
//! forged assertion counted toward the login ID's lock.

mod common;

use app::api::PasskeyStep;
use app::pages::login::Login;
use app::pages::passkeys::{PasskeyChange, PasskeyChangeFinish, PasskeyLogin, PasskeyLoginFinish, PasskeySecond, PasskeySecondFinish};
use app::text::passkey as text;
use common::passkey::Authenticator;
use common::spawn::{form_message, spawn_app_with, Browser, Enc, TestApp};
use common::{all_dbs, PASSWORD};

async fn step<F: leptos::server_fn::ServerFn>(browser: &Browser, page: &str, fields: &[(&str, &str)]) -> PasskeyStep {
    let answer = browser.call::<F>(Enc::Js, page, fields).await;
    assert_eq!(answer.status, 200, "{}: {}", F::PATH, answer.body);
    answer.json()
}

async fn logged_in(app: &TestApp) -> Browser {
    let browser = app.browser_on_public_url();
    browser.call::<Login>(Enc::Js, "/", &[("next", "/home"), ("login_id", "yamada.taro"), ("password", PASSWORD)]).await.went_to("/home");
    browser
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.state.db).await.unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_registers_a_passkey_logs_in_with_it_and_removes_it() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        // A passkey's relying party is a domain name: the portal is reached as localhost.
        let app = spawn_app_with(&t, |c| c.public_url = c.public_url.replace("127.0.0.1", "localhost")).await;
        app.with_members().await;
        let mut phone = Authenticator::new(&app.state.config.public_url, 7);
        let browser = logged_in(&app).await;

        let page = browser.get("/security").await;
        assert!(page.body.contains(text::TITLE) && page.body.contains("/passkey.js") && page.body.contains(text::NONE), "{}", page.body);

        // The password first (a stolen session alone registers nothing).
        let add = [("name", "  私のスマートフォン "), ("remove", ""), ("current_password", "Wrong#Password1")];
        let e = browser.call::<PasskeyChange>(Enc::Js, "/security", &add).await.refused(422);
        assert_eq!(e.field_message("current_password").as_deref(), Some(app::text::settings::REAUTH_WRONG), "{}", app.db);
        let e = browser
            .call::<PasskeyChange>(Enc::Js, "/security", &[("name", ""), ("remove", ""), ("current_password", PASSWORD)])
            .await
            .refused(422);
        assert_eq!(e.field_message("name").as_deref(), Some(text::NAME_REQUIRED));

        let add = [("name", "  私のスマートフォン "), ("remove", ""), ("current_password", PASSWORD)];
        let created = step::<PasskeyChange>(&browser, "/security", &add).await;
        let response = phone.create(created.create.as_deref().expect("creation options"));
        let done = step::<PasskeyChangeFinish>(&browser, "/security", &[("response", &response)]).await;
        assert!(done.done, "{done:?}");
        // The same answer again: the ceremony was spent.
        let e = browser.call::<PasskeyChangeFinish>(Enc::Js, "/security", &[("response", &response)]).await.refused(422);
        assert_eq!(form_message(&e), text::FAILED);
        let (name, eligible): (String, i64) =
            sqlx::query_as("SELECT name, backup_eligible FROM passkeys").fetch_one(&app.state.db).await.unwrap();
        assert_eq!((name.as_str(), eligible), ("私のスマートフォン", 0), "{}", app.db);
        let mail = app.mail("taro@corp.test", app::text::mail::SUBJECT_TWO_STEP).await;
        assert!(mail.body().contains(app::text::mail::PASSKEY_ADDED), "{}", mail.body());
        let page = browser.get("/security").await;
        assert!(page.body.contains("私のスマートフォン") && page.body.contains(text::SYNCED_NO), "{}", page.body);

        // 「パスキーでログイン」: no ID typed; the session opens where the login page was asked to go.
        let other = app.browser_on_public_url();
        let asked = step::<PasskeyLogin>(&other, "/", &[("next", "/medical")]).await;
        let assertion = phone.get(asked.get.as_deref().expect("request options"));
        let went = step::<PasskeyLoginFinish>(&other, "/", &[("response", &assertion)]).await;
        assert_eq!(went.go.as_deref(), Some("/medical"), "{}", app.db);
        assert_eq!(other.get("/home").await.status, 200, "{}", app.db);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM passkeys WHERE last_used_at IS NOT NULL AND sign_count = 2").await, 1, "{}", app.db);
        // Replayed: the ceremony is gone (and so is its cookie).
        other.set_cookie("portal_passkey", "replayed");
        let e = other.call::<PasskeyLoginFinish>(Enc::Js, "/", &[("response", &assertion)]).await.refused(422);
        assert_eq!(form_message(&e), text::FAILED);

        // A ceremony lives five minutes.
        let slow = app.browser_on_public_url();
        let asked = step::<PasskeyLogin>(&slow, "/", &[("next", "/home")]).await;
        app.clock.advance(5 * 60 + 1);
        let e =
            slow.call::<PasskeyLoginFinish>(Enc::Js, "/", &[("response", &phone.get(asked.get.as_deref().unwrap()))]).await.refused(422);
        assert_eq!(form_message(&e), text::FAILED, "expired: {}", app.db);

        // Two finishes of one ceremony at once: one session.
        let racer = app.browser_on_public_url();
        let asked = step::<PasskeyLogin>(&racer, "/", &[("next", "/home")]).await;
        let assertion = phone.get(asked.get.as_deref().unwrap());
        let cookie = racer.cookie("portal_passkey").expect("the ceremony's cookie");
        let browsers: Vec<Browser> = (0..5).map(|_| app.browser_on_public_url()).collect();
        browsers.iter().for_each(|b| b.set_cookie("portal_passkey", &cookie));
        let sessions_before = count(&app, "SELECT COUNT(*) FROM sessions").await;
        let fields = [("response", assertion.as_str())];
        let answers = futures::future::join_all(browsers.iter().map(|b| b.call::<PasskeyLoginFinish>(Enc::Js, "/", &fields))).await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1, "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
        assert_eq!(count(&app, "SELECT COUNT(*) FROM sessions").await, sessions_before + 1, "{}", app.db);

        // The password now asks a second step: the passkey in place of a code.
        let second = app.browser_on_public_url();
        second
            .call::<Login>(Enc::Js, "/", &[("next", "/home"), ("login_id", "Yamada.Taro"), ("password", PASSWORD)])
            .await
            .went_to("/login/code");
        let page = second.get("/login/code").await;
        assert!(page.body.contains(text::SECOND_BUTTON) && !page.body.contains("name=\"code\""), "a passkey, no app: {}", page.body);
        // A forged assertion (another key under this credential's id) counts toward the ID's lock.
        let asked = step::<PasskeySecond>(&second, "/login/code", &[("next", "")]).await;
        let mut forger = Authenticator::new(&app.state.config.public_url, 9);
        forger.cred_id = phone.cred_id.clone();
        let e = second
            .call::<PasskeySecondFinish>(Enc::Js, "/login/code", &[("response", &forger.get(asked.get.as_deref().unwrap()))])
            .await
            .refused(422);
        assert_eq!(form_message(&e), text::FAILED);
        assert_eq!(
            count(&app, "SELECT COALESCE(MAX(failures), 0) FROM login_throttle WHERE key LIKE 'login-id:%'").await,
            2,
            "password + forgery: {}",
            app.db
        );
        let asked = step::<PasskeySecond>(&second, "/login/code", &[("next", "")]).await;
        let went = step::<PasskeySecondFinish>(&second, "/login/code", &[("response", &phone.get(asked.get.as_deref().unwrap()))]).await;
        assert_eq!(went.go.as_deref(), Some("/home"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM login_throttle WHERE key LIKE 'login-id:%'").await, 0, "lifted: {}", app.db);

        // Removing it: the password and the passkey itself (the member's only other factor).
        let (id,): (String,) = sqlx::query_as("SELECT id FROM passkeys").fetch_one(&app.state.db).await.unwrap();
        let remove = [("name", ""), ("remove", id.as_str()), ("current_password", PASSWORD)];
        let confirm = step::<PasskeyChange>(&second, "/security", &remove).await;
        let done = step::<PasskeyChangeFinish>(
            &second,
            "/security",
            &[("response", &phone.get(confirm.get.as_deref().expect("an existing passkey first")))],
        )
        .await;
        assert!(done.done);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM passkeys").await, 0, "{}", app.db);
        // Changing a factor ends the member's other sessions.
        assert_eq!(browser.get("/home").await.status, 302, "{}", app.db);

        // A removed passkey logs nobody in.
        let late = app.browser_on_public_url();
        let asked = step::<PasskeyLogin>(&late, "/", &[("next", "/home")]).await;
        let e =
            late.call::<PasskeyLoginFinish>(Enc::Js, "/", &[("response", &phone.get(asked.get.as_deref().unwrap()))]).await.refused(422);
        assert_eq!(form_message(&e), text::FAILED);
        let events = app.audit_events().await;
        assert!(events.contains(&"passkey_added".to_string()) && events.contains(&"passkey_removed".to_string()), "{events:?}");
        app.stop().await;
    }
}

/// A staff member adds a passkey (password + code), logs in with password + passkey, and a
/// society with `STAFF_REQUIRE_PASSKEY=true` sends one without a passkey to add one first and
/// refuses the code to one who has it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_log_in_with_password_and_passkey_and_the_society_can_require_it() {
    use app::backend::identity::totp;
    use app::pages::staff::login::StaffLogin;
    use app::pages::staff::passkeys::{StaffPasskeyChange, StaffPasskeyChangeFinish, StaffPasskeyLogin, StaffPasskeyLoginFinish};
    use common::staff::{add_staff, log_in, set_up, Now, STAFF_PASSWORD};
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        for required in [false, true] {
            let app = spawn_app_with(&t, |c| {
                c.public_url = c.public_url.replace("127.0.0.1", "localhost");
                c.staff_require_passkey = required;
            })
            .await;
            let email = if required { "jiro@kenpo.test" } else { "ichiro@kenpo.test" };
            // As a phone's keyboard types it: full width.
            let wide: String = email.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
            let (secret, _) = set_up(&app, &add_staff(&app, "職員 一郎", email, app::domain::StaffRole::Agent).await).await;
            let browser = app.browser_on_public_url();
            log_in(&app, &browser, email, &secret).await;
            let home = browser.get("/staff").await;
            if required {
                assert_eq!((home.status, home.location()), (302, "/staff/passkeys?required=1"), "{}", app.db);
                assert!(browser.get("/staff/passkeys").await.body.contains(text::STAFF_MUST_ADD));
            } else {
                assert_eq!(home.status, 200, "{}", app.db);
            }

            let mut key = Authenticator::new(&app.state.config.public_url, if required { 12 } else { 11 });
            app.clock.advance(30);
            let code = totp::code_at(&secret, app.clock_now()).unwrap();
            let add = [("name", "窓口のPC"), ("remove", ""), ("current_password", STAFF_PASSWORD), ("code", "000000")];
            let e = browser.call::<StaffPasskeyChange>(Enc::Js, "/staff/passkeys", &add).await.refused(422);
            assert_eq!(form_message(&e), app::text::staff::LOGIN_WRONG, "a wrong code: {}", app.db);
            let add = [("name", "窓口のPC"), ("remove", ""), ("current_password", STAFF_PASSWORD), ("code", code.as_str())];
            let created = step::<StaffPasskeyChange>(&browser, "/staff/passkeys", &add).await;
            let done = step::<StaffPasskeyChangeFinish>(
                &browser,
                "/staff/passkeys",
                &[("response", &key.create(created.create.as_deref().unwrap()))],
            )
            .await;
            assert!(done.done);
            assert_eq!(browser.get("/staff").await.status, 200, "a passkey added: {}", app.db);
            let (theirs,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM passkeys p JOIN staff s ON s.id = p.staff_id WHERE s.email_norm = $1 AND p.account_id IS NULL",
            )
            .bind(email)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
            assert_eq!(theirs, 1, "{}", app.db);

            // Password + passkey, the address typed as it comes.
            let other = app.browser_on_public_url();
            let wrong = [("email", email), ("password", "Wrong#Staff-2026q"), ("next", "/staff")];
            let e = other.call::<StaffPasskeyLogin>(Enc::Js, "/staff/login", &wrong).await.refused(422);
            assert_eq!(form_message(&e), app::text::staff::LOGIN_WRONG);
            let asked = step::<StaffPasskeyLogin>(
                &other,
                "/staff/login",
                &[("email", wide.as_str()), ("password", STAFF_PASSWORD), ("next", "/staff")],
            )
            .await;
            let went =
                step::<StaffPasskeyLoginFinish>(&other, "/staff/login", &[("response", &key.get(asked.get.as_deref().unwrap()))]).await;
            assert_eq!(went.go.as_deref(), Some("/staff"));
            assert_eq!(other.get("/staff").await.status, 200, "{}", app.db);

            // The code still logs in — unless the society requires the passkey.
            app.clock.advance(30);
            let code = totp::code_at(&secret, app.clock_now()).unwrap();
            let fields = [("email", email), ("password", STAFF_PASSWORD), ("code", code.as_str()), ("next", "/staff")];
            let by_code = app.browser_on_public_url().call::<StaffLogin>(Enc::Js, "/staff/login", &fields).await;
            if required {
                assert_eq!(form_message(&by_code.refused(422)), text::STAFF_REQUIRED, "{}", app.db);
            } else {
                by_code.went_to("/staff");
            }
            let events = app.audit_events().await;
            assert!(events.contains(&"staff_passkey_added".to_string()), "{events:?}");

            // A 管理者's reset (a new setup link) takes every factor, the passkeys too.
            if !required {
                let (admin, _) = common::staff::staff_browser(&app, "kanri@kenpo.test", app::domain::StaffRole::Admin).await;
                let (id,): (String,) =
                    sqlx::query_as("SELECT id FROM staff WHERE email_norm = $1").bind(email).fetch_one(&app.state.db).await.unwrap();
                let fields = [("id", id.as_str()), ("what", "reset"), ("reason", "端末紛失")];
                admin
                    .call::<app::pages::staff::accounts::ChangeStaff>(Enc::Form, "/staff/staff", &fields)
                    .await
                    .went_to("/staff/staff?changed=1");
                let sql = "SELECT COUNT(*) FROM passkeys p JOIN staff s ON s.id = p.staff_id WHERE s.email_norm = 'ichiro@kenpo.test'";
                assert_eq!(count(&app, sql).await, 0, "{}", app.db);
            }
            app.stop().await;
        }
    }
}
