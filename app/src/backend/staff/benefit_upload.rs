//! 給付金の決定取込 (管理者): the decision file uploaded in the browser (the formats of
//! `import-benefits`), previewed (errors by line; the 決定日, lines, households, what it replaces),
//! loaded from the preview once — members see it at once and the mail starts in the same
//! transaction — and each batch's paper list.

use super::session::StaffMember;
use super::{document_uploads, StaffError};
use crate::api::staff::{BenefitBatchView, BenefitPreview};
use crate::backend::audit;
use crate::backend::documents::{benefit_file, benefits};
use crate::backend::platform::clock::jst;
use crate::backend::platform::csv_file::ImportError;
use crate::backend::platform::{AppState, Work};
use crate::domain::family::date_label;
use crate::text::staff as text;

/// The largest file accepted (100,000 decisions are about 15 MB).
pub const MAX_FILE_BYTES: usize = 32 << 20;
const KIND: &str = "benefits";

pub async fn store(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    file_name: &str,
    bytes: &[u8],
) -> Result<String, StaffError> {
    document_uploads::store(state, staff, client_ip, (KIND, audit::Event::StaffBenefitsUploaded), file_name, bytes).await
}

/// What the file would load (or its errors); for a loaded file, when and what it did.
pub async fn preview(state: &AppState, id: &str) -> Result<BenefitPreview, StaffError> {
    let u = document_uploads::upload(state, id, KIND).await?;
    let mut preview = BenefitPreview {
        id: id.to_string(),
        file_name: u.file_name.clone(),
        uploaded: jst(u.created_at, "%Y/%m/%d %H:%M"),
        applied: u.applied_at.map(|at| format!("{}（{}）", jst(at, "%Y/%m/%d %H:%M"), u.summary.clone().unwrap_or_default())),
        ..BenefitPreview::default()
    };
    if preview.applied.is_some() {
        return Ok(preview);
    }
    let checked = match benefit_file::parse(&u.content, state.clock.today()) {
        Ok(file) => {
            let mut conn = state.db.acquire().await?;
            benefits::check(&mut conn, &file).await.map(|households| (file, households))
        }
        Err(e) => Err(e),
    };
    match checked {
        Ok((file, households)) => {
            preview.decided_on = date_label(&file.decided_on.to_string());
            preview.lines = file.lines.len() as u64;
            preview.households = households;
            preview.replaces = benefits::batch_exists(&state.db, &file.decided_on.to_string()).await?;
        }
        Err(ImportError::Rows(errors)) => preview.errors = errors.iter().map(ToString::to_string).collect(),
        Err(ImportError::Db(e)) => return Err(e.into()),
        Err(e) => preview.errors = vec![e.to_string()],
    }
    Ok(preview)
}

/// Loads the previewed file once (a second apply is refused); returns the 決定日.
pub async fn apply(state: &AppState, staff: &StaffMember, client_ip: Option<&str>, id: &str) -> Result<String, StaffError> {
    let u = document_uploads::upload(state, id, KIND).await?;
    if u.applied_at.is_some() {
        return Err(StaffError::NotPossible(text::ROSTER_ALREADY_APPLIED));
    }
    let file = benefit_file::parse(&u.content, state.clock.today()).map_err(|_| StaffError::NotPossible(text::MEDICAL_HAS_ERRORS))?;
    let mut work = Work::begin(state, "benefit_upload.apply").await?.from_client(client_ip).by_staff(&staff.id);
    document_uploads::claim(&mut work, id).await?;
    let loaded = match benefits::load(&mut work.tx, &state.config, &file, &u.file_name, Some(&staff.id), work.now).await {
        Ok(loaded) => loaded,
        Err(ImportError::Db(e)) => return Err(e.into()),
        Err(_) => return Err(StaffError::NotPossible(text::MEDICAL_HAS_ERRORS)),
    };
    let words = format!(
        "決定日 {}、{} 件、{} 世帯、メール宛先 {} 件",
        date_label(&loaded.batch),
        loaded.lines,
        loaded.households,
        loaded.recipients
    );
    document_uploads::set_summary(&mut work, id, &words).await?;
    if loaded.recipients > 0 {
        work.mail_queued();
    }
    work.commit().await?;
    Ok(loaded.batch)
}

pub async fn batches(state: &AppState) -> Result<Vec<BenefitBatchView>, StaffError> {
    Ok(benefits::batches(&state.db)
        .await?
        .into_iter()
        .map(|(id, file_name, loaded_at, lines, campaign_id)| BenefitBatchView {
            label: date_label(&id),
            file_name,
            loaded: jst(loaded_at, "%Y/%m/%d %H:%M"),
            lines,
            campaign_id,
            id,
        })
        .collect())
}

/// The households of a batch who need the notice on paper, as CSV (audited).
pub async fn paper_csv(state: &AppState, staff: &StaffMember, client_ip: Option<&str>, id: &str) -> Result<Vec<u8>, StaffError> {
    if !benefits::batch_exists(&state.db, id).await? {
        return Err(StaffError::NotFound);
    }
    let rows = benefits::needing_paper(&state.db, id).await?;
    let bytes = document_uploads::paper_csv(&rows)?;
    let detail = format!("決定日={id} 件数={}", rows.len());
    let exported = audit::AuditEvent::by_staff(audit::Event::StaffBenefitsPaperExported, &staff.id, client_ip, &detail);
    audit::record(&state.db, state.clock.now(), exported).await?;
    Ok(bytes)
}
