//! 健保からのお知らせ: a 担当者 writes, schedules, aims (区分) and withdraws notices; members see on
//! ホーM only what is current and meant for them, 重要 first, and a notice's page in full with
//! URLs as links and nothing else interpreted. SQLite and PostgreSQL.

mod common;

use app::pages::login::Login;
use app::pages::staff::notices::{LoadNotices, NoticesData, SaveNotice, WithdrawNotice};
use app::text::{login as member_text, staff as text};
use common::spawn::{field, form_message, spawn_app, Browser, Enc, TestApp, HANAKO, TARO};
use common::staff::staff_browser;
use common::{all_dbs, PASSWORD};

async fn member(app: &TestApp, login_id: &str) -> Browser {
    let browser = app.browser();
    browser.call::<Login>(Enc::Form, "/", &[("login_id", login_id), ("password", PASSWORD), ("next", "/home")]).await.went_to("/home");
    browser
}

/// Posts the notice form (checkboxes only when ticked, as a browser sends them).
async fn post_notice(staff: &Browser, fields: &[(&str, &str)]) -> common::spawn::Answer {
    staff.call::<SaveNotice>(Enc::Form, "/staff/notices/new", fields).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_see_the_current_notices_of_their_own_kubun_important_first() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        // 佐藤 花子 continues voluntarily (任意継続); 山田 太郎 is employed (在職).
        sqlx::query("UPDATE roster SET status = 'voluntary_continuation' WHERE bango = $1")
            .bind(HANAKO.bango)
            .execute(&app.state.db)
            .await
            .unwrap();
        let (staff, _) = staff_browser(&app, "tanto@kenpo.test", app::domain::StaffRole::Agent).await;

        // Mistakes are told per field.
        let wrong = staff
            .call::<SaveNotice>(
                Enc::Js,
                "/staff/notices/new",
                &[("id", "new"), ("title", ""), ("body", "本文"), ("starts", "2026-09-21T10:00"), ("ends", "2026-09-21T09:00")],
            )
            .await
            .refused(422);
        assert!(field(&wrong, "title").contains("件名"), "{wrong:?}");
        assert_eq!(field(&wrong, "ends"), text::NOTICE_ENDS_BEFORE_START);

        let body = "任意継続の方の保険料納付について。\n詳しくは https://kenpo.example.jp/nini をご覧ください。\n<script>alert(1)</script>";
        post_notice(
            &staff,
            &[
                ("id", "new"),
                ("title", "任意継続の保険料"),
                ("body", body),
                ("starts", "2026-09-21T00:00"),
                ("ends", ""),
                ("voluntary_continuation", "1"),
            ],
        )
        .await
        .went_to("/staff/notices?saved=1");
        post_notice(
            &staff,
            &[("id", "new"), ("title", "全員へのお知らせ"), ("body", "本文"), ("starts", "2026-09-20T00:00"), ("ends", "")],
        )
        .await
        .went_to("/staff/notices?saved=1");
        post_notice(
            &staff,
            &[
                ("id", "new"),
                ("title", "重要なお知らせ"),
                ("body", "本文"),
                ("starts", "2026-09-19T00:00"),
                ("ends", ""),
                ("important", "1"),
            ],
        )
        .await
        .went_to("/staff/notices?saved=1");
        post_notice(&staff, &[("id", "new"), ("title", "来月のお知らせ"), ("body", "本文"), ("starts", "2026-10-21T00:00"), ("ends", "")])
            .await
            .went_to("/staff/notices?saved=1");
        post_notice(
            &staff,
            &[("id", "new"), ("title", "終わったお知らせ"), ("body", "本文"), ("starts", "2026-09-01T00:00"), ("ends", "2026-09-10T00:00")],
        )
        .await
        .went_to("/staff/notices?saved=1");

        let listed: NoticesData = staff.load::<LoadNotices, _>(&[]).await;
        let states: Vec<(String, String)> = listed.notices.iter().map(|n| (n.title.clone(), n.state.clone())).collect();
        assert!(states.contains(&("来月のお知らせ".into(), text::NOTICE_SCHEDULED.into())), "{states:?}");
        assert!(states.contains(&("終わったお知らせ".into(), text::NOTICE_ENDED.into())), "{states:?}");
        let targeted = listed.notices.iter().find(|n| n.title == "任意継続の保険料").unwrap();
        assert_eq!(targeted.audience, "任意継続");

        let hanako = member(&app, HANAKO.login_id).await;
        let home = hanako.get("/home").await.body;
        let order: Vec<usize> = ["重要なお知らせ", "任意継続の保険料", "全員へのお知らせ"]
            .iter()
            .map(|t| home.find(t).unwrap_or_else(|| panic!("{t} in {home}")))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "重要 first, then newest: {order:?}");
        assert!(!home.contains("来月のお知らせ") && !home.contains("終わったお知らせ"));

        let taro = member(&app, TARO.login_id).await;
        let home = taro.get("/home").await.body;
        assert!(home.contains("全員へのお知らせ") && !home.contains("任意継続の保険料"), "another 区分 does not see it ({})", app.db);
        let page = format!("/notices/{}", targeted.id);
        assert!(taro.get(&page).await.body.contains(member_text::NOTICE_GONE), "not by its URL either");

        // The notice page: line breaks, the URL as a link, the markup as text.
        let full = hanako.get(&page).await.body;
        assert!(full.contains(r#"<a href="https://kenpo.example.jp/nini" rel="noopener noreferrer nofollow" target="_blank">"#), "{full}");
        assert!(full.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !full.contains("<script>alert(1)"), "{full}");

        // Scheduled: shown from its start. Withdrawn: gone at once, and back when restored.
        app.clock.advance(31 * 86_400);
        let hanako = member(&app, HANAKO.login_id).await;
        let (staff, _) = staff_browser(&app, "tanto2@kenpo.test", app::domain::StaffRole::Agent).await;
        assert!(hanako.get("/home").await.body.contains("来月のお知らせ"));
        staff
            .call::<WithdrawNotice>(Enc::Form, "/staff/notices", &[("id", &targeted.id), ("withdrawn", "1")])
            .await
            .went_to("/staff/notices?saved=1");
        assert!(!hanako.get("/home").await.body.contains("任意継続の保険料"));
        assert!(hanako.get(&page).await.body.contains(member_text::NOTICE_GONE));
        staff
            .call::<WithdrawNotice>(Enc::Form, "/staff/notices", &[("id", &targeted.id), ("withdrawn", "0")])
            .await
            .went_to("/staff/notices?saved=1");
        assert!(hanako.get("/home").await.body.contains("任意継続の保険料"));

        // Edited: the same notice (not a new one) shows the new text; an unknown one is refused.
        let edit = |id: &str| {
            let id = id.to_string();
            let staff = &staff;
            async move {
                let fields = [
                    ("id", id.as_str()),
                    ("title", "任意継続の保険料（改訂）"),
                    ("body", "改訂版"),
                    ("starts", "2026-09-21T00:00"),
                    ("ends", ""),
                    ("voluntary_continuation", "1"),
                ];
                staff.call::<SaveNotice>(Enc::Js, &format!("/staff/notices/{id}"), &fields).await
            }
        };
        edit(&targeted.id).await.went_to("/staff/notices?saved=1");
        let home = hanako.get("/home").await.body;
        assert!(home.contains("任意継続の保険料（改訂）") && hanako.get(&page).await.body.contains("改訂版"), "{home}");
        let count = staff.load::<LoadNotices, NoticesData>(&[]).await.notices.len();
        assert_eq!(count, listed.notices.len(), "edited in place");
        assert_eq!(form_message(&edit("no-such-notice").await.refused(422)), text::NOT_FOUND);

        let events = app.audit_events().await;
        for e in ["staff_notice_created", "staff_notice_updated", "staff_notice_withdrawn", "staff_notice_restored"] {
            assert!(events.contains(&e.to_string()), "{e} in {events:?}");
        }
        app.stop().await;
    }
}
