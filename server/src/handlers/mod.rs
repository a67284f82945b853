//! The raw axum handlers beside the Leptos router: health, the staff console's CSV exports and
//! uploads, the members' 医療費 PDF, one-click unsubscribe, the dev inbox.

pub mod devinbox;
pub mod documents;
pub mod health;
pub mod staff;
pub mod unsubscribe;

/// A file to download that nobody may cache (CSV exports, the PDFs: personal data).
pub fn download(body: Vec<u8>, content_type: &'static str, file_name: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::{header, HeaderValue};
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
