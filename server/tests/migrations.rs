//! Migrations run on both databases, are idempotent, and a schema from an unknown
//! (newer) version is refused instead of served.

mod common;

use app::backend::db;
use common::all_dbs;

#[tokio::test]
async fn migrating_twice_is_harmless_and_an_unknown_schema_is_refused() {
    for t in all_dbs().await {
        db::migrate(&t.db).await.unwrap_or_else(|e| panic!("{}: {e}", t.name));
        let future_migration = if t.name == "sqlite" {
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101000000, 'from the future', TRUE, X'00', 0)"
        } else {
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101000000, 'from the future', TRUE, decode('00', 'hex'), 0)"
        };
        sqlx::query(future_migration).execute(&t.db).await.unwrap();
        let err = db::migrate(&t.db).await.expect_err(t.name);
        assert!(err.to_string().contains("newer version"), "{}: {err}", t.name);
    }
}
