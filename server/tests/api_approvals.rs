//! Staff powers that one insider cannot use alone, through the running portal on SQLite and
//! PostgreSQL: an action that hands over or removes a registered member's factor is a request of
//! one staff member and an approval by another 管理者 (twenty approvals at once: one carries it
//! out); nobody both resets a member's 2段階認証 and hands them a temporary password within 24 h;
//! the requester never sees the password; a staff member cannot act on their own member record;
//! every look at a member's data is audited; 紙通知の一括印刷 is a 管理者's, with its count first;
//! the staff login has a per-client limit.

mod common;

use app::api::staff::Letters;
use app::domain::StaffRole;
use app::pages::staff::approvals::{ApprovalsData, DecideRequest, LoadApprovals};
use app::pages::staff::members::{
    ActOnMember, IssueAllLetters, LettersPageData, LoadLettersPage, LoadMember, MemberData, SearchData, SearchMembers,
};
use app::text::mail::SUBJECT_TWO_STEP;
use app::text::staff as text;
use common::all_dbs;
use common::spawn::{form_message, spawn_app, spawn_app_with, Browser, Enc, TestApp, TARO};
use common::staff::staff_browser;

async fn staff_id(app: &TestApp, email: &str) -> String {
    let (id,): (String,) = sqlx::query_as("SELECT id FROM staff WHERE email_norm = $1").bind(email).fetch_one(&app.state.db).await.unwrap();
    id
}

/// 山田 太郎 with an authenticator enrolled (as セキュリティ設定 leaves it).
async fn taro_enrolled(app: &TestApp) {
    let (id,): (String,) = sqlx::query_as("SELECT id FROM accounts WHERE login_id_norm = $1")
        .bind(TARO.login_id.to_ascii_lowercase())
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let sealed = app::backend::identity::totp::MEMBERS.seal_secret(&id, &app::backend::identity::totp::new_secret());
    sqlx::query("UPDATE accounts SET totp_secret = $1 WHERE login_id_norm = $2")
        .bind(sealed)
        .bind(TARO.login_id.to_ascii_lowercase())
        .execute(&app.state.db)
        .await
        .unwrap();
}

async fn taro_two_step(app: &TestApp) -> bool {
    let (set,): (i64,) = sqlx::query_as("SELECT CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END FROM accounts WHERE login_id_norm = $1")
        .bind(TARO.login_id.to_ascii_lowercase())
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    set == 1
}

async fn ask(staff: &Browser, action: &str, reason: &str) -> common::spawn::Answer {
    let page = format!("/staff/members/12/345/{action}");
    staff.call::<ActOnMember>(Enc::Js, &page, &[("kigo", "12"), ("bango", "345"), ("action", action), ("reason", reason)]).await
}

async fn open_requests(admin: &Browser) -> ApprovalsData {
    admin.load::<LoadApprovals, _>(&[]).await
}

async fn decide(admin: &Browser, id: &str, decision: &str, note: &str) -> common::spawn::Answer {
    admin.call::<DecideRequest>(Enc::Js, "/staff/approvals", &[("id", id), ("decision", decision), ("note", note)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_factor_of_a_registered_member_changes_only_when_another_admin_approves() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        taro_enrolled(&app).await;
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        let (first, first_secret) = staff_browser(&app, "kanri1@kenpo.test", StaffRole::Admin).await;
        let (second, second_secret) = staff_browser(&app, "kanri2@kenpo.test", StaffRole::Admin).await;

        // The 担当者's 2段階認証リセット is a request: nothing changes yet.
        ask(&agent, "two-step-reset", "問い合わせ#7 電話で本人確認").await.went_to("/staff/members/12/345?requested=two-step-reset");
        assert!(taro_two_step(&app).await, "still set before the approval ({})", app.db);
        let again = ask(&agent, "two-step-reset", "もう一度").await.refused(422);
        assert_eq!(form_message(&again), text::ALREADY_REQUESTED);
        // The same 担当者 cannot also ask for the temporary password (the pair hands the account over).
        assert_eq!(form_message(&ask(&agent, "temp-password", "パスワードも").await.refused(422)), text::SAME_PERSON_PAIR);
        assert_eq!(agent.call::<LoadApprovals>(Enc::Js, "/staff/approvals", &[]).await.status, 403, "a 担当者 approves nothing");

        // The approver sees what is asked, by whom, why.
        let open = open_requests(&first).await;
        assert_eq!(open.open.len(), 1);
        let request = open.open[0].clone();
        assert_eq!(request.action, app::domain::MemberAction::TwoStepReset);
        assert_eq!((request.reason.as_str(), request.kigo.as_str(), request.bango.as_str()), ("問い合わせ#7 電話で本人確認", "12", "345"));
        assert!(!request.own && !request.expired);
        let no_note = decide(&first, &request.id, "approve", "").await.refused(422);
        assert!(common::spawn::field(&no_note, "note").contains("理由"), "{no_note:?}");
        let no_choice = decide(&first, &request.id, "", "確認済み").await.refused(422);
        assert_eq!(common::spawn::field(&no_choice, "decision"), text::DECISION_REQUIRED);

        // Twenty approvals at once by two 管理者: one carries it out.
        let answers = futures::future::join_all((0..20).map(|i| {
            let admin = if i % 2 == 0 { &first } else { &second };
            decide(admin, &request.id, "approve", "問い合わせ記録と照合")
        }))
        .await;
        assert_eq!(
            answers.iter().filter(|a| a.status == 200).count(),
            1,
            "{:?} ({})",
            answers.iter().map(|a| a.status).collect::<Vec<_>>(),
            app.db
        );
        for refused in answers.iter().filter(|a| a.status != 200) {
            assert_eq!(form_message(&refused.refused(422)), text::REQUEST_DECIDED);
        }
        assert!(!taro_two_step(&app).await, "reset once approved");
        let resets: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE event = 'staff_two_step_reset'").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(resets.0, 1);
        assert!(app.mail(TARO.email, SUBJECT_TWO_STEP).await.body().contains("健康保険組合が解除しました"));
        let (approver, approved_detail): (String, String) =
            sqlx::query_as("SELECT staff_id, detail FROM audit_log WHERE event = 'staff_request_approved'")
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        assert!(approved_detail.contains("問い合わせ記録と照合"), "{approved_detail}");
        let (requested_detail,): (String,) =
            sqlx::query_as("SELECT detail FROM audit_log WHERE event = 'staff_request_created'").fetch_one(&app.state.db).await.unwrap();
        assert!(requested_detail.contains("問い合わせ#7 電話で本人確認"), "{requested_detail}");
        let ((by_approver, approver_login), other_admin) = if approver == staff_id(&app, "kanri1@kenpo.test").await {
            ((&first, ("kanri1@kenpo.test", first_secret.as_str())), &second)
        } else {
            ((&second, ("kanri2@kenpo.test", second_secret.as_str())), &first)
        };

        // A temporary password asked by another 担当者: the approver of the reset may not
        // approve it within 24 h; the other 管理者 does, and gets the letter. The 担当者's
        // answer never carries the password.
        let (agent2, agent2_secret) = staff_browser(&app, "tanto2@kenpo.test", StaffRole::Agent).await;
        let asked = ask(&agent2, "temp-password", "仮パスワード郵送希望").await;
        asked.went_to("/staff/members/12/345?requested=temp-password");
        assert!(!asked.body.contains("password"), "{}", asked.body);
        let request = open_requests(other_admin).await.open.remove(0);
        assert_eq!(form_message(&decide(by_approver, &request.id, "approve", "確認").await.refused(422)), text::SAME_PERSON_PAIR);
        let approved = decide(other_admin, &request.id, "approve", "本人確認済み").await;
        assert_eq!(approved.status, 200, "{}", approved.body);
        let letters: Option<Letters> = approved.json();
        let letters = letters.expect("the approver's letter");
        assert!(letters.reissued && letters.letters.len() == 1);
        let letter = &letters.letters[0];
        let logged_in = app
            .browser()
            .call::<app::pages::login::Login>(
                Enc::Js,
                "/",
                &[("login_id", TARO.login_id), ("password", &letter.password), ("next", "/home")],
            )
            .await;
        logged_in.went_to("/home");

        // A 管理者's own request waits for another one; a decline changes nothing.
        let asked = other_admin
            .call::<ActOnMember>(
                Enc::Js,
                "/staff/members/12/345/set-email1",
                &[("kigo", "12"), ("bango", "345"), ("action", "set-email1"), ("reason", "住所変更届"), ("email", "taro@home.test")],
            )
            .await;
        asked.went_to("/staff/members/12/345?requested=set-email1");
        let mine = open_requests(other_admin).await.open.remove(0);
        assert!(mine.own && mine.email.as_deref() == Some("taro@home.test"));
        assert_eq!(form_message(&decide(other_admin, &mine.id, "approve", "自分で").await.refused(422)), text::NOT_OWN_REQUEST);
        decide(by_approver, &mine.id, "reject", "届が未着").await.went_to("/staff/approvals?done=1");
        assert!(app.mails("taro@home.test", app::text::mail::SUBJECT_EMAIL_CONFIRM).is_empty(), "declined: nothing mailed");
        assert!(open_requests(by_approver).await.open.is_empty());
        let events = app.audit_events().await;
        assert!(events.contains(&"staff_request_rejected".to_string()), "{events:?}");

        // After 24 h the pair rule no longer binds the approver of the reset.
        app.clock.advance(app::backend::staff::approvals::PAIR_SECONDS + 1);
        common::staff::log_in(&app, &agent2, "tanto2@kenpo.test", &agent2_secret).await;
        common::staff::log_in(&app, by_approver, approver_login.0, approver_login.1).await;
        taro_enrolled(&app).await;
        ask(&agent2, "two-step-reset", "再度紛失").await.went_to("/staff/members/12/345?requested=two-step-reset");
        let request = open_requests(by_approver).await.open.remove(0);
        decide(by_approver, &request.id, "approve", "本人確認済み").await.went_to("/staff/approvals?done=1");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_look_ups_are_audited_and_staff_cannot_act_on_their_own_record() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        let agent_id = staff_id(&app, "tanto@kenpo.test").await;
        let _: SearchData = agent.load::<SearchMembers, _>(&[("q", "山田"), ("page", "1")]).await;
        let _: MemberData = agent.load::<LoadMember, _>(&[("kigo", "12"), ("bango", "345")]).await;
        type Line = (String, Option<String>, Option<String>, Option<String>);
        let rows: Vec<Line> = sqlx::query_as(
            "SELECT event, staff_id, account_id, detail FROM audit_log WHERE event IN ('staff_searched_members', 'staff_viewed_member') ORDER BY at, event",
        )
        .fetch_all(&app.state.db)
        .await
        .unwrap();
        let searched = rows.iter().find(|r| r.0 == "staff_searched_members").expect("the search is audited");
        assert_eq!(searched.1.as_deref(), Some(agent_id.as_str()));
        assert!(
            searched.3.as_deref().is_some_and(|d| d.contains("12-345") && !d.contains("山田")),
            "who was shown, not the query: {searched:?}"
        );
        let viewed = rows.iter().find(|r| r.0 == "staff_viewed_member").expect("the view is audited");
        assert!(viewed.1.as_deref() == Some(agent_id.as_str()) && viewed.2.is_some(), "{viewed:?}");
        let detail: MemberData = agent.load::<LoadMember, _>(&[("kigo", "12"), ("bango", "345")]).await;
        assert!(
            detail.member.audit.iter().any(|a| a.event == app::domain::audit::Event::StaffViewedMember.label()),
            "the member's page lists who looked"
        );

        // A staff member whose address is 佐藤 花子's is 佐藤 花子: they cannot act on that record.
        let (own, _) = staff_browser(&app, common::spawn::HANAKO.email, StaffRole::Agent).await;
        let refused = own
            .call::<ActOnMember>(Enc::Js, "/", &[("kigo", "12"), ("bango", "346"), ("action", "end-sessions"), ("reason", "自分")])
            .await
            .refused(422);
        assert_eq!(form_message(&refused), text::NOT_OWN_RECORD);

        // A staff member insured by the society, added with their own 記号・番号 (full-width as
        // typed): that record is theirs whatever its addresses.
        use app::pages::staff::accounts::AddStaff;
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        let add = |number: &'static str| {
            let admin = &admin;
            async move {
                let form = [("name", "加入 職員"), ("email", "kanyu@kenpo.test"), ("role", "agent"), ("member_number", number)];
                admin.call::<AddStaff>(Enc::Js, "/staff/staff", &form).await
            }
        };
        assert_eq!(common::spawn::field(&add("12").await.refused(422), "member_number"), text::STAFF_MEMBER_NUMBER_WRONG);
        add("１２－３４５").await.went_to("/staff/staff?added=1");
        let stored: (Option<String>, Option<String>) =
            sqlx::query_as("SELECT member_kigo, member_bango FROM staff WHERE email_norm = 'kanyu@kenpo.test'")
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        assert_eq!(stored, (Some("12".into()), Some("345".into())));
        sqlx::query("UPDATE staff SET member_kigo = '12', member_bango = '345' WHERE email_norm = 'tanto@kenpo.test'")
            .execute(&app.state.db)
            .await
            .unwrap();
        let refused = agent
            .call::<ActOnMember>(Enc::Js, "/", &[("kigo", "12"), ("bango", "345"), ("action", "end-sessions"), ("reason", "自分")])
            .await
            .refused(422);
        assert_eq!(form_message(&refused), text::NOT_OWN_RECORD, "{}", app.db);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_letters_are_an_admins_and_issue_only_the_number_shown() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let rows = app::backend::roster::parse(
            "kigo,bango,birth_date,name,name_kana,email,status\n12,900,1970-12-01,鈴木 一郎,,,在職\n",
            app::backend::platform::Clock::today(&app.clock),
        )
        .unwrap();
        app::backend::roster::import(&app.state.db, &rows, app::backend::platform::Clock::now(&app.clock)).await.unwrap();
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        assert_eq!(agent.get("/staff/letters").await.status, 403);
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        let page: LettersPageData = admin.load::<LoadLettersPage, _>(&[]).await;
        assert_eq!(page.count, 1, "鈴木 一郎 only ({})", app.db);
        assert!(admin.get("/staff/letters").await.body.contains(r#"data-testid="letters-count">1<"#));
        let changed = admin.call::<IssueAllLetters>(Enc::Js, "/staff/letters", &[("reason", "一括"), ("expected", "2")]).await.refused(422);
        assert_eq!(form_message(&changed), text::LETTERS_COUNT_CHANGED);
        let letters: Letters =
            admin.call::<IssueAllLetters>(Enc::Js, "/staff/letters", &[("reason", "一括"), ("expected", "1")]).await.json();
        assert_eq!(letters.letters.len(), 1);
        assert!(!letters.reissued, "a first letter");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_staff_login_has_a_per_client_limit() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app_with(&t, |c| {
            c.client_limits.login_failures = 3;
            c.login_limits.delay_after = 100;
        })
        .await;
        let browser = app.browser();
        let attempt = |email: String| {
            let browser = &browser;
            async move {
                browser
                    .call::<app::pages::staff::login::StaffLogin>(
                        Enc::Js,
                        "/staff/login",
                        &[("email", &email), ("password", "Wrong#Staff-2026"), ("code", "000000"), ("next", "/staff")],
                    )
                    .await
            }
        };
        // Different IDs (no per-ID lock), one client: three failures, then refused for the hour.
        for i in 0..3 {
            assert_eq!(form_message(&attempt(format!("guess{i}@kenpo.test")).await.refused(422)), text::LOGIN_WRONG, "{}", app.db);
        }
        let refused = attempt("guess9@kenpo.test".into()).await.refused(422);
        assert_eq!(form_message(&refused), app::text::login::WAIT);
        assert!(app.audit_events().await.contains(&"staff_login_refused_client".to_string()));
        app.clock.advance(3601);
        assert_eq!(form_message(&attempt("guess10@kenpo.test".into()).await.refused(422)), text::LOGIN_WRONG);
        app.stop().await;
    }
}
