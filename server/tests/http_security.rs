//! The router as an attacker meets it: redirects after login, oversized bodies, the client
//! address behind a proxy, cookie flags behind https, a panic's answer.
//! Multi-threaded runtimes, as in production: Leptos SSR can stall a current-thread runtime.

mod common;

use axum::body::{to_bytes, Body};
use common::{member_with_account, sqlite, PASSWORD};
use http::{Request, StatusCode};
use leptos::server_fn::ServerFn;
use tower::ServiceExt;

const FORM: &str = "application/x-www-form-urlencoded";

fn login_post(next: &str, peer: &str) -> Request<Body> {
    let mut req = common::login_request("yamada.taro", PASSWORD, next, peer.parse().unwrap());
    req.headers_mut().insert("accept", "text/html".parse().unwrap());
    req
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_login_the_browser_never_leaves_the_site() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let (state, _) = member_with_account(&t).await;
    let router = server::router(state);
    // `next` as the login page's hidden field carries it, i.e. after the query was decoded.
    for next in [
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "/\n/evil.example",
        "/\r\nSet-Cookie: x=1",
        "\t//evil.example",
        "/\u{0}",
        "javascript:alert(1)",
        "",
    ] {
        let res = router.clone().oneshot(login_post(next, "127.0.0.1")).await.unwrap();
        assert!(res.status().is_redirection(), "{next:?}: {}", res.status());
        assert_eq!(res.headers()["location"], "/home", "{next:?}");
        assert!(res.headers().contains_key("set-cookie"), "logged in all the same: {next:?}");
    }
    let res = router.clone().oneshot(login_post("/profile", "127.0.0.1")).await.unwrap();
    assert_eq!(res.headers()["location"], "/profile");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_64_kib_get_a_japanese_413() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let (state, _) = member_with_account(&t).await;
    let router = server::router(state);
    let big = "a".repeat(10 << 20);
    // Declared (Content-Length) and streamed (no length: read up to the limit, then refused).
    for declared in [true, false] {
        let mut req = Request::post(app::pages::login::Login::PATH).header("content-type", FORM);
        if declared {
            req = req.header("content-length", big.len());
        }
        let res = router.clone().oneshot(req.body(Body::from(format!("login_id=x&password={big}&next=/"))).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "declared: {declared}");
        assert!(res.headers().contains_key("content-security-policy"));
        let body = String::from_utf8(to_bytes(res.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
        assert!(body.contains(app::pages::error::TOO_LARGE_MESSAGE), "{body}");
    }
    // A password longer than the rule allows is refused without hashing, like any wrong one.
    let body = format!("login_id=yamada.taro&password={}&next=/", "A1#a".repeat(100));
    let res = router
        .oneshot(Request::post(app::pages::login::Login::PATH).header("content-type", FORM).body(Body::from(body)).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_secure_behind_https() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let (mut state, _) = member_with_account(&t).await;
    let res = server::router(state.clone()).oneshot(login_post("/home", "127.0.0.1")).await.unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"), "{cookie}");
    let mut config = (*state.config).clone();
    config.public_url = "https://portal.example.jp".into();
    state.config = std::sync::Arc::new(config);
    let res = server::router(state).oneshot(login_post("/home", "127.0.0.1")).await.unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(res.headers().contains_key("strict-transport-security"));
}

async fn last_login_address(state: &app::backend::platform::AppState) -> Option<String> {
    let (ip,): (Option<String>,) = sqlx::query_as("SELECT client_ip FROM audit_log WHERE event = 'login' ORDER BY at DESC, id LIMIT 1")
        .fetch_one(&state.db)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log").execute(&state.db).await.unwrap();
    ip
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let (mut state, _) = member_with_account(&t).await;
    let forwarded = |peer: &str| {
        let mut req = login_post("/home", peer);
        req.headers_mut().insert("x-forwarded-for", "6.6.6.6, 198.51.100.7".parse().unwrap());
        req
    };
    // Not behind a proxy: the header is the client's own words.
    server::router(state.clone()).oneshot(forwarded("203.0.113.9")).await.unwrap();
    assert_eq!(last_login_address(&state).await.as_deref(), Some("203.0.113.9"));
    let mut config = (*state.config).clone();
    config.trusted_proxies = app::backend::platform::config::parse_networks("10.0.0.0/8").unwrap();
    state.config = std::sync::Arc::new(config);
    // From nginx: the address nginx saw, not what the client wrote left of it.
    server::router(state.clone()).oneshot(forwarded("10.0.0.2")).await.unwrap();
    assert_eq!(last_login_address(&state).await.as_deref(), Some("198.51.100.7"));
    // Straight to the instance, bypassing nginx: not believed.
    server::router(state.clone()).oneshot(forwarded("203.0.113.9")).await.unwrap();
    assert_eq!(last_login_address(&state).await.as_deref(), Some("203.0.113.9"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_answers_the_error_page_with_every_security_header() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let state = common::test_state(&t, common::test_config(&t.url), app::backend::platform::clock::ManualClock::at(common::T0));
    let routes = axum::Router::new().route(
        "/boom",
        axum::routing::get(|| async {
            if true {
                panic!("boom");
            }
            "never"
        }),
    );
    let res = server::with_middleware(routes, state).oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    for h in ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options", "cache-control"] {
        assert!(res.headers().contains_key(h), "{h}");
    }
    let body = String::from_utf8(to_bytes(res.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    assert!(body.contains(app::pages::error::TITLE));
}
