//! 被扶養者名簿・資格情報 (管理者): upload a family file, see what it would do, apply it once (the
//! 資格情報のお知らせ are issued with it), and the issue history with each run's paper list. The
//! file goes to `/staff/family/upload` (a multipart form the server crate handles).

use super::{param, query, StaffPage};
use crate::api::staff::{FamilyPreview, QualificationIssueView, StaffView};
use crate::components::{action_error, FormMessage};
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

/// Where the upload form posts.
pub const UPLOAD_PATH: &str = "/staff/family/upload";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FamilyPageData {
    pub staff: StaffView,
    pub issues: Vec<QualificationIssueView>,
}

#[server(prefix = "/staff/api")]
pub async fn load_family_page() -> Result<FamilyPageData, AppError> {
    let (state, staff) = crate::backend::edge::staff("/staff/family", crate::domain::StaffRole::Admin).await?;
    Ok(FamilyPageData { staff: staff.view(), issues: crate::backend::staff::family_upload::issues(&state).await? })
}

/// Why an upload came back (`?error=`), in words.
fn upload_error(code: &str) -> Option<&'static str> {
    match code {
        "encoding" => Some(text::ROSTER_ENCODING),
        "no-file" => Some(text::FAMILY_NO_FILE),
        "too-large" => Some(text::ROSTER_TOO_LARGE),
        _ => None,
    }
}

#[component]
pub fn FamilyUploadPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_family_page());
    let error = upload_error(&query("error"));
    view! {
        <StaffPage title=text::MENU_FAMILY data staff=|d: &FamilyPageData| d.staff.clone() view=move |d: FamilyPageData| view! {
            <p>{text::FAMILY_LEAD}</p>
            {error.map(|m| view! { <div class="form-error" role="alert">{m}</div> })}
            <form method="post" action=UPLOAD_PATH enctype="multipart/form-data">
                <div class="field">
                    <label for="file" class="required">{text::FAMILY_FILE}</label>
                    <input id="file" name="file" type="file" accept=".csv,text/csv" required/>
                </div>
                <div class="actions"><button type="submit">{text::ROSTER_UPLOAD}</button></div>
            </form>
            <h2>{text::QUALIFICATION_ISSUES}</h2>
            <p class="hint">{text::QUALIFICATION_PAPER_HINT}</p>
            {if d.issues.is_empty() {
                view! { <p>{text::QUALIFICATION_NO_ISSUES}</p> }.into_any()
            } else {
                view! {
                    <table class="staff-table" data-testid="qualification-issues">
                        <thead><tr>
                            <th scope="col">{text::QUALIFICATION_ISSUED_AT}</th><th scope="col">{text::QUALIFICATION_SOURCE}</th>
                            <th scope="col">{text::QUALIFICATION_NOTICES}</th><th scope="col">{text::QUALIFICATION_MAIL}</th>
                            <th scope="col">{text::QUALIFICATION_PAPER}</th>
                        </tr></thead>
                        <tbody>
                            {d.issues.into_iter().map(|i| view! {
                                <tr>
                                    <td>{i.issued}</td>
                                    <td>{i.source}"（"{i.by}"）"</td>
                                    <td>{i.notices}{text::COUNT_SUFFIX}</td>
                                    <td>{i.recipients.map_or_else(|| text::QUALIFICATION_NO_MAIL.to_string(), |n| format!("{n}{}", text::COUNT_SUFFIX))}</td>
                                    <td><a href=format!("/staff/family/issues/{}/paper.csv", i.id) data-testid="qualification-paper">{text::QUALIFICATION_PAPER}</a></td>
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
pub struct FamilyPreviewData {
    pub staff: StaffView,
    pub preview: FamilyPreview,
}

#[server(prefix = "/staff/api")]
pub async fn load_family_preview(id: String) -> Result<FamilyPreviewData, AppError> {
    let (state, staff) = crate::backend::edge::staff(&format!("{UPLOAD_PATH}/{id}"), crate::domain::StaffRole::Admin).await?;
    Ok(FamilyPreviewData { staff: staff.view(), preview: crate::backend::staff::family_upload::preview(&state, &id).await? })
}

#[server(prefix = "/staff/api")]
pub async fn apply_family(id: String, digest: String) -> Result<(), AppError> {
    let path = format!("{UPLOAD_PATH}/{id}");
    let (state, staff) = crate::backend::edge::staff(&path, crate::domain::StaffRole::Admin).await?;
    crate::backend::staff::family_upload::apply(&state, &staff, crate::backend::edge::client_ip().as_deref(), &id, &digest).await?;
    leptos_axum::redirect(&path);
    Ok(())
}

#[component]
pub fn FamilyPreviewPage() -> impl IntoView {
    let data = Resource::new_blocking(|| param("id"), load_family_preview);
    view! {
        <StaffPage title=text::FAMILY_PREVIEW data staff=|d: &FamilyPreviewData| d.staff.clone() view=|d: FamilyPreviewData| {
            let p = d.preview;
            view! {
                <p>{p.file_name.clone()}" ／ "{p.uploaded.clone()}</p>
                {super::upload_outcome(p.applied.clone(), text::FAMILY_APPLIED, p.errors.clone(), text::MEDICAL_ERRORS, ("/staff/family", text::MENU_FAMILY))
                    .unwrap_or_else(|| view! { <PreviewFigures preview=p/> }.into_any())}
            }.into_any()
        }/>
    }
}

#[component]
fn PreviewFigures(preview: FamilyPreview) -> impl IntoView {
    let apply = ServerAction::<ApplyFamily>::new();
    let error = action_error(apply);
    view! {
        <ul class="figures">
            <li><span>{text::FAMILY_HOUSEHOLDS}</span><strong data-testid="family-households">{preview.households}</strong>{text::COUNT_SUFFIX}</li>
            <li><span>{text::FAMILY_NEW}</span><strong data-testid="family-new">{preview.new}</strong>{text::COUNT_SUFFIX}</li>
            <li><span>{text::FAMILY_CHANGED}</span><strong>{preview.changed_total}</strong>{text::COUNT_SUFFIX}</li>
            <li><span>{text::FAMILY_UNCHANGED}</span><strong>{preview.unchanged}</strong>{text::COUNT_SUFFIX}</li>
            <li><span>{text::FAMILY_REMOVED}</span><strong data-testid="family-removed">{preview.removed.len()}</strong>{text::COUNT_SUFFIX}</li>
        </ul>
        {(!preview.changed.is_empty()).then(|| view! {
            <h2>{text::FAMILY_CHANGED}</h2>
            <ul class="roster-errors">{preview.changed.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
        })}
        {(!preview.removed.is_empty()).then(|| view! {
            <h2>{text::FAMILY_REMOVED}</h2>
            <ul class="roster-errors">{preview.removed.into_iter().map(|(key, name)| view! { <li>{key}" "{name}</li> }).collect_view()}</ul>
        })}
        <ActionForm action=apply>
            <FormMessage error/>
            <input type="hidden" name="id" value=preview.id/>
            <input type="hidden" name="digest" value=preview.digest/>
            <div class="actions"><button type="submit">{text::FAMILY_APPLY}</button></div>
        </ActionForm>
    }
}
