//! 医療費控除用（PDF）: a household's year as the 医療費通知 the tax rules accept, with the six
//! items they name (被保険者等の氏名, 療養を受けた年月, 療養を受けた者, 療養を受けた病院・診療所・
//! 薬局等の名称, 被保険者等が支払った医療費の額, 保険者の名称), the months covered and the society's
//! contact. Made per request, never stored.

use crate::backend::documents::medical;
use crate::backend::documents::pdf::{Align, Column, Document, Fonts};
use crate::backend::platform::clock::jst;
use crate::backend::platform::{AppState, Config};
use crate::domain::medical::{mask_number, yen, Statement};
use crate::text::medical as text;

/// A household's year with what the statement says about whose it is.
#[derive(Debug, Clone)]
pub struct YearStatement {
    pub insured: String,
    /// 記号・番号, masked unless asked for.
    pub number: String,
    pub issued: String,
    pub statement: Statement,
}

/// The year of the account's household; `None` when it has no published line that year (the
/// answer to another household's guess too: nothing tells the two apart).
pub async fn for_year(state: &AppState, account_id: &str, year: i32, show_number: bool) -> Result<Option<YearStatement>, sqlx::Error> {
    let now = state.clock.now();
    let Some((insured, kigo, bango)) = medical::insured(&state.db, account_id).await? else { return Ok(None) };
    let statement = medical::statement(&state.db, now, account_id, year).await?;
    if statement.lines.is_empty() {
        return Ok(None);
    }
    let number = if show_number { format!("{kigo}-{bango}") } else { mask_number(&kigo, &bango) };
    Ok(Some(YearStatement { insured, number, issued: jst(now, "%Y年%-m月%-d日"), statement }))
}

/// The PDF of a [`YearStatement`].
pub fn render(fonts: &Fonts, config: &Config, y: &YearStatement) -> Result<Vec<u8>, String> {
    let s = &y.statement;
    let footer = format!("{}　{}", config.society_name, config.society_contact);
    let mut doc = Document::new(fonts, &text::pdf_title(s.year), &footer);
    doc.paragraph(text::PDF_LEAD);
    let period = s.covered_label().unwrap_or_default();
    doc.fields(&[
        (text::ITEM_INSURED, &y.insured),
        (text::ITEM_NUMBER, &y.number),
        (text::ITEM_INSURER, &config.society_name),
        (text::ITEM_PERIOD, &period),
        (text::ITEM_ISSUED, &y.issued),
    ]);
    doc.space(3.0);
    let columns = [
        // Wide enough that each of the tax rules' item names stays on one line.
        Column { title: text::COL_MONTH, width_mm: 25.0, align: Align::Left },
        Column { title: text::COL_PATIENT, width_mm: 24.0, align: Align::Left },
        Column { title: text::COL_FACILITY, width_mm: 57.0, align: Align::Left },
        Column { title: text::COL_CATEGORY, width_mm: 18.0, align: Align::Left },
        Column { title: text::COL_DAYS, width_mm: 10.0, align: Align::Right },
        Column { title: text::COL_SELF_PAY, width_mm: 46.0, align: Align::Right },
    ];
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(s.lines.len() + s.persons.len() + 1);
    for (person, totals) in &s.persons {
        for l in s.lines.iter().filter(|l| &l.patient == person) {
            rows.push(vec![
                l.month.label(),
                l.patient.clone(),
                if l.facility.is_empty() { text::NO_FACILITY.to_string() } else { l.facility.clone() },
                l.category.label().to_string(),
                l.days.to_string(),
                yen(l.self_pay),
            ]);
        }
        rows.push(vec![
            format!("{}（{person}）", text::PDF_SUBTOTAL),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            yen(totals.self_pay),
        ]);
    }
    rows.push(vec![text::PDF_TOTAL.to_string(), String::new(), String::new(), String::new(), String::new(), yen(s.total.self_pay)]);
    doc.table(&columns, &rows);
    doc.space(4.0);
    doc.heading(text::NOTES);
    for note in [text::NOTE_CLAIMS, text::NOTE_SUBSIDY, text::NOTE_FACILITY, text::NOTE_LATE, text::NOTE_BENEFITS] {
        doc.paragraph(&format!("・{note}"));
    }
    doc.paragraph(&format!("{}：{}", text::ITEM_CONTACT, config.society_contact));
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::medical::{Category, Month, StatementLine};

    use crate::backend::documents::pdf::{fonts, pdf_text};

    #[test]
    fn the_statement_carries_the_six_items_each_on_one_line() {
        let config = Config {
            society_name: "ミライ健康保険組合".into(),
            society_contact: "電話 03-1111-2222".into(),
            ..Config::from_env().unwrap()
        };
        let line = |month: u32, patient: &str, facility: &str, self_pay: i64| StatementLine {
            month: Month::new(2026, month).unwrap(),
            patient: patient.into(),
            facility: facility.into(),
            category: Category::Outpatient,
            days: 1,
            total_cost: self_pay * 3,
            self_pay,
        };
        let lines = vec![line(4, "山田 太郎", "医療法人社団 さくら会 みなと内科クリニック", 3700), line(5, "山田 花子", "", 1200)];
        let y = YearStatement {
            insured: "山田 太郎".into(),
            number: mask_number("12", "345"),
            issued: "2026年12月3日".into(),
            statement: Statement::new(2026, lines, Month::new(2026, 9)),
        };
        let pdf = render(fonts(&config).unwrap(), &config, &y).unwrap();
        for layout in [false, true] {
            let text = pdf_text(&pdf, layout);
            for item in [
                text::ITEM_INSURED,
                text::COL_MONTH,
                text::COL_PATIENT,
                text::COL_FACILITY,
                text::COL_SELF_PAY,
                text::ITEM_INSURER,
                "ミライ健康保険組合",
                "**-***",
                "2026年1月〜9月診療分",
                "4,900円",
                text::NO_FACILITY,
                "電話 03-1111-2222",
            ] {
                assert!(text.contains(item), "{item} (layout: {layout}):\n{text}");
            }
        }
    }
}
