//! 被扶養者名簿の取込 (`server import-family FILE`, the console's upload): every row checked with
//! its line, against the file and against the roster; the file then replaces the whole family of
//! each 記号・番号 it names, in one transaction (families it does not name stay as they are).

use crate::backend::platform::csv_file::{self, ImportError, RowError};
use crate::backend::platform::db::{self, Cell};
use crate::domain::{parse_date, trim_spaces, Bango, BirthDate, Branch, Kigo, MemberNumber};
use std::collections::{HashMap, HashSet};

/// One valid row of a family file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependentRow {
    pub line: u64,
    pub number: MemberNumber,
    pub branch: Branch,
    pub name: String,
    pub name_kana: Option<String>,
    pub birth_date: BirthDate,
    pub relation: String,
    pub acquired_on: chrono::NaiveDate,
    pub lost_on: Option<chrono::NaiveDate>,
}

impl DependentRow {
    fn key(&self) -> (String, String, String) {
        (self.number.kigo.as_str().into(), self.number.bango.as_str().into(), self.branch.as_str().into())
    }

    /// What the console compares to tell a changed row from an unchanged one.
    fn fields(&self) -> [Option<String>; 6] {
        [
            Some(self.name.clone()),
            self.name_kana.clone(),
            Some(self.birth_date.iso()),
            Some(self.relation.clone()),
            Some(self.acquired_on.to_string()),
            self.lost_on.map(|d| d.to_string()),
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Kigo,
    Bango,
    Branch,
    Name,
    NameKana,
    BirthDate,
    Relation,
    AcquiredOn,
    LostOn,
}

impl Column {
    fn from_header(name: &str) -> Option<Self> {
        Some(match name {
            "kigo" | "記号" => Self::Kigo,
            "bango" | "番号" => Self::Bango,
            "branch" | "枝番" => Self::Branch,
            "name" | "氏名" => Self::Name,
            "name_kana" | "氏名カナ" | "カナ" => Self::NameKana,
            "birth_date" | "生年月日" => Self::BirthDate,
            "relation" | "続柄" => Self::Relation,
            "acquired_on" | "資格取得日" | "資格取得年月日" => Self::AcquiredOn,
            "lost_on" | "資格喪失日" | "資格喪失年月日" => Self::LostOn,
            _ => return None,
        })
    }
    const REQUIRED: [(Column, &'static str); 7] = [
        (Self::Kigo, "kigo（記号）"),
        (Self::Bango, "bango（番号）"),
        (Self::Branch, "branch（枝番）"),
        (Self::Name, "name（氏名）"),
        (Self::BirthDate, "birth_date（生年月日）"),
        (Self::Relation, "relation（続柄）"),
        (Self::AcquiredOn, "acquired_on（資格取得日）"),
    ];
}

const KNOWN: &str = "kigo,bango,branch,name,name_kana,birth_date,relation,acquired_on,lost_on \
     または 記号,番号,枝番,氏名,氏名カナ,生年月日,続柄,資格取得日,資格喪失日";
const MAX_NAME_CHARS: usize = 100;
const MAX_RELATION_CHARS: usize = 20;

/// Parses and checks every row of the file on its own; returns all problems at once.
pub fn parse(text: &str, today: chrono::NaiveDate) -> Result<Vec<DependentRow>, ImportError> {
    let mut records = csv_file::reader(text.as_bytes());
    let header = csv_file::header_row(&mut records).map_err(|e| ImportError::Rows(vec![e]))?;
    let columns = csv_file::header_columns(&header, Column::from_header, &Column::REQUIRED, KNOWN).map_err(ImportError::Rows)?;
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen: HashMap<(MemberNumber, Branch), u64> = HashMap::new();
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
        let field = |c: Column| columns.iter().position(|x| *x == c).map(|i| &record[i]).unwrap_or("");
        let mut problems: Vec<String> = Vec::new();
        if record.iter().any(|f| f.contains(csv_file::UNREADABLE)) {
            problems.push("文字コードを読み取れない文字があります（UTF-8 または Shift_JIS で保存してください）。".into());
        }
        let kigo = Kigo::parse(field(Column::Kigo)).map_err(|e| problems.push(e.0)).ok();
        let bango = Bango::parse(field(Column::Bango)).map_err(|e| problems.push(e.0)).ok();
        let branch = Branch::parse(field(Column::Branch)).map_err(|e| problems.push(e.0)).ok();
        let name = trim_spaces(field(Column::Name)).to_string();
        if name.is_empty() {
            problems.push("氏名を入力してください。".into());
        } else if name.chars().count() > MAX_NAME_CHARS {
            problems.push(format!("氏名は{MAX_NAME_CHARS}文字以内にしてください。"));
        }
        let name_kana = Some(trim_spaces(field(Column::NameKana)).to_string()).filter(|s| !s.is_empty());
        if name_kana.as_ref().is_some_and(|k| k.chars().count() > MAX_NAME_CHARS) {
            problems.push(format!("氏名カナは{MAX_NAME_CHARS}文字以内にしてください。"));
        }
        let birth_date = BirthDate::parse(field(Column::BirthDate)).and_then(|d| d.not_after(today)).map_err(|e| problems.push(e.0)).ok();
        let relation = trim_spaces(field(Column::Relation)).to_string();
        if relation.is_empty() {
            problems.push("続柄を入力してください。".into());
        } else if relation.chars().count() > MAX_RELATION_CHARS {
            problems.push(format!("続柄は{MAX_RELATION_CHARS}文字以内にしてください。"));
        }
        let acquired_on = match super::acquired_on(field(Column::AcquiredOn), today) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                problems.push("資格取得日を入力してください。".into());
                None
            }
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let lost_on = if trim_spaces(field(Column::LostOn)).is_empty() {
            None
        } else {
            parse_date(field(Column::LostOn), "資格喪失日").map_err(|e| problems.push(e.0)).ok()
        };
        if let (Some(acquired), Some(lost)) = (acquired_on, lost_on) {
            if lost < acquired {
                problems.push("資格喪失日が資格取得日より前です。".into());
            }
        }
        if let (Some(birth), Some(acquired)) = (birth_date, acquired_on) {
            if acquired < birth.date() {
                problems.push("資格取得日が生年月日より前です。".into());
            }
        }
        if let (Some(kigo), Some(bango), Some(branch)) = (&kigo, &bango, &branch) {
            let number = MemberNumber { kigo: kigo.clone(), bango: bango.clone() };
            if let Some(first) = seen.insert((number, branch.clone()), line) {
                problems.push(format!(
                    "記号・番号・枝番 {}-{}-{} が{first}行目と重複しています。",
                    kigo.as_str(),
                    bango.as_str(),
                    branch.as_str()
                ));
            }
        }
        match (kigo, bango, branch, birth_date, acquired_on) {
            (Some(kigo), Some(bango), Some(branch), Some(birth_date), Some(acquired_on)) if problems.is_empty() => {
                rows.push(DependentRow {
                    line,
                    number: MemberNumber { kigo, bango },
                    branch,
                    name,
                    name_kana,
                    birth_date,
                    relation,
                    acquired_on,
                    lost_on,
                })
            }
            _ => errors.extend(problems.into_iter().map(|reason| RowError { line, reason })),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// What a family file would do: the families it replaces and the 被扶養者 new, changed, unchanged
/// and removed (in a named family but not in the file). Or the rows the roster refuses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FamilyPlan {
    pub households: usize,
    pub new: usize,
    /// Line and 記号-番号-枝番 of the rows that change a 被扶養者.
    pub changed: Vec<(u64, String)>,
    pub unchanged: usize,
    /// 記号-番号-枝番 and 氏名 of the 被扶養者 the file no longer lists.
    pub removed: Vec<(String, String)>,
}

impl FamilyPlan {
    /// A keyed digest of the plan: a preview whose digest no longer matches at the apply means the
    /// family or the roster changed since.
    pub fn digest(&self) -> String {
        let changed: Vec<String> = self.changed.iter().map(|(line, key)| format!("{line}:{key}")).collect();
        let removed: Vec<&str> = self.removed.iter().map(|(key, _)| key.as_str()).collect();
        crate::backend::platform::secret::mac(&[
            "family-plan",
            &self.households.to_string(),
            &self.new.to_string(),
            &changed.join(","),
            &self.unchanged.to_string(),
            &removed.join(","),
        ])[..32]
            .to_string()
    }
}

/// Checks the rows against the roster (each 記号・番号 must be on it, and a 被扶養者's 枝番 must not
/// be the insured person's), then compares them with the family as it is, changing nothing.
pub async fn plan(conn: &mut sqlx::AnyConnection, rows: &[DependentRow]) -> Result<FamilyPlan, ImportError> {
    let insured: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT kigo, bango, branch FROM roster").fetch_all(&mut *conn).await?;
    let insured: HashMap<(String, String), String> =
        insured.into_iter().map(|(k, b, branch)| ((k, b), branch.unwrap_or_else(|| Branch::INSURED.into()))).collect();
    let mut errors = Vec::new();
    for row in rows {
        let key = row.key();
        match insured.get(&(key.0.clone(), key.1.clone())) {
            None => errors
                .push(RowError { line: row.line, reason: format!("記号・番号 {}-{} は名簿にありません。", key.0, key.1) }),
            Some(own) if *own == key.2 => {
                errors.push(RowError { line: row.line, reason: format!("枝番 {} は被保険者本人の枝番です。", key.2) })
            }
            Some(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    type Stored = (String, String, String, String, Option<String>, String, String, String, Option<String>);
    let stored: Vec<Stored> =
        sqlx::query_as("SELECT kigo, bango, branch, name, name_kana, birth_date, relation, acquired_on, lost_on FROM dependents")
            .fetch_all(&mut *conn)
            .await?;
    let households: HashSet<(String, String)> =
        rows.iter().map(|r| (r.number.kigo.as_str().into(), r.number.bango.as_str().into())).collect();
    type Key = (String, String, String);
    let mut existing: HashMap<Key, (String, [Option<String>; 6])> = stored
        .into_iter()
        .filter(|s| households.contains(&(s.0.clone(), s.1.clone())))
        .map(|(k, b, branch, name, kana, birth, relation, acquired, lost)| {
            ((k, b, branch), (name.clone(), [Some(name), kana, Some(birth), Some(relation), Some(acquired), lost]))
        })
        .collect();
    let mut plan = FamilyPlan { households: households.len(), ..FamilyPlan::default() };
    for row in rows {
        let key = row.key();
        match existing.remove(&key) {
            None => plan.new += 1,
            Some((_, fields)) if fields == row.fields() => plan.unchanged += 1,
            Some(_) => plan.changed.push((row.line, format!("{}-{}-{}", key.0, key.1, key.2))),
        }
    }
    let mut removed: Vec<(String, String)> = existing.into_iter().map(|((k, b, br), (name, _))| (format!("{k}-{b}-{br}"), name)).collect();
    removed.sort();
    plan.removed = removed;
    Ok(plan)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FamilySummary {
    pub households: u64,
    pub dependents: u64,
    pub removed: u64,
}

/// Replaces the family of every 記号・番号 in the file, inside the caller's transaction (an upload
/// marks itself applied in the same one; the 資格情報のお知らせ are issued in it too).
pub async fn import_in(tx: &mut sqlx::Transaction<'_, sqlx::Any>, rows: &[DependentRow], now: i64) -> Result<FamilySummary, ImportError> {
    // Two family imports at once: the second reads (and deletes) what the first committed.
    db::take_turn(tx, db::ROSTERS_TURN).await?;
    let plan = plan(tx, rows).await?;
    let households: Vec<(String, String)> = {
        let mut seen = HashSet::new();
        rows.iter()
            .map(|r| (r.number.kigo.as_str().to_string(), r.number.bango.as_str().to_string()))
            .filter(|k| seen.insert(k.clone()))
            .collect()
    };
    let before = db::delete_pairs(tx, "dependents", ("kigo", "bango"), &households).await?;
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            vec![
                r.number.kigo.as_str().into(),
                r.number.bango.as_str().into(),
                r.branch.as_str().into(),
                r.name.as_str().into(),
                r.name_kana.clone().into(),
                r.birth_date.iso().into(),
                r.relation.as_str().into(),
                r.acquired_on.to_string().into(),
                r.lost_on.map(|d| d.to_string()).into(),
                now.into(),
            ]
        })
        .collect();
    db::insert_rows(
        tx,
        "dependents",
        &[
            ("kigo", "text"),
            ("bango", "text"),
            ("branch", "text"),
            ("name", "text"),
            ("name_kana", "text"),
            ("birth_date", "text"),
            ("relation", "text"),
            ("acquired_on", "text"),
            ("lost_on", "text"),
            ("updated_at", "bigint"),
        ],
        &cells,
        "",
    )
    .await?;
    let summary = FamilySummary { households: households.len() as u64, dependents: rows.len() as u64, removed: plan.removed.len() as u64 };
    debug_assert!(before >= summary.removed);
    let detail = format!("households={} dependents={} removed={}", summary.households, summary.dependents, summary.removed);
    crate::backend::audit::record(
        &mut **tx,
        now,
        crate::backend::audit::AuditEvent::with_detail(crate::backend::audit::Event::FamilyImported, &detail),
    )
    .await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    const HEADER: &str = "kigo,bango,branch,name,name_kana,birth_date,relation,acquired_on,lost_on\n";

    fn errors_of(text: &str) -> Vec<RowError> {
        match parse(text, today()) {
            Err(ImportError::Rows(e)) => e,
            other => panic!("expected row errors, got {other:?}"),
        }
    }

    #[test]
    fn english_and_japanese_headers_give_the_same_rows() {
        let en = format!("{HEADER}12,0345,1,山田 花子,ヤマダ ハナコ,1987-06-15,妻,2015-04-01,\n");
        let ja = "記号,番号,枝番,氏名,氏名カナ,生年月日,続柄,資格取得日\n１２,345,01,山田 花子,ヤマダ ハナコ,1987/6/15,妻,2015/4/1\n";
        let a = parse(&en, today()).unwrap();
        assert_eq!(a, parse(ja, today()).unwrap());
        assert_eq!((a[0].branch.as_str(), a[0].number.bango.as_str(), a[0].lost_on), ("01", "345", None));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = format!(
            "{HEADER}\
             12,1,1,A,,1980-01-01,妻,2010-01-01,\n\
             12,1,123,B,,1980-01-01,妻,2010-01-01,\n\
             12,1,2,,,1980-01-01,長男,2010-01-01,\n\
             12,1,3,C,,1980-01-01,,2010-01-01,\n\
             12,1,4,D,,1980-01-01,長女,,\n\
             12,1,5,E,,1980-01-01,次女,2027-01-01,\n\
             12,1,6,F,,1980-01-01,母,2010-01-01,2009-12-31\n\
             12,1,01,G,,1980-01-01,妻,2010-01-01,\n\
             12,1,7,H,,2012-01-01,長男,2010-01-01,\n\
             12,1,8,I\n"
        );
        let errors = errors_of(&text);
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 9, 10, 11], "{errors:#?}");
        let reasons: Vec<&str> = errors.iter().map(|e| e.reason.as_str()).collect();
        assert!(reasons[0].contains("枝番"));
        assert!(reasons[1].contains("氏名"));
        assert!(reasons[2].contains("続柄"));
        assert!(reasons[3].contains("資格取得日を入力"));
        assert!(reasons[4].contains("未来"));
        assert!(reasons[5].contains("資格喪失日が資格取得日より前"));
        assert!(reasons[6].contains("2行目と重複"));
        assert!(reasons[7].contains("生年月日より前"));
        assert!(reasons[8].contains("列の数"));
    }

    #[test]
    fn the_demo_family_reads() {
        let rows = parse(include_str!("../../../../demo/family.csv"), today()).unwrap();
        assert_eq!(rows.len(), 6);
        assert!(rows.iter().any(|r| r.lost_on.is_some()), "one former 被扶養者");
    }

    #[test]
    fn the_required_columns_are_named() {
        let errors = errors_of("kigo,bango,name\n");
        assert!(errors.iter().any(|e| e.reason.contains("branch（枝番）")), "{errors:?}");
        assert!(errors.iter().any(|e| e.reason.contains("acquired_on（資格取得日）")), "{errors:?}");
    }
}
