//! お知らせ管理: the list of notices and the form to write, schedule, aim, mark 重要 and
//! withdraw one (`/staff/notices/new` for a new one).

use super::{param, query, FieldMessage, StaffPage, SubjectAndBody};
use crate::api::staff::{NoticeForm, NoticeLine, StaffView};
use crate::components::{action_error, FormMessage};
use crate::domain::Audience;
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NoticesData {
    pub staff: StaffView,
    pub notices: Vec<NoticeLine>,
}

#[server(prefix = "/staff/api")]
pub async fn load_notices() -> Result<NoticesData, AppError> {
    let (state, staff) = crate::backend::edge::staff("/staff/notices", crate::domain::StaffRole::Agent).await?;
    Ok(NoticesData { staff: staff.view(), notices: crate::backend::staff::notices::list(&state).await? })
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_notices());
    let saved = !query("saved").is_empty();
    view! {
        <StaffPage title=text::MENU_NOTICES data staff=|d: &NoticesData| d.staff.clone() view=move |d: NoticesData| view! {
            {saved.then(|| view! { <p class="notice" role="status">{text::NOTICE_SAVED}</p> })}
            <p><a class="button-link" href="/staff/notices/new">{text::NOTICE_NEW}</a></p>
            {if d.notices.is_empty() {
                view! { <p>{text::NOTICE_NONE}</p> }.into_any()
            } else {
                view! {
                    <table class="staff-table">
                        <thead><tr>
                            <th scope="col">{text::NOTICE_TITLE}</th><th scope="col">{text::STAFF_STATE}</th><th scope="col">{text::NOTICE_AUDIENCE}</th>
                            <th scope="col">{text::NOTICE_STARTS}</th><th scope="col">{text::NOTICE_ENDS}</th>
                        </tr></thead>
                        <tbody>{d.notices.into_iter().map(|n| view! {
                            <tr>
                                <td>
                                    {n.important.then(|| view! { <span class="badge">{text::IMPORTANT}</span>" " })}
                                    <a href=format!("/staff/notices/{}", n.id)>{n.title}</a>
                                </td>
                                <td>{n.state}</td><td>{n.audience}</td><td>{n.starts}</td><td>{n.ends}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        }.into_any()/>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NoticeFormData {
    pub staff: StaffView,
    pub form: NoticeForm,
}

#[server(prefix = "/staff/api")]
pub async fn load_notice_form(id: String) -> Result<NoticeFormData, AppError> {
    let (state, staff) = crate::backend::edge::staff(&format!("/staff/notices/{id}"), crate::domain::StaffRole::Agent).await?;
    let id = Some(id).filter(|i| i != "new");
    Ok(NoticeFormData { staff: staff.view(), form: crate::backend::staff::notices::form(&state, id.as_deref()).await? })
}

#[server(prefix = "/staff/api")]
pub async fn save_notice(
    id: String,
    title: String,
    body: String,
    starts: String,
    ends: String,
    employed: Option<String>,
    voluntary_continuation: Option<String>,
    special_retiree: Option<String>,
    important: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::staff::notices::{self, NoticeInput};
    use crate::domain::{parse_jst_datetime, parse_notice_body, parse_notice_title, MemberStatus};
    use crate::error::FieldErrors;
    let (state, staff) = crate::backend::edge::staff(&format!("/staff/notices/{id}"), crate::domain::StaffRole::Agent).await?;
    let mut errors = FieldErrors::default();
    let title = errors.check("title", parse_notice_title(&title));
    let body = errors.check("body", parse_notice_body(&body));
    let starts_at = errors.check("starts", parse_jst_datetime(&starts, text::NOTICE_STARTS)).flatten();
    if starts.trim().is_empty() {
        errors.add("starts", format!("{}を入力してください。", text::NOTICE_STARTS));
    }
    let ends_at = errors.check("ends", parse_jst_datetime(&ends, text::NOTICE_ENDS));
    if let (Some(s), Some(Some(e))) = (starts_at, ends_at) {
        if e <= s {
            errors.add("ends", text::NOTICE_ENDS_BEFORE_START);
        }
    }
    let (title, body, starts_at, ends_at) = errors.finish((title, body, starts_at, ends_at))?;
    let chosen = [
        (MemberStatus::Employed, employed),
        (MemberStatus::VoluntaryContinuation, voluntary_continuation),
        (MemberStatus::SpecialRetiree, special_retiree),
    ];
    let audience = Audience(chosen.into_iter().filter(|(_, ticked)| ticked.is_some()).map(|(s, _)| s).collect());
    let input = NoticeInput { title, body, starts_at, ends_at, audience, important: important.is_some() };
    let id = Some(id.as_str()).filter(|i| *i != "new");
    notices::save(&state, &staff, crate::backend::edge::client_ip().as_deref(), id, &input).await?;
    leptos_axum::redirect("/staff/notices?saved=1");
    Ok(())
}

#[server(prefix = "/staff/api")]
pub async fn withdraw_notice(id: String, withdrawn: String) -> Result<(), AppError> {
    let (state, staff) = crate::backend::edge::staff(&format!("/staff/notices/{id}"), crate::domain::StaffRole::Agent).await?;
    crate::backend::staff::notices::withdraw(&state, &staff, crate::backend::edge::client_ip().as_deref(), &id, withdrawn == "1").await?;
    leptos_axum::redirect("/staff/notices?saved=1");
    Ok(())
}

#[component]
pub fn NoticeEditPage() -> impl IntoView {
    let data = Resource::new_blocking(|| param("id"), load_notice_form);
    let title = if param("id") == "new" { text::NOTICE_NEW } else { text::NOTICE_EDIT };
    view! {
        <StaffPage title data staff=|d: &NoticeFormData| d.staff.clone() view=|d: NoticeFormData| view! { <NoticeEditor form=d.form/> }.into_any()/>
    }
}

#[component]
fn NoticeEditor(form: NoticeForm) -> impl IntoView {
    let save = ServerAction::<SaveNotice>::new();
    let error = action_error(save);
    let withdraw = ServerAction::<WithdrawNotice>::new();
    let id = form.id.clone().unwrap_or_else(|| "new".into());
    view! {
        <ActionForm action=save>
            <FormMessage error/>
            <input type="hidden" name="id" value=id.clone()/>
            <SubjectAndBody name="title" label=text::NOTICE_TITLE subject=form.title body_label=text::NOTICE_BODY body=form.body
                body_hint=text::NOTICE_BODY_HINT rows=10 error/>
            <div class="field">
                <label for="starts" class="required">{text::NOTICE_STARTS}</label>
                <input id="starts" name="starts" type="datetime-local" value=form.starts required aria-describedby="starts-error"/>
                <FieldMessage name="starts" error/>
            </div>
            <div class="field">
                <label for="ends">{text::NOTICE_ENDS}</label>
                <input id="ends" name="ends" type="datetime-local" value=form.ends aria-describedby="ends-hint ends-error"/>
                <span class="hint" id="ends-hint">{text::NOTICE_ENDS_HINT}</span>
                <FieldMessage name="ends" error/>
            </div>
            <fieldset class="field">
                <legend>{text::NOTICE_AUDIENCE}</legend>
                {Audience::CHOICES.into_iter().map(|s| {
                    let checked = form.audience.iter().any(|a| a == s.code());
                    view! { <label class="check"><input type="checkbox" name=s.code() value="1" checked=checked/>{s.label()}</label> }
                }).collect_view()}
                <span class="hint">{text::NOTICE_AUDIENCE_HINT}</span>
            </fieldset>
            <div class="field">
                <label class="check"><input type="checkbox" name="important" value="1" checked=form.important/>{text::NOTICE_IMPORTANT}</label>
            </div>
            <div class="actions"><button type="submit">{text::NOTICE_SAVE}</button></div>
        </ActionForm>
        {form.id.map(|id| view! {
            <ActionForm action=withdraw>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="withdrawn" value=if form.withdrawn { "0" } else { "1" }/>
                <div class="actions">
                    <button type="submit" class="secondary">{if form.withdrawn { text::NOTICE_RESTORE } else { text::NOTICE_WITHDRAW }}</button>
                </div>
            </ActionForm>
        })}
    }
}
