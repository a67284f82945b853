//! 医療費データ取込 (管理者): upload a claims file, see what it would load, load it once, then
//! 公開予約 or 取り下げ a batch, and download 紙で送付が必要な加入者. The file goes to
//! `/staff/medical/upload` (a multipart form the server crate handles).

use super::{param, query, FieldMessage, StaffPage};
use crate::api::staff::{MedicalBatchView, MedicalPreview, StaffView};
use crate::components::{action_error, FormMessage};
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

/// Where the upload form posts.
pub const UPLOAD_PATH: &str = "/staff/medical/upload";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MedicalPageData {
    pub staff: StaffView,
    pub batches: Vec<MedicalBatchView>,
}

#[server(prefix = "/staff/api")]
pub async fn load_medical_page() -> Result<MedicalPageData, AppError> {
    let (state, staff) = crate::backend::edge::staff("/staff/medical", crate::domain::StaffRole::Admin).await?;
    Ok(MedicalPageData { staff: staff.view(), batches: crate::backend::staff::medical_upload::batches(&state).await? })
}

/// Why an upload came back (`?error=`), in words.
fn upload_error(code: &str) -> Option<&'static str> {
    match code {
        "encoding" => Some(text::ROSTER_ENCODING),
        "no-file" => Some(text::MEDICAL_NO_FILE),
        "too-large" => Some(text::MEDICAL_TOO_LARGE),
        _ => None,
    }
}

#[component]
pub fn MedicalUploadPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_medical_page());
    let error = upload_error(&query("error"));
    view! {
        <StaffPage title=text::MENU_MEDICAL data staff=|d: &MedicalPageData| d.staff.clone() view=move |d: MedicalPageData| view! {
            <p>{text::MEDICAL_LEAD}</p>
            {error.map(|m| view! { <div class="form-error" role="alert">{m}</div> })}
            <form method="post" action=UPLOAD_PATH enctype="multipart/form-data">
                <div class="field">
                    <label for="file" class="required">{text::MEDICAL_FILE}</label>
                    <input id="file" name="file" type="file" accept=".csv,text/csv" required/>
                </div>
                <div class="actions"><button type="submit">{text::ROSTER_UPLOAD}</button></div>
            </form>
            <h2>{text::MEDICAL_BATCHES}</h2>
            {if d.batches.is_empty() {
                view! { <p>{text::MEDICAL_NO_BATCHES}</p> }.into_any()
            } else {
                view! {
                    <table class="staff-table" data-testid="medical-batches">
                        <thead><tr>
                            <th scope="col">{text::MEDICAL_BATCH}</th><th scope="col">{text::MEDICAL_MONTHS}</th>
                            <th scope="col">{text::MEDICAL_LINES}</th><th scope="col">{text::MEDICAL_STATE}</th>
                        </tr></thead>
                        <tbody>
                            {d.batches.into_iter().map(|b| view! {
                                <tr>
                                    <td><a href=format!("/staff/medical/{}", b.id)>{b.label}</a></td>
                                    <td>{b.months}</td>
                                    <td>{b.lines}</td>
                                    <td>{b.state}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        }.into_any()/>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MedicalPreviewData {
    pub staff: StaffView,
    pub preview: MedicalPreview,
}

#[server(prefix = "/staff/api")]
pub async fn load_medical_preview(id: String) -> Result<MedicalPreviewData, AppError> {
    let (state, staff) = crate::backend::edge::staff(&format!("{UPLOAD_PATH}/{id}"), crate::domain::StaffRole::Admin).await?;
    Ok(MedicalPreviewData { staff: staff.view(), preview: crate::backend::staff::medical_upload::preview(&state, &id).await? })
}

#[server(prefix = "/staff/api")]
pub async fn apply_medical(id: String) -> Result<(), AppError> {
    let (state, staff) = crate::backend::edge::staff(&format!("{UPLOAD_PATH}/{id}"), crate::domain::StaffRole::Admin).await?;
    let batch = crate::backend::staff::medical_upload::apply(&state, &staff, crate::backend::edge::client_ip().as_deref(), &id).await?;
    leptos_axum::redirect(&format!("/staff/medical/{batch}"));
    Ok(())
}

#[component]
pub fn MedicalPreviewPage() -> impl IntoView {
    let data = Resource::new_blocking(|| param("id"), load_medical_preview);
    view! {
        <StaffPage title=text::MEDICAL_PREVIEW data staff=|d: &MedicalPreviewData| d.staff.clone() view=|d: MedicalPreviewData| {
            let p = d.preview;
            view! {
                <p>{p.file_name.clone()}" ／ "{p.uploaded.clone()}</p>
                {super::upload_outcome(p.applied.clone(), text::MEDICAL_APPLIED, p.errors.clone(), text::MEDICAL_ERRORS, ("/staff/medical", text::MENU_MEDICAL))
                    .unwrap_or_else(|| view! { <PreviewFigures preview=p/> }.into_any())}
            }.into_any()
        }/>
    }
}

#[component]
fn PreviewFigures(preview: MedicalPreview) -> impl IntoView {
    let apply = ServerAction::<ApplyMedical>::new();
    let error = action_error(apply);
    view! {
        <ul class="figures">
            <li><span>{text::MEDICAL_BATCH}</span><strong data-testid="medical-batch">{preview.batch_label}</strong></li>
            <li><span>{text::MEDICAL_LINES}</span><strong data-testid="medical-lines">{preview.lines}</strong>{text::COUNT_SUFFIX}</li>
            <li><span>{text::MEDICAL_HOUSEHOLDS}</span><strong>{preview.households}</strong>{text::COUNT_SUFFIX}</li>
            <li><span>{text::MEDICAL_MONTHS}</span><strong>{preview.months}</strong></li>
            <li><span>{text::MEDICAL_UNKNOWN}</span><strong data-testid="medical-unknown">{preview.unknown}</strong>{text::COUNT_SUFFIX}</li>
        </ul>
        {(preview.replaced > 0).then(|| view! {
            <p class="notice" role="status">{text::MEDICAL_REPLACES}{preview.replaced}{text::COUNT_SUFFIX}</p>
        })}
        {preview.replaces_published.then(|| view! { <p class="notice" role="status">{text::MEDICAL_REPLACES_PUBLIC}</p> })}
        {(!preview.unknown_shown.is_empty()).then(|| view! {
            <h2>{text::MEDICAL_UNKNOWN}</h2>
            <p class="hint">{text::MEDICAL_UNKNOWN_HINT}</p>
            <ul class="roster-errors" data-testid="medical-unknown-lines">{preview.unknown_shown.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        })}
        <ActionForm action=apply>
            <FormMessage error/>
            <input type="hidden" name="id" value=preview.id/>
            <div class="actions"><button type="submit">{text::MEDICAL_APPLY}</button></div>
        </ActionForm>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MedicalBatchData {
    pub staff: StaffView,
    pub batch: MedicalBatchView,
}

#[server(prefix = "/staff/api")]
pub async fn load_medical_batch(id: String) -> Result<MedicalBatchData, AppError> {
    let (state, staff) = crate::backend::edge::staff(&format!("/staff/medical/{id}"), crate::domain::StaffRole::Admin).await?;
    Ok(MedicalBatchData { staff: staff.view(), batch: crate::backend::staff::medical_upload::batch(&state, &id).await? })
}

#[server(prefix = "/staff/api")]
pub async fn schedule_medical(id: String, publish_at: String) -> Result<(), AppError> {
    let path = format!("/staff/medical/{id}");
    let (state, staff) = crate::backend::edge::staff(&path, crate::domain::StaffRole::Admin).await?;
    let at = crate::domain::parse_jst_datetime(&publish_at, text::MEDICAL_PUBLISH_AT).map_err(|e| AppError::field("publish_at", e))?;
    crate::backend::staff::medical_upload::schedule(&state, &staff, crate::backend::edge::client_ip().as_deref(), &id, at).await?;
    leptos_axum::redirect(&path);
    Ok(())
}

#[server(prefix = "/staff/api")]
pub async fn withdraw_medical(id: String) -> Result<(), AppError> {
    let path = format!("/staff/medical/{id}");
    let (state, staff) = crate::backend::edge::staff(&path, crate::domain::StaffRole::Admin).await?;
    crate::backend::staff::medical_upload::withdraw(&state, &staff, crate::backend::edge::client_ip().as_deref(), &id).await?;
    leptos_axum::redirect(&path);
    Ok(())
}

#[component]
pub fn MedicalBatchPage() -> impl IntoView {
    let data = Resource::new_blocking(|| param("id"), load_medical_batch);
    view! {
        <StaffPage title=text::MENU_MEDICAL data staff=|d: &MedicalBatchData| d.staff.clone() view=|d: MedicalBatchData| view! {
            <BatchDetail batch=d.batch/>
        }.into_any()/>
    }
}

#[component]
fn BatchDetail(batch: MedicalBatchView) -> impl IntoView {
    let schedule = ServerAction::<ScheduleMedical>::new();
    let schedule_error = action_error(schedule);
    let withdraw = ServerAction::<WithdrawMedical>::new();
    let withdraw_error = action_error(withdraw);
    let (id, schedule_id, withdraw_id) = (batch.id.clone(), batch.id.clone(), batch.id.clone());
    view! {
        <h2>{format!("{} {}", text::MEDICAL_BATCH, batch.label)}</h2>
        <table class="staff-table"><tbody>
            <tr><th scope="row">{text::MEDICAL_STATE}</th><td data-testid="medical-state">{batch.state}</td></tr>
            <tr><th scope="row">{text::MEDICAL_MONTHS}</th><td>{batch.months}</td></tr>
            <tr><th scope="row">{text::MEDICAL_LINES}</th><td>{batch.lines}{text::COUNT_SUFFIX}</td></tr>
            <tr><th scope="row">{text::MEDICAL_UNKNOWN}</th><td>{batch.unknown}{text::COUNT_SUFFIX}</td></tr>
            <tr><th scope="row">{text::MEDICAL_FILE}</th><td>{batch.file_name}" ／ "{batch.loaded}</td></tr>
            {batch.campaign_id.map(|c| view! {
                <tr><th scope="row">{text::MEDICAL_MAIL}</th><td><a href=format!("/staff/campaigns/{c}")>{text::MEDICAL_MAIL}</a></td></tr>
            })}
        </tbody></table>
        {batch.publishable.then(|| view! {
            <ActionForm action=schedule>
                <FormMessage error=schedule_error/>
                <input type="hidden" name="id" value=schedule_id/>
                <div class="field">
                    <label for="publish_at">{text::MEDICAL_PUBLISH_AT}</label>
                    <input id="publish_at" name="publish_at" type="datetime-local" aria-describedby="publish_at-hint publish_at-error"/>
                    <span class="hint" id="publish_at-hint">{text::MEDICAL_PUBLISH_HINT}</span>
                    <FieldMessage name="publish_at" error=schedule_error/>
                </div>
                <div class="actions"><button type="submit">{text::MEDICAL_SCHEDULE}</button></div>
            </ActionForm>
        })}
        {batch.withdrawable.then(|| view! {
            <ActionForm action=withdraw>
                <FormMessage error=withdraw_error/>
                <input type="hidden" name="id" value=withdraw_id/>
                <p class="hint">{text::MEDICAL_WITHDRAW_HINT}</p>
                <div class="actions"><button type="submit" class="secondary">{text::MEDICAL_WITHDRAW}</button></div>
            </ActionForm>
        })}
        <h2>{text::MEDICAL_PAPER}</h2>
        <p class="hint">{text::MEDICAL_PAPER_HINT}</p>
        <p><a class="button-link" href=format!("/staff/medical/{id}/paper.csv") data-testid="medical-paper">{text::MEDICAL_PAPER}</a></p>
        <p><a href="/staff/medical">{text::MENU_MEDICAL}</a></p>
    }
}
