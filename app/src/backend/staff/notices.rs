//! お知らせ管理 (担当者): write, schedule, aim and withdraw the notices members see on ホーム.

use super::session::StaffMember;
use super::StaffError;
use crate::api::staff::{NoticeForm, NoticeLine};
use crate::backend::audit;
use crate::backend::platform::clock::jst;
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{AppState, Work};
use crate::domain::Audience;
use crate::text::staff as text;

/// A notice as staff save it (parsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeInput {
    pub title: String,
    pub body: String,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub audience: Audience,
    pub important: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    title: String,
    body: String,
    published_at: i64,
    ends_at: Option<i64>,
    important: i64,
    audience: String,
    withdrawn_at: Option<i64>,
}

const COLUMNS: &str = "SELECT id, title, body, published_at, ends_at, important, audience, withdrawn_at FROM notices";

fn state_label(r: &Row, now: i64) -> &'static str {
    if r.withdrawn_at.is_some() {
        text::NOTICE_WITHDRAWN
    } else if r.published_at > now {
        text::NOTICE_SCHEDULED
    } else if r.ends_at.is_some_and(|e| e <= now) {
        text::NOTICE_ENDED
    } else {
        text::NOTICE_SHOWN
    }
}

/// Every notice, newest 掲載開始 first.
pub async fn list(state: &AppState) -> Result<Vec<NoticeLine>, sqlx::Error> {
    let now = state.clock.now();
    let rows: Vec<Row> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} ORDER BY published_at DESC, id"))).fetch_all(&state.db).await?;
    Ok(rows
        .into_iter()
        .map(|r| NoticeLine {
            state: state_label(&r, now).to_string(),
            audience: Audience::from_code(&r.audience).label(),
            starts: jst(r.published_at, "%Y/%m/%d %H:%M"),
            ends: r.ends_at.map(|e| jst(e, "%Y/%m/%d %H:%M")),
            important: r.important != 0,
            id: r.id,
            title: r.title,
        })
        .collect())
}

/// The form's values of a notice (or of a new one, starting now).
pub async fn form(state: &AppState, id: Option<&str>) -> Result<NoticeForm, StaffError> {
    let local = |at: i64| jst(at, "%Y-%m-%dT%H:%M");
    let Some(id) = id else {
        return Ok(NoticeForm { starts: local(state.clock.now()), ..Default::default() });
    };
    let r: Row = sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE id = $1")))
        .bind(id)
        .fetch_optional(&state.db)
        .await?
        .ok_or(StaffError::NotFound)?;
    Ok(NoticeForm {
        audience: Audience::from_code(&r.audience).0.iter().map(|s| s.code().to_string()).collect(),
        starts: local(r.published_at),
        ends: r.ends_at.map(local).unwrap_or_default(),
        important: r.important != 0,
        withdrawn: r.withdrawn_at.is_some(),
        id: Some(r.id),
        title: r.title,
        body: r.body,
    })
}

/// Creates (`id` None) or updates a notice; returns its id.
pub async fn save(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    id: Option<&str>,
    input: &NoticeInput,
) -> Result<String, StaffError> {
    let now = state.clock.now();
    let mut work = Work::begin(state, "notices.save").await?.from_client(client_ip).by_staff(&staff.id);
    // One statement per case, the notice's fields bound once as $1–$6 in both.
    let (sql, event) = match id {
        Some(_) => (
            "UPDATE notices SET title = $1, body = $2, published_at = $3, ends_at = $4, audience = $5, important = $6, updated_at = $7 WHERE id = $8",
            audit::Event::StaffNoticeUpdated,
        ),
        None => (
            "INSERT INTO notices (id, title, body, published_at, ends_at, audience, important, updated_at, created_by) VALUES ($8, $1, $2, $3, $4, $5, $6, $7, $9)",
            audit::Event::StaffNoticeCreated,
        ),
    };
    let notice_id = id.map(str::to_string).unwrap_or_else(new_id);
    let mut query = sqlx::query(sql)
        .bind(&input.title)
        .bind(&input.body)
        .bind(input.starts_at)
        .bind(input.ends_at)
        .bind(input.audience.code())
        .bind(i64::from(input.important))
        .bind(now)
        .bind(&notice_id);
    if id.is_none() {
        query = query.bind(&staff.id);
    }
    if query.execute(&mut *work.tx).await?.rows_affected() != 1 {
        return Err(StaffError::NotFound);
    }
    let detail = format!("{} [{}]", input.title, input.audience.label());
    work.audit(audit::AuditEvent::with_detail(event, &detail)).await?;
    work.commit().await?;
    Ok(notice_id)
}

/// 取り下げ (or puts a withdrawn notice back): members stop (or start again) seeing it at once.
pub async fn withdraw(state: &AppState, staff: &StaffMember, client_ip: Option<&str>, id: &str, withdrawn: bool) -> Result<(), StaffError> {
    let now = state.clock.now();
    let mut work = Work::begin(state, "notices.withdraw").await?.from_client(client_ip).by_staff(&staff.id);
    let done = sqlx::query("UPDATE notices SET withdrawn_at = $1, updated_at = $2 WHERE id = $3")
        .bind(withdrawn.then_some(now))
        .bind(now)
        .bind(id)
        .execute(&mut *work.tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(StaffError::NotFound);
    }
    let event = if withdrawn { audit::Event::StaffNoticeWithdrawn } else { audit::Event::StaffNoticeRestored };
    work.audit(audit::AuditEvent::with_detail(event, id)).await?;
    work.commit().await?;
    Ok(())
}
