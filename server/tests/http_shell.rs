//! The router as a member's browser meets it: pages, headers, 404, CSRF, dev inbox.
//! Multi-threaded runtimes, as in production: Leptos SSR can stall a current-thread runtime.

mod common;

use app::backend::platform::clock::ManualClock;
use axum::body::{to_bytes, Body};
use common::{sqlite, test_config, test_state, T0};
use http::{Request, StatusCode};
use tower::ServiceExt;

async fn get(router: axum::Router, path: &str) -> (StatusCode, http::HeaderMap, String) {
    let res = router.oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = res.into_parts();
    let body = String::from_utf8(to_bytes(body, 10 << 20).await.unwrap().to_vec()).unwrap();
    (parts.status, parts.headers, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_page_is_japanese_with_a_nonce_csp() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let router = server::router(test_state(&t, test_config(&t.url), ManualClock::at(T0)));
    let (status, headers, body) = get(router, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<html lang=\"ja\""));
    assert!(body.contains("テスト健康保険組合"));
    let csp = headers["content-security-policy"].to_str().unwrap();
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("nonce in CSP");
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the CSP nonce");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(!headers.contains_key("strict-transport-security"), "no HSTS on plain http");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_is_sent_behind_https() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let mut config = test_config(&t.url);
    config.public_url = "https://portal.example.jp".into();
    let (_, headers, _) = get(server::router(test_state(&t, config, ManualClock::at(T0))), "/").await;
    assert!(headers.contains_key("strict-transport-security"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_page_answers_404_in_japanese() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let (status, headers, body) = get(server::router(test_state(&t, test_config(&t.url), ManualClock::at(T0))), "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("ページが見つかりません"));
    assert!(headers.contains_key("content-security-policy"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_post_is_refused() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let router = server::router(test_state(&t, test_config(&t.url), ManualClock::at(T0)));
    let req = Request::post("/api/whatever")
        .header("origin", "https://evil.example")
        .header("host", "127.0.0.1:3000")
        .body(Body::empty())
        .unwrap();
    assert_eq!(router.clone().oneshot(req).await.unwrap().status(), StatusCode::FORBIDDEN);
    let req = Request::post("/api/whatever").header("origin", "http://127.0.0.1:3000").body(Body::empty()).unwrap();
    assert_ne!(router.oneshot(req).await.unwrap().status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dev_inbox_exists_only_without_smtp() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let (status, _, body) = get(server::router(test_state(&t, test_config(&t.url), ManualClock::at(T0))), "/dev/inbox").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("開発用"));
    let mut config = test_config(&t.url);
    config.smtp_url = Some("smtp://127.0.0.1:2525".into());
    let (status, _, _) = get(server::router(test_state(&t, config, ManualClock::at(T0))), "/dev/inbox").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_unsafe_configurations() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let mut config = test_config(&t.url);
    config.site_addr = "0.0.0.0:3000".parse().unwrap();
    config.public_url = "https://portal.kenpo.example.jp".into();
    config.smtp_url = Some("smtp://127.0.0.1:2525".into());
    config.captcha_test_answer = Some("X".into());
    let own = |text| app::domain::consent::Document::parse(text).unwrap();
    config.consent = app::backend::platform::config::ConsentDocuments::new(own("第1版\n規約"), own("第1版\n方針"));
    let err = server::serve(config.clone(), async {}).await.unwrap_err();
    assert!(err.to_string().contains("CAPTCHA_TEST_ANSWER"), "{err}");
    config.captcha_test_answer = None;
    let err = server::serve(config.clone(), async {}).await.unwrap_err();
    assert!(err.to_string().contains("SECRET_KEY"), "off loopback the key lives outside the database: {err}");
    config.secret_key = Some("k".repeat(64));
    config.smtp_url = None;
    let err = server::serve(config, async {}).await.unwrap_err();
    assert!(err.to_string().contains("SMTP_URL"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_shuts_down_gracefully() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let mut config = test_config(&t.url);
    config.site_addr = "127.0.0.1:0".parse().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve(config, async move {
        let _ = rx.await;
    }));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    tx.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), server).await.expect("stops").unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxys_request_id_is_kept_and_echoed_else_one_is_made() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let router = server::router(test_state(&t, test_config(&t.url), ManualClock::at(T0)));
    let with = |id: &str| Request::get("/healthz").header("x-request-id", id).body(Body::empty()).unwrap();
    let kept = router.clone().oneshot(with("7f3a-nginx.42")).await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "7f3a-nginx.42");
    for bad in ["two words", &"x".repeat(65), "<script>"] {
        let made = router.clone().oneshot(with(bad)).await.unwrap();
        let id = made.headers()["x-request-id"].to_str().unwrap().to_string();
        assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{bad:?} replaced by a new id: {id}");
    }
    let (_, headers, _) = get(router, "/healthz").await;
    assert_eq!(headers["x-request-id"].len(), 32, "made when none is given");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guide_shows_the_sender_and_where_to_find_the_number_and_the_login_page_and_step_1_link_it() {
    use app::text::guide as text;
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let router = server::router(test_state(&t, test_config(&t.url), ManualClock::at(T0)));
    let (status, _, body) = get(router.clone(), "/guide").await;
    assert_eq!(status, StatusCode::OK);
    // The sender address of MAIL_FROM ("健康マイポータル <info@kenpo.test>"), without the name.
    assert!(body.contains("<strong class=\"sender\">info@kenpo.test</strong>"), "{body}");
    for (what, how) in text::NUMBER_WAYS {
        assert!(body.contains(what) && body.contains(how), "{what}");
    }
    assert!(body.contains(text::FORMAT_TEXT) && body.contains(text::RETIREE_TEXT));
    for link in ["href=\"/register\"", "href=\"/inquiry\"", "href=\"/\""] {
        assert!(body.contains(link), "{link}");
    }
    for page in ["/", "/register"] {
        assert!(get(router.clone(), page).await.2.contains("href=\"/guide\""), "{page} links 事前準備");
    }
    let (_, _, login) = get(router, "/").await;
    assert!(login.contains(app::text::login::UNSURE_PREFIX), "新規登録がご不明な方 on the login page");
}
