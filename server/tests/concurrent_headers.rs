//! Pages rendered while static files are served on the same worker threads keep their own
//! headers. Alone in its test binary: two Leptos SSR test runtimes in one process can stall
//! each other under this load (a test-harness effect: production has one runtime).

mod common;

use app::backend::platform::clock::ManualClock;
use axum::body::Body;
use common::{sqlite, test_config, test_state, T0};
use http::{Request, StatusCode};
use tower::ServiceExt;

/// leptos_axum's file handler used to take a page's `ResponseOptions` (CSP nonce,
/// Location) for the file's answer (see `static_files_or_404`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_keep_their_headers_while_files_are_served() {
    let t = sqlite().await;
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/portal.css"), "body{}".repeat(2000)).unwrap();
    let mut config = test_config(&t.url);
    config.site_root = site.path().to_string_lossy().into_owned();
    let router = server::router(test_state(&t, config, ManualClock::at(T0)));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..400 {
        let router = router.clone();
        tasks.spawn(async move {
            let page = i % 2 == 0;
            let req = if page {
                // A session cookie that has no session: the page answers 302 to the login page.
                Request::get("/home").header("accept", "text/html").header("cookie", "portal_session=gone").body(Body::empty())
            } else {
                Request::get("/pkg/portal.css").body(Body::empty())
            };
            let res = router.oneshot(req.unwrap()).await.unwrap();
            let csp = res.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            (page, res.status(), res.headers().contains_key("location"), csp.contains("'nonce-"))
        });
    }
    let mut broken = 0;
    while let Some(r) = tasks.join_next().await {
        let (page, status, location, nonce) = r.unwrap();
        if page && (status != StatusCode::FOUND || !location || !nonce) {
            broken += 1;
        }
        if !page {
            assert_eq!(status, StatusCode::OK);
            assert!(!location, "a file answer never carries a page's redirect");
        }
    }
    assert_eq!(broken, 0, "pages that lost their 302 or CSP nonce");
}
