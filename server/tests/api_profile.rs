//! プロフィール設定, the address confirmation link, ログイン中の端末 and パスワード変更 through
//! the server functions' URLs of a running portal (`pages::settings`: `load_profile`,
//! `save_profile`, `resend_email`, `cancel_email`, `email_link`, `confirm_email`,
//! `end_device_session`, `end_other_sessions`, `load_password_page`, `change_password`), without
//! and with JavaScript, on SQLite and PostgreSQL.

mod common;

use app::api::{HomeData, PasswordPageData, PendingEmail, PendingLink, ProfileData};
use app::backend::platform::clock::jst;
use app::domain::MailPreference;
use app::error::AppError;
use app::pages::consent::AgreeConsent;
use app::pages::login::{LoadHome, Login};
use app::pages::settings::{
    CancelEmail, ChangePassword, ConfirmEmail, EmailLink, EndDeviceSession, EndOtherSessions, LoadPasswordPage, LoadProfile, ResendEmail,
    SaveProfile,
};
use app::text::{login as login_text, settings as text};
use common::spawn::{fields, form_message, spawn_app, Browser, Enc, TestApp, IPHONE, WINDOWS_CHROME};
use common::{all_dbs, PASSWORD, T0};
use leptos::server_fn::ServerFn;

const TARO: &str = "taro@corp.test";
const HOME: &str = "taro@home.test";
const NEW: &str = "Quiet9!River-Maple";

/// A logged-in browser of 山田 太郎 (or whoever `login_id` is).
async fn logged_in(app: &TestApp, user_agent: Option<&str>, login_id: &str, password: &str) -> Browser {
    let browser = match user_agent {
        Some(ua) => app.browser_as(ua),
        None => app.browser(),
    };
    browser.call::<Login>(Enc::Js, "/", &[("next", "/home"), ("login_id", login_id), ("password", password)]).await.went_to("/home");
    browser
}

/// プロフィール設定's form as the page sends it: the ticked 配信メール設定 boxes only, and
/// 現在のパスワード always (empty when not typed).
fn profile<'a>(
    login_id: &'a str,
    nickname: &'a str,
    emails: [&'a str; 3],
    ticked: &[MailPreference],
    current: &'a str,
) -> Vec<(&'static str, &'a str)> {
    let mut form =
        vec![("login_id", login_id), ("nickname", nickname), ("email1", emails[0]), ("email2", emails[1]), ("email3", emails[2])];
    form.extend(ticked.iter().map(|p| (p.code(), "on")));
    form.push(("current_password", current));
    form
}

/// パスワード変更's form (with the hidden login ID password managers read).
fn password_form<'a>(current: &'a str, new: &'a str, confirm: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![("current_password", current), ("username", "Yamada.Taro"), ("new_password", new), ("confirm_password", confirm)]
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(f, m)| (f.to_string(), m.to_string())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_is_saved_without_javascript_and_a_new_address_confirmed_by_its_link() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let browser = logged_in(&app, Some(IPHONE), "yamada.taro", PASSWORD).await;
        let page = browser.get("/profile").await;
        assert_eq!(page.status, 200, "{}", app.db);
        assert!(!page.body.contains(&format!("action=\"{}\"", EndOtherSessions::PATH)), "one device: no other to end");
        assert!(
            page.body.contains(&format!("action=\"{}\"", SaveProfile::PATH)) && page.body.contains("value=\"Yamada.Taro\""),
            "{}",
            page.body
        );
        assert!(page.body.contains(text::SESSIONS_TITLE) && page.body.contains("iPhone・Safari") && page.body.contains(text::THIS_DEVICE));

        // A nickname and the 配信メール設定: no password needed, no mail.
        let ticked = [MailPreference::Newsletter, MailPreference::Notices];
        let answer =
            browser.call::<SaveProfile>(Enc::Form, "/profile", &profile("Yamada.Taro", "タロウ", [TARO, "", ""], &ticked, "")).await;
        answer.went_to("/profile?saved=1");
        assert!(browser.get("/profile?saved=1").await.body.contains(text::SAVED));
        let data: ProfileData = browser.load::<LoadProfile, _>(&[]).await;
        assert_eq!((data.nickname.as_str(), data.preferences.as_slice(), data.first_time), ("タロウ", &ticked[..], false), "{}", app.db);

        // Adding an address asks for the password, and shows why on the page.
        let add = |current| profile("Yamada.Taro", "タロウ", [TARO, HOME, ""], &ticked, current);
        let answer = browser.call::<SaveProfile>(Enc::Form, "/profile", &add("")).await;
        assert_eq!(fields(&answer.refused(422)), pairs(&[("current_password", text::REAUTH_REQUIRED)]), "{}", app.db);
        assert!(browser.get(answer.location().strip_prefix(&app.base).unwrap()).await.body.contains(text::REAUTH_REQUIRED));
        let e = browser.call::<SaveProfile>(Enc::Form, "/profile", &add("Wrong#Pass1")).await.refused(422);
        assert_eq!(fields(&e), pairs(&[("current_password", text::REAUTH_WRONG)]));
        browser.call::<SaveProfile>(Enc::Form, "/profile", &add(PASSWORD)).await.went_to("/profile?saved=pending");

        // Pending until the link in the mail to the new address is used.
        let data: ProfileData = browser.load::<LoadProfile, _>(&[]).await;
        assert_eq!(data.emails, vec![TARO.to_string(), String::new(), String::new()], "{}", app.db);
        assert_eq!(data.pending, vec![PendingEmail { slot: 2, email: HOME.into(), expires: jst(T0 + 24 * 3600, "%Y/%m/%d %H:%M") }]);
        let page = browser.get("/profile?saved=pending").await;
        assert!(
            page.body.contains(text::SAVED_PENDING) && page.body.contains(text::PENDING_TITLE) && page.body.contains(HOME),
            "{}",
            page.body
        );
        assert!(page.body.contains(&format!("action=\"{}\"", app::pages::settings::ResendEmail::PATH)));
        assert!(page.body.contains(&format!("action=\"{}\"", app::pages::settings::CancelEmail::PATH)));
        let token = app.token_in(&app.mail(HOME, app::text::mail::SUBJECT_EMAIL_CONFIRM).await, "/profile/email/");

        // The link works on another device, without a session.
        let phone = app.browser();
        let link = format!("/profile/email/{token}");
        assert_eq!(
            phone.load::<EmailLink, Option<PendingLink>>(&[("token", &token)]).await,
            Some(PendingLink { slot: 2, email: HOME.into() })
        );
        let page = phone.get(&link).await;
        assert!(page.body.contains(&format!("action=\"{}\"", ConfirmEmail::PATH)) && page.body.contains(HOME), "{}", page.body);
        phone.call::<ConfirmEmail>(Enc::Form, &link, &[("token", &token)]).await.went_to("/profile/email-confirmed");
        assert!(phone.get("/profile/email-confirmed").await.body.contains(text::EMAIL_CONFIRMED));
        let data: ProfileData = browser.load::<LoadProfile, _>(&[]).await;
        assert_eq!((data.emails, data.pending), (vec![TARO.to_string(), HOME.to_string(), String::new()], vec![]), "{}", app.db);
        assert!(app.mail(TARO, app::text::mail::SUBJECT_EMAIL_CHANGED).await.body().contains("メールアドレス2が変更されました"));

        // Single use.
        let e = phone.call::<ConfirmEmail>(Enc::Form, &link, &[("token", &token)]).await.refused(422);
        assert_eq!(form_message(&e), text::EMAIL_LINK_INVALID);
        assert_eq!(phone.load::<EmailLink, Option<PendingLink>>(&[("token", &token)]).await, None);
        assert!(phone.get(&link).await.body.contains(text::EMAIL_LINK_INVALID));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_pending_addresses_are_resent_cancelled_and_limited() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let browser = logged_in(&app, None, "yamada.taro", PASSWORD).await;
        let all = MailPreference::ALL;

        // Every field's message at once; a repeated address; a taken login ID.
        let e = browser.call::<SaveProfile>(Enc::Js, "/profile", &profile("short", "", ["", "x@", ""], &all, "")).await.refused(422);
        assert_eq!(
            fields(&e),
            pairs(&[
                ("login_id", "ログインIDは8文字以上39文字以内で入力してください（現在5文字）。"),
                ("nickname", "ニックネームを入力してください。"),
                ("email1", "メールアドレス1を入力してください。"),
                ("email2", "メールアドレスの形式が正しくありません。半角英数字で、例：taro@example.co.jp のように入力してください。"),
            ]),
            "{}",
            app.db
        );
        let e = browser
            .call::<SaveProfile>(Enc::Js, "/profile", &profile("Yamada.Taro", "たろう", [TARO, "", "TARO@corp.test"], &all, ""))
            .await
            .refused(422);
        assert_eq!(
            fields(&e),
            pairs(&[(
                "email3",
                "メールアドレス1と同じメールアドレスです。メールアドレス1～3には、それぞれ異なるメールアドレスを入力してください。"
            )])
        );
        let e = browser
            .call::<SaveProfile>(Enc::Js, "/profile", &profile("SATO.hanako", "たろう", [TARO, "", ""], &all, PASSWORD))
            .await
            .refused(422);
        assert_eq!(fields(&e), pairs(&[("login_id", app::text::registration::LOGIN_ID_TAKEN)]), "{}", app.db);

        // Address 3, resent (the first link stops working), then cancelled.
        browser
            .call::<SaveProfile>(Enc::Js, "/profile", &profile("Yamada.Taro", "たろう", [TARO, "", HOME], &all, PASSWORD))
            .await
            .went_to("/profile?saved=pending");
        let first = app.token_in(&app.nth_mail(HOME, app::text::mail::SUBJECT_EMAIL_CONFIRM, 1).await, "/profile/email/");
        browser.call::<ResendEmail>(Enc::Js, "/profile", &[("slot", "3")]).await.went_to("/profile?resent=1");
        let second = app.token_in(&app.nth_mail(HOME, app::text::mail::SUBJECT_EMAIL_CONFIRM, 2).await, "/profile/email/");
        assert_ne!(first, second);
        assert_eq!(browser.load::<EmailLink, Option<PendingLink>>(&[("token", &first)]).await, None, "{}", app.db);
        assert_eq!(
            browser.load::<EmailLink, Option<PendingLink>>(&[("token", &second)]).await,
            Some(PendingLink { slot: 3, email: HOME.into() })
        );
        assert!(browser.get("/profile?resent=1").await.body.contains(text::RESENT));
        browser.call::<CancelEmail>(Enc::Form, "/profile", &[("slot", "3")]).await.went_to("/profile?cancelled=1");
        assert_eq!(browser.load::<EmailLink, Option<PendingLink>>(&[("token", &second)]).await, None);
        assert!(browser.get("/profile?cancelled=1").await.body.contains(text::CANCELLED));
        browser
            .call::<SaveProfile>(Enc::Js, "/profile", &profile("Yamada.Taro", "たろう", [TARO, "", HOME], &all, PASSWORD))
            .await
            .went_to("/profile?saved=pending");
        let third = app.token_in(&app.nth_mail(HOME, app::text::mail::SUBJECT_EMAIL_CONFIRM, 3).await, "/profile/email/");
        browser.call::<CancelEmail>(Enc::Js, "/profile", &[("slot", "3")]).await.went_to("/profile?cancelled=1");
        assert_eq!(browser.load::<EmailLink, Option<PendingLink>>(&[("token", &third)]).await, None);
        let e = browser.call::<ConfirmEmail>(Enc::Js, "/profile/email/x", &[("token", &second)]).await.refused(422);
        assert_eq!(form_message(&e), text::EMAIL_LINK_INVALID);
        for enc in Enc::BOTH {
            assert_eq!(
                form_message(&browser.call::<CancelEmail>(enc, "/profile", &[("slot", "3")]).await.refused(422)),
                text::NOTHING_PENDING,
                "{enc:?}"
            );
            assert_eq!(
                form_message(&browser.call::<ResendEmail>(enc, "/profile", &[("slot", "3")]).await.refused(422)),
                text::NOTHING_PENDING,
                "{enc:?}"
            );
        }

        // Ten confirmation mails an hour (three so far): the eleventh is refused with 429.
        browser
            .call::<SaveProfile>(Enc::Js, "/profile", &profile("Yamada.Taro", "たろう", [TARO, "a@home.test", ""], &all, PASSWORD))
            .await
            .went_to("/profile?saved=pending");
        for _ in 0..6 {
            browser.call::<ResendEmail>(Enc::Form, "/profile", &[("slot", "2")]).await.went_to("/profile?resent=1");
        }
        for enc in Enc::BOTH {
            let e = browser.call::<ResendEmail>(enc, "/profile", &[("slot", "2")]).await.refused(429);
            assert_eq!(e, AppError::Limited(text::TOO_MANY_RESENDS.into()), "{enc:?} {}", app.db);
        }
        app.nth_mail("a@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM, 7).await;
        // An hour later (a new session: the old one timed out) one more may go.
        app.clock.advance(3600 + 1);
        browser.call::<LoadProfile>(Enc::Js, "/profile", &[]).await.sent_elsewhere("/?next=/profile&ended=1");
        let browser = logged_in(&app, None, "yamada.taro", PASSWORD).await;
        browser.call::<ResendEmail>(Enc::Js, "/profile", &[("slot", "2")]).await.went_to("/profile?resent=1");
        let last = app.nth_mail("a@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM, 8).await;
        assert_eq!(app.mails("a@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).len(), 8, "none for the refusals: {}", app.db);

        // The last link, confirmed with JavaScript.
        let token = app.token_in(&last, "/profile/email/");
        let link = format!("/profile/email/{token}");
        browser.call::<ConfirmEmail>(Enc::Js, &link, &[("token", &token)]).await.went_to("/profile/email-confirmed");
        let data: ProfileData = browser.load::<LoadProfile, _>(&[]).await;
        assert_eq!(data.emails, vec![TARO.to_string(), "a@home.test".to_string(), String::new()], "{}", app.db);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_listed_and_ended_from_another_device() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let phone = logged_in(&app, Some(IPHONE), "yamada.taro", PASSWORD).await;
        let office = logged_in(&app, Some(WINDOWS_CHROME), "yamada.taro", PASSWORD).await;
        let unknown = logged_in(&app, None, "yamada.taro", PASSWORD).await;
        let hanako = logged_in(&app, Some(WINDOWS_CHROME), "sato.hanako", PASSWORD).await;

        let data: ProfileData = phone.load::<LoadProfile, _>(&[]).await;
        let devices: Vec<(&str, bool)> = data.sessions.iter().map(|s| (s.device.as_str(), s.current)).collect();
        assert_eq!(devices.len(), 3, "{devices:?} {}", app.db);
        assert_eq!(devices[0], ("iPhone・Safari", true), "the caller's first");
        assert!(devices.contains(&("Windows・Chrome", false)) && devices.contains(&(text::UNKNOWN_DEVICE, false)), "{devices:?}");
        assert!(data.sessions.iter().all(|s| s.logged_in == jst(T0, "%Y/%m/%d %H:%M")));
        let page = phone.get("/profile").await;
        for action in [EndDeviceSession::PATH, EndOtherSessions::PATH] {
            assert!(page.body.contains(&format!("action=\"{action}\"")), "{action}: {}", page.body);
        }
        let office_handle = data.sessions.iter().find(|s| s.device == "Windows・Chrome").unwrap().handle.clone();

        // 「ログアウトさせる」 without JavaScript: that device is logged out, and told so.
        phone.call::<EndDeviceSession>(Enc::Form, "/profile", &[("handle", &office_handle)]).await.went_to("/profile?ended=1");
        assert!(phone.get("/profile?ended=1").await.body.contains(text::SESSION_ENDED));
        office.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/?next=/home&ended=1");

        // Another account's session cannot be named.
        let hers: ProfileData = hanako.load::<LoadProfile, _>(&[]).await;
        phone.call::<EndDeviceSession>(Enc::Js, "/profile", &[("handle", &hers.sessions[0].handle)]).await.went_to("/profile?ended=1");
        let home: HomeData = hanako.load::<LoadHome, _>(&[]).await;
        assert_eq!(home.name, "佐藤 花子", "{}", app.db);

        // 「他の端末をすべてログアウト」 with JavaScript.
        phone.call::<EndOtherSessions>(Enc::Js, "/profile", &[]).await.went_to("/profile?others=1");
        unknown.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/?next=/home&ended=1");
        let data: ProfileData = phone.load::<LoadProfile, _>(&[]).await;
        assert_eq!(data.sessions.len(), 1, "{}", app.db);
        assert!(phone.get("/profile?others=1").await.body.contains(text::OTHERS_ENDED));
        // And without JavaScript.
        let again = logged_in(&app, Some(WINDOWS_CHROME), "yamada.taro", PASSWORD).await;
        phone.call::<EndOtherSessions>(Enc::Form, "/profile", &[]).await.went_to("/profile?others=1");
        again.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/?next=/home&ended=1");
        let events = app.audit_events().await;
        assert_eq!(events.iter().filter(|e| *e == "session_ended_by_member").count(), 1, "{events:?}");
        assert_eq!(events.iter().filter(|e| *e == "other_sessions_ended").count(), 2, "{events:?}");

        // Without a session every one of them sends to the login page, coming back after it.
        let nobody = app.browser();
        for enc in Enc::BOTH {
            nobody.call::<EndOtherSessions>(enc, "/profile", &[]).await.sent_elsewhere("/?next=/profile");
            nobody.call::<EndDeviceSession>(enc, "/profile", &[("handle", &office_handle)]).await.sent_elsewhere("/?next=/profile");
            nobody
                .call::<SaveProfile>(enc, "/profile", &profile("Yamada.Taro", "x", [TARO, "", ""], &[], ""))
                .await
                .sent_elsewhere("/?next=/profile");
            nobody.call::<ResendEmail>(enc, "/profile", &[("slot", "2")]).await.sent_elsewhere("/?next=/profile");
            nobody.call::<CancelEmail>(enc, "/profile", &[("slot", "2")]).await.sent_elsewhere("/?next=/profile");
            nobody.call::<ChangePassword>(enc, "/password", &password_form(PASSWORD, NEW, NEW)).await.sent_elsewhere("/?next=/password");
        }
        nobody.call::<LoadProfile>(Enc::Js, "/profile", &[]).await.sent_elsewhere("/?next=/profile");
        nobody.call::<LoadPasswordPage>(Enc::Js, "/password", &[]).await.sent_elsewhere("/?next=/password");
        assert_eq!(nobody.get("/profile").await.location(), "/?next=/profile");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_is_changed_and_the_other_devices_logged_out() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let browser = logged_in(&app, Some(IPHONE), "yamada.taro", PASSWORD).await;
        let other = logged_in(&app, Some(WINDOWS_CHROME), "yamada.taro", PASSWORD).await;
        let data: PasswordPageData = browser.load::<LoadPasswordPage, _>(&[]).await;
        assert_eq!(data, PasswordPageData { login_id: "Yamada.Taro".into(), email1: Some(TARO.into()), first_time: false }, "{}", app.db);
        let page = browser.get("/password").await;
        assert!(page.body.contains(&format!("action=\"{}\"", ChangePassword::PATH)), "{}", page.body);

        let e = browser.call::<ChangePassword>(Enc::Js, "/password", &password_form("", "short", "x")).await.refused(422);
        assert_eq!(
            fields(&e),
            pairs(&[
                ("current_password", text::CURRENT_REQUIRED),
                ("new_password", "パスワードは10文字以上39文字以内で入力してください（現在5文字）。"),
                ("confirm_password", "パスワードと確認用パスワードが一致しません。"),
            ]),
            "{}",
            app.db
        );
        let e = browser.call::<ChangePassword>(Enc::Js, "/password", &password_form("Wrong#Pass1", NEW, NEW)).await.refused(422);
        assert_eq!(fields(&e), pairs(&[("current_password", text::CURRENT_WRONG)]));
        let e = browser.call::<ChangePassword>(Enc::Js, "/password", &password_form(PASSWORD, PASSWORD, PASSWORD)).await.refused(422);
        assert_eq!(fields(&e), pairs(&[("new_password", text::SAME_AS_CURRENT)]));
        let with_id = "Yamada.Taro#2026x";
        let answer = browser.call::<ChangePassword>(Enc::Form, "/password", &password_form(PASSWORD, with_id, with_id)).await;
        assert_eq!(fields(&answer.refused(422)), pairs(&[("new_password", "パスワードにログインIDを含めることはできません。")]));
        assert!(browser
            .get(answer.location().strip_prefix(&app.base).unwrap())
            .await
            .body
            .contains("パスワードにログインIDを含めることはできません。"));

        browser.call::<ChangePassword>(Enc::Form, "/password", &password_form(PASSWORD, NEW, NEW)).await.went_to("/password?changed=1");
        assert!(browser.get("/password?changed=1").await.body.contains(text::PASSWORD_CHANGED));
        // This device stays logged in; the other one is logged out.
        let home: HomeData = browser.load::<LoadHome, _>(&[]).await;
        assert_eq!(home.name, "山田 太郎");
        other.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/?next=/home&ended=1");
        assert!(app.mail(TARO, app::text::mail::SUBJECT_PASSWORD_CHANGED).await.body().contains(&format!("{}/forgot", app.base)));

        let fresh = app.browser();
        let e =
            fresh.call::<Login>(Enc::Js, "/", &[("next", "/home"), ("login_id", "yamada.taro"), ("password", PASSWORD)]).await.refused(422);
        assert_eq!(form_message(&e), login_text::WRONG, "{}", app.db);
        fresh.call::<Login>(Enc::Js, "/", &[("next", "/home"), ("login_id", "yamada.taro"), ("password", NEW)]).await.went_to("/home");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_temporary_password_leads_through_password_change_consent_and_the_first_profile() {
    use app::backend::members::temp_credentials::{issue, Selection};
    use app::domain::{Bango, Kigo};
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        common::spawn::import_roster(&app.state).await;
        let report =
            issue(&app.state.db, T0, &Selection::Members(vec![(Kigo::parse("12").unwrap(), Bango::parse("345").unwrap())]), 30, None)
                .await
                .unwrap();
        let paper = &report.issued[0];
        let browser = logged_in(&app, None, &paper.login_id, &paper.password).await;

        // Nothing but パスワード変更 until it is done.
        browser.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/password");
        browser.call::<LoadProfile>(Enc::Js, "/profile", &[]).await.sent_elsewhere("/password");
        assert_eq!(browser.get("/home").await.location(), "/password");
        let data: PasswordPageData = browser.load::<LoadPasswordPage, _>(&[]).await;
        assert_eq!((data.email1, data.first_time), (None, true), "{}", app.db);
        assert!(browser.get("/password").await.body.contains(text::PASSWORD_FIRST));
        let form = [
            ("current_password", paper.password.as_str()),
            ("username", paper.login_id.as_str()),
            ("new_password", NEW),
            ("confirm_password", NEW),
        ];
        browser.call::<ChangePassword>(Enc::Js, "/password", &form).await.went_to("/home");

        // Then 利用規約 and 個人情報の取扱い (a paper letter asked no agreement)...
        browser.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/consent");
        let agreed = [("agree", "on"), ("consent_version", common::consent_key())];
        browser.call::<AgreeConsent>(Enc::Form, "/consent", &agreed).await.went_to("/home");

        // ...then プロフィール設定, once.
        browser.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/profile");
        let data: ProfileData = browser.load::<LoadProfile, _>(&[]).await;
        assert!(data.first_time && data.emails == vec![String::new(); 3], "{data:?}");
        let page = browser.get("/profile").await;
        assert!(page.body.contains(text::PROFILE_FIRST) && !page.body.contains(text::SESSIONS_TITLE), "{}", page.body);
        let form = profile("Yamada.Taro", "たろう", [HOME, "", ""], &MailPreference::ALL, NEW);
        browser.call::<SaveProfile>(Enc::Form, "/profile", &form).await.went_to("/home");
        let home: HomeData = browser.load::<LoadHome, _>(&[]).await;
        assert_eq!(home.name, "山田 太郎", "{}", app.db);
        app.token_in(&app.mail(HOME, app::text::mail::SUBJECT_EMAIL_CONFIRM).await, "/profile/email/");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_advice_about_a_company_address_1_is_for_voluntary_and_special_retiree_members_only() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let browser = logged_in(&app, None, "yamada.taro", PASSWORD).await;
        let advice = app::text::settings::PROFILE_RETIREE;
        let data: ProfileData = browser.load::<LoadProfile, _>(&[]).await;
        assert!(!data.left_company, "在職 ({})", t.name);
        assert!(!browser.get("/profile").await.body.contains(advice), "{}", t.name);
        for status in ["voluntary_continuation", "special_retiree"] {
            sqlx::query("UPDATE roster SET status = $1 WHERE kigo = '12' AND bango = '345'")
                .bind(status)
                .execute(&app.state.db)
                .await
                .unwrap();
            let data: ProfileData = browser.load::<LoadProfile, _>(&[]).await;
            assert!(data.left_company, "{status} ({})", t.name);
            assert!(browser.get("/profile").await.body.contains(advice), "{status} ({})", t.name);
        }
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn withdrawal_deletes_the_account_once_keeps_the_roster_tells_address_1_and_allows_a_new_registration() {
    use app::pages::settings::Withdraw;
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let count = |sql: &'static str| {
            let db = app.state.db.clone();
            async move { sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql)).fetch_one(&db).await.unwrap().0 }
        };
        let (id,): (String,) =
            sqlx::query_as("SELECT id FROM accounts WHERE kigo = '12' AND bango = '345'").fetch_one(&app.state.db).await.unwrap();
        let browser = logged_in(&app, None, "yamada.taro", PASSWORD).await;
        let other_device = logged_in(&app, Some(IPHONE), "yamada.taro", PASSWORD).await;
        assert_eq!(browser.get("/withdraw").await.status, 200);

        // A wrong password: next to the field, nothing deleted.
        let e = browser.call::<Withdraw>(Enc::Form, "/withdraw", &[("current_password", "Wrong#Pass12")]).await.refused(422);
        assert_eq!(fields(&e), pairs(&[("current_password", text::REAUTH_WRONG)]), "{}", t.name);
        let e = browser.call::<Withdraw>(Enc::Js, "/withdraw", &[("current_password", "")]).await.refused(422);
        assert_eq!(fields(&e), pairs(&[("current_password", text::WITHDRAW_REQUIRED)]));
        assert_eq!(count("SELECT COUNT(*) FROM accounts").await, 2);

        // Four at once (a double click, a reload): one withdrawal, one notice.
        let answers =
            futures::future::join_all((0..4).map(|_| browser.call::<Withdraw>(Enc::Js, "/withdraw", &[("current_password", PASSWORD)])))
                .await;
        let done = answers.iter().filter(|a| a.status == 200 && a.header("location") == Some("/withdrawn")).count();
        assert_eq!(done, 1, "{:?}", answers.iter().map(|a| (a.status, a.body.clone())).collect::<Vec<_>>());
        for a in answers.iter().filter(|a| a.status != 200) {
            assert!([401, 410, 422].contains(&a.status), "{} {}", a.status, a.body);
        }
        let notice = app.mail(TARO, app::text::mail::SUBJECT_WITHDRAWN).await;
        assert!(notice.body().contains("/register"));
        assert_eq!(app.mails(TARO, app::text::mail::SUBJECT_WITHDRAWN).len(), 1);

        // The account and what hangs from it are gone; the roster row and the other member stay.
        assert_eq!(count("SELECT COUNT(*) FROM accounts").await, 1);
        assert_eq!(count("SELECT COUNT(*) FROM roster WHERE kigo = '12' AND bango = '345'").await, 1);
        for table in ["sessions", "account_emails", "email_changes", "password_resets"] {
            let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table} WHERE account_id = $1")))
                .bind(&id)
                .fetch_one(&app.state.db)
                .await
                .unwrap();
            assert_eq!(n, 0, "{table} ({})", t.name);
        }
        // The audit log keeps the history under a keyed pseudonym, not the account id.
        let (left,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE account_id = $1").bind(&id).fetch_one(&app.state.db).await.unwrap();
        assert_eq!(left, 0);
        let pseudonymous: Vec<(String, String)> =
            sqlx::query_as("SELECT event, account_id FROM audit_log WHERE account_id LIKE 'withdrawn-%' ORDER BY at")
                .fetch_all(&app.state.db)
                .await
                .unwrap();
        assert!(pseudonymous.iter().any(|(e, _)| e == "account_created") && pseudonymous.iter().any(|(e, _)| e == "account_withdrawn"));
        assert!(pseudonymous.iter().all(|(_, a)| a == &pseudonymous[0].1), "one pseudonym for the member's history");

        // Both devices are logged out; the login ID no longer works.
        other_device.call::<LoadProfile>(Enc::Js, "/profile", &[]).await.sent_elsewhere("/?next=/profile&ended=1");
        let again = app.browser();
        let login = again.call::<Login>(Enc::Js, "/", &[("next", "/home"), ("login_id", "yamada.taro"), ("password", PASSWORD)]).await;
        assert_eq!(login.status, 422);

        // The member may register again with the same address: step 1 sends a new invitation
        // (not 「ご登録済みのメールアドレスです」).
        let email = app::domain::Email::parse(TARO).unwrap();
        app::backend::members::registration::start(&app.state, None, &email).await.unwrap();
        app.nth_mail(TARO, app::text::mail::SUBJECT_M1, 2).await;
        assert!(app.mails(TARO, app::text::mail::SUBJECT_ALREADY_REGISTERED).is_empty());
        app.stop().await;
    }
}
