//! 書類の取込 in the console (医療費データ, 被扶養者名簿): the uploaded file waits in
//! `document_uploads` for its preview and is applied from it once; and the paper lists of what was
//! published, as CSV for the printer.

use super::session::StaffMember;
use super::StaffError;
use crate::backend::audit;
use crate::backend::documents::paper::{Household, PaperReason};
use crate::backend::platform::csv_file;
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{AppState, Work};
use crate::text::staff as text;

/// Stores an uploaded file of `kind` for its preview (audited as `event`); returns its id. An
/// undecodable file (neither UTF-8 nor Shift_JIS) is refused.
pub async fn store(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    (kind, event): (&str, audit::Event),
    file_name: &str,
    bytes: &[u8],
) -> Result<String, StaffError> {
    let content = csv_file::decode(bytes).map_err(|_| StaffError::NotPossible(text::ROSTER_ENCODING))?;
    let id = new_id();
    let name: String = file_name.chars().take(200).collect();
    let mut work = Work::begin(state, "document_uploads.store").await?.from_client(client_ip).by_staff(&staff.id);
    sqlx::query("INSERT INTO document_uploads (id, kind, staff_id, file_name, content, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(kind)
        .bind(&staff.id)
        .bind(&name)
        .bind(content)
        .bind(work.now)
        .execute(&mut *work.tx)
        .await?;
    let detail = format!("{name}（{} バイト）", bytes.len());
    work.audit(audit::AuditEvent::with_detail(event, &detail)).await?;
    work.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
pub struct Upload {
    pub file_name: String,
    pub content: String,
    pub created_at: i64,
    pub applied_at: Option<i64>,
    pub summary: Option<String>,
}

/// An upload of `kind` (another kind's id is not found).
pub async fn upload(state: &AppState, id: &str, kind: &str) -> Result<Upload, StaffError> {
    sqlx::query_as("SELECT file_name, content, created_at, applied_at, summary FROM document_uploads WHERE id = $1 AND kind = $2")
        .bind(id)
        .bind(kind)
        .fetch_optional(&state.db)
        .await?
        .ok_or(StaffError::NotFound)
}

/// Marks the upload applied in the apply's transaction; refuses a second apply (a double click,
/// a reload, another 管理者).
pub async fn claim(work: &mut Work<'_>, id: &str) -> Result<(), StaffError> {
    let claimed = sqlx::query("UPDATE document_uploads SET applied_at = $1 WHERE id = $2 AND applied_at IS NULL")
        .bind(work.now)
        .bind(id)
        .execute(&mut *work.tx)
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(StaffError::NotPossible(text::ROSTER_ALREADY_APPLIED));
    }
    Ok(())
}

/// What the apply did, in words (the preview page of an applied file shows it).
pub async fn set_summary(work: &mut Work<'_>, id: &str, words: &str) -> Result<(), StaffError> {
    sqlx::query("UPDATE document_uploads SET summary = $1 WHERE id = $2").bind(words).bind(id).execute(&mut *work.tx).await?;
    Ok(())
}

/// A paper list as CSV (UTF-8 with BOM, for Excel): 記号, 番号, 氏名, 理由. No health data: the
/// printer's system has the documents.
pub fn paper_csv(rows: &[Household]) -> Result<Vec<u8>, StaffError> {
    let lines = rows.iter().map(|(kigo, bango, name, reason)| {
        let why = match reason {
            PaperReason::NotRegistered => text::PAPER_NOT_REGISTERED,
            PaperReason::NoConfirmedAddress => text::PAPER_NO_ADDRESS,
            PaperReason::Disabled => text::PAPER_DISABLED,
            PaperReason::Lost => text::PAPER_LOST,
        };
        [kigo.as_str(), bango.as_str(), name.as_str(), why]
    });
    csv_file::spreadsheet(&["記号", "番号", "氏名", "理由"], lines).map_err(|e| StaffError::Db(sqlx::Error::Protocol(format!("csv: {e}"))))
}
