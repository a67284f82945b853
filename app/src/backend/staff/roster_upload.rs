//! 名簿アップロード (管理者): the roster CSV uploaded in the browser (the same formats as
//! `import-roster`), previewed (errors with line numbers, new / changed fields / unchanged, and in
//! 全件置換 the members who would become 資格喪失), then applied from the preview once, in one
//! transaction.

use super::session::StaffMember;
use super::StaffError;
use crate::api::staff::RosterPreview;
use crate::backend::audit;
use crate::backend::documents::qualification::{self, Source};
use crate::backend::platform::clock::jst;
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{db, AppState, Db, Work};
use crate::backend::roster::{self, ImportError, Mode};
use crate::text::staff as text;

/// The largest file accepted (a 100,000-member roster is about 8 MB).
pub const MAX_FILE_BYTES: usize = 32 << 20;
const CHANGED_SHOWN: usize = 500;

/// Stores an uploaded file for its preview; returns its id. The file is decoded first (UTF-8 or
/// Shift_JIS); an undecodable file is refused.
pub async fn store(
    db: &Db,
    staff: &StaffMember,
    client_ip: Option<&str>,
    now: i64,
    file_name: &str,
    bytes: &[u8],
    mode: Mode,
) -> Result<String, StaffError> {
    let content = roster::decode(bytes).map_err(|_| StaffError::NotPossible(text::ROSTER_ENCODING))?;
    let id = new_id();
    let mut tx = db::begin(db).await?;
    let name: String = file_name.chars().take(200).collect();
    let detail =
        format!("{name}（{}、{} バイト）", if mode == Mode::Replace { text::ROSTER_REPLACE } else { text::ROSTER_UPSERT }, bytes.len());
    audit::record(&mut *tx, now, audit::AuditEvent::by_staff(audit::Event::StaffRosterUploaded, &staff.id, client_ip, &detail)).await?;
    sqlx::query("INSERT INTO roster_uploads (id, staff_id, mode, file_name, content, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(&staff.id)
        .bind(if mode == Mode::Replace { "replace" } else { "upsert" })
        .bind(name)
        .bind(content)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct Upload {
    id: String,
    mode: String,
    file_name: String,
    content: String,
    created_at: i64,
    applied_at: Option<i64>,
    summary: Option<String>,
}

async fn upload(db: &Db, id: &str) -> Result<Upload, StaffError> {
    sqlx::query_as("SELECT id, mode, file_name, content, created_at, applied_at, summary FROM roster_uploads WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or(StaffError::NotFound)
}

fn mode_of(u: &Upload) -> Mode {
    if u.mode == "replace" {
        Mode::Replace
    } else {
        Mode::Upsert
    }
}

/// What the file would do (errors, or new / changed / unchanged / retired); for an applied file,
/// when it was applied and what it did.
pub async fn preview(state: &AppState, id: &str) -> Result<RosterPreview, StaffError> {
    let u = upload(&state.db, id).await?;
    let mode = mode_of(&u);
    let mut preview = RosterPreview {
        id: u.id.clone(),
        file_name: u.file_name.clone(),
        replace: mode == Mode::Replace,
        uploaded: jst(u.created_at, "%Y/%m/%d %H:%M"),
        errors: Vec::new(),
        new: 0,
        changed: Vec::new(),
        changed_total: 0,
        unchanged: 0,
        retired: Vec::new(),
        retire_confirm: false,
        digest: String::new(),
        applied: u.applied_at.map(|at| format!("{}（{}）", jst(at, "%Y/%m/%d %H:%M"), u.summary.clone().unwrap_or_default())),
    };
    // Once applied, the page shows what the apply did; a new plan against the changed roster
    // would only say "unchanged" (and cost a second pass over the file).
    if preview.applied.is_some() {
        return Ok(preview);
    }
    let rows = match roster::parse(&u.content, state.clock.today()) {
        Ok(rows) => rows,
        Err(ImportError::Rows(errors)) => {
            preview.errors = errors.iter().map(ToString::to_string).collect();
            return Ok(preview);
        }
        Err(e) => {
            preview.errors = vec![e.to_string()];
            return Ok(preview);
        }
    };
    let conflicts = roster::branch_conflicts(&mut *state.db.acquire().await?, &rows).await?;
    if !conflicts.is_empty() {
        preview.errors = conflicts.iter().map(ToString::to_string).collect();
        return Ok(preview);
    }
    if mode == Mode::Replace && rows.is_empty() {
        preview.errors = vec![text::ROSTER_REPLACE_EMPTY.to_string()];
        return Ok(preview);
    }
    let plan = roster::plan(&state.db, &rows, mode).await?;
    preview.digest = plan.digest();
    preview.retire_confirm = needs_typed_count(&state.db, plan.retired.len()).await?;
    preview.new = plan.new.len();
    preview.changed_total = plan.changed.len();
    preview.changed = plan
        .changed
        .into_iter()
        .take(CHANGED_SHOWN)
        .map(|(line, number, fields)| (format!("{line}行目 {number}"), fields.join("・")))
        .collect();
    preview.unchanged = plan.unchanged;
    preview.retired = plan.retired;
    Ok(preview)
}

/// Retiring more than this share of the active roster (or more than [`RETIRE_TYPED_OVER`]
/// members) needs the 管理者 to type the number: a wrong file must not end thousands of logins.
const RETIRE_TYPED_PERCENT: usize = 5;
const RETIRE_TYPED_OVER: usize = 100;

async fn needs_typed_count<'c>(db: impl sqlx::Executor<'c, Database = sqlx::Any>, retired: usize) -> Result<bool, sqlx::Error> {
    let (active,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roster WHERE status <> 'lost'").fetch_one(db).await?;
    Ok(retired > RETIRE_TYPED_OVER || retired * 100 > active.max(0) as usize * RETIRE_TYPED_PERCENT)
}

/// What the 管理者 saw on the preview: the plan's digest, and the number of members retired as
/// they typed it (when the preview asked for it).
pub struct Reviewed<'a> {
    pub digest: &'a str,
    pub retire_count: Option<usize>,
}

/// Applies running in this process: upload id → (rows written, rows in the file). The apply's
/// transaction holds SQLite's write lock, so its progress cannot be written to a table; a page
/// whose poll reaches another instance sees only that the apply runs.
static APPLYING: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<String, (u64, u64)>>> =
    std::sync::LazyLock::new(Default::default);

/// How far the apply of an upload is, if it runs in this process.
pub fn progress(id: &str) -> Option<(u64, u64)> {
    APPLYING.lock().ok()?.get(id).copied()
}

/// Its entry in `APPLYING` for the life of one apply (removed however the apply ends).
struct Applying(String);

impl Applying {
    fn start(id: &str, rows: u64) -> Self {
        if let Ok(mut map) = APPLYING.lock() {
            map.insert(id.to_string(), (0, rows));
        }
        Self(id.to_string())
    }

    fn written(&self, n: u64) {
        if let Ok(mut map) = APPLYING.lock() {
            if let Some(entry) = map.get_mut(&self.0) {
                entry.0 = n;
            }
        }
    }
}

impl Drop for Applying {
    fn drop(&mut self) {
        if let Ok(mut map) = APPLYING.lock() {
            map.remove(&self.0);
        }
    }
}

/// Applies the previewed file: marks it applied and imports it in one transaction, so a second
/// apply (a double click, a reload, another 管理者) does nothing.
/// The plan is computed again inside the apply's transaction: when it is not the one previewed
/// (the roster changed since), nothing is applied.
pub async fn apply(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    id: &str,
    reviewed: Reviewed<'_>,
) -> Result<roster::ImportSummary, StaffError> {
    let now = state.clock.now();
    let u = upload(&state.db, id).await?;
    if u.applied_at.is_some() {
        return Err(StaffError::NotPossible(text::ROSTER_ALREADY_APPLIED));
    }
    let rows = roster::parse(&u.content, state.clock.today()).map_err(|_| StaffError::NotPossible(text::ROSTER_HAS_ERRORS))?;
    if mode_of(&u) == Mode::Replace && rows.is_empty() {
        return Err(StaffError::NotPossible(text::ROSTER_REPLACE_EMPTY));
    }
    let mut work = Work::begin(state, "roster_upload.apply").await?.from_client(client_ip).by_staff(&staff.id);
    if !roster::branch_conflicts(&mut work.tx, &rows).await?.is_empty() {
        return Err(StaffError::NotPossible(text::ROSTER_HAS_ERRORS));
    }
    let plan = roster::plan(&mut *work.tx, &rows, mode_of(&u)).await?;
    if !crate::backend::platform::ids::secrets_equal(&plan.digest(), reviewed.digest) {
        return Err(StaffError::NotPossible(text::ROSTER_CHANGED_SINCE));
    }
    if needs_typed_count(&mut *work.tx, plan.retired.len()).await? && reviewed.retire_count != Some(plan.retired.len()) {
        return Err(StaffError::Invalid("retire_count", text::ROSTER_RETIRE_COUNT_WRONG));
    }
    let claimed = sqlx::query("UPDATE roster_uploads SET applied_at = $1 WHERE id = $2 AND applied_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *work.tx)
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(StaffError::NotPossible(text::ROSTER_ALREADY_APPLIED));
    }
    let applying = Applying::start(id, rows.len() as u64);
    let summary = match roster::import_in(&mut work.tx, &rows, now, mode_of(&u), &mut |n| applying.written(n)).await {
        Ok(s) => s,
        Err(ImportError::Rows(errors)) => {
            tracing::info!(errors = errors.len(), "roster upload refused at apply");
            return Err(StaffError::NotPossible(text::ROSTER_HAS_ERRORS));
        }
        Err(ImportError::Db(e)) => return Err(e.into()),
        Err(ImportError::Encoding | ImportError::Io(_)) => return Err(StaffError::NotPossible(text::ROSTER_ENCODING)),
    };
    let issued = qualification::issue(&mut work.tx, &state.config, now, Source::Roster, Some(&staff.id)).await?;
    let detail = format!(
        "新規 {} 件、更新 {} 件、資格喪失 {} 件、資格情報のお知らせ {} 件",
        summary.inserted, summary.updated, summary.retired, issued.notices
    );
    if issued.recipients > 0 {
        work.mail_queued();
    }
    sqlx::query("UPDATE roster_uploads SET summary = $1 WHERE id = $2").bind(&detail).bind(id).execute(&mut *work.tx).await?;
    work.audit(audit::AuditEvent::with_detail(audit::Event::StaffRosterApplied, &detail)).await?;
    work.commit().await?;
    Ok(summary)
}
