//! Security headers on every response and the CSRF check on every state-changing
//! request (README.md "Security notes").

use app::backend::platform::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use http::header::{self, HeaderName, HeaderValue};
use http::{Method, StatusCode};

/// The policy for responses without a nonce (files, errors). Pages rendered by
/// Leptos get the same policy with their own script nonce (see `csp_with_nonce`).
pub const CSP_WITHOUT_NONCE: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

pub fn csp_with_nonce(nonce: &str) -> String {
    CSP_WITHOUT_NONCE.replace("script-src 'self'", &format!("script-src 'self' 'nonce-{nonce}'"))
}

/// Adds the security headers a response does not already have.
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let is_html = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    let set = |h: &mut http::HeaderMap, name: HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP_WITHOUT_NONCE);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Not `no-referrer`: with it browsers send `Origin: null` on our own form posts (breaking the
    // CSRF check) and no Referer (breaking the no-JavaScript redirect back to the form).
    // `same-origin` still keeps token-bearing URLs from ever reaching another site.
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(h, HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=(), payment=()");
    if state.config.is_https() {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains");
    }
    if is_html {
        // Pages may show personal data: never keep them in a shared or back-forward cache.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

const FORBIDDEN: &str = "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>送信できませんでした</title></head><body><h1>送信できませんでした</h1><p>このページからの送信は受け付けられません。ブラウザで健康マイポータルを開き直してから、もう一度お試しください。</p><p><a href=\"/\">ログイン画面へ</a></p></body></html>";

/// Rejects a state-changing request that a browser sent from another site.
pub async fn csrf(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !same_origin(&request, &state.config.public_url) {
        tracing::warn!(method = %request.method(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, Html(FORBIDDEN)).into_response();
    }
    next.run(request).await
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

fn same_origin(request: &Request, public_url: &str) -> bool {
    let headers = request.headers();
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        if origin.eq_ignore_ascii_case(origin_of(public_url)) {
            return true;
        }
        // The page may be opened under another name of this host (localhost vs 127.0.0.1):
        // a browser always sends the real Host, so a cross-site form cannot fake a match.
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
        return !host.is_empty() && origin_host.eq_ignore_ascii_case(host);
    }
    // No Origin (old browsers, some same-origin form posts): fall back to Fetch Metadata.
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        None => true, // not a browser: CSRF needs a victim's browser
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut b = http::Request::builder().method("POST").uri("/api/x");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn origin_checks() {
        let public = "https://portal.example.jp";
        assert!(same_origin(&post(&[("origin", "https://portal.example.jp")]), public));
        assert!(!same_origin(&post(&[("origin", "https://evil.example"), ("host", "portal.example.jp")]), public));
        assert!(same_origin(&post(&[("origin", "http://localhost:3000"), ("host", "localhost:3000")]), "http://127.0.0.1:3000"));
        assert!(!same_origin(&post(&[("origin", "null"), ("host", "portal.example.jp")]), public));
        assert!(!same_origin(&post(&[("sec-fetch-site", "cross-site")]), public));
        assert!(same_origin(&post(&[("sec-fetch-site", "same-origin")]), public));
        assert!(same_origin(&post(&[]), public));
        assert_eq!(origin_of("http://127.0.0.1:3000/x/y"), "http://127.0.0.1:3000");
    }

    #[test]
    fn nonce_goes_into_script_src() {
        assert!(csp_with_nonce("abc").contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(CSP_WITHOUT_NONCE.contains("frame-ancestors 'none'"));
    }
}
