//! ホーム: the member's name and 健保からのお知らせ.

use super::auth::SessionMember;
use super::AppState;
use crate::api::{HomeData, Notice};

/// How many notices ホーム lists.
const NOTICES_SHOWN: i64 = 20;

pub async fn load(state: &AppState, member: &SessionMember) -> Result<HomeData, sqlx::Error> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT title, body, published_at FROM notices ORDER BY published_at DESC LIMIT $1")
            .bind(NOTICES_SHOWN)
            .fetch_all(&state.db)
            .await?;
    let notices = rows.into_iter().map(|(title, body, at)| Notice { title, body, published: super::clock::jst(at, "%Y/%m/%d") }).collect();
    Ok(HomeData { name: member.name.clone(), notices })
}
