//! One schema for SQLite and PostgreSQL through sqlx's Any driver
//! (the SQL both accept: `$n` parameters, `ON CONFLICT … DO`, `RETURNING`, integer times).

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

pub type Db = AnyPool;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("the database schema cannot be migrated (is it from a newer version of this server?): {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Opens a pool; for SQLite, creates the file's directory and sets WAL,
/// a busy timeout and foreign keys on every connection.
pub async fn connect(url: &str) -> Result<Db, DbError> {
    install_default_drivers();
    let sqlite = url.starts_with("sqlite:");
    if sqlite {
        if let Some(dir) = sqlite_dir(url) {
            std::fs::create_dir_all(&dir).map_err(|source| DbError::DataDir { path: dir.clone(), source })?;
        }
    }
    AnyPoolOptions::new()
        .max_connections(if sqlite { 4 } else { 16 })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(DbError::Connect)
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails with
/// SQLITE_BUSY_SNAPSHOT when another connection wrote in between, without waiting.
pub async fn begin(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if db.connect_options().database_url.scheme() == "sqlite" {
        db.begin_with("BEGIN IMMEDIATE").await
    } else {
        db.begin().await
    }
}

/// Applies pending migrations; fails on a schema with migrations this build does not know.
pub async fn migrate(db: &Db) -> Result<(), DbError> {
    MIGRATOR.run(db).await?;
    Ok(())
}

/// The database's schema against this build's migrations (`/readyz`, `server check-config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaState {
    Current,
    /// Migrations of this build not applied yet (`serve` or `server migrate` applies them).
    Behind {
        pending: usize,
    },
    /// Migrated by a newer build: this one must not serve it.
    Ahead {
        version: i64,
    },
}

impl std::fmt::Display for SchemaState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Current => write!(f, "current"),
            Self::Behind { pending } => write!(f, "{pending} migration(s) of this build not applied"),
            Self::Ahead { version } => write!(f, "migration {version} is unknown to this build"),
        }
    }
}

pub async fn schema_state(db: &Db) -> Result<SchemaState, sqlx::Error> {
    let applied: Vec<(i64,)> = match sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(db).await {
        Ok(rows) => rows,
        // A database nothing was migrated into yet.
        Err(sqlx::Error::Database(e)) if e.message().contains("_sqlx_migrations") => Vec::new(),
        Err(e) => return Err(e),
    };
    let known: std::collections::HashSet<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    if let Some(&(version,)) = applied.iter().find(|(v,)| !known.contains(v)) {
        return Ok(SchemaState::Ahead { version });
    }
    let pending = known.len() - applied.len().min(known.len());
    Ok(if pending == 0 { SchemaState::Current } else { SchemaState::Behind { pending } })
}

/// Why `server backup` could not write its copy.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("DATABASE_URL is PostgreSQL: back it up with pg_dump (README.md \"Backups\")")]
    NotSqlite,
    #[error("{0} exists already: choose a new file name")]
    Exists(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// An online, consistent copy of a SQLite database in one new file (`VACUUM INTO`): requests go
/// on meanwhile, and the copy is a database the server opens as it is.
pub async fn backup_sqlite(db: &Db, to: &std::path::Path) -> Result<(), BackupError> {
    let mut conn = db.acquire().await?;
    if !conn.backend_name().eq_ignore_ascii_case("sqlite") {
        return Err(BackupError::NotSqlite);
    }
    // Created empty first, readable by its owner only (it holds every member's data); SQLite
    // writes into an empty file.
    let mut create = std::fs::OpenOptions::new();
    create.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
    if create.open(to).is_err() {
        return Err(BackupError::Exists(to.display().to_string()));
    }
    sqlx::query("VACUUM INTO $1").bind(to.to_string_lossy().into_owned()).execute(&mut *conn).await?;
    Ok(())
}

pub async fn connect_and_migrate(url: &str) -> Result<Db, DbError> {
    let db = connect(url).await?;
    migrate(&db).await?;
    Ok(db)
}

/// The turn of everything that writes the roster, the family or the 資格情報のお知らせ issued
/// from them.
pub const ROSTERS_TURN: &str = "rosters";

/// Waits for, and takes until the transaction ends, the turn `name` (a row of `turns`): writers
/// that read rows and then change them, on PostgreSQL, take turns so each reads what the one
/// before committed. (SQLite's `BEGIN IMMEDIATE` already lets one writer in at a time.)
pub async fn take_turn(tx: &mut sqlx::Transaction<'_, sqlx::Any>, name: &str) -> Result<(), sqlx::Error> {
    let done = sqlx::query("UPDATE turns SET taken = taken + 1 WHERE name = $1").bind(name).execute(&mut **tx).await?;
    if done.rows_affected() != 1 {
        return Err(sqlx::Error::RowNotFound);
    }
    Ok(())
}

/// A value of [`insert_rows`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(Option<String>),
    Int(i64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Self::Text(Some(s.to_string()))
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Self::Text(Some(s))
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        Self::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}

fn is_postgres(tx: &sqlx::Transaction<'_, sqlx::Any>) -> bool {
    tx.backend_name().eq_ignore_ascii_case("postgresql")
}

/// Bound values per SQLite statement (its limit is 32,766; fewer keep a statement's text small).
const SQLITE_VALUES: usize = 6_000;
/// Rows per PostgreSQL statement (one JSON text each).
const PG_ROWS: usize = 5_000;

/// Inserts many rows in few statements: SQLite gets multi-row VALUES with anonymous `?` (it
/// looks numbered ones up by a linear scan per value), PostgreSQL one JSON text per chunk that
/// `json_to_recordset` unpacks. `columns` are (name, PostgreSQL type: text | bigint); `tail`
/// follows the insert (`ON CONFLICT …` or "").
pub async fn insert_rows(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &str,
    columns: &[(&str, &str)],
    rows: &[Vec<Cell>],
    tail: &str,
) -> Result<(), sqlx::Error> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let names = names.join(", ");
    if is_postgres(tx) {
        let types: Vec<String> = columns.iter().map(|(n, t)| format!("{n} {t}")).collect();
        let sql =
            format!("INSERT INTO {table} ({names}) SELECT {names} FROM json_to_recordset($1::json) AS r({}) {tail}", types.join(", "));
        for chunk in rows.chunks(PG_ROWS) {
            let records: Vec<serde_json::Map<String, serde_json::Value>> = chunk
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .zip(row)
                        .map(|((name, _), cell)| {
                            let value = match cell {
                                Cell::Text(t) => t.clone().map_or(serde_json::Value::Null, serde_json::Value::String),
                                Cell::Int(n) => serde_json::Value::from(*n),
                            };
                            (name.to_string(), value)
                        })
                        .collect()
                })
                .collect();
            let json = serde_json::to_string(&records).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(json).execute(&mut **tx).await?;
        }
        return Ok(());
    }
    let tuple = format!("({})", vec!["?"; columns.len()].join(","));
    for chunk in rows.chunks((SQLITE_VALUES / columns.len().max(1)).max(1)) {
        let sql = format!("INSERT INTO {table} ({names}) VALUES {} {tail}", vec![tuple.as_str(); chunk.len()].join(","));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for cell in chunk.iter().flatten() {
            query = match cell {
                Cell::Text(t) => query.bind(t.clone()),
                Cell::Int(n) => query.bind(*n),
            };
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Deletes the rows of `table` whose (`a`, `b`) is one of `keys`, in few statements.
pub async fn delete_pairs(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &str,
    (a, b): (&str, &str),
    keys: &[(String, String)],
) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    if is_postgres(tx) {
        let sql =
            format!("DELETE FROM {table} WHERE ({a}, {b}) IN (SELECT r.a, r.b FROM json_to_recordset($1::json) AS r(a text, b text))");
        for chunk in keys.chunks(PG_ROWS) {
            let records: Vec<serde_json::Value> = chunk.iter().map(|(x, y)| serde_json::json!({ "a": x, "b": y })).collect();
            let json = serde_json::to_string(&records).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            deleted += sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(json).execute(&mut **tx).await?.rows_affected();
        }
        return Ok(deleted);
    }
    for chunk in keys.chunks(SQLITE_VALUES / 2) {
        let sql = format!("DELETE FROM {table} WHERE ({a}, {b}) IN (VALUES {})", vec!["(?,?)"; chunk.len()].join(","));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (x, y) in chunk {
            query = query.bind(x.clone()).bind(y.clone());
        }
        deleted += query.execute(&mut **tx).await?.rows_affected();
    }
    Ok(deleted)
}

/// The directory of a `sqlite://path/to/file.db?...` URL, if it has one.
fn sqlite_dir(url: &str) -> Option<String> {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    let parent = std::path::Path::new(path).parent()?;
    let parent = parent.to_str()?;
    (!parent.is_empty()).then(|| parent.to_string())
}

/// The unique rules of the schema a member's request can run into, told apart in one place
/// for both databases (as realworld-axum-sqlx's `on_constraint`): each service turns them into
/// its own error, and the edge into a field message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    /// `accounts.login_id_norm`
    LoginId,
    /// `accounts (kigo, bango)`: one account per member.
    MemberAccount,
    /// `account_emails.email_norm`: an address belongs to one account.
    Email,
    /// Any other unique key (a double submit of the same row).
    Other,
}

/// Which unique rule an error broke, if it is a unique violation. PostgreSQL names the
/// constraint or index (`accounts_login_id_norm_key`); SQLite names the columns in its
/// message (`UNIQUE constraint failed: accounts.login_id_norm`).
pub fn unique_violation(err: &sqlx::Error) -> Option<Unique> {
    let sqlx::Error::Database(e) = err else { return None };
    if !e.is_unique_violation() {
        return None;
    }
    let named = e.constraint().map_or_else(|| e.message().replace(['.', ','], "_").replace(' ', ""), str::to_string);
    Some(if named.contains("accounts_login_id_norm") {
        Unique::LoginId
    } else if named.contains("accounts_kigo") {
        Unique::MemberAccount
    } else if named.contains("account_emails_norm") || named.contains("account_emails_email_norm") {
        Unique::Email
    } else {
        Unique::Other
    })
}

#[cfg(test)]
mod tests {
    use super::sqlite_dir;

    #[test]
    fn sqlite_dir_of_urls() {
        assert_eq!(sqlite_dir("sqlite://data/portal.db?mode=rwc").as_deref(), Some("data"));
        assert_eq!(sqlite_dir("sqlite:///tmp/x/p.db").as_deref(), Some("/tmp/x"));
        assert_eq!(sqlite_dir("sqlite::memory:"), None);
        assert_eq!(sqlite_dir("sqlite://p.db"), None);
    }
}
