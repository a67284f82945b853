//! プロフィール設定 rules: the three addresses and the 配信メール設定.

use super::{Email, FieldError};
use serde::{Deserialize, Serialize};

/// 配信メール設定: the mails a member may receive (all wanted by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailPreference {
    MedicalExpenses,
    Newsletter,
    Notices,
    HealthMagazine,
    Applications,
}

impl MailPreference {
    pub const ALL: [Self; 5] = [Self::MedicalExpenses, Self::Newsletter, Self::Notices, Self::HealthMagazine, Self::Applications];

    /// Stored in `accounts.mail_preferences` and used as the form field name.
    pub fn code(self) -> &'static str {
        match self {
            Self::MedicalExpenses => "medical_expenses",
            Self::Newsletter => "newsletter",
            Self::Notices => "notices",
            Self::HealthMagazine => "health_magazine",
            Self::Applications => "applications",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The manual's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::MedicalExpenses => "医療費通知",
            Self::Newsletter => "メールマガジン",
            Self::Notices => "通知書・証明書",
            Self::HealthMagazine => "健康情報誌",
            Self::Applications => "申請書",
        }
    }

    /// The preferences named in a stored comma-separated list (unknown codes are ignored).
    pub fn parse_list(stored: &str) -> Vec<Self> {
        Self::ALL.into_iter().filter(|p| stored.split(',').any(|c| c.trim() == p.code())).collect()
    }

    pub fn to_list(prefs: &[Self]) -> String {
        Self::ALL.into_iter().filter(|p| prefs.contains(p)).map(Self::code).collect::<Vec<_>>().join(",")
    }
}

/// The field names of the three addresses.
pub const EMAIL_FIELDS: [&str; 3] = ["email1", "email2", "email3"];

/// メールアドレス1 is required, 2 and 3 are optional.
pub fn parse_profile_email(slot: usize, input: &str) -> Result<Option<Email>, FieldError> {
    if slot > 1 && super::trim_spaces(input).is_empty() {
        return Ok(None);
    }
    Email::parse(input).map(Some).map_err(|e| {
        if super::trim_spaces(input).is_empty() {
            FieldError::new("メールアドレス1を入力してください。")
        } else {
            e
        }
    })
}

/// The message for an address that repeats an earlier slot (compared case-insensitively).
pub fn duplicate_of_earlier(slot: usize, emails: &[&str; 3]) -> Option<FieldError> {
    let this = super::trim_spaces(emails[slot - 1]).to_ascii_lowercase();
    if this.is_empty() {
        return None;
    }
    let earlier = (1..slot).find(|&s| super::trim_spaces(emails[s - 1]).to_ascii_lowercase() == this)?;
    Some(FieldError::new(format!(
        "メールアドレス{earlier}と同じメールアドレスです。メールアドレス1～3には、それぞれ異なるメールアドレスを入力してください。"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_round_trip_and_ignore_unknown_codes() {
        let all = MailPreference::to_list(&MailPreference::ALL);
        assert_eq!(all, "medical_expenses,newsletter,notices,health_magazine,applications");
        assert_eq!(MailPreference::parse_list(&all), MailPreference::ALL.to_vec());
        assert_eq!(MailPreference::parse_list("newsletter,bogus"), vec![MailPreference::Newsletter]);
        assert_eq!(MailPreference::parse_list(""), vec![]);
    }

    #[test]
    fn address_1_is_required_2_and_3_are_optional() {
        assert!(parse_profile_email(1, " ").unwrap_err().0.contains("メールアドレス1を入力"));
        assert_eq!(parse_profile_email(2, "").unwrap(), None);
        assert!(parse_profile_email(3, "not-an-address").is_err());
        assert_eq!(parse_profile_email(2, "a@b.jp").unwrap().unwrap().as_str(), "a@b.jp");
    }

    #[test]
    fn duplicates_are_found_case_insensitively() {
        let emails = ["a@b.jp", "x@y.jp", "A@B.jp "];
        assert!(duplicate_of_earlier(1, &emails).is_none());
        assert!(duplicate_of_earlier(2, &emails).is_none());
        assert!(duplicate_of_earlier(3, &emails).unwrap().0.contains("メールアドレス1と同じ"));
        assert!(duplicate_of_earlier(3, &["a@b.jp", "", ""]).is_none());
    }
}
