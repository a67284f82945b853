//! The household as the society has it (the insured person and the 被扶養者) and the
//! 資格情報のお知らせ issued to each of them: what the pages and the PDFs show.

use serde::{Deserialize, Serialize};

/// `1985-04-01` → 「1985年4月1日」 (anything else as it is).
pub fn date_label(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => d.format("%Y年%-m月%-d日").to_string(),
        Err(_) => iso.to_string(),
    }
}

/// A unix time as its date in Japan: 「2026年12月3日」.
pub fn issued_label(at: i64) -> String {
    chrono::DateTime::from_timestamp(at + 9 * 3600, 0).map(|t| t.format("%Y年%-m月%-d日").to_string()).unwrap_or_default()
}

/// A person of the household (ご家族).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyMember {
    pub insured: bool,
    pub branch: String,
    pub name: String,
    pub name_kana: Option<String>,
    /// 本人 for the insured person.
    pub relation: String,
    pub birth_date: String,
    pub acquired_on: Option<String>,
    pub lost_on: Option<String>,
}

/// One issued version of a 資格情報のお知らせ, as it was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationNotice {
    pub id: String,
    pub version: i64,
    /// The latest version of a person still covered.
    pub is_current: bool,
    pub issued_at: i64,
    pub insurer_number: String,
    pub insurer_name: String,
    pub kigo: String,
    pub bango: String,
    pub branch: String,
    pub name: String,
    pub relation: String,
    pub birth_date: String,
    pub acquired_on: Option<String>,
}

impl QualificationNotice {
    /// The person's place in the household: the insured person first, then by 枝番.
    pub fn person_order(&self) -> (bool, String) {
        (self.relation != RELATION_INSURED, self.branch.clone())
    }
}

/// The 続柄 written for the insured person.
pub const RELATION_INSURED: &str = "本人";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_japanese() {
        assert_eq!(date_label("1985-04-01"), "1985年4月1日");
        assert_eq!(date_label("2026-12-31"), "2026年12月31日");
        assert_eq!(date_label(""), "");
    }
}
