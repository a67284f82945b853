//! 被保険者名簿の取込 (`server import-roster FILE`): parse the whole file first,
//! report every bad row with its line number, then upsert all rows in one transaction.

use crate::domain::{parse_date, trim_spaces, Bango, BirthDate, Branch, Email, Kigo, MemberNumber, MemberStatus};
use std::collections::HashMap;

use crate::backend::platform::csv_file;
pub use crate::backend::platform::csv_file::{decode, ImportError, RowError};

pub mod family;

/// One valid roster row and the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub line: u64,
    pub number: MemberNumber,
    pub birth_date: BirthDate,
    pub name: String,
    pub name_kana: Option<String>,
    pub email: Option<Email>,
    pub status: MemberStatus,
    /// 枝番 and 資格取得日: `None` (no column, or an empty cell) keeps what the roster has.
    pub branch: Option<Branch>,
    pub acquired_on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub inserted: u64,
    pub updated: u64,
    /// Members absent from a 全件置換 file, now 資格喪失.
    pub retired: u64,
}

/// How a file is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Rows are added or updated; members absent from the file stay as they are.
    Upsert,
    /// 全件置換: the file is the whole roster; members absent from it become 資格喪失 (their
    /// accounts can no longer log in; nothing is deleted).
    Replace,
}

/// What an import would do (the CLI's `--dry-run`; the preview of a browser upload).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub new: Vec<u64>,
    /// Line, 記号-番号 and the fields that change.
    pub changed: Vec<(u64, String, Vec<&'static str>)>,
    pub unchanged: u64,
    /// 記号-番号 and 氏名 of members who would become 資格喪失 (全件置換 only).
    pub retired: Vec<(String, String)>,
}

impl Plan {
    /// A keyed digest of everything the plan would do: a preview's digest that no longer matches
    /// at the apply means the roster changed since (another upload, a CLI import).
    pub fn digest(&self) -> String {
        let changed: Vec<String> =
            self.changed.iter().map(|(line, number, fields)| format!("{line}:{number}:{}", fields.join("/"))).collect();
        let retired: Vec<&str> = self.retired.iter().map(|(number, _)| number.as_str()).collect();
        let new: Vec<String> = self.new.iter().map(u64::to_string).collect();
        crate::backend::platform::secret::mac(&[
            "roster-plan",
            &new.join(","),
            &changed.join(","),
            &self.unchanged.to_string(),
            &retired.join(","),
        ])[..32]
            .to_string()
    }
}

/// Compares a parsed file with the roster as it is, changing nothing.
pub async fn plan<'c>(db: impl sqlx::Executor<'c, Database = sqlx::Any>, rows: &[RosterRow], mode: Mode) -> Result<Plan, sqlx::Error> {
    type Stored = (String, String, String, String, Option<String>, Option<String>, String, Option<String>, Option<String>);
    let stored: Vec<Stored> =
        sqlx::query_as("SELECT kigo, bango, birth_date, name, name_kana, email, status, branch, acquired_on FROM roster")
            .fetch_all(db)
            .await?;
    let mut by_number: HashMap<(String, String), Stored> = stored.into_iter().map(|r| ((r.0.clone(), r.1.clone()), r)).collect();
    let mut plan = Plan::default();
    for row in rows {
        let key = (row.number.kigo.as_str().to_string(), row.number.bango.as_str().to_string());
        let Some((_, _, birth, name, kana, email, status, branch, acquired_on)) = by_number.remove(&key) else {
            plan.new.push(row.line);
            continue;
        };
        let mut fields = Vec::new();
        if birth != row.birth_date.iso() {
            fields.push("生年月日");
        }
        if name != row.name {
            fields.push("氏名");
        }
        if kana.filter(|k| !k.is_empty()) != row.name_kana.clone().filter(|k| !k.is_empty()) {
            fields.push("氏名カナ");
        }
        if email.filter(|e| !e.is_empty()).map(|e| e.to_lowercase()) != row.email.as_ref().map(|e| e.normalized()) {
            fields.push("メールアドレス");
        }
        if status != row.status.code() {
            fields.push("区分");
        }
        if row.branch.as_ref().is_some_and(|b| b.as_str() != branch.as_deref().unwrap_or(Branch::INSURED)) {
            fields.push("枝番");
        }
        if row.acquired_on.is_some_and(|d| Some(d.to_string()) != acquired_on) {
            fields.push("資格取得日");
        }
        if fields.is_empty() {
            plan.unchanged += 1;
        } else {
            plan.changed.push((row.line, format!("{}-{}", key.0, key.1), fields));
        }
    }
    if mode == Mode::Replace {
        let mut retired: Vec<(String, String)> = by_number
            .into_values()
            .filter(|r| r.6 != MemberStatus::Lost.code())
            .map(|(kigo, bango, _, name, ..)| (format!("{kigo}-{bango}"), name))
            .collect();
        retired.sort();
        plan.retired = retired;
    }
    Ok(plan)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Kigo,
    Bango,
    BirthDate,
    Name,
    NameKana,
    Email,
    Status,
    Branch,
    AcquiredOn,
}

impl Column {
    fn from_header(name: &str) -> Option<Self> {
        Some(match name {
            "kigo" | "記号" => Self::Kigo,
            "bango" | "番号" => Self::Bango,
            "birth_date" | "生年月日" => Self::BirthDate,
            "name" | "氏名" => Self::Name,
            "name_kana" | "氏名カナ" => Self::NameKana,
            "email" | "メールアドレス" | "会社メールアドレス" => Self::Email,
            "status" | "区分" => Self::Status,
            "branch" | "枝番" => Self::Branch,
            "acquired_on" | "資格取得日" | "資格取得年月日" => Self::AcquiredOn,
            _ => return None,
        })
    }
    const REQUIRED: [(Column, &'static str); 5] = [
        (Self::Kigo, "kigo（記号）"),
        (Self::Bango, "bango（番号）"),
        (Self::BirthDate, "birth_date（生年月日）"),
        (Self::Name, "name（氏名）"),
        (Self::Status, "status（区分）"),
    ];
}

const MAX_NAME_CHARS: usize = 100;

/// Parses and checks every row; returns all problems at once.
pub fn parse(text: &str, today: chrono::NaiveDate) -> Result<Vec<RosterRow>, ImportError> {
    let mut records = csv_file::reader(text.as_bytes());
    let header = csv_file::header_row(&mut records).map_err(|e| ImportError::Rows(vec![e]))?;
    let columns = csv_file::header_columns(
        &header,
        Column::from_header,
        &Column::REQUIRED,
        "kigo,bango,birth_date,name,name_kana,email,status（,branch,acquired_on）または 記号,番号,生年月日,氏名,氏名カナ,メールアドレス,区分（,枝番,資格取得日）",
    )
    .map_err(ImportError::Rows)?;
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen_numbers: HashMap<MemberNumber, u64> = HashMap::new();
    let mut seen_emails: HashMap<String, u64> = HashMap::new();
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
        let mut row_errors = Vec::new();
        let kigo = Kigo::parse(field(Column::Kigo)).map_err(|e| row_errors.push(e.0)).ok();
        let bango = Bango::parse(field(Column::Bango)).map_err(|e| row_errors.push(e.0)).ok();
        let birth_date = BirthDate::parse(field(Column::BirthDate)).and_then(|d| d.not_after(today)).map_err(|e| row_errors.push(e.0)).ok();
        let name = trim_spaces(field(Column::Name)).to_string();
        if name.is_empty() {
            row_errors.push("氏名を入力してください。".into());
        } else if name.chars().count() > MAX_NAME_CHARS {
            row_errors.push(format!("氏名は{MAX_NAME_CHARS}文字以内にしてください。"));
        }
        let name_kana = Some(trim_spaces(field(Column::NameKana)).to_string()).filter(|s| !s.is_empty());
        if name_kana.as_ref().is_some_and(|k| k.chars().count() > MAX_NAME_CHARS) {
            row_errors.push(format!("氏名カナは{MAX_NAME_CHARS}文字以内にしてください。"));
        }
        let email_text = trim_spaces(field(Column::Email));
        let email = if email_text.is_empty() { None } else { Email::parse(email_text).map_err(|e| row_errors.push(e.0)).ok() };
        let status = MemberStatus::parse(field(Column::Status)).map_err(|e| row_errors.push(e.0)).ok();
        let branch = Branch::parse_optional(field(Column::Branch)).map_err(|e| row_errors.push(e.0)).ok().flatten();
        let acquired_on = acquired_on(field(Column::AcquiredOn), today).map_err(|e| row_errors.push(e)).ok().flatten();

        if let (Some(kigo), Some(bango)) = (&kigo, &bango) {
            let number = MemberNumber { kigo: kigo.clone(), bango: bango.clone() };
            if let Some(first) = seen_numbers.insert(number, line) {
                row_errors.push(format!("記号・番号 {}-{} が{first}行目と重複しています。", kigo.as_str(), bango.as_str()));
            }
        }
        if let Some(e) = &email {
            if let Some(first) = seen_emails.insert(e.normalized(), line) {
                row_errors.push(format!("メールアドレスが{first}行目と重複しています。"));
            }
        }
        match (kigo, bango, birth_date, status) {
            (Some(kigo), Some(bango), Some(birth_date), Some(status)) if row_errors.is_empty() => rows.push(RosterRow {
                line,
                number: MemberNumber { kigo, bango },
                birth_date,
                name,
                name_kana,
                email,
                status,
                branch,
                acquired_on,
            }),
            _ => errors.extend(row_errors.into_iter().map(|reason| RowError { line, reason })),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// Rows that would give the insured person the 枝番 one of their 被扶養者 already has (the
/// family import checks the other way round): refused with their lines.
pub async fn branch_conflicts(conn: &mut sqlx::AnyConnection, rows: &[RosterRow]) -> Result<Vec<RowError>, sqlx::Error> {
    let taken: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT kigo, bango, branch, name FROM dependents").fetch_all(&mut *conn).await?;
    let taken: HashMap<(String, String, String), String> = taken.into_iter().map(|(k, b, br, name)| ((k, b, br), name)).collect();
    Ok(rows
        .iter()
        .filter_map(|r| {
            let branch = r.branch.as_ref()?;
            let key = (r.number.kigo.as_str().to_string(), r.number.bango.as_str().to_string(), branch.as_str().to_string());
            taken
                .get(&key)
                .map(|name| RowError {
                    line: r.line, reason: format!("枝番 {} は被扶養者（{name}）の枝番です。", branch.as_str())
                })
        })
        .collect())
}

/// A 資格取得日 cell: empty, or a date not after today.
pub(crate) fn acquired_on(cell: &str, today: chrono::NaiveDate) -> Result<Option<chrono::NaiveDate>, String> {
    if trim_spaces(cell).is_empty() {
        return Ok(None);
    }
    match parse_date(cell, "資格取得日") {
        Ok(d) if d > today => Err("資格取得日に未来の日付は指定できません。".into()),
        Ok(d) => Ok(Some(d)),
        Err(e) => Err(e.0),
    }
}

/// Rows per INSERT statement on SQLite: 11 parameters each stays far below its limit.
const BATCH: usize = 500;
/// Rows per statement on PostgreSQL (one JSON text each; progress is reported per chunk).
const PG_BATCH: usize = 5_000;

/// A roster row as PostgreSQL's bulk path sends it (`json_to_recordset`'s column names).
#[derive(serde::Serialize)]
struct BulkRow<'a> {
    kigo: &'a str,
    bango: &'a str,
    birth_date: String,
    name: &'a str,
    name_kana: Option<&'a str>,
    email: Option<&'a str>,
    status: &'a str,
    email_norm: Option<String>,
    branch: Option<&'a str>,
    acquired_on: Option<String>,
}

/// Upserts all rows in one transaction, keyed on (記号, 番号). Rows not in the file are
/// kept: a member who leaves is imported with 区分 資格喪失.
pub async fn import(db: &crate::backend::platform::Db, rows: &[RosterRow], now: i64) -> Result<ImportSummary, ImportError> {
    import_with(db, rows, now, Mode::Upsert).await
}

/// Applies a parsed file in one transaction (all rows or none); `Mode::Replace` also retires
/// the members absent from it.
pub async fn import_with(
    db: &crate::backend::platform::Db,
    rows: &[RosterRow],
    now: i64,
    mode: Mode,
) -> Result<ImportSummary, ImportError> {
    let mut tx = crate::backend::platform::db::begin(db).await?;
    let summary = import_in(&mut tx, rows, now, mode, &mut |_| {}).await?;
    tx.commit().await?;
    Ok(summary)
}

/// `import_with` inside the caller's transaction (an upload marks itself applied in the same one).
/// `written` is told how many rows are in the database after each batch (the upload page's
/// progress).
pub async fn import_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rows: &[RosterRow],
    now: i64,
    mode: Mode,
    written: &mut (dyn FnMut(u64) + Send),
) -> Result<ImportSummary, ImportError> {
    // Roster, family and their notices are written in turns (a family import's foreign keys would
    // otherwise wait on rows this upsert holds while it waits on the family's turn).
    crate::backend::platform::db::take_turn(tx, crate::backend::platform::db::ROSTERS_TURN).await?;
    let conflicts = branch_conflicts(tx, rows).await?;
    if !conflicts.is_empty() {
        return Err(ImportError::Rows(conflicts));
    }
    // A company address belongs to one member: check the roster as it will be after the import.
    let existing: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT kigo, bango, email_norm FROM roster").fetch_all(&mut **tx).await?;
    // Who holds each address now.
    let mut held_by: HashMap<String, (String, String)> = HashMap::new();
    let mut existing_keys = std::collections::HashSet::new();
    for (kigo, bango, email) in existing {
        existing_keys.insert((kigo.clone(), bango.clone()));
        if let Some(email) = email {
            held_by.insert(email, (kigo, bango));
        }
    }
    let in_file: std::collections::HashSet<(&str, &str)> = rows.iter().map(|r| (r.number.kigo.as_str(), r.number.bango.as_str())).collect();
    // An address still held by a member the file does not mention stays theirs.
    let held_outside_file = |norm: &str| held_by.get(norm).is_some_and(|(kigo, bango)| !in_file.contains(&(kigo.as_str(), bango.as_str())));
    let errors: Vec<RowError> = rows
        .iter()
        .filter(|r| r.email.as_ref().is_some_and(|e| held_outside_file(&e.normalized())))
        .map(|r| RowError {
            line: r.line, reason: "このメールアドレスは名簿の別の被保険者に登録されています。".into()
        })
        .collect();
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }

    // The lookup address is written with the row when nobody else holds it now; an address
    // moving from one member to another (two members swapping theirs) is set by a second
    // statement at the end, so the unique index never trips half-way.
    let settled_address = |row: &RosterRow| -> Option<String> {
        let norm = row.email.as_ref()?.normalized();
        match held_by.get(&norm) {
            Some((kigo, bango)) if (kigo.as_str(), bango.as_str()) != (row.number.kigo.as_str(), row.number.bango.as_str()) => None,
            _ => Some(norm),
        }
    };
    let mut summary = ImportSummary::default();
    let mut count = |row: &RosterRow| {
        if existing_keys.contains(&(row.number.kigo.as_str().to_string(), row.number.bango.as_str().to_string())) {
            summary.updated += 1;
        } else {
            summary.inserted += 1;
        }
        summary.inserted + summary.updated
    };
    const UPSERT: &str = " ON CONFLICT (kigo, bango) DO UPDATE SET birth_date = excluded.birth_date, name = excluded.name, \
         name_kana = excluded.name_kana, email = excluded.email, status = excluded.status, \
         updated_at = excluded.updated_at, email_norm = excluded.email_norm, \
         branch = COALESCE(excluded.branch, roster.branch), acquired_on = COALESCE(excluded.acquired_on, roster.acquired_on)";
    if tx.backend_name().eq_ignore_ascii_case("postgresql") {
        // PostgreSQL's bulk path: a chunk travels as one JSON text and is unpacked by the server
        // (`json_to_recordset`), one statement per chunk instead of 4,000 bound values.
        for chunk in rows.chunks(PG_BATCH) {
            let mut done = 0;
            let records: Vec<BulkRow> = chunk
                .iter()
                .map(|row| {
                    done = count(row);
                    BulkRow {
                        kigo: row.number.kigo.as_str(),
                        bango: row.number.bango.as_str(),
                        birth_date: row.birth_date.iso(),
                        name: &row.name,
                        name_kana: row.name_kana.as_deref(),
                        email: row.email.as_ref().map(|e| e.as_str()),
                        status: row.status.code(),
                        email_norm: settled_address(row),
                        branch: row.branch.as_ref().map(Branch::as_str),
                        acquired_on: row.acquired_on.map(|d| d.to_string()),
                    }
                })
                .collect();
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO roster (kigo, bango, birth_date, name, name_kana, email, status, updated_at, email_norm, branch, acquired_on) \
                 SELECT r.kigo, r.bango, r.birth_date, r.name, r.name_kana, r.email, r.status, $2, r.email_norm, r.branch, r.acquired_on \
                 FROM json_to_recordset($1::json) AS r(kigo text, bango text, birth_date text, name text, name_kana text, \
                 email text, status text, email_norm text, branch text, acquired_on text){UPSERT}"
            )))
            .bind(serde_json::to_string(&records).map_err(|e| sqlx::Error::Encode(Box::new(e)))?)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            written(done);
        }
    } else {
        // SQLite gets anonymous `?` placeholders: it looks numbered ones up by a linear scan per
        // bound value, quadratic in a 4,500-value statement (the import took 8 s instead of 1).
        for chunk in rows.chunks(BATCH) {
            let mut sql = String::from(
                "INSERT INTO roster (kigo, bango, birth_date, name, name_kana, email, status, updated_at, email_norm, branch, acquired_on) VALUES ",
            );
            sql.push_str(&vec!["(?,?,?,?,?,?,?,?,?,?,?)"; chunk.len()].join(","));
            sql.push_str(UPSERT);
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            let mut done = 0;
            for row in chunk {
                query = query
                    .bind(row.number.kigo.as_str().to_string())
                    .bind(row.number.bango.as_str().to_string())
                    .bind(row.birth_date.iso())
                    .bind(row.name.clone())
                    .bind(row.name_kana.clone())
                    .bind(row.email.as_ref().map(|e| e.as_str().to_string()))
                    .bind(row.status.code())
                    .bind(now)
                    .bind(settled_address(row))
                    .bind(row.branch.as_ref().map(|b| b.as_str().to_string()))
                    .bind(row.acquired_on.map(|d| d.to_string()));
                done = count(row);
            }
            query.execute(&mut **tx).await?;
            written(done);
        }
    }
    if mode == Mode::Replace {
        let absent: Vec<&(String, String)> = existing_keys.iter().filter(|(k, b)| !in_file.contains(&(k.as_str(), b.as_str()))).collect();
        for (kigo, bango) in absent {
            let done = sqlx::query("UPDATE roster SET status = $1, updated_at = $2 WHERE kigo = $3 AND bango = $4 AND status <> $1")
                .bind(MemberStatus::Lost.code())
                .bind(now)
                .bind(kigo)
                .bind(bango)
                .execute(&mut **tx)
                .await?;
            summary.retired += done.rows_affected();
        }
    }
    // When each member became 資格喪失 (their read-only months count from then), cleared on return.
    sqlx::query("UPDATE roster SET lost_at = $1 WHERE status = $2 AND lost_at IS NULL")
        .bind(now)
        .bind(MemberStatus::Lost.code())
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE roster SET lost_at = NULL WHERE status <> $1 AND lost_at IS NOT NULL")
        .bind(MemberStatus::Lost.code())
        .execute(&mut **tx)
        .await?;
    // The addresses that moved between members (emails are ASCII, checked by `Email::parse`,
    // so SQL lower() equals `Email::normalized`).
    sqlx::query("UPDATE roster SET email_norm = lower(email) WHERE email IS NOT NULL AND email_norm IS NULL").execute(&mut **tx).await?;
    crate::backend::audit::record(
        &mut **tx,
        now,
        crate::backend::audit::AuditEvent {
            detail: Some(&format!("inserted={} updated={} retired={}", summary.inserted, summary.updated, summary.retired)),
            ..crate::backend::audit::AuditEvent::of(crate::backend::audit::Event::RosterImported)
        },
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

    fn errors_of(text: &str) -> Vec<RowError> {
        match parse(text, today()) {
            Err(ImportError::Rows(e)) => e,
            other => panic!("expected row errors, got {other:?}"),
        }
    }

    const HEADER: &str = "kigo,bango,birth_date,name,name_kana,email,status\n";

    #[test]
    fn english_and_japanese_headers_give_the_same_rows() {
        let en = format!("{HEADER}12,0345,1985-04-01,山田 太郎,ヤマダ タロウ,taro@example.co.jp,在職\n");
        let ja =
            "記号,番号,生年月日,氏名,氏名カナ,メールアドレス,区分\n１２,345,1985/4/1,山田 太郎,ヤマダ タロウ,taro@example.co.jp,在職\n";
        let a = parse(&en, today()).unwrap();
        let b = parse(ja, today()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].number.bango.as_str(), "345");
        assert_eq!(a[0].line, 2);
    }

    #[test]
    fn columns_may_come_in_any_order_and_optional_ones_may_be_missing() {
        let rows = parse("status,name,birth_date,bango,kigo\n任意継続,佐藤 花子,1970-01-31,9,01\n", today()).unwrap();
        assert_eq!(rows[0].status, MemberStatus::VoluntaryContinuation);
        assert_eq!(rows[0].email, None);
    }

    #[test]
    fn shift_jis_and_bom_are_decoded() {
        let text = "記号,番号,生年月日,氏名,氏名カナ,メールアドレス,区分\n12,1,1990-01-01,髙橋 﨑子,,,特例退職\n";
        let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&sjis).is_err());
        assert_eq!(decode(&sjis).unwrap(), text);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom).unwrap(), text);
        assert!(matches!(decode(&[0x82, 0xFF, 0xFF]), Err(ImportError::Encoding)));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = format!(
            "{HEADER}\
             1,1,1980-01-01,A,,,在職\n\
             12,1234567,1980-01-01,B,,,在職\n\
             12,1,1980-02-30,C,,,在職\n\
             12,2,1980-01-01,,,,在職\n\
             12,3,1980-01-01,D,,not-an-email,在職\n\
             12,4,1980-01-01,E,,,退職\n\
             12,5,1980-01-01,F\n\
             12,6,1980-01-01,G,,g@example.jp,在職\n\
             12,06,1980-01-01,H,,h@example.jp,在職\n\
             12,7,1980-01-01,I,,G@EXAMPLE.JP,在職\n\
             12,8,2027-01-01,J,,,在職\n"
        );
        let errors = errors_of(&text);
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 10, 11, 12], "{errors:#?}");
        assert!(errors[0].reason.contains("記号"));
        assert!(errors[1].reason.contains("番号"));
        assert!(errors[2].reason.contains("生年月日"));
        assert!(errors[3].reason.contains("氏名"));
        assert!(errors[4].reason.contains("メールアドレス"));
        assert!(errors[5].reason.contains("区分"));
        assert!(errors[6].reason.contains("列の数"));
        assert!(errors[7].reason.contains("9行目と重複"));
        assert!(errors[8].reason.contains("9行目と重複"));
        assert!(errors[9].reason.contains("未来"));
        assert_eq!(errors[0].to_string(), format!("2行目: {}", errors[0].reason));
    }

    #[test]
    fn bad_headers_are_reported() {
        let errors = errors_of("kigo,bango,birthday,name,status,status\n");
        assert!(errors.iter().all(|e| e.line == 1));
        assert!(errors.iter().any(|e| e.reason.contains("birthday")));
        assert!(errors.iter().any(|e| e.reason.contains("重複")));
        assert!(errors.iter().any(|e| e.reason.contains("birth_date")));
        assert!(errors_of("")[0].reason.contains("空"));
    }

    #[test]
    fn blank_trailing_lines_are_ignored() {
        let rows = parse(&format!("{HEADER}12,1,1980-01-01,A,,,在職\n,,,,,,\n\n"), today()).unwrap();
        assert_eq!(rows.len(), 1);
    }
}
