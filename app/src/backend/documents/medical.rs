//! 医療費のお知らせ after the load: what a household reads (only its own 記号・番号, only
//! published batches), the staff's 公開予約 and 取り下げ, the mail that announces a published
//! batch, who still needs paper, and the retention.

use crate::backend::audit;
use crate::backend::mail::campaigns;
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{db, Config, Db};
use crate::domain::medical::{Category, Month, Statement, StatementLine};
use crate::domain::MailPreference;

/// The lines a member's account may read now: its own 記号・番号, batches published and not
/// withdrawn. `$1` = account id, `$2` = now.
const VISIBLE: &str = "FROM medical_lines m JOIN medical_batches b ON b.id = m.batch_id \
     JOIN accounts a ON a.kigo = m.kigo AND a.bango = m.bango \
     WHERE a.id = $1 AND b.publish_at <= $2 AND b.withdrawn_at IS NULL";

/// What ホーム and the page's year list need: the household's years (newest first) and its
/// latest 診療年月.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Household {
    pub years: Vec<i32>,
    pub latest: Option<Month>,
}

pub async fn household(db: &Db, now: i64, account_id: &str) -> Result<Household, sqlx::Error> {
    let months: Vec<(String,)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT DISTINCT m.service_month {VISIBLE} ORDER BY m.service_month DESC")))
            .bind(account_id)
            .bind(now)
            .fetch_all(db)
            .await?;
    let months: Vec<Month> = months.iter().filter_map(|(m,)| Month::from_iso(m)).collect();
    let mut years: Vec<i32> = months.iter().map(|m| m.year).collect();
    years.dedup();
    Ok(Household { years, latest: months.first().copied() })
}

/// The last 診療年月 the society has published for anyone: a year's totals cover up to it.
pub async fn latest_published(db: &Db, now: i64) -> Result<Option<Month>, sqlx::Error> {
    let (latest,): (Option<String>,) =
        sqlx::query_as("SELECT MAX(last_month) FROM medical_batches WHERE publish_at <= $1 AND withdrawn_at IS NULL AND line_count > 0")
            .bind(now)
            .fetch_one(db)
            .await?;
    Ok(latest.as_deref().and_then(Month::from_iso))
}

#[derive(sqlx::FromRow)]
struct LineRow {
    service_month: String,
    patient: String,
    facility: String,
    category: String,
    days: i64,
    total_cost: i64,
    self_pay: i64,
}

/// A household's statement of one calendar year (empty when it has nothing that year).
pub async fn statement(db: &Db, now: i64, account_id: &str, year: i32) -> Result<Statement, sqlx::Error> {
    let rows: Vec<LineRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT m.service_month, m.patient, m.facility, m.category, m.days, m.total_cost, m.self_pay {VISIBLE} \
         AND m.service_month >= $3 AND m.service_month <= $4"
    )))
    .bind(account_id)
    .bind(now)
    .bind(format!("{year:04}-01"))
    .bind(format!("{year:04}-12"))
    .fetch_all(db)
    .await?;
    let lines = rows
        .into_iter()
        .filter_map(|r| {
            Some(StatementLine {
                month: Month::from_iso(&r.service_month)?,
                patient: r.patient,
                facility: r.facility,
                category: Category::parse(&r.category)?,
                days: r.days,
                total_cost: r.total_cost,
                self_pay: r.self_pay,
            })
        })
        .collect();
    Ok(Statement::new(year, lines, latest_published(db, now).await?))
}

/// The insured person of an account as the statement names them (被保険者等の氏名), and the
/// 記号・番号.
pub async fn insured(db: &Db, account_id: &str) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT r.name, r.kigo, r.bango FROM accounts a JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango WHERE a.id = $1")
        .bind(account_id)
        .fetch_optional(db)
        .await
}

/// A batch as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Batch {
    pub id: String,
    pub file_name: String,
    pub loaded_at: i64,
    pub line_count: i64,
    pub unknown_count: i64,
    pub first_month: String,
    pub last_month: String,
    pub publish_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
    pub notified_at: Option<i64>,
    pub campaign_id: Option<String>,
}

const BATCH_COLUMNS: &str =
    "id, file_name, loaded_at, line_count, unknown_count, first_month, last_month, publish_at, withdrawn_at, notified_at, campaign_id";

pub async fn batches(db: &Db) -> Result<Vec<Batch>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {BATCH_COLUMNS} FROM medical_batches ORDER BY id DESC"))).fetch_all(db).await
}

pub async fn batch<'c>(db: impl sqlx::Executor<'c, Database = sqlx::Any>, id: &str) -> Result<Option<Batch>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {BATCH_COLUMNS} FROM medical_batches WHERE id = $1")))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// 公開予約: members see the batch from `at` (a time already past: at once), and its mail goes
/// then. Publishing a withdrawn batch again shows it again; its mail is never sent twice.
/// Returns whether it was neither published nor scheduled (the update is conditional: of two
/// schedules at once, one takes effect).
pub async fn schedule(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, at: i64, staff_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE medical_batches SET publish_at = $1, published_by = $2, withdrawn_at = NULL \
         WHERE id = $3 AND (publish_at IS NULL OR withdrawn_at IS NOT NULL)",
    )
    .bind(at)
    .bind(staff_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// 取り下げ: members no longer see the batch; its mails not yet handed to the outbox are not
/// sent. Returns whether it was published or scheduled.
pub async fn withdraw(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE medical_batches SET withdrawn_at = $1 WHERE id = $2 AND publish_at IS NOT NULL AND withdrawn_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "DELETE FROM campaign_recipients WHERE queued_at IS NULL AND campaign_id = (SELECT campaign_id FROM medical_batches WHERE id = $1)",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// The registered members with lines in a batch: the mail's audience among the category's.
const HOUSEHOLDS_OF_BATCH: &str = "EXISTS (SELECT 1 FROM medical_lines m WHERE m.batch_id = $3 AND m.kigo = a.kigo AND m.bango = a.bango)";

/// Starts the mail of every batch whose publish time has come (the worker's pass): one
/// campaign 「医療費のお知らせを掲載しました」 of 医療費通知 to the households in it, paced by
/// `MAIL_RATE_PER_MINUTE` like every 配信メール. Each batch is claimed by a conditional update,
/// so two workers start it once. Returns how many batches were announced.
pub async fn announce_due(db: &Db, config: &Config, now: i64) -> Result<usize, sqlx::Error> {
    let due: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, published_by FROM medical_batches \
         WHERE notified_at IS NULL AND publish_at <= $1 AND withdrawn_at IS NULL AND published_by IS NOT NULL",
    )
    .bind(now)
    .fetch_all(db)
    .await?;
    let mut announced = 0;
    for (batch, staff_id) in due {
        let campaign_id = new_id();
        let mut tx = db::begin(db).await?;
        let claimed = sqlx::query(
            "UPDATE medical_batches SET notified_at = $1, campaign_id = $2 \
             WHERE id = $3 AND notified_at IS NULL AND publish_at <= $1 AND withdrawn_at IS NULL",
        )
        .bind(now)
        .bind(&campaign_id)
        .bind(&batch)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let category = MailPreference::MedicalExpenses;
        let body = crate::text::mail::medical_published(crate::backend::mail::letters::url(config, "/medical"));
        let total = campaigns::start_own(
            &mut tx,
            campaigns::OwnCampaign {
                id: &campaign_id,
                category,
                subject: crate::text::mail::SUBJECT_MEDICAL_PUBLISHED,
                body: &body,
                staff_id: &staff_id,
                now,
                among: (HOUSEHOLDS_OF_BATCH, &batch),
            },
        )
        .await?;
        let detail = format!("処理年月={batch} 宛先={total}");
        let event =
            audit::AuditEvent { staff_id: Some(&staff_id), ..audit::AuditEvent::with_detail(audit::Event::MedicalAnnounced, &detail) };
        audit::record(&mut *tx, now, event).await?;
        tx.commit().await?;
        announced += 1;
    }
    Ok(announced)
}

/// 紙で送付が必要な加入者: members with lines in the batch who cannot receive it online.
pub async fn needing_paper(db: &Db, batch: &str) -> Result<Vec<super::paper::Household>, sqlx::Error> {
    super::paper::needing_paper(
        db,
        "EXISTS (SELECT 1 FROM medical_lines m WHERE m.batch_id = $1 AND m.kigo = r.kigo AND m.bango = r.bango)",
        batch,
    )
    .await
}

/// Deletes the lines whose 診療年月 is more than `keep_years` years before this month
/// (`MEDICAL_KEEP_YEARS`), and the batches left without lines. Returns the lines deleted.
pub async fn prune(db: &Db, now: i64, this_month: Month, keep_years: u32) -> Result<u64, sqlx::Error> {
    let cutoff = this_month.minus(keep_years * 12).iso();
    let mut tx = db::begin(db).await?;
    // Only the batches that reach back past the cutoff are looked into (by the primary key's
    // batch_id): the hourly pass does not scan every line of every year.
    let lines = sqlx::query(
        "DELETE FROM medical_lines WHERE service_month < $1 \
         AND batch_id IN (SELECT id FROM medical_batches WHERE first_month < $1)",
    )
    .bind(&cutoff)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM medical_batches WHERE last_month < $1 AND NOT EXISTS (SELECT 1 FROM medical_lines m WHERE m.batch_id = medical_batches.id)")
        .bind(&cutoff)
        .execute(&mut *tx)
        .await?;
    if lines > 0 {
        let detail = format!("診療年月<{cutoff} 行数={lines}");
        audit::record(&mut *tx, now, audit::AuditEvent::with_detail(audit::Event::MedicalPruned, &detail)).await?;
    }
    tx.commit().await?;
    Ok(lines)
}

/// When the next scheduled batch goes public after `now` (the worker wakes for its mail then;
/// one already due is announced by the pass itself).
pub async fn next_publish_at(db: &Db, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let (at,): (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(publish_at) FROM medical_batches WHERE publish_at > $1 AND notified_at IS NULL AND withdrawn_at IS NULL",
    )
    .bind(now)
    .fetch_one(db)
    .await?;
    Ok(at)
}
