//! `/metrics` on its own listener (METRICS_ADDR): Prometheus text with requests by route class,
//! logins by outcome, registration steps, mails and the gauges read at each scrape. A test binary
//! of its own: the recorder is global to the process.

mod common;

use app::pages::login::Login;
use common::spawn::{spawn_app, Enc, TARO};
use common::{sqlite, PASSWORD};

/// The value of the series `name{labels}` (labels as rendered, in order), if present.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')).and_then(|v| v.trim().parse().ok()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_logins_registrations_and_mails_on_their_own_port() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let app = spawn_app(&t).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(server::serve_metrics(listener, app.state.clone(), server::metrics::install()));
    app.with_members().await;

    let browser = app.browser();
    browser.get("/").await;
    browser.get("/no-such-page").await;
    let login = |password: &'static str| {
        let browser = app.browser();
        async move { browser.call::<Login>(Enc::Js, "/", &[("next", "/home"), ("login_id", TARO.login_id), ("password", password)]).await }
    };
    login("wrong password 1").await;
    login(PASSWORD).await;

    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let scrape = client.get(format!("{metrics_base}/metrics")).send().await.unwrap();
    assert_eq!(scrape.status(), 200);
    assert!(scrape.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = scrape.text().await.unwrap();

    assert_eq!(value(&text, r#"portal_logins_total{principal="member",outcome="failed"}"#), Some(1.0), "{text}");
    assert_eq!(value(&text, r#"portal_logins_total{principal="member",outcome="ok"}"#), Some(1.0), "{text}");
    // Two members through the five steps.
    for step in ["1_mail_sent", "2_identity_verified", "4_key_confirmed", "5_completed"] {
        assert_eq!(value(&text, &format!(r#"portal_registrations_total{{step="{step}"}}"#)), Some(2.0), "{step}\n{text}");
    }
    // Three mails per registration, each queued then sent over SMTP.
    assert_eq!(value(&text, r#"portal_mails_total{outcome="queued"}"#), Some(6.0), "{text}");
    assert!(value(&text, r#"portal_mails_total{outcome="sent"}"#).is_some_and(|n| n >= 6.0), "{text}");
    assert_eq!(value(&text, r#"portal_http_requests_total{class="page",status="200"}"#), Some(1.0), "{text}");
    assert_eq!(value(&text, r#"portal_http_requests_total{class="page",status="404"}"#), Some(1.0), "{text}");
    assert_eq!(value(&text, r#"portal_http_requests_total{class="server_fn",status="200"}"#), Some(1.0), "{text}");
    assert_eq!(value(&text, r#"portal_http_requests_total{class="server_fn",status="422"}"#), Some(1.0), "{text}");
    assert!(text.contains(r#"portal_http_request_duration_seconds_bucket{class="server_fn",le="0.25"}"#), "{text}");
    for gauge in [
        "portal_outbox_waiting",
        "portal_outbox_oldest_age_seconds",
        "portal_outbox_given_up",
        "portal_hashing_waiting",
        "portal_hashing_running",
        "portal_db_pool_max_connections",
        "portal_db_up",
    ] {
        assert!(value(&text, gauge).is_some(), "{gauge}\n{text}");
    }
    assert_eq!(value(&text, "portal_db_up"), Some(1.0));
    assert!(value(&text, r#"portal_db_pool_connections{state="in_use"}"#).is_some(), "{text}");

    // The members' port does not serve it.
    assert_eq!(client.get(format!("{}/metrics", app.base)).send().await.unwrap().status(), 404);

    // A mail that waits shows in the backlog with its age.
    sqlx::query(
        "INSERT INTO mail_outbox (id, recipient, subject, body, created_at, next_attempt_at) VALUES ('m1', 'a@b.test', 's', 'b', $1, $2)",
    )
    .bind(common::T0 - 300)
    .bind(common::T0 + 3600)
    .execute(&app.state.db)
    .await
    .unwrap();
    let text = client.get(format!("{metrics_base}/metrics")).send().await.unwrap().text().await.unwrap();
    assert_eq!(value(&text, "portal_outbox_waiting"), Some(1.0), "{text}");
    assert_eq!(value(&text, "portal_outbox_oldest_age_seconds"), Some(300.0), "{text}");
    app.stop().await;
}
