//! 医療費のお知らせ: the values of a claims line (診療年月, 診療区分, amounts) as the society's
//! file writes them, and the yearly statement a household reads (per person and per year).

use crate::domain::era::ERAS;
use crate::domain::normalize_digits;

/// A 診療年月 or 処理年月.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// `2026-04`, `2026/4`, `202604`, or 和暦: `令和8年4月`, `令和元年5月`, `R8.4`, `R08/04`, `H31.4`.
    pub fn parse(input: &str) -> Option<Self> {
        let s = normalize_digits(input);
        let s = s.trim_end_matches('分').trim_end_matches("診療").trim_end_matches('月');
        if let Some(month) = Self::parse_wareki(s) {
            return Some(month);
        }
        let (year, month) =
            if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) { (&s[..4], &s[4..]) } else { s.split_once(['-', '/', '.', '年'])? };
        Self::new(year.parse().ok()?, month.parse().ok()?)
    }

    fn parse_wareki(s: &str) -> Option<Self> {
        let (start, rest) = ERAS.iter().find_map(|((y, m, _), name)| {
            let initial = ERA_INITIALS.iter().find(|(n, _)| n == name).map(|(_, i)| *i)?;
            let rest = s.strip_prefix(name).or_else(|| s.strip_prefix(initial)).or_else(|| s.strip_prefix(&initial.to_lowercase()))?;
            Some(((*y, *m), rest))
        })?;
        let (year, month) = rest.split_once(['.', '/', '-', '年'])?;
        let n: i32 = if year == "元" { 1 } else { year.parse().ok()? };
        let month = Self::new(start.0 + n - 1, month.parse().ok()?)?;
        // An era's first year begins at its first month (令和元年 is 2019-05 onwards).
        (n >= 1 && (n > 1 || month.month >= start.1)).then_some(month)
    }

    /// The month a unix time falls in, in the society's local time (JST).
    pub fn of_unix_jst(at: i64) -> Self {
        use chrono::Datelike;
        let day = chrono::DateTime::from_timestamp(at + 9 * 3600, 0).unwrap_or_default().date_naive();
        Self { year: day.year(), month: day.month() }
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn from_iso(s: &str) -> Option<Self> {
        let (y, m) = s.split_once('-')?;
        Self::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// 「2026年4月」
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    /// The month `n` months before this one.
    pub fn minus(self, n: u32) -> Self {
        let index = self.year * 12 + self.month as i32 - 1 - n as i32;
        Self { year: index.div_euclid(12), month: index.rem_euclid(12) as u32 + 1 }
    }
}

const ERA_INITIALS: &[(&str, &str)] = &[("令和", "R"), ("平成", "H"), ("昭和", "S")];

coded! {
    /// 診療区分 of a claims line.
    Category:
    Inpatient = "inpatient": "医科入院" | "入院" | "医科（入院）",
    Outpatient = "outpatient": "医科外来" | "外来" | "医科（外来）",
    Dental = "dental": "歯科",
    Pharmacy = "pharmacy": "調剤" | "薬局",
    HomeNursing = "home_nursing": "訪問看護",
    Judo = "judo": "柔整" | "柔道整復",
    Acupuncture = "acupuncture": "はり・きゅう" | "はりきゅう" | "はり・きゅう・マッサージ",
    Ryoyohi = "ryoyohi": "療養費",
    Other = "other": "その他",
}

/// The largest amount a line may carry (10億円: far above any one month's claim).
pub const MAX_YEN: i64 = 1_000_000_000;

/// An amount in yen as files write it: `12340`, `12,340`, `１２，３４０円`.
pub fn parse_yen(input: &str) -> Option<i64> {
    let s = normalize_digits(input).replace([',', '，'], "");
    let s = s.strip_suffix('円').unwrap_or(&s);
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|n| *n <= MAX_YEN)
}

/// 「12,340円」
pub fn yen(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 6);
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out.push('円');
    out
}

/// 記号・番号 as the statement prints them by default: every character hidden (the tax office
/// asks filers to hide them), the length kept so the member recognises the shape.
pub fn mask_number(kigo: &str, bango: &str) -> String {
    format!("{}-{}", "*".repeat(kigo.chars().count()), "*".repeat(bango.chars().count()))
}

/// One line of a household's statement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StatementLine {
    pub month: Month,
    pub patient: String,
    /// Empty when the claim names none (such a line cannot be used for the tax return).
    pub facility: String,
    pub category: Category,
    pub days: i64,
    pub total_cost: i64,
    pub self_pay: i64,
}

/// What a person or a year adds up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    pub lines: i64,
    pub days: i64,
    pub total_cost: i64,
    pub self_pay: i64,
}

impl Totals {
    fn add(&mut self, line: &StatementLine) {
        self.lines += 1;
        self.days += line.days;
        self.total_cost += line.total_cost;
        self.self_pay += line.self_pay;
    }
}

/// A household's lines of one calendar year, as the page and the PDF show them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Statement {
    pub year: i32,
    /// By 診療年月, then 受診者, then facility.
    pub lines: Vec<StatementLine>,
    /// Each 受診者 (in the order they first appear) and their totals.
    pub persons: Vec<(String, Totals)>,
    pub total: Totals,
    /// The last 診療年月 of this year the society has published for anyone: the totals cover
    /// January to this month (`None`: nothing of this year yet).
    pub covered_until: Option<Month>,
}

impl Statement {
    pub fn new(year: i32, mut lines: Vec<StatementLine>, latest_published: Option<Month>) -> Self {
        lines.sort_by(|a, b| (a.month, &a.patient, &a.facility).cmp(&(b.month, &b.patient, &b.facility)));
        let mut persons: Vec<(String, Totals)> = Vec::new();
        let mut total = Totals::default();
        for line in &lines {
            total.add(line);
            match persons.iter_mut().find(|(name, _)| *name == line.patient) {
                Some((_, t)) => t.add(line),
                None => {
                    let mut t = Totals::default();
                    t.add(line);
                    persons.push((line.patient.clone(), t));
                }
            }
        }
        let covered_until = latest_published.map(|m| if m.year > year { Month { year, month: 12 } } else { m }).filter(|m| m.year == year);
        Self { year, lines, persons, total, covered_until }
    }

    /// The statement of one 受診者 only (the page's filter); totals follow.
    pub fn of_patient(self, patient: &str) -> Self {
        let lines = self.lines.into_iter().filter(|l| l.patient == patient).collect();
        let latest = self.covered_until;
        Self::new(self.year, lines, latest)
    }

    /// 「2026年1月〜9月診療分」, or for a whole year 「2026年1月〜12月診療分」.
    pub fn covered_label(&self) -> Option<String> {
        self.covered_until.map(|m| format!("{}年1月〜{}月診療分", self.year, m.month))
    }

    /// Whether months of this year are still to come (the totals are not the whole year).
    pub fn incomplete(&self) -> bool {
        self.covered_until.is_none_or(|m| m.month < 12)
    }

    /// Lines without a facility name: they cannot be used for the 医療費控除 as they are.
    pub fn without_facility(&self) -> usize {
        self.lines.iter().filter(|l| l.facility.is_empty()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_as_files_write_them() {
        let april = Month::new(2026, 4);
        for s in ["2026-04", "2026/4", "202604", "２０２６年４月", "令和8年4月", "令和８年４月分", "R8.4", "R08/04", "r8.4", "2026.04"]
        {
            assert_eq!(Month::parse(s), april, "{s}");
        }
        assert_eq!(Month::parse("令和元年5月"), Month::new(2019, 5));
        assert_eq!(Month::parse("H31.4"), Month::new(2019, 4));
        assert_eq!(Month::parse("平成31年4月"), Month::new(2019, 4));
        // 令和 began in May 2019; month 13 and era year 0 do not exist.
        for bad in ["令和元年4月", "2026-13", "2026-00", "R0.4", "", "2026", "abc", "26-04", "R8"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(april.unwrap().iso(), "2026-04");
        assert_eq!(Month::from_iso("2026-04"), april);
        assert_eq!(april.unwrap().label(), "2026年4月");
        assert_eq!(Month::new(2026, 2).unwrap().minus(3), Month::new(2025, 11).unwrap());
        assert_eq!(Month::new(2026, 12).unwrap().minus(60), Month::new(2021, 12).unwrap());
        // 2026-11-30 15:00 UTC is already December in Japan.
        assert_eq!(Month::of_unix_jst(1_796_050_800), Month::new(2026, 12).unwrap());
        assert_eq!(Month::of_unix_jst(1_796_050_799), Month::new(2026, 11).unwrap());
    }

    #[test]
    fn categories_take_labels_codes_and_variants() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.label()), Some(*c));
            assert_eq!(Category::parse(c.code()), Some(*c));
        }
        assert_eq!(Category::parse(" 柔道整復 "), Some(Category::Judo));
        assert_eq!(Category::parse("医科"), None);
        assert_eq!(Category::ALL.len(), 9);
    }

    #[test]
    fn amounts_are_read_and_written_in_yen() {
        assert_eq!(parse_yen("12340"), Some(12_340));
        assert_eq!(parse_yen("12,340"), Some(12_340));
        assert_eq!(parse_yen("１２，３４０円"), Some(12_340));
        assert_eq!(parse_yen("0"), Some(0));
        for bad in ["", "-5", "1.5", "abc", "1000000001", "9999999999999"] {
            assert_eq!(parse_yen(bad), None, "{bad}");
        }
        assert_eq!(yen(0), "0円");
        assert_eq!(yen(999), "999円");
        assert_eq!(yen(1000), "1,000円");
        assert_eq!(yen(1_234_567), "1,234,567円");
        assert_eq!(yen(-1200), "-1,200円");
    }

    #[test]
    fn numbers_are_masked_keeping_their_shape() {
        assert_eq!(mask_number("12", "0345"), "**-****");
    }

    fn line(month: u32, patient: &str, facility: &str, self_pay: i64) -> StatementLine {
        StatementLine {
            month: Month::new(2026, month).unwrap(),
            patient: patient.into(),
            facility: facility.into(),
            category: Category::Outpatient,
            days: 1,
            total_cost: self_pay * 10 / 3,
            self_pay,
        }
    }

    #[test]
    fn a_statement_adds_up_per_person_and_year_and_says_what_it_covers() {
        let lines = vec![line(3, "山田 花子", "B医院", 300), line(1, "山田 太郎", "A病院", 1000), line(3, "山田 太郎", "", 200)];
        let s = Statement::new(2026, lines, Month::new(2026, 9));
        assert_eq!(s.lines[0].month.month, 1);
        assert_eq!(
            s.persons,
            vec![
                ("山田 太郎".to_string(), Totals { lines: 2, days: 2, total_cost: 3999, self_pay: 1200 }),
                ("山田 花子".to_string(), Totals { lines: 1, days: 1, total_cost: 1000, self_pay: 300 }),
            ]
        );
        assert_eq!(s.total.self_pay, 1500);
        assert_eq!(s.covered_label().as_deref(), Some("2026年1月〜9月診療分"));
        assert!(s.incomplete());
        assert_eq!(s.without_facility(), 1);
        let hanako = s.clone().of_patient("山田 花子");
        assert_eq!((hanako.total.self_pay, hanako.persons.len()), (300, 1));
        // A year whose December has been published since is whole; a year without anything yet covers nothing.
        let past = Statement::new(2025, vec![], Month::new(2026, 3));
        assert_eq!(past.covered_label().as_deref(), Some("2025年1月〜12月診療分"));
        assert!(!past.incomplete());
        assert_eq!(Statement::new(2027, vec![], Month::new(2026, 3)).covered_label(), None);
    }
}
