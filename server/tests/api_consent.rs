//! 利用規約 and 個人情報の取扱い (`pages::consent`): the pages, the footer links, and agreement
//! again when a version changes (`/consent` before anything else, 退会 still possible), through
//! the server functions' URLs of a running portal, on SQLite and PostgreSQL.

mod common;

use app::api::HomeData;
use app::pages::consent::{AgreeConsent, ConsentPageData, LoadConsentPage};
use app::pages::login::{LoadHome, Login};
use app::pages::settings::LoadProfile;
use app::text::consent as text;
use common::spawn::{fields, spawn_app, Enc};
use common::{all_dbs, consent_key, PASSWORD};

const OLD: &str = "利用規約 2025年4月1日 制定 / 個人情報の取扱い 2025年4月1日 制定";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documents_have_pages_linked_from_every_members_page_footer() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        let browser = app.browser();
        let consent = &app.state.config.consent;
        for (path, title, document) in [("/terms", text::TERMS_TITLE, &consent.terms), ("/privacy", text::PRIVACY_TITLE, &consent.privacy)]
        {
            let page = browser.get(path).await;
            assert_eq!(page.status, 200, "{path} {}", app.db);
            assert!(page.body.contains(&format!("<h1>{title}</h1>")), "{}", page.body);
            assert!(page.body.contains(&document.version), "the version is shown");
            // Every heading of the file becomes a heading of the page (the text is escaped).
            for block in &document.blocks {
                if let app::domain::consent::Block::Heading(h) = block {
                    assert!(page.body.contains(&format!("<h2>{h}</h2>")), "{h}");
                }
            }
        }
        for path in ["/", "/register", "/guide", "/inquiry"] {
            let page = browser.get(path).await.body;
            assert!(page.contains("href=\"/terms\"") && page.contains("href=\"/privacy\""), "{path}: the footer links both");
        }
        assert!(!browser.get("/staff/login").await.body.contains("href=\"/terms\""), "not the staff console's");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_version_is_agreed_to_before_anything_else_and_leaving_stays_possible() {
    let _turn = common::one_router_test_at_a_time().await;
    for t in all_dbs().await {
        let app = spawn_app(&t).await;
        app.with_members().await;
        // 山田 太郎 agreed to an earlier version; 佐藤 花子 to the current one.
        sqlx::query("UPDATE accounts SET consent_version = $1 WHERE login_id_norm = 'yamada.taro'")
            .bind(OLD)
            .execute(&app.state.db)
            .await
            .unwrap();
        let hanako = app.browser();
        hanako
            .call::<Login>(Enc::Js, "/", &[("next", "/home"), ("login_id", "sato.hanako"), ("password", PASSWORD)])
            .await
            .went_to("/home");
        assert_eq!(hanako.get("/home").await.status, 200, "{}", app.db);

        let taro = app.browser();
        taro.call::<Login>(Enc::Form, "/", &[("next", "/profile"), ("login_id", "yamada.taro"), ("password", PASSWORD)]).await;
        assert_eq!(taro.get("/profile").await.location(), "/consent", "{}", app.db);
        taro.call::<LoadHome>(Enc::Js, "/home", &[]).await.sent_elsewhere("/consent");
        taro.call::<LoadProfile>(Enc::Js, "/profile", &[]).await.sent_elsewhere("/consent");
        assert_eq!(taro.get("/withdraw").await.status, 200, "退会 does not need the agreement");
        let page = taro.get("/consent").await;
        assert!(page.body.contains(text::CONSENT_CHANGED) && page.body.contains(&app.state.config.consent.terms.version), "{}", page.body);
        let data: ConsentPageData = taro.load::<LoadConsentPage, _>(&[]).await;
        assert!(data.changed && data.key == consent_key());

        // The box unticked; ticked on a page of versions no longer served; then agreed, four at once.
        let e = taro.call::<AgreeConsent>(Enc::Form, "/consent", &[("consent_version", consent_key())]).await.refused(422);
        assert_eq!(fields(&e), vec![("agree".to_string(), text::AGREE_REQUIRED.to_string())]);
        let e = taro.call::<AgreeConsent>(Enc::Js, "/consent", &[("agree", "on"), ("consent_version", OLD)]).await.refused(422);
        assert_eq!(fields(&e), vec![("agree".to_string(), text::CHANGED.to_string())]);
        let agreed = [("agree", "on"), ("consent_version", consent_key())];
        let answers = futures::future::join_all((0..4).map(|_| taro.call::<AgreeConsent>(Enc::Form, "/consent", &agreed))).await;
        answers.iter().for_each(|a| a.went_to("/home"));
        let home: HomeData = taro.load::<LoadHome, _>(&[]).await;
        assert_eq!(home.name, "山田 太郎", "{}", app.db);
        let (version,): (Option<String>,) = sqlx::query_as("SELECT consent_version FROM accounts WHERE login_id_norm = 'yamada.taro'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(version.as_deref(), Some(consent_key()));
        let audited: Vec<(Option<String>,)> =
            sqlx::query_as("SELECT detail FROM audit_log WHERE event = 'consent_agreed' AND client_ip IS NOT NULL")
                .fetch_all(&app.state.db)
                .await
                .unwrap();
        assert!(!audited.is_empty() && audited.iter().all(|(d,)| d.as_deref() == Some(consent_key())), "{audited:?}");
        app.stop().await;
    }
}
