//! 給付金支給決定通知書 after the file is checked: the load (one batch per 決定日, replaced whole
//! by a file of the same 決定日), what a household reads (only its own 記号・番号), the mail
//! 「給付金のお知らせを掲載しました」 of 「通知書・証明書」 (no amounts), who still needs paper, and the
//! retention.

use super::benefit_file::BenefitFile;
use crate::backend::audit;
use crate::backend::mail::campaigns;
use crate::backend::platform::csv_file::{ImportError, RowError};
use crate::backend::platform::db::{self, Cell};
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{Config, Db};
use crate::domain::benefit::{BenefitKind, BenefitNotice};
use crate::domain::MailPreference;
use std::collections::HashSet;

/// What a load did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loaded {
    pub batch: String,
    pub lines: u64,
    pub households: u64,
    /// Lines of the same 決定日 loaded before, which this file replaced.
    pub replaced: u64,
    /// Addresses the mail goes to (0 without a staff member: a CLI load mails nobody).
    pub recipients: i64,
}

/// Checks the file against the roster (every 記号・番号 must be on it: a decision for a number
/// nobody has yet would show to whoever registers with it) and counts its households.
pub async fn check(conn: &mut sqlx::AnyConnection, file: &BenefitFile) -> Result<u64, ImportError> {
    let on_roster: Vec<(String, String)> = sqlx::query_as("SELECT kigo, bango FROM roster").fetch_all(&mut *conn).await?;
    let on_roster: HashSet<(String, String)> = on_roster.into_iter().collect();
    let mut households = HashSet::new();
    let mut errors = Vec::new();
    for l in &file.lines {
        let key = (l.kigo.as_str().to_string(), l.bango.as_str().to_string());
        if !on_roster.contains(&key) {
            errors.push(RowError { line: l.line, reason: format!("記号・番号 {}-{} は名簿にありません。", key.0, key.1) });
        }
        households.insert(key);
    }
    if errors.is_empty() {
        Ok(households.len() as u64)
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// Writes the file as its 決定日's batch inside the caller's transaction (the batch row first, so a
/// second load of the same 決定日 waits for it, then replaces its lines); when `staff_id` loaded it,
/// starts the mail to the households in it.
pub async fn load(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    config: &Config,
    file: &BenefitFile,
    file_name: &str,
    staff_id: Option<&str>,
    now: i64,
) -> Result<Loaded, ImportError> {
    let households = check(tx, file).await?;
    let batch = file.decided_on.to_string();
    sqlx::query(
        "INSERT INTO benefit_batches (id, file_name, loaded_at, loaded_by, line_count) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO UPDATE SET file_name = excluded.file_name, loaded_at = excluded.loaded_at, \
         loaded_by = excluded.loaded_by, line_count = excluded.line_count",
    )
    .bind(&batch)
    .bind(file_name.chars().take(200).collect::<String>())
    .bind(now)
    .bind(staff_id)
    .bind(file.lines.len() as i64)
    .execute(&mut **tx)
    .await?;
    let replaced = sqlx::query("DELETE FROM benefit_lines WHERE batch_id = $1").bind(&batch).execute(&mut **tx).await?.rows_affected();
    let rows: Vec<Vec<Cell>> = file
        .lines
        .iter()
        .map(|l| {
            vec![
                batch.as_str().into(),
                (l.line as i64).into(),
                l.kigo.as_str().into(),
                l.bango.as_str().into(),
                l.branch.as_str().into(),
                l.kind.code().into(),
                l.target.as_str().into(),
                l.patient.as_str().into(),
                l.facility.as_str().into(),
                l.amount.into(),
                l.pay_on.map(|d| d.to_string()).into(),
                l.account.as_str().into(),
            ]
        })
        .collect();
    db::insert_rows(
        tx,
        "benefit_lines",
        &[
            ("batch_id", "text"),
            ("line", "bigint"),
            ("kigo", "text"),
            ("bango", "text"),
            ("branch", "text"),
            ("kind", "text"),
            ("target", "text"),
            ("patient", "text"),
            ("facility", "text"),
            ("amount", "bigint"),
            ("pay_on", "text"),
            ("account", "text"),
        ],
        &rows,
        "",
    )
    .await?;
    let mut recipients = 0;
    if let Some(staff_id) = staff_id {
        let id = new_id();
        let body = crate::text::mail::benefits_published(crate::backend::mail::letters::url(config, "/benefits"));
        recipients = campaigns::start_own(
            tx,
            campaigns::OwnCampaign {
                id: &id,
                category: MailPreference::Notices,
                subject: crate::text::mail::SUBJECT_BENEFITS_PUBLISHED,
                body: &body,
                staff_id,
                now,
                among: (HOUSEHOLDS_OF_BATCH, &batch),
            },
        )
        .await?;
        sqlx::query("UPDATE benefit_batches SET campaign_id = $1 WHERE id = $2").bind(&id).bind(&batch).execute(&mut **tx).await?;
    }
    let detail = format!("決定日={batch} 行数={} 世帯={households} 宛先={recipients}", file.lines.len());
    let event = audit::AuditEvent { staff_id, ..audit::AuditEvent::with_detail(audit::Event::BenefitsLoaded, &detail) };
    audit::record(&mut **tx, now, event).await?;
    Ok(Loaded { batch, lines: file.lines.len() as u64, households, replaced, recipients })
}

/// The registered members with lines in a batch: the mail's audience.
const HOUSEHOLDS_OF_BATCH: &str = "EXISTS (SELECT 1 FROM benefit_lines b WHERE b.batch_id = $3 AND b.kigo = a.kigo AND b.bango = a.bango)";

#[derive(sqlx::FromRow)]
struct Row {
    batch_id: String,
    line: i64,
    kind: String,
    target: String,
    patient: String,
    facility: String,
    amount: i64,
    pay_on: Option<String>,
    account: String,
}

impl Row {
    fn notice(self) -> Option<BenefitNotice> {
        Some(BenefitNotice {
            id: format!("{}-{}", self.batch_id, self.line),
            kind: BenefitKind::parse(&self.kind)?,
            target: self.target,
            patient: self.patient,
            facility: self.facility,
            decided_on: self.batch_id,
            amount: self.amount,
            pay_on: self.pay_on,
            account: self.account,
        })
    }
}

/// A household's lines: only its own 記号・番号. `$1` = account id.
const HOUSEHOLD: &str = "SELECT b.batch_id, b.line, b.kind, b.target, b.patient, b.facility, b.amount, b.pay_on, b.account \
     FROM benefit_lines b JOIN accounts a ON a.kigo = b.kigo AND a.bango = b.bango WHERE a.id = $1";

/// Every decision of the household, newest first.
pub async fn household(db: &Db, account_id: &str) -> Result<Vec<BenefitNotice>, sqlx::Error> {
    let rows: Vec<Row> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{HOUSEHOLD} ORDER BY b.batch_id DESC, b.line"))).bind(account_id).fetch_all(db).await?;
    Ok(rows.into_iter().filter_map(Row::notice).collect())
}

/// One decision (`決定日-line`), if it is the household's: another household's reads as not found.
pub async fn notice(db: &Db, account_id: &str, id: &str) -> Result<Option<BenefitNotice>, sqlx::Error> {
    let Some((batch, line)) = id.rsplit_once('-') else { return Ok(None) };
    let Ok(line) = line.parse::<i64>() else { return Ok(None) };
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{HOUSEHOLD} AND b.batch_id = $2 AND b.line = $3")))
        .bind(account_id)
        .bind(batch)
        .bind(line)
        .fetch_optional(db)
        .await?;
    Ok(row.and_then(Row::notice))
}

/// A batch as the console lists it: (決定日, file, loaded at, lines, campaign).
pub type Batch = (String, String, i64, i64, Option<String>);

pub async fn batches(db: &Db) -> Result<Vec<Batch>, sqlx::Error> {
    sqlx::query_as("SELECT id, file_name, loaded_at, line_count, campaign_id FROM benefit_batches ORDER BY id DESC LIMIT 100")
        .fetch_all(db)
        .await
}

pub async fn batch_exists(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM benefit_batches WHERE id = $1").bind(id).fetch_optional(db).await?;
    Ok(found.is_some())
}

/// The households of a batch who still need the notice on paper.
pub async fn needing_paper(db: &Db, batch: &str) -> Result<Vec<super::paper::Household>, sqlx::Error> {
    super::paper::needing_paper(
        db,
        "EXISTS (SELECT 1 FROM benefit_lines b WHERE b.batch_id = $1 AND b.kigo = r.kigo AND b.bango = r.bango)",
        batch,
    )
    .await
}

/// Deletes the batches decided before `cutoff` (`YYYY-MM-DD`: `BENEFIT_KEEP_YEARS` back) with their
/// lines. Returns the lines deleted.
pub async fn prune(db: &Db, now: i64, cutoff: &str) -> Result<u64, sqlx::Error> {
    let mut tx = db::begin(db).await?;
    let lines = sqlx::query("DELETE FROM benefit_lines WHERE batch_id < $1").bind(cutoff).execute(&mut *tx).await?.rows_affected();
    sqlx::query("DELETE FROM benefit_batches WHERE id < $1").bind(cutoff).execute(&mut *tx).await?;
    if lines > 0 {
        let detail = format!("決定日<{cutoff} 行数={lines}");
        audit::record(&mut *tx, now, audit::AuditEvent::with_detail(audit::Event::BenefitsPruned, &detail)).await?;
    }
    tx.commit().await?;
    Ok(lines)
}
