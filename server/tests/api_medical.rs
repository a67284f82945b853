//! 医療費のお知らせ through the running portal, on SQLite and PostgreSQL: a 管理者 uploads a
//! Shift_JIS claims file (a bad row is shown with its line; lines not on the roster are reported),
//! loads it once (five loads at once: one), schedules it; the worker mails the households that
//! take 医療費通知 (no amounts, no facility, no 受診者 in it), not the one that unchecked it;
//! each member reads only their own 記号・番号's lines (page data, print page, PDF; guessed years
//! are 404); the same 処理年月 again replaces its lines; 取り下げ hides it; 紙で送付が必要な加入者
//! lists who cannot receive it online; a 担当者 cannot upload; retention deletes old lines.

mod common;

use app::api::staff::MedicalPreview;
use app::domain::StaffRole;
use app::pages::login::Login;
use app::pages::medical::{LoadMedical, MedicalData};
use app::pages::staff::medical::{ApplyMedical, LoadMedicalPreview, MedicalPreviewData, ScheduleMedical, WithdrawMedical, UPLOAD_PATH};
use app::text::staff as text;
use common::spawn::{form_message, spawn_app, Browser, Enc, TestApp, HANAKO, TARO};
use common::staff::staff_browser;
use common::{all_dbs, PASSWORD};

const HEADER: &str = "記号,番号,枝番,受診者氏名,診療年月,医療機関等名称,診療区分,日数,医療費総額,自己負担額,処理年月\n";
/// 山田 太郎's household (two persons), 佐藤 花子, 鈴木 一郎 (on the roster, not registered) and
/// a 記号・番号 the roster does not have (line 7).
const LINES: &str = "12,345,00,山田 太郎,2026-05,みなと内科クリニック,医科外来,2,12340,3700,2026-08\n\
                     12,345,00,山田 太郎,2026-05,さくら薬局,調剤,1,4000,1200,2026-08\n\
                     12,345,01,山田 陽子,令和8年6月,東京ミライ総合病院,医科入院,5,300000,57600,2026-08\n\
                     12,346,00,佐藤 花子,2026-06,こうなん歯科,歯科,1,5000,1500,2026-08\n\
                     12,347,00,鈴木 一郎,2026-07,,療養費,0,8000,2400,2026-08\n\
                     12,999,00,名簿 外,2026-07,みどり薬局,調剤,1,2000,600,2026-08\n";

async fn upload(app: &TestApp, browser: &Browser, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name("iryohi-202608.csv").mime_str("text/csv").unwrap());
    let mut request = raw_client().post(format!("{}{UPLOAD_PATH}", app.base)).header("origin", &app.base).multipart(form);
    if let Some(token) = browser.cookie("staff_session") {
        request = request.header("cookie", format!("staff_session={token}"));
    }
    request.send().await.unwrap()
}

fn raw_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().build().unwrap()
}

fn sjis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn preview_id(answer: &reqwest::Response) -> String {
    assert_eq!(answer.status(), 303);
    let to = answer.headers()["location"].to_str().unwrap();
    to.strip_prefix("/staff/medical/upload/").unwrap_or_else(|| panic!("{to}")).to_string()
}

/// A raw GET with the member's session (the PDF is bytes, not text).
async fn member_get(app: &TestApp, browser: &Browser, path: &str) -> reqwest::Response {
    let mut request = raw_client().get(format!("{}{path}", app.base));
    if let Some(token) = browser.cookie("portal_session") {
        request = request.header("cookie", format!("portal_session={token}"));
    }
    request.send().await.unwrap()
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("statement.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out =
        std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (scripts/setup.sh installs poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

async fn logged_in(app: &TestApp, login_id: &str) -> Browser {
    let browser = app.browser();
    browser.call::<Login>(Enc::Js, "/", &[("next", "/home"), ("login_id", login_id), ("password", PASSWORD)]).await.went_to("/home");
    browser
}

async fn medical(browser: &Browser, year: &str, patient: &str) -> MedicalData {
    browser.load::<LoadMedical, _>(&[("year", year), ("patient", patient)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_is_loaded_once_published_mailed_and_read_by_its_household_only() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        let extra = app::backend::roster::parse(
            "kigo,bango,birth_date,name,name_kana,email,status\n12,347,1970-01-01,鈴木 一郎,,,在職\n",
            app::backend::platform::Clock::today(&app.clock),
        )
        .unwrap();
        app::backend::roster::import(&app.state.db, &extra, app::backend::platform::Clock::now(&app.clock)).await.unwrap();
        // 佐藤 花子 unchecked 医療費通知: no mail, the page still shows hers.
        sqlx::query("UPDATE accounts SET mail_preferences = 'newsletter' WHERE login_id_norm = 'sato.hanako'")
            .execute(&app.state.db)
            .await
            .unwrap();
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        let taro = logged_in(&app, TARO.login_id).await;
        let hanako = logged_in(&app, HANAKO.login_id).await;

        // A mistake on line 3 (a 診療区分 that does not exist): shown with its line, not loadable.
        let bad = format!(
            "{HEADER}{}",
            LINES.replacen("医科外来", "鍼灸", 1).replacen(
                "12,345,00,山田 太郎,2026-05,さくら薬局",
                "12,345,00,山田 太郎,2026-13,さくら薬局",
                1
            )
        );
        let id = preview_id(&upload(&app, &admin, sjis(&bad)).await);
        let p: MedicalPreviewData = admin.load::<LoadMedicalPreview, _>(&[("id", &id)]).await;
        let lines: Vec<&str> = p.preview.errors.iter().map(|e| e.split('行').next().unwrap()).collect();
        assert_eq!(lines, vec!["2", "3"], "{:?}", p.preview.errors);
        let refused = admin.call::<ApplyMedical>(Enc::Js, "/", &[("id", &id)]).await.refused(422);
        assert_eq!(form_message(&refused), text::MEDICAL_HAS_ERRORS);

        // The fixed file (Shift_JIS, as Excel saves it): previewed, nothing written yet.
        let id = preview_id(&upload(&app, &admin, sjis(&format!("{HEADER}{LINES}"))).await);
        let MedicalPreviewData { preview, .. } = admin.load::<LoadMedicalPreview, _>(&[("id", &id)]).await;
        let MedicalPreview { batch, lines, households, unknown, unknown_shown, replaced, errors, .. } = preview;
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!((batch.as_str(), lines, households, unknown, replaced), ("2026-08", 6, 4, 1, 0), "{}", app.db);
        assert_eq!(unknown_shown, vec!["7行目 12-999".to_string()]);
        let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM medical_lines").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(stored, 0, "a preview writes nothing");

        // Five loads at once (a double click, two 管理者): one takes effect.
        let page = format!("{UPLOAD_PATH}/{id}");
        let browsers = [&admin; 5];
        let fields = [("id", id.as_str())];
        let answers = futures::future::join_all(browsers.iter().map(|b| b.call::<ApplyMedical>(Enc::Js, &page, &fields))).await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1, "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
        let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM medical_lines").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(stored, 6);

        // Loaded, not yet published: members see nothing, and there is no PDF.
        assert_eq!(medical(&taro, "", "").await.year, None);
        assert_eq!(member_get(&app, &taro, "/medical/pdf?year=2026").await.status(), 404);

        // Scheduled for ten minutes from now (within every session's idle time): nothing shows,
        // nothing is mailed before then.
        let now = app::backend::platform::Clock::now(&app.clock);
        let in_ten_minutes = app::backend::platform::clock::jst(now + 600, "%Y-%m-%dT%H:%M");
        let batch_page = "/staff/medical/2026-08";
        admin
            .call::<ScheduleMedical>(Enc::Form, batch_page, &[("id", "2026-08"), ("publish_at", &in_ten_minutes)])
            .await
            .went_to(batch_page);
        let again = admin.call::<ScheduleMedical>(Enc::Js, "/", &[("id", "2026-08"), ("publish_at", "")]).await.refused(422);
        assert_eq!(form_message(&again), text::MEDICAL_ALREADY_SCHEDULED);
        let garbled = admin.call::<ScheduleMedical>(Enc::Js, "/", &[("id", "2026-08"), ("publish_at", "明日")]).await.refused(422);
        assert!(common::spawn::field(&garbled, "publish_at").contains(text::MEDICAL_PUBLISH_AT));
        assert_eq!(medical(&taro, "", "").await.year, None);
        let subject = app::text::mail::SUBJECT_MEDICAL_PUBLISHED;
        let (campaigns,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM mail_campaigns WHERE subject = $1").bind(subject).fetch_one(&app.state.db).await.unwrap();
        assert_eq!(campaigns, 0);
        // The ten minutes pass: members see it, the worker mails 山田 太郎 (医療費通知 is on by
        // default), not 佐藤 花子.
        app.clock.advance(600);
        app.state.mail_wakeup.notify_one();
        let mail = app.mail(TARO.email, subject).await.body();
        assert!(mail.contains(&format!("{}/medical", app.base)) && mail.contains("/unsubscribe/"), "{mail}");
        for private in ["山田", "陽子", "みなと内科", "12,340", "3,700", "3700", "入院"] {
            assert!(!mail.contains(private), "the mail carries no health data ({private}): {mail}");
        }
        // Announced once, however many workers look.
        let (campaigns,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM mail_campaigns WHERE subject = $1").bind(subject).fetch_one(&app.state.db).await.unwrap();
        assert_eq!(campaigns, 1);
        assert_eq!(
            app::backend::documents::medical::announce_due(
                &app.state.db,
                &app.state.config,
                app::backend::platform::Clock::now(&app.clock)
            )
            .await
            .unwrap(),
            0
        );

        // 山田 太郎 reads his household, filters by 受診者; 佐藤 花子 only hers (and got no mail).
        let d = medical(&taro, "", "").await;
        let s = d.statement.unwrap();
        assert_eq!((d.year, d.patients.clone()), (Some(2026), vec!["山田 太郎".to_string(), "山田 陽子".to_string()]));
        assert_eq!((s.total.lines, s.total.self_pay, s.covered_label().unwrap()), (3, 62_500, "2026年1月〜7月診療分".to_string()));
        let yoko = medical(&taro, "2026", "山田 陽子").await.statement.unwrap();
        assert_eq!((yoko.total.lines, yoko.total.self_pay), (1, 57_600));
        // A name of another household as the filter, or another year: his own data, nothing else.
        let guessed = medical(&taro, "2019", "佐藤 花子").await;
        assert_eq!((guessed.year, guessed.patient.as_str(), guessed.statement.unwrap().total.lines), (Some(2026), "", 3));
        let h = medical(&hanako, "", "").await;
        assert_eq!(h.patients, vec!["佐藤 花子".to_string()]);
        let json = serde_json::to_string(&h).unwrap();
        assert!(!json.contains("山田") && !json.contains("みなと"), "{json}");
        assert!(app.mails(HANAKO.email, subject).is_empty());

        // The PDF: the six items, the number masked, never cached; another year is 404.
        let answer = member_get(&app, &taro, "/medical/pdf?year=2026").await;
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["content-type"], "application/pdf");
        assert_eq!(answer.headers()["cache-control"], "no-store");
        let bytes = answer.bytes().await.unwrap();
        assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
        let pdf = pdf_text(&bytes);
        for item in [
            "被保険者等の氏名",
            "山田 太郎",
            "療養を受けた年月",
            "2026年5月",
            "療養を受けた者",
            "山田 陽子",
            "療養を受けた病院・診療所・薬局等の名称",
            "東京ミライ総合病院",
            "被保険者等が支払った医療費の額",
            "57,600円",
            "62,500円",
            "保険者の名称",
            "テスト健康保険組合",
            "**-***",
            "2026年1月〜7月診療分",
        ] {
            assert!(pdf.contains(item), "the PDF says {item}: {pdf}");
        }
        assert!(!pdf.contains("12-345"), "masked by default");
        assert!(pdf_text(&member_get(&app, &taro, "/medical/pdf?year=2026&number=show").await.bytes().await.unwrap()).contains("12-345"));
        let hers = pdf_text(&member_get(&app, &hanako, "/medical/pdf?year=2026").await.bytes().await.unwrap());
        assert!(hers.contains("佐藤 花子") && !hers.contains("山田"), "{hers}");
        for guess in ["2025", "x", "", "2026%00"] {
            assert_eq!(member_get(&app, &taro, &format!("/medical/pdf?year={guess}")).await.status(), 404, "{guess}");
        }
        let anonymous = raw_client().get(format!("{}/medical/pdf?year=2026", app.base)).send().await.unwrap();
        assert_eq!(anonymous.status(), 302);
        assert!(anonymous.headers()["location"].to_str().unwrap().starts_with("/?next=/medical/pdf"));
        // The print page: the same content, 404 for a year without lines.
        let print = taro.get("/medical/print?year=2026").await;
        assert!(print.status == 200 && print.body.contains("東京ミライ総合病院") && print.body.contains("**-***"), "{}", print.status);
        assert_eq!(taro.get("/medical/print?year=2020").await.status, 404);
        assert!(!hanako.get("/medical/print?year=2026").await.body.contains("山田"));

        // The same 処理年月 again (a corrected file): its lines are replaced, it stays public.
        let corrected = format!("{HEADER}{}", LINES.lines().take(2).map(|l| format!("{l}\n")).collect::<String>());
        let id = preview_id(&upload(&app, &admin, corrected.into_bytes()).await);
        let MedicalPreviewData { preview, .. } = admin.load::<LoadMedicalPreview, _>(&[("id", &id)]).await;
        assert_eq!((preview.replaced, preview.replaces_published), (6, true));
        admin.call::<ApplyMedical>(Enc::Js, &format!("{UPLOAD_PATH}/{id}"), &[("id", &id)]).await.went_to("/staff/medical/2026-08");
        let s = medical(&taro, "", "").await.statement.unwrap();
        assert_eq!((s.total.lines, s.total.self_pay), (2, 4_900));
        assert_eq!(medical(&hanako, "", "").await.year, None, "her line is gone with the old file");
        assert_eq!(app.mails(TARO.email, subject).len(), 1, "no second mail for a corrected file");

        // 紙で送付が必要な加入者: 鈴木 一郎 is not registered (after a new file with his line).
        let id = preview_id(&upload(&app, &admin, format!("{HEADER}{LINES}").into_bytes()).await);
        admin.call::<ApplyMedical>(Enc::Js, "/", &[("id", &id)]).await.went_to("/staff/medical/2026-08");
        let csv = admin.get("/staff/medical/2026-08/paper.csv").await;
        assert_eq!(csv.header("cache-control"), Some("no-store"));
        let rows: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(rows, vec!["記号,番号,氏名,理由", "12,347,鈴木 一郎,未登録"], "{}", app.db);

        // 取り下げ: gone for the members; once more is refused.
        admin.call::<WithdrawMedical>(Enc::Form, "/staff/medical/2026-08", &[("id", "2026-08")]).await.went_to("/staff/medical/2026-08");
        assert_eq!(medical(&taro, "", "").await.year, None);
        let twice = admin.call::<WithdrawMedical>(Enc::Js, "/", &[("id", "2026-08")]).await.refused(422);
        assert_eq!(form_message(&twice), text::MEDICAL_NOT_PUBLISHED);

        // Published again by five requests at once (two 管理者, a double click): one takes effect,
        // the others are told it is already published; the mail is not sent a second time.
        let scheduled = || async {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE event = 'staff_medical_scheduled'")
                .fetch_one(&app.state.db)
                .await
                .unwrap();
            n
        };
        let before = scheduled().await;
        let fields = [("id", "2026-08"), ("publish_at", "")];
        let answers = futures::future::join_all(browsers.iter().map(|b| b.call::<ScheduleMedical>(Enc::Js, batch_page, &fields))).await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1, "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
        for refused in answers.iter().filter(|a| a.status != 200) {
            assert_eq!(form_message(&refused.refused(422)), text::MEDICAL_ALREADY_SCHEDULED);
        }
        assert_eq!(scheduled().await, before + 1, "{}", app.db);
        assert_eq!(medical(&taro, "", "").await.year, Some(2026));
        let now = app::backend::platform::Clock::now(&app.clock);
        assert_eq!(app::backend::documents::medical::announce_due(&app.state.db, &app.state.config, now).await.unwrap(), 0);

        // A 担当者 cannot upload or export; every staff step is in the audit log.
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        assert_eq!(upload(&app, &agent, LINES.as_bytes().to_vec()).await.status(), 403);
        assert_eq!(agent.get("/staff/medical/2026-08/paper.csv").await.status, 403);
        let events = app.audit_events().await;
        for e in [
            "staff_medical_uploaded",
            "medical_loaded",
            "staff_medical_scheduled",
            "medical_announced",
            "staff_medical_paper_exported",
            "staff_medical_withdrawn",
        ] {
            assert!(events.iter().any(|x| x == e), "{e} in {events:?}");
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn lines_older_than_the_keep_years_are_deleted_with_their_batches() {
    use app::backend::documents::{medical, medical_file};
    use app::domain::medical::Month;
    for t in all_dbs().await {
        let dir = tempfile::tempdir().unwrap();
        for (batch, month) in [("2026-08", "2026-06"), ("2021-08", "2021-06")] {
            let path = dir.path().join(format!("{batch}.csv"));
            std::fs::write(&path, format!("{HEADER}12,345,00,山田 太郎,{month},A医院,医科外来,1,1000,300,{batch}\n")).unwrap();
            medical_file::load_path(&t.db, &path, common::T0, Month::new(2026, 9).unwrap(), true).await.unwrap();
        }
        // In 2026-09 with 5 years kept: lines from 2021-09 on stay.
        assert_eq!(medical::prune(&t.db, common::T0, Month::new(2026, 9).unwrap(), 5).await.unwrap(), 1, "{}", t.name);
        let left: Vec<(String,)> = sqlx::query_as("SELECT id FROM medical_batches ORDER BY id").fetch_all(&t.db).await.unwrap();
        assert_eq!(left, vec![("2026-08".to_string(),)]);
        assert_eq!(medical::prune(&t.db, common::T0, Month::new(2026, 9).unwrap(), 5).await.unwrap(), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_loads_of_the_same_batch_at_once_leave_one_file_whole() {
    use app::backend::documents::medical_file;
    use app::domain::medical::Month;
    for t in all_dbs().await {
        let dir = tempfile::tempdir().unwrap();
        let line = |n: u32| format!("12,345,00,山田 太郎,2026-0{n},A医院,医科外来,1,1000,300,2026-08\n");
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        std::fs::write(&a, format!("{HEADER}{}{}{}", line(1), line(2), line(3))).unwrap();
        std::fs::write(&b, format!("{HEADER}{}{}", line(4), line(5))).unwrap();
        let month = Month::new(2026, 9).unwrap();
        let (ra, rb) = tokio::join!(
            medical_file::load_path(&t.db, &a, common::T0, month, true),
            medical_file::load_path(&t.db, &b, common::T0, month, true)
        );
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        let (lines,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM medical_lines").fetch_one(&t.db).await.unwrap();
        let (recorded,): (i64,) = sqlx::query_as("SELECT line_count FROM medical_batches").fetch_one(&t.db).await.unwrap();
        assert!(lines == 3 || lines == 2, "one file's lines, not both: {lines} ({})", t.name);
        assert_eq!(recorded, lines);
        assert_eq!(ra.replaced + rb.replaced, 5 - lines as u64, "the later load replaced the earlier one ({})", t.name);
    }
}
