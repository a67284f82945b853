//! 問い合わせ対応: the queue of the inquiry form's submissions (未対応 / 対応中 / 完了), an
//! assignee, internal notes, and replies mailed to the inquirer through the outbox.

use super::session::StaffMember;
use super::StaffError;
use crate::api::staff::{InquiryDetail, InquiryEntry, InquiryLine, Paged, StaffOption};
use crate::backend::audit;
use crate::backend::mail::letters;
use crate::backend::platform::clock::jst;
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{AppState, Db, Work};
use crate::domain::{InquiryKind, InquiryStatus};

pub const PAGE_SIZE: i64 = 30;
const TIME: &str = "%Y/%m/%d %H:%M";

fn kind_label(code: &str) -> String {
    InquiryKind::parse(code).map(|k| k.label().to_string()).unwrap_or_else(|_| code.to_string())
}

/// The queue: one status (or all but 完了 with `None`), or the inquiry whose reference
/// contains `reference`; oldest first, as they should be answered.
pub async fn list(db: &Db, status: Option<InquiryStatus>, reference: &str, page: i64) -> Result<Paged<InquiryLine>, sqlx::Error> {
    let page = page.max(1);
    let reference = reference.trim().to_ascii_uppercase();
    let filter = "WHERE (($1 = '' AND i.status <> 'closed') OR i.status = $1) AND ($2 = '' OR i.reference LIKE $3)";
    let status = status.map(|s| s.code()).unwrap_or_default();
    let pattern = format!("%{}%", reference.replace(['%', '_', '\\'], ""));
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM inquiries i {filter}")))
        .bind(status)
        .bind(&reference)
        .bind(&pattern)
        .fetch_one(db)
        .await?;
    let rows: Vec<(String, String, String, String, Option<String>, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT i.reference, i.kind, i.name, i.status, s.name, i.created_at FROM inquiries i LEFT JOIN staff s ON s.id = i.assignee_id {filter} \
         ORDER BY i.created_at, i.reference LIMIT $4 OFFSET $5"
    )))
    .bind(status)
    .bind(&reference)
    .bind(&pattern)
    .bind(PAGE_SIZE)
    .bind((page - 1) * PAGE_SIZE)
    .fetch_all(db)
    .await?;
    Ok(Paged {
        rows: rows
            .into_iter()
            .map(|(reference, kind, name, status, assignee, at)| InquiryLine {
                reference,
                kind: kind_label(&kind),
                name,
                status: InquiryStatus::parse(&status).unwrap_or(InquiryStatus::Open),
                assignee,
                received: jst(at, TIME),
            })
            .collect(),
        total,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
    })
}

pub async fn open_count(db: &Db) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM inquiries WHERE status = 'open'").fetch_one(db).await?;
    Ok(n)
}

/// Active staff, to choose an assignee from.
pub async fn staff_options(db: &Db) -> Result<Vec<StaffOption>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM staff WHERE disabled_at IS NULL ORDER BY name").fetch_all(db).await?;
    Ok(rows.into_iter().map(|(id, name)| StaffOption { id, name }).collect())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    reference: String,
    kind: String,
    name: String,
    kigo: String,
    bango: String,
    birth_date: String,
    email: String,
    phone: Option<String>,
    body: String,
    status: String,
    assignee_id: Option<String>,
    created_at: i64,
}

async fn row(db: &Db, reference: &str) -> Result<Row, StaffError> {
    sqlx::query_as(
        "SELECT id, reference, kind, name, kigo, bango, birth_date, email, phone, body, status, assignee_id, created_at FROM inquiries WHERE reference = $1",
    )
    .bind(reference.trim().to_ascii_uppercase())
    .fetch_optional(db)
    .await?
    .ok_or(StaffError::NotFound)
}

/// One inquiry with its notes and replies, and the roster member it matches (記号・番号 and
/// birth date), if any.
pub async fn detail(db: &Db, reference: &str) -> Result<InquiryDetail, StaffError> {
    let r = row(db, reference).await?;
    let member: Option<(String, String)> =
        sqlx::query_as("SELECT kigo, bango FROM roster WHERE kigo = $1 AND bango = $2 AND birth_date = $3")
            .bind(&r.kigo)
            .bind(&r.bango)
            .bind(&r.birth_date)
            .fetch_optional(db)
            .await?;
    let entries: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT e.kind, s.name, e.created_at, e.body FROM inquiry_entries e JOIN staff s ON s.id = e.staff_id WHERE e.inquiry_id = $1 ORDER BY e.created_at, e.id",
    )
    .bind(&r.id)
    .fetch_all(db)
    .await?;
    Ok(InquiryDetail {
        kind: kind_label(&r.kind),
        status: InquiryStatus::parse(&r.status).unwrap_or(InquiryStatus::Open),
        received: jst(r.created_at, TIME),
        birth_date: r.birth_date.replace('-', "/"),
        reference: r.reference,
        name: r.name,
        kigo: r.kigo,
        bango: r.bango,
        email: r.email,
        phone: r.phone,
        body: r.body,
        assignee_id: r.assignee_id,
        member,
        entries: entries
            .into_iter()
            .map(|(kind, staff, at, body)| InquiryEntry { is_reply: kind == "reply", staff, at: jst(at, TIME), body })
            .collect(),
        staff: staff_options(db).await?,
    })
}

/// What staff do to an inquiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// 状態 and 担当者.
    Assign { status: InquiryStatus, assignee_id: Option<String> },
    /// An internal note (never sent).
    Note(String),
    /// A reply mailed to the inquirer's contact address; 未対応 becomes 対応中.
    Reply(String),
}

pub async fn change(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    reference: &str,
    change: Change,
) -> Result<(), StaffError> {
    let now = state.clock.now();
    let r = row(&state.db, reference).await?;
    let mut work = Work::begin(state, "inquiries.change").await?.from_client(client_ip).by_staff(&staff.id);
    let (event, detail) = match &change {
        Change::Assign { status, assignee_id } => {
            if let Some(id) = assignee_id {
                let known: Option<(String,)> = sqlx::query_as("SELECT id FROM staff WHERE id = $1 AND disabled_at IS NULL")
                    .bind(id)
                    .fetch_optional(&mut *work.tx)
                    .await?;
                known.ok_or(StaffError::NotFound)?;
            }
            let closed_at = (*status == InquiryStatus::Closed).then_some(now);
            sqlx::query("UPDATE inquiries SET status = $1, assignee_id = $2, closed_at = $3 WHERE id = $4")
                .bind(status.code())
                .bind(assignee_id)
                .bind(closed_at)
                .bind(&r.id)
                .execute(&mut *work.tx)
                .await?;
            (audit::Event::StaffInquiryUpdated, format!("{} {}", r.reference, status.label()))
        }
        Change::Note(body) | Change::Reply(body) => {
            let is_reply = matches!(change, Change::Reply(_));
            sqlx::query("INSERT INTO inquiry_entries (id, inquiry_id, staff_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(new_id())
                .bind(&r.id)
                .bind(&staff.id)
                .bind(if is_reply { "reply" } else { "note" })
                .bind(body)
                .bind(now)
                .execute(&mut *work.tx)
                .await?;
            if is_reply {
                work.mail(&letters::inquiry_reply(&state.config, &r.email, &r.reference, &r.name, body)).await?;
                sqlx::query("UPDATE inquiries SET status = 'in_progress', assignee_id = COALESCE(assignee_id, $1) WHERE id = $2 AND status = 'open'")
                    .bind(&staff.id)
                    .bind(&r.id)
                    .execute(&mut *work.tx)
                    .await?;
                (audit::Event::StaffInquiryReplied, r.reference.clone())
            } else {
                (audit::Event::StaffInquiryNote, r.reference.clone())
            }
        }
    };
    work.audit(audit::AuditEvent::with_detail(event, &detail)).await?;
    work.commit().await?;
    Ok(())
}
