//! パスキー of members (`identity::webauthn`): registered and removed in セキュリティ設定 after
//! the password and an existing factor, the second step after the password (in place of the
//! code), and a login with the passkey alone (a discoverable credential: no ID typed). A failed
//! assertion counts toward the login ID's lock like a wrong code, with one message.

use crate::backend::identity::throttle::{Attempt, LoginError};
use crate::backend::identity::webauthn::{self, Owner, Purpose};
use crate::backend::mail::letters;
use crate::backend::members::{login, two_step};
use crate::backend::platform::{AppState, Client, Work};

pub use crate::backend::identity::webauthn::{Change, PasskeyError, Registered, Step, CEREMONY_SECONDS};

/// The account's passkeys, oldest first.
pub async fn list(state: &AppState, account_id: &str) -> Result<Vec<Registered>, sqlx::Error> {
    webauthn::list(state, Owner::Member(account_id)).await
}

/// Whether the account has any passkey (a second step is asked after the password).
pub async fn any<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(conn: E, account_id: &str) -> Result<bool, sqlx::Error> {
    Ok(webauthn::count(conn, Owner::Member(account_id)).await? > 0)
}

/// Removes every passkey of an account (the staff's 2段階認証リセット), in the caller's transaction.
pub async fn remove_all(tx: &mut sqlx::Transaction<'_, sqlx::Any>, account_id: &str) -> Result<u64, sqlx::Error> {
    webauthn::remove_all(tx, Owner::Member(account_id)).await
}

// ---------------------------------------------------------------- セキュリティ設定

/// Begins adding or removing a passkey: the current password, then an existing factor — the
/// code (or a backup code) when an authenticator app is set, else one of the passkeys (the
/// browser is asked for it), else the password was the only factor. Returns what the browser
/// does next. The password's count stays until every factor was right.
pub async fn begin_change(
    state: &AppState,
    client_ip: Option<&str>,
    member: &login::SessionMember,
    session_token: &str,
    password: &str,
    code: &str,
    change: Change,
) -> Result<Step, PasskeyError> {
    let owner = Owner::Member(&member.account_id);
    let change = match change {
        Change::Add { name } => {
            let name = webauthn::check_name(&name)?;
            if webauthn::count(&state.db, owner).await? >= webauthn::MAX_PER_OWNER {
                return Err(PasskeyError::TooMany);
            }
            Change::Add { name }
        }
        Change::Remove { id } => {
            if !list(state, &member.account_id).await?.iter().any(|p| p.id == id) {
                return Err(PasskeyError::Unknown);
            }
            Change::Remove { id }
        }
    };
    let attempt = login::password_attempt(state, client_ip, member, password).await?;
    let code_owner = two_step::CodeOwner::of(&state.db, &member.account_id).await?;
    if code_owner.secret().is_some() {
        let (code_attempt, _) = two_step::check_code(state, client_ip, &code_owner, code).await?;
        code_attempt.cleared(&state.db).await?;
        return confirmed(state, client_ip, member, session_token, change).await;
    }
    if !any(&state.db, &member.account_id).await? {
        attempt.cleared(&state.db).await?;
        return confirmed(state, client_ip, member, session_token, change).await;
    }
    webauthn::ask_assertion(state, Purpose::Confirm, session_token, owner, Some(change)).await
}

/// The browser's answer to the step [`begin_change`] (or this) asked: an existing passkey
/// (then the change goes on), or the new credential (then it is stored).
pub async fn finish_change(
    state: &AppState,
    client_ip: Option<&str>,
    member: &login::SessionMember,
    session_token: &str,
    response: &str,
) -> Result<Step, PasskeyError> {
    let owner = Owner::Member(&member.account_id);
    match webauthn::waiting(state, session_token).await? {
        Some(Purpose::Confirm) => {
            let ceremony = webauthn::take(state, Purpose::Confirm, session_token, Some(owner)).await?;
            let code_owner = two_step::CodeOwner::of(&state.db, &member.account_id).await?;
            let attempt = Attempt::begin(state, client_ip, &code_owner.login_id_norm).await?;
            let Ok((row, result)) = webauthn::check_assertion(state, &ceremony, response, owner).await else {
                let locked = attempt.failed(Some(&member.account_id), code_owner.email1.as_deref()).await?;
                return Err(if locked { LoginError::Locked.into() } else { PasskeyError::Failed });
            };
            let mut work = Work::begin(state, "passkeys.confirm").await?.from_client(client_ip);
            attempt.succeeded(&mut work.tx).await?;
            webauthn::used(&mut work.tx, &row, &result, work.now).await?;
            work.commit().await?;
            let change = ceremony.change.ok_or(PasskeyError::Failed)?;
            confirmed(state, client_ip, member, session_token, change).await
        }
        Some(Purpose::Add) => {
            let ceremony = webauthn::take(state, Purpose::Add, session_token, Some(owner)).await?;
            let mut work = Work::begin(state, "passkeys.add").await?.from_client(client_ip);
            let now = work.now;
            webauthn::store_creation(&mut work.tx, state, ceremony, owner, response, now).await?;
            let email1 = two_step::address_1(&mut work.tx, &member.account_id).await?;
            two_step::changed(&mut work, member, Some(session_token), email1.as_deref(), letters::TwoStepChange::PasskeyAdded).await?;
            work.commit().await?;
            Ok(Step::done())
        }
        _ => Err(PasskeyError::Failed),
    }
}

/// Every factor of the change was right: a new passkey's creation begins, or one is removed.
async fn confirmed(
    state: &AppState,
    client_ip: Option<&str>,
    member: &login::SessionMember,
    session_token: &str,
    change: Change,
) -> Result<Step, PasskeyError> {
    let owner = Owner::Member(&member.account_id);
    match change {
        Change::Add { name } => webauthn::ask_creation(state, session_token, owner, &member.login_id, &member.name, name).await,
        Change::Remove { id } => {
            let mut work = Work::begin(state, "passkeys.remove").await?.from_client(client_ip);
            if !webauthn::remove(&mut work.tx, owner, &id).await? {
                return Err(PasskeyError::Unknown);
            }
            let email1 = two_step::address_1(&mut work.tx, &member.account_id).await?;
            two_step::changed(&mut work, member, Some(session_token), email1.as_deref(), letters::TwoStepChange::PasskeyRemoved).await?;
            work.commit().await?;
            Ok(Step::done())
        }
    }
}

// ---------------------------------------------------------------- login

/// The second step of a waiting login (`/login/code`): the account's passkeys to choose from.
pub async fn begin_second(state: &AppState, waiting_token: &str) -> Result<Step, PasskeyError> {
    let account_id = two_step::waiting_account(state, waiting_token).await?.ok_or(PasskeyError::Failed)?;
    webauthn::ask_assertion(state, Purpose::Second, waiting_token, Owner::Member(&account_id), None).await
}

/// The passkey of a waiting login: the session opens (token, where to go). A failure counts
/// like a wrong code.
pub async fn finish_second(
    state: &AppState,
    client: &Client<'_>,
    waiting_token: &str,
    response: &str,
) -> Result<(String, String), PasskeyError> {
    let account_id = two_step::waiting_account(state, waiting_token).await?.ok_or(PasskeyError::Failed)?;
    let owner = Owner::Member(&account_id);
    let ceremony = webauthn::take(state, Purpose::Second, waiting_token, Some(owner)).await?;
    let code_owner = two_step::CodeOwner::of(&state.db, &account_id).await?;
    let attempt = Attempt::begin(state, client.ip, &code_owner.login_id_norm).await?;
    let Ok((row, result)) = webauthn::check_assertion(state, &ceremony, response, owner).await else {
        let locked = attempt.failed(Some(&account_id), code_owner.email1.as_deref()).await?;
        return Err(if locked { LoginError::Locked.into() } else { PasskeyError::Failed });
    };
    let mut work = Work::begin(state, "passkeys.second").await?.from_client(client.ip);
    let next = two_step::end_waiting(&mut work.tx, waiting_token, &account_id).await?.ok_or(PasskeyError::Failed)?;
    attempt.succeeded(&mut work.tx).await?;
    webauthn::used(&mut work.tx, &row, &result, work.now).await?;
    let session = login::open_session(&mut work, client, &account_id, Some("passkey")).await?;
    work.commit().await?;
    Ok((session, next))
}

/// 「パスキーでログイン」: `bound_to` is the login page's own cookie (`edge::cookies::PASSKEY`).
pub async fn begin_login(state: &AppState, bound_to: &str, next: &str) -> Result<Step, PasskeyError> {
    webauthn::ask_discoverable(state, bound_to, next).await
}

/// The discoverable assertion: the session of its account opens (token, where to go), if the
/// account may log in (as with a password: not 利用停止, not past its 資格喪失 months).
pub async fn finish_login(state: &AppState, client: &Client<'_>, bound_to: &str, response: &str) -> Result<(String, String), PasskeyError> {
    let (row, ceremony) = webauthn::identify_discoverable(state, bound_to, response).await?;
    let account_id = row.account_id.clone().ok_or(PasskeyError::Failed)?;
    let next = ceremony.next.clone().unwrap_or_else(|| "/home".into());
    let code_owner = two_step::CodeOwner::of(&state.db, &account_id).await?;
    let attempt = Attempt::begin(state, client.ip, &code_owner.login_id_norm).await?;
    let verified = webauthn::check_discoverable(state, ceremony, &row, response);
    let result = match verified {
        Ok(result) if login::may_log_in(state, &account_id).await? => result,
        _ => {
            let locked = attempt.failed(Some(&account_id), code_owner.email1.as_deref()).await?;
            return Err(if locked { LoginError::Locked.into() } else { PasskeyError::Failed });
        }
    };
    let mut work = Work::begin(state, "passkeys.login").await?.from_client(client.ip);
    attempt.succeeded(&mut work.tx).await?;
    webauthn::used(&mut work.tx, &row, &result, work.now).await?;
    let session = login::open_session(&mut work, client, &account_id, Some("passkey")).await?;
    work.commit().await?;
    Ok((session, next))
}
