//! Who a member is on the roster: 記号・番号, 生年月日, 区分 and the company email.

use super::{normalize_digits, trim_spaces, FieldError};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

fn all_ascii_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// 記号: exactly 2 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Kigo(String);

impl Kigo {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = normalize_digits(input);
        if s.is_empty() {
            return Err(FieldError::new("記号を入力してください。"));
        }
        if s.len() != 2 || !all_ascii_digits(&s) {
            return Err(FieldError::new("記号は数字2桁で入力してください。"));
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 番号: 1–6 digits; leading zeros are not significant, so `0345` is stored as `345`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bango(String);

impl Bango {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = normalize_digits(input);
        if s.is_empty() {
            return Err(FieldError::new("番号を入力してください。"));
        }
        if s.len() > 6 || !all_ascii_digits(&s) {
            return Err(FieldError::new("番号は数字1桁～6桁で入力してください。"));
        }
        let trimmed = s.trim_start_matches('0');
        Ok(Self(if trimmed.is_empty() { "0".into() } else { trimmed.into() }))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 記号 + 番号: the key of a roster row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MemberNumber {
    pub kigo: Kigo,
    pub bango: Bango,
}

impl MemberNumber {
    /// `12-345` (also `12 345`, full-width, other dashes) as 記号 and 番号.
    pub fn parse_joined(input: &str) -> Option<Self> {
        let q = normalize_digits(input.trim());
        let (k, b) = q.split_once(['-', ' ', '\u{3000}', 'ー', '－', '‐'])?;
        Some(Self { kigo: Kigo::parse(k).ok()?, bango: Bango::parse(b).ok()? })
    }
}

/// A date of a roster file or form: `YYYY-MM-DD` or `YYYY/MM/DD` (month and day may have one
/// digit, as Excel writes them), with full-width digits; `label` names the field in the message.
pub fn parse_date(input: &str, label: &str) -> Result<NaiveDate, FieldError> {
    let s = normalize_digits(input).replace('／', "/").replace('－', "-");
    if s.is_empty() {
        return Err(FieldError::new(format!("{label}を入力してください。")));
    }
    let bad = || FieldError::new(format!("{label}はYYYY-MM-DDまたはYYYY/MM/DDの形式で、正しい日付を入力してください。"));
    let sep = if s.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = s.split(sep).collect();
    let [y, m, d] = parts.as_slice() else { return Err(bad()) };
    let ok_len = y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len());
    if !ok_len || ![y, m, d].iter().all(|p| all_ascii_digits(p)) {
        return Err(bad());
    }
    let (y, m, d) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    NaiveDate::from_ymd_opt(y, m, d).filter(|d| d.year() >= BirthDate::MIN_YEAR).ok_or_else(bad)
}

/// 枝番: 2 digits (`1` is `01`); the insured person's is `00` unless the roster says otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Branch(String);

impl Branch {
    pub const INSURED: &'static str = "00";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = normalize_digits(input);
        if s.is_empty() {
            return Err(FieldError::new("枝番を入力してください。"));
        }
        if s.len() > 2 || !all_ascii_digits(&s) {
            return Err(FieldError::new("枝番は数字2桁で入力してください。"));
        }
        Ok(Self(format!("{s:0>2}")))
    }

    /// A cell that may be empty (`None`).
    pub fn parse_optional(input: &str) -> Result<Option<Self>, FieldError> {
        if normalize_digits(input).is_empty() {
            Ok(None)
        } else {
            Self::parse(input).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 生年月日 as a calendar date between 1900 and today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BirthDate(NaiveDate);

impl BirthDate {
    pub const MIN_YEAR: i32 = 1900;

    /// Accepts `YYYY-MM-DD` and `YYYY/MM/DD` (month and day may have one digit,
    /// as Excel writes them), with full-width digits.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        parse_date(input, "生年月日").and_then(|d| {
            Self::from_ymd(d.year(), d.month(), d.day())
                .ok_or_else(|| FieldError::new("生年月日はYYYY-MM-DDまたはYYYY/MM/DDの形式で、正しい日付を入力してください。"))
        })
    }

    /// Builds the date from the three pulldowns of the forms.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        if year < Self::MIN_YEAR {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, day).map(Self)
    }

    /// Refuses dates after `today` (the caller knows the clock).
    /// From the year / month / day pulldowns of a form.
    pub fn from_form(year: &str, month: &str, day: &str) -> Result<Self, FieldError> {
        let (Ok(y), Ok(m), Ok(d)) = (year.parse::<i32>(), month.parse::<u32>(), day.parse::<u32>()) else {
            return Err(FieldError::new("生年月日を選択してください。"));
        };
        Self::from_ymd(y, m, d).ok_or_else(|| FieldError::new("生年月日に正しい日付を選択してください。"))
    }

    pub fn not_after(self, today: NaiveDate) -> Result<Self, FieldError> {
        if self.0 > today {
            Err(FieldError::new("生年月日に未来の日付は指定できません。"))
        } else {
            Ok(self)
        }
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// ISO form `YYYY-MM-DD`, as stored in the database.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}

/// An email address: stored as entered (trimmed), compared case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        // ＠ and full-width letters from a phone's Japanese keyboard are the address meant.
        let folded = super::fold_width(input);
        let s = folded.as_str();
        if s.is_empty() {
            return Err(FieldError::new("メールアドレスを入力してください。"));
        }
        let bad =
            || FieldError::new("メールアドレスの形式が正しくありません。半角英数字で、例：taro@example.co.jp のように入力してください。");
        if s.len() > Self::MAX_LEN || !s.is_ascii() {
            return Err(bad());
        }
        let Some((local, domain)) = s.rsplit_once('@') else { return Err(bad()) };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&b));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if local_ok && domain_ok {
            Ok(Self(s.to_string()))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used for comparisons and unique indexes.
    pub fn normalized(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// 区分 of a roster member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MemberStatus {
    /// 在職
    Employed,
    /// 任意継続
    VoluntaryContinuation,
    /// 特例退職
    SpecialRetiree,
    /// 資格喪失: cannot sign up or log in.
    Lost,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 4] = [Self::Employed, Self::VoluntaryContinuation, Self::SpecialRetiree, Self::Lost];

    /// Accepts the Japanese label or the code stored in the database.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = trim_spaces(input);
        Self::ALL
            .into_iter()
            .find(|st| st.label() == s || st.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| FieldError::new("区分は「在職」「任意継続」「特例退職」「資格喪失」のいずれかを指定してください。"))
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Employed => "employed",
            Self::VoluntaryContinuation => "voluntary_continuation",
            Self::SpecialRetiree => "special_retiree",
            Self::Lost => "lost",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Employed => "在職",
            Self::VoluntaryContinuation => "任意継続",
            Self::SpecialRetiree => "特例退職",
            Self::Lost => "資格喪失",
        }
    }

    /// Whether the member may sign up and log in.
    pub fn is_active(self) -> bool {
        self != Self::Lost
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kigo_is_two_digits() {
        assert_eq!(Kigo::parse("１２").unwrap().as_str(), "12");
        assert!(Kigo::parse("1").is_err());
        assert!(Kigo::parse("123").is_err());
        assert!(Kigo::parse("1a").is_err());
        assert_eq!(Kigo::parse(" ").unwrap_err().0, "記号を入力してください。");
    }

    #[test]
    fn bango_ignores_leading_zeros() {
        assert_eq!(Bango::parse("0345").unwrap(), Bango::parse("345").unwrap());
        assert_eq!(Bango::parse("000000").unwrap().as_str(), "0");
        assert!(Bango::parse("1234567").is_err());
        assert!(Bango::parse("-1").is_err());
        assert!(Bango::parse("").is_err());
    }

    #[test]
    fn birth_date_formats() {
        let d = BirthDate::parse("1985-04-01").unwrap();
        assert_eq!(BirthDate::parse("1985/4/1").unwrap(), d);
        assert_eq!(BirthDate::parse("１９８５／０４／０１").unwrap(), d);
        assert_eq!(d.iso(), "1985-04-01");
        for bad in ["1985-02-30", "85-04-01", "1985.04.01", "1985-04", "1899-12-31", "1985-004-01", "abcd-01-01"] {
            assert!(BirthDate::parse(bad).is_err(), "{bad}");
        }
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert!(BirthDate::parse("2026-11-26").unwrap().not_after(today).is_err());
        assert!(BirthDate::parse("2026-11-25").unwrap().not_after(today).is_ok());
    }

    #[test]
    fn email_rules() {
        let e = Email::parse("  Taro.Yamada@Example.co.jp ").unwrap();
        assert_eq!(e.as_str(), "Taro.Yamada@Example.co.jp");
        assert_eq!(e.normalized(), "taro.yamada@example.co.jp");
        // A phone's Japanese keyboard: full-width letters, ＠ and an ideographic space.
        let wide = Email::parse("　Ｔａｒｏ．Ｙａｍａｄａ＠Ｅｘａｍｐｌｅ．ｃｏ．ｊｐ　").unwrap();
        assert_eq!(wide.as_str(), "Taro.Yamada@Example.co.jp");
        for bad in [
            "",
            "taro",
            "taro@",
            "@example.jp",
            "taro@example",
            "taro@@example.jp",
            "ta ro@example.jp",
            "taro@-example.jp",
            ".taro@example.jp",
            "taro..y@example.jp",
            "太郎@example.jp",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn status_accepts_labels_and_codes() {
        for st in MemberStatus::ALL {
            assert_eq!(MemberStatus::parse(st.label()).unwrap(), st);
            assert_eq!(MemberStatus::parse(st.code()).unwrap(), st);
        }
        assert!(MemberStatus::parse("退職").is_err());
        assert!(!MemberStatus::Lost.is_active());
    }

    proptest! {
        #[test]
        fn bango_parse_never_panics_and_is_canonical(s in "\\PC{0,10}") {
            if let Ok(b) = Bango::parse(&s) {
                prop_assert_eq!(Bango::parse(b.as_str()).unwrap(), b.clone());
                prop_assert!(b.as_str() == "0" || !b.as_str().starts_with('0'));
            }
        }

        #[test]
        fn valid_dates_round_trip(y in 1900i32..2100, m in 1u32..=12, d in 1u32..=28) {
            let date = BirthDate::from_ymd(y, m, d).unwrap();
            prop_assert_eq!(BirthDate::parse(&date.iso()).unwrap(), date);
            prop_assert_eq!(BirthDate::parse(&format!("{y}/{m}/{d}")).unwrap(), date);
        }

        #[test]
        fn email_parse_never_panics(s in "\\PC{0,80}") {
            let _ = Email::parse(&s);
        }
    }
}

/// Read back from the database as the type it was stored from: a stored value that no longer
/// parses is a decoding error, not a string that travels on.
#[cfg(feature = "ssr")]
macro_rules! decoded_from_text {
    ($($t:ty),*) => {$(
        impl sqlx::Type<sqlx::Any> for $t {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $t {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                Ok(<$t>::parse(&text)?)
            }
        }
    )*};
}
#[cfg(feature = "ssr")]
decoded_from_text!(Kigo, Bango);
