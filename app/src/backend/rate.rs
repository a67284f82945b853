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

/// What the limits of a public form that mails an address decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Too many requests from this client: the member is told to wait.
    ClientLimited,
    /// Too many mails to this address: dropped silently (the page looks the same), so the
    /// form cannot be used to flood someone's mailbox nor to probe who is registered.
    AddressLimited,
}

impl Gate {
    /// The answer for a request that did not pass: the form's message, or the usual page.
    pub fn answer(self, limited_message: &str) -> Result<(), crate::error::AppError> {
        match self {
            Self::ClientLimited => Err(crate::error::AppError::Limited(limited_message.into())),
            _ => Ok(()),
        }
    }
}

/// Counts and records one request of a public form (`form` names its counters and the
/// audit events `{form}_limited` / `{form}_mail_dropped` written when it does not pass).
pub async fn public_form(
    tx: &mut sqlx::Transaction<'_, Any>,
    form: &str,
    client_ip: Option<&str>,
    address_norm: &str,
    now: i64,
    per_client_hour: i64,
    per_address_hour: i64,
) -> Result<Gate, sqlx::Error> {
    let client_key = key(&format!("{form}-client"), client_ip.unwrap_or("unknown"));
    let address_key = key(&format!("{form}-mail"), address_norm);
    let gate = if count(&mut **tx, &client_key, now, 3600).await? >= per_client_hour {
        Gate::ClientLimited
    } else {
        record(&mut **tx, &client_key, now).await?;
        if count(&mut **tx, &address_key, now, 3600).await? >= per_address_hour { Gate::AddressLimited } else { Gate::Open }
    };
    let event = match gate {
        Gate::Open => {
            record(&mut **tx, &address_key, now).await?;
            return Ok(gate);
        }
        Gate::ClientLimited => format!("{form}_limited"),
        Gate::AddressLimited => format!("{form}_mail_dropped"),
    };
    super::audit::record(&mut **tx, now, super::audit::AuditEvent { event: &event, subject: Some(address_norm), client_ip, ..Default::default() }).await?;
    Ok(gate)
}
