//! 給付金支給決定通知書（PDF）: one decision, with whose it is (記号・番号 masked), what was decided
//! and where it is paid (the account's last 3 digits only). Made per request, never stored.

use crate::backend::documents::pdf::{Document, Fonts};
use crate::backend::platform::Config;
use crate::domain::benefit::BenefitNotice;
use crate::domain::family::date_label;
use crate::domain::medical::yen;
use crate::text::family as text;

/// Whose notice it is: the insured person and the masked 記号・番号.
pub struct Addressee {
    pub insured: String,
    pub number: String,
}

pub fn render(fonts: &Fonts, config: &Config, to: &Addressee, n: &BenefitNotice) -> Result<Vec<u8>, String> {
    let footer = format!("{}　{}", config.society_name, config.society_contact);
    let mut doc = Document::new(fonts, text::BENEFITS_TITLE, &footer);
    doc.paragraph(&format!("{} 様", to.insured));
    doc.paragraph(text::BENEFIT_LEAD_PDF);
    let or_dash = |s: &str| if s.is_empty() { text::BENEFIT_NOTE_NOT_GIVEN.to_string() } else { s.to_string() };
    let pay_on = n.pay_on.as_deref().map(date_label).unwrap_or_else(|| text::BENEFIT_NOTE_NOT_GIVEN.to_string());
    doc.fields(&[
        (text::BENEFIT_INSURED, &to.insured),
        (text::BENEFIT_NUMBER, &to.number),
        (text::BENEFIT_KIND, n.kind.label()),
        (text::BENEFIT_TARGET, &n.target),
        (text::BENEFIT_PATIENT, &n.patient),
        (text::BENEFIT_FACILITY, &or_dash(&n.facility)),
        (text::BENEFIT_DECIDED, &date_label(&n.decided_on)),
        (text::BENEFIT_AMOUNT, &yen(n.amount)),
        (text::BENEFIT_PAY_ON, &pay_on),
        (text::BENEFIT_ACCOUNT, &or_dash(&n.account)),
    ]);
    doc.space(2.0);
    for note in [text::BENEFIT_NOTE_PAY, text::BENEFIT_NOTE_TAX] {
        doc.paragraph(&format!("・{note}"));
    }
    doc.paragraph(&format!("{}：{}", crate::text::medical::ITEM_CONTACT, config.society_contact));
    doc.paragraph(&config.society_name);
    doc.finish()
}
