//! Agreement to 利用規約 and 個人情報の取扱い (`Config::consent`): recorded with the versions
//! agreed to; a member whose record differs from the current versions is led to `/consent`
//! (`SessionMember::forced_path`) before anything else.

use crate::backend::audit;

use crate::backend::platform::{AppState, Work};
use crate::error::AppError;
use crate::text::consent as text;

/// Checks what the form sent: the box ticked, for the versions the server serves now (a page
/// shown before the society published a new version is not an agreement to the new one).
pub fn check_agreement(state: &AppState, agreed: bool, shown_key: &str) -> Result<(), AppError> {
    if !agreed {
        return Err(AppError::Invalid { fields: vec![("agree".into(), text::AGREE_REQUIRED.into())], message: None });
    }
    if shown_key != state.config.consent.key {
        return Err(AppError::Invalid { fields: vec![("agree".into(), text::CHANGED.into())], message: None });
    }
    Ok(())
}

/// Records the agreement to the current versions, and audits it with them (the society can
/// show what each member agreed to and when), in the caller's unit of work.
pub async fn record(work: &mut Work<'_>, account_id: &str) -> Result<(), sqlx::Error> {
    let key = &work.state.config.consent.key;
    sqlx::query("UPDATE accounts SET consent_version = $1, consent_at = $2 WHERE id = $3")
        .bind(key)
        .bind(work.now)
        .bind(account_id)
        .execute(&mut *work.tx)
        .await?;
    let event = audit::AuditEvent { account_id: Some(account_id), detail: Some(key), ..audit::AuditEvent::of(audit::Event::ConsentAgreed) };
    work.audit(event).await
}

/// `/consent`: the agreement of a logged-in member.
pub async fn agree(state: &AppState, client_ip: Option<&str>, account_id: &str) -> Result<(), sqlx::Error> {
    let mut work = Work::begin(state, "consent.agree").await?.from_client(client_ip);
    record(&mut work, account_id).await?;
    work.commit().await
}

/// Whether the member agreed to earlier versions (then `/consent` says what changed).
pub async fn agreed_before(state: &AppState, account_id: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT consent_version FROM accounts WHERE id = $1").bind(account_id).fetch_optional(&state.db).await?;
    Ok(row.and_then(|(v,)| v).is_some())
}
