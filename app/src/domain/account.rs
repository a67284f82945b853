//! ログインID and パスワード rules (the manual's rules), the same in the browser and on the server.

use super::FieldError;
use serde::{Deserialize, Serialize};

/// `a-z A-Z 0-9` and `# + , / = ? ! @ * % & ^ ` - .` (the manual's list).
pub const SYMBOLS: &str = "#+,/=?!@*%&^`-.";

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || SYMBOLS.contains(c)
}

fn disallowed_chars(s: &str) -> String {
    let mut bad: Vec<char> = s.chars().filter(|c| !allowed(*c)).collect();
    bad.dedup();
    bad.into_iter()
        .take(5)
        .map(|c| if c == ' ' || c == '\u{3000}' { "空白".to_string() } else { format!("「{c}」") })
        .collect::<Vec<_>>()
        .join("")
}

/// The rules login IDs and passwords share: present, allowed characters only, length.
fn check_characters(s: &str, field: &str, min: usize, max: usize) -> Result<(), FieldError> {
    if s.is_empty() {
        return Err(FieldError::new(format!("{field}を入力してください。")));
    }
    if !s.chars().all(allowed) {
        return Err(FieldError::new(format!(
            "{field}に使えない文字{}が含まれています。半角英数字と記号（{SYMBOLS}）で入力してください。",
            disallowed_chars(s)
        )));
    }
    let n = s.chars().count();
    if !(min..=max).contains(&n) {
        return Err(FieldError::new(format!("{field}は{min}文字以上{max}文字以内で入力してください（現在{n}文字）。")));
    }
    Ok(())
}

/// ログインID: 8–39 allowed characters; unique case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LoginId(String);

impl LoginId {
    pub const MIN: usize = 8;
    pub const MAX: usize = 39;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        check_characters(input, "ログインID", Self::MIN, Self::MAX)?;
        Ok(Self(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form compared for uniqueness and at login.
    pub fn normalized(&self) -> String {
        Self::normalize(&self.0)
    }

    /// The normalised form of a login ID as typed, valid or not (a login looks up whatever
    /// was typed and answers the same for an ID that cannot exist): full-width or not, any case.
    pub fn normalize(typed: &str) -> String {
        super::login_key(typed)
    }
}

/// What a password must not contain besides the login ID (address, birth date).
#[derive(Debug, Default, Clone)]
pub struct PasswordContext<'a> {
    pub login_id: Option<&'a str>,
    pub email: Option<&'a str>,
    /// YYYY-MM-DD
    pub birth_date: Option<&'a str>,
}

/// A password that passed the rules of §3. Never logged, never serialised back.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 39;

    pub fn parse(input: &str, ctx: &PasswordContext<'_>) -> Result<Self, FieldError> {
        let s = input;
        check_characters(s, "パスワード", Self::MIN, Self::MAX)?;
        let mut missing = Vec::new();
        if !s.chars().any(|c| c.is_ascii_lowercase()) {
            missing.push("英小文字");
        }
        if !s.chars().any(|c| c.is_ascii_uppercase()) {
            missing.push("英大文字");
        }
        if !s.chars().any(|c| c.is_ascii_digit()) {
            missing.push("数字");
        }
        if !s.chars().any(|c| SYMBOLS.contains(c)) {
            missing.push("記号");
        }
        if !missing.is_empty() {
            return Err(FieldError::new(format!(
                "パスワードには英小文字・英大文字・数字・記号をそれぞれ1文字以上使ってください（{}がありません）。",
                missing.join("・")
            )));
        }
        contains_nothing_of(s, ctx)?;
        Ok(Self(s.to_string()))
    }

    /// The rest of the password policy, once the account is known (on the server, for
    /// registration, パスワード変更, reset and staff alike): nothing of the account in it
    /// (a form checks only what it shows), and not a common word dressed up.
    pub fn check_for_account(&self, ctx: &PasswordContext<'_>) -> Result<(), FieldError> {
        contains_nothing_of(&self.0, ctx)?;
        if super::strength::is_common(&self.0) {
            return Err(FieldError::new(crate::text::registration::PASSWORD_COMMON));
        }
        Ok(())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A password must not contain the login ID, the address's local part or the birth date.
fn contains_nothing_of(s: &str, ctx: &PasswordContext<'_>) -> Result<(), FieldError> {
    let lower = s.to_ascii_lowercase();
    if let Some(id) = ctx.login_id.filter(|id| !id.is_empty()) {
        if lower.contains(&id.to_ascii_lowercase()) {
            return Err(FieldError::new("パスワードにログインIDを含めることはできません。"));
        }
    }
    if let Some(local) = ctx.email.and_then(|e| e.split('@').next()).filter(|l| l.len() >= 4) {
        if lower.contains(&local.to_ascii_lowercase()) {
            return Err(FieldError::new("パスワードにメールアドレスを含めることはできません。"));
        }
    }
    if let Some(date) = ctx.birth_date {
        let digits: String = date.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() == 8 && (s.contains(&digits) || s.contains(&digits[2..])) {
            return Err(FieldError::new("パスワードに生年月日を含めることはできません。"));
        }
    }
    Ok(())
}

/// パスワード（確認）: must equal the password.
pub fn check_confirmation(password: &str, confirmation: &str) -> Result<(), FieldError> {
    if confirmation.is_empty() {
        Err(FieldError::new("確認のため、パスワードをもう一度入力してください。"))
    } else if password != confirmation {
        Err(FieldError::new("パスワードと確認用パスワードが一致しません。"))
    } else {
        Ok(())
    }
}

/// ニックネーム: 1–40 characters, no control characters.
pub fn parse_nickname(input: &str) -> Result<String, FieldError> {
    let s = super::trim_spaces(input);
    if s.is_empty() {
        return Err(FieldError::new("ニックネームを入力してください。"));
    }
    if s.chars().count() > 40 || s.chars().any(|c| c.is_control()) {
        return Err(FieldError::new("ニックネームは40文字以内で入力してください。"));
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pw(s: &str) -> Result<Password, FieldError> {
        Password::parse(
            s,
            &PasswordContext { login_id: Some("yamada-taro"), email: Some("taro.yamada@example.jp"), birth_date: Some("1985-04-01") },
        )
    }

    #[test]
    fn login_id_rules() {
        assert!(LoginId::parse("yamada.taro").is_ok());
        assert!(LoginId::parse("Ab#+,/=?!@*%&^`-.").is_ok());
        assert!(LoginId::parse("short7x").unwrap_err().0.contains("8文字以上"));
        assert!(LoginId::parse(&"a".repeat(40)).is_err());
        assert!(LoginId::parse(&"a".repeat(39)).is_ok());
        assert!(LoginId::parse("yamada taro").unwrap_err().0.contains("空白"));
        assert!(LoginId::parse("やまだたろうさん").unwrap_err().0.contains("使えない文字"));
        assert!(LoginId::parse("yamada_taro").unwrap_err().0.contains("「_」"));
        assert_eq!(LoginId::parse("Yamada.Taro").unwrap().normalized(), "yamada.taro");
    }

    #[test]
    fn password_rules() {
        assert!(pw("Kenpo#2026x").is_ok());
        assert!(pw("Ke#2026x").unwrap_err().0.contains("10文字以上"));
        assert!(pw(&format!("Aa1#{}", "b".repeat(36))).unwrap_err().0.contains("39文字以内"));
        assert!(pw("kenpo#2026x").unwrap_err().0.contains("英大文字"));
        assert!(pw("KENPO#2026X").unwrap_err().0.contains("英小文字"));
        assert!(pw("Kenpo#abcdx").unwrap_err().0.contains("数字"));
        assert!(pw("Kenpo12026x").unwrap_err().0.contains("記号"));
        assert!(pw("Kenpo_2026x").unwrap_err().0.contains("使えない文字"));
        assert!(pw("X1#Yamada-Taro").unwrap_err().0.contains("ログインID"));
        assert!(pw("X1#Taro.Yamada").unwrap_err().0.contains("メールアドレス"));
        assert!(pw("Kenpo#19850401").unwrap_err().0.contains("生年月日"));
        assert!(check_confirmation("a", "b").is_err());
        assert!(check_confirmation("a", "a").is_ok());
        assert!(format!("{:?}", pw("Kenpo#2026x").unwrap()) == "Password(***)");
    }

    proptest! {
        #[test]
        fn valid_login_ids_round_trip(s in "[a-zA-Z0-9#+,/=?!@*%&^`.-]{8,39}") {
            let id = LoginId::parse(&s).unwrap();
            prop_assert_eq!(id.as_str(), s.as_str());
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,50}") {
            let _ = LoginId::parse(&s);
            let _ = Password::parse(&s, &PasswordContext::default());
            let _ = parse_nickname(&s);
        }
    }
}
