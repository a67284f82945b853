//! What an operator relies on: `/healthz` and `/readyz`, `server check-config`'s findings,
//! `server backup` (SQLite) with a restore, and instances starting at once on one PostgreSQL.

mod common;

use app::backend::platform::db;
use common::spawn::{registered_members, spawn_app, TARO};
use common::{sqlite, PASSWORD};
use std::sync::atomic::Ordering;

async fn get(base: &str, path: &str) -> (u16, String) {
    let answer = reqwest::Client::builder().no_proxy().build().unwrap().get(format!("{base}{path}")).send().await.unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_answers_ready_only_with_the_database_its_schema_and_the_mail_worker() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let app = spawn_app(&t).await;
    assert_eq!(get(&app.base, "/healthz").await, (200, "ok\n".to_string()));
    // The worker marks itself running as it starts.
    for _ in 0..100 {
        if app.state.mail_worker.load(Ordering::Relaxed) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(get(&app.base, "/readyz").await, (200, "ready\n".to_string()));

    app.state.mail_worker.store(false, Ordering::Relaxed);
    let (status, body) = get(&app.base, "/readyz").await;
    assert_eq!((status, body.as_str()), (503, "not ready\nmail worker: not running\n"));
    app.state.mail_worker.store(true, Ordering::Relaxed);

    // A newer build migrated the database: this one is not ready for it.
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99990101, 'newer', TRUE, X'00', 0)",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    let (status, body) = get(&app.base, "/readyz").await;
    assert_eq!(status, 503);
    assert!(body.contains("schema: migration 99990101 is unknown to this build"), "{body}");
    assert_eq!(get(&app.base, "/healthz").await.0, 200, "alive all the same");
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 99990101").execute(&app.state.db).await.unwrap();

    app.state.db.close().await;
    let (status, body) = get(&app.base, "/readyz").await;
    assert_eq!(status, 503);
    assert!(body.contains("database: not reachable"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_config_reaches_the_database_and_the_smtp_server() {
    let _turn = common::one_router_test_at_a_time().await;
    let t = sqlite().await;
    let app = spawn_app(&t).await;
    let found = server::handlers::health::check_config(&app.state.config).await;
    assert!(found.iter().all(|f| f.ok), "{found:?}");
    let smtp = found.iter().find(|f| f.what == "SMTP").unwrap();
    assert!(smtp.detail.ends_with("answers"), "{smtp:?}");

    // Nothing listens there: the finding says so, and check-config fails.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut config = (*app.state.config).clone();
    config.smtp_url = Some(format!("smtp://{closed}"));
    config.database_url = "postgres://nobody@127.0.0.1:1/none".into();
    let found = server::handlers::health::check_config(&config).await;
    let bad: Vec<&str> = found.iter().filter(|f| !f.ok).map(|f| f.what).collect();
    assert_eq!(bad, ["database", "SMTP"], "{found:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_restores_to_a_portal_where_the_member_still_logs_in() {
    let t = sqlite().await;
    let (state, _clock) = registered_members(&t).await;
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.db");
    db::backup_sqlite(&state.db, &backup).await.unwrap();
    assert!(matches!(db::backup_sqlite(&state.db, &backup).await, Err(db::BackupError::Exists(_))), "never overwritten");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the copy of every member's data is readable by its owner only");
    }

    // The live database loses the account (a mistake, a broken disk)...
    for table in ["sessions", "account_emails", "email_changes", "password_resets", "accounts"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&state.db).await.unwrap();
    }
    assert!(common::login(&state, None, TARO.login_id, PASSWORD).await.is_err());

    // ...and is restored from the copy: the file is put in place and the server started on it.
    let restored_path = dir.path().join("portal.db");
    std::fs::copy(&backup, &restored_path).unwrap();
    let url = format!("sqlite://{}?mode=rwc", restored_path.display());
    let restored = db::connect_and_migrate(&url).await.unwrap();
    assert_eq!(db::schema_state(&restored).await.unwrap(), db::SchemaState::Current);
    let state = app::backend::platform::AppState { db: restored, ..state };
    common::login(&state, None, TARO.login_id, PASSWORD).await.expect("the member logs in on the restored database");
}

#[tokio::test]
async fn a_backup_of_postgresql_points_to_pg_dump() {
    let Some(t) = common::postgres().await else { return };
    let to = std::env::temp_dir().join(format!("never-{}.db", app::backend::platform::ids::new_id()));
    assert!(matches!(db::backup_sqlite(&t.db, &to).await, Err(db::BackupError::NotSqlite)));
    assert!(!to.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_starting_at_once_on_one_postgresql_migrate_it_once() {
    let Some(url) = common::empty_postgres().await else { return };
    let starts = futures::future::join_all((0..4).map(|_| db::connect_and_migrate(&url))).await;
    for started in &starts {
        assert!(started.is_ok(), "{:?}", started.as_ref().err());
    }
    let db = starts.into_iter().next().unwrap().unwrap();
    let (rows, distinct): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT version) FROM _sqlx_migrations").fetch_one(&db).await.unwrap();
    assert_eq!(rows, distinct, "each migration applied once");
    assert_eq!(db::schema_state(&db).await.unwrap(), db::SchemaState::Current);
    // A second instance later on the migrated database does nothing.
    db::connect_and_migrate(&url).await.unwrap();
    let (again,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&db).await.unwrap();
    assert_eq!(again, rows);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_reachable_from_elsewhere_refuses_the_sample_society() {
    let t = sqlite().await;
    let mut config = common::test_config(&t.url);
    (config.site_addr, config.public_url, config.smtp_url) =
        ("0.0.0.0:0".parse().unwrap(), "https://portal.kenpo.example.jp".into(), Some("smtp://127.0.0.1:25".into()));
    config.society_contact = app::backend::platform::config::SAMPLE_SOCIETY_CONTACT.into();
    let refused = server::serve(config, async {}).await.unwrap_err().to_string();
    assert!(refused.starts_with("SOCIETY_CONTACT is not valid"), "{refused}");
}
