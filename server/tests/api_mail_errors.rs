//! 送信エラー's 再送: a plain mail given up is sent again as it was; a mail whose one-time link
//! was erased comes again with a new link; each given-up mail is resent once, however many
//! clicks arrive at once. SQLite and PostgreSQL.

mod common;

use app::backend::mail::{letters, outbox};
use app::text::mail as subjects;

use app::backend::members::recovery;
use app::domain::{Email, StaffRole};
use app::pages::staff::{LoadMailErrors, MailErrorsData, ResendMail};
use app::text::staff as text;
use common::all_dbs;
use common::spawn::{form_message, spawn_app, Enc, TestApp, TARO};
use common::staff::staff_browser;

async fn waiting(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    n
}

/// Waits (bounded) until the outbox has nothing waiting; `push` runs before each look.
async fn until_outbox_empty(app: &TestApp, push: impl AsyncFn()) {
    for _ in 0..500 {
        push().await;
        if waiting(app).await == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("mails still waiting ({})", app.db);
}

/// Lets the SMTP listener refuse every attempt and the worker reach its last one: the mails
/// waiting now are given up by the worker's own `mark_failed`. (A row the worker holds while we
/// move it to its last attempt gets its own count back: moved again on the next look.)
async fn give_up_waiting_mails(app: &TestApp) {
    app.smtp.refuse_next(1_000);
    until_outbox_empty(app, async || {
        sqlx::query(
            "UPDATE mail_outbox SET attempts = $1, next_attempt_at = 0 WHERE sent_at IS NULL AND failed_at IS NULL AND locked_until = 0",
        )
        .bind(outbox::MAX_ATTEMPTS - 1)
        .execute(&app.state.db)
        .await
        .unwrap();
        app.state.mail_wakeup.notify_one();
    })
    .await;
    app.smtp.refuse_next(0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_given_up_mail_is_resent_once_with_a_new_link_where_it_had_one() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        until_outbox_empty(&app, async || {}).await;
        app.smtp.refuse_next(1_000);

        // A plain mail (ログインIDのお知らせ) and one with a one-time link (パスワード再設定).
        let plain = letters::login_id_notice(&app.state.config, TARO.email, TARO.login_id);
        outbox::enqueue(&app.state.db, app::backend::platform::Clock::now(&app.clock), &plain).await.unwrap();
        recovery::request(&app.state, None, &Email::parse(TARO.email).unwrap()).await.unwrap();
        give_up_waiting_mails(&app).await;
        let (erased,): (String,) = sqlx::query_as("SELECT body FROM mail_outbox WHERE subject = $1")
            .bind(subjects::SUBJECT_RESET)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(erased, "", "the lost link does not stay in the database");

        let listed: MailErrorsData = agent.load::<LoadMailErrors, _>(&[]).await;
        assert_eq!(listed.mails.len(), 2, "{:?}", listed.mails);
        let id_of = |subject: &str| listed.mails.iter().find(|m| m.subject == subject).unwrap().id.clone();

        // Eight clicks at once on 再送 of the plain mail: one copy goes out.
        let plain_id = id_of(subjects::SUBJECT_LOGIN_ID);
        let fields = [("id", plain_id.as_str())];
        let answers = futures::future::join_all((0..8).map(|_| agent.call::<ResendMail>(Enc::Js, "/staff/mail-errors", &fields))).await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1, "{}", app.db);
        for refused in answers.iter().filter(|a| a.status != 200) {
            assert_eq!(form_message(&refused.refused(422)), text::RESEND_ALREADY);
        }
        let copy = app.mail(TARO.email, subjects::SUBJECT_LOGIN_ID).await;
        assert!(copy.body().contains(TARO.login_id), "the same text: {}", copy.body());

        // 再送 of the reset mail: a new mail with a new link, which works.
        agent
            .call::<ResendMail>(Enc::Form, "/staff/mail-errors", &[("id", &id_of(subjects::SUBJECT_RESET))])
            .await
            .went_to("/staff/mail-errors?resent=1");
        let fresh = app.mail(TARO.email, subjects::SUBJECT_RESET).await;
        let token = app.token_in(&fresh, "/forgot/reset/");
        assert!(recovery::link_view(&app.state, &token).await.unwrap().is_some(), "the new link opens the reset");

        let after: MailErrorsData = agent.load::<LoadMailErrors, _>(&[]).await;
        assert!(after.mails.iter().all(|m| m.resent.is_some()), "both marked 再送済み: {:?}", after.mails);
        let page = agent.get("/staff/mail-errors").await.body;
        assert!(page.contains(text::RESENT), "{page}");
        assert!(app.audit_events().await.iter().filter(|e| *e == "staff_mail_resent").count() == 2);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_resend_to_an_address_that_unsubscribed_since_nor_of_a_setup_link_to_a_disabled_staff_account() {
    use app::pages::staff::accounts::{AddStaff, ChangeStaff, LoadStaffList, StaffListData};
    use app::pages::staff::campaigns::{CampaignData, LoadCampaign, SaveCampaign, SendCampaign};
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        until_outbox_empty(&app, async || {}).await;
        app.smtp.refuse_next(1_000);

        // A 医療費通知 mail to both members, and a new staff member's setup link: all given up.
        let saved = admin
            .call::<SaveCampaign>(
                Enc::Form,
                "/staff/campaigns/new",
                &[("id", "new"), ("category", "medical_expenses"), ("subject", "医療費のお知らせ"), ("body", "掲載しました。")],
            )
            .await;
        let id = saved.location().trim_start_matches("/staff/campaigns/").trim_end_matches("?saved=1").to_string();
        let form: CampaignData = admin.load::<LoadCampaign, _>(&[("id", &id)]).await;
        let (expected, digest) = (form.form.addresses.to_string(), form.form.digest);
        let page = format!("/staff/campaigns/{id}");
        admin
            .call::<SendCampaign>(Enc::Form, &page, &[("id", &id), ("expected", &expected), ("digest", &digest), ("confirmed", "1")])
            .await
            .went_to(&format!("{page}?started=1"));
        while app::backend::mail::campaigns::dispatch(&app.state.db, &app.state.config, app::backend::platform::Clock::now(&app.clock), 100)
            .await
            .unwrap()
            > 0
        {}
        admin
            .call::<AddStaff>(Enc::Form, "/staff/staff", &[("name", "新人 三郎"), ("email", "shinjin@kenpo.test"), ("role", "agent")])
            .await
            .went_to("/staff/staff?added=1");
        give_up_waiting_mails(&app).await;

        // 佐藤 花子 stops 医療費通知 since: her copy is not sent again; 山田 太郎's is.
        sqlx::query("UPDATE accounts SET mail_preferences = 'newsletter' WHERE bango = $1")
            .bind(common::spawn::HANAKO.bango)
            .execute(&app.state.db)
            .await
            .unwrap();
        let listed: MailErrorsData = admin.load::<LoadMailErrors, _>(&[]).await;
        let to = |address: &str, subject: &str| {
            listed
                .mails
                .iter()
                .find(|m| m.recipient == address && m.subject == subject)
                .unwrap_or_else(|| panic!("{address}: {:?}", listed.mails))
                .id
                .clone()
        };
        let hanako = to(common::spawn::HANAKO.email, "医療費のお知らせ");
        let refused = admin.call::<ResendMail>(Enc::Js, "/staff/mail-errors", &[("id", &hanako)]).await.refused(422);
        assert_eq!(form_message(&refused), text::RESEND_UNSUBSCRIBED, "{}", app.db);
        let taro = to(TARO.email, "医療費のお知らせ");
        admin.call::<ResendMail>(Enc::Form, "/staff/mail-errors", &[("id", &taro)]).await.went_to("/staff/mail-errors?resent=1");
        app.mail(TARO.email, "医療費のお知らせ").await;

        // The new staff member is disabled meanwhile: no new setup link for that account.
        let staff: StaffListData = admin.load::<LoadStaffList, _>(&[]).await;
        let shinjin = staff.accounts.iter().find(|s| s.email == "shinjin@kenpo.test").unwrap().id.clone();
        admin
            .call::<ChangeStaff>(Enc::Form, "/staff/staff", &[("id", &shinjin), ("what", "disable"), ("reason", "採用取消")])
            .await
            .went_to("/staff/staff?changed=1");
        let setup = to("shinjin@kenpo.test", app::text::mail::SUBJECT_STAFF_SETUP);
        let refused = admin.call::<ResendMail>(Enc::Js, "/staff/mail-errors", &[("id", &setup)]).await.refused(422);
        assert_eq!(form_message(&refused), text::RESEND_STAFF_DISABLED);
        assert!(app.mails("shinjin@kenpo.test", app::text::mail::SUBJECT_STAFF_SETUP).is_empty());
        app.stop().await;
    }
}
