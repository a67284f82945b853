//! ホーム: the member's name and 健保からのお知らせ (current, for the member's 区分, 重要 first).

use crate::api::{HomeData, Notice};
use crate::backend::members::login::SessionMember;
use crate::backend::platform::AppState;

/// How many notices ホーム lists.
const NOTICES_SHOWN: i64 = 20;

/// The notices a member of this account sees now: published, not ended, not withdrawn, for
/// everyone or for the member's roster 区分.
const VISIBLE: &str = "FROM notices n WHERE n.published_at <= $1 AND (n.ends_at IS NULL OR n.ends_at > $1) AND n.withdrawn_at IS NULL \
    AND (n.audience = '' OR (',' || n.audience || ',') LIKE ('%,' || (SELECT r.status FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.id = $2) || ',%'))";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    title: String,
    body: String,
    published_at: i64,
    important: i64,
}

fn notice(r: Row) -> Notice {
    Notice {
        id: r.id,
        title: r.title,
        body: r.body,
        published: crate::backend::platform::clock::jst(r.published_at, "%Y/%m/%d"),
        important: r.important != 0,
    }
}

pub async fn load(state: &AppState, member: &SessionMember) -> Result<HomeData, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT n.id, n.title, n.body, n.published_at, n.important {VISIBLE} ORDER BY n.important DESC, n.published_at DESC, n.id LIMIT $3"
    )))
    .bind(state.clock.now())
    .bind(&member.account_id)
    .bind(NOTICES_SHOWN)
    .fetch_all(&state.db)
    .await?;
    Ok(HomeData {
        name: member.name.clone(),
        notices: rows.into_iter().map(notice).collect(),
        medical_latest: None,
        qualification_current: 0,
        benefits: 0,
        read_only_until: None,
    })
}

/// One notice in full, if this member may see it now.
pub async fn notice_for(state: &AppState, member: &SessionMember, id: &str) -> Result<Option<Notice>, sqlx::Error> {
    let row: Option<Row> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT n.id, n.title, n.body, n.published_at, n.important {VISIBLE} AND n.id = $3")))
            .bind(state.clock.now())
            .bind(&member.account_id)
            .bind(id)
            .fetch_optional(&state.db)
            .await?;
    Ok(row.map(notice))
}
