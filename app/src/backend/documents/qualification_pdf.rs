//! 資格情報のお知らせ（PDF）: one page per person (one person, or the whole household), each with
//! the items of the notice, that it is not a 保険証 and how it goes with a マイナ保険証. Made per
//! request, never stored.

use crate::backend::documents::pdf::{Document, Fonts};
use crate::backend::platform::Config;
use crate::domain::family::{date_label, issued_label, QualificationNotice};
use crate::text::family as text;

/// The PDF of `notices` (each as it was issued: an earlier version says so).
pub fn render(fonts: &Fonts, config: &Config, notices: &[QualificationNotice]) -> Result<Vec<u8>, String> {
    let footer = format!("{}　{}", config.society_name, config.society_contact);
    let mut doc = Document::new(fonts, text::TITLE, &footer);
    for (n, notice) in notices.iter().enumerate() {
        if n > 0 {
            doc.page_break();
        }
        let heading = format!("{} {}{}", notice.name, text::PDF_FOR, if notice.is_current { "" } else { text::SUPERSEDED });
        doc.heading(&heading);
        let acquired = notice.acquired_on.as_deref().map(date_label).unwrap_or_else(|| text::NOT_GIVEN.to_string());
        let issued = format!("{}（{}）", issued_label(notice.issued_at), text::version_label(notice.version));
        doc.fields(&[
            (text::ITEM_INSURER_NUMBER, &notice.insurer_number),
            (text::ITEM_INSURER_NAME, &notice.insurer_name),
            (text::ITEM_KIGO, &notice.kigo),
            (text::ITEM_BANGO, &notice.bango),
            (text::ITEM_BRANCH, &notice.branch),
            (text::ITEM_NAME, &notice.name),
            (text::ITEM_BIRTH, &date_label(&notice.birth_date)),
            (text::ITEM_ACQUIRED, &acquired),
            (text::ITEM_ISSUED, &issued),
        ]);
        doc.space(2.0);
        doc.paragraph(&format!("・{}", text::NOT_A_CARD));
        doc.paragraph(&format!("・{}（{}）", text::MYNA_HOW, text::MYNA_URL));
        doc.paragraph(&format!("{}：{}", crate::text::medical::ITEM_CONTACT, config.society_contact));
    }
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(name: &str, branch: &str, current: bool) -> QualificationNotice {
        QualificationNotice {
            id: "x".into(),
            version: 2,
            is_current: current,
            issued_at: 1_780_000_000,
            insurer_number: "06139999".into(),
            insurer_name: "ミライ健康保険組合".into(),
            kigo: "12".into(),
            bango: "345".into(),
            branch: branch.into(),
            name: name.into(),
            relation: "妻".into(),
            birth_date: "1987-06-15".into(),
            acquired_on: Some("2015-04-01".into()),
        }
    }

    #[test]
    fn each_person_gets_a_page_with_every_item() {
        let config = Config { society_name: "ミライ健康保険組合".into(), ..Config::from_env().unwrap() };
        let fonts = crate::backend::documents::pdf::fonts(&config).unwrap();
        let pdf = render(fonts, &config, &[notice("山田 太郎", "00", true), notice("山田 花子", "01", false)]).unwrap();
        let text = crate::backend::documents::pdf::pdf_text(&pdf, false);
        for item in [
            "保険者番号",
            "06139999",
            "ミライ健康保険組合",
            "記号",
            "番号",
            "枝番",
            "資格取得年月日",
            "2015年4月1日",
            "1987年6月15日",
            "保険証ではありません",
            "マイナ保険証",
            "第2版",
        ] {
            assert!(text.contains(item), "{item} missing in:\n{text}");
        }
        assert!(text.contains("山田 太郎 様"), "{text}");
        assert!(text.contains("山田 花子 様（以前の版）"), "{text}");
        assert_eq!(text.matches('\u{c}').count(), 2, "one page per person:\n{text}");
    }
}
