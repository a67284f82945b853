//! 給付金支給決定通知書: the kinds of benefit a society decides, and a decision as the member reads
//! it (list, notice page, PDF).

use serde::{Deserialize, Serialize};

coded! {
    /// 給付の種類.
    BenefitKind:
    HighCost = "high_cost": "高額療養費",
    Additional = "additional": "付加給付",
    CoPaymentRefund = "copay_refund": "一部負担還元金",
    FamilyAdditional = "family_additional": "家族療養付加金",
    Sickness = "sickness": "傷病手当金",
    Maternity = "maternity": "出産手当金",
    Childbirth = "childbirth": "出産育児一時金",
    Burial = "burial": "埋葬料" | "埋葬費" | "家族埋葬料",
    Ryoyohi = "ryoyohi": "療養費",
    Other = "other": "その他",
}

/// The 振込先 as stored and shown: the bank as the file names it and the account's last 3 digits
/// (`みずほ銀行 新宿支店 ****567`); the full number is never kept.
pub fn masked_account(bank: &str, account_digits: &str) -> String {
    let last: String = account_digits.chars().rev().take(3).collect::<Vec<_>>().into_iter().rev().collect();
    match (bank.is_empty(), last.is_empty()) {
        (true, true) => String::new(),
        (false, true) => bank.to_string(),
        (_, false) => format!("{bank} ****{last}").trim_start().to_string(),
    }
}

/// One decision of a household (a line of a 決定 file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitNotice {
    /// `決定日-line`: what the page and PDF links carry.
    pub id: String,
    pub kind: BenefitKind,
    /// 対象: a 診療年月 (「2026年4月診療分」) or a period as the society writes it.
    pub target: String,
    pub patient: String,
    pub facility: String,
    pub decided_on: String,
    pub amount: i64,
    pub pay_on: Option<String>,
    pub account: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_their_words_and_aliases() {
        assert_eq!(BenefitKind::parse("高額療養費"), Some(BenefitKind::HighCost));
        assert_eq!(BenefitKind::parse(" 家族埋葬料 "), Some(BenefitKind::Burial));
        assert_eq!(BenefitKind::parse("sickness"), Some(BenefitKind::Sickness));
        assert_eq!(BenefitKind::parse("見舞金"), None);
        assert_eq!(BenefitKind::ALL.len(), 10);
    }

    #[test]
    fn only_the_last_three_digits_of_an_account_are_kept() {
        assert_eq!(masked_account("みずほ銀行 新宿支店", "1234567"), "みずほ銀行 新宿支店 ****567");
        assert_eq!(masked_account("", "12"), "****12");
        assert_eq!(masked_account("ゆうちょ銀行", ""), "ゆうちょ銀行");
        assert_eq!(masked_account("", ""), "");
    }
}
