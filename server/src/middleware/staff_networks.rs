//! `STAFF_ALLOWED_NETWORKS` in front of every `/staff` path.

use app::backend::platform::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use http::StatusCode;

fn is_staff_path(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/")
}

/// `STAFF_ALLOWED_NETWORKS`: outside them every staff page, server function and export answers
/// 404, as if the console did not exist (the client address is the one `TRUSTED_PROXIES` resolved).
pub async fn allowed_networks(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(networks) = &state.config.staff_networks {
        if is_staff_path(request.uri().path()) {
            let client = request.extensions().get::<app::backend::edge::ClientAddr>().map(|c| c.0);
            if !client.is_some_and(|ip| networks.iter().any(|n| n.contains(&ip))) {
                tracing::warn!(client = ?client, "staff path refused outside STAFF_ALLOWED_NETWORKS");
                return (StatusCode::NOT_FOUND, Html(app::pages::error::not_found_page_html())).into_response();
            }
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn staff_paths() {
        assert!(super::is_staff_path("/staff"));
        assert!(super::is_staff_path("/staff/api/x"));
        assert!(super::is_staff_path("/staff/audit.csv"));
        assert!(!super::is_staff_path("/staffroom"));
        assert!(!super::is_staff_path("/home"));
    }
}
