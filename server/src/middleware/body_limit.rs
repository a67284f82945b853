//! The request body limit: 413 with a Japanese page before any handler reads a body.

use axum::response::IntoResponse;

/// The largest request body a form or server function may send (the longest form, an
/// inquiry, is a few kilobytes). The console's file uploads have routes of their own.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A body over the limit is still read (and thrown away) up to this size before the 413 goes
/// out: a client that is still sending when the answer comes sees a broken connection
/// instead of the page. Beyond it the connection is simply closed.
const DRAIN_BYTES: usize = 16 << 20;
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Answers 413 with a Japanese page for a body over `MAX_BODY_BYTES`, declared or streamed,
/// before any handler reads it (axum's own limit surfaced as a 500 inside server functions).
/// Holds at most `MAX_BODY_BYTES` of a body in memory.
pub async fn limit_body(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use http_body_util::BodyExt;
    // Most requests (every page and file) have no body: nothing to read or rebuild.
    if axum::body::HttpBody::is_end_stream(request.body()) {
        return next.run(request).await;
    }
    // The roster and 医療費 uploads (files of up to 32 / 64 MiB) stream to their handlers, which
    // check the staff session before they read the body; their routes cap the size
    // (`DefaultBodyLimit`).
    if [
        app::pages::staff::roster::UPLOAD_PATH,
        app::pages::staff::medical::UPLOAD_PATH,
        app::pages::staff::family::UPLOAD_PATH,
        app::pages::staff::benefits::UPLOAD_PATH,
    ]
    .contains(&request.uri().path())
    {
        return next.run(request).await;
    }
    let declared = request.headers().get(http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let (parts, mut body) = request.into_parts();
    let mut kept: Vec<u8> = Vec::new();
    let mut total = 0usize;
    let over = declared.is_some_and(|n| n > MAX_BODY_BYTES as u64);
    let read = tokio::time::timeout(DRAIN_TIME, async {
        while let Some(frame) = body.frame().await {
            let Ok(data) = frame.map_err(|_| ()).and_then(|f| f.into_data().map_err(|_| ())) else { continue };
            total += data.len();
            if !over && total <= MAX_BODY_BYTES {
                kept.extend_from_slice(&data);
            } else if total > DRAIN_BYTES || (over && declared.is_some_and(|n| n > DRAIN_BYTES as u64)) {
                break;
            }
        }
    })
    .await;
    if over || total > MAX_BODY_BYTES {
        return too_large();
    }
    if read.is_err() {
        return (http::StatusCode::REQUEST_TIMEOUT, axum::response::Html(app::pages::error::error_page_html())).into_response();
    }
    next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(kept))).await
}

fn too_large() -> axum::response::Response {
    tracing::warn!("request body over the limit refused");
    (http::StatusCode::PAYLOAD_TOO_LARGE, axum::response::Html(app::pages::error::too_large_page_html())).into_response()
}
