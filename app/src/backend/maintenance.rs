//! Housekeeping the mail worker runs about once an hour: forget what has expired, so
//! the tables stay small and no stale secrets or counters linger.

use crate::backend::identity::session;
use crate::backend::platform::{Config, Db};

/// How often the worker prunes.
pub const EVERY_SECONDS: i64 = 3600;
/// Finished or expired registrations are kept a week for support questions, then deleted.
pub const REGISTRATION_RETENTION: i64 = 7 * 86_400;

/// Deletes expired sessions (members' and staff), CAPTCHAs, rate and throttle counters, old
/// registrations, and 医療費 lines past `MEDICAL_KEEP_YEARS`.
pub async fn prune(db: &Db, now: i64, config: &Config) -> Result<u64, sqlx::Error> {
    let mut deleted = session::MEMBERS.prune(db, config, now).await? + session::STAFF.prune(db, config, now).await?;
    for (sql, cutoff) in [
        ("DELETE FROM captchas_used WHERE expires_at < $1", now),
        ("DELETE FROM rate_counters WHERE window_start < $1", now - 86_400),
        ("DELETE FROM login_throttle WHERE last_failure_at < $1 AND locked_until < $1", now - 86_400),
        ("DELETE FROM registrations WHERE expires_at < $1", now - REGISTRATION_RETENTION),
        ("DELETE FROM email_changes WHERE expires_at < $1", now),
        ("DELETE FROM password_resets WHERE expires_at < $1", now - 86_400),
    ] {
        deleted += sqlx::query(sql).bind(cutoff).execute(db).await?.rows_affected();
    }
    crate::backend::identity::captcha::forget_quiet_clients();
    let this_month = crate::domain::medical::Month::of_unix_jst(now);
    deleted += crate::backend::documents::medical::prune(db, now, this_month, config.medical_keep_years).await?;
    deleted += crate::backend::documents::benefits::prune(db, now, &benefit_cutoff(now, config.benefit_keep_years)).await?;
    Ok(deleted)
}

/// The first 決定日 still kept: today (JST) `years` back.
fn benefit_cutoff(now: i64, years: u32) -> String {
    use chrono::Datelike;
    let today = chrono::NaiveDate::parse_from_str(&crate::backend::platform::clock::jst(now, "%Y-%m-%d"), "%Y-%m-%d").unwrap_or_default();
    let back = today.with_year(today.year() - years as i32).unwrap_or_else(|| today - chrono::Duration::days(365 * years as i64));
    back.to_string()
}
