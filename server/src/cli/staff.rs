//! Staff accounts from the command line (the first 管理者).

use super::open_db;
use app::backend::platform::{Clock, Config, SystemClock};

pub(crate) async fn add_staff(config: &Config, name: &str, email: &str, role: &str, member: Option<&str>) -> Result<(), String> {
    use app::backend::staff::{accounts, StaffError};
    use app::domain::{Email, StaffRole};
    let name = app::domain::trim_spaces(name);
    if name.is_empty() {
        return Err("--name を指定してください。".into());
    }
    let email = Email::parse(email).map_err(|e| e.0)?;
    let role = StaffRole::parse(role).ok_or("--role は admin か agent です。")?;
    let member = match member {
        Some(m) => Some(app::domain::MemberNumber::parse_joined(m).ok_or("--member は 12-345 の形で指定してください。")?),
        None => None,
    };
    let db = open_db(config).await?;
    match accounts::add(&db, config, SystemClock.now(), None, accounts::NewStaff { name, email: &email, role, member }).await {
        Ok(link) => {
            println!(
                "{}（{}）を追加しました。24時間以内に次のURLを開き、パスワードと認証アプリを設定してください（一度だけ使えます）:",
                name,
                role.label()
            );
            println!("{link}");
            Ok(())
        }
        Err(StaffError::EmailTaken) => Err(format!("{} の職員は既に登録されています。", email.as_str())),
        Err(e) => Err(e.to_string()),
    }
}
