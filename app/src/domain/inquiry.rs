//! The inquiry form's own fields (記号・番号・生年月日・メールアドレス use the shared parsers).

use super::{normalize_digits, trim_spaces, Bango, BirthDate, Email, FieldError, Kigo};
use serde::{Deserialize, Serialize};

/// An inquiry as the form sent it, every field parsed.
#[derive(Debug, Clone)]
pub struct InquiryInput {
    pub kind: InquiryKind,
    pub name: String,
    pub kigo: Kigo,
    pub bango: Bango,
    pub birth_date: BirthDate,
    pub email: Email,
    pub phone: Option<String>,
    pub body: String,
}

/// 種別 of an inquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InquiryKind {
    Registration,
    Login,
    PaperLost,
    Other,
}

impl InquiryKind {
    pub const ALL: [Self; 4] = [Self::Registration, Self::Login, Self::PaperLost, Self::Other];

    pub fn code(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::Login => "login",
            Self::PaperLost => "paper_lost",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Registration => "新規登録について",
            Self::Login => "ログインID・パスワードについて",
            Self::PaperLost => "紙通知を紛失した",
            Self::Other => "その他",
        }
    }

    pub fn parse(code: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|k| k.code() == code).ok_or_else(|| FieldError::new("種別を選択してください。"))
    }
}

/// 氏名: 1–40 characters, no control characters.
pub fn parse_name(input: &str) -> Result<String, FieldError> {
    let s = trim_spaces(input);
    if s.is_empty() {
        return Err(FieldError::new("氏名を入力してください。"));
    }
    if s.chars().count() > 40 || s.chars().any(char::is_control) {
        return Err(FieldError::new("氏名は40文字以内で入力してください。"));
    }
    Ok(s.to_string())
}

/// 電話番号 (optional): 10 or 11 digits, hyphens allowed, full-width digits accepted.
pub fn parse_phone(input: &str) -> Result<Option<String>, FieldError> {
    let s: String = normalize_digits(input).chars().map(|c| if matches!(c, 'ー' | '－' | '‐' | '−') { '-' } else { c }).collect();
    if s.is_empty() {
        return Ok(None);
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if !s.chars().all(|c| c.is_ascii_digit() || c == '-') || !(10..=11).contains(&digits) || !s.starts_with('0') {
        return Err(FieldError::new("電話番号は0から始まる10桁または11桁の数字で入力してください（例：03-1234-5678）。"));
    }
    Ok(Some(s))
}

/// 内容: 1–2000 characters.
pub fn parse_inquiry_body(input: &str) -> Result<String, FieldError> {
    let s = trim_spaces(input);
    if s.is_empty() {
        return Err(FieldError::new("内容を入力してください。"));
    }
    let n = s.chars().count();
    if n > 2000 {
        return Err(FieldError::new(format!("内容は2000文字以内で入力してください（現在{n}文字）。")));
    }
    Ok(s.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inquiry_fields() {
        assert_eq!(InquiryKind::parse("paper_lost").unwrap(), InquiryKind::PaperLost);
        assert!(InquiryKind::parse("").unwrap_err().0.contains("種別"));
        assert_eq!(parse_name("　健保 太郎 ").unwrap(), "健保 太郎");
        assert!(parse_name("").is_err());
        assert!(parse_name(&"あ".repeat(41)).is_err());
        assert_eq!(parse_phone("").unwrap(), None);
        assert_eq!(parse_phone("０３－１２３４－５６７８").unwrap().as_deref(), Some("03-1234-5678"));
        assert_eq!(parse_phone("09012345678").unwrap().as_deref(), Some("09012345678"));
        assert!(parse_phone("12345").is_err());
        assert!(parse_phone("03-1234-567a").is_err());
        assert!(parse_inquiry_body(" ").is_err());
        assert!(parse_inquiry_body(&"a".repeat(2001)).unwrap_err().0.contains("2001"));
        assert_eq!(parse_inquiry_body("a\r\nb").unwrap(), "a\nb");
    }
}
