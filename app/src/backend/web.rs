//! Request helpers for server functions: the app state, the client address, cookies.

use super::AppState;
use crate::error::AppError;
use leptos::prelude::*;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

/// The client address of the TCP connection (set by the server's connect info).
pub fn client_ip() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
}

pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Sets a cookie: HttpOnly, SameSite=Lax, Path=/, Secure behind https. `max_age` 0 deletes it.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) {
    let secure = if state.config.is_https() { "; Secure" } else { "" };
    let header = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    if let (Some(res), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&header)) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}
