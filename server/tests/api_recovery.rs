//! ログインID・パスワード忘れた方 (forgot → the link in the mail → a new password) through the
//! server functions' URLs of a running portal (`pages::recovery`: `request_reset`, `reset_link`,
//! `reset_password`; `components::client_captcha`), without and with JavaScript, on SQLite and
//! PostgreSQL.

mod common;

use app::api::CaptchaView;
use app::api::ResetLinkView;
use app::components::ClientCaptcha;
use app::pages::login::{LoadHome, Login};
use app::pages::recovery::{RequestReset, ResetLink, ResetPassword};
use app::text::{login as login_text, recovery as text};
use common::spawn::{fields, form_message, spawn_app, spawn_app_with, Browser, Enc, TestApp, CAPTCHA_TEST_ANSWER};
use common::{all_dbs, PASSWORD};
use leptos::server_fn::ServerFn;

const TARO: &str = "taro@corp.test";
const NEW: &str = "Quiet9!River-Maple";

fn reset_form<'a>(token: &'a str, new: &'a str, confirm: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![("token", token), ("username", "Yamada.Taro"), ("new_password", new), ("confirm_password", confirm)]
}

async fn log_in(app: &TestApp, password: &str) -> (Browser, common::spawn::Answer) {
    let browser = app.browser();
    let answer = browser.call::<Login>(Enc::Js, "/", &[("next", "/home"), ("login_id", "yamada.taro"), ("password", password)]).await;
    (browser, answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_sets_a_new_password_without_javascript() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let (logged_in, answer) = log_in(&app, PASSWORD).await;
        answer.went_to("/home");
        let browser = app.browser();

        let page = browser.get("/forgot").await;
        assert_eq!(page.status, 200, "{}", app.db);
        assert!(
            page.body.contains(&format!("action=\"{}\"", RequestReset::PATH)) && !page.body.contains("name=\"captcha\""),
            "{}",
            page.body
        );
        let e = browser.call::<RequestReset>(Enc::Form, "/forgot", &[("email", "")]).await.refused(422);
        assert_eq!(fields(&e), vec![("email".to_string(), "メールアドレスを入力してください。".to_string())], "{}", app.db);
        browser.call::<RequestReset>(Enc::Form, "/forgot", &[("email", "TARO@corp.test")]).await.went_to("/forgot/sent");
        assert!(browser.get("/forgot/sent").await.body.contains(text::FORGOT_SENT));

        // The mail: the login ID and a link to this portal.
        let mail = app.mail("TARO@corp.test", app::text::mail::SUBJECT_RESET).await;
        assert!(mail.body().contains("ログインID： Yamada.Taro"), "{}", mail.body());
        let token = app.token_in(&mail, "/forgot/reset/");
        let link = format!("/forgot/reset/{token}");
        let page = browser.get(&link).await;
        assert!(page.body.contains(&format!("action=\"{}\"", ResetPassword::PATH)) && page.body.contains("Yamada.Taro"), "{}", page.body);

        // Mistakes come back to the link's page, which shows them.
        let answer = browser.call::<ResetPassword>(Enc::Form, &link, &reset_form(&token, NEW, "Quiet9!River-Mapl")).await;
        assert_eq!(
            fields(&answer.refused(422)),
            vec![("confirm_password".to_string(), "パスワードと確認用パスワードが一致しません。".to_string())]
        );
        let back = browser.get(answer.location().strip_prefix(&app.base).unwrap()).await;
        assert!(back.body.contains("パスワードと確認用パスワードが一致しません。"), "{}", back.body);
        let birthday = "Kenpo#19850401x";
        let e = browser.call::<ResetPassword>(Enc::Form, &link, &reset_form(&token, birthday, birthday)).await.refused(422);
        assert_eq!(
            fields(&e),
            vec![("new_password".to_string(), "パスワードに生年月日を含めることはできません。".to_string())],
            "{}",
            app.db
        );

        browser.call::<ResetPassword>(Enc::Form, &link, &reset_form(&token, NEW, NEW)).await.went_to("/forgot/done");
        assert!(browser.get("/forgot/done").await.body.contains(text::RESET_DONE));
        // Every session ended; the new password works, the old one not; a notice went out.
        logged_in.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/?next=/home&ended=1");
        assert_eq!(form_message(&log_in(&app, PASSWORD).await.1.refused(422)), login_text::WRONG, "{}", app.db);
        log_in(&app, NEW).await.1.went_to("/home");
        app.mail(TARO, app::text::mail::SUBJECT_PASSWORD_CHANGED).await;

        // The link is spent.
        let e = browser
            .call::<ResetPassword>(Enc::Form, &link, &reset_form(&token, "Other7#Sunny-Hill", "Other7#Sunny-Hill"))
            .await
            .refused(410);
        assert_eq!(form_message(&e), text::RESET_LINK_INVALID);
        assert!(browser.get(&link).await.body.contains(text::RESET_LINK_INVALID));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_the_link_expires_and_strangers_learn_nothing() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let browser = app.browser();

        // An unknown address gets the same answer; its mail points to the inquiry form.
        browser.call::<RequestReset>(Enc::Js, "/forgot", &[("email", "stranger@else.test")]).await.went_to("/forgot/sent");
        assert!(app
            .mail("stranger@else.test", app::text::mail::SUBJECT_RESET_UNKNOWN)
            .await
            .body()
            .contains(&format!("{}/inquiry", app.base)));

        browser.call::<RequestReset>(Enc::Js, "/forgot", &[("email", TARO)]).await.went_to("/forgot/sent");
        let token = app.token_in(&app.mail(TARO, app::text::mail::SUBJECT_RESET).await, "/forgot/reset/");
        assert_eq!(
            browser.load::<ResetLink, Option<ResetLinkView>>(&[("token", &token)]).await,
            Some(ResetLinkView { login_id: "Yamada.Taro".into(), needs_code: false }),
            "{}",
            app.db
        );
        assert_eq!(browser.load::<ResetLink, Option<ResetLinkView>>(&[("token", &"0".repeat(64))]).await, None);
        let e = browser.call::<ResetPassword>(Enc::Js, "/forgot/reset/x", &reset_form(&token, "short", "")).await.refused(422);
        assert_eq!(
            fields(&e),
            vec![
                ("new_password".to_string(), "パスワードは10文字以上39文字以内で入力してください（現在5文字）。".to_string()),
                ("confirm_password".to_string(), "確認のため、パスワードをもう一度入力してください。".to_string()),
            ],
            "{}",
            app.db
        );

        // 30 minutes later the link is dead.
        app.clock.advance(30 * 60 + 1);
        assert_eq!(browser.load::<ResetLink, Option<ResetLinkView>>(&[("token", &token)]).await, None, "{}", app.db);
        let e = browser.call::<ResetPassword>(Enc::Js, "/forgot/reset/x", &reset_form(&token, NEW, NEW)).await.refused(410);
        assert_eq!(form_message(&e), text::RESET_LINK_INVALID, "{}", app.db);
        log_in(&app, PASSWORD).await.1.went_to("/home");

        // A fresh link works.
        browser.call::<RequestReset>(Enc::Js, "/forgot", &[("email", TARO)]).await.went_to("/forgot/sent");
        let token = app.token_in(&app.nth_mail(TARO, app::text::mail::SUBJECT_RESET, 2).await, "/forgot/reset/");
        browser.call::<ResetPassword>(Enc::Js, "/forgot/reset/x", &reset_form(&token, NEW, NEW)).await.went_to("/forgot/done");
        log_in(&app, NEW).await.1.went_to("/home");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_its_limit_a_client_asks_for_a_reset_with_the_captcha() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app_with(&t, |c| c.client_limits.resets = 1).await;
        app.with_members().await;
        let browser = app.browser();
        assert_eq!(browser.load::<ClientCaptcha, Option<CaptchaView>>(&[("form", "forgot")]).await, None, "{}", app.db);
        browser.call::<RequestReset>(Enc::Form, "/forgot", &[("email", TARO)]).await.went_to("/forgot/sent");
        assert!(browser.load::<ClientCaptcha, Option<CaptchaView>>(&[("form", "forgot")]).await.is_some());
        assert!(browser.get("/forgot").await.body.contains("name=\"captcha\""), "the form now asks");
        for enc in Enc::BOTH {
            let e = browser.call::<RequestReset>(enc, "/forgot", &[("email", TARO)]).await.refused(422);
            assert_eq!(
                fields(&e),
                vec![("captcha".to_string(), app::text::registration::CAPTCHA_REQUIRED.to_string())],
                "{enc:?} {}",
                app.db
            );
            let answer = browser
                .call::<RequestReset>(enc, "/forgot", &[("email", TARO), ("captcha_id", "x"), ("captcha", CAPTCHA_TEST_ANSWER)])
                .await;
            answer.went_to("/forgot/sent");
        }
        app.nth_mail(TARO, app::text::mail::SUBJECT_RESET, 3).await;
        app.stop().await;
    }
}
