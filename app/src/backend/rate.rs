//! Rate limits on public forms: events counted per key in a sliding window,
//! in the database so that every server instance sees the same counts.

use sqlx::{Any, Executor};

/// Counts events for `key` in the last `window` seconds.
pub async fn count<'c, E: Executor<'c, Database = Any>>(exec: E, key: &str, now: i64, window: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM rate_events WHERE key = $1 AND at > $2")
        .bind(key)
        .bind(now - window)
        .fetch_one(exec)
        .await?;
    Ok(n)
}

pub async fn record<'c, E: Executor<'c, Database = Any>>(exec: E, key: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO rate_events (key, at) VALUES ($1, $2)").bind(key).bind(now).execute(exec).await?;
    Ok(())
}

/// The key of a subject (address, client): hashed so the table holds no personal data.
pub fn key(kind: &str, subject: &str) -> String {
    format!("{kind}:{}", super::audit::subject_hash(subject))
}
