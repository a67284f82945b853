//! 職員ホーム's figures: registered / eligible members by 区分, registrations per week, the
//! outbox's backlog and the mails given up this week.

use crate::api::staff::Figures;
use crate::backend::platform::clock::jst;
use crate::backend::platform::Db;
use crate::domain::{Audience, MemberStatus};

pub const WEEKS: i64 = 12;
const WEEK: i64 = 7 * 86_400;

/// The start (unix seconds) of the JST week (Monday 00:00) that `at` falls in.
fn week_start(at: i64) -> i64 {
    let local = at + 9 * 3600;
    let days = local.div_euclid(86_400);
    // 1970-01-01 was a Thursday: Monday is 3 days before.
    let monday = days - (days + 3).rem_euclid(7);
    monday * 86_400 - 9 * 3600
}

pub async fn figures(db: &Db, now: i64) -> Result<Figures, sqlx::Error> {
    let eligible: Vec<(String, i64)> = sqlx::query_as("SELECT status, COUNT(*) FROM roster GROUP BY status").fetch_all(db).await?;
    let registered: Vec<(String, i64)> =
        sqlx::query_as("SELECT r.status, COUNT(*) FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.must_change_password = 0 GROUP BY r.status")
            .fetch_all(db)
            .await?;
    let count = |rows: &[(String, i64)], s: MemberStatus| rows.iter().find(|(c, _)| c == s.code()).map_or(0, |r| r.1);
    let by_status = Audience::CHOICES.into_iter().map(|s| (s.label().to_string(), count(&registered, s), count(&eligible, s))).collect();

    let first = week_start(now) - (WEEKS - 1) * WEEK;
    let created: Vec<(i64,)> = sqlx::query_as("SELECT created_at FROM accounts WHERE created_at >= $1 AND must_change_password = 0")
        .bind(first)
        .fetch_all(db)
        .await?;
    let mut weekly: Vec<(String, i64)> = (0..WEEKS).map(|i| (jst(first + i * WEEK, "%-m/%-d"), 0)).collect();
    for (at,) in created {
        let i = ((week_start(at) - first) / WEEK) as usize;
        if let Some(w) = weekly.get_mut(i) {
            w.1 += 1;
        }
    }
    let (outbox_waiting, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), CAST(MIN(created_at) AS BIGINT) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL")
            .fetch_one(db)
            .await?;
    let (failed_this_week,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE failed_at >= $1").bind(now - WEEK).fetch_one(db).await?;
    Ok(Figures { by_status, weekly, outbox_waiting, oldest_waiting: oldest.map(|at| jst(at, "%Y/%m/%d %H:%M")), failed_this_week })
}

#[cfg(test)]
mod tests {
    #[test]
    fn weeks_start_on_monday_in_japan() {
        // 2026-11-26 (Thursday) 12:00 JST → Monday 2026-11-23 00:00 JST.
        let thursday_noon_jst = 1_795_662_000;
        let monday = super::week_start(thursday_noon_jst);
        assert_eq!(crate::backend::platform::clock::jst(monday, "%Y-%m-%d %H:%M %a"), "2026-11-23 00:00 Mon");
        // Sunday 23:59 JST is still that week; Monday 00:00 starts the next.
        assert_eq!(super::week_start(monday + 7 * 86_400 - 60), monday);
        assert_eq!(super::week_start(monday + 7 * 86_400), monday + 7 * 86_400);
    }
}
