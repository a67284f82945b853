//! パスキー (WebAuthn, `webauthn-rs`) for members and staff alike: the relying party of this
//! portal, the stored passkeys of an owner, and the ceremonies in progress.
//!
//! Every ceremony's state stays on the server (`webauthn_ceremonies`): one use (taken by a
//! conditional delete, so two finishes at once get one success), [`CEREMONY_SECONDS`], bound to
//! the hash of the cookie that began it (a session, a waiting login, or a login page's own
//! cookie). The relying party is the host of `PUBLIC_URL` and its origin; user verification is
//! required. The flows themselves are `members::passkeys` and `staff::passkeys`.

use crate::backend::platform::ids::{hash_token, new_token};
use crate::backend::platform::AppState;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::*;

pub use crate::api::PasskeyStep as Step;

/// How long a ceremony may take (the browser's own timeout is the same).
pub const CEREMONY_SECONDS: i64 = 5 * 60;
/// Passkeys one member or staff member may hold.
pub const MAX_PER_OWNER: i64 = 10;
/// A passkey's name, as its owner chose it.
pub const NAME_MAX: usize = 30;

/// Whose passkeys: a member's account or a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    Member(&'a str),
    Staff(&'a str),
}

impl Owner<'_> {
    fn column(self) -> &'static str {
        match self {
            Self::Member(_) => "account_id",
            Self::Staff(_) => "staff_id",
        }
    }

    fn id(&self) -> &str {
        match self {
            Self::Member(id) | Self::Staff(id) => id,
        }
    }

    /// The ceremony table's owner: one column for both (staff and member ids never meet).
    fn key(&self) -> String {
        match self {
            Self::Member(id) => format!("member:{id}"),
            Self::Staff(id) => format!("staff:{id}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    /// The assertion or the registration did not verify, the ceremony is unknown, spent or
    /// expired, or the passkey is not (any more) its owner's: one answer for all.
    #[error("the passkey was not accepted")]
    Failed,
    #[error("name: {0}")]
    Name(&'static str),
    #[error("too many passkeys")]
    TooMany,
    #[error("unknown passkey")]
    Unknown,
    #[error(transparent)]
    Login(#[from] crate::backend::identity::throttle::LoginError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl Step {
    pub fn done() -> Self {
        Self { done: true, ..Self::default() }
    }

    pub fn go(to: &str) -> Self {
        Self { go: Some(to.to_string()), ..Self::default() }
    }

    fn get(options: &RequestChallengeResponse) -> Self {
        Self { get: Some(serde_json::to_string(options).expect("serialises")), ..Self::default() }
    }
}

/// The relying party of this portal: id = the host of `PUBLIC_URL`, origin = `PUBLIC_URL`.
pub fn relying_party(state: &AppState) -> Result<Webauthn, PasskeyError> {
    let origin = Url::parse(&state.config.public_url).map_err(|_| PasskeyError::Failed)?;
    let host = origin.host_str().ok_or(PasskeyError::Failed)?.to_string();
    WebauthnBuilder::new(&host, &origin)
        .and_then(|b| b.rp_name(crate::text::PRODUCT_NAME).timeout(std::time::Duration::from_secs(CEREMONY_SECONDS as u64)).build())
        .map_err(|e| {
            tracing::error!(error = %e, "PUBLIC_URL is no relying party for passkeys (a domain name is needed)");
            PasskeyError::Failed
        })
}

/// A name as typed: trimmed, present, short enough.
pub fn check_name(typed: &str) -> Result<String, PasskeyError> {
    let name = crate::domain::trim_spaces(typed);
    if name.is_empty() {
        return Err(PasskeyError::Name(crate::text::passkey::NAME_REQUIRED));
    }
    if name.chars().count() > NAME_MAX {
        return Err(PasskeyError::Name(crate::text::passkey::NAME_TOO_LONG));
    }
    Ok(name.to_string())
}

// ---------------------------------------------------------------- ceremonies

/// What a ceremony is for (its row's `purpose`: a finish takes only its own kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Proving an existing passkey before a change.
    Confirm,
    /// Creating a new passkey.
    Add,
    /// The second step of a login after its password.
    Second,
    /// A login with the passkey alone.
    Login,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Add => "add",
            Self::Second => "second",
            Self::Login => "login",
        }
    }
}

/// What a confirmed change will do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Add { name: String },
    Remove { id: String },
}

/// A ceremony's row: the webauthn-rs state and what to do once it finished.
#[derive(Serialize, Deserialize)]
pub struct Ceremony {
    state: serde_json::Value,
    pub change: Option<Change>,
    /// Where to go after a login; the user handle of a registration.
    pub next: Option<String>,
}

impl Ceremony {
    pub fn of<T: Serialize>(state: &T, change: Option<Change>, next: Option<String>) -> Self {
        Self { state: serde_json::to_value(state).expect("serialises"), change, next }
    }

    fn state<T: serde::de::DeserializeOwned>(&self) -> Result<T, PasskeyError> {
        serde_json::from_value(self.state.clone()).map_err(|_| PasskeyError::Failed)
    }
}

/// Starts a ceremony bound to `bound_to` (a cookie's token); one per binding (a new one replaces it).
pub async fn begin(
    state: &AppState,
    purpose: Purpose,
    bound_to: &str,
    owner: Option<Owner<'_>>,
    ceremony: &Ceremony,
) -> Result<(), sqlx::Error> {
    let now = state.clock.now();
    let binding = hash_token(bound_to);
    let mut tx = state.db.begin().await?;
    sqlx::query("DELETE FROM webauthn_ceremonies WHERE bound_to = $1 OR created_at <= $2")
        .bind(&binding)
        .bind(now - CEREMONY_SECONDS)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO webauthn_ceremonies (id, purpose, bound_to, owner, state, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(new_token())
        .bind(purpose.code())
        .bind(&binding)
        .bind(owner.map(|o| o.key()))
        .bind(serde_json::to_string(ceremony).expect("serialises"))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// The purpose of the ceremony bound to `bound_to`, if one is waiting.
pub async fn waiting(state: &AppState, bound_to: &str) -> Result<Option<Purpose>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT purpose FROM webauthn_ceremonies WHERE bound_to = $1")
        .bind(hash_token(bound_to))
        .fetch_optional(&state.db)
        .await?;
    Ok(row.and_then(|(p,)| [Purpose::Confirm, Purpose::Add, Purpose::Second, Purpose::Login].into_iter().find(|k| k.code() == p)))
}

/// The staff member a waiting ceremony of `bound_to` belongs to (a staff login's second step
/// is bound to a cookie of its own, not to a session).
pub async fn staff_of(state: &AppState, bound_to: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT owner FROM webauthn_ceremonies WHERE bound_to = $1")
        .bind(hash_token(bound_to))
        .fetch_optional(&state.db)
        .await?;
    Ok(row.and_then(|(o,)| o).and_then(|o| o.strip_prefix("staff:").map(str::to_string)))
}

/// Takes the ceremony of `bound_to` if it is `purpose`'s and `owner`'s (once: of two finishes
/// at once, one gets it).
pub async fn take(state: &AppState, purpose: Purpose, bound_to: &str, owner: Option<Owner<'_>>) -> Result<Ceremony, PasskeyError> {
    let now = state.clock.now();
    let row: Option<(Option<String>, String)> =
        sqlx::query_as("DELETE FROM webauthn_ceremonies WHERE bound_to = $1 AND purpose = $2 AND created_at > $3 RETURNING owner, state")
            .bind(hash_token(bound_to))
            .bind(purpose.code())
            .bind(now - CEREMONY_SECONDS)
            .fetch_optional(&state.db)
            .await?;
    let (stored_owner, json) = row.ok_or(PasskeyError::Failed)?;
    if stored_owner != owner.map(|o| o.key()) {
        return Err(PasskeyError::Failed);
    }
    serde_json::from_str(&json).map_err(|_| PasskeyError::Failed)
}

// ---------------------------------------------------------------- stored passkeys

/// One registered passkey, as the owner's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Registered {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub sign_count: i64,
    pub backup_eligible: i64,
    pub backup_state: i64,
}

/// A stored passkey with what verifies it.
#[derive(sqlx::FromRow)]
pub struct Row {
    pub id: String,
    pub account_id: Option<String>,
    user_handle: String,
    passkey: String,
}

impl Row {
    fn passkey(&self) -> Result<Passkey, PasskeyError> {
        serde_json::from_str(&self.passkey).map_err(|_| PasskeyError::Failed)
    }
}

async fn rows_of(state: &AppState, owner: Owner<'_>) -> Result<Vec<Row>, sqlx::Error> {
    let sql = format!("SELECT id, account_id, user_handle, passkey FROM passkeys WHERE {} = $1 ORDER BY created_at, id", owner.column());
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(owner.id()).fetch_all(&state.db).await
}

fn passkeys_of(rows: &[Row]) -> Result<Vec<Passkey>, PasskeyError> {
    rows.iter().map(Row::passkey).collect()
}

/// The owner's passkeys, oldest first.
pub async fn list(state: &AppState, owner: Owner<'_>) -> Result<Vec<Registered>, sqlx::Error> {
    let sql = format!(
        "SELECT id, name, created_at, last_used_at, sign_count, backup_eligible, backup_state FROM passkeys WHERE {} = $1 ORDER BY created_at, id",
        owner.column()
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(owner.id()).fetch_all(&state.db).await
}

/// How many passkeys the owner has.
pub async fn count<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(conn: E, owner: Owner<'_>) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM passkeys WHERE {} = $1", owner.column());
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(owner.id()).fetch_one(conn).await?;
    Ok(n)
}

/// Removes one of the owner's passkeys (in the caller's transaction); `false`: not theirs.
pub async fn remove(tx: &mut sqlx::Transaction<'_, sqlx::Any>, owner: Owner<'_>, id: &str) -> Result<bool, sqlx::Error> {
    let sql = format!("DELETE FROM passkeys WHERE id = $1 AND {} = $2", owner.column());
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(owner.id()).execute(&mut **tx).await?.rows_affected() == 1)
}

/// Removes every passkey of the owner (退会, a 2段階認証リセット), in the caller's transaction.
pub async fn remove_all(tx: &mut sqlx::Transaction<'_, sqlx::Any>, owner: Owner<'_>) -> Result<u64, sqlx::Error> {
    let sql = format!("DELETE FROM passkeys WHERE {} = $1", owner.column());
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(owner.id()).execute(&mut **tx).await?.rows_affected())
}

/// Records a verified use: the counter and the backup flags the authenticator reported.
pub async fn used(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    row: &Row,
    result: &AuthenticationResult,
    now: i64,
) -> Result<(), PasskeyError> {
    let mut passkey = row.passkey()?;
    passkey.update_credential(result);
    sqlx::query(
        "UPDATE passkeys SET passkey = $1, sign_count = $2, backup_eligible = $3, backup_state = $4, last_used_at = $5 WHERE id = $6",
    )
    .bind(serde_json::to_string(&passkey).expect("serialises"))
    .bind(i64::from(result.counter()))
    .bind(i64::from(result.backup_eligible()))
    .bind(i64::from(result.backup_state()))
    .bind(now)
    .bind(&row.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- the ceremonies' two halves

/// Asks the browser for one of the owner's passkeys (a change's confirmation, a second step),
/// bound to `bound_to`. `Failed` when the owner has none.
pub async fn ask_assertion(
    state: &AppState,
    purpose: Purpose,
    bound_to: &str,
    owner: Owner<'_>,
    change: Option<Change>,
) -> Result<Step, PasskeyError> {
    let rows = rows_of(state, owner).await?;
    if rows.is_empty() {
        return Err(PasskeyError::Failed);
    }
    let (options, auth) = relying_party(state)?.start_passkey_authentication(&passkeys_of(&rows)?).map_err(|_| PasskeyError::Failed)?;
    begin(state, purpose, bound_to, Some(owner), &Ceremony::of(&auth, change, None)).await?;
    Ok(Step::get(&options))
}

/// Checks the browser's assertion against the ceremony and the owner's stored passkey.
pub async fn check_assertion(
    state: &AppState,
    ceremony: &Ceremony,
    response: &str,
    owner: Owner<'_>,
) -> Result<(Row, AuthenticationResult), PasskeyError> {
    let credential: PublicKeyCredential = serde_json::from_str(response).map_err(|_| PasskeyError::Failed)?;
    let auth: PasskeyAuthentication = ceremony.state()?;
    let id = URL_SAFE_NO_PAD.encode(credential.get_credential_id());
    let row = rows_of(state, owner).await?.into_iter().find(|r| r.id == id).ok_or(PasskeyError::Failed)?;
    let result = relying_party(state)?.finish_passkey_authentication(&credential, &auth).map_err(|e| {
        tracing::info!(error = %e, "a passkey assertion did not verify");
        PasskeyError::Failed
    })?;
    Ok((row, result))
}

/// Asks the browser to create a passkey for the owner (`user_name`/`display_name` as the
/// authenticator will show them), discoverable, bound to `bound_to`.
pub async fn ask_creation(
    state: &AppState,
    bound_to: &str,
    owner: Owner<'_>,
    user_name: &str,
    display_name: &str,
    name: String,
) -> Result<Step, PasskeyError> {
    let rows = rows_of(state, owner).await?;
    // One user handle per owner: what a discoverable login returns to name them.
    let handle = rows.first().map(|r| r.user_handle.clone()).unwrap_or_else(|| Uuid::new_v4().to_string());
    let uuid = Uuid::parse_str(&handle).map_err(|_| PasskeyError::Failed)?;
    let exclude = passkeys_of(&rows)?.iter().map(|p| p.cred_id().clone()).collect();
    let (options, registration) =
        relying_party(state)?.start_passkey_registration(uuid, user_name, display_name, Some(exclude)).map_err(|_| PasskeyError::Failed)?;
    // A passkey the phone can offer without an ID typed (a discoverable credential).
    let mut options = serde_json::to_value(&options).expect("serialises");
    options["publicKey"]["authenticatorSelection"]["residentKey"] = "required".into();
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = true.into();
    begin(state, Purpose::Add, bound_to, Some(owner), &Ceremony::of(&registration, Some(Change::Add { name }), Some(handle))).await?;
    Ok(Step { create: Some(options.to_string()), ..Step::default() })
}

/// Stores the credential the browser created for `ceremony` (taken by the caller before its
/// transaction), inside that transaction. A credential already registered (to anyone) is
/// refused: never moved.
pub async fn store_creation(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    state: &AppState,
    ceremony: Ceremony,
    owner: Owner<'_>,
    response: &str,
    now: i64,
) -> Result<(), PasskeyError> {
    let (Some(Change::Add { name }), Some(handle)) = (ceremony.change.clone(), ceremony.next.clone()) else {
        return Err(PasskeyError::Failed);
    };
    let registration: PasskeyRegistration = ceremony.state()?;
    let credential: RegisterPublicKeyCredential = serde_json::from_str(response).map_err(|_| PasskeyError::Failed)?;
    let passkey = relying_party(state)?.finish_passkey_registration(&credential, &registration).map_err(|e| {
        tracing::info!(error = %e, "a passkey registration did not verify");
        PasskeyError::Failed
    })?;
    // What the authenticator reported (webauthn-rs keeps the credential's internals opaque).
    let flags = serde_json::to_value(&passkey).expect("serialises");
    let flag = |name: &str| i64::from(flags["cred"][name].as_bool().unwrap_or(false));
    let (account_id, staff_id) = match owner {
        Owner::Member(id) => (Some(id), None),
        Owner::Staff(id) => (None, Some(id)),
    };
    let inserted = sqlx::query(
        "INSERT INTO passkeys (id, account_id, staff_id, user_handle, name, passkey, sign_count, backup_eligible, backup_state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
    )
    .bind(URL_SAFE_NO_PAD.encode(passkey.cred_id().as_slice()))
    .bind(account_id)
    .bind(staff_id)
    .bind(&handle)
    .bind(&name)
    .bind(serde_json::to_string(&passkey).expect("serialises"))
    .bind(flags["cred"]["counter"].as_i64().unwrap_or(0))
    .bind(flag("backup_eligible"))
    .bind(flag("backup_state"))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() != 1 {
        return Err(PasskeyError::Failed);
    }
    Ok(())
}

/// 「パスキーでログイン」 of members: a discoverable credential, no ID typed.
pub async fn ask_discoverable(state: &AppState, bound_to: &str, next: &str) -> Result<Step, PasskeyError> {
    let (mut options, auth) = relying_party(state)?.start_discoverable_authentication().map_err(|_| PasskeyError::Failed)?;
    // A button press, not the autofill list (conditional mediation).
    options.mediation = None;
    begin(state, Purpose::Login, bound_to, None, &Ceremony::of(&auth, None, Some(crate::domain::safe_next(next).to_string()))).await?;
    Ok(Step::get(&options))
}

/// The member's passkey a discoverable assertion names (before it is verified: the caller
/// counts the attempt under that account's login ID first), with the ceremony.
pub async fn identify_discoverable(state: &AppState, bound_to: &str, response: &str) -> Result<(Row, Ceremony), PasskeyError> {
    let ceremony = take(state, Purpose::Login, bound_to, None).await?;
    let credential: PublicKeyCredential = serde_json::from_str(response).map_err(|_| PasskeyError::Failed)?;
    let (handle, cred_id) = relying_party(state)?.identify_discoverable_authentication(&credential).map_err(|_| PasskeyError::Failed)?;
    let row: Option<Row> =
        sqlx::query_as("SELECT id, account_id, user_handle, passkey FROM passkeys WHERE id = $1 AND account_id IS NOT NULL")
            .bind(URL_SAFE_NO_PAD.encode(cred_id))
            .fetch_optional(&state.db)
            .await?;
    let row = row.filter(|r| r.user_handle == handle.to_string()).ok_or(PasskeyError::Failed)?;
    Ok((row, ceremony))
}

/// Verifies a discoverable assertion against the passkey [`identify_discoverable`] found.
pub fn check_discoverable(state: &AppState, ceremony: Ceremony, row: &Row, response: &str) -> Result<AuthenticationResult, PasskeyError> {
    let credential: PublicKeyCredential = serde_json::from_str(response).map_err(|_| PasskeyError::Failed)?;
    let auth: DiscoverableAuthentication = ceremony.state()?;
    let key = DiscoverableKey::from(row.passkey()?);
    relying_party(state)?.finish_discoverable_authentication_v2(&credential, auth, &key).map_err(|e| {
        tracing::info!(error = %e, "a discoverable passkey assertion did not verify");
        PasskeyError::Failed
    })
}

impl From<PasskeyError> for crate::error::AppError {
    fn from(e: PasskeyError) -> Self {
        use crate::backend::identity::throttle::LoginError;
        use crate::error::AppError;
        use crate::text::passkey as text;
        match e {
            PasskeyError::Failed => AppError::form(text::FAILED),
            PasskeyError::Name(m) => AppError::field("name", crate::domain::FieldError::new(m)),
            PasskeyError::TooMany => AppError::form(text::TOO_MANY),
            PasskeyError::Unknown => AppError::form(text::UNKNOWN),
            PasskeyError::Login(LoginError::Wrong) => {
                AppError::field("current_password", crate::domain::FieldError::new(crate::text::settings::REAUTH_WRONG))
            }
            PasskeyError::Login(e) => e.into(),
            PasskeyError::Db(e) => e.into(),
        }
    }
}
