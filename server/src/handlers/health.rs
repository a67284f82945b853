//! For load balancers and operators: `/healthz` (the process answers) and `/readyz` (it can do
//! its work: the database answers, its schema is this build's, the mail worker runs), and
//! `server check-config`'s findings.

use app::backend::platform::{db, AppState, Config};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub async fn healthz() -> &'static str {
    "ok\n"
}

/// 200 `ready`, or 503 with one line per problem (no secrets, no personal data).
pub async fn readyz(State(state): State<AppState>) -> Response {
    let mut problems = Vec::new();
    match db::schema_state(&state.db).await {
        Ok(db::SchemaState::Current) => {}
        Ok(other) => problems.push(format!("schema: {other}")),
        Err(_) => problems.push("database: not reachable".to_string()),
    }
    if !state.mail_worker.load(Ordering::Relaxed) {
        problems.push("mail worker: not running".to_string());
    }
    if problems.is_empty() {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, format!("not ready\n{}\n", problems.join("\n"))).into_response()
    }
}

/// Marks the mail worker running for as long as it lives (also when it ends by a panic).
pub struct Running(Arc<AtomicBool>);

impl Running {
    pub fn mark(flag: Arc<AtomicBool>) -> Self {
        flag.store(true, Ordering::Relaxed);
        Self(flag)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// One line of `server check-config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub ok: bool,
    pub what: &'static str,
    pub detail: String,
}

impl Finding {
    fn ok(what: &'static str, detail: impl Into<String>) -> Self {
        Self { ok: true, what, detail: detail.into() }
    }
    fn bad(what: &'static str, detail: impl Into<String>) -> Self {
        Self { ok: false, what, detail: detail.into() }
    }
}

/// What `serve` would find with this configuration, without serving: the settings' rules, the
/// database and its schema, the SMTP server (a real connection), the proxies, the secret.
pub async fn check_config(config: &Config) -> Vec<Finding> {
    let mut found = Vec::new();
    found.push(match config.check_serving() {
        Ok(()) => Finding::ok("settings", "serve accepts them"),
        Err(e) => Finding::bad("settings", e.to_string()),
    });
    found.push(if config.is_https() {
        Finding::ok("PUBLIC_URL", format!("{} (links in mails; cookies Secure, HSTS)", config.public_url))
    } else {
        Finding::ok("PUBLIC_URL", format!("{} (plain http: this machine only)", config.public_url))
    });
    found.push(match db::connect(&config.database_url).await {
        Ok(pool) => {
            let state = db::schema_state(&pool).await;
            pool.close().await;
            match state {
                Ok(db::SchemaState::Current) => Finding::ok("database", "reachable, schema current"),
                Ok(db::SchemaState::Behind { pending }) => {
                    Finding::ok("database", format!("reachable, {pending} migration(s) pending: serve (or `server migrate`) applies them"))
                }
                Ok(ahead @ db::SchemaState::Ahead { .. }) => Finding::bad("database", format!("{ahead}: a newer build migrated it")),
                Err(e) => Finding::bad("database", format!("reachable, but the schema cannot be read: {e}")),
            }
        }
        Err(e) => Finding::bad("database", format!("not reachable: {e}")),
    });
    found.push(match &config.smtp_url {
        Some(url) => match crate::mailer::Mailer::smtp(url, &config.mail_from) {
            Ok(mailer) => match mailer.test_connection().await {
                Ok(()) => Finding::ok("SMTP", format!("{} answers", smtp_host(url))),
                Err(e) => Finding::bad("SMTP", format!("{}: {e}", smtp_host(url))),
            },
            Err(e) => Finding::bad("SMTP", e.to_string()),
        },
        None => Finding::ok("SMTP", "not set: mails go to the dev inbox (this machine only)"),
    });
    found.push(if config.trusted_proxies.is_empty() {
        Finding::ok("TRUSTED_PROXIES", "none: X-Forwarded-For is ignored, the peer address is the client")
    } else {
        let list: Vec<String> = config.trusted_proxies.iter().map(ToString::to_string).collect();
        Finding::ok("TRUSTED_PROXIES", list.join(", "))
    });
    found.push(match &config.secret_key {
        Some(_) => Finding::ok("SECRET_KEY", "set"),
        None => Finding::ok("SECRET_KEY", "not set: generated once and kept in the database, shared by every instance on it"),
    });
    found.push(match config.metrics_addr {
        Some(addr) => Finding::ok("METRICS_ADDR", format!("/metrics on {addr} (let only Prometheus reach it)")),
        None => Finding::ok("METRICS_ADDR", "not set: no /metrics"),
    });
    found
}

/// The host (and port) of an SMTP URL, without user or password.
fn smtp_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_smtp_host_is_shown_without_credentials() {
        assert_eq!(super::smtp_host("smtps://user:p%40ss@mail.example.jp:465"), "mail.example.jp:465");
        assert_eq!(super::smtp_host("smtp://127.0.0.1:2525"), "127.0.0.1:2525");
        assert_eq!(super::smtp_host("smtp://relay.example.jp/?tls=required"), "relay.example.jp");
    }
}
