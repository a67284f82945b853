//! Rate limits on public forms, counted in the database so that every server instance sees
//! the same counts. Each count is one atomic upsert that returns the new value, so requests
//! sent at once are each counted (README.md "Security notes").

use sqlx::{Any, Executor};

/// Counts one event for `key` and returns how many there were in the current window
/// (this one included). The window starts with its first event and lasts `window` seconds.
pub async fn hit<'c, E: Executor<'c, Database = Any>>(exec: E, key: &str, now: i64, window: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "INSERT INTO rate_counters (key, window_start, count) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           count = CASE WHEN rate_counters.window_start <= $3 THEN 1 ELSE rate_counters.count + 1 END, \
           window_start = CASE WHEN rate_counters.window_start <= $3 THEN $2 ELSE rate_counters.window_start END \
         RETURNING count",
    )
    .bind(key)
    .bind(now)
    .bind(now - window)
    .fetch_one(exec)
    .await?;
    Ok(n)
}

/// Takes back one event (e.g. a login that succeeded after it was counted as a failure).
pub async fn unhit<'c, E: Executor<'c, Database = Any>>(exec: E, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE rate_counters SET count = count - 1 WHERE key = $1 AND count > 0").bind(key).execute(exec).await?;
    Ok(())
}

/// The events of the current window, without counting one.
pub async fn current<'c, E: Executor<'c, Database = Any>>(exec: E, key: &str, now: i64, window: i64) -> Result<i64, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT count FROM rate_counters WHERE key = $1 AND window_start > $2")
        .bind(key)
        .bind(now - window)
        .fetch_optional(exec)
        .await?;
    Ok(row.map_or(0, |(n,)| n))
}

/// The client a per-client limit counts: an IPv4 address as it is, an IPv6 address by its /64
/// (one subscriber's network: a client with a /64 would otherwise have 2^64 fresh counters).
pub fn client(ip: Option<&str>) -> String {
    match ip.map(str::parse::<std::net::IpAddr>) {
        Some(Ok(std::net::IpAddr::V6(v6))) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(Ok(std::net::IpAddr::V6(v6))) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
        Some(Ok(v4)) => v4.to_string(),
        Some(Err(_)) => ip.unwrap_or("unknown").to_string(),
        None => "unknown".to_string(),
    }
}

/// The key of a subject (address, client): a keyed hash, so the table holds no personal data.
pub fn key(kind: &str, subject: &str) -> String {
    format!("{kind}:{}", super::secret::subject_hash(subject))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ipv6_clients_count_by_their_64() {
        assert_eq!(super::client(Some("2001:db8:1:2:aaaa::1")), super::client(Some("2001:db8:1:2:ffff:1:2:3")));
        assert_eq!(super::client(Some("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_ne!(super::client(Some("2001:db8:1:2::1")), super::client(Some("2001:db8:1:3::1")));
        assert_eq!(super::client(Some("203.0.113.9")), "203.0.113.9");
        assert_eq!(super::client(Some("::ffff:203.0.113.9")), "203.0.113.9");
        assert_eq!(super::client(None), "unknown");
    }
}
