//! 問い合わせ対応: the queue, one inquiry with its history, 状態・担当者, notes and replies.

use super::{page_param, param, query, FieldMessage, Pager, StaffPage};
use crate::api::staff::{InquiryDetail, InquiryLine, Paged, StaffView};
use crate::components::{action_error, FormMessage};
use crate::domain::query_value;
use crate::domain::InquiryStatus;
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QueueData {
    pub staff: StaffView,
    pub status: String,
    pub reference: String,
    pub lines: Paged<InquiryLine>,
}

#[server(prefix = "/staff/api")]
pub async fn load_inquiries(status: String, reference: String, page: i64) -> Result<QueueData, AppError> {
    let (state, staff) = crate::backend::edge::staff("/staff/inquiries", crate::domain::StaffRole::Agent).await?;
    let lines = crate::backend::staff::inquiries::list(&state.db, InquiryStatus::parse(&status), &reference, page).await?;
    Ok(QueueData { staff: staff.view(), status, reference, lines })
}

#[component]
pub fn InquiriesPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (query("status"), query("q"), page_param()), |(s, q, p)| load_inquiries(s, q, p));
    view! {
        <StaffPage title=text::INQUIRIES_TITLE data staff=|d: &QueueData| d.staff.clone() view=|d: QueueData| {
            let (status, reference) = (d.status.clone(), d.reference.clone());
            view! {
                <form class="search" method="get" action="/staff/inquiries">
                    <label for="status">{text::FILTER_STATUS}</label>
                    <select id="status" name="status">
                        <option value="" selected=d.status.is_empty()>{text::FILTER_UNFINISHED}</option>
                        {InquiryStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=d.status == s.code()>{s.label()}</option> }).collect_view()}
                    </select>
                    <label for="q">{text::FILTER_REFERENCE}</label>
                    <input id="q" name="q" type="search" value=d.reference.clone()/>
                    <button type="submit">{text::FILTER}</button>
                </form>
                {if d.lines.rows.is_empty() {
                    view! { <p>{text::NO_INQUIRIES}</p> }.into_any()
                } else {
                    view! {
                        <table class="staff-table">
                            <thead><tr>
                                <th scope="col">{text::COL_REFERENCE}</th><th scope="col">{text::COL_RECEIVED}</th><th scope="col">{text::COL_KIND}</th>
                                <th scope="col">{text::COL_NAME}</th><th scope="col">{text::FILTER_STATUS}</th><th scope="col">{text::COL_ASSIGNEE}</th>
                            </tr></thead>
                            <tbody>{d.lines.rows.into_iter().map(|l| view! {
                                <tr>
                                    <td><a href=format!("/staff/inquiries/{}", l.reference)>{l.reference.clone()}</a></td>
                                    <td>{l.received}</td><td>{l.kind}</td><td>{l.name}</td>
                                    <td><span class=format!("status status-{}", l.status.code())>{l.status.label()}</span></td>
                                    <td>{l.assignee.unwrap_or_else(|| text::UNASSIGNED.into())}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                        <Pager page=d.lines.page pages=d.lines.pages total=d.lines.total
                            href=move |p| format!("/staff/inquiries?status={}&q={}&page={p}", query_value(&status), query_value(&reference))/>
                    }.into_any()
                }}
            }.into_any()
        }/>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InquiryData {
    pub staff: StaffView,
    pub inquiry: InquiryDetail,
}

#[cfg(feature = "ssr")]
fn inquiry_path(reference: &str) -> String {
    format!("/staff/inquiries/{reference}")
}

#[server(prefix = "/staff/api")]
pub async fn load_inquiry(reference: String) -> Result<InquiryData, AppError> {
    let (state, staff) = crate::backend::edge::staff(&inquiry_path(&reference), crate::domain::StaffRole::Agent).await?;
    Ok(InquiryData { staff: staff.view(), inquiry: crate::backend::staff::inquiries::detail(&state.db, &reference).await? })
}

/// 状態・担当者, a note, or a reply; back to the inquiry's page.
#[server(prefix = "/staff/api")]
pub async fn change_inquiry(
    reference: String,
    status: Option<String>,
    assignee: Option<String>,
    note: Option<String>,
    reply: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::staff::inquiries::{self, Change};
    let path = inquiry_path(&reference);
    let (state, staff) = edge::staff(&path, crate::domain::StaffRole::Agent).await?;
    let text_of = |field: &str, body: &str| -> Result<String, AppError> {
        let body = body.trim();
        if body.is_empty() {
            return Err(AppError::Invalid { fields: vec![(field.into(), text::TEXT_REQUIRED.into())], message: None });
        }
        if body.chars().count() > 4000 {
            return Err(AppError::Invalid { fields: vec![(field.into(), text::TEXT_TOO_LONG.into())], message: None });
        }
        Ok(body.replace("\r\n", "\n"))
    };
    let change = match (status, note, reply) {
        (_, _, Some(reply)) => Change::Reply(text_of("reply", &reply)?),
        (_, Some(note), _) => Change::Note(text_of("note", &note)?),
        (Some(status), _, _) => Change::Assign {
            status: InquiryStatus::parse(&status).ok_or_else(|| AppError::form(text::NOT_FOUND))?,
            assignee_id: assignee.filter(|a| !a.is_empty()),
        },
        _ => return Err(AppError::form(text::NOT_FOUND)),
    };
    inquiries::change(&state, &staff, edge::client_ip().as_deref(), &reference, change).await?;
    leptos_axum::redirect(&format!("{path}?saved=1"));
    Ok(())
}

#[component]
pub fn InquiryPage() -> impl IntoView {
    let data = Resource::new_blocking(|| param("reference"), load_inquiry);
    let saved = !query("saved").is_empty();
    view! {
        <StaffPage title=text::INQUIRY_TITLE data staff=|d: &InquiryData| d.staff.clone() view=move |d: InquiryData| {
            let i = d.inquiry;
            view! {
                {saved.then(|| view! { <p class="notice" role="status">{text::STAFF_CHANGED}</p> })}
                <dl class="staff-facts">
                    <dt>{text::COL_REFERENCE}</dt><dd data-testid="reference">{i.reference.clone()}</dd>
                    <dt>{text::COL_RECEIVED}</dt><dd>{i.received.clone()}</dd>
                    <dt>{text::COL_KIND}</dt><dd>{i.kind.clone()}</dd>
                    <dt>{text::COL_NAME}</dt><dd>{i.name.clone()}</dd>
                    <dt>{text::COL_NUMBER}</dt><dd>{format!("{}-{}", i.kigo, i.bango)}</dd>
                    <dt>{text::BIRTH_DATE}</dt><dd>{i.birth_date.clone()}</dd>
                    <dt>{text::CONTACT_EMAIL}</dt><dd>{i.email.clone()}</dd>
                    <dt>{text::PHONE}</dt><dd>{i.phone.clone()}</dd>
                    <dt>{text::MATCHING_MEMBER}</dt>
                    <dd>{match i.member.clone() {
                        Some((k, b)) => view! { <a href=format!("/staff/members/{k}/{b}")>{format!("{k}-{b}")}</a> }.into_any(),
                        None => view! { <span>{text::NO_MATCHING_MEMBER}</span> }.into_any(),
                    }}</dd>
                </dl>
                <h2>{text::BODY}</h2>
                <p class="inquiry-body">{i.body.clone()}</p>
                <InquiryForms inquiry=i/>
            }.into_any()
        }/>
    }
}

#[component]
fn InquiryForms(inquiry: InquiryDetail) -> impl IntoView {
    let form = ServerAction::<ChangeInquiry>::new();
    let error = action_error(form);
    let hidden = |r: String| view! { <input type="hidden" name="reference" value=r/> };
    let [r1, r2, r3] = std::array::from_fn(|_| inquiry.reference.clone());
    view! {
        <FormMessage error/>
        <ActionForm action=form attr:class="inline-form">
            {hidden(r1)}
            <label for="status">{text::FILTER_STATUS}</label>
            <select id="status" name="status">
                {InquiryStatus::ALL.into_iter().map(|s| view! { <option value=s.code() selected=inquiry.status == s>{s.label()}</option> }).collect_view()}
            </select>
            <label for="assignee">{text::COL_ASSIGNEE}</label>
            <select id="assignee" name="assignee">
                <option value="">{text::UNASSIGNED}</option>
                {inquiry.staff.iter().map(|s| view! { <option value=s.id.clone() selected=inquiry.assignee_id.as_deref() == Some(s.id.as_str())>{s.name.clone()}</option> }).collect_view()}
            </select>
            <button type="submit">{text::SAVE}</button>
        </ActionForm>
        <h2>{text::HISTORY}</h2>
        {if inquiry.entries.is_empty() {
            view! { <p>{text::NO_HISTORY}</p> }.into_any()
        } else {
            view! {
                <ol class="inquiry-history">{inquiry.entries.into_iter().map(|e| view! {
                    <li class:reply=e.is_reply>
                        <p class="hint">{e.at}" "{e.staff}" ・ "{if e.is_reply { text::ENTRY_REPLY } else { text::ENTRY_NOTE }}</p>
                        <p class="inquiry-body">{e.body}</p>
                    </li>
                }).collect_view()}</ol>
            }.into_any()
        }}
        <ActionForm action=form>
            {hidden(r2)}
            <div class="field">
                <label for="reply">{text::REPLY}</label>
                <textarea id="reply" name="reply" rows="8" maxlength="4000" aria-describedby="reply-hint reply-error"></textarea>
                <span class="hint" id="reply-hint">{text::REPLY_HINT}</span>
                <FieldMessage name="reply" error/>
            </div>
            <div class="actions"><button type="submit">{text::SEND_REPLY}</button></div>
        </ActionForm>
        <ActionForm action=form>
            {hidden(r3)}
            <div class="field">
                <label for="note">{text::NOTE}</label>
                <textarea id="note" name="note" rows="3" maxlength="4000" aria-describedby="note-hint note-error"></textarea>
                <span class="hint" id="note-hint">{text::NOTE_HINT}</span>
                <FieldMessage name="note" error/>
            </div>
            <div class="actions"><button type="submit" class="secondary">{text::ADD_NOTE}</button></div>
        </ActionForm>
    }
}
