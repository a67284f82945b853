//! 名簿アップロード (管理者): choose the CSV and the mode, see what it would do, apply it once.
//! The file goes to `/staff/roster/upload` (a multipart form the server crate handles: server
//! functions take small bodies only).

use super::{param, query, StaffPage};
use crate::api::staff::{RosterPreview, StaffView};
use crate::components::{action_error, field_error, island_hydrated, Field, FormMessage};

use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

/// Where the upload form posts.
pub const UPLOAD_PATH: &str = "/staff/roster/upload";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RosterPageData {
    pub staff: StaffView,
}

#[server(prefix = "/staff/api")]
pub async fn load_roster_page() -> Result<RosterPageData, AppError> {
    let (_, staff) = crate::backend::edge::staff("/staff/roster", crate::domain::StaffRole::Admin).await?;
    Ok(RosterPageData { staff: staff.view() })
}

/// Why an upload came back (`?error=`), in words.
fn upload_error(code: &str) -> Option<&'static str> {
    match code {
        "encoding" => Some(text::ROSTER_ENCODING),
        "no-file" => Some(text::ROSTER_NO_FILE),
        "too-large" => Some(text::ROSTER_TOO_LARGE),
        _ => None,
    }
}

#[component]
pub fn RosterPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_roster_page());
    let error = upload_error(&query("error"));
    view! {
        <StaffPage title=text::MENU_ROSTER data staff=|d: &RosterPageData| d.staff.clone() view=move |_| view! {
            <p>{text::ROSTER_LEAD}</p>
            {error.map(|m| view! { <div class="form-error" role="alert">{m}</div> })}
            <form method="post" action=UPLOAD_PATH enctype="multipart/form-data">
                <div class="field">
                    <label for="file" class="required">{text::ROSTER_FILE}</label>
                    <input id="file" name="file" type="file" accept=".csv,text/csv" required/>
                </div>
                <fieldset class="field">
                    <legend>{text::ROSTER_MODE}</legend>
                    <label class="check"><input type="radio" name="mode" value="upsert" checked/>{text::ROSTER_UPSERT}</label>
                    <label class="check"><input type="radio" name="mode" value="replace"/>{text::ROSTER_REPLACE}</label>
                </fieldset>
                <div class="actions"><button type="submit">{text::ROSTER_UPLOAD}</button></div>
            </form>
        }.into_any()/>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RosterPreviewData {
    pub staff: StaffView,
    pub preview: RosterPreview,
}

#[server(prefix = "/staff/api")]
pub async fn load_roster_preview(id: String) -> Result<RosterPreviewData, AppError> {
    let (state, staff) = crate::backend::edge::staff(&format!("/staff/roster/{id}"), crate::domain::StaffRole::Admin).await?;
    Ok(RosterPreviewData { staff: staff.view(), preview: crate::backend::staff::roster_upload::preview(&state, &id).await? })
}

#[server(prefix = "/staff/api")]
pub async fn apply_roster(id: String, digest: String, retire_count: Option<String>) -> Result<(), AppError> {
    use crate::backend::staff::roster_upload::{self, Reviewed};
    let path = format!("/staff/roster/{id}");
    let (state, staff) = crate::backend::edge::staff(&path, crate::domain::StaffRole::Admin).await?;
    let retire_count = retire_count.and_then(|n| crate::domain::normalize_digits(n.trim()).parse::<usize>().ok());
    let reviewed = Reviewed { digest: &digest, retire_count };
    roster_upload::apply(&state, &staff, crate::backend::edge::client_ip().as_deref(), &id, reviewed).await?;
    leptos_axum::redirect(&path);
    Ok(())
}

/// How far the apply is (rows written, rows in the file), while it runs on this server.
#[server(prefix = "/staff/api")]
pub async fn load_roster_progress(id: String) -> Result<Option<(u64, u64)>, AppError> {
    crate::backend::edge::staff(&format!("/staff/roster/{id}"), crate::domain::StaffRole::Admin).await?;
    Ok(crate::backend::staff::roster_upload::progress(&id))
}

#[component]
pub fn RosterPreviewPage() -> impl IntoView {
    let data = Resource::new_blocking(|| param("id"), load_roster_preview);
    view! {
        <StaffPage title=text::ROSTER_PREVIEW data staff=|d: &RosterPreviewData| d.staff.clone() view=|d: RosterPreviewData| {
            let p = d.preview;
            view! {
                <p>{p.file_name.clone()}" ／ "{if p.replace { text::ROSTER_REPLACE } else { text::ROSTER_UPSERT }}" ／ "{p.uploaded.clone()}</p>
                {super::upload_outcome(p.applied.clone(), text::ROSTER_APPLIED, p.errors.clone(), text::ROSTER_ERRORS, ("/staff/roster", text::MENU_ROSTER))
                    .unwrap_or_else(|| view! { <PreviewFigures preview=p/> }.into_any())}
            }.into_any()
        }/>
    }
}

#[component]
fn PreviewFigures(preview: RosterPreview) -> impl IntoView {
    view! {
        <ul class="figures">
            <li><span>{text::ROSTER_NEW}</span><strong data-testid="roster-new">{preview.new}</strong>{text::COUNT_SUFFIX}</li>
            <li><span>{text::ROSTER_CHANGED}</span><strong data-testid="roster-changed">{preview.changed_total}</strong>{text::COUNT_SUFFIX}</li>
            <li><span>{text::ROSTER_UNCHANGED}</span><strong>{preview.unchanged}</strong>{text::COUNT_SUFFIX}</li>
            <li><span>{text::ROSTER_RETIRED}</span><strong data-testid="roster-retired">{preview.retired.len()}</strong>{text::COUNT_SUFFIX}</li>
        </ul>
        {(!preview.changed.is_empty()).then(|| view! {
            <h2>{text::ROSTER_CHANGED}</h2>
            <table class="staff-table"><tbody>{preview.changed.into_iter().map(|(who, fields)| view! { <tr><td>{who}</td><td>{fields}</td></tr> }).collect_view()}</tbody></table>
        })}
        {(!preview.retired.is_empty()).then(|| view! {
            <h2>{text::ROSTER_RETIRED}</h2>
            <table class="staff-table"><tbody>{preview.retired.into_iter().map(|(number, name)| view! { <tr><td>{number}</td><td>{name}</td></tr> }).collect_view()}</tbody></table>
        })}
        <ApplyForm id=preview.id digest=preview.digest confirm=preview.retire_confirm rows=(preview.new + preview.changed_total) as u64 + preview.unchanged/>
    }
}

/// この内容で適用する, and while the apply runs, how many of the file's rows are written.
#[island(lazy)]
fn ApplyForm(id: String, digest: String, confirm: bool, rows: u64) -> impl IntoView {
    island_hydrated();
    let apply = ServerAction::<ApplyRoster>::new();
    let error = action_error(apply);
    // Asked through a ServerAction: the members' islands already carry its client code.
    let ask = ServerAction::<LoadRosterProgress>::new();
    let written = Signal::derive(move || ask.value().get().and_then(Result::ok).flatten().map_or(0, |(n, _)| n));
    let poll_id = id.clone();
    Effect::new(move |_| {
        if !apply.pending().get() {
            return;
        }
        let id = poll_id.clone();
        let poll = move || {
            if !ask.pending().get_untracked() {
                ask.dispatch(LoadRosterProgress { id: id.clone() });
            }
        };
        if let Ok(handle) = set_interval_with_handle(poll, std::time::Duration::from_millis(400)) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <ActionForm action=apply>
            <FormMessage error/>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="digest" value=digest/>
            {confirm.then(|| view! {
                <Field label=text::ROSTER_RETIRE_COUNT name="retire_count" value=RwSignal::new(String::new()) required=true inputmode="numeric"
                    maxlength=7 hint=text::ROSTER_RETIRE_COUNT_HINT server_error=field_error(error, "retire_count")/>
            })}
            <div class="actions"><button type="submit" disabled=move || apply.pending().get()>{text::ROSTER_APPLY}</button></div>
            <Show when=move || apply.pending().get()>
                <p role="status" data-testid="roster-progress">
                    <progress max=rows value=move || written.get()></progress>" "
                    {move || format!("{}{} / {rows}{}", text::ROSTER_APPLYING, written.get(), text::ROSTER_ROWS)}
                </p>
            </Show>
        </ActionForm>
    }
}
