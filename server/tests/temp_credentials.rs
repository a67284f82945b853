//! 紙通知 (temporary credentials) against real databases: issue, expiry, the forced
//! パスワード変更 → プロフィール設定 path, renewal.

mod common;

use app::backend::members::login;
use app::backend::members::settings::{self, ProfileInput};
use app::backend::members::temp_credentials::{self, Selection};
use app::backend::platform::AppState;
use app::backend::roster;
use app::domain::{Bango, Email, Kigo, LoginId, MailPreference};
use common::{all_dbs, member_with_account, TestDb};

/// Adds 鈴木 一郎 (34-20, no company address) and 田中 次郎 (34-21, lost eligibility).
async fn paper_members(t: &TestDb) -> (AppState, app::backend::platform::clock::ManualClock) {
    let (state, clock) = member_with_account(t).await;
    let csv =
        "kigo,bango,birth_date,name,name_kana,email,status\n34,20,1960-02-03,鈴木 一郎,,,任意継続\n34,21,1958-05-06,田中 次郎,,,資格喪失\n";
    let rows = roster::parse(csv, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
    roster::import(&t.db, &rows, common::T0).await.unwrap();
    (state, clock)
}

fn member(kigo: &str, bango: &str) -> (Kigo, Bango) {
    (Kigo::parse(kigo).unwrap(), Bango::parse(bango).unwrap())
}

#[tokio::test]
async fn all_without_email_gets_credentials_once_and_the_first_login_is_forced_through_each_screen() {
    for t in all_dbs().await {
        let (state, _) = paper_members(&t).await;
        let now = common::T0;
        let report = temp_credentials::issue(&state.db, now, &Selection::AllWithoutEmail, 30, None).await.unwrap();
        assert_eq!(report.issued.len(), 1, "only the active member without address: {}", t.name);
        let issued = report.issued[0].clone();
        assert_eq!((issued.kigo.as_str(), issued.bango.as_str(), issued.name.as_str()), ("34", "20", "鈴木 一郎"));
        let csv = String::from_utf8(temp_credentials::to_csv(&report.issued, "http://x/").unwrap()).unwrap();
        assert!(csv.starts_with("\u{feff}記号,番号,氏名,ログインID,仮パスワード,有効期限"), "{csv}");
        assert!(csv.contains(&issued.password));
        let again = temp_credentials::issue(&state.db, now, &Selection::AllWithoutEmail, 30, None).await.unwrap();
        assert!(again.issued.is_empty(), "an account now exists: {}", t.name);

        let token = common::login(&state, None, &issued.login_id, &issued.password).await.unwrap();
        let m = login::member(&state, &token).await.unwrap().unwrap();
        assert_eq!(m.forced_path(), Some("/password"), "{}", t.name);
        settings::change_password(&state, None, &token, &m, &issued.password, &common::typed_password("Quiet9!River-Maple")).await.unwrap();
        let m = login::member(&state, &token).await.unwrap().unwrap();
        assert_eq!(m.forced_path(), Some("/consent"), "a letter asked no agreement: {}", t.name);
        app::backend::members::consent::agree(&state, None, &m.account_id).await.unwrap();
        let m = login::member(&state, &token).await.unwrap().unwrap();
        assert_eq!(m.forced_path(), Some("/profile"), "{}", t.name);
        let profile = settings::load(&state, &m.account_id, "").await.unwrap();
        assert!(profile.first_time && profile.emails.iter().all(String::is_empty));
        let input = ProfileInput {
            current_password: Some("Quiet9!River-Maple".into()),
            login_id: LoginId::parse("suzuki.ichiro").unwrap(),
            nickname: "いちろう".into(),
            emails: [Some(Email::parse("ichiro@home.test").unwrap()), None, None],
            preferences: MailPreference::ALL.to_vec(),
        };
        assert!(settings::save(&state, None, &m, input).await.unwrap(), "address 1 waits for its link");
        let m = login::member(&state, &token).await.unwrap().unwrap();
        assert_eq!(m.forced_path(), None, "{}", t.name);
    }
}

#[tokio::test]
async fn chosen_members_are_issued_or_skipped_with_a_reason_and_unused_credentials_are_renewed() {
    for t in all_dbs().await {
        let (state, clock) = paper_members(&t).await;
        let selection = Selection::Members(vec![member("34", "20"), member("34", "21"), member("12", "345"), member("99", "1")]);
        let report = temp_credentials::issue(&state.db, common::T0, &selection, 7, None).await.unwrap();
        assert_eq!(report.issued.len(), 1, "{}", t.name);
        let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason).collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(
            reasons.iter().any(|r| r.contains("資格喪失"))
                && reasons.iter().any(|r| r.contains("利用登録済み"))
                && reasons.iter().any(|r| r.contains("名簿"))
        );
        let first = report.issued[0].clone();

        // Expired: only someone with the right password learns it, and is pointed to the form.
        clock.advance(7 * 86_400 + 1);
        let e = common::login(&state, None, &first.login_id, &first.password).await.unwrap_err();
        assert_eq!(e.form_message().unwrap(), app::text::login::TEMP_EXPIRED, "{}", t.name);
        assert_eq!(
            common::login(&state, None, &first.login_id, "Wrong#Pass12").await.unwrap_err().form_message().unwrap(),
            app::text::login::WRONG
        );

        // Renewal keeps the login ID, changes the password.
        let renewed =
            temp_credentials::issue(&state.db, clock_now(&state), &Selection::Members(vec![member("34", "20")]), 7, None).await.unwrap();
        let second = renewed.issued[0].clone();
        assert_eq!(second.login_id, first.login_id);
        assert_ne!(second.password, first.password);
        assert!(common::login(&state, None, &second.login_id, &first.password).await.is_err());
        assert!(common::login(&state, None, &second.login_id, &second.password).await.is_ok(), "{}", t.name);
    }
}

fn clock_now(state: &AppState) -> i64 {
    app::backend::platform::Clock::now(state.clock.as_ref())
}
