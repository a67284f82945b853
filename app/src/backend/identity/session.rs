//! Server-side sessions, one algorithm for both kinds of principal (members: `sessions`,
//! staff: `staff_sessions`): only the token's hash is stored, every instance sees the same rows,
//! and a session ends after its idle or absolute timeout whatever the cookie says.

use crate::backend::audit::{AuditEvent, Event};
use crate::backend::platform::config::SessionLimits;
use crate::backend::platform::ids::{hash_token, new_token};
use crate::backend::platform::{AppState, Client, Config, Db, Work};
use sqlx::{Any, Executor};

/// Where one kind of principal keeps its sessions: the statements of its table, written once
/// (`store!`) for both tables, and its timeouts.
pub struct Store {
    open: &'static str,
    resolve: &'static str,
    refresh: &'static str,
    end: &'static str,
    end_all_but: &'static str,
    end_by_handle: &'static str,
    list: &'static str,
    prune: &'static str,
    limits: fn(&Config) -> SessionLimits,
}

/// A `Store` of `$table`, whose column `$owner` names the principal.
macro_rules! store {
    ($table:literal, $owner:literal, $limits:expr) => {
        Store {
            open: concat!(
                "INSERT INTO ",
                $table,
                " (id_hash, ",
                $owner,
                ", created_at, last_seen_at, client_ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5)"
            ),
            resolve: concat!("SELECT ", $owner, ", created_at, last_seen_at FROM ", $table, " WHERE id_hash = $1"),
            refresh: concat!("UPDATE ", $table, " SET last_seen_at = $1 WHERE id_hash = $2"),
            end: concat!("DELETE FROM ", $table, " WHERE id_hash = $1 RETURNING ", $owner),
            end_all_but: concat!("DELETE FROM ", $table, " WHERE ", $owner, " = $1 AND id_hash <> $2"),
            end_by_handle: concat!("DELETE FROM ", $table, " WHERE ", $owner, " = $1 AND substr(id_hash, 1, 16) = $2"),
            list: concat!(
                "SELECT id_hash, user_agent, client_ip, created_at, last_seen_at FROM ",
                $table,
                " WHERE ",
                $owner,
                " = $1 AND last_seen_at >= $2 AND created_at >= $3 ORDER BY last_seen_at DESC"
            ),
            prune: concat!("DELETE FROM ", $table, " WHERE last_seen_at < $1 OR created_at < $2"),
            limits: $limits,
        }
    };
}

pub const MEMBERS: Store = store!("sessions", "account_id", |c| c.sessions);
pub const STAFF: Store = store!("staff_sessions", "staff_id", |c| c.staff_sessions);

/// One live session of a principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Names the session in a form (see `handle_of`).
    pub handle: String,
    pub user_agent: Option<String>,
    pub client_ip: Option<String>,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The session of the request that asked.
    pub current: bool,
}

impl SessionRow {
    /// As ログイン中の端末 shows it (members and staff alike).
    pub fn device(self) -> crate::api::DeviceSession {
        crate::api::DeviceSession {
            device: crate::domain::device_name(self.user_agent.as_deref().unwrap_or(""))
                .unwrap_or_else(|| crate::text::settings::UNKNOWN_DEVICE.to_string()),
            logged_in: crate::backend::platform::clock::jst(self.created_at, "%Y/%m/%d %H:%M"),
            last_seen: crate::backend::platform::clock::jst(self.last_seen_at, "%Y/%m/%d %H:%M"),
            handle: self.handle,
            current: self.current,
        }
    }
}

/// The handle that names a session in a form: a prefix of its stored hash (not the secret).
fn handle_of(id_hash: &str) -> String {
    id_hash[..16].to_string()
}

impl Store {
    /// Opens a session for `owner` (inside the caller's transaction); returns its token.
    pub async fn open<'c, E: Executor<'c, Database = Any>>(
        &self,
        exec: E,
        owner: &str,
        client: &Client<'_>,
        now: i64,
    ) -> Result<String, sqlx::Error> {
        let token = new_token();
        sqlx::query(self.open)
            .bind(hash_token(&token))
            .bind(owner)
            .bind(now)
            .bind(client.ip)
            .bind(client.user_agent.map(|ua| ua.chars().take(256).collect::<String>()))
            .execute(exec)
            .await?;
        Ok(token)
    }

    /// The principal of a live session, refreshing its idle clock (at most once a minute); a
    /// session past its timeouts is deleted and resolves to nobody.
    pub async fn resolve(&self, state: &AppState, token: &str) -> Result<Option<String>, sqlx::Error> {
        let now = state.clock.now();
        let id_hash = hash_token(token);
        let row: Option<(String, i64, i64)> = sqlx::query_as(self.resolve).bind(&id_hash).fetch_optional(&state.db).await?;
        let Some((owner, created_at, last_seen_at)) = row else { return Ok(None) };
        let limits = (self.limits)(&state.config);
        if limits.ended(created_at, last_seen_at, now) {
            self.end(&state.db, token).await?;
            return Ok(None);
        }
        if now - last_seen_at >= limits.refresh_after() {
            sqlx::query(self.refresh).bind(now).bind(&id_hash).execute(&state.db).await?;
        }
        Ok(Some(owner))
    }

    /// Ends one session (ログアウト, or a principal no longer allowed in); returns whose it was.
    pub async fn end<'c, E: Executor<'c, Database = Any>>(&self, exec: E, token: &str) -> Result<Option<String>, sqlx::Error> {
        let ended: Option<(String,)> = sqlx::query_as(self.end).bind(hash_token(token)).fetch_optional(exec).await?;
        Ok(ended.map(|(owner,)| owner))
    }

    /// Ends every session of `owner` except `keep` (a session token); returns how many ended.
    pub async fn end_all_but<'c, E: Executor<'c, Database = Any>>(
        &self,
        exec: E,
        owner: &str,
        keep: Option<&str>,
    ) -> Result<u64, sqlx::Error> {
        let keep = keep.map(hash_token).unwrap_or_default();
        Ok(sqlx::query(self.end_all_but).bind(owner).bind(keep).execute(exec).await?.rows_affected())
    }

    /// 「ログアウトさせる」: ends the session of `owner` named by `handle` (never another
    /// principal's); returns whether one ended.
    pub async fn end_by_handle<'c, E: Executor<'c, Database = Any>>(
        &self,
        exec: E,
        owner: &str,
        handle: &str,
    ) -> Result<bool, sqlx::Error> {
        if handle.len() != 16 || !handle.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        Ok(sqlx::query(self.end_by_handle).bind(owner).bind(handle).execute(exec).await?.rows_affected() > 0)
    }

    /// 「ログアウトさせる」 in ログイン中の端末: ends one of `owner`'s sessions by its handle (never
    /// another owner's), audited as `event` under the work's member or staff member.
    pub async fn end_device(&self, work: &mut Work<'_>, owner: &str, handle: &str, event: Event) -> Result<(), sqlx::Error> {
        if self.end_by_handle(&mut *work.tx, owner, handle).await? {
            work.audit(AuditEvent::of(event)).await?;
        }
        Ok(())
    }

    /// 「他の端末をすべてログアウト」: every session of `owner` but `current_token`'s, audited as
    /// `event` with how many ended.
    pub async fn end_other_devices(&self, work: &mut Work<'_>, owner: &str, current_token: &str, event: Event) -> Result<(), sqlx::Error> {
        let ended = self.end_all_but(&mut *work.tx, owner, Some(current_token)).await?;
        work.audit(AuditEvent::with_detail(event, &format!("ended={ended}"))).await
    }

    /// The live sessions of `owner`: the one of `current_token` first, then the most recently used.
    pub async fn list(&self, state: &AppState, owner: &str, current_token: Option<&str>) -> Result<Vec<SessionRow>, sqlx::Error> {
        let limits = (self.limits)(&state.config);
        let now = state.clock.now();
        let current = current_token.map(hash_token);
        #[derive(sqlx::FromRow)]
        struct Stored {
            id_hash: String,
            user_agent: Option<String>,
            client_ip: Option<String>,
            created_at: i64,
            last_seen_at: i64,
        }
        let rows: Vec<Stored> = sqlx::query_as(self.list)
            .bind(owner)
            .bind(now - limits.idle_seconds)
            .bind(now - limits.max_seconds)
            .fetch_all(&state.db)
            .await?;
        let mut rows: Vec<SessionRow> = rows
            .into_iter()
            .map(|r| SessionRow {
                current: current.as_deref() == Some(r.id_hash.as_str()),
                handle: handle_of(&r.id_hash),
                user_agent: r.user_agent,
                client_ip: r.client_ip,
                created_at: r.created_at,
                last_seen_at: r.last_seen_at,
            })
            .collect();
        rows.sort_by_key(|r| !r.current);
        Ok(rows)
    }

    /// Deletes the sessions past their timeouts (the worker's housekeeping).
    pub async fn prune(&self, db: &Db, config: &Config, now: i64) -> Result<u64, sqlx::Error> {
        let limits = (self.limits)(config);
        Ok(sqlx::query(self.prune).bind(now - limits.idle_seconds).bind(now - limits.max_seconds).execute(db).await?.rows_affected())
    }
}
