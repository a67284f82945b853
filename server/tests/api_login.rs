//! ログイン and ログアウト through the server functions' URLs of a running portal
//! (`pages::login`: `login`, `logout`, `load_home`, `login_qr`; `components`: `new_captcha`,
//! `client_captcha`), as a browser without and with JavaScript sends them, on SQLite and
//! PostgreSQL. Members are registered through the wizard's services (`with_members`).

mod common;

use app::api::{CaptchaView, HomeData};
use app::components::{ClientCaptcha, NewCaptcha};
use app::pages::login::{LoadHome, Login, LoginQr, Logout};
use app::text::{login as text, registration as reg_text};
use common::spawn::{fields, form_message, spawn_app, spawn_app_with, Browser, Enc, IPHONE};
use common::{all_dbs, cookie_parts, PASSWORD};
use leptos::server_fn::ServerFn;

/// The session cookie a login sets: a fresh 256-bit token, HttpOnly, SameSite=Lax, for the
/// absolute session limit (12 h), not Secure on plain http.
fn assert_session_cookie(line: &str) -> String {
    let token = line.strip_prefix("portal_session=").and_then(|rest| rest.split(';').next()).expect(line);
    assert_eq!(cookie_parts(line), cookie_parts(&format!("portal_session={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200")));
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    token.to_string()
}

const CLEARED: &str = "portal_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";

async fn log_in(browser: &Browser, enc: Enc, id: &str, password: &str, next: &str) -> common::spawn::Answer {
    browser.call::<Login>(enc, &format!("/?next={next}"), &[("next", next), ("login_id", id), ("password", password)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_logs_in_and_out_without_javascript() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let browser = app.browser_as(IPHONE);

        // The login page's form posts to the login server function, `next` in a hidden field.
        let page = browser.get("/?next=/profile").await;
        assert_eq!(page.status, 200, "{}", app.db);
        assert!(page.body.contains(&format!("action=\"{}\"", Login::PATH)), "{}", page.body);
        assert!(page.body.contains("name=\"next\" value=\"/profile\""), "{}", page.body);

        let answer = log_in(&browser, Enc::Form, "YAMADA.taro", PASSWORD, "/profile").await;
        answer.went_to("/profile");
        let token = assert_session_cookie(&answer.set_cookie("portal_session").expect("a session cookie"));
        assert_eq!(browser.cookie("portal_session").as_deref(), Some(token.as_str()));

        let home = browser.get("/home").await;
        assert_eq!(home.status, 200, "{}", app.db);
        assert!(
            home.body.contains("山田 太郎") && home.body.contains(text::NOTICES) && home.body.contains(text::NO_NOTICES),
            "{}",
            home.body
        );
        // The menu's ログアウト is a plain form to the logout server function.
        assert!(home.body.contains(&format!("action=\"{}\"", Logout::PATH)));

        let out = browser.call::<Logout>(Enc::Form, "/home", &[]).await;
        out.went_to("/");
        assert_eq!(out.set_cookie("portal_session").as_deref().map(cookie_parts), Some(cookie_parts(CLEARED)));
        assert_eq!(browser.cookie("portal_session"), None, "the browser dropped it");

        // Without a cookie ホーム sends to the login page; with the ended session's cookie it
        // also says the session ended.
        let home = browser.get("/home").await;
        assert_eq!((home.status, home.location()), (302, "/?next=/home"), "{}", app.db);
        let stale = app.browser();
        stale.set_cookie("portal_session", &token);
        let home = stale.get("/home").await;
        assert_eq!((home.status, home.location()), (302, "/?next=/home&ended=1"), "{}", app.db);
        let page = stale.get("/?next=/home&ended=1").await;
        assert!(page.body.contains(text::SESSION_ENDED), "{}", page.body);

        let (sessions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(sessions, 0, "the session ended on the server: {}", app.db);
        let events = app.audit_events().await;
        assert!(events.contains(&"login".to_string()) && events.contains(&"logout".to_string()), "{events:?}");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_logs_in_and_out_with_javascript() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let browser = app.browser_as(IPHONE);

        // The page's QR code: an SVG of this portal's address, drawn once.
        let qr: String = browser.load::<LoginQr, _>(&[]).await;
        use base64::Engine as _;
        let svg = base64::engine::general_purpose::STANDARD.decode(qr.strip_prefix("data:image/svg+xml;base64,").expect(&qr)).unwrap();
        assert!(String::from_utf8(svg).unwrap().contains("<svg"));
        assert_eq!(browser.load::<LoginQr, String>(&[]).await, qr);

        let answer = log_in(&browser, Enc::Js, "yamada.taro", PASSWORD, "/home").await;
        answer.went_to("/home");
        let token = assert_session_cookie(&answer.set_cookie("portal_session").expect("a session cookie"));
        let (ip, ua): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT client_ip, user_agent FROM sessions").fetch_one(&app.state.db).await.unwrap();
        assert_eq!((ip.as_deref(), ua.as_deref()), (Some("127.0.0.1"), Some(IPHONE)), "the TCP peer and the browser: {}", app.db);

        let home: HomeData = browser.load::<LoadHome, _>(&[]).await;
        assert_eq!(
            home,
            HomeData {
                name: "山田 太郎".into(),
                notices: vec![],
                medical_latest: None,
                qualification_current: 0,
                benefits: 0,
                read_only_until: None
            },
            "{}",
            app.db
        );

        let out = browser.call::<Logout>(Enc::Js, "/home", &[]).await;
        out.went_to("/");
        assert_eq!(out.set_cookie("portal_session").as_deref().map(cookie_parts), Some(cookie_parts(CLEARED)));
        // Logging out again (another tab) is harmless.
        browser.call::<Logout>(Enc::Js, "/home", &[]).await.went_to("/");

        // ホーム's data without a session: 401 and where to go (the island follows it).
        browser.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/?next=/home");
        let stale = app.browser();
        stale.set_cookie("portal_session", &token);
        stale.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/?next=/home&ended=1");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_mistakes_come_back_per_field_and_show_on_the_page() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let browser = app.browser();
        for enc in Enc::BOTH {
            let e = log_in(&browser, enc, " ", "", "/home").await.refused(422);
            assert_eq!(
                fields(&e),
                vec![("login_id".into(), text::REQUIRED_ID.into()), ("password".into(), text::REQUIRED_PASSWORD.into())],
                "{enc:?} {}",
                app.db
            );
            for (id, password) in [("yamada.taro", "Wrong#Pass1"), ("nobody.here", PASSWORD)] {
                let answer = log_in(&browser, enc, id, password, "/home").await;
                assert_eq!(answer.set_cookie("portal_session"), None, "no session for a failure");
                assert_eq!(form_message(&answer.refused(422)), text::WRONG, "{enc:?} {id} {}", app.db);
                if enc == Enc::Form {
                    // Without JavaScript the login page shows the message it was sent back with.
                    let back = answer.location().strip_prefix(&app.base).unwrap().to_string();
                    let page = browser.get(&back).await;
                    assert_eq!(page.status, 200);
                    assert!(page.body.contains(text::WRONG), "{}", page.body);
                }
            }
        }
        assert_eq!(browser.cookie("portal_session"), None);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_its_failure_limit_a_client_logs_in_with_the_captcha() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app_with(&t, |c| c.client_limits.login_failures = 1).await;
        app.with_members().await;
        let browser = app.browser();
        assert_eq!(browser.load::<ClientCaptcha, Option<CaptchaView>>(&[("form", "login")]).await, None, "below the limit: {}", app.db);
        assert_eq!(form_message(&log_in(&browser, Enc::Js, "yamada.taro", "Wrong#Pass1", "/home").await.refused(422)), text::WRONG);
        let shown: Option<CaptchaView> = browser.load::<ClientCaptcha, _>(&[("form", "login")]).await;
        assert!(shown.expect("past the limit").image.starts_with("data:image/png;base64,"), "{}", app.db);

        for enc in Enc::BOTH {
            // Even the right password is sent back to the login page, which now asks for it.
            let answer = log_in(&browser, enc, "yamada.taro", PASSWORD, "/profile").await;
            answer.sent_elsewhere("/?captcha=required&next=/profile");
            assert_eq!(answer.set_cookie("portal_session"), None);
            let page = browser.get("/?captcha=required&next=/profile").await;
            assert!(page.body.contains(reg_text::CAPTCHA_REQUIRED) && page.body.contains("name=\"captcha_id\""), "{}", page.body);

            // 「画像を変更」: a fresh image; a wrong answer comes back as such.
            let captcha: CaptchaView = browser.load::<NewCaptcha, _>(&[]).await;
            assert_eq!(captcha.id.split('.').count(), 3, "expiry.nonce.mac: {}", captcha.id);
            let mut fields = vec![
                ("next", "/profile"),
                ("login_id", "yamada.taro"),
                ("password", PASSWORD),
                ("captcha_id", captcha.id.as_str()),
                ("captcha", "WRONG"),
            ];
            browser.call::<Login>(enc, "/?captcha=required&next=/profile", &fields).await.sent_elsewhere("/?captcha=wrong&next=/profile");
            let page = browser.get("/?captcha=wrong&next=/profile").await;
            assert!(page.body.contains(reg_text::CAPTCHA_WRONG), "{}", page.body);

            fields[4] = ("captcha", common::spawn::CAPTCHA_TEST_ANSWER);
            let answer = browser.call::<Login>(enc, "/?captcha=wrong&next=/profile", &fields).await;
            answer.went_to("/profile");
            assert_session_cookie(&answer.set_cookie("portal_session").unwrap());
            browser.call::<Logout>(enc, "/home", &[]).await.went_to("/");
        }
        let challenged: Vec<(String,)> =
            sqlx::query_as("SELECT detail FROM audit_log WHERE event = 'client_challenged'").fetch_all(&app.state.db).await.unwrap();
        assert_eq!(challenged.len(), 4, "two refusals per encoding: {}", app.db);
        app.stop().await;
    }
}

/// The service-made members (`registered_members`) are the members `member_with_account`
/// inserts by hand, but for their generated ids and the registration's own rows.
#[tokio::test]
async fn members_registered_through_the_services_match_the_inserted_ones() {
    for t in all_dbs().await {
        let (inserted, _) = common::member_with_account(&t).await;
        let accounts = "SELECT login_id, login_id_norm, nickname, email1, email2, email3, mail_preferences, must_change_password, must_set_profile, kigo, bango \
                        FROM accounts ORDER BY login_id_norm";
        let emails = "SELECT a.login_id_norm, e.slot, e.email, e.email_norm FROM account_emails e JOIN accounts a ON a.id = e.account_id ORDER BY a.login_id_norm, e.slot";
        type Account = (String, String, String, Option<String>, Option<String>, Option<String>, String, i64, i64, String, String);
        type Address = (String, i64, String, String);
        let other = if t.name == "sqlite" { common::sqlite().await } else { common::postgres().await.unwrap() };
        let (registered, _) = common::spawn::registered_members(&other).await;
        let read = |db: app::backend::platform::Db| async move {
            let a: Vec<Account> = sqlx::query_as(accounts).fetch_all(&db).await.unwrap();
            let e: Vec<Address> = sqlx::query_as(emails).fetch_all(&db).await.unwrap();
            (a, e)
        };
        let (by_hand, by_services) = (read(inserted.db.clone()).await, read(registered.db.clone()).await);
        assert_eq!(by_services, by_hand, "{}", t.name);
        assert_eq!((by_services.0.len(), by_services.1.len()), (2, 2));
        for (state, login) in [(&inserted, "yamada.taro"), (&registered, "Sato.Hanako")] {
            assert!(common::login(state, None, login, PASSWORD).await.is_ok(), "{}", t.name);
        }
        let (completed,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM registrations WHERE stage = 'completed'").fetch_one(&registered.db).await.unwrap();
        assert_eq!(completed, 2, "{}", t.name);
    }
}

/// A client that hangs up while its password is being checked (an attacker who never waits for
/// the answer) still has its failure audited, and the lock it reached mailed: the login runs to
/// its end after the request's future is dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_whose_client_hangs_up_is_still_counted_audited_and_notified() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app_with(&t, |c| c.login_limits.lock_after = 1).await;
        app.with_members().await;
        let body = "login_id=Yamada.Taro&password=Wrong%23Password1&next=%2Fhome";
        let impatient = reqwest::Client::builder().no_proxy().timeout(std::time::Duration::from_millis(5)).build().unwrap();
        let hung_up = impatient
            .post(format!("{}{}", app.base, Login::PATH))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("origin", &app.base)
            .body(body)
            .send()
            .await;
        assert!(hung_up.is_err(), "the client gave up before the answer ({})", app.db);
        // The lock notice arrives although nobody waited for the answer.
        app.mail(common::spawn::TARO.email, app::text::mail::SUBJECT_LOCKED).await;
        let events = app.audit_events().await;
        assert!(events.contains(&"login_failed".to_string()) && events.contains(&"login_locked".to_string()), "{events:?}");
        app.stop().await;
    }
}

/// A phone's Japanese keyboard types the login ID and the address in full width (ＹＡＭＡＤＡ．ｔａｒｏ,
/// ＴＡＲＯ＠ｃｏｒｐ．ｔｅｓｔ) or with a space around: the member just logs in, the forgot form mails
/// the account, and the lock counts one ID however it was typed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_id_typed_in_any_width_or_case_is_the_same_id() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let browser = app.browser_as(IPHONE);
        log_in(&browser, Enc::Form, "　ｙａｍａｄａ．ＴＡＲＯ ", PASSWORD, "/home").await.went_to("/home");
        assert_eq!(browser.get("/home").await.status, 200, "{}", app.db);

        // Wrong passwords typed in three widths count toward one login ID.
        let other = app.browser_as(IPHONE);
        for typed in ["Yamada.Taro", "ＹＡＭＡＤＡ．ＴＡＲＯ", "yamada.taro　"] {
            let e = log_in(&other, Enc::Js, typed, "Wrong#Password1", "/home").await.refused(422);
            assert_eq!(form_message(&e), text::WRONG, "{typed}: {}", app.db);
        }
        let counts: Vec<(String, i64)> =
            sqlx::query_as("SELECT key, failures FROM login_throttle WHERE key LIKE 'login-id%'").fetch_all(&app.state.db).await.unwrap();
        assert_eq!(counts.len(), 1, "one ID: {counts:?} {}", app.db);
        assert_eq!(counts[0].1, 3, "{counts:?} {}", app.db);

        // ログインID・パスワードを忘れた方 with the address in full width.
        let forgot = app.browser_as(IPHONE);
        forgot
            .call::<app::pages::recovery::RequestReset>(Enc::Form, "/forgot", &[("email", "ＴＡＲＯ＠ｃｏｒｐ．ｔｅｓｔ")])
            .await
            .went_to("/forgot/sent");
        let mail = app.mail("taro@corp.test", app::text::mail::SUBJECT_RESET).await;
        assert!(mail.body().contains("ログインID： Yamada.Taro"), "{}", mail.body());
        app.stop().await;
    }
}
