//! `/metrics` in Prometheus' text format, on a listener of its own (`METRICS_ADDR`): the
//! members' port never serves it. Counters come from the app (`backend::metrics`: logins,
//! registration steps, mails) and from `track` here (requests); gauges are read at each
//! scrape (outbox, hashing queue, database pool).

use app::backend::identity::password;

use app::backend::platform::AppState;
use axum::extract::State;
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Request latency buckets, seconds: a page is ~1 ms, a login ~50 ms, a queue wait up to 4 s.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Installs the process's recorder once (later calls, e.g. a second portal in one test
/// process, share it) and returns its handle.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    metrics_exporter_prometheus::Matcher::Full("portal_http_request_duration_seconds".into()),
                    LATENCY_BUCKETS,
                )
                .expect("non-empty buckets")
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics shows only its own figures");
            }
            describe();
            // Histograms are drained into their buckets by upkeep; scrapes do it too, this
            // bounds the memory when nobody scrapes.
            let upkeep = handle.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    upkeep.run_upkeep();
                }
            });
            handle
        })
        .clone()
}

/// The `# HELP` lines.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!("portal_http_requests_total", "Requests by route class and status");
    describe_histogram!("portal_http_request_duration_seconds", Unit::Seconds, "Time to the answer's head, by route class");
    describe_counter!("portal_logins_total", "Login attempts by principal (member, staff) and outcome (ok, failed, locked)");
    describe_counter!("portal_registrations_total", "利用登録 steps passed (1_refused: unknown or registered address)");
    describe_counter!("portal_audit_events_total", "Audit log entries by event");
    describe_counter!("portal_mails_total", "Outbox mails queued, sent, retried (an attempt failed) and given up");
    describe_gauge!("portal_outbox_waiting", "Mails waiting to be sent");
    describe_gauge!("portal_outbox_oldest_age_seconds", Unit::Seconds, "Age of the oldest waiting mail");
    describe_gauge!("portal_outbox_given_up", "Mails given up and not sent again (送信エラー)");
    describe_gauge!("portal_hashing_waiting", "Password checks waiting for a turn");
    describe_gauge!("portal_hashing_running", "Password hashes running now (one per core at most)");
    describe_gauge!("portal_db_pool_connections", "Database connections of this instance, idle or in use");
    describe_gauge!("portal_db_pool_max_connections", "The pool's limit");
    describe_gauge!("portal_db_up", "1 when the last scrape could read the database");
}

/// The router of the metrics listener.
pub fn router(state: AppState, handle: PrometheusHandle) -> axum::Router {
    axum::Router::new().route("/metrics", axum::routing::get(scrape)).with_state((state, handle))
}

async fn scrape(State((state, handle)): State<(AppState, PrometheusHandle)>) -> impl axum::response::IntoResponse {
    let (waiting, hashing) = password::queue_depth();
    gauge!("portal_hashing_waiting").set(waiting as f64);
    gauge!("portal_hashing_running").set(hashing as f64);
    let pool = &state.db;
    let idle = pool.num_idle() as f64;
    gauge!("portal_db_pool_connections", "state" => "idle").set(idle);
    gauge!("portal_db_pool_connections", "state" => "in_use").set(f64::from(pool.size()) - idle);
    gauge!("portal_db_pool_max_connections").set(f64::from(pool.options().get_max_connections()));
    match app::backend::mail::outbox::backlog(&state.db, state.clock.now()).await {
        Ok(b) => {
            gauge!("portal_outbox_waiting").set(b.waiting as f64);
            gauge!("portal_outbox_oldest_age_seconds").set(b.oldest_age_seconds as f64);
            gauge!("portal_outbox_given_up").set(b.given_up as f64);
            gauge!("portal_db_up").set(1.0);
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the outbox could not be read");
            gauge!("portal_db_up").set(0.0);
        }
    }
    handle.run_upkeep();
    ([(http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle.render())
}

/// Which kind of route a path is, for request figures without one series per URL (tokens in
/// paths would make them unbounded).
pub fn route_class(path: &str) -> &'static str {
    if path.starts_with("/pkg/") {
        "asset"
    } else if path.starts_with("/staff/api/") {
        "staff_server_fn"
    } else if path == "/staff" || path.starts_with("/staff/") {
        "staff_page"
    } else if path.starts_with("/api/") {
        "server_fn"
    } else if path == "/healthz" || path == "/readyz" {
        "health"
    } else {
        "page"
    }
}

/// Counts every request and its time by route class and status.
pub async fn track(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let class = route_class(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    counter!("portal_http_requests_total", "class" => class, "status" => status).increment(1);
    histogram!("portal_http_request_duration_seconds", "class" => class).record(started.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn routes_are_classed_without_their_tokens() {
        use super::route_class;
        assert_eq!(route_class("/pkg/portal.wasm"), "asset");
        assert_eq!(route_class("/api/login"), "server_fn");
        assert_eq!(route_class("/staff/api/search"), "staff_server_fn");
        assert_eq!(route_class("/staff"), "staff_page");
        assert_eq!(route_class("/staffing"), "page");
        assert_eq!(route_class("/register/verify/abc"), "page");
        assert_eq!(route_class("/readyz"), "health");
    }
}
