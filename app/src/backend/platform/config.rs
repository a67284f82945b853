//! Configuration from the environment (README.md "Configuration"); a `.env` file may set it.

use crate::domain::consent::Document;
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
    /// The society's 保険者番号 (`INSURER_NUMBER`, 8 digits): printed on every 資格情報のお知らせ.
    pub insurer_number: String,
    /// The society's inbox for 問い合わせ (`INQUIRY_TO`; default: the `MAIL_FROM` address).
    pub inquiry_to: String,
    /// Every CAPTCHA also accepts this answer (automated tests, loopback only).
    pub captcha_test_answer: Option<String>,
    /// Where the site's compiled assets are (cargo-leptos output).
    pub site_root: String,
    pub login_limits: LoginLimits,
    pub sessions: SessionLimits,
    pub client_limits: ClientLimits,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`, default none).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Keys the audit log's hashes and the CAPTCHAs (`SECRET_KEY`; default: generated once
    /// and stored in the database).
    pub secret_key: Option<String>,
    /// Keys of before a rotation (`SECRET_KEY_OLD`, comma-separated): still opened and checked
    /// until `server rotate-secrets` has re-sealed everything under `SECRET_KEY`.
    pub secret_key_old: Vec<String>,
    /// Staff sessions (`STAFF_SESSION_IDLE_MINUTES`, default 15; `STAFF_SESSION_MAX_HOURS`, default 8).
    pub staff_sessions: SessionLimits,
    /// Client networks that may reach `/staff` (`STAFF_ALLOWED_NETWORKS`, after `TRUSTED_PROXIES`);
    /// `None` = any. Outside them every staff path answers 404.
    pub staff_networks: Option<Vec<ipnet::IpNet>>,
    /// How many 配信メール the worker hands to the outbox per minute (`MAIL_RATE_PER_MINUTE`,
    /// default 600): a campaign to every member must not flood the society's SMTP relay.
    /// Transactional mails (registration, reset...) are never held back by it.
    pub mail_rate_per_minute: i64,
    /// Where `/metrics` (Prometheus text) is served (`METRICS_ADDR`, default none = off): a
    /// listener of its own, never the members' port.
    pub metrics_addr: Option<SocketAddr>,
    /// 利用規約 and 個人情報の取扱い (`CONTENT_DIR`: terms.txt and privacy.txt; default: the samples).
    pub consent: ConsentDocuments,
    /// Two-step login for members (`MEMBER_2FA=optional|required`, default optional).
    pub member_2fa_required: bool,
    /// Staff log in with password + passkey only (`STAFF_REQUIRE_PASSKEY=true`, default false):
    /// the code no longer logs in one who has a passkey, and one who has none is sent to add one.
    pub staff_require_passkey: bool,
    /// How many years of 医療費 lines are kept (`MEDICAL_KEEP_YEARS`, default 5: the years a
    /// 医療費控除 can still be claimed for); older ones are deleted by the maintenance task.
    pub medical_keep_years: u32,
    /// How many years a 給付金支給決定通知書 is kept after its 決定日 (`BENEFIT_KEEP_YEARS`, default
    /// 5); older batches are deleted by the maintenance task.
    pub benefit_keep_years: u32,
    /// How long a member who became 資格喪失 may still log in, read-only, to read the household's
    /// documents (`DOCUMENTS_AFTER_LEAVING_MONTHS`, default 15: one tax season; 0 = not at all).
    pub documents_after_leaving_months: u32,
    /// The Japanese faces the PDFs embed, subset (`PDF_FONT`, `PDF_FONT_BOLD`; default: Debian's
    /// fonts-noto-cjk, which `scripts/setup.sh` installs).
    pub pdf_fonts: (std::path::PathBuf, std::path::PathBuf),
}

/// Debian's fonts-noto-cjk: the collections whose JP face the PDFs embed.
pub const DEFAULT_PDF_FONTS: (&str, &str) =
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");

/// The documents a member agrees to (step 5, and again at login when a version changes).
#[derive(Debug, Clone)]
pub struct ConsentDocuments {
    pub terms: Document,
    pub privacy: Document,
    /// What an agreement records and what each request compares (`consent_key`).
    pub key: String,
}

/// The samples of a fresh checkout (`content/`), compiled in so the portal runs anywhere.
const SAMPLE_TERMS: &str = include_str!("../../../../content/terms.txt");
const SAMPLE_PRIVACY: &str = include_str!("../../../../content/privacy.txt");
/// What marks a sample: a society must publish its own text before members can reach the portal.
const SAMPLE_MARK: &str = "（見本）";

impl ConsentDocuments {
    pub fn new(terms: Document, privacy: Document) -> Self {
        let key = crate::domain::consent::consent_key(&terms, &privacy);
        Self { terms, privacy, key }
    }

    pub fn samples() -> Self {
        Self::new(
            Document::parse(SAMPLE_TERMS).expect("content/terms.txt is valid"),
            Document::parse(SAMPLE_PRIVACY).expect("content/privacy.txt is valid"),
        )
    }

    /// Reads `terms.txt` and `privacy.txt` of `dir` (read once at start: restart to publish).
    pub fn from_dir(dir: &str) -> Result<Self, ConfigError> {
        let read = |file: &str| {
            let path = std::path::Path::new(dir).join(file);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError::Invalid { name: "CONTENT_DIR", reason: format!("{}: {e}", path.display()) })?;
            Document::parse(&text)
                .map_err(|reason| ConfigError::Invalid { name: "CONTENT_DIR", reason: format!("{}: {reason}", path.display()) })
        };
        Ok(Self::new(read("terms.txt")?, read("privacy.txt")?))
    }

    fn is_sample(&self) -> bool {
        [&self.terms, &self.privacy].iter().any(|d| {
            d.blocks.iter().any(|b| matches!(b, crate::domain::consent::Block::Paragraph(p) | crate::domain::consent::Block::Heading(p) if p.contains(SAMPLE_MARK)))
        })
    }
}

/// Session timeouts: idle and absolute, configurable.
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
    pub const STAFF_DEFAULT: SessionLimits = SessionLimits { idle_seconds: 15 * 60, max_seconds: 8 * 3600 };

    fn from_env(idle_var: &'static str, max_var: &'static str, d: SessionLimits) -> Result<Self, ConfigError> {
        Ok(SessionLimits {
            idle_seconds: number(idle_var, d.idle_seconds / 60, 1..=24 * 60)? * 60,
            max_seconds: number(max_var, d.max_seconds / 3600, 1..=24 * 30)? * 3600,
        })
    }

    /// Whether a session started at `created_at` and last used at `last_seen_at` has ended.
    pub fn ended(&self, created_at: i64, last_seen_at: i64, now: i64) -> bool {
        now - last_seen_at > self.idle_seconds || now - created_at > self.max_seconds
    }

    /// How stale `last_seen_at` may get before a request refreshes it (saves a write per request).
    pub fn refresh_after(&self) -> i64 {
        (self.idle_seconds / 10).clamp(1, 60)
    }
}

/// Brute-force protection of ログイン (README.md "Security notes"): configurable, safe defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Consecutive failures of one login ID before each further try must wait (2, 4 … 32 s).
    pub delay_after: i64,
    /// Consecutive failures that lock the login ID (`LOGIN_LOCK_AFTER`).
    pub lock_after: i64,
    /// How long a lock lasts (`LOGIN_LOCK_MINUTES`).
    pub lock_seconds: i64,
}

/// Per client address and hour: past these, the public form also asks for the 認証文字
/// (`backend::challenge`). Never a refusal: a company's members share one office address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientLimits {
    /// Failed logins (`LOGIN_CLIENT_CAPTCHA_AFTER`; successful logins do not count).
    pub login_failures: i64,
    /// 新規利用登録 step 1 (`REGISTRATION_CLIENT_CAPTCHA_AFTER`).
    pub registrations: i64,
    /// ログインID・パスワード忘れた方 (`FORGOT_CLIENT_CAPTCHA_AFTER`).
    pub resets: i64,
}

impl Default for ClientLimits {
    fn default() -> Self {
        Self { login_failures: 30, registrations: 30, resets: 20 }
    }
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self { delay_after: 5, lock_after: 10, lock_seconds: 15 * 60 }
    }
}

impl LoginLimits {
    /// Seconds to wait after the `failures`-th consecutive failure.
    pub fn delay_seconds(&self, failures: i64) -> i64 {
        if failures < self.delay_after {
            0
        } else {
            1i64 << (failures - self.delay_after + 1).min(5)
        }
    }
}

/// A whole-number setting in `allowed` (`default` when unset); the error says what is allowed.
fn number(name: &'static str, default: i64, allowed: std::ops::RangeInclusive<i64>) -> Result<i64, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(v) => v.parse::<i64>().ok().filter(|n| allowed.contains(n)).ok_or_else(|| ConfigError::Invalid {
            name,
            reason: format!("{v:?} is not allowed: a whole number from {} to {} (default {default})", allowed.start(), allowed.end()),
        }),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db?mode=rwc";
/// The sample society of a fresh checkout: a portal others can reach must name its own.
pub const SAMPLE_SOCIETY_NAME: &str = "サンプル健康保険組合";
pub const SAMPLE_INSURER_NUMBER: &str = "06000000";
pub const SAMPLE_SOCIETY_CONTACT: &str = "サンプル健康保険組合 適用課 電話 03-0000-0000（平日 9:00～17:00）";

/// `a@b` of `Name <a@b>` (or the whole value).
fn address_of(mailbox: &str) -> &str {
    match (mailbox.rfind('<'), mailbox.rfind('>')) {
        (Some(start), Some(end)) if start < end => &mailbox[start + 1..end],
        _ => mailbox.trim(),
    }
}

/// `TRUSTED_PROXIES`: addresses or CIDR networks separated by commas or spaces.
pub fn parse_networks(list: &str) -> Result<Vec<ipnet::IpNet>, String> {
    list.split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("{item:?} is not an address or a network (e.g. 10.0.0.5 or 10.0.0.0/24)"))
        })
        .collect()
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl Config {
    /// Until when a member who became 資格喪失 at `lost_at` may still read (unix seconds).
    pub fn readable_until(&self, lost_at: i64) -> i64 {
        let months = chrono::Months::new(self.documents_after_leaving_months);
        chrono::DateTime::from_timestamp(lost_at, 0).and_then(|t| t.checked_add_months(months)).map_or(lost_at, |t| t.timestamp())
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        let site_addr: SocketAddr = var("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| ConfigError::Invalid { name: "LEPTOS_SITE_ADDR", reason: format!("{e}") })?;
        let public_url = var("PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}")).trim_end_matches('/').to_string();
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
            society_name: var("SOCIETY_NAME").unwrap_or_else(|| SAMPLE_SOCIETY_NAME.into()),
            society_contact: var("SOCIETY_CONTACT").unwrap_or_else(|| SAMPLE_SOCIETY_CONTACT.into()),
            insurer_number: match var("INSURER_NUMBER") {
                None => SAMPLE_INSURER_NUMBER.into(),
                Some(n) if n.len() == 8 && n.bytes().all(|b| b.is_ascii_digit()) => n,
                Some(n) => {
                    return Err(ConfigError::Invalid {
                        name: "INSURER_NUMBER",
                        reason: format!("{n:?} is not allowed: the society's 保険者番号, 8 digits (e.g. 06123456)"),
                    })
                }
            },
            captcha_test_answer: var("CAPTCHA_TEST_ANSWER"),
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            client_limits: {
                let d = ClientLimits::default();
                ClientLimits {
                    login_failures: number("LOGIN_CLIENT_CAPTCHA_AFTER", d.login_failures, 1..=100_000)?,
                    registrations: number("REGISTRATION_CLIENT_CAPTCHA_AFTER", d.registrations, 1..=100_000)?,
                    resets: number("FORGOT_CLIENT_CAPTCHA_AFTER", d.resets, 1..=100_000)?,
                }
            },
            trusted_proxies: match var("TRUSTED_PROXIES") {
                None => Vec::new(),
                Some(list) => parse_networks(&list).map_err(|reason| ConfigError::Invalid { name: "TRUSTED_PROXIES", reason })?,
            },
            secret_key: match var("SECRET_KEY") {
                Some(k) if k.len() < 32 => {
                    return Err(ConfigError::Invalid { name: "SECRET_KEY", reason: "must be at least 32 characters".into() })
                }
                other => other,
            },
            secret_key_old: match var("SECRET_KEY_OLD") {
                None => Vec::new(),
                Some(list) => {
                    let keys: Vec<String> = list.split(',').map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect();
                    if keys.iter().any(|k| k.len() < 32) {
                        return Err(ConfigError::Invalid {
                            name: "SECRET_KEY_OLD",
                            reason: "each key must be at least 32 characters".into(),
                        });
                    }
                    keys
                }
            },
            sessions: SessionLimits::from_env("SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", SessionLimits::default())?,
            staff_sessions: SessionLimits::from_env("STAFF_SESSION_IDLE_MINUTES", "STAFF_SESSION_MAX_HOURS", SessionLimits::STAFF_DEFAULT)?,
            staff_networks: match var("STAFF_ALLOWED_NETWORKS") {
                None => None,
                Some(list) => {
                    Some(parse_networks(&list).map_err(|reason| ConfigError::Invalid { name: "STAFF_ALLOWED_NETWORKS", reason })?)
                }
            },
            mail_rate_per_minute: number("MAIL_RATE_PER_MINUTE", 600, 1..=100_000)?,
            metrics_addr: match var("METRICS_ADDR") {
                None => None,
                Some(addr) => Some(addr.parse().map_err(|_| ConfigError::Invalid {
                    name: "METRICS_ADDR",
                    reason: format!("{addr:?} is not allowed: an address and port, e.g. 127.0.0.1:9100 (default: off)"),
                })?),
            },
            consent: match var("CONTENT_DIR") {
                None => ConsentDocuments::samples(),
                Some(dir) => ConsentDocuments::from_dir(&dir)?,
            },
            staff_require_passkey: match var("STAFF_REQUIRE_PASSKEY").as_deref() {
                None | Some("false") => false,
                Some("true") => true,
                Some(other) => {
                    return Err(ConfigError::Invalid {
                        name: "STAFF_REQUIRE_PASSKEY",
                        reason: format!("{other:?} is not allowed: false (default) or true"),
                    })
                }
            },
            member_2fa_required: match var("MEMBER_2FA").as_deref() {
                None | Some("optional") => false,
                Some("required") => true,
                Some(other) => {
                    return Err(ConfigError::Invalid {
                        name: "MEMBER_2FA",
                        reason: format!("{other:?} is not allowed: optional (default) or required"),
                    })
                }
            },
            medical_keep_years: number("MEDICAL_KEEP_YEARS", 5, 1..=10)? as u32,
            benefit_keep_years: number("BENEFIT_KEEP_YEARS", 5, 1..=10)? as u32,
            documents_after_leaving_months: number("DOCUMENTS_AFTER_LEAVING_MONTHS", 15, 0..=60)? as u32,
            pdf_fonts: (
                var("PDF_FONT").unwrap_or_else(|| DEFAULT_PDF_FONTS.0.into()).into(),
                var("PDF_FONT_BOLD").unwrap_or_else(|| DEFAULT_PDF_FONTS.1.into()).into(),
            ),
            login_limits: {
                let d = LoginLimits::default();
                LoginLimits {
                    delay_after: number("LOGIN_DELAY_AFTER", d.delay_after, 1..=100)?,
                    lock_after: number("LOGIN_LOCK_AFTER", d.lock_after, 1..=1000)?,
                    lock_seconds: number("LOGIN_LOCK_MINUTES", d.lock_seconds / 60, 1..=24 * 60)? * 60,
                }
            },
        })
    }

    /// Whether only this machine can reach the portal: it listens on loopback, no proxy
    /// forwards to it and its public address is a loopback one. The test helpers
    /// (`CAPTCHA_TEST_ANSWER`, the dev inbox) exist only then.
    pub fn is_local_only(&self) -> bool {
        let public_host = self.public_url.split_once("://").map_or("", |(_, rest)| rest);
        let public_host = public_host.split(['/', '?', '#']).next().unwrap_or("");
        let public_host =
            public_host.rsplit_once(':').filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit())).map_or(public_host, |(h, _)| h);
        let public_loopback = public_host.eq_ignore_ascii_case("localhost")
            || public_host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        // A proxy on this machine counts only with an https loopback PUBLIC_URL, which is never a
        // default: behind nginx with PUBLIC_URL forgotten the portal gets http://127.0.0.1:3000
        // and none of the test helpers. (The production test topology: deploy/README.md.)
        let proxies_local = self.trusted_proxies.is_empty()
            || (self.is_https() && self.trusted_proxies.iter().all(|p| p.addr().is_loopback() && p.prefix_len() == p.max_prefix_len()));
        self.site_addr.ip().is_loopback() && proxies_local && public_loopback
    }

    /// Mails go to the local dev inbox: no SMTP configured and local only.
    pub fn uses_dev_inbox(&self) -> bool {
        self.smtp_url.is_none() && self.is_local_only()
    }

    /// The CAPTCHA answer of automated tests, only when the portal is local only.
    pub fn captcha_test_answer(&self) -> Option<&str> {
        self.captcha_test_answer.as_deref().filter(|_| self.is_local_only())
    }

    /// Checks the combinations that are unsafe to serve with.
    pub fn check_serving(&self) -> Result<(), ConfigError> {
        if self.captcha_test_answer.is_some() && !self.is_local_only() {
            return Err(ConfigError::Invalid {
                name: "CAPTCHA_TEST_ANSWER",
                reason: "is only allowed when the server listens on loopback, PUBLIC_URL is a loopback URL and no TRUSTED_PROXIES are set"
                    .into(),
            });
        }
        if !self.is_local_only() {
            if !self.is_https() {
                return Err(ConfigError::Invalid {
                    name: "PUBLIC_URL",
                    reason: format!("{:?} must start with https:// when the portal is reachable from other machines (members' passwords and session cookies)", self.public_url),
                });
            }
            for (name, value, sample) in [
                ("SOCIETY_NAME", &self.society_name, SAMPLE_SOCIETY_NAME),
                ("SOCIETY_CONTACT", &self.society_contact, SAMPLE_SOCIETY_CONTACT),
                ("INSURER_NUMBER", &self.insurer_number, SAMPLE_INSURER_NUMBER),
            ] {
                if value.contains(sample) || value.contains("03-0000-0000") {
                    return Err(ConfigError::Invalid {
                        name,
                        reason: format!("is still the sample ({value:?}): set the society's own (shown on every page and in every mail)"),
                    });
                }
            }
            if self.secret_key.is_none() {
                return Err(ConfigError::Invalid {
                    name: "SECRET_KEY",
                    reason: "must be set when the portal is reachable from other machines: kept only in the database, a copy of the database would carry the key that seals the second factors (`openssl rand -hex 32`, the same for every instance)".into(),
                });
            }
            if self.consent.is_sample() {
                return Err(ConfigError::Invalid {
                    name: "CONTENT_DIR",
                    reason: format!(
                        "the 利用規約 or 個人情報の取扱い is still the sample (it says {SAMPLE_MARK}): copy content/ to CONTENT_DIR and write the society's own"
                    ),
                });
            }
        }
        if self.smtp_url.is_none() && !self.is_local_only() {
            return Err(ConfigError::Invalid {
                name: "SMTP_URL",
                reason: "must be set unless the portal is local only (loopback address and PUBLIC_URL, no TRUSTED_PROXIES): the dev inbox is for this machine".into(),
            });
        }
        Ok(())
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(site: &str, public: &str, proxies: &str) -> Config {
        Config {
            database_url: DEFAULT_DATABASE_URL.into(),
            site_addr: site.parse().unwrap(),
            public_url: public.into(),
            smtp_url: None,
            mail_from: "a@b".into(),
            society_name: String::new(),
            society_contact: String::new(),
            insurer_number: SAMPLE_INSURER_NUMBER.into(),
            inquiry_to: "a@b".into(),
            captcha_test_answer: Some("X".into()),
            site_root: String::new(),
            login_limits: LoginLimits::default(),
            sessions: SessionLimits::default(),
            client_limits: ClientLimits::default(),
            trusted_proxies: parse_networks(proxies).unwrap(),
            secret_key: None,
            secret_key_old: Vec::new(),
            staff_sessions: SessionLimits::STAFF_DEFAULT,
            staff_networks: None,
            mail_rate_per_minute: 600,
            metrics_addr: None,
            consent: ConsentDocuments::samples(),
            member_2fa_required: false,
            staff_require_passkey: false,
            medical_keep_years: 5,
            benefit_keep_years: 5,
            documents_after_leaving_months: 15,
            pdf_fonts: (DEFAULT_PDF_FONTS.0.into(), DEFAULT_PDF_FONTS.1.into()),
        }
    }

    #[test]
    fn test_helpers_only_when_nothing_but_this_machine_reaches_the_portal() {
        for (site, public, proxies, local) in [
            ("127.0.0.1:3000", "http://127.0.0.1:3000", "", true),
            ("127.0.0.1:3000", "http://localhost:3000/", "", true),
            ("[::1]:3000", "http://[::1]:3000", "", true),
            ("0.0.0.0:3000", "http://127.0.0.1:3000", "", false),
            ("127.0.0.1:3000", "https://portal.example.jp", "", false),
            ("127.0.0.1:3000", "http://127.0.0.1.evil.example", "", false),
            ("127.0.0.1:3000", "http://127.0.0.1:3000", "127.0.0.1", false),
            ("127.0.0.1:3001", "https://127.0.0.1:8443", "127.0.0.1", true),
            ("127.0.0.1:3001", "https://127.0.0.1:8443", "127.0.0.0/8", false),
            ("127.0.0.1:3001", "https://127.0.0.1:8443", "127.0.0.1, 10.0.0.5", false),
            ("127.0.0.1:3001", "https://portal.example.jp", "127.0.0.1", false),
        ] {
            let c = config(site, public, proxies);
            assert_eq!(c.is_local_only(), local, "{site} {public} {proxies}");
            assert_eq!(c.captcha_test_answer().is_some(), local);
            assert_eq!(c.uses_dev_inbox(), local);
            assert_eq!(c.check_serving().is_ok(), local);
        }
    }

    #[test]
    fn a_portal_others_reach_needs_https_and_its_own_society() {
        let mut c = config("0.0.0.0:3000", "https://portal.kenpo.example.jp", "");
        (c.captcha_test_answer, c.smtp_url) = (None, Some("smtp://relay:25".into()));
        (c.society_name, c.society_contact) = ("ミライ健康保険組合".into(), "適用課 電話 03-1111-2222".into());
        c.insurer_number = "06123456".into();
        let own = |text: &str| Document::parse(text).unwrap();
        c.consent = ConsentDocuments::new(own("第1版\n## 第1条\n本文"), own("第1版\n本文"));
        let refused = |c: &Config| c.check_serving().unwrap_err().to_string();
        assert!(refused(&c).starts_with("SECRET_KEY is not valid: must be set"), "{}", refused(&c));
        c.secret_key = Some("k".repeat(64));
        assert!(c.check_serving().is_ok());
        let mut sample = c.clone();
        sample.insurer_number = SAMPLE_INSURER_NUMBER.into();
        assert!(refused(&sample).starts_with("INSURER_NUMBER is not valid: is still the sample"), "{}", refused(&sample));
        let mut sample = c.clone();
        sample.consent = ConsentDocuments::new(c.consent.terms.clone(), ConsentDocuments::samples().privacy);
        assert!(
            refused(&sample).starts_with("CONTENT_DIR is not valid: the 利用規約 or 個人情報の取扱い is still the sample"),
            "{}",
            refused(&sample)
        );
        let mut sample = c.clone();
        sample.society_contact = SAMPLE_SOCIETY_CONTACT.into();
        assert!(refused(&sample).starts_with("SOCIETY_CONTACT is not valid: is still the sample"), "{}", refused(&sample));
        let mut sample = c.clone();
        sample.society_name = SAMPLE_SOCIETY_NAME.into();
        assert!(refused(&sample).starts_with("SOCIETY_NAME"), "{}", refused(&sample));
        let mut plain = c.clone();
        plain.public_url = "http://portal.kenpo.example.jp".into();
        assert!(refused(&plain).contains("must start with https://"), "{}", refused(&plain));
        // This machine only: the sample and plain http are fine (the README's first command).
        let local = config("127.0.0.1:3000", "http://127.0.0.1:3000", "");
        assert_eq!((local.society_name.as_str(), local.check_serving().is_ok()), ("", true));
    }

    #[test]
    fn consent_files_come_from_content_dir_and_a_broken_one_names_the_file() {
        let dir = std::env::temp_dir().join(format!("portal-content-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("terms.txt"), "第3版\n本文").unwrap();
        let missing = ConsentDocuments::from_dir(dir.to_str().unwrap()).unwrap_err().to_string();
        assert!(missing.starts_with("CONTENT_DIR is not valid: ") && missing.contains("privacy.txt"), "{missing}");
        std::fs::write(dir.join("privacy.txt"), "\n本文").unwrap();
        let broken = ConsentDocuments::from_dir(dir.to_str().unwrap()).unwrap_err().to_string();
        assert!(broken.contains("privacy.txt: the first line must be the version"), "{broken}");
        std::fs::write(dir.join("privacy.txt"), "第2版\n本文").unwrap();
        let read = ConsentDocuments::from_dir(dir.to_str().unwrap()).unwrap();
        assert_eq!(read.key, "利用規約 第3版 / 個人情報の取扱い 第2版");
        assert!(!read.is_sample() && ConsentDocuments::samples().is_sample());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_number_out_of_range_says_what_is_allowed() {
        // SAFETY (set_var): this test alone uses this variable name.
        unsafe { std::env::set_var("CONFIG_TEST_NUMBER", "1000000") };
        let e = number("CONFIG_TEST_NUMBER", 5, 1..=100).unwrap_err().to_string();
        assert_eq!(e, "CONFIG_TEST_NUMBER is not valid: \"1000000\" is not allowed: a whole number from 1 to 100 (default 5)");
        unsafe { std::env::set_var("CONFIG_TEST_NUMBER", "7") };
        assert_eq!(number("CONFIG_TEST_NUMBER", 5, 1..=100).unwrap(), 7);
        unsafe { std::env::remove_var("CONFIG_TEST_NUMBER") };
        assert_eq!(number("CONFIG_TEST_NUMBER", 5, 1..=100).unwrap(), 5);
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let n = parse_networks("10.0.0.5, 192.168.0.0/16 ::1").unwrap();
        assert_eq!(n.len(), 3);
        assert!(n[1].contains(&"192.168.3.4".parse::<std::net::IpAddr>().unwrap()));
        assert!(parse_networks("10.0.0.300").is_err());
        assert!(parse_networks("").unwrap().is_empty());
    }
}
