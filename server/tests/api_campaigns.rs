//! 配信メール: a 担当者 drafts and tests a category mail, a 管理者 sends it; it reaches every
//! confirmed address of the members who want that category, once, at MAIL_RATE_PER_MINUTE,
//! also across a restart; the one-click unsubscribe link turns that category off without a login.
//! SQLite and PostgreSQL.

mod common;

use app::backend::mail::campaigns;
use app::domain::StaffRole;
use app::pages::staff::campaigns::{CampaignData, LoadCampaign, SaveCampaign, SendCampaign, TestCampaign};
use app::text::{settings as member_text, staff as text};
use common::all_dbs;
use common::spawn::{field, form_message, spawn_app, spawn_app_with, Enc, TestApp, HANAKO, TARO};
use common::staff::staff_browser;

const SUBJECT: &str = "2026年度 医療費通知のお知らせ";
const TARO_HOME: &str = "taro.home@example.test";
const TARO_PENDING: &str = "taro.pending@example.test";

/// 山田 太郎 also has a confirmed メールアドレス2 and an unconfirmed メールアドレス3.
async fn taro_has_more_addresses(app: &TestApp) {
    let (id,): (String,) =
        sqlx::query_as("SELECT id FROM accounts WHERE bango = $1").bind(TARO.bango).fetch_one(&app.state.db).await.unwrap();
    sqlx::query("UPDATE accounts SET email2 = $1 WHERE id = $2").bind(TARO_HOME).bind(&id).execute(&app.state.db).await.unwrap();
    sqlx::query("INSERT INTO account_emails (account_id, slot, email, email_norm) VALUES ($1, 2, $2, $2)")
        .bind(&id)
        .bind(TARO_HOME)
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query("INSERT INTO email_changes (account_id, slot, email, email_norm, token_hash, expires_at, created_at) VALUES ($1, 3, $2, $2, 'h', $3, 0)")
        .bind(&id)
        .bind(TARO_PENDING)
        .bind(i64::MAX)
        .execute(&app.state.db)
        .await
        .unwrap();
}

async fn preferences(app: &TestApp, bango: &str) -> String {
    let (p,): (String,) =
        sqlx::query_as("SELECT mail_preferences FROM accounts WHERE bango = $1").bind(bango).fetch_one(&app.state.db).await.unwrap();
    p
}

/// Saves a new draft and returns its id (from the page it goes to).
async fn draft(staff: &common::spawn::Browser, category: &str, subject: &str) -> String {
    let answer = staff
        .call::<SaveCampaign>(
            Enc::Form,
            "/staff/campaigns/new",
            &[("id", "new"), ("category", category), ("subject", subject), ("body", "本文です。")],
        )
        .await;
    let to = answer.location().to_string();
    let id = to.trim_start_matches("/staff/campaigns/").trim_end_matches("?saved=1").to_string();
    answer.went_to(&format!("/staff/campaigns/{id}?saved=1"));
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_category_mail_reaches_the_confirmed_addresses_of_members_who_want_it_once() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        taro_has_more_addresses(&app).await;
        // 佐藤 花子 does not want 医療費通知.
        sqlx::query("UPDATE accounts SET mail_preferences = 'newsletter,notices' WHERE bango = $1")
            .bind(HANAKO.bango)
            .execute(&app.state.db)
            .await
            .unwrap();
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;

        // The draft: every field is checked.
        let wrong = agent
            .call::<SaveCampaign>(Enc::Js, "/staff/campaigns/new", &[("id", "new"), ("category", ""), ("subject", ""), ("body", "")])
            .await
            .refused(422);
        assert_eq!(field(&wrong, "category"), text::CAMPAIGN_CATEGORY_REQUIRED);
        assert!(field(&wrong, "subject").contains("件名"), "{wrong:?}");
        assert!(field(&wrong, "body").contains("本文"), "{wrong:?}");

        let id = draft(&agent, "medical_expenses", SUBJECT).await;
        let page = format!("/staff/campaigns/{id}");
        let data: CampaignData = agent.load::<LoadCampaign, _>(&[("id", &id)]).await;
        assert_eq!(
            (data.form.addresses, data.form.members),
            (2, 1),
            "太郎's addresses 1 and 2; not the pending one, not 花子 ({})",
            app.db
        );
        assert!(agent.get(&page).await.body.contains(r#"data-testid="campaign-audience""#));

        // The test goes to the staff member only, marked, without an unsubscribe link.
        agent.call::<TestCampaign>(Enc::Form, &page, &[("id", &id)]).await.went_to(&format!("{page}?tested=1"));
        let test = app.mail("tanto@kenpo.test", &format!("{}{SUBJECT}", text::CAMPAIGN_TEST_PREFIX)).await;
        assert!(test.body().contains("本文です。") && test.header("List-Unsubscribe").is_none(), "{}", test.data);

        // A 担当者 may not send; a 管理者 must tick the confirmation and see the current count.
        let seen = data.form.digest.clone();
        let refused =
            agent.call::<SendCampaign>(Enc::Js, &page, &[("id", &id), ("expected", "2"), ("digest", &seen), ("confirmed", "1")]).await;
        assert_eq!(refused.status, 403, "{}", refused.body);
        let unticked = admin.call::<SendCampaign>(Enc::Js, &page, &[("id", &id), ("expected", "2"), ("digest", &seen)]).await.refused(422);
        assert_eq!(field(&unticked, "confirmed"), text::CAMPAIGN_SEND_CONFIRM_REQUIRED);
        let stale = admin
            .call::<SendCampaign>(Enc::Js, &page, &[("id", &id), ("expected", "5"), ("digest", &seen), ("confirmed", "1")])
            .await
            .refused(422);
        assert_eq!(form_message(&stale), text::CAMPAIGN_COUNT_CHANGED);
        let still: CampaignData = admin.load::<LoadCampaign, _>(&[("id", &id)]).await;
        assert!(still.form.started.is_none(), "nothing was sent");

        // A 担当者 edits the draft after the 管理者 read it: what the 管理者 reviewed is not what
        // would go out, so the send is refused and nothing is queued.
        agent
            .call::<SaveCampaign>(
                Enc::Form,
                &page,
                &[("id", &id), ("category", "medical_expenses"), ("subject", SUBJECT), ("body", "本文です。（改訂）")],
            )
            .await
            .went_to(&format!("{page}?saved=1"));
        let changed = admin
            .call::<SendCampaign>(Enc::Js, &page, &[("id", &id), ("expected", "2"), ("digest", &seen), ("confirmed", "1")])
            .await
            .refused(422);
        assert_eq!(form_message(&changed), text::CAMPAIGN_CHANGED, "{}", app.db);
        let (chosen,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = $1")
            .bind(&id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(chosen, 0, "nothing queued");
        let reread: CampaignData = admin.load::<LoadCampaign, _>(&[("id", &id)]).await;
        assert!(reread.form.body.contains("（改訂）") && reread.form.digest != seen);
        let seen = reread.form.digest;

        // Eight sends at once (double clicks, two tabs): one starts it.
        let fields = [("id", id.as_str()), ("expected", "2"), ("digest", seen.as_str()), ("confirmed", "1")];
        let answers = futures::future::join_all((0..8).map(|_| admin.call::<SendCampaign>(Enc::Js, &page, &fields))).await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1, "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
        for refused in answers.iter().filter(|a| a.status != 200) {
            assert_eq!(form_message(&refused.refused(422)), text::CAMPAIGN_ALREADY_SENT);
        }

        let home = app.mail(TARO_HOME, SUBJECT).await;
        let company = app.mail(TARO.email, SUBJECT).await;
        assert!(app.mails(HANAKO.email, SUBJECT).is_empty() && app.mails(TARO_PENDING, SUBJECT).is_empty());
        let unsubscribe = company.header("List-Unsubscribe").expect("List-Unsubscribe");
        let url = unsubscribe.trim_start_matches('<').trim_end_matches('>').to_string();
        assert!(url.starts_with(&format!("{}/unsubscribe/", app.base)), "{url}");
        assert_eq!(company.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
        let body = company.body();
        assert!(body.contains("本文です。") && body.contains(&url) && body.contains(&format!("{}/profile", app.base)), "{body}");
        assert!(home.body().contains("/unsubscribe/"), "every address gets the link");

        // The sent campaign is frozen and shows its progress.
        let edit =
            agent.call::<SaveCampaign>(Enc::Js, &page, &[("id", &id), ("category", "newsletter"), ("subject", "x"), ("body", "y")]).await;
        assert_eq!(form_message(&edit.refused(422)), text::CAMPAIGN_ALREADY_SENT);
        let sent = wait_for_sent(&app, &id, 2).await;
        assert_eq!((sent.total, sent.waiting, sent.failed), (2, 0, 0));
        let shown: CampaignData = admin.load::<LoadCampaign, _>(&[("id", &id)]).await;
        assert_eq!((shown.form.progress, shown.form.addresses, shown.form.members), (sent, 2, 1));

        // The mail program's one-click POST: no cookie, no page; idempotent; bound to its token.
        let client = reqwest::Client::new();
        let one_click =
            || client.post(&url).header("content-type", "application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click").send();
        assert_eq!(one_click().await.unwrap().status(), 200);
        assert_eq!(preferences(&app, TARO.bango).await, "newsletter,notices,health_magazine,applications");
        assert_eq!(one_click().await.unwrap().status(), 200, "again: still off");
        let forged = url.replace("medical_expenses", "newsletter");
        let answer = client.post(&forged).body("List-Unsubscribe=One-Click").send().await.unwrap();
        assert_eq!(answer.status(), 404);
        assert_eq!(preferences(&app, TARO.bango).await, "newsletter,notices,health_magazine,applications", "nothing else changed");
        let shown = app.browser().get(url.trim_start_matches(&app.base)).await.body;
        assert!(shown.contains(member_text::UNSUBSCRIBED), "{shown}");
        assert!(app.audit_events().await.contains(&"mail_unsubscribed".to_string()));
        app.stop().await;
    }
}

/// Waits (bounded) until `sent` of the campaign's mails were accepted by the SMTP listener.
async fn wait_for_sent(app: &TestApp, id: &str, sent: i64) -> app::api::staff::CampaignProgress {
    for _ in 0..500 {
        let progress = app::backend::staff::campaigns::progress(&app.state.db, id).await.unwrap();
        if progress.sent >= sent {
            return progress;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{sent} mails not recorded as sent ({})", app.db);
}

/// How many of a campaign's addresses the worker handed to the outbox.
async fn queued(app: &TestApp) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM campaign_recipients WHERE queued_at IS NOT NULL").fetch_one(&app.state.db).await.unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn campaign_mails_leave_at_the_configured_rate_and_resume_after_a_restart() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app_with(&t, |c| c.mail_rate_per_minute = 1).await;
        app.with_members().await;
        taro_has_more_addresses(&app).await;
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        let id = draft(&admin, "newsletter", "メールマガジン 12月号").await;
        let page = format!("/staff/campaigns/{id}");
        let seen: CampaignData = admin.load::<LoadCampaign, _>(&[("id", &id)]).await;
        admin
            .call::<SendCampaign>(Enc::Form, &page, &[("id", &id), ("expected", "3"), ("digest", &seen.form.digest), ("confirmed", "1")])
            .await
            .went_to(&format!("{page}?started=1"));

        // One a minute: the first goes out, the others wait, whoever asks.
        wait_for_sent(&app, &id, 1).await;
        let now = app::backend::platform::Clock::now(&app.clock);
        let tries = futures::future::join_all((0..8).map(|_| campaigns::dispatch(&app.state.db, &app.state.config, now, 1))).await;
        assert!(tries.iter().all(|n| *n.as_ref().unwrap() == 0), "{tries:?}");
        assert_eq!(queued(&app).await, 1, "{}", app.db);

        // The next minute: eight workers at once still queue one address, once.
        app.clock.advance(61);
        let now = now + 61;
        let tries = futures::future::join_all((0..8).map(|_| campaigns::dispatch(&app.state.db, &app.state.config, now, 1))).await;
        assert!(tries.iter().map(|n| *n.as_ref().unwrap()).sum::<usize>() <= 1, "{tries:?}");
        assert_eq!(queued(&app).await, 2);
        wait_for_sent(&app, &id, 2).await;
        let first = app.smtp.received();
        app.stop().await;

        // A restart (a faster rate now) sends the rest, and nothing twice.
        let again = spawn_app_with(&t, |c| c.mail_rate_per_minute = 100).await;
        wait_for_sent(&again, &id, 3).await;
        let mut to: Vec<String> = first
            .iter()
            .chain(again.smtp.received().iter())
            .filter(|m| m.subject() == "メールマガジン 12月号")
            .flat_map(|m| m.recipients.clone())
            .collect();
        to.sort();
        let mut expected = vec![HANAKO.email.to_string(), TARO.email.to_string(), TARO_HOME.to_string()];
        expected.sort();
        assert_eq!(to, expected, "each address once ({})", again.db);
        again.stop().await;
    }
}
