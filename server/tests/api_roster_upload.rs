//! 名簿アップロード (管理者) through the running portal, on SQLite and PostgreSQL: a file with a
//! mistake shows its line and cannot be applied; the fixed file previews a 全件置換 that retires
//! one member, applied once (five applies sent at once: one takes effect); the retired member can
//! only read their documents (then not log in at all); a 担当者 and a visitor without a session cannot upload.

mod common;

use app::api::staff::RosterPreview;
use app::domain::StaffRole;
use app::pages::staff::roster::{ApplyRoster, LoadRosterPreview, RosterPreviewData, UPLOAD_PATH};
use app::text::staff as text;
use common::spawn::{form_message, spawn_app, Browser, Enc, TestApp, HANAKO, TARO};
use common::staff::staff_browser;
use common::{all_dbs, PASSWORD};

/// Posts the upload form as a browser does (multipart, the staff cookie, Origin).
async fn upload(app: &TestApp, browser: &Browser, csv: impl Into<Vec<u8>>, mode: &str) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(csv.into()).file_name("roster.csv").mime_str("text/csv").unwrap())
        .text("mode", mode.to_string());
    let mut request = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}{UPLOAD_PATH}", app.base))
        .header("origin", &app.base)
        .multipart(form);
    if let Some(token) = browser.cookie("staff_session") {
        request = request.header("cookie", format!("staff_session={token}"));
    }
    request.send().await.unwrap()
}

fn preview_id(answer: &reqwest::Response) -> String {
    assert_eq!(answer.status(), 303);
    let to = answer.headers()["location"].to_str().unwrap();
    to.strip_prefix("/staff/roster/").unwrap_or_else(|| panic!("{to}")).to_string()
}

const HEADER: &str = "kigo,bango,birth_date,name,name_kana,email,status\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_previews_fixes_and_applies_a_full_replacement_once() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        let taro = "12,345,1985-04-01,山田 太郎,ヤマダ タロウ,taro@corp.test,在職\n";

        // A mistake on line 3: shown with its line, nothing can be applied.
        let bad = upload(&app, &admin, format!("{HEADER}{taro}12,900,1970-13-01,鈴木 一郎,,,在職\n"), "replace").await;
        let id = preview_id(&bad);
        let p: RosterPreviewData = admin.load::<LoadRosterPreview, _>(&[("id", &id)]).await;
        assert_eq!(p.preview.errors.len(), 1, "{:?}", p.preview.errors);
        assert!(p.preview.errors[0].starts_with("3行目"), "{:?}", p.preview.errors);
        let page = admin.get(&format!("/staff/roster/{id}")).await.body;
        assert!(page.contains(text::ROSTER_ERRORS) && page.contains("3行目"), "{page}");
        let refused = admin.call::<ApplyRoster>(Enc::Js, "/", &[("id", &id), ("digest", &p.preview.digest)]).await.refused(422);
        assert_eq!(form_message(&refused), text::ROSTER_HAS_ERRORS);

        // A 全件置換 with no rows would retire everyone: refused at the preview and at the apply.
        let empty = preview_id(&upload(&app, &admin, HEADER, "replace").await);
        let p: RosterPreviewData = admin.load::<LoadRosterPreview, _>(&[("id", &empty)]).await;
        assert_eq!(p.preview.errors, vec![text::ROSTER_REPLACE_EMPTY.to_string()]);
        let refused = admin.call::<ApplyRoster>(Enc::Js, "/", &[("id", &empty), ("digest", "")]).await.refused(422);
        assert_eq!(form_message(&refused), text::ROSTER_REPLACE_EMPTY);

        // Fixed: 山田 太郎 gets his カナ, 鈴木 一郎 is new, 佐藤 花子 is absent and would retire.
        let good = upload(&app, &admin, format!("{HEADER}{taro}12,900,1970-12-01,鈴木 一郎,,,在職\n"), "replace").await;
        let id = preview_id(&good);
        let RosterPreviewData { preview, .. } = admin.load::<LoadRosterPreview, _>(&[("id", &id)]).await;
        let RosterPreview { new, changed, retired, errors, applied, retire_confirm, digest, .. } = preview;
        assert!(retire_confirm, "half of the active roster would retire: the number is typed");
        assert!(errors.is_empty() && applied.is_none());
        assert_eq!((new, changed.len()), (1, 1));
        assert_eq!(changed[0], ("2行目 12-345".to_string(), "氏名カナ".to_string()));
        assert_eq!(retired, vec![(format!("{}-{}", HANAKO.kigo, HANAKO.bango), HANAKO.name.to_string())]);
        let (status,): (String,) =
            sqlx::query_as("SELECT status FROM roster WHERE bango = $1").bind(HANAKO.bango).fetch_one(&app.state.db).await.unwrap();
        assert_eq!(status, "employed", "a preview changes nothing ({})", app.db);

        // Without the number, or with another one: refused next to the field.
        let page = format!("/staff/roster/{id}");
        for typed in [None, Some("2")] {
            let mut fields = vec![("id", id.as_str()), ("digest", digest.as_str())];
            fields.extend(typed.map(|n| ("retire_count", n)));
            let refused = admin.call::<ApplyRoster>(Enc::Js, &page, &fields).await.refused(422);
            assert_eq!(common::spawn::field(&refused, "retire_count"), text::ROSTER_RETIRE_COUNT_WRONG);
        }

        // The roster changed after the preview (an import from the CLI): the plan shown is not
        // what would happen, so nothing is applied.
        let csv = format!("{HEADER}12,901,1971-01-01,高橋 二郎,,,在職\n");
        let rows = app::backend::roster::parse(&csv, app::backend::platform::Clock::today(&app.clock)).unwrap();
        app::backend::roster::import(&app.state.db, &rows, app::backend::platform::Clock::now(&app.clock)).await.unwrap();
        let stale =
            admin.call::<ApplyRoster>(Enc::Js, &page, &[("id", &id), ("digest", &digest), ("retire_count", "1")]).await.refused(422);
        assert_eq!(form_message(&stale), text::ROSTER_CHANGED_SINCE, "{}", app.db);
        let RosterPreviewData { preview, .. } = admin.load::<LoadRosterPreview, _>(&[("id", &id)]).await;
        assert_eq!(preview.retired.len(), 2, "the new preview shows the new plan: 佐藤 花子 and 高橋 二郎");
        let digest = preview.digest;

        // Five applies at once (a double click, two 管理者): one takes effect.
        let browsers: Vec<&Browser> = vec![&admin; 5];
        let fields = [("id", id.as_str()), ("digest", digest.as_str()), ("retire_count", "２")];
        let answers = futures::future::join_all(browsers.iter().map(|b| b.call::<ApplyRoster>(Enc::Js, &page, &fields))).await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1, "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
        let (status,): (String,) =
            sqlx::query_as("SELECT status FROM roster WHERE bango = $1").bind(HANAKO.bango).fetch_one(&app.state.db).await.unwrap();
        assert_eq!(status, "lost");
        let again =
            admin.call::<ApplyRoster>(Enc::Form, &page, &[("id", &id), ("digest", &digest), ("retire_count", "2")]).await.refused(422);
        assert_eq!(form_message(&again), text::ROSTER_ALREADY_APPLIED);
        let shown = admin.get(&page).await.body;
        assert!(shown.contains(text::ROSTER_APPLIED) && shown.contains("資格喪失 2 件"), "{shown}");

        // 佐藤 花子 left: she still logs in, read-only — ホーム says until when, her documents open,
        // anything that changes something (her profile, her password) sends her to ホーム; past
        // DOCUMENTS_AFTER_LEAVING_MONTHS she cannot log in. 山田 太郎 still can.
        let login = |id: &'static str| {
            let b = app.browser();
            async move {
                let status = b
                    .call::<app::pages::login::Login>(Enc::Js, "/", &[("login_id", id), ("password", PASSWORD), ("next", "/home")])
                    .await
                    .status;
                (status, b)
            }
        };
        let (status, hanako) = login(HANAKO.login_id).await;
        assert_eq!(status, 200);
        let home: app::api::HomeData = hanako.load::<app::pages::login::LoadHome, _>(&[]).await;
        let until = home.read_only_until.expect("ホーム says she may only read");
        assert!(until.ends_with('日'), "{until}");
        let _: app::pages::medical::MedicalData =
            hanako.load::<app::pages::medical::LoadMedical, _>(&[("year", ""), ("patient", "")]).await;
        hanako.call::<app::pages::settings::LoadProfile>(Enc::Js, "/profile", &[]).await.sent_elsewhere("/home");
        let fields = [("current_password", PASSWORD), ("new_password", "Another#Pass2"), ("confirm_password", "Another#Pass2")];
        hanako.call::<app::pages::settings::ChangePassword>(Enc::Js, "/password", &fields).await.sent_elsewhere("/home");
        assert_eq!(hanako.get("/profile").await.status, 302);
        assert_eq!(login(TARO.login_id).await.0, 200);
        app.clock.advance(16 * 31 * 86_400);
        assert_eq!(login(HANAKO.login_id).await.0, 422, "the read-only months are over");
        assert_eq!(login(TARO.login_id).await.0, 200);
        let events = app.audit_events().await;
        assert!(
            events.contains(&"staff_roster_applied".to_string()) && events.contains(&"staff_roster_uploaded".to_string()),
            "{events:?}"
        );
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_an_admin_may_upload_and_an_undecodable_file_is_refused() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        let csv = format!("{HEADER}12,900,1970-12-01,鈴木 一郎,,,在職\n");
        let nobody = upload(&app, &app.browser(), csv.clone(), "upsert").await;
        assert_eq!((nobody.status().as_u16(), nobody.headers()["location"].to_str().unwrap()), (303, "/staff/login?next=/staff/roster"));
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        assert_eq!(upload(&app, &agent, csv.clone(), "upsert").await.status(), 403);
        let (uploads,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roster_uploads").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(uploads, 0);
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        // Not UTF-8 and not Shift_JIS.
        let answer = upload(&app, &admin, vec![0x82, 0xa0, 0xff, 0xff, 0x00, 0x81], "upsert").await;
        assert_eq!(answer.headers()["location"].to_str().unwrap(), "/staff/roster?error=encoding");
        let page = admin.get("/staff/roster?error=encoding").await.body;
        assert!(page.contains(text::ROSTER_ENCODING), "{page}");
        app.stop().await;
    }
}
