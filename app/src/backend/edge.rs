//! Request helpers for server functions: the app state, the client address, cookies.

use crate::backend::members::login;
use crate::backend::platform::{AppState, Client};
use crate::backend::staff::{self, session::StaffMember};
use crate::error::AppError;
use leptos::prelude::*;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

/// The client's address, as the server's middleware resolved it from the TCP peer and, behind
/// a trusted proxy, `X-Forwarded-For` (see `client_address`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);

pub fn client_ip() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts.extensions.get::<ClientAddr>().map(|c| c.0.to_string())
}

/// Who sent this request, as server functions hand it to the services (`borrow`): no service
/// reads the request by itself.
#[derive(Debug, Clone, Default)]
pub struct RequestClient {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl RequestClient {
    pub fn borrow(&self) -> Client<'_> {
        Client { ip: self.ip.as_deref(), user_agent: self.user_agent.as_deref() }
    }
}

pub fn client() -> RequestClient {
    RequestClient { ip: client_ip(), user_agent: user_agent() }
}

/// A value for a URL query (percent-encoded but for unreserved characters).
pub fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The request's User-Agent (shown in ログイン中の端末).
pub fn user_agent() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// The client of a request: the TCP peer, unless the peer is a trusted proxy; then the
/// right-most `X-Forwarded-For` entry that is not itself a trusted proxy (entries left of it
/// were written by the client and prove nothing). A malformed entry stops the walk at the
/// last trusted hop.
pub fn client_address(peer: std::net::IpAddr, headers: &http::HeaderMap, trusted: &[ipnet::IpNet]) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let entries: Vec<&str> =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(str::trim).collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Ok(ip) = entry.parse::<std::net::IpAddr>() else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// A cookie of the request. Behind https a cookie of path `/` is read only under its
/// `__Host-` name: the browser then vouches that this host set it (Secure, no Domain), so a
/// sibling subdomain cannot plant a session or a login in progress.
pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let https = use_context::<AppState>().is_some_and(|s| s.config.is_https());
    let stored = if https && !PATH_SCOPED.contains(&name) { format!("{HOST_PREFIX}{name}") } else { name.to_string() };
    cookie_in(&parts.headers, &stored).map(str::to_string)
}

const HOST_PREFIX: &str = "__Host-";

/// Cookies of a path below `/` (no `__Host-` prefix is possible for them).
const PATH_SCOPED: [&str; 2] = [crate::backend::members::two_step::CODES_COOKIE, staff::session::COOKIE];

/// The name a cookie is stored under: `__Host-` + name behind https when its path is `/`.
pub fn stored_name(state: &AppState, name: &str, path: &str) -> String {
    if state.config.is_https() && path == "/" {
        format!("{HOST_PREFIX}{name}")
    } else {
        name.to_string()
    }
}

/// A cookie of a request's headers (handlers outside the Leptos context use it directly).
pub fn cookie_in<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Sets a cookie: HttpOnly, SameSite=Lax, Path=/, Secure behind https. `max_age` 0 deletes it.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) {
    set_cookie_at(state, name, value, max_age, "/");
}

/// `set_cookie` for the pages under `path` only (the staff session: `/staff`).
pub fn set_cookie_at(state: &AppState, name: &str, value: &str, max_age: i64, path: &str) {
    let secure = if state.config.is_https() { "; Secure" } else { "" };
    let name = stored_name(state, name, path);
    let header = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    if let (Some(res), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&header)) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// Sends the member to the login page (and back here after it) without a session.
pub async fn require_member(path: &str) -> Result<(AppState, login::SessionMember), AppError> {
    let state = state()?;
    let cookie = cookie(login::SESSION_COOKIE).filter(|t| !t.is_empty());
    let member = match &cookie {
        Some(token) => login::member(&state, token).await?,
        None => None,
    };
    match member {
        // A temporary password is changed, the terms agreed, then the profile set, before anything else.
        Some(m) => match m.first_steps().forced_path() {
            Some(forced) if !m.first_steps().may_visit(path) => {
                leptos_axum::redirect(forced);
                Err(AppError::Redirect(forced.into()))
            }
            _ => Ok((state, m)),
        },
        None => {
            // A cookie without a live session: it timed out or was ended elsewhere; say so.
            let ended = if cookie.is_some() { "&ended=1" } else { "" };
            let target = format!("/?next={path}{ended}");
            leptos_axum::redirect(&target);
            Err(AppError::Redirect(target))
        }
    }
}

/// Sends staff to the staff login (and back here after it) without a staff session; refuses a
/// staff member whose role does not allow `needed` (403).
pub async fn require_staff(path: &str, needed: crate::domain::StaffRole) -> Result<(AppState, StaffMember), AppError> {
    let state = state()?;
    let cookie = cookie(staff::session::COOKIE).filter(|t| !t.is_empty());
    let staff = match &cookie {
        Some(token) => staff::session::staff_of(&state, token).await?,
        None => None,
    };
    match staff {
        Some(s) if s.role.allows(needed) => Ok((state, s)),
        Some(_) => {
            // The page rendered around this answer says why; its status says it too.
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(http::StatusCode::FORBIDDEN);
            }
            Err(AppError::Forbidden)
        }
        None => {
            let ended = if cookie.is_some() { "&ended=1" } else { "" };
            let target = format!("/staff/login?next={}{ended}", query_value(path));
            leptos_axum::redirect(&target);
            Err(AppError::Redirect(target))
        }
    }
}

/// Runs `work` to its end even if the client goes away: axum drops a request's future when its
/// connection closes, and a login that has counted its attempt (and perhaps set the lock) must
/// still write the audit entry and mail the lock notice.
pub async fn to_completion<T: Send + 'static>(work: impl std::future::Future<Output = T> + Send + 'static) -> Result<T, AppError> {
    tokio::spawn(work).await.map_err(|e| {
        tracing::error!(error = %e, "a task run to completion failed");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use std::net::IpAddr;

    fn resolve(peer: &str, xff: &[&str], trusted: &str) -> String {
        let mut headers = http::HeaderMap::new();
        for v in xff {
            headers.append("x-forwarded-for", v.parse().unwrap());
        }
        let trusted = crate::backend::platform::config::parse_networks(trusted).unwrap();
        client_address(peer.parse::<IpAddr>().unwrap(), &headers, &trusted).to_string()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        // No trusted proxy: the header is whatever the client wrote.
        assert_eq!(resolve("203.0.113.9", &["1.2.3.4"], ""), "203.0.113.9");
        // From a proxy that is not trusted: ignored.
        assert_eq!(resolve("203.0.113.9", &["1.2.3.4"], "10.0.0.0/8"), "203.0.113.9");
        // Behind nginx: the address nginx saw; a client's own entry on the left proves nothing.
        assert_eq!(resolve("10.0.0.2", &["6.6.6.6, 198.51.100.7"], "10.0.0.0/8"), "198.51.100.7");
        // Two proxies, one header line each.
        assert_eq!(resolve("10.0.0.2", &["6.6.6.6", "198.51.100.7, 10.0.0.3"], "10.0.0.0/8"), "198.51.100.7");
        // A garbled entry: the last trusted hop is the client we know.
        assert_eq!(resolve("10.0.0.2", &["198.51.100.7, garbage"], "10.0.0.0/8"), "10.0.0.2");
        // No header at all.
        assert_eq!(resolve("10.0.0.2", &[], "10.0.0.0/8"), "10.0.0.2");
        assert_eq!(resolve("::1", &["2001:db8::5"], "::1"), "2001:db8::5");
    }
}
