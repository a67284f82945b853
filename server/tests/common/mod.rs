//! Shared test support: real databases (SQLite and PostgreSQL) and a real SMTP listener.
#![allow(dead_code)]

pub mod smtp;

use app::backend::clock::ManualClock;
use app::backend::{db, AppState, Config, Db};
use std::sync::Arc;

/// A fresh, migrated database of one backend.
pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/portal.db?mode=rwc", dir.path().display());
    let db = db::connect_and_migrate(&url).await.expect("sqlite");
    TestDb { name: "sqlite", url, db, _dir: Some(dir) }
}

/// A throwaway database in the PostgreSQL that `make test` starts (scripts/pg.sh).
pub async fn postgres() -> Option<TestDb> {
    let Ok(admin_url) = std::env::var("TEST_PG_URL") else {
        if std::env::var("PORTAL_TEST_SKIP_PG").is_ok() {
            eprintln!("!!! PORTAL_TEST_SKIP_PG is set: PostgreSQL tests SKIPPED !!!");
            return None;
        }
        panic!("TEST_PG_URL is not set: run `make test` (it starts PostgreSQL), or set PORTAL_TEST_SKIP_PG=1 to skip PostgreSQL on purpose");
    };
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&admin_url).await.expect("connect to TEST_PG_URL");
    let name = format!("portal_test_{}", app::backend::ids::new_id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
    admin.close().await;
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("TEST_PG_URL must end with a database name"),
    };
    let db = db::connect_and_migrate(&url).await.expect("postgres");
    Some(TestDb { name: "postgres", url, db, _dir: None })
}

/// Both backends: every test of the database layer runs on each.
pub async fn all_dbs() -> Vec<TestDb> {
    let mut dbs = vec![sqlite().await];
    dbs.extend(postgres().await);
    dbs
}

pub const T0: i64 = 1_790_000_000; // 2026-09-21, a fixed "now" for tests

pub fn test_config(database_url: &str) -> Config {
    Config {
        database_url: database_url.to_string(),
        site_addr: "127.0.0.1:3000".parse().unwrap(),
        public_url: "http://127.0.0.1:3000".into(),
        smtp_url: None,
        mail_from: "健康マイポータル <info@kenpo.test>".into(),
        society_name: "テスト健康保険組合".into(),
        society_contact: "テスト健康保険組合 電話 03-1234-5678".into(),
        inquiry_to: "madoguchi@kenpo.test".into(),
        captcha_test_answer: None,
        site_root: "target/site".into(),
        login_limits: Default::default(),
    }
}

pub fn test_state(t: &TestDb, config: Config, clock: ManualClock) -> AppState {
    AppState {
        db: t.db.clone(),
        leptos_options: server::leptos_options(&config),
        config: Arc::new(config),
        clock: Arc::new(clock),
        mail_wakeup: Arc::new(tokio::sync::Notify::new()),
    }
}
