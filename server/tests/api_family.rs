//! The family and 資格情報のお知らせ through the running portal, on SQLite and PostgreSQL: a 管理者
//! uploads a Shift_JIS family file (rows the roster refuses are shown with their lines), applies it
//! once (five applies at once: one); every covered person gets a notice, a former 被扶養者 none; the
//! households that take 「通知書・証明書」 are mailed (no names in it), not the one that unchecked
//! it; each member reads only their own household (pages, PDF, guessed ids 404); a roster import
//! that changes 枝番 issues a new version and mails again, the old one stays readable; a 被扶養者
//! the next file leaves out keeps only history; the paper list names who is not registered; a
//! 担当者 can do none of it.

mod common;

use app::api::staff::FamilyPreview;
use app::domain::family::QualificationNotice;
use app::domain::StaffRole;
use app::pages::family::{LoadFamily, LoadQualification};
use app::pages::login::Login;
use app::pages::staff::family::{ApplyFamily, FamilyPreviewData, LoadFamilyPreview, UPLOAD_PATH};
use app::pages::staff::roster::{ApplyRoster, LoadRosterPreview, RosterPreviewData};
use app::text::mail::SUBJECT_QUALIFICATION_PUBLISHED;
use app::text::staff as text;
use common::spawn::{form_message, spawn_app, Browser, Enc, TestApp, HANAKO, TARO};
use common::staff::staff_browser;
use common::{all_dbs, PASSWORD};

const HEADER: &str = "記号,番号,枝番,氏名,氏名カナ,生年月日,続柄,資格取得日,資格喪失日\n";
/// 山田 太郎's wife and son, a daughter who left in 2025; 佐藤 花子's husband; 鈴木 一郎's
/// (on the roster, not registered) daughter.
const FAMILY: &str = "12,345,01,山田 陽子,ヤマダ ヨウコ,1987-06-15,妻,2015-04-01,\n\
                      12,345,02,山田 一郎,ヤマダ イチロウ,2016-09-09,長男,2016-09-09,\n\
                      12,345,03,山田 花,ヤマダ ハナ,2000-01-01,長女,2015-04-01,2025-03-31\n\
                      12,346,01,佐藤 健,サトウ ケン,1988-02-02,夫,2020-10-01,\n\
                      12,347,01,鈴木 ゆい,スズキ ユイ,2010-05-05,長女,2012-04-01,\n";

fn raw_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().build().unwrap()
}

async fn upload_to(app: &TestApp, browser: &Browser, path: &str, bytes: Vec<u8>, mode: Option<&str>) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name("family.csv").mime_str("text/csv").unwrap());
    if let Some(mode) = mode {
        form = form.text("mode", mode.to_string());
    }
    let mut request = raw_client().post(format!("{}{path}", app.base)).header("origin", &app.base).multipart(form);
    if let Some(token) = browser.cookie("staff_session") {
        request = request.header("cookie", format!("staff_session={token}"));
    }
    request.send().await.unwrap()
}

fn redirected_id(answer: &reqwest::Response, prefix: &str) -> String {
    assert_eq!(answer.status(), 303);
    let to = answer.headers()["location"].to_str().unwrap();
    to.strip_prefix(prefix).unwrap_or_else(|| panic!("{to}")).to_string()
}

async fn upload_family(app: &TestApp, admin: &Browser, text: &str) -> String {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    redirected_id(&upload_to(app, admin, UPLOAD_PATH, bytes.into_owned(), None).await, "/staff/family/upload/")
}

async fn preview(admin: &Browser, id: &str) -> FamilyPreview {
    admin.load::<LoadFamilyPreview, FamilyPreviewData>(&[("id", id)]).await.preview
}

async fn member_get(app: &TestApp, browser: &Browser, path: &str) -> reqwest::Response {
    let mut request = raw_client().get(format!("{}{path}", app.base));
    if let Some(token) = browser.cookie("portal_session") {
        request = request.header("cookie", format!("portal_session={token}"));
    }
    request.send().await.unwrap()
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notice.pdf");
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

async fn notices(browser: &Browser) -> Vec<QualificationNotice> {
    browser.load::<LoadQualification, _>(&[]).await
}

/// (氏名, 枝番, 版, current) of each notice as the page lists them.
fn summary(notices: &[QualificationNotice]) -> Vec<(String, String, i64, bool)> {
    notices.iter().map(|n| (n.name.clone(), n.branch.clone(), n.version, n.is_current)).collect()
}

fn owned(rows: &[(&str, &str, i64, bool)]) -> Vec<(String, String, i64, bool)> {
    rows.iter().map(|(n, b, v, c)| (n.to_string(), b.to_string(), *v, *c)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_family_is_imported_its_notices_issued_versioned_mailed_and_read_by_the_household_only() {
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
        // 佐藤 花子 unchecked 「通知書・証明書」: no mail, the page still shows hers.
        sqlx::query("UPDATE accounts SET mail_preferences = 'medical_expenses' WHERE login_id_norm = 'sato.hanako'")
            .execute(&app.state.db)
            .await
            .unwrap();
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        let taro = logged_in(&app, TARO.login_id).await;
        let hanako = logged_in(&app, HANAKO.login_id).await;
        assert!(notices(&taro).await.is_empty(), "nothing issued before the family import");

        // Rows the roster refuses: a 記号・番号 it does not have (line 3), the insured person's
        // own 枝番 (line 4). Shown with their lines; the apply is refused.
        let bad = format!("{HEADER}{FAMILY}12,999,01,名簿 外,,1990-01-01,妻,2020-01-01,\n12,346,00,佐藤 二重,,1990-01-01,妻,2020-01-01,\n");
        let id = upload_family(&app, &admin, &bad).await;
        let p = preview(&admin, &id).await;
        assert_eq!(p.errors.len(), 2, "{:?}", p.errors);
        assert!(p.errors[0].starts_with("7行目") && p.errors[0].contains("名簿にありません"), "{:?}", p.errors);
        assert!(p.errors[1].starts_with("8行目") && p.errors[1].contains("本人の枝番"), "{:?}", p.errors);
        let refused = admin.call::<ApplyFamily>(Enc::Js, "/", &[("id", &id), ("digest", "")]).await.refused(422);
        assert_eq!(form_message(&refused), text::FAMILY_HAS_ERRORS);

        // The file: previewed, nothing written; applied by five requests at once: once.
        let id = upload_family(&app, &admin, &format!("{HEADER}{FAMILY}")).await;
        let p = preview(&admin, &id).await;
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!((p.households, p.new, p.changed_total, p.unchanged, p.removed.len()), (3, 5, 0, 0, 0));
        let page = format!("{UPLOAD_PATH}/{id}");
        let fields = [("id", id.as_str()), ("digest", p.digest.as_str())];
        let browsers = [&admin; 5];
        let answers = futures::future::join_all(browsers.iter().map(|b| b.call::<ApplyFamily>(Enc::Js, &page, &fields))).await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1, "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
        let (dependents,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM dependents").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(dependents, 5);

        // Everyone covered got a notice (the three insured persons, four 被扶養者; not the
        // daughter who left): one run.
        let (issued, runs): (i64, i64) =
            sqlx::query_as("SELECT (SELECT COUNT(*) FROM qualification_notices), (SELECT COUNT(*) FROM qualification_issues)")
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        assert_eq!((issued, runs), (7, 1), "{}", app.db);
        let mail = app.mail(TARO.email, SUBJECT_QUALIFICATION_PUBLISHED).await.body();
        assert!(mail.contains(&format!("{}/qualification", app.base)), "{mail}");
        for private in ["山田", "陽子", "一郎", "12-345", "345", "1987"] {
            assert!(!mail.contains(private), "the mail names nobody ({private}): {mail}");
        }
        assert!(app.mails(HANAKO.email, SUBJECT_QUALIFICATION_PUBLISHED).is_empty(), "she unchecked 通知書・証明書");

        // 山田 太郎 reads his household: himself first, then by 枝番; 佐藤 花子 only hers.
        let mine = notices(&taro).await;
        assert_eq!(summary(&mine), owned(&[("山田 太郎", "00", 1, true), ("山田 陽子", "01", 1, true), ("山田 一郎", "02", 1, true)]));
        assert_eq!((mine[1].insurer_number.as_str(), mine[1].insurer_name.as_str()), ("06139999", "テスト健康保険組合"));
        assert_eq!((mine[1].acquired_on.as_deref(), mine[1].birth_date.as_str()), (Some("2015-04-01"), "1987-06-15"));
        let family = taro.load::<LoadFamily, Vec<app::domain::family::FamilyMember>>(&[]).await;
        let names: Vec<(&str, Option<&str>)> = family.iter().map(|m| (m.name.as_str(), m.lost_on.as_deref())).collect();
        assert_eq!(names, vec![("山田 太郎", None), ("山田 陽子", None), ("山田 一郎", None), ("山田 花", Some("2025-03-31"))]);
        let hers = notices(&hanako).await;
        assert_eq!(summary(&hers), owned(&[("佐藤 花子", "00", 1, true), ("佐藤 健", "01", 1, true)]));
        let json = serde_json::to_string(&hanako.load::<LoadFamily, Vec<app::domain::family::FamilyMember>>(&[]).await).unwrap();
        assert!(!json.contains("山田") && !json.contains("鈴木"), "{json}");

        // The PDF: the household's, every item, never cached; one version alone; another
        // household's id and made-up ones are 404; without a session, the login.
        let answer = member_get(&app, &taro, "/qualification/pdf").await;
        assert_eq!((answer.status().as_u16(), answer.headers()["cache-control"].to_str().unwrap()), (200, "no-store"));
        assert_eq!(answer.headers()["content-type"], "application/pdf");
        let pdf = pdf_text(&answer.bytes().await.unwrap());
        for item in [
            "資格情報のお知らせ",
            "保険者番号",
            "06139999",
            "テスト健康保険組合",
            "山田 太郎 様",
            "山田 陽子 様",
            "山田 一郎 様",
            "1987年6月15日",
            "2015年4月1日",
            "保険証ではありません",
            "マイナ保険証",
        ] {
            assert!(pdf.contains(item), "the PDF says {item}: {pdf}");
        }
        assert!(!pdf.contains("山田 花") && !pdf.contains("佐藤"), "{pdf}");
        let one = pdf_text(&member_get(&app, &taro, &format!("/qualification/pdf?notice={}", mine[1].id)).await.bytes().await.unwrap());
        assert!(one.contains("山田 陽子 様") && !one.contains("山田 一郎"), "{one}");
        for guess in [hers[0].id.as_str(), "0123456789abcdef", "%27"] {
            assert_eq!(member_get(&app, &taro, &format!("/qualification/pdf?notice={guess}")).await.status(), 404, "{guess}");
        }
        assert!(!pdf_text(&member_get(&app, &hanako, "/qualification/pdf").await.bytes().await.unwrap()).contains("山田"));
        let anonymous = raw_client().get(format!("{}/qualification/pdf", app.base)).send().await.unwrap();
        assert_eq!(anonymous.status(), 302);
        let page = taro.get("/qualification").await;
        assert!(page.status == 200 && page.body.contains("山田 陽子") && !page.body.contains("佐藤"), "{}", page.status);

        // A roster file giving 山田 太郎 his wife's 枝番 is refused by line, at the preview and at the apply.
        let clash = "記号,番号,生年月日,氏名,氏名カナ,メールアドレス,区分,枝番\n12,345,1985-04-01,山田 太郎,,taro@corp.test,在職,01\n";
        let clash_id = redirected_id(
            &upload_to(&app, &admin, app::pages::staff::roster::UPLOAD_PATH, clash.as_bytes().to_vec(), Some("upsert")).await,
            "/staff/roster/",
        );
        let RosterPreviewData { preview: refused_plan, .. } = admin.load::<LoadRosterPreview, _>(&[("id", &clash_id)]).await;
        assert_eq!(refused_plan.errors, vec!["2行目: 枝番 01 は被扶養者（山田 陽子）の枝番です。".to_string()]);
        let refused = admin.call::<ApplyRoster>(Enc::Js, "/", &[("id", &clash_id), ("digest", &refused_plan.digest)]).await.refused(422);
        assert_eq!(form_message(&refused), text::ROSTER_HAS_ERRORS);

        // A roster upload that changes 山田 太郎's 枝番: a new version, mailed again; the first
        // stays readable as history. 佐藤 花子 is unchanged: nothing new for her.
        let roster = "記号,番号,生年月日,氏名,氏名カナ,メールアドレス,区分,枝番\n\
                      12,345,1985-04-01,山田 太郎,,taro@corp.test,在職,05\n\
                      12,346,1990-07-07,佐藤 花子,,hanako@corp.test,在職,\n";
        let roster_id = redirected_id(
            &upload_to(&app, &admin, app::pages::staff::roster::UPLOAD_PATH, roster.as_bytes().to_vec(), Some("upsert")).await,
            "/staff/roster/",
        );
        let RosterPreviewData { preview: planned, .. } = admin.load::<LoadRosterPreview, _>(&[("id", &roster_id)]).await;
        assert_eq!(planned.changed, vec![("2行目 12-345".to_string(), "枝番".to_string())], "{:?}", planned.errors);
        admin
            .call::<ApplyRoster>(Enc::Js, &format!("/staff/roster/{roster_id}"), &[("id", &roster_id), ("digest", &planned.digest)])
            .await
            .went_to(&format!("/staff/roster/{roster_id}"));
        app.nth_mail(TARO.email, SUBJECT_QUALIFICATION_PUBLISHED, 2).await;
        let mine = notices(&taro).await;
        assert_eq!(
            summary(&mine),
            owned(&[
                ("山田 太郎", "05", 2, true),
                ("山田 陽子", "01", 1, true),
                ("山田 一郎", "02", 1, true),
                ("山田 太郎", "00", 1, false)
            ])
        );
        let old = pdf_text(&member_get(&app, &taro, &format!("/qualification/pdf?notice={}", mine[3].id)).await.bytes().await.unwrap());
        assert!(old.contains("山田 太郎 様（以前の版）") && old.contains("第1版"), "{old}");
        assert_eq!(summary(&notices(&hanako).await), owned(&[("佐藤 花子", "00", 1, true), ("佐藤 健", "01", 1, true)]));

        // The next family file leaves out 山田 一郎: his notice is history only; nothing new is
        // issued, nobody is mailed.
        let id = upload_family(&app, &admin, &format!("{HEADER}{}", FAMILY.lines().next().unwrap())).await;
        let p = preview(&admin, &id).await;
        assert_eq!(
            (p.households, p.new, p.unchanged, p.removed.clone()),
            (1, 0, 1, vec![("12-345-02".to_string(), "山田 一郎".to_string()), ("12-345-03".to_string(), "山田 花".to_string())])
        );
        admin.call::<ApplyFamily>(Enc::Js, "/", &[("id", &id), ("digest", &p.digest)]).await.went_to(&format!("{UPLOAD_PATH}/{id}"));
        let mine = notices(&taro).await;
        let current: Vec<&str> = mine.iter().filter(|n| n.is_current).map(|n| n.name.as_str()).collect();
        assert_eq!(current, vec!["山田 太郎", "山田 陽子"]);
        assert!(mine.iter().any(|n| n.name == "山田 一郎" && !n.is_current));
        let (runs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM qualification_issues").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(runs, 2, "no run without a new notice");
        assert_eq!(app.mails(TARO.email, SUBJECT_QUALIFICATION_PUBLISHED).len(), 2);

        // The paper list of the first run: 鈴木 一郎 is not registered. Its export is audited.
        let (first,): (String,) = sqlx::query_as("SELECT id FROM qualification_issues WHERE source = 'family' ORDER BY issued_at, id")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        let csv = admin.get(&format!("/staff/family/issues/{first}/paper.csv")).await;
        assert_eq!(csv.header("cache-control"), Some("no-store"));
        let rows: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(rows, vec!["記号,番号,氏名,理由", "12,347,鈴木 一郎,未登録"], "{}", app.db);
        assert_eq!(admin.get("/staff/family/issues/nope/paper.csv").await.status, 404);
        let listed = admin.get("/staff/family").await.body;
        assert!(listed.contains(text::QUALIFICATION_SOURCE_FAMILY) && listed.contains(text::QUALIFICATION_SOURCE_ROSTER), "{listed}");

        // A 担当者 can neither upload nor export.
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        assert_eq!(upload_to(&app, &agent, UPLOAD_PATH, FAMILY.as_bytes().to_vec(), None).await.status(), 403);
        assert_eq!(agent.get(&format!("/staff/family/issues/{first}/paper.csv")).await.status, 403);
        let events = app.audit_events().await;
        for e in [
            "staff_family_uploaded",
            "family_imported",
            "staff_family_applied",
            "qualification_issued",
            "staff_qualification_paper_exported",
        ] {
            assert!(events.iter().any(|x| x == e), "{e} in {events:?}");
        }
        app.stop().await;
    }
}

/// Two family imports and a roster import at once (three 管理者, or a CLI run and a console
/// apply): every run sees what the one before committed, so each person has exactly one current
/// notice and no version is issued twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn imports_at_once_leave_one_current_notice_per_person() {
    use app::backend::documents::qualification::{self, Source};
    use app::backend::roster::{self, family};
    for t in all_dbs().await {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let rows = roster::parse(common::spawn::ROSTER, today).unwrap();
        roster::import(&t.db, &rows, common::T0).await.unwrap();
        let config = common::test_config(&t.url);
        let family_file = |name: &str| family::parse(&format!("{HEADER}12,345,01,{name},,1987-06-15,妻,2015-04-01,\n"), today).unwrap();
        let run_family = |rows: Vec<family::DependentRow>| {
            let (db, config) = (t.db.clone(), config.clone());
            async move {
                let mut tx = app::backend::platform::db::begin(&db).await?;
                family::import_in(&mut tx, &rows, common::T0).await.map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
                qualification::issue(&mut tx, &config, common::T0, Source::Family, None).await?;
                tx.commit().await
            }
        };
        let run_roster = {
            let (db, config, rows) = (t.db.clone(), config.clone(), rows.clone());
            async move {
                let mut tx = app::backend::platform::db::begin(&db).await?;
                roster::import_in(&mut tx, &rows, common::T0, roster::Mode::Upsert, &mut |_| {})
                    .await
                    .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
                qualification::issue(&mut tx, &config, common::T0, Source::Roster, None).await?;
                tx.commit().await
            }
        };
        let (a, b, c) = tokio::join!(run_family(family_file("山田 陽子")), run_family(family_file("山田 洋子")), run_roster);
        a.unwrap();
        b.unwrap();
        c.unwrap();
        let per_person: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT bango, person, CAST(SUM(is_current) AS BIGINT), COUNT(*) FROM qualification_notices GROUP BY bango, person ORDER BY bango, person",
        )
        .fetch_all(&t.db)
        .await
        .unwrap();
        let current: Vec<(&str, &str, i64)> = per_person.iter().map(|(b, p, c, _)| (b.as_str(), p.as_str(), *c)).collect();
        assert_eq!(current, vec![("345", "01", 1), ("345", "insured", 1), ("346", "insured", 1)], "{}", t.name);
        let (wife, notices): (String, i64) =
            sqlx::query_as("SELECT (SELECT name FROM dependents), (SELECT COUNT(*) FROM qualification_notices WHERE person = '01')")
                .fetch_one(&t.db)
                .await
                .unwrap();
        let expected = if wife == "山田 陽子" { "山田 陽子" } else { "山田 洋子" };
        let (current_name,): (String,) =
            sqlx::query_as("SELECT name FROM qualification_notices WHERE person = '01' AND is_current = 1").fetch_one(&t.db).await.unwrap();
        assert_eq!(current_name, expected, "the current notice is of the family as it stands ({})", t.name);
        assert_eq!(notices, 2, "one version per file, the later one current ({})", t.name);
    }
}

/// 給付金支給決定通知書 on both databases: a 管理者 uploads a decision file (a 記号・番号 not on the
/// roster is refused with its line), loads it once (five at once: one); the households that take
/// 「通知書・証明書」 are mailed (no amounts), each member reads only their own decisions (list,
/// notice, PDF with the account masked; another household's id is 404); the same 決定日 again
/// replaces it; the paper list names who is not registered; retention deletes old batches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn benefit_decisions_are_loaded_once_mailed_and_read_by_their_household_only() {
    use app::pages::benefits::{LoadBenefit, LoadBenefits};
    use app::pages::staff::benefits::{ApplyBenefits, BenefitPreviewData, LoadBenefitPreview};
    const HEAD: &str = "記号,番号,枝番,給付の種類,対象,受診者,医療機関等名称,決定日,支給額,支給予定日,振込先金融機関,口座番号\n";
    const ROWS: &str =
        "12,345,01,高額療養費,2026年7月,山田 陽子,東京ミライ総合病院,2026-09-10,\"45,600\",2026-09-30,みずほ銀行 新宿支店,1234567\n\
                        12,346,00,傷病手当金,2026/8/1〜2026/8/31,佐藤 花子,,2026-09-10,186000,2026-09-30,,\n\
                        12,347,00,付加給付,2026年6月,鈴木 一郎,みどり内科,2026-09-10,3000,,,\n";
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
        sqlx::query("UPDATE accounts SET mail_preferences = 'medical_expenses' WHERE login_id_norm = 'sato.hanako'")
            .execute(&app.state.db)
            .await
            .unwrap();
        let (admin, _) = staff_browser(&app, "kanri@kenpo.test", StaffRole::Admin).await;
        let taro = logged_in(&app, TARO.login_id).await;
        let hanako = logged_in(&app, HANAKO.login_id).await;
        let path = app::pages::staff::benefits::UPLOAD_PATH;
        let upload = |text: String| {
            let (app, admin) = (&app, &admin);
            async move { redirected_id(&upload_to(app, admin, path, text.into_bytes(), None).await, "/staff/benefits/upload/") }
        };
        let preview = |id: String| {
            let admin = &admin;
            async move { admin.load::<LoadBenefitPreview, BenefitPreviewData>(&[("id", &id)]).await.preview }
        };

        let id = upload(format!("{HEAD}{ROWS}12,999,00,療養費,2026年8月,名簿 外,,2026-09-10,1000,,,\n")).await;
        let p = preview(id.clone()).await;
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert!(p.errors[0].starts_with("5行目") && p.errors[0].contains("名簿にありません"), "{:?}", p.errors);
        let refused = admin.call::<ApplyBenefits>(Enc::Js, "/", &[("id", &id)]).await.refused(422);
        assert_eq!(form_message(&refused), text::MEDICAL_HAS_ERRORS);

        let id = upload(format!("{HEAD}{ROWS}")).await;
        let p = preview(id.clone()).await;
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!((p.decided_on.as_str(), p.lines, p.households, p.replaces), ("2026年9月10日", 3, 3, false));
        let page = format!("{path}/{id}");
        let browsers = [&admin; 5];
        let apply_fields = [("id", id.as_str())];
        let answers = futures::future::join_all(browsers.iter().map(|b| b.call::<ApplyBenefits>(Enc::Js, &page, &apply_fields))).await;
        assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 1, "{:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
        let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM benefit_lines").fetch_one(&app.state.db).await.unwrap();
        assert_eq!(stored, 3);

        let subject = app::text::mail::SUBJECT_BENEFITS_PUBLISHED;
        let mail = app.mail(TARO.email, subject).await.body();
        assert!(mail.contains(&format!("{}/benefits", app.base)), "{mail}");
        for private in ["山田", "陽子", "45,600", "45600", "高額療養費", "みずほ", "****"] {
            assert!(!mail.contains(private), "the mail carries no decision ({private}): {mail}");
        }
        assert!(app.mails(HANAKO.email, subject).is_empty(), "she unchecked 通知書・証明書");

        let mine = taro.load::<LoadBenefits, Vec<app::domain::benefit::BenefitNotice>>(&[]).await;
        assert_eq!(mine.len(), 1);
        let n = &mine[0];
        assert_eq!(
            (n.patient.as_str(), n.amount, n.account.as_str(), n.target.as_str()),
            ("山田 陽子", 45_600, "みずほ銀行 新宿支店 ****567", "2026年7月診療分")
        );
        let (stored_account,): (String,) =
            sqlx::query_as("SELECT account FROM benefit_lines WHERE kigo = '12' AND bango = '345'").fetch_one(&app.state.db).await.unwrap();
        assert!(!stored_account.contains("1234"), "the full account number is never stored: {stored_account}");
        let hers = hanako.load::<LoadBenefits, Vec<app::domain::benefit::BenefitNotice>>(&[]).await;
        assert_eq!(hers.iter().map(|n| n.patient.as_str()).collect::<Vec<_>>(), vec!["佐藤 花子"]);
        let guessed: Option<app::domain::benefit::BenefitNotice> = hanako.load::<LoadBenefit, _>(&[("id", n.id.as_str())]).await;
        assert_eq!(guessed, None, "another household's notice");
        assert_eq!(hanako.get(&format!("/benefits/{}", n.id)).await.status, 404);
        let page = taro.get(&format!("/benefits/{}", n.id)).await;
        assert!(page.status == 200 && page.body.contains("45,600円") && page.body.contains("****567"), "{}", page.status);

        let answer = member_get(&app, &taro, &format!("/benefits/pdf?notice={}", n.id)).await;
        assert_eq!((answer.status().as_u16(), answer.headers()["cache-control"].to_str().unwrap()), (200, "no-store"));
        let pdf = pdf_text(&answer.bytes().await.unwrap());
        for item in [
            "給付金支給決定通知書",
            "山田 太郎 様",
            "**-***",
            "高額療養費",
            "2026年7月診療分",
            "山田 陽子",
            "東京ミライ総合病院",
            "2026年9月10日",
            "45,600円",
            "2026年9月30日",
            "****567",
            "テスト健康保険組合",
        ] {
            assert!(pdf.contains(item), "the PDF says {item}: {pdf}");
        }
        assert!(!pdf.contains("1234567") && !pdf.contains("12-345"), "{pdf}");
        for guess in [hers[0].id.as_str(), "2026-09-10-99", "x", ""] {
            assert_eq!(member_get(&app, &taro, &format!("/benefits/pdf?notice={guess}")).await.status(), 404, "{guess}");
        }

        // The same 決定日 again replaces the batch (and mails again: the households see new content).
        let id = upload(format!("{HEAD}{}", ROWS.lines().next().unwrap())).await;
        assert!(preview(id.clone()).await.replaces);
        admin.call::<ApplyBenefits>(Enc::Js, "/", &[("id", &id)]).await.went_to(&format!("{path}/{id}"));
        assert!(hanako.load::<LoadBenefits, Vec<app::domain::benefit::BenefitNotice>>(&[]).await.is_empty());
        assert_eq!(taro.load::<LoadBenefits, Vec<app::domain::benefit::BenefitNotice>>(&[]).await.len(), 1);

        // The paper list (the first file had 鈴木 一郎; now only 山田 太郎, registered: none).
        let csv = admin.get("/staff/benefits/2026-09-10/paper.csv").await;
        assert_eq!(csv.body.trim_start_matches('\u{feff}').lines().collect::<Vec<_>>(), vec!["記号,番号,氏名,理由"]);
        assert_eq!(admin.get("/staff/benefits/2020-01-01/paper.csv").await.status, 404);
        let (agent, _) = staff_browser(&app, "tanto@kenpo.test", StaffRole::Agent).await;
        assert_eq!(upload_to(&app, &agent, path, ROWS.as_bytes().to_vec(), None).await.status(), 403);
        assert_eq!(agent.get("/staff/benefits/2026-09-10/paper.csv").await.status, 403);

        // Retention: a batch decided more than BENEFIT_KEEP_YEARS back goes.
        let now = app::backend::platform::Clock::now(&app.clock);
        assert_eq!(app::backend::documents::benefits::prune(&app.state.db, now, "2026-09-11").await.unwrap(), 1);
        assert!(taro.load::<LoadBenefits, Vec<app::domain::benefit::BenefitNotice>>(&[]).await.is_empty());
        let events = app.audit_events().await;
        for e in ["staff_benefits_uploaded", "benefits_loaded", "staff_benefits_paper_exported", "benefits_pruned"] {
            assert!(events.iter().any(|x| x == e), "{e} in {events:?}");
        }
        app.stop().await;
    }
}
