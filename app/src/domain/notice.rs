//! 健保からのお知らせ: what staff type (title, plain-text body, schedule in JST, audience by 区分)
//! and how a body is shown to members: text with line breaks, URLs as links, nothing else
//! interpreted.

use super::{trim_spaces, FieldError, MemberStatus};
use serde::{Deserialize, Serialize};

pub const NOTICE_TITLE_MAX: usize = 100;
pub const NOTICE_BODY_MAX: usize = 4000;

pub fn parse_notice_title(input: &str) -> Result<String, FieldError> {
    let s = trim_spaces(input);
    if s.is_empty() {
        return Err(FieldError::new("件名を入力してください。"));
    }
    let n = s.chars().count();
    if n > NOTICE_TITLE_MAX {
        return Err(FieldError::new(format!("件名は{NOTICE_TITLE_MAX}文字以内で入力してください（現在{n}文字）。")));
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::new("件名は改行を含めず1行で入力してください。"));
    }
    Ok(s.to_string())
}

pub fn parse_notice_body(input: &str) -> Result<String, FieldError> {
    let s = input.trim_end().trim_start_matches(['\r', '\n']).replace("\r\n", "\n");
    if trim_spaces(&s).is_empty() {
        return Err(FieldError::new("本文を入力してください。"));
    }
    let n = s.chars().count();
    if n > NOTICE_BODY_MAX {
        return Err(FieldError::new(format!("本文は{NOTICE_BODY_MAX}文字以内で入力してください（現在{n}文字）。")));
    }
    Ok(s)
}

/// A date and time as `<input type="datetime-local">` sends it (`2026-12-01T09:00`), in JST, as
/// unix seconds. Empty: `None`.
pub fn parse_jst_datetime(input: &str, field: &str) -> Result<Option<i64>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .map(|t| Some(t.and_utc().timestamp() - 9 * 3600))
        .map_err(|_| FieldError::new(format!("{field}は日付と時刻（例：2026-12-01 09:00）で入力してください。")))
}

/// Who sees a notice: every member, or only those of some 区分.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience(pub Vec<MemberStatus>);

impl Audience {
    /// The 区分 a notice can be aimed at (資格喪失 members cannot log in).
    pub const CHOICES: [MemberStatus; 3] = [MemberStatus::Employed, MemberStatus::VoluntaryContinuation, MemberStatus::SpecialRetiree];

    /// As stored: `''` for everyone, else the codes separated by commas.
    pub fn code(&self) -> String {
        self.0.iter().map(|s| s.code()).collect::<Vec<_>>().join(",")
    }

    pub fn from_code(code: &str) -> Self {
        Self(Self::CHOICES.into_iter().filter(|s| code.split(',').any(|c| c == s.code())).collect())
    }

    pub fn is_everyone(&self) -> bool {
        self.0.is_empty() || Self::CHOICES.iter().all(|c| self.0.contains(c))
    }

    /// 全員 or the labels joined.
    pub fn label(&self) -> String {
        if self.is_everyone() {
            "全員".into()
        } else {
            self.0.iter().map(|s| s.label()).collect::<Vec<_>>().join("・")
        }
    }
}

/// A piece of a notice's body: text, or a URL to link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyPart<'a> {
    Text(&'a str),
    Link(&'a str),
    LineBreak,
}

/// Splits a body into text, links (`http://` / `https://` up to a space or a character that
/// cannot end a URL) and line breaks. Nothing else is interpreted: no HTML, no markup.
pub fn body_parts(body: &str) -> Vec<BodyPart<'_>> {
    let mut parts = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            parts.push(BodyPart::LineBreak);
        }
        let mut rest = line;
        while let Some(start) = [rest.find("https://"), rest.find("http://")].into_iter().flatten().min() {
            if start > 0 {
                parts.push(BodyPart::Text(&rest[..start]));
            }
            let after = &rest[start..];
            let end = after
                .char_indices()
                .find(|(_, c)| c.is_whitespace() || !c.is_ascii() || "<>\"'`（）「」、。".contains(*c))
                .map(|(i, _)| i)
                .unwrap_or(after.len());
            let url = after[..end].trim_end_matches(['.', ',', ')', ';', ':', '!', '?']);
            if url.len() <= "https://".len() {
                parts.push(BodyPart::Text(&after[..end.max(1)]));
                rest = &after[end.max(1)..];
                continue;
            }
            parts.push(BodyPart::Link(url));
            rest = &after[url.len()..];
        }
        if !rest.is_empty() {
            parts.push(BodyPart::Text(rest));
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_links_and_nothing_else_is_interpreted() {
        use BodyPart::*;
        assert_eq!(
            body_parts("詳しくは https://kenpo.example.jp/a?b=1 をご覧ください。\n<b>太字</b>"),
            vec![Text("詳しくは "), Link("https://kenpo.example.jp/a?b=1"), Text(" をご覧ください。"), LineBreak, Text("<b>太字</b>")]
        );
        assert_eq!(body_parts("（https://x.example/p）。"), vec![Text("（"), Link("https://x.example/p"), Text("）。")]);
        assert_eq!(body_parts("see http://a.example."), vec![Text("see "), Link("http://a.example"), Text(".")]);
        assert_eq!(body_parts("https:// は不完全"), vec![Text("https://"), Text(" は不完全")]);
        assert_eq!(body_parts("javascript:alert(1)"), vec![Text("javascript:alert(1)")]);
    }

    #[test]
    fn schedule_times_are_jst() {
        assert_eq!(parse_jst_datetime("2026-12-01T09:00", "掲載開始").unwrap(), Some(1_796_083_200));
        assert_eq!(parse_jst_datetime("", "掲載終了").unwrap(), None);
        assert!(parse_jst_datetime("12/1", "掲載開始").unwrap_err().0.contains("掲載開始"));
    }

    #[test]
    fn audiences_round_trip() {
        let a = Audience(vec![MemberStatus::VoluntaryContinuation]);
        assert_eq!(Audience::from_code(&a.code()), a);
        assert_eq!(a.label(), "任意継続");
        assert!(Audience::from_code("").is_everyone());
        assert_eq!(Audience::from_code("").label(), "全員");
    }

    #[test]
    fn titles_and_bodies() {
        assert!(parse_notice_title(" ").is_err());
        assert!(parse_notice_title("a\nb").is_err());
        assert_eq!(parse_notice_body("\r\n本文\r\n2行目\r\n\r\n").unwrap(), "本文\n2行目");
        assert!(parse_notice_body(&"あ".repeat(4001)).is_err());
    }
}
