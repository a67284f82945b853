//! Server functions' errors with their own status (4xx for a member's mistake).

use axum::response::IntoResponse;

/// Leptos answers every server-function error with 500; give the member's own mistakes
/// (invalid input, rate limits) their 4xx status so monitoring sees only real failures.
pub async fn server_fn_error_status(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let is_server_fn = request.uri().path().starts_with("/api/") || request.uri().path().starts_with("/staff/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = http::StatusCode::from_u16(error.status()).unwrap_or(parts.status);
        if error == app::error::AppError::Busy {
            parts.headers.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("5"));
        }
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}
