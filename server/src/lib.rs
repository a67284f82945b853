//! The `server` binary's library: configuration to a running portal (router,
//! middleware, mail worker, graceful shutdown). `main.rs` only parses the CLI.

pub mod handlers;
pub mod mailer;
pub mod metrics;
pub mod middleware;
pub mod worker;

use app::backend::platform::{db, AppState, Clock, Config, SystemClock};
use app::{shell, App};
use axum::response::IntoResponse;
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use mailer::Mailer;
use std::sync::Arc;
use tokio::sync::{watch, Notify};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub const OUTPUT_NAME: &str = "portal";

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] app::backend::platform::config::ConfigError),
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Mailer(#[from] mailer::MailerError),
    #[error(transparent)]
    Key(#[from] app::backend::platform::secret::KeyError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("PDF_FONT / PDF_FONT_BOLD: {0} (scripts/setup.sh installs Debian's fonts-noto-cjk)")]
    Fonts(String),
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .env(Env::PROD)
        .site_addr(config.site_addr)
        .build()
}

/// Opens (and migrates) the database and builds the state every part shares.
pub async fn build_state(config: Config) -> Result<AppState, StartError> {
    let db = db::connect_and_migrate(&config.database_url).await?;
    let key = app::backend::platform::secret::load_or_create(&db, config.secret_key.as_deref(), &config.secret_key_old).await?;
    app::backend::platform::secret::install(key, config.secret_key_old.iter().map(|k| k.as_bytes().to_vec()).collect());
    Ok(AppState {
        db,
        leptos_options: leptos_options(&config),
        config: Arc::new(config),
        clock: Arc::new(SystemClock),
        mail_wakeup: Arc::new(Notify::new()),
        mail_worker: Arc::default(),
    })
}

pub fn build_mailer(state: &AppState) -> Result<Mailer, StartError> {
    Ok(match &state.config.smtp_url {
        Some(url) => Mailer::smtp(url, &state.config.mail_from)?,
        None => Mailer::DevInbox { db: state.db.clone() },
    })
}

/// What every server function and page render can use through context.
fn provide_server_context(state: &AppState) {
    provide_context(state.clone());
    provide_context(state.site_info());
    // Pages carry a CSP whose script nonce is the one Leptos puts on its hydration script.
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(value) = http::HeaderValue::from_str(&middleware::security::csp_with_nonce(&nonce)) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// `cargo leptos build --release --precompress` writes `X.br` / `X.gz` beside each asset and
/// they are served in preference to `X`. A later build without the flag leaves them behind,
/// and a stale bundle would break hydration: remove any that is older than its asset.
fn drop_stale_precompressed(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    for path in entries.flatten().map(|e| e.path()) {
        let is_compressed = matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz"));
        let original = path.with_extension("");
        if is_compressed && modified(&path) < modified(&original) {
            match std::fs::remove_file(&path) {
                Ok(()) => tracing::warn!(file = %path.display(), "removed a precompressed asset older than its source"),
                Err(e) => tracing::error!(file = %path.display(), error = %e, "stale precompressed asset could not be removed"),
            }
        }
    }
}

/// Paths with secrets (tokens in links) are not logged: long segments are masked.
fn loggable_path(path: &str) -> String {
    path.split('/').map(|s| if s.len() > 24 { "…" } else { s }).collect::<Vec<_>>().join("/")
}

pub fn router(state: AppState) -> Router {
    with_middleware(routes(&state), state)
}

/// The portal's routes, without the middleware.
fn routes(state: &AppState) -> Router<AppState> {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_server_context(&state)
    };
    let render_shell = {
        let state = state.clone();
        move || {
            provide_context(state.site_info());
            shell(state.leptos_options.clone())
        }
    };
    let mut router = Router::new().leptos_routes_with_context(state, routes, context.clone(), render_shell.clone());
    if state.config.uses_dev_inbox() {
        router = router.merge(handlers::devinbox::routes());
    }
    router
        .route("/healthz", axum::routing::get(handlers::health::healthz))
        .route("/readyz", axum::routing::get(handlers::health::readyz))
        .route("/staff/audit.csv", axum::routing::get(handlers::staff::audit_csv))
        .route("/unsubscribe/{token}", axum::routing::post(handlers::unsubscribe::one_click))
        .route(app::pages::medical::PDF_PATH, axum::routing::get(handlers::documents::medical))
        .route(app::pages::family::QUALIFICATION_PDF_PATH, axum::routing::get(handlers::documents::qualification))
        .route("/staff/medical/{batch}/paper.csv", axum::routing::get(handlers::staff::medical_paper_csv))
        .route("/staff/family/issues/{issue}/paper.csv", axum::routing::get(handlers::staff::qualification_paper_csv))
        .route(app::pages::benefits::PDF_PATH, axum::routing::get(handlers::documents::benefit))
        .route("/staff/benefits/{batch}/paper.csv", axum::routing::get(handlers::staff::benefits_paper_csv))
        .route(
            app::pages::staff::benefits::UPLOAD_PATH,
            axum::routing::post(handlers::staff::benefits_upload)
                .layer(axum::extract::DefaultBodyLimit::max(app::backend::staff::benefit_upload::MAX_FILE_BYTES)),
        )
        .route(
            app::pages::staff::family::UPLOAD_PATH,
            axum::routing::post(handlers::staff::family_upload)
                .layer(axum::extract::DefaultBodyLimit::max(app::backend::staff::family_upload::MAX_FILE_BYTES)),
        )
        .route(
            app::pages::staff::medical::UPLOAD_PATH,
            axum::routing::post(handlers::staff::medical_upload)
                .layer(axum::extract::DefaultBodyLimit::max(app::backend::staff::medical_upload::MAX_FILE_BYTES)),
        )
        .route(
            app::pages::staff::roster::UPLOAD_PATH,
            axum::routing::post(handlers::staff::roster_upload)
                .layer(axum::extract::DefaultBodyLimit::max(app::backend::staff::roster_upload::MAX_FILE_BYTES)),
        )
        // Asset names carry no content hash: browsers must revalidate them (Last-Modified → 304)
        // or, after an upgrade, a cached portal.js could load with a new portal.wasm.
        .fallback_service(
            tower::ServiceBuilder::new()
                .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
                    http::header::CACHE_CONTROL,
                    http::HeaderValue::from_static("no-cache"),
                ))
                .service(static_files_or_404(state, context, render_shell)),
        )
}

/// Every layer between the network and the routes. A panic becomes the 500 page inside the
/// security headers, so even that page carries the CSP and the rest.
pub fn with_middleware(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .layer(axum::middleware::from_fn(middleware::error_status::server_fn_error_status))
        .layer(CatchPanicLayer::custom(|_| {
            let body = app::pages::error::error_page_html();
            (http::StatusCode::INTERNAL_SERVER_ERROR, axum::response::Html(body)).into_response()
        }))
        .layer(axum::middleware::from_fn(middleware::body_limit::limit_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::staff_networks::allowed_networks))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::client_address::client_address))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security::csrf))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security::headers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %req.method(), path = %loggable_path(req.uri().path()), request_id = %id)
        }))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(axum::middleware::from_fn(middleware::request_id::request_id))
        .with_state(state)
}

/// Files of the site root (`/pkg/…`, the icon) with their precompressed `.br`/`.gz` twins;
/// any other path is rendered by Leptos (the router's 404 page).
///
/// Not `leptos_axum::file_and_error_handler`: it answers a file inside an `Owner::new()`, which
/// hangs below whatever owner the worker thread last set, and a page render leaves its root owner
/// set (`Owner::new_root` in leptos_integration_utils 0.8). The file's answer then found that
/// page's `ResponseOptions` and took its headers: under concurrent load pages lost their CSP
/// nonce, a 302 or a cookie (server/tests/concurrent_headers.rs reproduces it).
fn static_files_or_404<IV: IntoView + 'static>(
    state: &AppState,
    context: impl Fn() + Clone + Send + Sync + 'static,
    render_shell: impl Fn() -> IV + Clone + Send + Sync + 'static,
) -> tower_http::services::ServeDir<
    impl tower::Service<
            axum::extract::Request,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
            Future = impl Send + 'static,
        > + Clone
        + Send
        + 'static,
> {
    let render = leptos_axum::render_app_async_with_context(context, render_shell);
    let not_found = tower::service_fn(move |request: axum::extract::Request| {
        let render = render.clone();
        async move { Ok::<_, std::convert::Infallible>(render(request).await) }
    });
    tower_http::services::ServeDir::new(&state.config.site_root).precompressed_br().precompressed_gzip().fallback(not_found)
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight and the mail in hand");
}

/// Serves until `shutdown` resolves, then lets requests in flight and the mail worker finish.
pub async fn serve(config: Config, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> Result<(), StartError> {
    config.check_serving()?;
    // The PDFs' faces are read now: a portal that could not make them does not start.
    app::backend::documents::pdf::fonts(&config).map_err(StartError::Fonts)?;
    if config.captcha_test_answer().is_some() {
        tracing::warn!("!!! CAPTCHA_TEST_ANSWER is set: every CAPTCHA accepts a fixed answer. For automated tests only. !!!");
    }
    let addr = config.site_addr;
    drop_stale_precompressed(std::path::Path::new(&config.site_root).join("pkg").as_path());
    let metrics_addr = config.metrics_addr;
    let state = build_state(config).await?;
    let mailer = build_mailer(&state)?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| StartError::Listen { addr, source })?;
    if let Some(addr) = metrics_addr {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| StartError::Listen { addr, source })?;
        tokio::spawn(serve_metrics(listener, state.clone(), metrics::install()));
        println!("metrics: http://{addr}/metrics");
    }
    serve_on(listener, state, mailer, shutdown).await
}

/// Serves `/metrics` on its own listener for as long as the process lives (a scrape during
/// shutdown is harmless).
pub async fn serve_metrics(listener: tokio::net::TcpListener, state: AppState, handle: metrics_exporter_prometheus::PrometheusHandle) {
    let app = metrics::router(state, handle);
    if let Err(e) = axum::serve(listener, app).await {
        tracing::error!(error = %e, "metrics listener failed");
    }
}

/// Serves `state` on a bound listener with the mail worker, until `shutdown` resolves. `serve`
/// uses it; the integration tests too (`server/tests/common/spawn.rs`: port 0, a clock they move).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    mailer: Mailer,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let addr = state.config.site_addr;
    let addr = listener.local_addr().map_err(|source| StartError::Listen { addr, source })?;

    let (stop_worker, worker_stop) = watch::channel(false);
    let running = state.mail_worker.clone();
    let worker = worker::run(
        state.db.clone(),
        mailer,
        state.clock.clone() as Arc<dyn Clock>,
        state.config.clone(),
        state.mail_wakeup.clone(),
        worker_stop,
    );
    let worker = tokio::spawn(async move {
        let _running = handlers::health::Running::mark(running);
        worker.await
    });

    println!("健康マイポータル: http://{addr}/");
    if state.config.uses_dev_inbox() {
        println!("開発用受信箱 (dev inbox): http://{addr}/dev/inbox");
    }
    let app = router(state);
    // No Nagle: a response written in several pieces (static files) would otherwise wait for
    // the client's delayed ACK, about 40 ms each.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let served =
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(shutdown).await;
    let _ = stop_worker.send(true);
    let _ = worker.await;
    served.map_err(|source| StartError::Listen { addr, source })
}

#[cfg(test)]
mod tests {
    #[test]
    fn precompressed_assets_older_than_their_source_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, age_s: u64| {
            let path = dir.path().join(name);
            std::fs::write(&path, name).unwrap();
            let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age_s);
            std::fs::File::options().write(true).open(&path).unwrap().set_modified(when).unwrap();
        };
        write("portal.wasm", 10);
        write("portal.wasm.br", 60); // from an earlier build
        write("portal.wasm.gz", 5);
        write("portal.css.br", 60); // its source is gone: left alone
        super::drop_stale_precompressed(dir.path());
        let left = |n: &str| dir.path().join(n).exists();
        assert!(!left("portal.wasm.br") && left("portal.wasm.gz") && left("portal.wasm") && left("portal.css.br"));
    }

    #[test]
    fn token_segments_are_not_logged() {
        assert_eq!(super::loggable_path("/register/0123456789abcdef0123456789abcdef"), "/register/…");
        assert_eq!(super::loggable_path("/pkg/portal.wasm"), "/pkg/portal.wasm");
    }
}
