//! 配信メール (職員画面): staff draft a mail for one 配信メール設定 category and test it on
//! themselves; a 管理者 sends it. The send only chooses the recipients (once, conditionally):
//! the mail worker hands them to the outbox at `MAIL_RATE_PER_MINUTE` (`backend::campaigns`).

use super::session::StaffMember;
use super::StaffError;
use crate::api::staff::{CampaignForm, CampaignLine, CampaignProgress};
use crate::backend::audit;
use crate::backend::mail::{campaigns, letters};
use crate::backend::platform::clock::jst;
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{AppState, Db, Work};
use crate::domain::{MailPreference, StaffRole};
use crate::text::staff as text;

const TIME: &str = "%Y/%m/%d %H:%M";

/// A draft as staff save it (parsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignInput {
    pub category: MailPreference,
    pub subject: String,
    pub body: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    category: String,
    subject: String,
    body: String,
    created_at: i64,
    started_at: Option<i64>,
    total: i64,
    created_by: String,
}

const COLUMNS: &str = "SELECT c.id, c.category, c.subject, c.body, c.created_at, c.started_at, c.total, s.name AS created_by \
     FROM mail_campaigns c JOIN staff s ON s.id = c.created_by";

/// What a 管理者 reviewed: a keyed digest of the draft's category, subject and body.
pub fn digest(category: &str, subject: &str, body: &str) -> String {
    crate::backend::platform::secret::mac(&["campaign-draft", category, subject, body])[..32].to_string()
}

fn category_label(code: &str) -> String {
    MailPreference::from_code(code).map(|c| c.label().to_string()).unwrap_or_else(|| code.to_string())
}

/// Where a sent campaign's addresses are: waiting for the worker, delivered, given up.
pub async fn progress(db: &Db, id: &str) -> Result<CampaignProgress, sqlx::Error> {
    let (total, sent, failed): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(o.sent_at), COUNT(o.failed_at) \
         FROM campaign_recipients r LEFT JOIN mail_outbox o ON o.id = r.outbox_id WHERE r.campaign_id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    Ok(CampaignProgress { total, waiting: total - sent - failed, sent, failed })
}

fn state_label(r: &Row, p: &CampaignProgress) -> &'static str {
    match r.started_at {
        None => text::CAMPAIGN_DRAFT,
        Some(_) if p.finished() => text::CAMPAIGN_DONE,
        Some(_) => text::CAMPAIGN_SENDING,
    }
}

/// Every campaign, newest first.
pub async fn list(db: &Db) -> Result<Vec<CampaignLine>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} ORDER BY c.created_at DESC, c.id"))).fetch_all(db).await?;
    let mut lines = Vec::with_capacity(rows.len());
    for r in rows {
        let progress = if r.started_at.is_some() { progress(db, &r.id).await? } else { CampaignProgress::default() };
        lines.push(CampaignLine {
            state: state_label(&r, &progress).to_string(),
            category: category_label(&r.category),
            created: jst(r.created_at, TIME),
            progress,
            id: r.id,
            subject: r.subject,
        });
    }
    Ok(lines)
}

async fn row(db: &Db, id: &str) -> Result<Row, StaffError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE c.id = $1"))).bind(id).fetch_optional(db).await?.ok_or(StaffError::NotFound)
}

/// The page's values: a new draft (`None`), a draft with the audience it would reach now, or a
/// sent campaign with its progress.
pub async fn form(db: &Db, id: Option<&str>) -> Result<CampaignForm, StaffError> {
    let Some(id) = id else { return Ok(CampaignForm::default()) };
    let r = row(db, id).await?;
    let (addresses, members, started, progress) = match r.started_at {
        Some(at) => {
            let (members,): (i64,) = sqlx::query_as("SELECT COUNT(DISTINCT account_id) FROM campaign_recipients WHERE campaign_id = $1")
                .bind(id)
                .fetch_one(db)
                .await?;
            (r.total, members, Some(jst(at, TIME)), progress(db, id).await?)
        }
        None => {
            let (addresses, members) = match MailPreference::from_code(&r.category) {
                Some(c) => campaigns::audience(db, c).await?,
                None => (0, 0),
            };
            (addresses, members, None, CampaignProgress::default())
        }
    };
    Ok(CampaignForm {
        digest: digest(&r.category, &r.subject, &r.body),
        id: Some(r.id),
        category: r.category,
        subject: r.subject,
        body: r.body,
        addresses,
        members,
        created_by: r.created_by,
        started,
        progress,
    })
}

/// Creates (`id` None) or updates a draft; returns its id. A sent campaign cannot change.
pub async fn save(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    id: Option<&str>,
    input: &CampaignInput,
) -> Result<String, StaffError> {
    let now = state.clock.now();
    let mut work = Work::begin(state, "campaigns.save").await?.from_client(client_ip).by_staff(&staff.id);
    // One statement per case, the draft's fields bound once as $1–$3 in both.
    let sql = match id {
        Some(_) => "UPDATE mail_campaigns SET category = $1, subject = $2, body = $3, updated_at = $4 WHERE id = $5 AND started_at IS NULL",
        None => "INSERT INTO mail_campaigns (id, category, subject, body, created_at, updated_at, created_by) VALUES ($5, $1, $2, $3, $4, $4, $6)",
    };
    let campaign_id = id.map(str::to_string).unwrap_or_else(new_id);
    let mut query = sqlx::query(sql).bind(input.category.code()).bind(&input.subject).bind(&input.body).bind(now).bind(&campaign_id);
    if id.is_none() {
        query = query.bind(&staff.id);
    }
    if query.execute(&mut *work.tx).await?.rows_affected() != 1 {
        // Not updated: unknown (NotFound) or sent already.
        row(&state.db, &campaign_id).await?;
        return Err(StaffError::NotPossible(text::CAMPAIGN_ALREADY_SENT));
    }
    let detail = format!("{} [{}]", input.subject, input.category.label());
    work.audit(audit::AuditEvent::with_detail(audit::Event::StaffCampaignSaved, &detail)).await?;
    work.commit().await?;
    Ok(campaign_id)
}

/// The mail as a member would get it, to the staff member's own address (subject marked
/// 【テスト】, no unsubscribe link).
pub async fn send_test(state: &AppState, staff: &StaffMember, client_ip: Option<&str>, id: &str) -> Result<(), StaffError> {
    let r = row(&state.db, id).await?;
    let category = MailPreference::from_code(&r.category).ok_or(StaffError::NotFound)?;
    let subject = format!("{}{}", text::CAMPAIGN_TEST_PREFIX, r.subject);
    let mail = letters::category_mail(&state.config, &staff.email, category, &subject, &r.body, None);
    let mut work = Work::begin(state, "campaigns.send_test").await?.from_client(client_ip).by_staff(&staff.id);
    work.mail(&mail).await?;
    work.audit(audit::AuditEvent::with_detail(audit::Event::StaffCampaignTest, &r.subject)).await?;
    work.commit().await?;
    Ok(())
}

/// 送信 (管理者): freezes the draft and chooses its recipients, once. `expected` is the count the
/// 管理者 saw and `seen` the digest of the draft they read: if the audience or the draft changed
/// since (a 担当者 edited it meanwhile), nothing is sent and the page shows the new version.
/// A second send of the same campaign (double click, two tabs) finds it started and does nothing.
pub async fn start(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    id: &str,
    expected: i64,
    seen: &str,
) -> Result<i64, StaffError> {
    if staff.role != StaffRole::Admin {
        return Err(StaffError::NotPossible(text::CAMPAIGN_SEND_ADMIN_ONLY));
    }
    let now = state.clock.now();
    let r = row(&state.db, id).await?;
    let category = MailPreference::from_code(&r.category).ok_or(StaffError::NotFound)?;
    if r.started_at.is_some() {
        return Err(StaffError::NotPossible(text::CAMPAIGN_ALREADY_SENT));
    }
    if !crate::backend::platform::ids::secrets_equal(&digest(&r.category, &r.subject, &r.body), seen) {
        return Err(StaffError::NotPossible(text::CAMPAIGN_CHANGED));
    }
    let mut work = Work::begin(state, "campaigns.start").await?.from_client(client_ip).by_staff(&staff.id);
    // Claimed only as read: an edit landing between the read and here leaves it unclaimed.
    let claimed = sqlx::query(
        "UPDATE mail_campaigns SET started_at = $1, started_by = $2, updated_at = $1 \
         WHERE id = $3 AND started_at IS NULL AND category = $4 AND subject = $5 AND body = $6",
    )
    .bind(now)
    .bind(&staff.id)
    .bind(id)
    .bind(&r.category)
    .bind(&r.subject)
    .bind(&r.body)
    .execute(&mut *work.tx)
    .await?;
    if claimed.rows_affected() != 1 {
        // Its connection back first: sends at once must not each hold one while asking another.
        work.rollback().await?;
        let sent = row(&state.db, id).await?.started_at.is_some();
        return Err(StaffError::NotPossible(if sent { text::CAMPAIGN_ALREADY_SENT } else { text::CAMPAIGN_CHANGED }));
    }
    let total = campaigns::choose_recipients(&mut work.tx, id, category).await?;
    if total == 0 {
        return Err(StaffError::NotPossible(text::CAMPAIGN_NO_RECIPIENTS));
    }
    if total != expected {
        return Err(StaffError::NotPossible(text::CAMPAIGN_COUNT_CHANGED));
    }
    sqlx::query("UPDATE mail_campaigns SET total = $1 WHERE id = $2").bind(total).bind(id).execute(&mut *work.tx).await?;
    let detail = format!("{} [{}] {total}{}", r.subject, category.label(), text::CAMPAIGN_ADDRESSES);
    work.audit(audit::AuditEvent::with_detail(audit::Event::StaffCampaignSent, &detail)).await?;
    work.commit().await?;
    Ok(total)
}
