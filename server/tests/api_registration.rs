//! 新規利用登録 (steps 1–5) through the server functions' URLs of a running portal
//! (`pages::register`: `start_registration`, `mail_sender`, `identity_form`, `verify_identity`,
//! `identity_key`, `key_link_usable`, `confirm_key`, `load_account_defaults`, `create_account`;
//! `components::client_captcha`), without and with JavaScript, on SQLite and PostgreSQL. The
//! links come from the mails the worker delivered to the SMTP fixture.

mod common;

use app::api::{AccountDefaults, CaptchaView, FormWithCaptcha};
use app::components::{ClientCaptcha, NewCaptcha};
use app::pages::login::Login;
use app::pages::register::{
    ConfirmKey, CreateAccount, IdentityForm, IdentityKey, KeyLinkUsable, LoadAccountDefaults, MailSender, StartRegistration, VerifyIdentity,
};
use app::text::mail::{SUBJECT_M1, SUBJECT_M2, SUBJECT_M3};
use app::text::registration as text;
use common::spawn::{
    field, fields, form_message, import_roster, spawn_app, spawn_app_with, Browser, Enc, TestApp, CAPTCHA_TEST_ANSWER, HANAKO,
};
use common::{all_dbs, cookie_parts, PASSWORD};
use leptos::server_fn::ServerFn;

const TARO: &str = "taro@corp.test";
const BAD_EMAIL: &str = "メールアドレスの形式が正しくありません。半角英数字で、例：taro@example.co.jp のように入力してください。";

/// The registration cookie of a step, for `max_age` seconds.
fn assert_reg_cookie(line: &str, max_age: i64) -> String {
    let token = line.strip_prefix("portal_reg=").and_then(|rest| rest.split(';').next()).expect(line);
    assert_eq!(cookie_parts(line), cookie_parts(&format!("portal_reg={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}")));
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    token.to_string()
}

/// Step 2's form as the page sends it (birth date from three pulldowns).
fn identity<'a>(token: &'a str, email: &'a str, birth: [&'a str; 3], captcha: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("token", token),
        ("email", email),
        ("kigo", "12"),
        ("bango", "345"),
        ("year", birth[0]),
        ("month", birth[1]),
        ("day", birth[2]),
        ("captcha_id", "not-a-real-id"),
        ("captcha", captcha),
    ]
}

/// Step 5's form.
fn account<'a>(login_id: &'a str, password: &'a str, confirm: &'a str, email: &'a str, nickname: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("login_id", login_id),
        ("password", password),
        ("password_confirm", confirm),
        ("email", email),
        ("nickname", nickname),
        ("agree", "on"),
        ("consent_version", common::consent_key()),
    ]
}

/// A key that is not `key`.
fn other_key(key: &str) -> String {
    format!("{:04}", (key.parse::<u32>().unwrap() + 1) % 10_000)
}

/// Steps 1 and 2 through the API; returns the key the browser was shown and the M2 link.
async fn up_to_step_4(app: &TestApp, browser: &Browser, enc: Enc) -> (String, String) {
    browser.call::<StartRegistration>(enc, "/register", &[("email", TARO)]).await.went_to("/register/sent");
    let invite = app.token_in(&app.nth_mail(TARO, SUBJECT_M1, app.mails(TARO, SUBJECT_M1).len().max(1)).await, "/register/verify/");
    let step2 = format!("/register/verify/{invite}");
    browser
        .call::<VerifyIdentity>(enc, &step2, &identity(&invite, TARO, ["1985", "4", "1"], CAPTCHA_TEST_ANSWER))
        .await
        .went_to("/register/key");
    let key = browser.load::<IdentityKey, Option<String>>(&[]).await.expect("the key");
    let m2 = app.nth_mail(TARO, SUBJECT_M2, app.mails(TARO, SUBJECT_M2).len() + 1).await;
    (key, app.token_in(&m2, "/register/confirm/"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_registers_without_javascript_from_step_1_to_the_account() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        import_roster(&app.state).await;
        let browser = app.browser();

        // Step 1: the page's form posts to the server function.
        let page = browser.get("/register").await;
        assert_eq!(page.status, 200, "{}", app.db);
        assert!(page.body.contains(&format!("action=\"{}\"", StartRegistration::PATH)), "{}", page.body);
        let e = browser.call::<StartRegistration>(Enc::Form, "/register", &[("email", "taro@")]).await.refused(422);
        assert_eq!(fields(&e), vec![("email".to_string(), BAD_EMAIL.to_string())], "{}", app.db);
        browser.call::<StartRegistration>(Enc::Form, "/register", &[("email", TARO)]).await.went_to("/register/sent");
        let sent = browser.get("/register/sent").await;
        assert!(sent.body.contains(text::SENT) && sent.body.contains("info@kenpo.test"), "the sender to look for: {}", sent.body);

        // The invitation (M1), delivered by the worker over SMTP.
        let m1 = app.mail(TARO, SUBJECT_M1).await;
        assert!(m1.decoded_header("From").unwrap().contains("<info@kenpo.test>"), "{:?}", m1.decoded_header("From"));
        let invite = app.token_in(&m1, "/register/verify/");

        // Step 2: a wrong birth date is refused and the page shows why; the right one passes.
        let step2 = format!("/register/verify/{invite}");
        let page = browser.get(&step2).await;
        assert!(
            page.body.contains(&format!("action=\"{}\"", VerifyIdentity::PATH)) && page.body.contains("name=\"captcha_id\""),
            "{}",
            page.body
        );
        let answer =
            browser.call::<VerifyIdentity>(Enc::Form, &step2, &identity(&invite, TARO, ["1985", "4", "2"], CAPTCHA_TEST_ANSWER)).await;
        assert_eq!(answer.set_cookie("portal_reg"), None);
        assert_eq!(form_message(&answer.refused(422)), text::IDENTITY_FAILED, "{}", app.db);
        let back = browser.get(answer.location().strip_prefix(&app.base).unwrap()).await;
        assert!(back.body.contains(text::IDENTITY_FAILED), "{}", back.body);
        let answer =
            browser.call::<VerifyIdentity>(Enc::Form, &step2, &identity(&invite, "Taro@Corp.test", ["1985", "4", "1"], "e2etest")).await;
        answer.went_to("/register/key");
        let step2_cookie = assert_reg_cookie(&answer.set_cookie("portal_reg").expect("the browser is marked"), 30 * 60);

        // Step 3: the key, shown to this browser only.
        let page = browser.get("/register/key").await;
        let key = page.body.split("data-testid=\"identity-key\"").nth(1).and_then(|s| s.split_once('>')).and_then(|(_, s)| s.get(..4));
        let key = key.expect(&page.body).to_string();
        assert!(key.bytes().all(|b| b.is_ascii_digit()), "{key}");
        let elsewhere = app.browser().get("/register/key").await;
        assert!(elsewhere.body.contains(text::LINK_INVALID_TITLE) && !elsewhere.body.contains("identity-key"), "{}", elsewhere.body);

        // Step 4 (link in M2): a wrong key counts down, the key typed in full-width digits passes.
        let key_link = app.token_in(&app.mail(TARO, SUBJECT_M2).await, "/register/confirm/");
        let step4 = format!("/register/confirm/{key_link}");
        let page = browser.get(&step4).await;
        assert!(page.body.contains(&format!("action=\"{}\"", ConfirmKey::PATH)), "{}", page.body);
        let e =
            browser.call::<ConfirmKey>(Enc::Form, &step4, &[("token", &key_link), ("identity_key", &other_key(&key))]).await.refused(422);
        assert_eq!(
            field(&e, "identity_key"),
            format!("{}（あと4回まちがえると、この手続きは無効になります）", text::KEY_WRONG),
            "{}",
            app.db
        );
        let wide: String = key.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()).collect();
        let answer = browser.call::<ConfirmKey>(Enc::Form, &step4, &[("token", &key_link), ("identity_key", &wide)]).await;
        answer.went_to("/register/account");
        let step4_cookie = assert_reg_cookie(&answer.set_cookie("portal_reg").unwrap(), 24 * 3600);
        assert_ne!(step4_cookie, step2_cookie, "a new token for step 5");
        assert!(!browser.load::<KeyLinkUsable, bool>(&[("token", &key_link)]).await, "M2's link is spent: {}", app.db);

        // Step 5: the defaults, mistakes per field, then the account.
        let page = browser.get("/register/account").await;
        assert!(
            page.body.contains(&format!("action=\"{}\"", CreateAccount::PATH)) && page.body.contains("value=\"山田 太郎\""),
            "{}",
            page.body
        );
        let e = browser
            .call::<CreateAccount>(Enc::Form, "/register/account", &account("short", PASSWORD, "Blue7#Harbor-Quilx", TARO, ""))
            .await
            .refused(422);
        assert_eq!(
            fields(&e),
            vec![
                ("login_id".to_string(), "ログインIDは8文字以上39文字以内で入力してください（現在5文字）。".to_string()),
                ("password_confirm".to_string(), "パスワードと確認用パスワードが一致しません。".to_string()),
                ("nickname".to_string(), "ニックネームを入力してください。".to_string()),
            ],
            "{}",
            app.db
        );
        // The box of 利用規約 and 個人情報の取扱い, unticked, then ticked for versions no longer served.
        assert!(page.body.contains(common::consent_key()) && page.body.contains("href=\"/terms\""), "the versions travel with the form");
        let mut form = account("Yamada.Taro", PASSWORD, PASSWORD, TARO, "たろう");
        form.retain(|(name, _)| *name != "agree");
        let e = browser.call::<CreateAccount>(Enc::Form, "/register/account", &form).await.refused(422);
        assert_eq!(fields(&e), vec![("agree".to_string(), app::text::consent::AGREE_REQUIRED.to_string())], "{}", app.db);
        let mut form = account("Yamada.Taro", PASSWORD, PASSWORD, TARO, "たろう");
        form.retain(|(name, _)| *name != "consent_version");
        form.push(("consent_version", "利用規約 2020年4月1日 制定 / 個人情報の取扱い 2020年4月1日 制定"));
        let e = browser.call::<CreateAccount>(Enc::Form, "/register/account", &form).await.refused(422);
        assert_eq!(fields(&e), vec![("agree".to_string(), app::text::consent::CHANGED.to_string())], "{}", app.db);
        let answer = browser
            .call::<CreateAccount>(Enc::Form, "/register/account", &account("Yamada.Taro", PASSWORD, PASSWORD, TARO, "たろう"))
            .await;
        answer.went_to("/register/done");
        let (agreed, at): (Option<String>, Option<i64>) =
            sqlx::query_as("SELECT consent_version, consent_at FROM accounts WHERE login_id_norm = 'yamada.taro'")
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        assert_eq!(
            (agreed.as_deref(), at),
            (Some(common::consent_key()), Some(app::backend::platform::Clock::now(app.state.clock.as_ref()))),
            "{}",
            app.db
        );
        let (detail,): (Option<String>,) =
            sqlx::query_as("SELECT detail FROM audit_log WHERE event = 'consent_agreed'").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(detail.as_deref(), Some(common::consent_key()), "the audit log names the versions agreed to");
        assert_eq!(
            answer.set_cookie("portal_reg").as_deref().map(cookie_parts),
            Some(cookie_parts("portal_reg=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"))
        );
        assert_eq!(browser.cookie("portal_reg"), None);
        let done = browser.get("/register/done").await;
        assert!(done.body.contains(text::DONE), "{}", done.body);

        let m3 = app.mail(TARO, SUBJECT_M3).await.body();
        assert!(m3.contains("ログインID： Yamada.Taro") && m3.contains(&format!("{}/\n", app.base)), "{m3}");
        browser
            .call::<Login>(Enc::Form, "/", &[("next", "/home"), ("login_id", "yamada.taro"), ("password", PASSWORD)])
            .await
            .went_to("/home");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_registers_with_javascript_and_gets_json_answers() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        import_roster(&app.state).await;
        // 佐藤 花子 registered already (her login ID is taken below).
        common::spawn::register(&app.state, &app, &HANAKO, PASSWORD).await;
        let browser = app.browser();

        assert_eq!(browser.load::<MailSender, String>(&[]).await, "info@kenpo.test");
        let e = browser.call::<StartRegistration>(Enc::Js, "/register", &[("email", " ")]).await.refused(422);
        assert_eq!(fields(&e), vec![("email".to_string(), "メールアドレスを入力してください。".to_string())], "{}", app.db);
        browser.call::<StartRegistration>(Enc::Js, "/register", &[("email", TARO)]).await.went_to("/register/sent");
        let invite = app.token_in(&app.mail(TARO, SUBJECT_M1).await, "/register/verify/");
        let step2 = format!("/register/verify/{invite}");

        // Step 2's page data: a CAPTCHA and this year (JST) for the pulldown; nothing for a bad link.
        let form: Option<FormWithCaptcha> = browser.load::<IdentityForm, _>(&[("token", &invite)]).await;
        let form = form.expect("a usable link");
        assert_eq!(form.this_year, 2026);
        assert!(form.captcha.image.starts_with("data:image/png;base64,"));
        assert_eq!(browser.load::<IdentityForm, Option<FormWithCaptcha>>(&[("token", &"0".repeat(64))]).await, None);

        // Every field's message at once, the CAPTCHA's too.
        let mut wrong = identity(&invite, "taro", ["", "", ""], "WRONG");
        wrong[2] = ("kigo", "1");
        wrong[3] = ("bango", "");
        wrong[7] = ("captcha_id", &form.captcha.id);
        let e = browser.call::<VerifyIdentity>(Enc::Js, &step2, &wrong).await.refused(422);
        assert_eq!(
            fields(&e),
            vec![
                ("email".to_string(), BAD_EMAIL.to_string()),
                ("kigo".to_string(), "記号は数字2桁で入力してください。".to_string()),
                ("bango".to_string(), "番号を入力してください。".to_string()),
                ("birth_date".to_string(), "生年月日を選択してください。".to_string()),
                ("captcha".to_string(), text::CAPTCHA_WRONG.to_string()),
            ],
            "{}",
            app.db
        );
        let answer =
            browser.call::<VerifyIdentity>(Enc::Js, &step2, &identity(&invite, TARO, ["1985", "04", "01"], CAPTCHA_TEST_ANSWER)).await;
        answer.went_to("/register/key");
        assert_reg_cookie(&answer.set_cookie("portal_reg").unwrap(), 30 * 60);
        // The M1 link is spent: its form is gone and a second submit is refused.
        assert_eq!(browser.load::<IdentityForm, Option<FormWithCaptcha>>(&[("token", &invite)]).await, None);
        let again =
            browser.call::<VerifyIdentity>(Enc::Js, &step2, &identity(&invite, TARO, ["1985", "4", "1"], CAPTCHA_TEST_ANSWER)).await;
        assert_eq!(form_message(&again.refused(410)), text::LINK_INVALID, "{}", app.db);

        // Step 3's data: the key for this browser only.
        let key = browser.load::<IdentityKey, Option<String>>(&[]).await.expect("the key");
        assert_eq!(app.browser().load::<IdentityKey, Option<String>>(&[]).await, None);

        // Step 4.
        let key_link = app.token_in(&app.mail(TARO, SUBJECT_M2).await, "/register/confirm/");
        let step4 = format!("/register/confirm/{key_link}");
        assert!(browser.load::<KeyLinkUsable, bool>(&[("token", &key_link)]).await);
        let e = browser.call::<ConfirmKey>(Enc::Js, &step4, &[("token", &key_link), ("identity_key", "12a")]).await.refused(422);
        assert_eq!(fields(&e), vec![("identity_key".to_string(), text::KEY_FORMAT.to_string())]);
        let e = browser.call::<ConfirmKey>(Enc::Js, &step4, &[("token", &key_link), ("identity_key", &other_key(&key))]).await.refused(422);
        assert!(field(&e, "identity_key").contains("あと4回"), "{e:?}");
        let answer = browser.call::<ConfirmKey>(Enc::Js, &step4, &[("token", &key_link), ("identity_key", &key)]).await;
        answer.went_to("/register/account");
        assert_reg_cookie(&answer.set_cookie("portal_reg").unwrap(), 24 * 3600);

        // Step 5.
        let defaults: Option<AccountDefaults> = browser.load::<LoadAccountDefaults, _>(&[]).await;
        assert_eq!(
            defaults,
            Some(AccountDefaults { email: TARO.into(), nickname: "山田 太郎".into(), consent_key: common::consent_key().into() }),
            "{}",
            app.db
        );
        let stranger = app.browser();
        assert_eq!(stranger.load::<LoadAccountDefaults, Option<AccountDefaults>>(&[]).await, None);
        let e = stranger
            .call::<CreateAccount>(Enc::Js, "/register/account", &account("Yamada.Taro", PASSWORD, PASSWORD, TARO, "たろう"))
            .await
            .refused(410);
        assert_eq!(form_message(&e), text::LINK_INVALID, "another browser cannot finish it: {}", app.db);
        let birthday = "Kenpo#19850401x";
        let e = browser
            .call::<CreateAccount>(Enc::Js, "/register/account", &account("Yamada.Taro", birthday, birthday, TARO, "たろう"))
            .await
            .refused(422);
        assert_eq!(fields(&e), vec![("password".to_string(), "パスワードに生年月日を含めることはできません。".to_string())], "{}", app.db);
        let e = browser
            .call::<CreateAccount>(Enc::Js, "/register/account", &account("SATO.hanako", PASSWORD, PASSWORD, TARO, "たろう"))
            .await
            .refused(422);
        assert_eq!(fields(&e), vec![("login_id".to_string(), text::LOGIN_ID_TAKEN.to_string())], "{}", app.db);
        // Another address than the one the mails went to waits for its own link.
        let answer = browser
            .call::<CreateAccount>(Enc::Js, "/register/account", &account("Yamada.Taro", PASSWORD, PASSWORD, "taro@home.test", "たろう"))
            .await;
        answer.went_to("/register/done");
        assert_eq!(
            answer.set_cookie("portal_reg").as_deref().map(cookie_parts),
            Some(cookie_parts("portal_reg=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"))
        );
        assert!(app.mail(TARO, SUBJECT_M3).await.body().contains("ログインID： Yamada.Taro"));
        let confirm = app.mail("taro@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).await;
        app.token_in(&confirm, "/profile/email/");
        let (email1,): (Option<String>,) =
            sqlx::query_as("SELECT email1 FROM accounts WHERE login_id = 'Yamada.Taro'").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(email1.as_deref(), Some(TARO), "the proven address until the new one is confirmed: {}", app.db);
        assert_eq!(browser.load::<LoadAccountDefaults, Option<AccountDefaults>>(&[]).await, None, "spent");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_keys_spend_the_registration() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        import_roster(&app.state).await;
        let browser = app.browser();
        let (key, key_link) = up_to_step_4(&app, &browser, Enc::Js).await;
        let step4 = format!("/register/confirm/{key_link}");
        let wrong = other_key(&key);
        for left in (1..=4).rev() {
            let e = browser.call::<ConfirmKey>(Enc::Js, &step4, &[("token", &key_link), ("identity_key", &wrong)]).await.refused(422);
            assert_eq!(
                field(&e, "identity_key"),
                format!("{}（あと{left}回まちがえると、この手続きは無効になります）", text::KEY_WRONG),
                "{}",
                app.db
            );
        }
        // The fifth, without JavaScript: back to the page with the spent message in the query.
        let answer = browser.call::<ConfirmKey>(Enc::Form, &step4, &[("token", &key_link), ("identity_key", &wrong)]).await;
        assert_eq!(form_message(&answer.refused(410)), text::SPENT, "{}", app.db);
        // The page finds the link dead and says why (the answer came back in its URL), as the
        // island does with JavaScript; opened again later, it has only the general message.
        let page = browser.get(answer.location().strip_prefix(&app.base).unwrap()).await;
        assert!(page.body.contains(text::SPENT) && !page.body.contains(text::LINK_INVALID), "{}", page.body);
        assert!(browser.get(&step4).await.body.contains(text::LINK_INVALID));
        // Now even the right key is refused and the link is dead.
        let e = browser.call::<ConfirmKey>(Enc::Js, &step4, &[("token", &key_link), ("identity_key", &key)]).await.refused(410);
        assert_eq!(form_message(&e), text::LINK_INVALID);
        assert!(!browser.load::<KeyLinkUsable, bool>(&[("token", &key_link)]).await);
        assert_eq!(browser.load::<IdentityKey, Option<String>>(&[]).await, None);
        let page = browser.get(&step4).await;
        assert!(page.body.contains(text::LINK_INVALID), "{}", page.body);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_its_limit_a_client_starts_a_registration_with_the_captcha() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app_with(&t, |c| c.client_limits.registrations = 1).await;
        import_roster(&app.state).await;
        let browser = app.browser();
        assert_eq!(browser.load::<ClientCaptcha, Option<CaptchaView>>(&[("form", "register")]).await, None, "{}", app.db);
        browser.call::<StartRegistration>(Enc::Js, "/register", &[("email", "stranger@else.test")]).await.went_to("/register/sent");
        // The start page now shows the 認証文字.
        let captcha = browser.load::<ClientCaptcha, Option<CaptchaView>>(&[("form", "register")]).await.expect("past the limit");
        let page = browser.get("/register").await;
        assert!(page.body.contains("name=\"captcha_id\"") && page.body.contains(text::CAPTCHA), "{}", page.body);

        for enc in Enc::BOTH {
            let e = browser.call::<StartRegistration>(enc, "/register", &[("email", TARO)]).await.refused(422);
            assert_eq!(fields(&e), vec![("captcha".to_string(), text::CAPTCHA_REQUIRED.to_string())], "{enc:?} {}", app.db);
            assert_eq!(form_message(&e), text::CAPTCHA_REQUIRED);
        }
        let e = browser
            .call::<StartRegistration>(Enc::Js, "/register", &[("email", TARO), ("captcha_id", &captcha.id), ("captcha", "WRONG")])
            .await
            .refused(422);
        assert_eq!(field(&e, "captcha"), text::CAPTCHA_WRONG);
        // A spent CAPTCHA stays spent: 「画像を変更」 gives a new one.
        let fresh: CaptchaView = browser.load::<NewCaptcha, _>(&[]).await;
        assert_ne!(fresh.id, captcha.id);
        for enc in Enc::BOTH {
            let answer = browser
                .call::<StartRegistration>(
                    enc,
                    "/register",
                    &[("email", TARO), ("captcha_id", &fresh.id), ("captcha", CAPTCHA_TEST_ANSWER)],
                )
                .await;
            answer.went_to("/register/sent");
        }
        assert_eq!(app.nth_mail(TARO, SUBJECT_M1, 2).await.recipients, vec![TARO.to_string()], "{}", app.db);
        assert!(app
            .mail("stranger@else.test", app::text::mail::SUBJECT_NOT_STARTED)
            .await
            .body()
            .contains(&format!("{}/inquiry", app.base)));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_non_visual_alternative_proves_work_for_one_issued_captcha_once() {
    use app::domain::proof;
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        import_roster(&app.state).await;
        let browser = app.browser();
        browser.call::<StartRegistration>(Enc::Js, "/register", &[("email", TARO)]).await.went_to("/register/sent");
        let invite = app.token_in(&app.mail(TARO, SUBJECT_M1).await, "/register/verify/");
        let step2 = format!("/register/verify/{invite}");
        let captcha_id = || async {
            let form: Option<FormWithCaptcha> = browser.load::<IdentityForm, _>(&[("token", &invite)]).await;
            form.unwrap().captcha.id
        };
        let proved = |id: &str| format!("{}{}", proof::PREFIX, proof::search(id, 0, 1 << 28, proof::BITS).expect("a proof"));
        let submit = |id: String, answer: String, birth: [&'static str; 3]| {
            let (browser, invite, step2) = (&browser, invite.clone(), step2.clone());
            async move {
                let mut form = identity(&invite, TARO, birth, &answer);
                form[7] = ("captcha_id", &id);
                browser.call::<VerifyIdentity>(Enc::Js, &step2, &form).await
            }
        };
        let captcha_error = |a: common::spawn::Answer| field(&a.refused(422), "captcha");

        // Work that proves nothing, and work for an id this server never issued.
        let id = captcha_id().await;
        let weak = (0..).find(|n| !proof::is_valid(&id, *n, proof::BITS)).unwrap();
        assert_eq!(captcha_error(submit(id, format!("{}{weak}", proof::PREFIX), ["1985", "4", "1"]).await), text::CAPTCHA_WRONG);
        let forged = format!("{}.{}.{}", now_plus(&app, 600), "0".repeat(32), "0".repeat(64));
        assert_eq!(captcha_error(submit(forged.clone(), proved(&forged), ["1985", "4", "1"]).await), text::CAPTCHA_WRONG, "{}", app.db);

        // A proof passes the CAPTCHA (here the birth date is wrong), once: the same again is refused.
        let id = captcha_id().await;
        let answer = proved(&id);
        let e = submit(id.clone(), answer.clone(), ["1985", "4", "2"]).await.refused(422);
        assert_eq!(e.field_message("captcha"), None, "the CAPTCHA passed: {e:?}");
        assert_eq!(captcha_error(submit(id, answer, ["1985", "4", "1"]).await), text::CAPTCHA_WRONG);
        // Four posts of one proof at once (birth date still wrong): the CAPTCHA passes for one.
        let id = captcha_id().await;
        let answer = proved(&id);
        let at_once = futures::future::join_all((0..4).map(|_| submit(id.clone(), answer.clone(), ["1985", "4", "2"]))).await;
        let passed = at_once.into_iter().filter(|a| a.refused(422).field_message("captcha").is_none()).count();
        assert_eq!(passed, 1, "{}", app.db);
        let id = captcha_id().await;
        submit(id.clone(), proved(&id), ["1985", "4", "1"]).await.went_to("/register/key");
        app.stop().await;
    }
}

fn now_plus(app: &TestApp, seconds: i64) -> i64 {
    app::backend::platform::Clock::now(app.state.clock.as_ref()) + seconds
}
