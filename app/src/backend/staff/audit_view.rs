//! 監査ログ: the audit log read by staff, filtered by date, staff member, member and event,
//! and exported as CSV. Nothing here writes: audit rows are never edited from the console.

use crate::api::staff::{AuditLine, AuditPage, Paged};
use crate::backend::platform::clock::jst;
use crate::backend::platform::Db;
use crate::domain::{Bango, Kigo};

pub const PAGE_SIZE: i64 = 50;
/// The most rows one CSV export holds.
pub const CSV_MAX_ROWS: i64 = 100_000;

/// The filters (all optional). Dates are JST calendar days, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub staff_id: Option<String>,
    pub member: Option<(Kigo, Bango)>,
    pub event: Option<String>,
}

impl Filter {
    /// From the page's query values; whatever does not parse is not applied.
    pub fn from_query(from: &str, to: &str, staff_id: &str, member: &str, event: &str) -> Self {
        let date = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let member = crate::domain::normalize_digits(member);
        let member = member.split_once('-').and_then(|(k, b)| Some((Kigo::parse(k).ok()?, Bango::parse(b).ok()?)));
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Filter { from: date(from), to: date(to), staff_id: some(staff_id), member, event: some(event) }
    }
}

fn jst_day_start(d: chrono::NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp() - 9 * 3600).unwrap_or(0)
}

/// Every filter as a fixed parameter ($1..$6): the SQL text never depends on the input.
const WHERE: &str = "FROM audit_log l LEFT JOIN staff s ON s.id = l.staff_id LEFT JOIN accounts a ON a.id = l.account_id \
    WHERE l.at >= $1 AND l.at < $2 AND ($3 = '' OR l.staff_id = $3) AND ($4 = '' OR (a.kigo = $4 AND a.bango = $5)) AND ($6 = '' OR l.event = $6)";
const COLUMNS: &str = "SELECT l.at, l.event, s.name, a.kigo, a.bango, l.client_ip, l.detail";

type Row = (i64, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

/// Binds the filters to $1..$6 of `WHERE`.
fn filtered<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    f: &'q Filter,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments> {
    let (kigo, bango) = f.member.as_ref().map(|(k, b)| (k.as_str(), b.as_str())).unwrap_or_default();
    query
        .bind(f.from.map(jst_day_start).unwrap_or(0))
        .bind(f.to.map(|d| jst_day_start(d) + 86_400).unwrap_or(i64::MAX))
        .bind(f.staff_id.as_deref().unwrap_or(""))
        .bind(kigo)
        .bind(bango)
        .bind(f.event.as_deref().unwrap_or(""))
}

async fn rows(db: &Db, f: &Filter, limit: i64, offset: i64) -> Result<Vec<Row>, sqlx::Error> {
    filtered(sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} {WHERE} ORDER BY l.at DESC, l.id LIMIT $7 OFFSET $8"))), f)
        .bind(limit)
        .bind(offset)
        .fetch_all(db)
        .await
}

fn line((at, event, staff, kigo, bango, client_ip, detail): Row) -> AuditLine {
    AuditLine {
        at: jst(at, "%Y/%m/%d %H:%M:%S"),
        event: crate::domain::audit::Event::label_of(&event).to_string(),
        staff,
        member: kigo.zip(bango).map(|(k, b)| format!("{k}-{b}")),
        client_ip,
        detail,
    }
}

pub async fn page(db: &Db, f: &Filter, page: i64) -> Result<AuditPage, sqlx::Error> {
    let page = page.max(1);
    let (total,): (i64,) = filtered(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {WHERE}"))), f).fetch_one(db).await?;
    let entries = rows(db, f, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?.into_iter().map(line).collect();
    let staff: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM staff ORDER BY name").fetch_all(db).await?;
    let events: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT event FROM audit_log ORDER BY event").fetch_all(db).await?;
    Ok(AuditPage {
        entries: Paged { rows: entries, total, page, pages: (total + PAGE_SIZE - 1) / PAGE_SIZE },
        staff: staff.into_iter().map(|(id, name)| crate::api::staff::StaffOption { id, name }).collect(),
        events: events.into_iter().map(|e| e.0).collect(),
    })
}

/// The filtered log as CSV (UTF-8 with a BOM, for Excel), newest first, event codes as stored.
pub async fn csv(db: &Db, f: &Filter) -> Result<Vec<u8>, sqlx::Error> {
    let rows = rows(db, f, CSV_MAX_ROWS, 0).await?;
    let lines = rows.into_iter().map(|row| {
        let code = row.1.clone();
        let l = line(row);
        [
            l.at,
            l.event,
            code,
            l.staff.unwrap_or_default(),
            l.member.unwrap_or_default(),
            l.client_ip.unwrap_or_default(),
            l.detail.unwrap_or_default(),
        ]
    });
    crate::backend::platform::csv_file::spreadsheet(
        &["日時", "イベント", "イベントコード", "職員", "記号-番号", "IPアドレス", "詳細"],
        lines,
    )
    .map_err(|e| sqlx::Error::Protocol(format!("csv: {e}")))
}
