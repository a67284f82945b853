//! 給付金の決定取込 (管理者): upload a decision file, see what it would load, load it once (members
//! see it and are mailed at once), and each batch's paper list. The file goes to
//! `/staff/benefits/upload` (a multipart form the server crate handles).

use super::{param, query, StaffPage};
use crate::api::staff::{BenefitBatchView, BenefitPreview, StaffView};
use crate::components::{action_error, FormMessage};
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

/// Where the upload form posts.
pub const UPLOAD_PATH: &str = "/staff/benefits/upload";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BenefitsPageData {
    pub staff: StaffView,
    pub batches: Vec<BenefitBatchView>,
}

#[server(prefix = "/staff/api")]
pub async fn load_benefits_page() -> Result<BenefitsPageData, AppError> {
    let (state, staff) = crate::backend::edge::staff("/staff/benefits", crate::domain::StaffRole::Admin).await?;
    Ok(BenefitsPageData { staff: staff.view(), batches: crate::backend::staff::benefit_upload::batches(&state).await? })
}

fn upload_error(code: &str) -> Option<&'static str> {
    match code {
        "encoding" => Some(text::ROSTER_ENCODING),
        "no-file" => Some(text::BENEFITS_NO_FILE),
        "too-large" => Some(text::ROSTER_TOO_LARGE),
        _ => None,
    }
}

#[component]
pub fn BenefitsUploadPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_benefits_page());
    let error = upload_error(&query("error"));
    view! {
        <StaffPage title=text::MENU_BENEFITS data staff=|d: &BenefitsPageData| d.staff.clone() view=move |d: BenefitsPageData| view! {
            <p>{text::BENEFITS_LEAD}</p>
            {error.map(|m| view! { <div class="form-error" role="alert">{m}</div> })}
            <form method="post" action=UPLOAD_PATH enctype="multipart/form-data">
                <div class="field">
                    <label for="file" class="required">{text::BENEFITS_FILE}</label>
                    <input id="file" name="file" type="file" accept=".csv,text/csv" required/>
                </div>
                <div class="actions"><button type="submit">{text::ROSTER_UPLOAD}</button></div>
            </form>
            <h2>{text::BENEFITS_BATCHES}</h2>
            {if d.batches.is_empty() {
                view! { <p>{text::BENEFITS_NO_BATCHES}</p> }.into_any()
            } else {
                view! {
                    <table class="staff-table" data-testid="benefit-batches">
                        <thead><tr>
                            <th scope="col">{text::BENEFITS_DECIDED}</th><th scope="col">{text::BENEFITS_LINES}</th>
                            <th scope="col">{text::MEDICAL_FILE}</th><th scope="col">{text::BENEFITS_MAIL}</th>
                            <th scope="col">{text::QUALIFICATION_PAPER}</th>
                        </tr></thead>
                        <tbody>
                            {d.batches.into_iter().map(|b| view! {
                                <tr>
                                    <td>{b.label}</td>
                                    <td>{b.lines}{text::COUNT_SUFFIX}</td>
                                    <td>{b.file_name}" ／ "{b.loaded}</td>
                                    <td>{b.campaign_id.map_or_else(
                                        || view! { <span>{text::QUALIFICATION_NO_MAIL}</span> }.into_any(),
                                        |c| view! { <a href=format!("/staff/campaigns/{c}")>{text::BENEFITS_MAIL}</a> }.into_any())}</td>
                                    <td><a href=format!("/staff/benefits/{}/paper.csv", b.id)>{text::QUALIFICATION_PAPER}</a></td>
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
pub struct BenefitPreviewData {
    pub staff: StaffView,
    pub preview: BenefitPreview,
}

#[server(prefix = "/staff/api")]
pub async fn load_benefit_preview(id: String) -> Result<BenefitPreviewData, AppError> {
    let (state, staff) = crate::backend::edge::staff(&format!("{UPLOAD_PATH}/{id}"), crate::domain::StaffRole::Admin).await?;
    Ok(BenefitPreviewData { staff: staff.view(), preview: crate::backend::staff::benefit_upload::preview(&state, &id).await? })
}

#[server(prefix = "/staff/api")]
pub async fn apply_benefits(id: String) -> Result<(), AppError> {
    let path = format!("{UPLOAD_PATH}/{id}");
    let (state, staff) = crate::backend::edge::staff(&path, crate::domain::StaffRole::Admin).await?;
    crate::backend::staff::benefit_upload::apply(&state, &staff, crate::backend::edge::client_ip().as_deref(), &id).await?;
    leptos_axum::redirect(&path);
    Ok(())
}

#[component]
pub fn BenefitsPreviewPage() -> impl IntoView {
    let data = Resource::new_blocking(|| param("id"), load_benefit_preview);
    view! {
        <StaffPage title=text::BENEFITS_PREVIEW data staff=|d: &BenefitPreviewData| d.staff.clone() view=|d: BenefitPreviewData| {
            let p = d.preview;
            view! {
                <p>{p.file_name.clone()}" ／ "{p.uploaded.clone()}</p>
                {super::upload_outcome(p.applied.clone(), text::BENEFITS_APPLIED, p.errors.clone(), text::MEDICAL_ERRORS, ("/staff/benefits", text::MENU_BENEFITS))
                    .unwrap_or_else(|| view! { <PreviewFigures preview=p/> }.into_any())}
            }.into_any()
        }/>
    }
}

#[component]
fn PreviewFigures(preview: BenefitPreview) -> impl IntoView {
    let apply = ServerAction::<ApplyBenefits>::new();
    let error = action_error(apply);
    view! {
        <ul class="figures">
            <li><span>{text::BENEFITS_DECIDED}</span><strong data-testid="benefit-decided">{preview.decided_on}</strong></li>
            <li><span>{text::BENEFITS_LINES}</span><strong data-testid="benefit-lines">{preview.lines}</strong>{text::COUNT_SUFFIX}</li>
            <li><span>{text::MEDICAL_HOUSEHOLDS}</span><strong>{preview.households}</strong>{text::COUNT_SUFFIX}</li>
        </ul>
        {preview.replaces.then(|| view! { <p class="notice" role="status">{text::BENEFITS_REPLACES}</p> })}
        <ActionForm action=apply>
            <FormMessage error/>
            <input type="hidden" name="id" value=preview.id/>
            <div class="actions"><button type="submit">{text::BENEFITS_APPLY}</button></div>
        </ActionForm>
    }
}
