//! 職員画面: roles, the inquiry queue's states, the actions staff take on a member's account,
//! and the second factor of a staff login.

use super::{normalize_digits, FieldError, Password, PasswordContext};
use serde::{Deserialize, Serialize};

/// 管理者 may do everything, staff management included; 担当者 member support and inquiries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffRole {
    Admin,
    Agent,
}

impl StaffRole {
    pub const ALL: [StaffRole; 2] = [Self::Admin, Self::Agent];

    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Agent => "agent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "管理者",
            Self::Agent => "担当者",
        }
    }

    /// Accepts the code or the Japanese label.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == input.trim() || r.label() == input.trim())
    }

    /// Whether this role may do what `needed` may do.
    pub fn allows(self, needed: StaffRole) -> bool {
        self == Self::Admin || needed == Self::Agent
    }
}

/// 未対応 / 対応中 / 完了
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InquiryStatus {
    Open,
    InProgress,
    Closed,
}

impl InquiryStatus {
    pub const ALL: [InquiryStatus; 3] = [Self::Open, Self::InProgress, Self::Closed];

    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::InProgress => "in_progress",
            Self::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "未対応",
            Self::InProgress => "対応中",
            Self::Closed => "完了",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What staff can do to a member's account; each is confirmed with a reason for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberAction {
    Unlock,
    EndSessions,
    TempPassword,
    SetEmail1,
    Disable,
    Enable,
    SendLoginId,
    TwoStepReset,
}

impl MemberAction {
    pub const ALL: [MemberAction; 8] = [
        Self::Unlock,
        Self::EndSessions,
        Self::TempPassword,
        Self::SetEmail1,
        Self::Disable,
        Self::Enable,
        Self::SendLoginId,
        Self::TwoStepReset,
    ];

    /// The action's path segment.
    pub fn code(self) -> &'static str {
        match self {
            Self::Unlock => "unlock",
            Self::EndSessions => "end-sessions",
            Self::TempPassword => "temp-password",
            Self::SetEmail1 => "set-email1",
            Self::Disable => "disable",
            Self::Enable => "enable",
            Self::SendLoginId => "send-login-id",
            Self::TwoStepReset => "two-step-reset",
        }
    }

    /// The audit event of the action carried out.
    pub fn event(self) -> super::audit::Event {
        use super::audit::Event;
        match self {
            Self::Unlock => Event::StaffUnlock,
            Self::EndSessions => Event::StaffEndSessions,
            Self::TempPassword => Event::TempCredentialsIssued,
            Self::SetEmail1 => Event::StaffSetEmail1,
            Self::Disable => Event::StaffDisable,
            Self::Enable => Event::StaffEnable,
            Self::SendLoginId => Event::StaffSendLoginId,
            Self::TwoStepReset => Event::StaffTwoStepReset,
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The action's name on buttons and the confirmation page.
    pub fn label(self) -> &'static str {
        match self {
            Self::Unlock => "ロック解除",
            Self::EndSessions => "全端末をログアウト",
            Self::TempPassword => "仮パスワード発行（紙通知）",
            Self::SetEmail1 => "メールアドレス1の設定",
            Self::Disable => "利用停止",
            Self::Enable => "利用再開",
            Self::SendLoginId => "ログインIDをメールで通知",
            Self::TwoStepReset => "2段階認証リセット",
        }
    }

    /// Whether the action hands over or removes a factor of a member who registered (set their
    /// own password): then one staff member asks and a 管理者 other than them approves.
    pub fn needs_approval(self, registered: bool) -> bool {
        match self {
            Self::TwoStepReset | Self::SetEmail1 => true,
            Self::TempPassword => registered,
            _ => false,
        }
    }

    /// What the action does, shown on its confirmation page.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Unlock => "ログインの失敗によるロックを解除します。加入者はすぐにログインできるようになります。",
            Self::EndSessions => "この加入者のすべての端末をログアウトさせます。",
            Self::TempPassword => "仮パスワードを発行し、通知書（A4）を印刷します。登録済みの加入者は、これまでのパスワードが使えなくなり、次回ログイン時にパスワード変更が必要になります。確認済みのメールアドレスに発行のお知らせを送ります。",
            Self::SetEmail1 => "入力したアドレスに確認メールを送ります。加入者がメールのリンクをクリックすると、メールアドレス1が変更されます。",
            Self::Disable => "この加入者はログインできなくなり、すべての端末がログアウトされます。データは削除されません。",
            Self::Enable => "利用停止を解除し、再びログインできるようにします。",
            Self::SendLoginId => "確認済みのメールアドレスすべてに、ログインIDをお知らせするメールを送ります。",
            Self::TwoStepReset => "認証アプリとバックアップコードの両方を使えなくなった加入者の2段階認証を解除します。お問い合わせの内容でご本人であることを確認してから行ってください。すべての端末がログアウトされ、メールアドレス1にお知らせを送ります。",
        }
    }
}

/// The reason staff give for an action (for the audit log): required, one short line.
pub fn parse_reason(input: &str) -> Result<String, FieldError> {
    let reason = super::trim_spaces(input);
    if reason.is_empty() {
        return Err(FieldError::new("理由を入力してください（監査ログに記録されます）。"));
    }
    let n = reason.chars().count();
    if n > 200 {
        return Err(FieldError::new(format!("理由は200文字以内で入力してください（現在{n}文字）。")));
    }
    if reason.chars().any(char::is_control) {
        return Err(FieldError::new("理由は改行を含めず1行で入力してください。"));
    }
    Ok(reason.to_string())
}

/// A staff password: the members' rules with a longer minimum.
pub const STAFF_PASSWORD_MIN: usize = 12;

pub fn parse_staff_password(input: &str, ctx: &PasswordContext<'_>) -> Result<Password, FieldError> {
    let n = input.chars().count();
    if !input.is_empty() && n < STAFF_PASSWORD_MIN {
        return Err(FieldError::new(format!(
            "職員のパスワードは{STAFF_PASSWORD_MIN}文字以上{}文字以内で入力してください（現在{n}文字）。",
            Password::MAX
        )));
    }
    Password::parse(input, ctx)
}

/// The second factor of a staff login: the authenticator's 6-digit code or a backup code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    Code(String),
    Backup(String),
}

/// Backup codes: 10 characters that cannot be misread, shown as `xxxxx-xxxxx`.
pub const BACKUP_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
pub const BACKUP_LEN: usize = 10;

impl SecondFactor {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let typed: String = normalize_digits(input).chars().filter(|c| !matches!(c, ' ' | '\u{3000}' | '-')).collect();
        if typed.is_empty() {
            return Err(FieldError::new("確認コードを入力してください。"));
        }
        if typed.len() == 6 && typed.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Self::Code(typed));
        }
        let backup = typed.to_ascii_lowercase();
        if backup.len() == BACKUP_LEN && backup.bytes().all(|b| BACKUP_ALPHABET.contains(&b)) {
            return Ok(Self::Backup(backup));
        }
        Err(FieldError::new("確認コードは認証アプリに表示される6桁の数字（またはバックアップコード）を入力してください。"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_factors_are_six_digits_or_a_backup_code() {
        assert_eq!(SecondFactor::parse(" １２３ ４５６").unwrap(), SecondFactor::Code("123456".into()));
        assert_eq!(SecondFactor::parse("ABCDE-fghjk").unwrap(), SecondFactor::Backup("abcdefghjk".into()));
        assert!(SecondFactor::parse("12345").is_err());
        assert!(SecondFactor::parse("abcde-fghj0").is_err(), "0 is not in the alphabet");
        assert!(SecondFactor::parse("").is_err());
    }

    #[test]
    fn staff_passwords_are_longer() {
        let ctx = PasswordContext::default();
        assert!(parse_staff_password("Kenpo#2026a", &ctx).unwrap_err().0.contains("12文字以上"));
        assert!(parse_staff_password("Kenpo#2026ab", &ctx).is_ok());
    }

    #[test]
    fn an_admin_may_do_what_an_agent_may_but_not_the_reverse() {
        assert!(StaffRole::Admin.allows(StaffRole::Agent));
        assert!(StaffRole::Agent.allows(StaffRole::Agent));
        assert!(!StaffRole::Agent.allows(StaffRole::Admin));
        assert_eq!(StaffRole::parse("管理者"), Some(StaffRole::Admin));
        assert_eq!(StaffRole::parse("admin"), Some(StaffRole::Admin));
    }

    #[test]
    fn reasons_are_one_short_line() {
        assert_eq!(parse_reason("　電話で本人確認済み ").unwrap(), "電話で本人確認済み");
        assert!(parse_reason("").is_err());
        assert!(parse_reason("a\nb").is_err());
        assert!(parse_reason(&"あ".repeat(201)).is_err());
    }
}

/// An address as the audit log and the approver's list show it: the first two characters of
/// the local part and the domain (`ta***@demo-corp.example`).
pub fn mask_email(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().take(2).collect::<String>()),
        None => "***".to_string(),
    }
}

#[cfg(test)]
mod mask_tests {
    #[test]
    fn addresses_keep_two_characters_and_the_domain() {
        assert_eq!(super::mask_email("taro.yamada@demo-corp.example"), "ta***@demo-corp.example");
        assert_eq!(super::mask_email("a@b.jp"), "a***@b.jp");
        assert_eq!(super::mask_email("nonsense"), "***");
    }
}
