//! The request edge of server functions and handlers: the app state, the client (address and
//! User-Agent), the table of cookies, the guards of member and staff pages, redirects.

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

/// Every cookie the portal sets, in one table: its name, the pages it is sent to, how long it
/// lives. All are HttpOnly and SameSite=Lax, Secure behind https; behind https a cookie of
/// path `/` is stored and read only under its `__Host-` name (the browser then vouches that
/// this host set it: Secure, no Domain), so a sibling subdomain cannot plant a session or a
/// login in progress.
pub mod cookies {
    use crate::backend::edge::{Lives, PortalCookie};
    use crate::backend::members::{registration, two_step};

    /// A member's session (its end is the server's: `SESSION_MAX_SECONDS`).
    pub const SESSION: PortalCookie = PortalCookie { name: "portal_session", path: "/", lives: Lives::MemberSession };
    /// Binds steps 3 and 5 of 新規利用登録 to the browser that passed the step before.
    pub const REGISTRATION: PortalCookie =
        PortalCookie { name: "portal_reg", path: "/", lives: Lives::Seconds(registration::REGISTRATION_TTL) };
    /// A login waiting for its 2段階認証 code.
    pub const LOGIN_CODE: PortalCookie =
        PortalCookie { name: "portal_login_code", path: "/", lives: Lives::Seconds(two_step::PENDING_SECONDS) };
    /// The backup codes just made, sealed, until セキュリティ設定 shows them once.
    pub const BACKUP_CODES: PortalCookie =
        PortalCookie { name: "portal_backup_codes", path: "/security", lives: Lives::Seconds(two_step::CODES_COOKIE_SECONDS) };
    /// Binds a staff login's passkey step (after its password) to the browser that began it.
    pub const STAFF_PASSKEY: PortalCookie =
        PortalCookie { name: "staff_passkey", path: "/staff", lives: Lives::Seconds(crate::backend::members::passkeys::CEREMONY_SECONDS) };
    /// A staff session, sent to the staff console only.
    pub const STAFF_SESSION: PortalCookie = PortalCookie { name: "staff_session", path: "/staff", lives: Lives::StaffSession };

    /// Binds a 「パスキーでログイン」 ceremony to the browser that began it.
    pub const PASSKEY: PortalCookie =
        PortalCookie { name: "portal_passkey", path: "/", lives: Lives::Seconds(crate::backend::members::passkeys::CEREMONY_SECONDS) };

    pub const ALL: [PortalCookie; 7] = [SESSION, REGISTRATION, LOGIN_CODE, BACKUP_CODES, STAFF_SESSION, PASSKEY, STAFF_PASSKEY];
}

/// How long a cookie lives in the browser (`Max-Age`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lives {
    Seconds(i64),
    /// As long as a member's session may (`Config::sessions`).
    MemberSession,
    /// As long as a staff session may (`Config::staff_sessions`).
    StaffSession,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalCookie {
    pub name: &'static str,
    pub path: &'static str,
    pub lives: Lives,
}

const HOST_PREFIX: &str = "__Host-";

impl PortalCookie {
    /// The name it is stored under: `__Host-` + name behind https when its path is `/`.
    pub fn stored_name(&self, https: bool) -> String {
        if https && self.path == "/" {
            format!("{HOST_PREFIX}{}", self.name)
        } else {
            self.name.to_string()
        }
    }

    /// Its value in this request, if it is there and not empty.
    pub fn read(&self) -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        let https = use_context::<AppState>().is_some_and(|s| s.config.is_https());
        self.read_in(&parts.headers, https).map(str::to_string)
    }

    /// Its value in a request's headers (handlers outside the Leptos context use it directly).
    pub fn read_in<'h>(&self, headers: &'h http::HeaderMap, https: bool) -> Option<&'h str> {
        let name = self.stored_name(https);
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
            .filter(|v| !v.is_empty())
    }

    /// How long it lives once set.
    pub fn max_age(&self, config: &crate::backend::platform::Config) -> i64 {
        match self.lives {
            Lives::Seconds(s) => s,
            Lives::MemberSession => config.sessions.max_seconds,
            Lives::StaffSession => config.staff_sessions.max_seconds,
        }
    }

    /// The `Set-Cookie` value that stores `value` for `max_age` seconds (`None`: deletes it).
    pub fn header(&self, https: bool, value: Option<&str>, max_age: i64) -> String {
        cookie::Cookie::build((self.stored_name(https), value.unwrap_or("").to_string()))
            .path(self.path)
            .http_only(true)
            .same_site(cookie::SameSite::Lax)
            .secure(https)
            .max_age(cookie::time::Duration::seconds(if value.is_some() { max_age } else { 0 }))
            .build()
            .to_string()
    }

    /// Sets it on this answer.
    pub fn set(&self, state: &AppState, value: &str) {
        self.set_for(state, value, self.max_age(&state.config));
    }

    /// Sets it for `max_age` seconds instead of its table's lifetime (shorter: the step it is
    /// for ends sooner, as 新規利用登録's key page ends with the key).
    pub fn set_for(&self, state: &AppState, value: &str, max_age: i64) {
        append_set_cookie(&self.header(state.config.is_https(), Some(value), max_age));
    }

    /// Deletes it on this answer.
    pub fn clear(&self, state: &AppState) {
        append_set_cookie(&self.header(state.config.is_https(), None, 0));
    }
}

fn append_set_cookie(header: &str) {
    if let (Some(res), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(header)) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// The guard of a member's page or server function: see [`member_of_request`].
pub async fn member(route: &str) -> Result<(AppState, login::SessionMember), AppError> {
    let state = state()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    match member_of_request(&state, &parts.headers, route).await? {
        Ok(m) => Ok((state, m)),
        Err(target) => redirect(&target),
    }
}

/// The member guard for any request (pages and server functions through [`member`], the raw
/// handlers such as the PDFs with their headers): the member of this request's session, or
/// where to send them — the login page (and back to `route` after it), or a first step not
/// done yet (a temporary password changed, the terms agreed, the profile set).
pub async fn member_of_request(
    state: &AppState,
    headers: &http::HeaderMap,
    route: &str,
) -> Result<Result<login::SessionMember, String>, sqlx::Error> {
    let cookie = cookies::SESSION.read_in(headers, state.config.is_https());
    let member = match cookie {
        Some(token) => login::member(state, token).await?,
        None => None,
    };
    Ok(match member {
        // 資格喪失: reading the household's documents only (no first steps: nothing is changed).
        Some(m) if m.read_only_until.is_some() => {
            if crate::domain::readable_after_leaving(route) {
                Ok(m)
            } else {
                Err("/home".to_string())
            }
        }
        Some(m) => match m.first_steps().forced_path() {
            Some(forced) if !m.first_steps().may_visit(route) => Err(forced.to_string()),
            _ => Ok(m),
        },
        // A cookie without a live session: it timed out or was ended elsewhere; say so.
        None => Err(format!("/?next={}{}", crate::domain::query_value(route), if cookie.is_some() { "&ended=1" } else { "" })),
    })
}

/// Why the staff guard refused a request.
#[derive(Debug)]
pub enum StaffRefusal {
    /// No live staff session: the staff login, and back to the route after it.
    Login(String),
    /// The staff member's role does not allow it.
    Forbidden,
    Db(sqlx::Error),
}

/// 職員のパスキー: the page a staff member without one is sent to under `STAFF_REQUIRE_PASSKEY`.
pub const PASSKEYS_PAGE: &str = "/staff/passkeys";

/// The staff guard for any request (the console's server functions through [`staff`], the
/// raw axum handlers with their headers): the staff member of the `/staff` session cookie if
/// their role allows `needed`.
pub async fn staff_of_request(
    state: &AppState,
    headers: &http::HeaderMap,
    route: &str,
    needed: crate::domain::StaffRole,
) -> Result<StaffMember, StaffRefusal> {
    let cookie = cookies::STAFF_SESSION.read_in(headers, state.config.is_https());
    let staff = match cookie {
        Some(token) => staff::session::staff_of(state, token).await.map_err(StaffRefusal::Db)?,
        None => None,
    };
    match staff {
        // STAFF_REQUIRE_PASSKEY: one who logged in by the code and has no passkey adds one first.
        Some(s) if state.config.staff_require_passkey && !route.starts_with(PASSKEYS_PAGE) => {
            match staff::passkeys::count(&state.db, &s.id).await.map_err(StaffRefusal::Db)? {
                0 => Err(StaffRefusal::Login(format!("{PASSKEYS_PAGE}?required=1"))),
                _ if s.role.allows(needed) => Ok(s),
                _ => Err(StaffRefusal::Forbidden),
            }
        }
        Some(s) if s.role.allows(needed) => Ok(s),
        Some(_) => Err(StaffRefusal::Forbidden),
        None => {
            let ended = if cookie.is_some() { "&ended=1" } else { "" };
            Err(StaffRefusal::Login(format!("/staff/login?next={}{ended}", crate::domain::query_value(route))))
        }
    }
}

/// The guard of a staff page or server function: see [`staff_of_request`]; a refused role
/// answers 403 (the page rendered around the answer says why).
pub async fn staff(route: &str, needed: crate::domain::StaffRole) -> Result<(AppState, StaffMember), AppError> {
    let state = state()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    match staff_of_request(&state, &parts.headers, route, needed).await {
        Ok(s) => Ok((state, s)),
        Err(StaffRefusal::Login(target)) => redirect(&target),
        Err(StaffRefusal::Forbidden) => {
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(http::StatusCode::FORBIDDEN);
            }
            Err(AppError::Forbidden)
        }
        Err(StaffRefusal::Db(e)) => Err(e.into()),
    }
}

/// Sends the browser to `target` (a page load gets a 302, a server-function call its redirect).
pub fn redirect<T>(target: &str) -> Result<T, AppError> {
    leptos_axum::redirect(target);
    Err(AppError::Redirect(target.into()))
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
    use super::{client_address, cookies};
    use std::net::IpAddr;

    #[test]
    fn every_cookie_is_http_only_lax_and_secure_behind_https_with_host_prefix_on_the_root_path() {
        let set = cookies::SESSION.header(true, Some("t0k"), 3600);
        assert_eq!(set, "__Host-portal_session=t0k; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=3600");
        let staff = cookies::STAFF_SESSION.header(true, Some("s"), 60);
        assert_eq!(staff, "staff_session=s; HttpOnly; SameSite=Lax; Secure; Path=/staff; Max-Age=60");
        assert_eq!(cookies::SESSION.header(false, None, 3600), "portal_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0");
        let names: std::collections::HashSet<_> = cookies::ALL.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), cookies::ALL.len(), "one name a cookie");
    }

    #[test]
    fn a_cookie_is_read_under_its_stored_name_only() {
        let mut headers = http::HeaderMap::new();
        headers.append(http::header::COOKIE, "portal_session=planted; __Host-portal_session=real; portal_reg=".parse().unwrap());
        assert_eq!(cookies::SESSION.read_in(&headers, true), Some("real"));
        assert_eq!(cookies::SESSION.read_in(&headers, false), Some("planted"));
        assert_eq!(cookies::REGISTRATION.read_in(&headers, false), None, "an empty value is no cookie");
    }

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
