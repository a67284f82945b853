//! 給付金の決定ファイル: one file is one decision batch (its 決定日 the same on every row); every
//! row checked with its line, then (`benefits::load`) written in the caller's transaction.

use crate::backend::platform::csv_file::{self, ImportError, RowError};
use crate::domain::benefit::{masked_account, BenefitKind};
use crate::domain::medical::{parse_yen, Month};
use crate::domain::{normalize_digits, parse_date, trim_spaces, Bango, Branch, Kigo};

/// One valid row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenefitLine {
    pub line: u64,
    pub kigo: Kigo,
    pub bango: Bango,
    /// '' when the file has none.
    pub branch: String,
    pub kind: BenefitKind,
    pub target: String,
    pub patient: String,
    pub facility: String,
    pub amount: i64,
    pub pay_on: Option<chrono::NaiveDate>,
    /// Bank and the account's last 3 digits only.
    pub account: String,
}

/// A checked file: its 決定日 (the batch) and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenefitFile {
    pub decided_on: chrono::NaiveDate,
    pub lines: Vec<BenefitLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Kigo,
    Bango,
    Branch,
    Kind,
    Target,
    Patient,
    Facility,
    DecidedOn,
    Amount,
    PayOn,
    Bank,
    Account,
}

impl Column {
    fn from_header(name: &str) -> Option<Self> {
        Some(match name {
            "kigo" | "記号" => Self::Kigo,
            "bango" | "番号" => Self::Bango,
            "branch" | "枝番" => Self::Branch,
            "kind" | "給付の種類" | "給付種類" => Self::Kind,
            "target" | "対象" | "対象期間" | "診療年月" => Self::Target,
            "patient" | "受診者" | "受診者氏名" | "対象者" => Self::Patient,
            "facility" | "医療機関等名称" | "医療機関名" => Self::Facility,
            "decided_on" | "決定日" => Self::DecidedOn,
            "amount" | "支給額" | "支給金額" => Self::Amount,
            "pay_on" | "支給予定日" => Self::PayOn,
            "bank" | "振込先" | "振込先金融機関" => Self::Bank,
            "account" | "口座番号" => Self::Account,
            _ => return None,
        })
    }
    const REQUIRED: [(Column, &'static str); 8] = [
        (Self::Kigo, "kigo（記号）"),
        (Self::Bango, "bango（番号）"),
        (Self::Kind, "kind（給付の種類）"),
        (Self::Target, "target（対象）"),
        (Self::Patient, "patient（受診者）"),
        (Self::DecidedOn, "decided_on（決定日）"),
        (Self::Amount, "amount（支給額）"),
        (Self::PayOn, "pay_on（支給予定日）"),
    ];
}

const KNOWN: &str = "kigo,bango,branch,kind,target,patient,facility,decided_on,amount,pay_on,bank,account \
     または 記号,番号,枝番,給付の種類,対象,受診者,医療機関等名称,決定日,支給額,支給予定日,振込先金融機関,口座番号";
const MAX_TEXT: usize = 100;
const MAX_TARGET: usize = 40;

/// Parses and checks the whole file; returns every problem at once.
pub fn parse(text: &str, today: chrono::NaiveDate) -> Result<BenefitFile, ImportError> {
    let mut records = csv_file::reader(text.as_bytes());
    let header = csv_file::header_row(&mut records).map_err(|e| ImportError::Rows(vec![e]))?;
    let columns = csv_file::header_columns(&header, Column::from_header, &Column::REQUIRED, KNOWN).map_err(ImportError::Rows)?;
    let mut errors: Vec<RowError> = Vec::new();
    let mut lines = Vec::new();
    let mut batch: Option<(chrono::NaiveDate, u64)> = None;
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(csv_file::csv_error(e.position().map(|p| p.line()).unwrap_or(0), &e));
                continue;
            }
        };
        let (line, blank) = csv_file::line_of(&record);
        if blank {
            continue;
        }
        if record.len() != columns.len() {
            errors.push(RowError {
                line, reason: format!("列の数が {} です（見出しは {} 列）。", record.len(), columns.len())
            });
            continue;
        }
        let field = |c: Column| columns.iter().position(|x| *x == c).map(|i| trim_spaces(&record[i])).unwrap_or("");
        let mut problems: Vec<String> = Vec::new();
        if record.iter().any(|f| f.contains(csv_file::UNREADABLE)) {
            problems.push("文字コードを読み取れない文字があります（UTF-8 または Shift_JIS で保存してください）。".into());
        }
        let kigo = Kigo::parse(field(Column::Kigo)).map_err(|e| problems.push(e.0)).ok();
        let bango = Bango::parse(field(Column::Bango)).map_err(|e| problems.push(e.0)).ok();
        let branch = Branch::parse_optional(field(Column::Branch)).map_err(|e| problems.push(e.0)).ok().flatten();
        let kind = BenefitKind::parse(field(Column::Kind));
        if kind.is_none() {
            let all: Vec<&str> = BenefitKind::ALL.iter().map(|k| k.label()).collect();
            problems.push(format!("給付の種類は {} のいずれかにしてください。", all.join("・")));
        }
        let target = match Month::parse(field(Column::Target)) {
            Some(month) => format!("{}診療分", month.label()),
            None => field(Column::Target).to_string(),
        };
        if target.is_empty() {
            problems.push("対象（診療年月または期間）を入力してください。".into());
        } else if target.chars().count() > MAX_TARGET {
            problems.push(format!("対象は{MAX_TARGET}文字以内にしてください。"));
        }
        let patient = field(Column::Patient).to_string();
        if patient.is_empty() {
            problems.push("受診者を入力してください。".into());
        }
        let facility = field(Column::Facility).to_string();
        if [&patient, &facility].iter().any(|t| t.chars().count() > MAX_TEXT) {
            problems.push(format!("受診者・医療機関等名称は{MAX_TEXT}文字以内にしてください。"));
        }
        let decided_on = parse_date(field(Column::DecidedOn), "決定日").map_err(|e| problems.push(e.0)).ok();
        match (decided_on, batch) {
            (Some(d), _) if d > today => problems.push("決定日に未来の日付は指定できません。".into()),
            (Some(d), Some((first, first_line))) if d != first => {
                problems.push(format!("決定日が{first_line}行目（{first}）と違います。1つのファイルには1回の決定分だけを入れてください。"))
            }
            (Some(d), None) => batch = Some((d, line)),
            _ => {}
        }
        let amount = parse_yen(field(Column::Amount)).filter(|n| *n > 0);
        if amount.is_none() {
            problems.push("支給額は1円以上の金額（数字）で入力してください。".into());
        }
        let pay_on = if field(Column::PayOn).is_empty() {
            None
        } else {
            parse_date(field(Column::PayOn), "支給予定日").map_err(|e| problems.push(e.0)).ok()
        };
        let account = normalize_digits(field(Column::Account)).replace(['-', ' '], "");
        if !account.bytes().all(|b| b.is_ascii_digit()) || account.len() > 14 {
            problems.push("口座番号は数字14桁以内で入力してください。".into());
        }
        let bank = field(Column::Bank);
        if bank.chars().count() > MAX_TEXT {
            problems.push(format!("振込先金融機関は{MAX_TEXT}文字以内にしてください。"));
        }
        match (kigo, bango, kind, amount) {
            (Some(kigo), Some(bango), Some(kind), Some(amount)) if problems.is_empty() => lines.push(BenefitLine {
                line,
                kigo,
                bango,
                branch: branch.map_or_else(String::new, |b| b.as_str().to_string()),
                kind,
                target,
                patient,
                facility,
                amount,
                pay_on,
                account: masked_account(bank, &account),
            }),
            _ => errors.extend(problems.into_iter().map(|reason| RowError { line, reason })),
        }
    }
    match batch {
        _ if !errors.is_empty() => Err(ImportError::Rows(errors)),
        None => Err(ImportError::Rows(vec![RowError { line: 0, reason: "ファイルに決定の行がありません。".into() }])),
        Some((decided_on, _)) => Ok(BenefitFile { decided_on, lines }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    const HEADER: &str = "記号,番号,枝番,給付の種類,対象,受診者,医療機関等名称,決定日,支給額,支給予定日,振込先金融機関,口座番号\n";

    fn errors(text: &str) -> Vec<RowError> {
        match parse(text, today()) {
            Err(ImportError::Rows(e)) => e,
            other => panic!("expected row errors, got {other:?}"),
        }
    }

    #[test]
    fn a_file_reads_as_one_decision_with_masked_accounts() {
        let file = parse(
            &format!(
                "{HEADER}12,345,01,高額療養費,2026年8月,山田 花子,東京ミライ総合病院,2026-11-10,\"45,600\",2026-11-30,みずほ銀行 新宿支店,1234567\n\
                 12,345,00,傷病手当金,2026/9/1〜2026/9/30,山田 太郎,,2026/11/10,180000,2026-11-30,,\n"
            ),
            today(),
        )
        .unwrap();
        assert_eq!(file.decided_on.to_string(), "2026-11-10");
        let [a, b] = file.lines.as_slice() else { panic!("{file:?}") };
        assert_eq!(
            (a.kind, a.target.as_str(), a.amount, a.account.as_str()),
            (BenefitKind::HighCost, "2026年8月診療分", 45_600, "みずほ銀行 新宿支店 ****567")
        );
        assert_eq!(
            (b.kind, b.target.as_str(), b.facility.as_str(), b.account.as_str()),
            (BenefitKind::Sickness, "2026/9/1〜2026/9/30", "", "")
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let e = errors(&format!(
            "{HEADER}12,345,,見舞金,2026-08,A,,2026-11-10,100,,,\n\
             12,345,,付加給付,,A,,2026-11-10,100,,,\n\
             12,345,,付加給付,2026-08,A,,2026-11-11,100,,,\n\
             12,345,,付加給付,2026-08,A,,2026-11-10,0,,,\n\
             12,345,,付加給付,2026-08,A,,2026-11-10,100,,,12-34x\n\
             12,345,,付加給付,2026-08,,,2026-11-10,100,2026-13-01,,\n"
        ));
        let lines: Vec<u64> = e.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 7], "{e:#?}");
        assert!(e[0].reason.contains("給付の種類"));
        assert!(e[1].reason.contains("対象"));
        assert!(e[2].reason.contains("2行目"));
        assert!(e[3].reason.contains("支給額"));
        assert!(e[4].reason.contains("口座番号"));
        assert!(e[5].reason.contains("受診者") && e[6].reason.contains("支給予定日"));
        assert!(errors(HEADER)[0].reason.contains("行がありません"));
        assert!(errors("記号,番号\n").iter().any(|e| e.reason.contains("decided_on（決定日）")));
    }
}
