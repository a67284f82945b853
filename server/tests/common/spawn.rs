//! zero2prod-style `spawn_app`: the real portal on a loopback port 0 (router, middleware and
//! mail worker as `server::serve` runs them, `server::serve_on`), a fresh database, the SMTP
//! fixture receiving its mails, and browser-like HTTP clients that post to the server
//! functions' URLs the two ways a browser does:
//!
//! - [`Enc::Form`]: the plain `<form method="post">` before (or without) JavaScript:
//!   `application/x-www-form-urlencoded`, `Accept: text/html…`, Origin and Referer. Leptos answers
//!   a success with 302 and the `Location` the server function chose, an error with 302 back to
//!   the Referer carrying the error in its query (`?__path=…&__err=…`, which the page renders).
//! - [`Enc::Js`]: an `<ActionForm>` after hydration: the same body, `Accept: application/json`
//!   (the server function client's output encoding). A success is 200 with the JSON output (and
//!   `Location` + Leptos' `serverfnredirect` header for the client to follow), an error is the
//!   JSON `AppError` with its `AppError::status()`.
//!
//! Redirects are never followed: tests assert on them. Cookies are kept per [`Browser`] by a
//! small jar of our own (the answers' `Set-Cookie` lines are asserted as sent).

use super::smtp::{Received, SmtpListener};
use super::{test_config, token_after, TestDb, T0};
use app::backend::platform::clock::ManualClock;
use app::backend::platform::{AppState, Config};
use app::error::AppError;
use leptos::server_fn::ServerFn;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What Playwright sets too (end2end/fixtures.ts): every CAPTCHA accepts it, on loopback only.
pub const CAPTCHA_TEST_ANSWER: &str = "E2ETEST";
/// How long a test waits for a mail before it fails.
const MAIL_TIMEOUT: Duration = Duration::from_secs(15);

/// A User-Agent of a phone and of a desktop browser (ログイン中の端末 names them).
pub const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
pub const WINDOWS_CHROME: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

pub struct TestApp {
    /// The backend: "sqlite" or "postgres".
    pub db: &'static str,
    /// `http://127.0.0.1:PORT`, also the configured PUBLIC_URL (the links in mails).
    pub base: String,
    pub state: AppState,
    pub clock: ManualClock,
    pub smtp: SmtpListener,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<Result<(), server::StartError>>>,
}

/// The portal on a fresh port with the database `t`, mails to the SMTP fixture, time at [`T0`].
pub async fn spawn_app(t: &TestDb) -> TestApp {
    spawn_app_with(t, |_| {}).await
}

/// [`spawn_app`] with a configuration changed first (e.g. low per-client limits).
pub async fn spawn_app_with(t: &TestDb, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let smtp = SmtpListener::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let addr = listener.local_addr().unwrap();
    let mut config = test_config(&t.url);
    config.site_addr = addr;
    config.public_url = format!("http://{addr}");
    config.smtp_url = Some(smtp.url());
    config.captcha_test_answer = Some(CAPTCHA_TEST_ANSWER.into());
    adjust(&mut config);
    config.check_serving().expect("a configuration `server serve` accepts");
    assert_eq!(config.captcha_test_answer(), Some(CAPTCHA_TEST_ANSWER), "local only: the test answer counts");
    assert!(!config.uses_dev_inbox(), "mails go over SMTP");

    let clock = ManualClock::at(T0);
    let mut state = server::build_state(config).await.expect("state");
    state.clock = Arc::new(clock.clone());
    let mailer = server::build_mailer(&state).expect("mailer");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(server::serve_on(listener, state.clone(), mailer, async move {
        let _ = stopped.await;
    }));
    TestApp { db: t.name, base: format!("http://{addr}"), state, clock, smtp, stop: Some(stop), served: Some(served) }
}

impl TestApp {
    /// A browser without a User-Agent (as the form tests of the services had it).
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base, None)
    }

    /// A browser that reaches the portal by its PUBLIC_URL's name (passkeys need a domain, not
    /// an IP address: `localhost`).
    pub fn browser_on_public_url(&self) -> Browser {
        Browser::new(&self.state.config.public_url, None)
    }

    /// A browser that says what it is (ログイン中の端末 shows it).
    pub fn browser_as(&self, user_agent: &str) -> Browser {
        Browser::new(&self.base, Some(user_agent))
    }

    /// The mails the SMTP fixture received for `to` with that subject, oldest first.
    pub fn mails(&self, to: &str, subject: &str) -> Vec<Received> {
        self.smtp.received().into_iter().filter(|m| m.is_to(to) && m.subject() == subject).collect()
    }

    /// Waits (bounded) until the `n`-th mail for `to` with that subject has arrived and returns it.
    pub async fn nth_mail(&self, to: &str, subject: &str, n: usize) -> Received {
        let deadline = Instant::now() + MAIL_TIMEOUT;
        loop {
            let mails = self.mails(to, subject);
            if mails.len() >= n {
                return mails[n - 1].clone();
            }
            if Instant::now() > deadline {
                let seen: Vec<(Vec<String>, String)> = self.smtp.received().iter().map(|m| (m.recipients.clone(), m.subject())).collect();
                panic!("mail #{n} 「{subject}」 to {to} did not arrive within {MAIL_TIMEOUT:?} ({}); received: {seen:?}", self.db);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The only mail for `to` with that subject (waits for it; fails if there are more).
    pub async fn mail(&self, to: &str, subject: &str) -> Received {
        let mail = self.nth_mail(to, subject, 1).await;
        assert_eq!(self.mails(to, subject).len(), 1, "one 「{subject}」 to {to} ({})", self.db);
        mail
    }

    /// The 64-hex token of the link `path…` in a mail body, checking the link is built from
    /// PUBLIC_URL (this server's address).
    pub fn token_in(&self, mail: &Received, path: &str) -> String {
        let body = mail.body();
        let token = token_after(&body, path);
        assert!(body.contains(&format!("{}{path}{token}", self.base)), "the link is on PUBLIC_URL {}: {body}", self.base);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
        token
    }

    /// Stops the server gracefully (requests in flight, then the mail worker) and checks it did.
    pub async fn stop(mut self) {
        let _ = self.stop.take().expect("running").send(());
        let served = self.served.take().expect("running");
        let result = tokio::time::timeout(Duration::from_secs(10), served).await.expect("the server stops within 10 s");
        result.expect("the server task").expect("the server ran without error");
    }
}

impl Drop for TestApp {
    /// A test that failed before `stop`: let the server end with it.
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

// ---------------------------------------------------------------- members made by the services

/// A member on the test roster (`ROSTER`) and the account the registration gives them.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    pub email: &'static str,
    pub kigo: &'static str,
    pub bango: &'static str,
    pub birth: &'static str,
    pub name: &'static str,
    pub login_id: &'static str,
    pub nickname: &'static str,
}

/// 山田 太郎, as `member_with_account` has him.
pub const TARO: Member = Member {
    email: "taro@corp.test",
    kigo: "12",
    bango: "345",
    birth: "1985-04-01",
    name: "山田 太郎",
    login_id: "Yamada.Taro",
    nickname: "たろう",
};

/// 佐藤 花子, as `member_with_account` has her.
pub const HANAKO: Member = Member {
    email: "hanako@corp.test",
    kigo: "12",
    bango: "346",
    birth: "1990-07-07",
    name: "佐藤 花子",
    login_id: "Sato.Hanako",
    nickname: "はなこ",
};

/// The roster `member_with_account` imports: 山田 太郎 and 佐藤 花子, both 在職.
pub const ROSTER: &str = "kigo,bango,birth_date,name,name_kana,email,status\n12,345,1985-04-01,山田 太郎,,taro@corp.test,在職\n12,346,1990-07-07,佐藤 花子,,hanako@corp.test,在職\n";

/// Where the registration mails are read: the outbox table (no worker running), or the SMTP
/// fixture (the worker delivered them).
#[allow(async_fn_in_trait)]
pub trait Mailbox {
    async fn body(&self, to: &str, subject: &str) -> String;
}

impl Mailbox for AppState {
    async fn body(&self, to: &str, subject: &str) -> String {
        super::body_of(self, to, subject).await
    }
}

impl Mailbox for TestApp {
    async fn body(&self, to: &str, subject: &str) -> String {
        self.nth_mail(to, subject, self.mails(to, subject).len().max(1)).await.body()
    }
}

pub async fn import_roster(state: &AppState) {
    use app::backend::roster;
    let rows = roster::parse(ROSTER, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    roster::import(&state.db, &rows, app::backend::platform::Clock::now(state.clock.as_ref())).await.unwrap();
}

/// Registers `m` through the wizard's services (steps 1–5, tokens from `mails`) with
/// `password`; returns the account id.
pub async fn register(state: &AppState, mails: &impl Mailbox, m: &Member, password: &str) -> String {
    use app::backend::members::registration as reg;
    use app::domain::{Bango, BirthDate, Email, Kigo, LoginId, MemberNumber};
    use app::text::mail as subjects;
    let email = Email::parse(m.email).unwrap();
    reg::start(state, None, &email).await.unwrap();
    let invite = token_after(&mails.body(m.email, subjects::SUBJECT_M1).await, "/register/verify/");
    let identity = reg::IdentityInput {
        email: email.clone(),
        number: MemberNumber { kigo: Kigo::parse(m.kigo).unwrap(), bango: Bango::parse(m.bango).unwrap() },
        birth_date: BirthDate::parse(m.birth).unwrap(),
    };
    let browser = reg::verify_identity(state, None, &invite, &identity).await.unwrap();
    let key = reg::key_for_browser(state, &browser).await.unwrap().expect("the key of step 3");
    let key_link = token_after(&mails.body(m.email, subjects::SUBJECT_M2).await, "/register/confirm/");
    let browser = reg::confirm_key(state, None, &key_link, &key).await.unwrap();
    let account = reg::AccountInput {
        login_id: LoginId::parse(m.login_id).unwrap(),
        password: super::typed_password(password),
        email,
        nickname: m.nickname.into(),
    };
    reg::create_account(state, None, &browser, account).await.unwrap();
    // Step 5's mail has gone out too: nothing of the registration arrives during the test.
    assert!(mails.body(m.email, subjects::SUBJECT_M3).await.contains(m.login_id));
    let (id,): (String,) = sqlx::query_as("SELECT id FROM accounts WHERE login_id_norm = $1")
        .bind(m.login_id.to_ascii_lowercase())
        .fetch_one(&state.db)
        .await
        .unwrap();
    id
}

impl TestApp {
    /// The audit log's events, oldest first.
    pub async fn audit_events(&self) -> Vec<String> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT event FROM audit_log ORDER BY at, event").fetch_all(&self.state.db).await.unwrap();
        rows.into_iter().map(|(e,)| e).collect()
    }

    /// 山田 太郎 and 佐藤 花子 with their accounts (password [`super::PASSWORD`]), registered
    /// through the services with the links the worker mailed to the SMTP fixture.
    pub async fn with_members(&self) {
        import_roster(&self.state).await;
        for m in [TARO, HANAKO] {
            register(&self.state, self, &m, super::PASSWORD).await;
        }
    }
}

/// `member_with_account` made by the registration services instead of INSERTs (tokens read
/// from the outbox; no worker runs). The account ids are generated, not "acc1"/"acc2".
pub async fn registered_members(t: &TestDb) -> (AppState, ManualClock) {
    let clock = ManualClock::at(T0);
    let state = super::test_state(t, test_config(&t.url), clock.clone());
    import_roster(&state).await;
    for m in [TARO, HANAKO] {
        register(&state, &state, &m, super::PASSWORD).await;
    }
    (state, clock)
}

// ---------------------------------------------------------------- the browser

/// How a form reaches its server function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    /// A plain HTML form post (no JavaScript, or before the island hydrated).
    Form,
    /// Leptos' `ActionForm` after hydration (the server function client).
    Js,
}

impl Enc {
    pub const BOTH: [Enc; 2] = [Enc::Form, Enc::Js];
}

const ACCEPT_HTML: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// One browser: its own cookies, its own User-Agent; never follows a redirect by itself.
pub struct Browser {
    client: reqwest::Client,
    base: String,
    jar: Mutex<BTreeMap<String, String>>,
}

impl Browser {
    fn new(base: &str, user_agent: Option<&str>) -> Self {
        let mut builder =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().timeout(Duration::from_secs(30));
        if let Some(ua) = user_agent {
            builder = builder.user_agent(ua);
        }
        Self { client: builder.build().expect("HTTP client"), base: base.into(), jar: Mutex::default() }
    }

    /// A cookie this browser holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.lock().unwrap().get(name).cloned()
    }

    /// Puts a cookie in the jar (a copied session, a stale cookie).
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar.lock().unwrap().insert(name.into(), value.into());
    }

    fn cookie_header(&self) -> Option<String> {
        let jar = self.jar.lock().unwrap();
        (!jar.is_empty()).then(|| jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
    }

    async fn send(&self, request: reqwest::RequestBuilder, enc: Option<Enc>, page: &str, fn_path: &'static str) -> Answer {
        let request = match self.cookie_header() {
            Some(cookies) => request.header("cookie", cookies),
            None => request,
        };
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.expect("a body");
        let answer = Answer { status, headers, body, enc, page: page.into(), fn_path, base: self.base.clone() };
        let mut jar = self.jar.lock().unwrap();
        for line in answer.set_cookies() {
            let (pair, attributes) = line.split_once(';').unwrap_or((line.as_str(), ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            if attributes.split(';').any(|a| a.trim() == "Max-Age=0") {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().into(), value.trim().into());
            }
        }
        answer
    }

    /// A page, as a browser navigates to it.
    pub async fn get(&self, path: &str) -> Answer {
        let request = self.client.get(format!("{}{path}", self.base)).header("accept", ACCEPT_HTML);
        self.send(request, None, path, "").await
    }

    /// Submits the form of `page` (its path and query) to the server function `F`.
    pub async fn call<F: ServerFn>(&self, enc: Enc, page: &str, fields: &[(&str, &str)]) -> Answer {
        let value = app::domain::query_value;
        let body = fields.iter().map(|(k, v)| format!("{k}={}", value(v))).collect::<Vec<_>>().join("&");
        let accept = match enc {
            Enc::Form => ACCEPT_HTML,
            Enc::Js => "application/json",
        };
        let request = self
            .client
            .post(format!("{}{}", self.base, F::PATH))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", accept)
            .header("origin", &self.base)
            .header("referer", format!("{}{page}", self.base))
            .body(body);
        self.send(request, Some(enc), page, F::PATH).await
    }

    /// A page's data, as the server function client asks for it (JSON): must answer 200.
    pub async fn load<F: ServerFn, T: serde::de::DeserializeOwned>(&self, fields: &[(&str, &str)]) -> T {
        let answer = self.call::<F>(Enc::Js, "/", fields).await;
        assert_eq!(answer.status, 200, "{}: {}", F::PATH, answer.body);
        answer.json()
    }
}

/// What the server answered, with what was asked (to tell what the answer should be).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
    enc: Option<Enc>,
    page: String,
    fn_path: &'static str,
    base: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn location(&self) -> &str {
        self.header("location").unwrap_or_else(|| panic!("no Location in {} {:?}: {}", self.status, self.headers, self.body))
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
    }

    /// The whole `Set-Cookie` line for `name`, if the answer sets it.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.set_cookies().into_iter().find(|c| c.starts_with(&format!("{name}=")))
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The server function succeeded and sent the browser to `to`: a form post gets 302 with
    /// `Location: to`; a JS call gets 200 with `Location: to` and Leptos' redirect header.
    pub fn went_to(&self, to: &str) {
        match self.enc.expect("a server function call") {
            Enc::Form => assert_eq!(self.status, 302, "form post answered {}: {}", self.status, self.body),
            Enc::Js => {
                assert_eq!(self.status, 200, "JS call answered {}: {}", self.status, self.body);
                assert_eq!(self.body, "null", "a form's server function returns ()");
                assert!(self.headers.contains_key("serverfnredirect"), "the client is told to follow: {:?}", self.headers);
            }
        }
        assert_eq!(self.location(), to);
    }

    /// The server function refused: a JS call gets `status` and the JSON error; a form post gets
    /// 302 back to its page (the Referer) with the error encoded for the page to show
    /// (`?__path=<this function>&__err=<base64 JSON>`). Returns the error.
    pub fn refused(&self, status: u16) -> AppError {
        match self.enc.expect("a server function call") {
            Enc::Js => {
                assert_eq!(self.status, status, "{}", self.body);
                assert_eq!(self.header("content-type"), Some("application/json"));
                assert!(self.header("location").is_none(), "an error goes nowhere: {:?}", self.headers);
                self.json()
            }
            Enc::Form => {
                assert_eq!(self.status, 302, "form post answered {}: {}", self.status, self.body);
                let (back, error) = self.error_in_location();
                assert_eq!(back, self.page, "back to the form's page");
                error
            }
        }
    }

    /// `Location` split into the page it points to (path and query without `__path`/`__err`,
    /// on this server) and the error encoded in it, which must be for this answer's function.
    pub fn error_in_location(&self) -> (String, AppError) {
        use base64::Engine as _;
        let url = reqwest::Url::parse(self.location()).expect("an absolute Location");
        assert_eq!(url.origin().ascii_serialization(), self.base, "on this server");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let find =
            |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("no {k} in {}", self.location()));
        assert_eq!(find("__path"), self.fn_path);
        let json = base64::engine::general_purpose::URL_SAFE.decode(find("__err")).expect("base64 error");
        let error: AppError = serde_json::from_slice(&json).expect("an AppError");
        let rest: Vec<String> = pairs.iter().filter(|(k, _)| k != "__path" && k != "__err").map(|(k, v)| format!("{k}={v}")).collect();
        let back = if rest.is_empty() { url.path().to_string() } else { format!("{}?{}", url.path(), rest.join("&")) };
        (back, error)
    }

    /// Sent elsewhere by the server function before it could do anything (no session:
    /// `AppError::Redirect`): a form post follows the 302; a JS call gets 401 with the JSON
    /// `Redirect(to)` (and the same Location, which the island follows).
    pub fn sent_elsewhere(&self, to: &str) {
        match self.enc.expect("a server function call") {
            Enc::Form => assert_eq!(self.status, 302, "{}", self.body),
            Enc::Js => {
                assert_eq!(self.status, 401, "{}", self.body);
                assert_eq!(self.json::<AppError>(), AppError::Redirect(to.into()));
            }
        }
        assert_eq!(self.location(), to);
    }
}

/// The message of a field in an error (panics with the error when there is none).
pub fn field(error: &AppError, name: &str) -> String {
    error.field_message(name).unwrap_or_else(|| panic!("no message for {name} in {error:?}"))
}

/// An `AppError::Invalid` with exactly these fields (in the order the server checks them).
pub fn fields(error: &AppError) -> Vec<(String, String)> {
    match error {
        AppError::Invalid { fields, .. } => fields.clone(),
        other => panic!("not a field error: {other:?}"),
    }
}

/// The message above the form (or in place of it, for a link that can no longer be used).
pub fn form_message(error: &AppError) -> String {
    match error {
        AppError::Invalid { message: Some(m), .. } | AppError::Limited(m) | AppError::Gone(m) => m.clone(),
        other => panic!("no form message in {other:?}"),
    }
}
