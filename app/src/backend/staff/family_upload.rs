//! 被扶養者名簿アップロード (管理者): the family file uploaded in the browser (the formats of
//! `import-family`), previewed (errors by line; the families replaced, the 被扶養者 new, changed
//! and leaving), applied from the preview once with the 資格情報のお知らせ it issues; and the issue
//! history with its paper lists.

use super::session::StaffMember;
use super::{document_uploads, StaffError};
use crate::api::staff::{FamilyPreview, QualificationIssueView};
use crate::backend::audit;
use crate::backend::documents::qualification::{self, Source};
use crate::backend::platform::clock::jst;
use crate::backend::platform::csv_file::ImportError;
use crate::backend::platform::{AppState, Work};
use crate::backend::roster::family;
use crate::text::staff as text;

/// The largest file accepted (100,000 被扶養者 are about 9 MB).
pub const MAX_FILE_BYTES: usize = 32 << 20;
const KIND: &str = "family";
const CHANGED_SHOWN: usize = 500;

pub async fn store(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    file_name: &str,
    bytes: &[u8],
) -> Result<String, StaffError> {
    document_uploads::store(state, staff, client_ip, (KIND, audit::Event::StaffFamilyUploaded), file_name, bytes).await
}

fn errors_of(e: ImportError) -> Result<Vec<String>, StaffError> {
    match e {
        ImportError::Rows(errors) => Ok(errors.iter().map(ToString::to_string).collect()),
        ImportError::Db(e) => Err(e.into()),
        e => Ok(vec![e.to_string()]),
    }
}

/// What the file would do (or its errors); for an applied file, when and what it did.
pub async fn preview(state: &AppState, id: &str) -> Result<FamilyPreview, StaffError> {
    let u = document_uploads::upload(state, id, KIND).await?;
    let mut preview = FamilyPreview {
        id: id.to_string(),
        file_name: u.file_name.clone(),
        uploaded: jst(u.created_at, "%Y/%m/%d %H:%M"),
        applied: u.applied_at.map(|at| format!("{}（{}）", jst(at, "%Y/%m/%d %H:%M"), u.summary.clone().unwrap_or_default())),
        ..FamilyPreview::default()
    };
    if preview.applied.is_some() {
        return Ok(preview);
    }
    let rows = match family::parse(&u.content, state.clock.today()) {
        Ok(rows) => rows,
        Err(e) => {
            preview.errors = errors_of(e)?;
            return Ok(preview);
        }
    };
    let mut conn = state.db.acquire().await?;
    let plan = match family::plan(&mut conn, &rows).await {
        Ok(plan) => plan,
        Err(e) => {
            preview.errors = errors_of(e)?;
            return Ok(preview);
        }
    };
    preview.digest = plan.digest();
    preview.households = plan.households;
    preview.new = plan.new;
    preview.changed_total = plan.changed.len();
    preview.changed = plan.changed.into_iter().take(CHANGED_SHOWN).map(|(line, key)| format!("{line}行目 {key}")).collect();
    preview.unchanged = plan.unchanged;
    preview.removed = plan.removed;
    Ok(preview)
}

/// Applies the previewed file in one transaction: marks it applied, replaces the families it
/// names and issues the 資格情報のお知らせ of whoever is new or changed (their mail starts in the
/// same transaction). Refused when the plan is no longer the one previewed.
pub async fn apply(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    id: &str,
    digest: &str,
) -> Result<family::FamilySummary, StaffError> {
    let u = document_uploads::upload(state, id, KIND).await?;
    if u.applied_at.is_some() {
        return Err(StaffError::NotPossible(text::ROSTER_ALREADY_APPLIED));
    }
    let rows = family::parse(&u.content, state.clock.today()).map_err(|_| StaffError::NotPossible(text::FAMILY_HAS_ERRORS))?;
    let mut work = Work::begin(state, "family_upload.apply").await?.from_client(client_ip).by_staff(&staff.id);
    // The rosters' turn before the check: what was previewed is compared with what this apply
    // will change, not with what another apply is about to change.
    crate::backend::platform::db::take_turn(&mut work.tx, crate::backend::platform::db::ROSTERS_TURN).await?;
    let plan = family::plan(&mut work.tx, &rows).await.map_err(|_| StaffError::NotPossible(text::FAMILY_HAS_ERRORS))?;
    if !crate::backend::platform::ids::secrets_equal(&plan.digest(), digest) {
        return Err(StaffError::NotPossible(text::FAMILY_CHANGED_SINCE));
    }
    document_uploads::claim(&mut work, id).await?;
    let summary = match family::import_in(&mut work.tx, &rows, work.now).await {
        Ok(s) => s,
        Err(ImportError::Db(e)) => return Err(e.into()),
        Err(_) => return Err(StaffError::NotPossible(text::FAMILY_HAS_ERRORS)),
    };
    let issued = qualification::issue(&mut work.tx, &state.config, work.now, Source::Family, Some(&staff.id)).await?;
    let words = format!(
        "{} 世帯、被扶養者 {} 人、外れた方 {} 人、資格情報のお知らせ {} 件",
        summary.households, summary.dependents, summary.removed, issued.notices
    );
    document_uploads::set_summary(&mut work, id, &words).await?;
    work.audit(audit::AuditEvent::with_detail(audit::Event::StaffFamilyApplied, &words)).await?;
    if issued.recipients > 0 {
        work.mail_queued();
    }
    work.commit().await?;
    Ok(summary)
}

/// The latest issuing runs.
pub async fn issues(state: &AppState) -> Result<Vec<QualificationIssueView>, StaffError> {
    Ok(qualification::issues(&state.db, 100)
        .await?
        .into_iter()
        .map(|i| QualificationIssueView {
            issued: jst(i.issued_at, "%Y/%m/%d %H:%M"),
            source: if i.source == "family" { text::QUALIFICATION_SOURCE_FAMILY } else { text::QUALIFICATION_SOURCE_ROSTER }.to_string(),
            by: i.issued_by.unwrap_or_else(|| text::QUALIFICATION_BY_COMMAND.to_string()),
            notices: i.notices,
            recipients: i.recipients,
            id: i.id,
        })
        .collect())
}

/// The households of a run who need the notice on paper, as CSV (audited).
pub async fn paper_csv(state: &AppState, staff: &StaffMember, client_ip: Option<&str>, id: &str) -> Result<Vec<u8>, StaffError> {
    let known: Option<(String,)> =
        sqlx::query_as("SELECT id FROM qualification_issues WHERE id = $1").bind(id).fetch_optional(&state.db).await?;
    known.ok_or(StaffError::NotFound)?;
    let rows = qualification::needing_paper(&state.db, id).await?;
    let bytes = document_uploads::paper_csv(&rows)?;
    let detail = format!("発行={id} 件数={}", rows.len());
    let exported = audit::AuditEvent::by_staff(audit::Event::StaffQualificationPaperExported, &staff.id, client_ip, &detail);
    audit::record(&state.db, state.clock.now(), exported).await?;
    Ok(bytes)
}
