//! 医療費データ取込 (管理者): the claims file uploaded in the browser (the formats of
//! `import-medical`), previewed (errors by line, the 処理年月, lines, households, months, the lines
//! not on the roster, what it replaces), loaded from the preview once, then 公開予約 or 取り下げ;
//! and 紙で送付が必要な加入者 for the printer.

use super::session::StaffMember;
use super::{document_uploads, StaffError};
use crate::api::staff::{MedicalBatchView, MedicalPreview};
use crate::backend::audit;
use crate::backend::documents::medical::{self, Batch};
use crate::backend::documents::medical_file::{self, LineReader, LoadSummary, Target};
use crate::backend::platform::clock::jst;
use crate::backend::platform::csv_file::{self, ImportError};
use crate::backend::platform::{AppState, Work};
use crate::domain::medical::Month;
use crate::text::staff as text;

/// The largest file accepted in the browser (a month of 10,000 households is about 8 MB; the
/// CLI takes files of any size).
pub const MAX_FILE_BYTES: usize = 64 << 20;
const KIND: &str = "medical";

fn this_month(state: &AppState) -> Month {
    Month::of_unix_jst(state.clock.now())
}

/// Stores an uploaded file for its preview; returns its id. An undecodable file is refused.
pub async fn store(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    file_name: &str,
    bytes: &[u8],
) -> Result<String, StaffError> {
    document_uploads::store(state, staff, client_ip, (KIND, audit::Event::StaffMedicalUploaded), file_name, bytes).await
}

fn month_label(iso: &str) -> String {
    Month::from_iso(iso).map(Month::label).unwrap_or_default()
}

fn summary_words(s: &LoadSummary) -> String {
    format!("処理年月 {}、{} 行、{} 世帯、名簿にない行 {} 件", month_label(&s.batch), s.lines, s.households, s.unknown)
}

/// What the file would load (or its errors); for a loaded file, when and what it did.
pub async fn preview(state: &AppState, id: &str) -> Result<MedicalPreview, StaffError> {
    let u = document_uploads::upload(state, id, KIND).await?;
    let mut preview = MedicalPreview {
        id: id.to_string(),
        file_name: u.file_name.clone(),
        uploaded: jst(u.created_at, "%Y/%m/%d %H:%M"),
        applied: u.applied_at.map(|at| format!("{}（{}）", jst(at, "%Y/%m/%d %H:%M"), u.summary.clone().unwrap_or_default())),
        ..MedicalPreview::default()
    };
    if preview.applied.is_some() {
        return Ok(preview);
    }
    let result = match LineReader::new(u.content.as_bytes(), this_month(state)) {
        Ok(reader) => medical_file::load(&state.db, reader, Target { tx: None, file_name: "", staff_id: None, now: 0 }).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(s) => {
            preview.batch = s.batch.clone();
            preview.batch_label = month_label(&s.batch);
            preview.lines = s.lines;
            preview.households = s.households;
            preview.months = format!("{}〜{}", month_label(&s.first_month), month_label(&s.last_month));
            preview.unknown = s.unknown;
            preview.unknown_shown = s.unknown_shown.iter().map(|(line, number)| format!("{line}行目 {number}")).collect();
            preview.replaced = s.replaced;
            preview.replaces_published =
                medical::batch(&state.db, &s.batch).await?.is_some_and(|b| b.publish_at.is_some() && b.withdrawn_at.is_none());
        }
        Err(ImportError::Rows(errors)) => preview.errors = errors.iter().map(row_error).collect(),
        Err(ImportError::Db(e)) => return Err(e.into()),
        Err(e) => preview.errors = vec![e.to_string()],
    }
    Ok(preview)
}

fn row_error(e: &csv_file::RowError) -> String {
    if e.line == 0 {
        e.reason.clone()
    } else {
        e.to_string()
    }
}

/// Loads the previewed file: marks it applied and loads it in one transaction, so a second apply
/// (a double click, a reload, another 管理者) does nothing. Returns the 処理年月.
pub async fn apply(state: &AppState, staff: &StaffMember, client_ip: Option<&str>, id: &str) -> Result<String, StaffError> {
    let u = document_uploads::upload(state, id, KIND).await?;
    if u.applied_at.is_some() {
        return Err(StaffError::NotPossible(text::ROSTER_ALREADY_APPLIED));
    }
    let reader = LineReader::new(u.content.as_bytes(), this_month(state)).map_err(|_| StaffError::NotPossible(text::MEDICAL_HAS_ERRORS))?;
    let mut work = Work::begin(state, "medical_upload.apply").await?.from_client(client_ip).by_staff(&staff.id);
    document_uploads::claim(&mut work, id).await?;
    let now = work.now;
    let target = Target { tx: Some(&mut work.tx), file_name: &u.file_name, staff_id: Some(&staff.id), now };
    let summary = match medical_file::load(&state.db, reader, target).await {
        Ok(s) => s,
        Err(ImportError::Db(e)) => return Err(e.into()),
        Err(_) => return Err(StaffError::NotPossible(text::MEDICAL_HAS_ERRORS)),
    };
    document_uploads::set_summary(&mut work, id, &summary_words(&summary)).await?;
    work.commit().await?;
    Ok(summary.batch)
}

fn view(b: Batch, now: i64) -> MedicalBatchView {
    let state = match (b.publish_at, b.withdrawn_at) {
        (_, Some(at)) => format!("{}（{}）", text::MEDICAL_WITHDRAWN, jst(at, "%Y/%m/%d %H:%M")),
        (Some(at), None) if at <= now => format!("{}（{}〜）", text::MEDICAL_PUBLIC, jst(at, "%Y/%m/%d %H:%M")),
        (Some(at), None) => format!("{}（{}）", text::MEDICAL_SCHEDULED, jst(at, "%Y/%m/%d %H:%M")),
        (None, None) => text::MEDICAL_UNPUBLISHED.to_string(),
    };
    MedicalBatchView {
        label: month_label(&b.id),
        months: format!("{}〜{}", month_label(&b.first_month), month_label(&b.last_month)),
        loaded: jst(b.loaded_at, "%Y/%m/%d %H:%M"),
        file_name: b.file_name,
        lines: b.line_count,
        unknown: b.unknown_count,
        state,
        publishable: b.publish_at.is_none() || b.withdrawn_at.is_some(),
        withdrawable: b.publish_at.is_some() && b.withdrawn_at.is_none(),
        campaign_id: b.campaign_id,
        id: b.id,
    }
}

pub async fn batches(state: &AppState) -> Result<Vec<MedicalBatchView>, StaffError> {
    let now = state.clock.now();
    Ok(medical::batches(&state.db).await?.into_iter().map(|b| view(b, now)).collect())
}

pub async fn batch(state: &AppState, id: &str) -> Result<MedicalBatchView, StaffError> {
    let b = medical::batch(&state.db, id).await?.ok_or(StaffError::NotFound)?;
    Ok(view(b, state.clock.now()))
}

/// The furthest ahead a 公開予約 may be.
const SCHEDULE_AHEAD_MAX: i64 = 366 * 86_400;

/// 公開予約 at `at` (`None` or a time past: now). The worker starts the mail at that time.
pub async fn schedule(state: &AppState, staff: &StaffMember, client_ip: Option<&str>, id: &str, at: Option<i64>) -> Result<(), StaffError> {
    let mut work = Work::begin(state, "medical_upload.schedule").await?.from_client(client_ip).by_staff(&staff.id);
    let at = at.unwrap_or(work.now).max(work.now);
    if at > work.now + SCHEDULE_AHEAD_MAX {
        return Err(StaffError::Invalid("publish_at", text::MEDICAL_TOO_FAR));
    }
    if !medical::schedule(&mut work.tx, id, at, &staff.id).await? {
        medical::batch(&mut *work.tx, id).await?.ok_or(StaffError::NotFound)?;
        return Err(StaffError::NotPossible(text::MEDICAL_ALREADY_SCHEDULED));
    }
    let detail = format!("処理年月={id} 公開={}", jst(at, "%Y/%m/%d %H:%M"));
    work.audit(audit::AuditEvent::with_detail(audit::Event::StaffMedicalScheduled, &detail)).await?;
    // The worker starts the batch's mail when it goes public: wake it now (it sleeps until then).
    work.mail_queued();
    work.commit().await?;
    Ok(())
}

/// 取り下げ: members no longer see the batch; its mails not yet handed over are not sent.
pub async fn withdraw(state: &AppState, staff: &StaffMember, client_ip: Option<&str>, id: &str) -> Result<(), StaffError> {
    let mut work = Work::begin(state, "medical_upload.withdraw").await?.from_client(client_ip).by_staff(&staff.id);
    if !medical::withdraw(&mut work.tx, id, work.now).await? {
        medical::batch(&mut *work.tx, id).await?.ok_or(StaffError::NotFound)?;
        return Err(StaffError::NotPossible(text::MEDICAL_NOT_PUBLISHED));
    }
    work.audit(audit::AuditEvent::with_detail(audit::Event::StaffMedicalWithdrawn, &format!("処理年月={id}"))).await?;
    work.commit().await?;
    Ok(())
}

/// 紙で送付が必要な加入者 as CSV (UTF-8 with BOM, for Excel): 記号, 番号, 氏名, 理由. The export
/// is recorded in the audit log. No amounts: the printer's system has the lines.
pub async fn paper_csv(state: &AppState, staff: &StaffMember, client_ip: Option<&str>, id: &str) -> Result<Vec<u8>, StaffError> {
    medical::batch(&state.db, id).await?.ok_or(StaffError::NotFound)?;
    let rows = medical::needing_paper(&state.db, id).await?;
    let bytes = document_uploads::paper_csv(&rows)?;
    let detail = format!("処理年月={id} 件数={}", rows.len());
    let exported = audit::AuditEvent::by_staff(audit::Event::StaffMedicalPaperExported, &staff.id, client_ip, &detail);
    audit::record(&state.db, state.clock.now(), exported).await?;
    Ok(bytes)
}
