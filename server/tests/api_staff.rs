//! 職員画面 through the server functions' URLs of a running portal, on SQLite and PostgreSQL:
//! the first 管理者 from the CLI's service, setup with an authenticator, the two-factor login
//! (replay, backup codes, lock), roles, every page and server function refusing without a
//! staff session, member support, the inquiry queue, the audit log and its export.

mod common;

use app::api::staff::{Letters, SetupInfo};
use app::backend::identity::totp;
use app::domain::{Email, StaffRole};
use app::error::AppError;
use app::pages::staff::accounts::{AddStaff, ChangeStaff, LoadStaffList, StaffListData};
use app::pages::staff::approvals::{DecideRequest, LoadApproval, LoadApprovals};
use app::pages::staff::audit::{AuditData, LoadAudit};
use app::pages::staff::inquiries::{ChangeInquiry, InquiryData, LoadInquiries, LoadInquiry, QueueData};
use app::pages::staff::login::{CompleteSetup, LoadSetup, StaffLogin};
use app::pages::staff::members::{ActOnMember, IssueAllLetters, LoadLettersPage, LoadMember, MemberData, SearchData, SearchMembers};
use app::pages::staff::notices::{LoadNoticeForm, LoadNotices, SaveNotice, WithdrawNotice};
use app::pages::staff::roster::{ApplyRoster, LoadRosterPage, LoadRosterPreview};
use app::pages::staff::{EndOtherStaffDevices, EndStaffDevice, LoadDashboard, LoadMailErrors, MailErrorsData, StaffLogout};
use app::text::staff as text;
use common::spawn::{field, form_message, spawn_app, spawn_app_with, Browser, Enc, TestApp, TARO};
use common::staff::{add_staff, log_in, set_up, staff_browser, Now, STAFF_PASSWORD};
use common::{all_dbs, cookie_parts, PASSWORD};
use leptos::server_fn::ServerFn;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_admin_sets_up_an_authenticator_and_logs_in_with_two_factors() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        let token = add_staff(&app, "管理 花子", "kanri@kenpo.test", StaffRole::Admin).await;
        let setup = format!("/staff/setup/{token}");
        let browser = app.browser();

        // A wrong code and a short password are told next to their fields; nothing is set up.
        let info: SetupInfo = browser.load::<LoadSetup, _>(&[("token", &token)]).await;
        let wrong = browser
            .call::<CompleteSetup>(
                Enc::Js,
                &setup,
                &[("token", &token), ("password", "Short#1a"), ("password_confirm", "Short#1a"), ("code", "000000")],
            )
            .await
            .refused(422);
        assert!(field(&wrong, "password").contains("12文字以上"), "{wrong:?}");
        let wrong = browser
            .call::<CompleteSetup>(
                Enc::Js,
                &setup,
                &[("token", &token), ("password", STAFF_PASSWORD), ("password_confirm", STAFF_PASSWORD), ("code", "000000")],
            )
            .await
            .refused(422);
        assert_eq!(field(&wrong, "code"), text::SETUP_CODE_WRONG);

        let (secret, codes) = set_up(&app, &token).await;
        assert_eq!(secret, info.secret);
        let (stored,): (String,) = sqlx::query_as("SELECT totp_secret FROM staff").fetch_one(&app.state.db).await.unwrap();
        assert!(stored.starts_with("v2.") && !stored.contains(&secret), "stored sealed, not as the app's key: {stored}");
        assert_eq!(codes.len(), 10, "{codes:?}");
        // The link is spent.
        let again = browser
            .call::<CompleteSetup>(
                Enc::Js,
                &setup,
                &[("token", &token), ("password", STAFF_PASSWORD), ("password_confirm", STAFF_PASSWORD), ("code", "123456")],
            )
            .await
            .refused(410);
        assert_eq!(form_message(&again), text::SETUP_LINK_GONE);

        // The code just used for the setup cannot log in (same step): replay refused.
        let used = totp::code_at(&secret, app.clock_now()).unwrap();
        let login = |code: String| {
            let browser = &browser;
            async move {
                browser
                    .call::<StaffLogin>(
                        Enc::Js,
                        "/staff/login",
                        &[("email", "KANRI@kenpo.test"), ("password", STAFF_PASSWORD), ("code", &code), ("next", "/staff/members")],
                    )
                    .await
            }
        };
        assert_eq!(form_message(&login(used).await.refused(422)), text::LOGIN_WRONG);
        // The next step's code works once; sent again (a replay) it is refused.
        app.clock.advance(30);
        let code = totp::code_at(&secret, app.clock_now()).unwrap();
        let ok = login(code.clone()).await;
        ok.went_to("/staff/members");
        let cookie = ok.set_cookie("staff_session").expect("a staff session cookie");
        assert_eq!(cookie_parts(&cookie)[1..], ["HttpOnly", "Max-Age=28800", "Path=/staff", "SameSite=Lax"], "{cookie}");
        assert_eq!(form_message(&login(code).await.refused(422)), text::LOGIN_WRONG);
        // A backup code works once.
        let backup = codes[0].clone();
        login(backup.clone()).await.went_to("/staff/members");
        assert_eq!(form_message(&login(backup).await.refused(422)), text::LOGIN_WRONG);

        let dashboard = browser.get("/staff").await;
        assert_eq!(dashboard.status, 200, "{}", dashboard.body);
        assert!(dashboard.body.contains("管理 花子") && dashboard.body.contains(text::MENU_STAFF), "{}", dashboard.body);

        let events = app.audit_events().await;
        for e in ["staff_added", "staff_setup_completed", "staff_login", "staff_login_failed"] {
            assert!(events.contains(&e.to_string()), "{e} in {events:?}");
        }
        browser.call::<StaffLogout>(Enc::Form, "/staff", &[]).await.went_to("/staff/login");
        let after = browser.get("/staff").await;
        assert_eq!((after.status, after.location()), (302, "/staff/login?next=/staff"), "{}", app.db);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codes_sent_at_once_log_in_once_and_failures_lock_the_staff_id() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        let token = add_staff(&app, "担当 次郎", "tanto@kenpo.test", StaffRole::Agent).await;
        let (secret, _) = set_up(&app, &token).await;
        app.clock.advance(30);
        let code = totp::code_at(&secret, app.clock_now()).unwrap();
        // Eight logins with the same code at once: exactly one session.
        let browsers: Vec<Browser> = (0..8).map(|_| app.browser()).collect();
        let fields = [("email", "tanto@kenpo.test"), ("password", STAFF_PASSWORD), ("code", code.as_str()), ("next", "/staff")];
        let answers = futures::future::join_all(browsers.iter().map(|b| b.call::<StaffLogin>(Enc::Js, "/staff/login", &fields))).await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1, "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
        let (sessions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff_sessions").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(sessions, 1, "{}", app.db);

        // Wrong codes count like wrong passwords: the 10th failure locks the ID (waits between tries).
        let browser = app.browser();
        let mut last = None;
        for _ in 0..10 {
            app.clock.advance(40);
            let a = browser
                .call::<StaffLogin>(
                    Enc::Js,
                    "/staff/login",
                    &[("email", "tanto@kenpo.test"), ("password", STAFF_PASSWORD), ("code", "000000"), ("next", "/staff")],
                )
                .await;
            last = Some(a.refused(422));
        }
        assert_eq!(form_message(&last.unwrap()), app::text::login::LOCKED);
        app.clock.advance(30);
        let right = totp::code_at(&secret, app.clock_now()).unwrap();
        let locked = browser
            .call::<StaffLogin>(
                Enc::Js,
                "/staff/login",
                &[("email", "tanto@kenpo.test"), ("password", STAFF_PASSWORD), ("code", &right), ("next", "/staff")],
            )
            .await
            .refused(422);
        assert_eq!(form_message(&locked), app::text::login::LOCKED, "locked even with everything right");
        assert!(app.audit_events().await.contains(&"staff_login_locked".to_string()));
        let notice = app.mail("tanto@kenpo.test", app::text::mail::SUBJECT_LOCKED).await;
        assert!(notice.body().contains("管理者に連絡") && !notice.body().contains("/forgot"), "{}", notice.body());
        app.stop().await;
    }
}

/// Every staff page, and every staff server function with the fields its form sends.
const PAGES: [&str; 19] = [
    "/staff/approvals",
    "/staff/approvals/x",
    "/staff/staff/x/disable",
    "/staff/roster",
    "/staff/roster/abc",
    "/staff/mail-errors",
    "/staff/notices",
    "/staff/notices/new",
    "/staff",
    "/staff/members?q=12-345",
    "/staff/members/12/345",
    "/staff/members/12/345/unlock",
    "/staff/letters",
    "/staff/inquiries",
    "/staff/inquiries/Q-20260921-AAAA",
    "/staff/audit",
    "/staff/staff",
    "/staff/audit.csv",
    "/staff/members/12/345/temp-password",
];

fn server_functions() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        (LoadDashboard::PATH, vec![]),
        (EndStaffDevice::PATH, vec![("handle", "0123456789abcdef")]),
        (EndOtherStaffDevices::PATH, vec![]),
        (SearchMembers::PATH, vec![("q", "12-345"), ("page", "1")]),
        (LoadMember::PATH, vec![("kigo", "12"), ("bango", "345")]),
        (ActOnMember::PATH, vec![("kigo", "12"), ("bango", "345"), ("action", "disable"), ("reason", "テスト")]),
        (LoadLettersPage::PATH, vec![]),
        (IssueAllLetters::PATH, vec![("reason", "テスト"), ("expected", "0")]),
        (LoadApprovals::PATH, vec![]),
        (LoadApproval::PATH, vec![("id", "x")]),
        (DecideRequest::PATH, vec![("id", "x"), ("decision", "approve"), ("note", "テスト")]),
        (LoadInquiries::PATH, vec![("status", ""), ("reference", ""), ("page", "1")]),
        (LoadInquiry::PATH, vec![("reference", "Q-20260921-AAAA")]),
        (ChangeInquiry::PATH, vec![("reference", "Q-20260921-AAAA"), ("note", "メモ")]),
        (LoadAudit::PATH, vec![("from", ""), ("to", ""), ("staff_id", ""), ("member", ""), ("event", ""), ("page", "1")]),
        (LoadMailErrors::PATH, vec![]),
        (LoadNotices::PATH, vec![]),
        (LoadNoticeForm::PATH, vec![("id", "new")]),
        (SaveNotice::PATH, vec![("id", "new"), ("title", "侵入"), ("body", "本文"), ("starts", "2026-09-21T09:00"), ("ends", "")]),
        (WithdrawNotice::PATH, vec![("id", "x"), ("withdrawn", "1")]),
        (LoadRosterPage::PATH, vec![]),
        (LoadRosterPreview::PATH, vec![("id", "abc")]),
        (ApplyRoster::PATH, vec![("id", "abc"), ("digest", "x")]),
        (LoadStaffList::PATH, vec![]),
        (AddStaff::PATH, vec![("name", "侵入 者"), ("email", "x@evil.test"), ("role", "admin")]),
        (ChangeStaff::PATH, vec![("id", "x"), ("what", "disable"), ("reason", "テスト")]),
    ]
}

/// POSTs a server function by its path (the list above mixes their types).
async fn post(app: &TestApp, browser_cookie: Option<(&str, &str)>, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let body = fields.iter().map(|(k, v)| format!("{k}={}", app::domain::query_value(v))).collect::<Vec<_>>().join("&");
    let mut request = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}{path}", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", &app.base)
        .body(body);
    if let Some((name, value)) = browser_cookie {
        request = request.header("cookie", format!("{name}={value}"));
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_of_the_console_answers_without_a_staff_session_and_agents_cannot_manage_staff() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let member = app.browser();
        member
            .call::<app::pages::login::Login>(Enc::Form, "/", &[("login_id", TARO.login_id), ("password", PASSWORD), ("next", "/home")])
            .await
            .went_to("/home");
        let member_cookie = member.cookie("portal_session").unwrap();
        let staff_before: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff").fetch_one(&app.state.db).await.unwrap();

        for cookie in [None, Some(("portal_session", member_cookie.as_str())), Some(("staff_session", "0123456789abcdef"))] {
            for page in PAGES {
                let browser = app.browser();
                if let Some((k, v)) = cookie {
                    browser.set_cookie(k, v);
                }
                let answer = browser.get(page).await;
                assert_eq!(answer.status, 302, "{page} with {cookie:?} ({}): {}", app.db, answer.body);
                assert!(answer.location().starts_with("/staff/login?next="), "{page}: {}", answer.location());
                assert!(!answer.body.contains("山田"), "no member data leaks: {page}");
            }
            for (path, fields) in server_functions() {
                let answer = post(&app, cookie, path, &fields).await;
                assert_eq!(answer.status(), 401, "{path} with {cookie:?} ({})", app.db);
                let error: AppError = serde_json::from_str(&answer.text().await.unwrap()).unwrap();
                assert!(matches!(error, AppError::Redirect(ref to) if to.starts_with("/staff/login?next=")), "{path}: {error:?}");
            }
        }
        // A setup link that does not exist: 410, nothing shown.
        let gone = app.browser().call::<LoadSetup>(Enc::Js, "/staff/setup/x", &[("token", "deadbeef")]).await.refused(410);
        assert_eq!(form_message(&gone), text::SETUP_LINK_GONE);

        // A 担当者 may do member support but not staff management.
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        let agent_cookie = agent.cookie("staff_session").unwrap();
        for (path, fields) in server_functions() {
            let answer = post(&app, Some(("staff_session", &agent_cookie)), path, &fields).await;
            let is_admin_only = [
                LoadStaffList::PATH,
                AddStaff::PATH,
                ChangeStaff::PATH,
                LoadRosterPage::PATH,
                LoadRosterPreview::PATH,
                ApplyRoster::PATH,
                LoadLettersPage::PATH,
                IssueAllLetters::PATH,
                LoadApprovals::PATH,
                LoadApproval::PATH,
                DecideRequest::PATH,
            ]
            .contains(&path);
            if is_admin_only {
                assert_eq!(answer.status(), 403, "{path} ({})", app.db);
                assert_eq!(serde_json::from_str::<AppError>(&answer.text().await.unwrap()).unwrap(), AppError::Forbidden);
            } else {
                assert_ne!(answer.status(), 401, "{path}: an agent has a session ({})", app.db);
                assert_ne!(answer.status(), 403, "{path}: an agent may ({})", app.db);
            }
        }
        for admin_page in ["/staff/staff", "/staff/approvals", "/staff/letters", "/staff/roster"] {
            let page = agent.get(admin_page).await;
            assert_eq!(page.status, 403, "{admin_page}: the status says it too ({})", app.db);
            assert!(page.body.contains(app::error::FORBIDDEN_MESSAGE), "{}", page.body);
        }
        assert!(!agent.get("/staff").await.body.contains(text::MENU_STAFF), "no staff management in an agent's menu");
        let staff_after: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(staff_after.0, staff_before.0 + 1, "only the agent the test made ({})", app.db);

        // A 管理者 adds a staff member: the setup link is mailed; disabling ends their session.
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        admin
            .call::<AddStaff>(Enc::Form, "/staff/staff", &[("name", "新人 三郎"), ("email", "shinjin@kenpo.test"), ("role", "agent")])
            .await
            .went_to("/staff/staff?added=1");
        let mail = app.mail("shinjin@kenpo.test", app::text::mail::SUBJECT_STAFF_SETUP).await;
        assert!(mail.body().contains(&format!("{}/staff/setup/", app.base)), "{}", mail.body());
        let list: StaffListData = admin.load::<LoadStaffList, _>(&[]).await;
        let agent_id = list.accounts.iter().find(|s| s.email == "tanto@kenpo.test").unwrap().id.clone();
        admin.call::<ChangeStaff>(Enc::Form, "/staff/staff", &[("id", &agent_id), ("what", "disable"), ("reason", "")]).await.refused(422);
        let confirm = admin.get(&format!("/staff/staff/{agent_id}/disable")).await;
        assert!(confirm.body.contains(text::STAFF_CHANGE_DISABLE) && confirm.body.contains("tanto@kenpo.test"), "{}", confirm.body);
        admin
            .call::<ChangeStaff>(Enc::Form, "/staff/staff", &[("id", &agent_id), ("what", "disable"), ("reason", "異動")])
            .await
            .went_to("/staff/staff?changed=1");
        let after = agent.get("/staff").await;
        assert_eq!(after.status, 302, "a disabled staff member's session ends ({})", app.db);
        // 再設定 renews the setup link but never re-enables a disabled account.
        admin
            .call::<ChangeStaff>(Enc::Form, "/staff/staff", &[("id", &agent_id), ("what", "reset"), ("reason", "端末紛失")])
            .await
            .went_to("/staff/staff?changed=1");
        let list: StaffListData = admin.load::<LoadStaffList, _>(&[]).await;
        assert!(list.accounts.iter().find(|s| s.id == agent_id).unwrap().disabled, "still disabled after 再設定 ({})", app.db);
        let (detail,): (String,) =
            sqlx::query_as("SELECT detail FROM audit_log WHERE event = 'staff_reset'").fetch_one(&app.state.db).await.unwrap();
        assert!(detail.ends_with(": 端末紛失"), "the reason is in the audit log: {detail}");
        let me = list.accounts.iter().find(|s| s.is_self).unwrap().id.clone();
        let refused =
            admin.call::<ChangeStaff>(Enc::Js, "/staff/staff", &[("id", &me), ("what", "disable"), ("reason", "x")]).await.refused(422);
        assert_eq!(form_message(&refused), text::NOT_YOURSELF);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outside_the_allowed_networks_the_console_does_not_exist() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app =
            spawn_app_with(&t, |c| c.staff_networks = Some(app::backend::platform::config::parse_networks("10.0.0.0/8").unwrap())).await;
        for path in ["/staff/login", "/staff", "/staff/audit.csv"] {
            assert_eq!(app.browser().get(path).await.status, 404, "{path}");
        }
        assert_eq!(post(&app, None, StaffLogin::PATH, &[]).await.status(), 404);
        assert_eq!(app.browser().get("/").await.status, 200, "members are not concerned");
        app.stop().await;
        let app =
            spawn_app_with(&t, |c| c.staff_networks = Some(app::backend::platform::config::parse_networks("127.0.0.0/8").unwrap())).await;
        assert_eq!(app.browser().get("/staff/login").await.status, 200);
        app.stop().await;
    }
}

/// Locks 山田 太郎's login ID by failing ten times (waiting out the delays).
async fn lock_taro(app: &TestApp) {
    let browser = app.browser();
    for _ in 0..10 {
        app.clock.advance(40);
        let _ = browser
            .call::<app::pages::login::Login>(
                Enc::Js,
                "/",
                &[("login_id", TARO.login_id), ("password", "Wrong#Password1"), ("next", "/home")],
            )
            .await;
    }
}

/// The one open request, approved by `admin` with `note`: what the approver saw, and the letter
/// if the action made one.
async fn approve_only_request(app: &TestApp, admin: &Browser, reason: &str, note: &str) -> Option<Letters> {
    let open: app::pages::staff::approvals::ApprovalsData = admin.load::<LoadApprovals, _>(&[]).await;
    assert_eq!(open.open.len(), 1, "{:?} ({})", open.open, app.db);
    let request = &open.open[0];
    assert_eq!((request.reason.as_str(), request.requested_by.as_str()), (reason, "職員 一郎"));
    let page = admin.get(&format!("/staff/approvals/{}", request.id)).await;
    assert!(page.body.contains(reason) && page.body.contains(request.action.label()), "{}", page.body);
    let answer =
        admin.call::<DecideRequest>(Enc::Js, "/staff/approvals", &[("id", &request.id), ("decision", "approve"), ("note", note)]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

async fn member_logs_in(app: &TestApp, password: &str) -> common::spawn::Answer {
    app.browser()
        .call::<app::pages::login::Login>(Enc::Js, "/", &[("login_id", TARO.login_id), ("password", password), ("next", "/home")])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_finds_a_locked_member_unlocks_them_and_issues_a_letter() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        lock_taro(&app).await;
        assert_eq!(form_message(&member_logs_in(&app, PASSWORD).await.refused(422)), app::text::login::LOCKED);
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;

        // Found by 記号-番号 (full-width too), by カナ-less name, by login ID and by address.
        for q in ["１２－３４５", "山田", "yamada.taro", "TARO@corp.test"] {
            let found: SearchData = agent.load::<SearchMembers, _>(&[("q", q), ("page", "1")]).await;
            assert_eq!(found.hits.rows.len(), 1, "{q} ({})", app.db);
            assert!(found.hits.rows[0].account_state.starts_with(text::STATE_LOCKED), "{q}: {:?}", found.hits.rows[0]);
        }
        let page = agent.get("/staff/members?q=12-345").await;
        assert!(page.body.contains("/staff/members/12/345"), "{}", page.body);
        let detail: MemberData = agent.load::<LoadMember, _>(&[("kigo", "12"), ("bango", "345")]).await;
        let account = detail.member.account.as_ref().unwrap();
        assert!(account.locked && account.states.iter().any(|s| s.starts_with(text::STATE_LOCKED)), "{account:?}");
        assert!(detail.member.mails.iter().any(|m| m.subject == app::text::mail::SUBJECT_LOCKED), "the lock notice is listed");
        assert!(detail.member.audit.iter().any(|a| a.event == app::domain::audit::Event::LoginLocked.label()));
        let page = agent.get("/staff/members/12/345").await;
        assert!(page.body.contains(TARO.login_id) && page.body.contains("/staff/members/12/345/unlock"), "{}", page.body);

        // The confirmation step: a reason is required.
        let confirm = agent.get("/staff/members/12/345/unlock").await;
        assert!(confirm.body.contains(app::domain::MemberAction::Unlock.explanation()), "{}", confirm.body);
        let unlock = |reason: &'static str| [("kigo", "12"), ("bango", "345"), ("action", "unlock"), ("reason", reason)];
        let no_reason = agent.call::<ActOnMember>(Enc::Form, "/staff/members/12/345/unlock", &unlock("")).await.refused(422);
        assert!(field(&no_reason, "reason").contains("理由"), "{no_reason:?}");
        let done = agent.call::<ActOnMember>(Enc::Form, "/staff/members/12/345/unlock", &unlock("電話で本人確認のうえ依頼")).await;
        done.went_to("/staff/members/12/345?done=unlock");
        member_logs_in(&app, PASSWORD).await.went_to("/home");
        let (who, detail_text): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT staff_id, detail FROM audit_log WHERE event = 'staff_unlock'").fetch_one(&app.state.db).await.unwrap();
        assert!(who.is_some() && detail_text.as_deref() == Some("電話で本人確認のうえ依頼"), "{who:?} {detail_text:?}");
        // Not locked any more: unlocking again says so.
        let again = agent
            .call::<ActOnMember>(Enc::Js, "/", &[("kigo", "12"), ("bango", "345"), ("action", "unlock"), ("reason", "再")])
            .await
            .refused(422);
        assert_eq!(form_message(&again), text::NOT_LOCKED);

        // A temporary password for the registered member: the agent's answer is a request, never
        // a password; a 管理者 approves it and prints the letter. The old password dies, sessions
        // end, パスワード変更 comes first, a notice goes to the address.
        let asked = agent
            .call::<ActOnMember>(
                Enc::Js,
                "/staff/members/12/345/temp-password",
                &[("kigo", "12"), ("bango", "345"), ("action", "temp-password"), ("reason", "パスワード失念")],
            )
            .await;
        asked.went_to("/staff/members/12/345?requested=temp-password");
        assert_eq!(member_logs_in(&app, PASSWORD).await.status, 200, "nothing changed before the approval");
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        let letters = approve_only_request(&app, &admin, "パスワード失念", "本人から電話、折り返し確認済み").await;
        let letters = letters.unwrap();
        assert!(letters.reissued, "the letter says it was re-issued after two staff members");
        let letter = letters.letters.into_iter().next().unwrap();
        assert_eq!((letter.login_id.as_str(), letter.name.as_str()), (TARO.login_id, TARO.name));
        assert_eq!(form_message(&member_logs_in(&app, PASSWORD).await.refused(422)), app::text::login::WRONG);
        member_logs_in(&app, &letter.password).await.went_to("/home");
        let (must_change,): (i64,) = sqlx::query_as("SELECT must_change_password FROM accounts WHERE login_id = $1")
            .bind(TARO.login_id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(must_change, 1, "ホーム sends to パスワード変更 first");
        app.mail(TARO.email, app::text::mail::SUBJECT_TEMP_PASSWORD).await;

        // Login ID by mail; 利用停止 refuses the login until 利用再開.
        agent
            .call::<ActOnMember>(Enc::Form, "/", &[("kigo", "12"), ("bango", "345"), ("action", "send-login-id"), ("reason", "ID失念")])
            .await
            .went_to("/staff/members/12/345?done=send-login-id");
        assert!(app.mail(TARO.email, app::text::mail::SUBJECT_LOGIN_ID).await.body().contains(TARO.login_id));
        agent
            .call::<ActOnMember>(Enc::Form, "/", &[("kigo", "12"), ("bango", "345"), ("action", "disable"), ("reason", "退職")])
            .await
            .went_to("/staff/members/12/345?done=disable");
        assert_eq!(form_message(&member_logs_in(&app, &letter.password).await.refused(422)), app::text::login::WRONG);
        agent
            .call::<ActOnMember>(Enc::Form, "/", &[("kigo", "12"), ("bango", "345"), ("action", "enable"), ("reason", "誤り")])
            .await
            .went_to("/staff/members/12/345?done=enable");
        member_logs_in(&app, &letter.password).await.went_to("/home");

        // メールアドレス1 given by phone: applies only when the member clicks the link. Another
        // member's address is refused next to the field.
        let taken = agent
            .call::<ActOnMember>(
                Enc::Js,
                "/",
                &[("kigo", "12"), ("bango", "345"), ("action", "set-email1"), ("reason", "電話"), ("email", "hanako@corp.test")],
            )
            .await
            .refused(422);
        assert_eq!(field(&taken, "email"), text::ADDRESS_TAKEN);
        agent
            .call::<ActOnMember>(
                Enc::Form,
                "/",
                &[("kigo", "12"), ("bango", "345"), ("action", "set-email1"), ("reason", "会社アドレス廃止"), ("email", "taro@home.test")],
            )
            .await
            .went_to("/staff/members/12/345?requested=set-email1");
        assert!(app.mails("taro@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).is_empty(), "nothing mailed before the approval");
        assert!(approve_only_request(&app, &admin, "会社アドレス廃止", "変更届を確認").await.is_none());
        let (detail,): (String,) =
            sqlx::query_as("SELECT detail FROM audit_log WHERE event = 'staff_set_email1'").fetch_one(&app.state.db).await.unwrap();
        assert!(detail.contains("ta***@home.test") && !detail.contains("taro@home.test"), "the address set, masked: {detail}");
        let link = app.mail("taro@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).await;
        let token = app.token_in(&link, "/profile/email/");
        app::backend::members::settings::confirm(&app.state, None, &token).await.unwrap();
        let detail: MemberData = agent.load::<LoadMember, _>(&[("kigo", "12"), ("bango", "345")]).await;
        assert_eq!(detail.member.account.unwrap().emails[0].address.as_deref(), Some("taro@home.test"));

        // 紙通知 for everyone without an address: 佐藤 花子 and 山田 太郎 have accounts, nobody else is on the roster.
        assert_eq!(agent.call::<IssueAllLetters>(Enc::Js, "/staff/letters", &[("reason", "一括"), ("expected", "0")]).await.status, 403);
        let none: Letters = admin.call::<IssueAllLetters>(Enc::Js, "/staff/letters", &[("reason", "一括"), ("expected", "0")]).await.json();
        assert!(none.letters.is_empty(), "{none:?}");
        let events = app.audit_events().await;
        for e in ["staff_unlock", "temp_credentials_issued", "staff_send_login_id", "staff_disable", "staff_enable", "staff_set_email1"] {
            assert!(events.contains(&e.to_string()), "{e} in {events:?}");
        }
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inquiry_is_answered_by_mail_and_the_audit_log_exports_as_csv() {
    use app::backend::members::inquiry::submit;
    use app::domain::InquiryInput;
    use app::domain::{Bango, BirthDate, InquiryKind, InquiryStatus, Kigo};
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        common::spawn::import_roster(&app.state).await;
        let input = InquiryInput {
            kind: InquiryKind::Login,
            name: "山田 太郎".into(),
            kigo: Kigo::parse("12").unwrap(),
            bango: Bango::parse("345").unwrap(),
            birth_date: BirthDate::parse("1985-04-01").unwrap(),
            email: Email::parse("taro@home.test").unwrap(),
            phone: None,
            body: "ログインIDを忘れました。".into(),
        };
        let reference = submit(&app.state, None, &input).await.unwrap();
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;

        let queue: QueueData = agent.load::<LoadInquiries, _>(&[("status", "open"), ("reference", ""), ("page", "1")]).await;
        assert_eq!(queue.lines.rows.len(), 1);
        let by_ref: QueueData = agent.load::<LoadInquiries, _>(&[("status", ""), ("reference", &reference[11..]), ("page", "1")]).await;
        assert_eq!(by_ref.lines.rows[0].reference, reference);
        let page = format!("/staff/inquiries/{reference}");
        let detail: InquiryData = agent.load::<LoadInquiry, _>(&[("reference", &reference)]).await;
        assert_eq!(detail.inquiry.member, Some(("12".into(), "345".into())), "linked to the roster member");

        let empty = agent.call::<ChangeInquiry>(Enc::Js, &page, &[("reference", &reference), ("reply", "  ")]).await.refused(422);
        assert_eq!(field(&empty, "reply"), text::TEXT_REQUIRED);
        agent
            .call::<ChangeInquiry>(Enc::Form, &page, &[("reference", &reference), ("note", "電話で折り返し済み")])
            .await
            .went_to(&format!("{page}?saved=1"));
        app.clock.advance(60);
        agent
            .call::<ChangeInquiry>(Enc::Form, &page, &[("reference", &reference), ("reply", "ログインIDは Yamada.Taro です。")])
            .await
            .went_to(&format!("{page}?saved=1"));
        let reply = app.mail("taro@home.test", &format!("【{reference}】{}", app::text::mail::SUBJECT_INQUIRY_REPLY)).await;
        assert!(reply.body().contains("ログインIDは Yamada.Taro です。"), "{}", reply.body());
        let detail: InquiryData = agent.load::<LoadInquiry, _>(&[("reference", &reference)]).await;
        assert_eq!(detail.inquiry.status, InquiryStatus::InProgress, "a reply starts the work");
        assert_eq!(detail.inquiry.entries.len(), 2);
        assert!(detail.inquiry.entries[1].is_reply && detail.inquiry.assignee_id.is_some());
        agent
            .call::<ChangeInquiry>(Enc::Form, &page, &[("reference", &reference), ("status", "closed"), ("assignee", "")])
            .await
            .went_to(&format!("{page}?saved=1"));
        let open: QueueData = agent.load::<LoadInquiries, _>(&[("status", ""), ("reference", ""), ("page", "1")]).await;
        assert!(open.lines.rows.is_empty(), "完了 leaves the unfinished queue");

        // 監査ログ: filtered by event and by staff member; the CSV carries the same rows.
        let audit: AuditData = agent
            .load::<LoadAudit, _>(&[
                ("from", ""),
                ("to", ""),
                ("staff_id", ""),
                ("member", ""),
                ("event", "staff_inquiry_replied"),
                ("page", "1"),
            ])
            .await;
        assert_eq!(audit.page.entries.total, 1, "{:?}", audit.page.entries.rows);
        let staff_id = audit.page.staff.iter().find(|s| s.name == "職員 一郎").unwrap().id.clone();
        let by_staff: AuditData = agent
            .load::<LoadAudit, _>(&[
                ("from", "2026-09-21"),
                ("to", "2026-09-21"),
                ("staff_id", &staff_id),
                ("member", ""),
                ("event", ""),
                ("page", "1"),
            ])
            .await;
        assert!(by_staff.page.entries.total >= 4, "login, note, reply, update: {:?}", by_staff.page.entries.rows);
        let csv = agent.get(&format!("/staff/audit.csv?event=staff_inquiry_replied&staff={staff_id}")).await;
        assert_eq!(csv.status, 200);
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert!(csv.header("content-disposition").unwrap().starts_with("attachment;"));
        let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].contains("staff_inquiry_replied") && lines[1].contains(&reference), "{lines:?}");
        assert!(app.audit_events().await.contains(&"staff_audit_exported".to_string()));
        // `server inquiries` keeps working: the CLI's list sees it as answered.
        let all = app::backend::members::inquiry::list(&app.state.db, false).await.unwrap();
        assert!(all.is_empty(), "{all:?}");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_session_ends_after_15_idle_minutes_and_after_8_hours() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        let (browser, secret) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        app.clock.advance(14 * 60);
        assert_eq!(browser.get("/staff").await.status, 200, "14 idle minutes: still on");
        app.clock.advance(15 * 60 + 1);
        let ended = browser.get("/staff").await;
        assert_eq!((ended.status, ended.location()), (302, "/staff/login?next=/staff&ended=1"), "{}", app.db);
        log_in(&app, &browser, "tanto@kenpo.test", &secret).await;
        for _ in 0..40 {
            app.clock.advance(12 * 60);
            assert_eq!(browser.get("/staff").await.status, 200, "busy, within 8 hours");
        }
        app.clock.advance(12 * 60);
        assert_eq!(browser.get("/staff").await.status, 302, "8 hours after login it ends, busy or not ({})", app.db);
        app.stop().await;
    }
}

/// The handles of the devices 職員ホーム lists with 「ログアウトさせる」 (not this one).
fn device_handles(page: &str) -> Vec<String> {
    page.split(r#"name="handle" value=""#).skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_sees_their_devices_and_logs_one_out_but_never_another_staff_members() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        let (desk, secret) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        let phone = app.browser_as(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1",
        );
        log_in(&app, &phone, "tanto@kenpo.test", &secret).await;
        let (other, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;

        let home = desk.get("/staff").await;
        assert!(home.body.contains(app::text::settings::SESSIONS_TITLE) && home.body.contains("iPhone"), "{}", app.db);
        let handles = device_handles(&home.body);
        assert_eq!(handles.len(), 1, "this device has no 「ログアウトさせる」: {handles:?}");
        assert!(device_handles(&other.get("/staff").await.body).is_empty(), "another staff member's devices are not listed");

        // Another staff member cannot end it with its handle; ten sends at once end it once.
        other.call::<EndStaffDevice>(Enc::Form, "/staff", &[("handle", &handles[0])]).await.went_to("/staff?devices=ended");
        assert_eq!(phone.get("/staff").await.status, 200, "{}", app.db);
        let fields = [("handle", handles[0].as_str())];
        let sends = (0..10).map(|_| desk.call::<EndStaffDevice>(Enc::Form, "/staff", &fields));
        for answer in futures::future::join_all(sends).await {
            answer.went_to("/staff?devices=ended");
        }
        let ended = phone.get("/staff").await;
        assert_eq!((ended.status, ended.location()), (302, "/staff/login?next=/staff&ended=1"), "{}", app.db);
        assert_eq!(desk.get("/staff").await.status, 200, "this device stays");
        let events = app.audit_events().await;
        assert_eq!(events.iter().filter(|e| *e == "staff_session_ended").count(), 1, "{events:?}");

        // 「他の端末をすべてログアウト」 keeps this one.
        log_in(&app, &phone, "tanto@kenpo.test", &secret).await;
        desk.call::<EndOtherStaffDevices>(Enc::Form, "/staff", &[]).await.went_to("/staff?devices=others");
        assert_eq!(phone.get("/staff").await.status, 302, "{}", app.db);
        let home = desk.get("/staff?devices=others").await;
        assert_eq!((home.status, device_handles(&home.body).len()), (200, 0));
        assert!(home.body.contains(app::text::settings::OTHERS_ENDED));
        assert!(app.audit_events().await.contains(&"staff_other_sessions_ended".to_string()));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_registrations_by_kubun_and_week_and_lists_mails_given_up() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        // One more member on the roster (特例退職) who has not registered.
        sqlx::query("INSERT INTO roster (kigo, bango, birth_date, name, status, updated_at) VALUES ('12', '999', '1950-01-01', '高橋 一', 'special_retiree', 0)")
            .execute(&app.state.db)
            .await
            .unwrap();
        // 山田 太郎's registration mail was given up by the SMTP server.
        sqlx::query("UPDATE mail_outbox SET failed_at = $1, last_error = '550 5.1.1 no such user' WHERE recipient = $2 AND subject = $3")
            .bind(app.clock_now())
            .bind(TARO.email)
            .bind(app::text::mail::SUBJECT_M3)
            .execute(&app.state.db)
            .await
            .unwrap();
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        let d: app::api::staff::Dashboard = agent.load::<LoadDashboard, _>(&[]).await;
        assert_eq!(d.figures.by_status[0], ("在職".to_string(), 2, 2), "{:?}", d.figures.by_status);
        assert_eq!(d.figures.by_status[2], ("特例退職".to_string(), 0, 1), "{:?}", d.figures.by_status);
        assert_eq!(d.figures.weekly.len(), 12);
        assert_eq!(d.figures.weekly.last().unwrap().1, 2, "both registered this week: {:?}", d.figures.weekly);
        assert_eq!(d.figures.failed_this_week, 1);
        let page = agent.get("/staff").await.body;
        assert!(page.contains("<svg") && page.contains("aria-label=\"週ごとの利用登録"), "the chart is drawn on the server");
        let errors: MailErrorsData = agent.load::<LoadMailErrors, _>(&[]).await;
        assert_eq!(errors.mails.len(), 1);
        assert_eq!(errors.mails[0].member, Some(("12".to_string(), "345".to_string())));
        assert_eq!(errors.mails[0].last_error.as_deref(), Some("550 5.1.1 no such user"));
        app.clock.advance(8 * 86_400);
        let (agent, _) = staff_browser(&app, "tanto2@kenpo.test", StaffRole::Agent).await;
        let d: app::api::staff::Dashboard = agent.load::<LoadDashboard, _>(&[]).await;
        assert_eq!(d.figures.failed_this_week, 0, "a week later");
        app.stop().await;
    }
}
