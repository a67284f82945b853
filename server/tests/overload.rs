//! A flood of logins with unknown IDs: the wait for a hashing turn is bounded, so the excess
//! is answered 503 「混み合っています」 with Retry-After at once instead of queueing for ever,
//! and a member logs in as soon as the flood has passed. Alone in its binary: the hashing
//! turns are one per process.

mod common;

use axum::body::{to_bytes, Body};
use common::{member_with_account, sqlite, PASSWORD};
use http::{Request, StatusCode};
use tower::ServiceExt;

fn login(id: &str, password: &str, peer: u32) -> Request<Body> {
    common::login_request(id, password, "/home", std::net::Ipv4Addr::from(0x0a00_0000 + peer).into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_login_flood_is_answered_busy_not_queued_for_ever() {
    let t = sqlite().await;
    let (state, _) = member_with_account(&t).await;
    let router = server::router(state.clone());
    let flood = app::backend::identity::password::MAX_WAITING * 3;
    let tasks: Vec<_> = (0..flood)
        .map(|i| {
            let router = router.clone();
            tokio::spawn(async move {
                let res = router.oneshot(login(&format!("nobody.{i:04}"), "Wrong#Pass1", i as u32)).await.unwrap();
                let retry = res.headers().get("retry-after").is_some();
                let status = res.status();
                let body = String::from_utf8(to_bytes(res.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
                (status, retry, body)
            })
        })
        .collect();
    let (mut busy, mut wrong) = (0, 0);
    for task in tasks {
        let (status, retry, body) = task.await.unwrap();
        match status {
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(retry, "503 says when to come back");
                // The form shows the error's message: 「ただいま混み合っています…」
                let error: app::error::AppError = serde_json::from_str(&body).unwrap();
                assert_eq!(error.form_message().as_deref(), Some(app::error::BUSY_MESSAGE), "{body}");
                busy += 1;
            }
            StatusCode::UNPROCESSABLE_ENTITY => wrong += 1,
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(busy > 0, "the excess is answered busy");
    // How many of the queued ones get their turn within the bound depends on the machine's speed.
    assert!(wrong > 0, "the queue is served");
    // A login answered busy compared no password and counts nothing against its ID.
    let (counted,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_throttle WHERE failures > 0").fetch_one(&state.db).await.unwrap();
    assert_eq!(counted, wrong as i64, "only the compared ones count");
    // Against its client it counts, busy or not: a flood that keeps the queue full ends up in
    // the 認証文字, not in free retries.
    let (clients,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM rate_counters WHERE key LIKE 'login-client:%'")
            .fetch_one(&state.db)
            .await
            .unwrap();
    assert_eq!(clients, flood as i64, "every request counted for its client ({busy} busy)");
    let res = router.oneshot(login("yamada.taro", PASSWORD, 99_999)).await.unwrap();
    assert!(res.status().is_success() || res.status().is_redirection(), "a member logs in after the flood: {}", res.status());
    assert!(res.headers().contains_key("set-cookie"));
}
