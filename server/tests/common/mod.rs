//! Shared test support: real databases (SQLite and PostgreSQL) and a real SMTP listener.
#![allow(dead_code)]

pub mod passkey;
pub mod smtp;
pub mod spawn;
pub mod staff;

use app::backend::platform::clock::ManualClock;
use app::backend::platform::{db, AppState, Config, Db};
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
    let url = empty_postgres().await?;
    let db = db::connect_and_migrate(&url).await.expect("postgres");
    Some(TestDb { name: "postgres", url, db, _dir: None })
}

/// The URL of a new, empty (not migrated) PostgreSQL database.
pub async fn empty_postgres() -> Option<String> {
    let Ok(admin_url) = std::env::var("TEST_PG_URL") else {
        if std::env::var("PORTAL_TEST_SKIP_PG").is_ok() {
            eprintln!("!!! PORTAL_TEST_SKIP_PG is set: PostgreSQL tests SKIPPED !!!");
            return None;
        }
        panic!(
            "TEST_PG_URL is not set: run `make test` (it starts PostgreSQL), or set PORTAL_TEST_SKIP_PG=1 to skip PostgreSQL on purpose"
        );
    };
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&admin_url).await.expect("connect to TEST_PG_URL");
    let name = format!("portal_test_{}", app::backend::platform::ids::new_id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
    admin.close().await;
    match admin_url.rsplit_once('/') {
        Some((base, _)) => Some(format!("{base}/{name}")),
        None => panic!("TEST_PG_URL must end with a database name"),
    }
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
        insurer_number: "06139999".into(),
        inquiry_to: "madoguchi@kenpo.test".into(),
        captcha_test_answer: None,
        site_root: "target/site".into(),
        login_limits: Default::default(),
        sessions: Default::default(),
        client_limits: Default::default(),
        trusted_proxies: Vec::new(),
        secret_key: None,
        secret_key_old: Vec::new(),
        staff_sessions: app::backend::platform::config::SessionLimits::STAFF_DEFAULT,
        staff_networks: None,
        mail_rate_per_minute: 600,
        metrics_addr: None,
        consent: app::backend::platform::config::ConsentDocuments::samples(),
        member_2fa_required: false,
        staff_require_passkey: false,
        medical_keep_years: 5,
        benefit_keep_years: 5,
        documents_after_leaving_months: 15,
        pdf_fonts: (app::backend::platform::config::DEFAULT_PDF_FONTS.0.into(), app::backend::platform::config::DEFAULT_PDF_FONTS.1.into()),
    }
}

pub fn test_state(t: &TestDb, config: Config, clock: ManualClock) -> AppState {
    AppState {
        db: t.db.clone(),
        leptos_options: server::leptos_options(&config),
        config: Arc::new(config),
        clock: Arc::new(clock),
        mail_wakeup: Arc::new(tokio::sync::Notify::new()),
        mail_worker: Arc::default(),
    }
}

/// The mails in the outbox for an address: (subject, body).
pub async fn mails_to(state: &AppState, to: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM mail_outbox WHERE recipient = $1 ORDER BY created_at, id")
        .bind(to)
        .fetch_all(&state.db)
        .await
        .unwrap()
}

/// The newest mail with that subject (mails written in the same second have no order).
pub async fn body_of(state: &AppState, to: &str, subject: &str) -> String {
    mails_to(state, to).await.into_iter().rfind(|(s, _)| s == subject).unwrap_or_else(|| panic!("no {subject} to {to}")).1
}

/// The 64-hex token following `path` in a mail body.
pub fn token_after(body: &str, path: &str) -> String {
    let start = body.find(path).unwrap_or_else(|| panic!("no {path} in {body}")) + path.len();
    body[start..start + 64].to_string()
}

/// What step 5 and `/consent` send for the sample 利用規約 and 個人情報の取扱い (`test_config`).
pub fn consent_key() -> &'static str {
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    KEY.get_or_init(|| app::backend::platform::config::ConsentDocuments::samples().key)
}

/// The password of the account `member_with_account` creates.
pub const PASSWORD: &str = "Blue7#Harbor-Quilt";

/// A password as a form hands it to the services (the form's own rules passed).
pub fn typed_password(typed: &str) -> app::domain::Password {
    app::domain::Password::parse(typed, &Default::default()).unwrap()
}

/// 山田 太郎 (12-345, born 1985-04-01) with the account `Yamada.Taro` / [`PASSWORD`],
/// address 1 taro@corp.test; and 佐藤 花子 (12-346) with `Sato.Hanako`, hanako@corp.test.
pub async fn member_with_account(t: &TestDb) -> (AppState, ManualClock) {
    use app::backend::identity::password;
    use app::backend::roster;
    let clock = ManualClock::at(T0);
    let csv = "kigo,bango,birth_date,name,name_kana,email,status\n12,345,1985-04-01,山田 太郎,,taro@corp.test,在職\n12,346,1990-07-07,佐藤 花子,,hanako@corp.test,在職\n";
    let rows = roster::parse(csv, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    roster::import(&t.db, &rows, T0).await.unwrap();
    let hash = password::hash(PASSWORD.into()).await.unwrap();
    for (id, bango, login, nick, mail) in
        [("acc1", "345", "Yamada.Taro", "たろう", "taro@corp.test"), ("acc2", "346", "Sato.Hanako", "はなこ", "hanako@corp.test")]
    {
        // Both agreed to the terms when they registered (step 5).
        sqlx::query("INSERT INTO accounts (id, kigo, bango, login_id, login_id_norm, password_hash, nickname, email1, created_at, updated_at, consent_version) VALUES ($1, '12', $2, $3, $4, $5, $6, $7, $8, $8, $9)")
            .bind(id)
            .bind(bango)
            .bind(login)
            .bind(login.to_ascii_lowercase())
            .bind(&hash)
            .bind(nick)
            .bind(mail)
            .bind(T0)
            .bind(consent_key())
            .execute(&t.db)
            .await
            .unwrap();
        sqlx::query("INSERT INTO account_emails (account_id, slot, email, email_norm) VALUES ($1, 1, $2, $2)")
            .bind(id)
            .bind(mail)
            .execute(&t.db)
            .await
            .unwrap();
    }
    (test_state(t, test_config(&t.url), clock.clone()), clock)
}

/// ログイン as the login form does it (no User-Agent, no CAPTCHA typed), of a member without
/// 2段階認証: the session token.
pub async fn login(state: &AppState, ip: Option<&str>, login_id: &str, password: &str) -> Result<String, app::error::AppError> {
    let client = app::backend::platform::Client { ip, user_agent: None };
    let logged_in = app::backend::members::login::login(state, &client, login_id, password, &Default::default()).await?;
    Ok(logged_in.session().expect("no second step for this member"))
}

/// 山田 太郎's session member, as `member_with_account` creates it.
pub fn taro() -> app::backend::members::login::SessionMember {
    app::backend::members::login::SessionMember {
        account_id: "acc1".into(),
        login_id: "Yamada.Taro".into(),
        name: "山田 太郎".into(),
        nickname: "たろう".into(),
        must_change_password: false,
        must_agree: false,
        must_enrol: false,
        must_set_profile: false,
        read_only_until: None,
    }
}

/// The login form's post (no JavaScript), arriving over TCP from `peer`.
pub fn login_request(login_id: &str, password: &str, next: &str, peer: std::net::IpAddr) -> http::Request<axum::body::Body> {
    use leptos::server_fn::ServerFn;
    let value = app::domain::query_value;
    let body = format!("login_id={}&password={}&next={}", value(login_id), value(password), value(next));
    let mut req = http::Request::post(app::pages::login::Login::PATH)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(body))
        .unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((peer, 40000))));
    req
}

/// Tests that render pages through the router take turns: two Leptos SSR runtimes rendering
/// at once in one test process can stall each other (a test-harness effect: production has one
/// runtime). Hold the guard for the whole test.
pub async fn one_router_test_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

/// A `Set-Cookie` value as its name=value and its attributes in sorted order (the attributes'
/// order carries no meaning: compare these).
pub fn cookie_parts(line: &str) -> Vec<String> {
    let mut parts: Vec<String> = line.split("; ").map(str::to_string).collect();
    parts[1..].sort();
    parts
}
