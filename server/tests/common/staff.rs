//! Staff accounts for tests: made as `server staff add` makes them, set up with the
//! authenticator through the setup page's server functions, logged in with a fresh code.

use super::spawn::{Browser, Enc, TestApp};
use app::api::staff::SetupInfo;
use app::backend::identity::totp;
use app::backend::staff::accounts;
use app::domain::{Email, StaffRole};
use app::pages::staff::login::{CompleteSetup, LoadSetup, StaffLogin};

pub const STAFF_PASSWORD: &str = "Kenpo#Staff-2026q";

/// A staff account made as `server staff add` makes it; returns the setup token.
pub async fn add_staff(app: &TestApp, name: &str, email: &str, role: StaffRole) -> String {
    let email = Email::parse(email).unwrap();
    let new = accounts::NewStaff { name, email: &email, role, member: None };
    let url = accounts::add(&app.state.db, &app.state.config, app.clock_now(), None, new).await.unwrap();
    url.rsplit('/').next().unwrap().to_string()
}

pub trait Now {
    fn clock_now(&self) -> i64;
}
impl Now for TestApp {
    fn clock_now(&self) -> i64 {
        app::backend::platform::Clock::now(&self.clock)
    }
}

/// Opens the setup link, enrols the authenticator (one code) and returns the secret and the backup codes.
pub async fn set_up(app: &TestApp, token: &str) -> (String, Vec<String>) {
    let browser = app.browser();
    let page = browser.get(&format!("/staff/setup/{token}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let info: SetupInfo = browser.load::<LoadSetup, _>(&[("token", token)]).await;
    assert!(page.body.contains(&info.secret), "the secret is on the page as text");
    let code = totp::code_at(&info.secret, app.clock_now()).unwrap();
    let answer = browser
        .call::<CompleteSetup>(
            Enc::Js,
            &format!("/staff/setup/{token}"),
            &[("token", token), ("password", STAFF_PASSWORD), ("password_confirm", STAFF_PASSWORD), ("code", &code)],
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let codes: Vec<String> = answer.json();
    (info.secret, codes)
}

/// Logs in with the code of the current step (moving the clock to a fresh step first).
pub async fn log_in(app: &TestApp, browser: &Browser, email: &str, secret: &str) {
    app.clock.advance(30);
    let code = totp::code_at(secret, app.clock_now()).unwrap();
    let answer = browser
        .call::<StaffLogin>(
            Enc::Form,
            "/staff/login",
            &[("email", email), ("password", STAFF_PASSWORD), ("code", &code), ("next", "/staff")],
        )
        .await;
    answer.went_to("/staff");
}

/// A logged-in staff browser of that role.
pub async fn staff_browser(app: &TestApp, email: &str, role: StaffRole) -> (Browser, String) {
    let token = add_staff(app, "職員 一郎", email, role).await;
    let (secret, _) = set_up(app, &token).await;
    let browser = app.browser();
    log_in(app, &browser, email, &secret).await;
    (browser, secret)
}
