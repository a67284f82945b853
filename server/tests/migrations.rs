//! Migrations run on both databases, are idempotent, and a schema from an unknown
//! (newer) version is refused instead of served.

mod common;

use app::backend::platform::db;
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

/// Each unique rule a member can run into is told apart the same way on both databases
/// (PostgreSQL names the constraint, SQLite the columns).
#[tokio::test]
async fn unique_violations_are_named_on_both_databases() {
    use db::{unique_violation, Unique};
    for t in all_dbs().await {
        let _ = common::member_with_account(&t).await;
        let account = |id: &str, bango: &str, login_norm: &str| {
            sqlx::query(
                "INSERT INTO accounts (id, kigo, bango, login_id, login_id_norm, password_hash, nickname, created_at, updated_at) \
                 VALUES ($1, '12', $2, $3, $3, 'x', 'x', 0, 0)",
            )
            .bind(id.to_string())
            .bind(bango.to_string())
            .bind(login_norm.to_string())
        };
        let taken_id = account("acc9", "999", "yamada.taro").execute(&t.db).await.unwrap_err();
        assert_eq!(unique_violation(&taken_id), Some(Unique::LoginId), "{}: {taken_id}", t.name);
        let second_account = account("acc9", "345", "someone.else").execute(&t.db).await.unwrap_err();
        assert_eq!(unique_violation(&second_account), Some(Unique::MemberAccount), "{}: {second_account}", t.name);
        let taken_address = sqlx::query(
            "INSERT INTO account_emails (account_id, slot, email, email_norm) VALUES ('acc2', 2, 'Taro@corp.test', 'taro@corp.test')",
        )
        .execute(&t.db)
        .await
        .unwrap_err();
        assert_eq!(unique_violation(&taken_address), Some(Unique::Email), "{}: {taken_address}", t.name);
        let same_slot = sqlx::query(
            "INSERT INTO account_emails (account_id, slot, email, email_norm) VALUES ('acc1', 1, 'x@corp.test', 'x@corp.test')",
        )
        .execute(&t.db)
        .await
        .unwrap_err();
        assert_eq!(unique_violation(&same_slot), Some(Unique::Other), "{}: {same_slot}", t.name);
        let not_unique = sqlx::query("INSERT INTO accounts (id) VALUES ('only-an-id')").execute(&t.db).await.unwrap_err();
        assert_eq!(unique_violation(&not_unique), None, "{}: {not_unique}", t.name);
    }
}
