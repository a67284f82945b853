//! Configuration from the environment (spec §7); a `.env` file may set it.

use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub site_addr: SocketAddr,
    /// Base of every link in mails; never taken from the request's Host header.
    pub public_url: String,
    /// `None` = the local dev inbox (only allowed on loopback).
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub society_name: String,
    pub society_contact: String,
    /// The society's inbox for 問い合わせ (`INQUIRY_TO`; default: the `MAIL_FROM` address).
    pub inquiry_to: String,
    /// Every CAPTCHA also accepts this answer (automated tests, loopback only).
    pub captcha_test_answer: Option<String>,
    /// Where the site's compiled assets are (cargo-leptos output).
    pub site_root: String,
    pub login_limits: LoginLimits,
    pub sessions: SessionLimits,
}

/// Session timeouts (spec §5): idle and absolute, configurable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// Ends a session after this long without a request (`SESSION_IDLE_MINUTES`, default 30).
    pub idle_seconds: i64,
    /// Ends a session this long after login whatever happens (`SESSION_MAX_HOURS`, default 12).
    pub max_seconds: i64,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self { idle_seconds: 30 * 60, max_seconds: 12 * 3600 }
    }
}

impl SessionLimits {
    /// How stale `last_seen_at` may get before a request refreshes it (saves a write per request).
    pub fn refresh_after(&self) -> i64 {
        (self.idle_seconds / 10).clamp(1, 60)
    }
}

/// Brute-force protection of ログイン (security.md): configurable, safe defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Consecutive failures of one login ID before each further try must wait (2, 4 … 32 s).
    pub delay_after: i64,
    /// Consecutive failures that lock the login ID (`LOGIN_LOCK_AFTER`).
    pub lock_after: i64,
    /// How long a lock lasts (`LOGIN_LOCK_MINUTES`).
    pub lock_seconds: i64,
    /// Failures from one client address before it is locked too (offices share addresses).
    pub client_lock_after: i64,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self { delay_after: 5, lock_after: 10, lock_seconds: 15 * 60, client_lock_after: 50 }
    }
}

impl LoginLimits {
    /// Seconds to wait after the `failures`-th consecutive failure.
    pub fn delay_seconds(&self, failures: i64) -> i64 {
        if failures < self.delay_after { 0 } else { 1i64 << (failures - self.delay_after + 1).min(5) }
    }
}

fn number(name: &'static str, default: i64) -> Result<i64, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or(ConfigError::Invalid { name, reason: format!("{v:?} is not a number in range") }),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db?mode=rwc";

/// `a@b` of `Name <a@b>` (or the whole value).
fn address_of(mailbox: &str) -> &str {
    match (mailbox.rfind('<'), mailbox.rfind('>')) {
        (Some(start), Some(end)) if start < end => &mailbox[start + 1..end],
        _ => mailbox.trim(),
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let site_addr: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| ConfigError::Invalid { name: "LEPTOS_SITE_ADDR", reason: format!("{e}") })?;
        let public_url = var("PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid { name: "PUBLIC_URL", reason: "must start with http:// or https://".into() });
        }
        let smtp_url = var("SMTP_URL");
        if let Some(url) = &smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(ConfigError::Invalid { name: "SMTP_URL", reason: "must start with smtp:// or smtps://".into() });
            }
        }
        let mail_from = var("MAIL_FROM").unwrap_or_else(|| "健康マイポータル <no-reply@kenpo.example.jp>".into());
        let inquiry_to = var("INQUIRY_TO").unwrap_or_else(|| address_of(&mail_from).to_string());
        Ok(Self {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            site_addr,
            public_url,
            smtp_url,
            mail_from,
            inquiry_to,
            society_name: var("SOCIETY_NAME").unwrap_or_else(|| "サンプル健康保険組合".into()),
            society_contact: var("SOCIETY_CONTACT")
                .unwrap_or_else(|| "サンプル健康保険組合 適用課 電話 03-0000-0000（平日 9:00～17:00）".into()),
            captcha_test_answer: var("CAPTCHA_TEST_ANSWER"),
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            sessions: {
                let d = SessionLimits::default();
                SessionLimits {
                    idle_seconds: number("SESSION_IDLE_MINUTES", d.idle_seconds / 60)? * 60,
                    max_seconds: number("SESSION_MAX_HOURS", d.max_seconds / 3600)?.min(24 * 30) * 3600,
                }
            },
            login_limits: {
                let d = LoginLimits::default();
                LoginLimits {
                    delay_after: number("LOGIN_DELAY_AFTER", d.delay_after)?,
                    lock_after: number("LOGIN_LOCK_AFTER", d.lock_after)?,
                    lock_seconds: number("LOGIN_LOCK_MINUTES", d.lock_seconds / 60)? * 60,
                    client_lock_after: number("LOGIN_CLIENT_LOCK_AFTER", d.client_lock_after)?,
                }
            },
        })
    }

    /// Whether the server listens on loopback only.
    pub fn is_loopback(&self) -> bool {
        self.site_addr.ip().is_loopback()
    }

    /// Mails go to the local dev inbox: no SMTP configured and loopback only.
    pub fn uses_dev_inbox(&self) -> bool {
        self.smtp_url.is_none() && self.is_loopback()
    }

    /// Checks the combinations that are unsafe to serve with.
    pub fn check_serving(&self) -> Result<(), ConfigError> {
        if self.captcha_test_answer.is_some() && !self.is_loopback() {
            return Err(ConfigError::Invalid {
                name: "CAPTCHA_TEST_ANSWER",
                reason: "is only allowed when the server listens on loopback".into(),
            });
        }
        if self.smtp_url.is_none() && !self.is_loopback() {
            return Err(ConfigError::Invalid {
                name: "SMTP_URL",
                reason: "must be set when the server is not on loopback (the dev inbox is local only)".into(),
            });
        }
        Ok(())
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}
