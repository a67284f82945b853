//! `X-Request-Id` on every request and answer.

/// `X-Request-Id`: the one nginx (or another proxy) set, if it is a plain token of at most 64
/// characters, else a new one; in the request's log span and echoed in the answer, so a log line
/// of the proxy and of the portal can be matched.
pub async fn request_id(mut request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    const HEADER: &str = "x-request-id";
    let given = request.headers().get(HEADER).and_then(|v| v.to_str().ok()).filter(|v| is_request_id(v));
    let id = given.map(str::to_string).unwrap_or_else(app::backend::platform::ids::new_id);
    let value = http::HeaderValue::from_str(&id).expect("a checked token");
    request.headers_mut().insert(HEADER, value.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(HEADER, value);
    response
}

fn is_request_id(v: &str) -> bool {
    (1..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}
