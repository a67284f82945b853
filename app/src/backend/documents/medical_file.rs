//! 医療費データの取込 (`server import-medical FILE`, the console's 医療費データ取込): one file is one
//! batch (処理年月), read as a stream and written in chunks inside one transaction; loading the
//! same 処理年月 again replaces its lines. Every bad row is reported with its line and nothing
//! is written then; lines whose 記号・番号 is not on the roster are loaded and reported.

use crate::backend::audit;
use crate::backend::platform::csv_file::{self, ImportError, RowError};
use crate::domain::medical::{parse_yen, Category, Month};
use crate::domain::{trim_spaces, Bango, Kigo};
use std::collections::HashSet;
use std::io::Read;

/// One valid line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MedicalLine {
    pub line: u64,
    pub kigo: Kigo,
    pub bango: Bango,
    /// 枝番, two digits, or empty when the file has none.
    pub branch: String,
    pub patient: String,
    pub service_month: Month,
    pub facility: String,
    pub category: Category,
    pub days: i64,
    pub total_cost: i64,
    pub self_pay: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Kigo,
    Bango,
    Branch,
    Patient,
    ServiceMonth,
    Facility,
    Category,
    Days,
    TotalCost,
    SelfPay,
    ProcessingMonth,
}

impl Column {
    fn from_header(name: &str) -> Option<Self> {
        Some(match name {
            "kigo" | "記号" => Self::Kigo,
            "bango" | "番号" => Self::Bango,
            "branch" | "枝番" => Self::Branch,
            "patient" | "受診者氏名" | "受診者" => Self::Patient,
            "service_month" | "診療年月" => Self::ServiceMonth,
            "facility" | "医療機関等名称" | "医療機関名" => Self::Facility,
            "category" | "診療区分" | "区分" => Self::Category,
            "days" | "日数" => Self::Days,
            "total_cost" | "医療費総額" | "医療費の額" => Self::TotalCost,
            "self_pay" | "自己負担額" | "窓口負担額" => Self::SelfPay,
            "processing_month" | "処理年月" => Self::ProcessingMonth,
            _ => return None,
        })
    }
    const REQUIRED: [(Column, &'static str); 9] = [
        (Self::Kigo, "kigo（記号）"),
        (Self::Bango, "bango（番号）"),
        (Self::Patient, "patient（受診者氏名）"),
        (Self::ServiceMonth, "service_month（診療年月）"),
        (Self::Category, "category（診療区分）"),
        (Self::Days, "days（日数）"),
        (Self::TotalCost, "total_cost（医療費総額）"),
        (Self::SelfPay, "self_pay（自己負担額）"),
        (Self::ProcessingMonth, "processing_month（処理年月）"),
    ];
    const KNOWN: &'static str = "kigo,bango,branch,patient,service_month,facility,category,days,total_cost,self_pay,processing_month \
        または 記号,番号,枝番,受診者氏名,診療年月,医療機関等名称,診療区分,日数,医療費総額,自己負担額,処理年月";
}

/// Row errors kept word for word; beyond them only their number is said.
pub const ERRORS_SHOWN: usize = 1000;
const MAX_NAME_CHARS: usize = 100;
const MAX_FACILITY_CHARS: usize = 200;
const MAX_DAYS: i64 = 31;

/// Reads a file's lines chunk by chunk, checking each; the problems pile up until [`finish`].
pub struct LineReader<R: Read> {
    records: csv::StringRecordsIntoIter<R>,
    columns: Vec<Column>,
    /// This month: a 診療年月 or 処理年月 after it is a mistake.
    this_month: Month,
    batch: Option<(Month, u64)>,
    errors: Vec<RowError>,
    error_count: usize,
    lines: u64,
}

/// What a whole file holds, once read without a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    pub batch: Month,
    pub lines: u64,
}

impl<R: Read> LineReader<R> {
    pub fn new(input: R, this_month: Month) -> Result<Self, ImportError> {
        let mut records = csv_file::reader(input);
        let header = csv_file::header_row(&mut records).map_err(|e| ImportError::Rows(vec![e]))?;
        let columns =
            csv_file::header_columns(&header, Column::from_header, &Column::REQUIRED, Column::KNOWN).map_err(ImportError::Rows)?;
        Ok(Self { records, columns, this_month, batch: None, errors: Vec::new(), error_count: 0, lines: 0 })
    }

    /// Whether a problem was found so far (the import stops writing, and goes on reading to
    /// report them all).
    pub fn failed(&self) -> bool {
        self.error_count > 0
    }

    /// The 処理年月 of the file, once its first good line is read.
    pub fn batch(&self) -> Option<Month> {
        self.batch.map(|(m, _)| m)
    }

    fn refuse(&mut self, line: u64, reason: String) {
        self.error_count += 1;
        if self.errors.len() < ERRORS_SHOWN {
            self.errors.push(RowError { line, reason });
        }
    }

    /// Up to `max` good lines; an empty chunk means the file is read.
    pub fn next_chunk(&mut self, max: usize) -> Vec<MedicalLine> {
        let mut chunk = Vec::with_capacity(max.min(4096));
        while chunk.len() < max {
            let record = match self.records.next() {
                None => break,
                Some(Ok(r)) => r,
                Some(Err(e)) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    let reason = csv_file::csv_error(line, &e).reason;
                    self.refuse(line, reason);
                    continue;
                }
            };
            let (line, blank) = csv_file::line_of(&record);
            if blank {
                continue;
            }
            if record.len() != self.columns.len() {
                self.refuse(line, format!("列の数が {} です（見出しは {} 列）。", record.len(), self.columns.len()));
                continue;
            }
            match self.check(line, &record) {
                Ok(l) => {
                    self.lines += 1;
                    chunk.push(l)
                }
                Err(reasons) => reasons.into_iter().for_each(|r| self.refuse(line, r)),
            }
        }
        chunk
    }

    fn check(&mut self, line: u64, record: &csv::StringRecord) -> Result<MedicalLine, Vec<String>> {
        let field = |c: Column| self.columns.iter().position(|x| *x == c).map(|i| trim_spaces(&record[i])).unwrap_or("");
        let mut problems = Vec::new();
        if record.iter().any(|f| f.contains(csv_file::UNREADABLE)) {
            problems.push("文字コードを読み取れない文字があります（UTF-8 または Shift_JIS で保存してください）。".to_string());
        }
        let kigo = Kigo::parse(field(Column::Kigo)).map_err(|e| problems.push(e.0)).ok();
        let bango = Bango::parse(field(Column::Bango)).map_err(|e| problems.push(e.0)).ok();
        let branch = crate::domain::Branch::parse_optional(field(Column::Branch))
            .map_err(|e| problems.push(e.0))
            .ok()
            .flatten()
            .map_or_else(String::new, |b| b.as_str().to_string());
        let patient = field(Column::Patient).to_string();
        if patient.is_empty() {
            problems.push("受診者氏名を入力してください。".into());
        } else if patient.chars().count() > MAX_NAME_CHARS {
            problems.push(format!("受診者氏名は{MAX_NAME_CHARS}文字以内にしてください。"));
        }
        let this_month = self.this_month;
        let month_of = |name: &str, text: &str, problems: &mut Vec<String>| match Month::parse(text) {
            Some(m) if m > this_month => {
                problems.push(format!("{name}「{text}」が未来の年月です。"));
                None
            }
            Some(m) => Some(m),
            None => {
                problems.push(format!("{name}「{text}」を読み取れません（例: 2026-04、令和8年4月）。"));
                None
            }
        };
        let service_month = month_of("診療年月", field(Column::ServiceMonth), &mut problems);
        let processing = month_of("処理年月", field(Column::ProcessingMonth), &mut problems);
        let facility = field(Column::Facility).to_string();
        if facility.chars().count() > MAX_FACILITY_CHARS {
            problems.push(format!("医療機関等名称は{MAX_FACILITY_CHARS}文字以内にしてください。"));
        }
        let category = Category::parse(field(Column::Category));
        if category.is_none() {
            let names: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
            problems.push(format!("診療区分「{}」は使えません（{}）。", field(Column::Category), names.join("／")));
        }
        let days_text = crate::domain::normalize_digits(field(Column::Days));
        let days = if days_text.is_empty() { Some(0) } else { days_text.parse::<i64>().ok().filter(|d| (0..=MAX_DAYS).contains(d)) };
        if days.is_none() {
            problems.push(format!("日数は0〜{MAX_DAYS}の数字で入力してください。"));
        }
        let total_cost = parse_yen(field(Column::TotalCost));
        if total_cost.is_none() {
            problems.push("医療費総額は円単位の数字で入力してください。".into());
        }
        let self_pay = parse_yen(field(Column::SelfPay));
        if self_pay.is_none() {
            problems.push("自己負担額は円単位の数字で入力してください。".into());
        }
        if let (Some(total), Some(paid)) = (total_cost, self_pay) {
            if paid > total {
                problems.push("自己負担額が医療費総額を超えています。".into());
            }
        }
        if let (Some(service), Some(processing)) = (service_month, processing) {
            if service > processing {
                problems.push("診療年月が処理年月より後になっています。".into());
            }
        }
        if let Some(processing) = processing {
            match self.batch {
                None => self.batch = Some((processing, line)),
                Some((first, first_line)) if first != processing => problems
                    .push(format!("処理年月が{first_line}行目（{}）と異なります（1つのファイルは1つの処理年月です）。", first.label())),
                Some(_) => {}
            }
        }
        match (kigo, bango, service_month, category, days, total_cost, self_pay) {
            (Some(kigo), Some(bango), Some(service_month), Some(category), Some(days), Some(total_cost), Some(self_pay))
                if problems.is_empty() =>
            {
                Ok(MedicalLine { line, kigo, bango, branch, patient, service_month, facility, category, days, total_cost, self_pay })
            }
            _ => Err(problems),
        }
    }

    /// The file's facts, or every problem found (the first [`ERRORS_SHOWN`], then how many more).
    pub fn finish(mut self) -> Result<FileFacts, ImportError> {
        if self.error_count > self.errors.len() {
            let more = self.error_count - self.errors.len();
            self.errors.push(RowError { line: 0, reason: format!("ほかに {more} 件の誤りがあります。") });
        }
        match self.batch {
            _ if !self.errors.is_empty() => Err(ImportError::Rows(self.errors)),
            None => Err(ImportError::Rows(vec![RowError { line: 2, reason: "医療費の行がありません。".into() }])),
            Some((batch, _)) => Ok(FileFacts { batch, lines: self.lines }),
        }
    }
}

/// What a load did, or (as a preview) would do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoadSummary {
    /// The 処理年月, 'YYYY-MM'.
    pub batch: String,
    pub lines: u64,
    /// Distinct 記号・番号 in the file.
    pub households: u64,
    pub first_month: String,
    pub last_month: String,
    /// Lines whose 記号・番号 is not on the roster: how many, and the first of them (line, 記号-番号).
    pub unknown: u64,
    pub unknown_shown: Vec<(u64, String)>,
    /// Lines of this 処理年月 already loaded, which the load replaces (0: a new batch).
    pub replaced: u64,
}

const UNKNOWN_SHOWN: usize = 200;
/// Lines per INSERT on SQLite (12 values each, far below its limit of 32,766).
const SQLITE_CHUNK: usize = 1_000;
/// Lines per statement on PostgreSQL (one JSON text each).
const PG_CHUNK: usize = 5_000;

#[derive(serde::Serialize)]
struct BulkLine<'a> {
    line: u64,
    kigo: &'a str,
    bango: &'a str,
    branch: &'a str,
    patient: &'a str,
    service_month: String,
    facility: &'a str,
    category: &'static str,
    days: i64,
    total_cost: i64,
    self_pay: i64,
}

/// Where a load writes: `Some` = into the caller's transaction (the batch row and its lines),
/// `None` = a preview (nothing written).
pub struct Target<'t, 'c> {
    pub tx: Option<&'t mut sqlx::Transaction<'c, sqlx::Any>>,
    pub file_name: &'t str,
    pub staff_id: Option<&'t str>,
    pub now: i64,
}

/// Reads the whole file; writes it when `target.tx` is given. On any bad row nothing is left
/// written: the caller's transaction is rolled back by the error.
pub async fn load<R: Read>(
    db: &crate::backend::platform::Db,
    mut reader: LineReader<R>,
    mut target: Target<'_, '_>,
) -> Result<LoadSummary, ImportError> {
    // The roster's 記号・番号 (a few hundred thousand short strings at most): read once, outside
    // the write transaction when previewing, inside it when loading.
    let sql = "SELECT kigo, bango FROM roster";
    let roster: Vec<(String, String)> = match target.tx.as_deref_mut() {
        Some(tx) => sqlx::query_as(sql).fetch_all(&mut **tx).await?,
        None => sqlx::query_as(sql).fetch_all(db).await?,
    };
    let roster: HashSet<(String, String)> = roster.into_iter().collect();
    let mut summary = LoadSummary::default();
    let mut households: HashSet<(String, String)> = HashSet::new();
    let (mut first, mut last): (Option<Month>, Option<Month>) = (None, None);
    let mut started = false;
    loop {
        let chunk = reader.next_chunk(if target.tx.as_ref().is_some_and(|tx| is_postgres(tx)) { PG_CHUNK } else { SQLITE_CHUNK });
        if chunk.is_empty() {
            break;
        }
        for l in &chunk {
            let key = (l.kigo.as_str().to_string(), l.bango.as_str().to_string());
            if !roster.contains(&key) {
                summary.unknown += 1;
                if summary.unknown_shown.len() < UNKNOWN_SHOWN {
                    summary.unknown_shown.push((l.line, format!("{}-{}", key.0, key.1)));
                }
            }
            households.insert(key);
            first = Some(first.map_or(l.service_month, |m| m.min(l.service_month)));
            last = Some(last.map_or(l.service_month, |m| m.max(l.service_month)));
        }
        summary.lines += chunk.len() as u64;
        let Some(tx) = target.tx.as_deref_mut() else { continue };
        if reader.failed() {
            continue; // keep reading to report every problem; the transaction is discarded
        }
        let Some(batch) = reader.batch() else { continue };
        if !started {
            summary.replaced = start_batch(tx, &batch.iso(), target.file_name, target.staff_id, target.now).await?;
            started = true;
        }
        insert_lines(tx, &batch.iso(), &chunk).await?;
    }
    let facts = reader.finish()?;
    summary.batch = facts.batch.iso();
    summary.households = households.len() as u64;
    summary.first_month = first.map(Month::iso).unwrap_or_default();
    summary.last_month = last.map(Month::iso).unwrap_or_default();
    match target.tx {
        Some(tx) => {
            sqlx::query("UPDATE medical_batches SET line_count = $1, unknown_count = $2, first_month = $3, last_month = $4 WHERE id = $5")
                .bind(summary.lines as i64)
                .bind(summary.unknown as i64)
                .bind(&summary.first_month)
                .bind(&summary.last_month)
                .bind(&summary.batch)
                .execute(&mut **tx)
                .await?;
            let detail =
                format!("処理年月={} 行数={} 名簿にない行={} 置換={}", summary.batch, summary.lines, summary.unknown, summary.replaced);
            let event =
                audit::AuditEvent { staff_id: target.staff_id, ..audit::AuditEvent::with_detail(audit::Event::MedicalLoaded, &detail) };
            audit::record(&mut **tx, target.now, event).await?;
        }
        None => {
            let (replaced,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM medical_lines WHERE batch_id = $1").bind(&summary.batch).fetch_one(db).await?;
            summary.replaced = replaced as u64;
        }
    }
    Ok(summary)
}

/// `server import-medical FILE`: a file of any size, streamed (decoded on the fly when it is
/// Shift_JIS), loaded in one transaction; `write: false` only reads it (`--dry-run`).
pub async fn load_path(
    db: &crate::backend::platform::Db,
    path: &std::path::Path,
    now: i64,
    this_month: Month,
    write: bool,
) -> Result<LoadSummary, ImportError> {
    let reader = LineReader::new(csv_file::open(path)?, this_month)?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if !write {
        return load(db, reader, Target { tx: None, file_name: &file_name, staff_id: None, now }).await;
    }
    let mut tx = crate::backend::platform::db::begin(db).await?;
    let summary = load(db, reader, Target { tx: Some(&mut tx), file_name: &file_name, staff_id: None, now }).await?;
    tx.commit().await?;
    Ok(summary)
}

fn is_postgres(tx: &sqlx::Transaction<'_, sqlx::Any>) -> bool {
    tx.backend_name().eq_ignore_ascii_case("postgresql")
}

/// Creates the batch row, or empties the one of the same 処理年月 (its 公開 state stays: a
/// corrected file replaces what members see). Returns how many lines it had. The row is written
/// first: a second load of the same 処理年月 at the same time waits for it here, then deletes
/// what the first one wrote (on PostgreSQL a delete first would miss lines not yet committed).
async fn start_batch(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    batch: &str,
    file_name: &str,
    staff_id: Option<&str>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO medical_batches (id, file_name, loaded_at, loaded_by, line_count, unknown_count, first_month, last_month) \
         VALUES ($1, $2, $3, $4, 0, 0, '', '') \
         ON CONFLICT (id) DO UPDATE SET file_name = excluded.file_name, loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by",
    )
    .bind(batch)
    .bind(file_name.chars().take(200).collect::<String>())
    .bind(now)
    .bind(staff_id)
    .execute(&mut **tx)
    .await?;
    Ok(sqlx::query("DELETE FROM medical_lines WHERE batch_id = $1").bind(batch).execute(&mut **tx).await?.rows_affected())
}

async fn insert_lines(tx: &mut sqlx::Transaction<'_, sqlx::Any>, batch: &str, chunk: &[MedicalLine]) -> Result<(), sqlx::Error> {
    if is_postgres(tx) {
        let records: Vec<BulkLine> = chunk
            .iter()
            .map(|l| BulkLine {
                line: l.line,
                kigo: l.kigo.as_str(),
                bango: l.bango.as_str(),
                branch: &l.branch,
                patient: &l.patient,
                service_month: l.service_month.iso(),
                facility: &l.facility,
                category: l.category.code(),
                days: l.days,
                total_cost: l.total_cost,
                self_pay: l.self_pay,
            })
            .collect();
        sqlx::query(
            "INSERT INTO medical_lines (batch_id, line, kigo, bango, branch, patient, service_month, facility, category, days, total_cost, self_pay) \
             SELECT $2, r.line, r.kigo, r.bango, r.branch, r.patient, r.service_month, r.facility, r.category, r.days, r.total_cost, r.self_pay \
             FROM json_to_recordset($1::json) AS r(line bigint, kigo text, bango text, branch text, patient text, service_month text, \
             facility text, category text, days bigint, total_cost bigint, self_pay bigint)",
        )
        .bind(serde_json::to_string(&records).map_err(|e| sqlx::Error::Encode(Box::new(e)))?)
        .bind(batch)
        .execute(&mut **tx)
        .await?;
        return Ok(());
    }
    // Anonymous `?` placeholders: SQLite looks numbered ones up by a linear scan per value.
    let mut sql = String::from(
        "INSERT INTO medical_lines (batch_id, line, kigo, bango, branch, patient, service_month, facility, category, days, total_cost, self_pay) VALUES ",
    );
    sql.push_str(&vec!["(?,?,?,?,?,?,?,?,?,?,?,?)"; chunk.len()].join(","));
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for l in chunk {
        query = query
            .bind(batch.to_string())
            .bind(l.line as i64)
            .bind(l.kigo.as_str().to_string())
            .bind(l.bango.as_str().to_string())
            .bind(l.branch.clone())
            .bind(l.patient.clone())
            .bind(l.service_month.iso())
            .bind(l.facility.clone())
            .bind(l.category.code())
            .bind(l.days)
            .bind(l.total_cost)
            .bind(l.self_pay);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "記号,番号,枝番,受診者氏名,診療年月,医療機関等名称,診療区分,日数,医療費総額,自己負担額,処理年月\n";

    fn read(text: &str) -> (Vec<MedicalLine>, Result<FileFacts, ImportError>) {
        let mut reader = LineReader::new(text.as_bytes(), Month::new(2026, 12).unwrap()).unwrap();
        let mut all = Vec::new();
        loop {
            let chunk = reader.next_chunk(2);
            if chunk.is_empty() {
                break;
            }
            all.extend(chunk);
        }
        (all, reader.finish())
    }

    fn errors(text: &str) -> Vec<RowError> {
        match read(text).1 {
            Err(ImportError::Rows(e)) => e,
            other => panic!("expected row errors, got {other:?}"),
        }
    }

    #[test]
    fn japanese_and_english_headers_read_the_same_lines() {
        let ja = format!("{HEADER}12,345,1,山田 太郎,令和8年4月,みなと内科,医科外来,2,\"12,340\",3702,2026-06\n");
        let en = "kigo,bango,branch,patient,service_month,facility,category,days,total_cost,self_pay,processing_month\n\
                  １２,0345,01,山田 太郎,2026-04,みなと内科,outpatient,2,12340,3702,R8.6\n";
        let (a, facts) = read(&ja);
        let (b, _) = read(en);
        assert_eq!(a, b);
        assert_eq!(a[0].branch, "01");
        assert_eq!(a[0].line, 2);
        assert_eq!(facts.unwrap(), FileFacts { batch: Month::new(2026, 6).unwrap(), lines: 1 });
    }

    #[test]
    fn a_line_may_lack_facility_branch_and_days() {
        let (lines, facts) = read(&format!("{HEADER}12,1,,山田 花子,2026-05,,療養費,,5000,5000,2026-06\n"));
        assert!(facts.is_ok());
        assert_eq!((lines[0].branch.as_str(), lines[0].facility.as_str(), lines[0].days), ("", "", 0));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = format!(
            "{HEADER}\
             1,1,,A,2026-04,X,歯科,1,100,30,2026-06\n\
             12,1,123,B,2026-04,X,歯科,1,100,30,2026-06\n\
             12,1,,,2026-04,X,歯科,1,100,30,2026-06\n\
             12,1,,C,2026-13,X,歯科,1,100,30,2026-06\n\
             12,1,,D,2026-04,X,鍼灸院,1,100,30,2026-06\n\
             12,1,,E,2026-04,X,歯科,40,100,30,2026-06\n\
             12,1,,F,2026-04,X,歯科,1,abc,30,2026-06\n\
             12,1,,G,2026-04,X,歯科,1,100,300,2026-06\n\
             12,1,,H,2026-04,X,歯科,1,100,30,2026-07\n\
             12,1,,I,2026-08,X,歯科,1,100,30,2026-06\n\
             12,1,,J,2026-04,X\n\
             12,1,,K,2027-01,X,歯科,1,100,30,2027-01\n"
        );
        let errors = errors(&text);
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 13], "{errors:#?}");
        for (error, word) in errors.iter().zip([
            "記号",
            "枝番",
            "受診者氏名",
            "診療年月",
            "診療区分",
            "日数",
            "医療費総額",
            "超えて",
            "2行目",
            "処理年月より後",
            "列の数",
            "未来",
        ]) {
            assert!(error.reason.contains(word), "{error} should name {word}");
        }
    }

    #[test]
    fn headers_are_checked_and_an_empty_file_is_refused() {
        let Err(ImportError::Rows(e)) = LineReader::new("記号,番号,診療年月\n".as_bytes(), Month::new(2026, 12).unwrap()) else {
            panic!("missing columns must be refused")
        };
        assert!(e.iter().all(|e| e.line == 1) && e.iter().any(|e| e.reason.contains("処理年月")));
        assert!(errors(HEADER)[0].reason.contains("行がありません"));
    }

    #[test]
    fn only_the_first_errors_are_kept_word_for_word() {
        let mut text = HEADER.to_string();
        for _ in 0..ERRORS_SHOWN + 5 {
            text.push_str("x,1,,A,2026-04,X,歯科,1,100,30,2026-06\n");
        }
        let errors = errors(&text);
        assert_eq!(errors.len(), ERRORS_SHOWN + 1);
        assert!(errors.last().unwrap().reason.contains("ほかに 5 件"));
    }
}
