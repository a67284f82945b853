//! 承認待ち (`/staff/approvals`, 管理者): the requests of other staff for actions that hand over
//! or remove a registered member's factor, each opened on its own page with what is asked, by
//! whom and why, then approved (carried out, a letter printed here) or declined with a reason.

use super::members::LettersView;
use super::{param, query, StaffPage};
use crate::api::staff::{ApprovalLine, Letters, StaffView};
use crate::components::{action_error, field_error, island_hydrated, Field, FormMessage};
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApprovalsData {
    pub staff: StaffView,
    pub open: Vec<ApprovalLine>,
}

#[server(prefix = "/staff/api")]
pub async fn load_approvals() -> Result<ApprovalsData, AppError> {
    let (state, staff) = crate::backend::edge::staff("/staff/approvals", crate::domain::StaffRole::Admin).await?;
    let open = crate::backend::staff::approvals::open(&state, &staff).await?;
    Ok(ApprovalsData { staff: staff.view(), open })
}

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_approvals());
    let done = !query("done").is_empty();
    view! {
        <StaffPage title=text::APPROVALS_TITLE data staff=|d: &ApprovalsData| d.staff.clone() view=move |d: ApprovalsData| view! {
            {done.then(|| view! { <p class="notice" role="status">{text::DECIDED}</p> })}
            <p>{text::APPROVALS_LEAD}</p>
            {if d.open.is_empty() {
                view! { <p>{text::APPROVALS_NONE}</p> }.into_any()
            } else {
                view! {
                    <table class="staff-table" data-testid="approvals">
                        <thead><tr>
                            <th scope="col">{text::COL_REQUESTED_AT}</th><th scope="col">{text::COL_NUMBER}</th><th scope="col">{text::COL_NAME}</th>
                            <th scope="col">{text::COL_ACTION}</th><th scope="col">{text::COL_REQUESTER}</th><th scope="col">{text::COL_REASON}</th><th scope="col"></th>
                        </tr></thead>
                        <tbody>
                            {d.open.into_iter().map(|l| view! {
                                <tr>
                                    <td>{l.requested_at}</td><td>{format!("{}-{}", l.kigo, l.bango)}</td><td>{l.name}</td>
                                    <td>{l.action.label()}</td><td>{l.requested_by}</td><td>{l.reason}</td>
                                    <td>{if l.own {
                                        view! { <span class="hint">{text::OWN_REQUEST_NOTE}</span> }.into_any()
                                    } else {
                                        view! { <a href=format!("/staff/approvals/{}", l.id)>{text::OPEN_REQUEST}</a> }.into_any()
                                    }}</td>
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
pub struct ApprovalData {
    pub staff: StaffView,
    pub request: ApprovalLine,
}

#[server(prefix = "/staff/api")]
pub async fn load_approval(id: String) -> Result<ApprovalData, AppError> {
    let (state, staff) = crate::backend::edge::staff(&format!("/staff/approvals/{id}"), crate::domain::StaffRole::Admin).await?;
    let request = crate::backend::staff::approvals::one(&state, &staff, &id).await?;
    Ok(ApprovalData { staff: staff.view(), request })
}

/// `decision`: `approve` or `reject`. An approved 仮パスワード再発行 answers with its letter.
#[server(prefix = "/staff/api")]
pub async fn decide_request(id: String, decision: Option<String>, note: String) -> Result<Option<Letters>, AppError> {
    use crate::backend::edge;
    use crate::backend::staff::members::Outcome;
    use crate::error::FieldErrors;
    let (state, staff) = edge::staff(&format!("/staff/approvals/{id}"), crate::domain::StaffRole::Admin).await?;
    let mut errors = FieldErrors::default();
    let approve = match decision.as_deref() {
        Some("approve") => Some(true),
        Some("reject") => Some(false),
        _ => {
            errors.add("decision", text::DECISION_REQUIRED);
            None
        }
    };
    let note = errors.check("note", crate::domain::parse_reason(&note));
    let (approve, note) = errors.finish((approve, note))?;
    match crate::backend::staff::approvals::decide(&state, &staff, edge::client_ip().as_deref(), &id, approve, &note).await? {
        Outcome::Letters(letters) => Ok(Some(letters)),
        _ => {
            leptos_axum::redirect("/staff/approvals?done=1");
            Ok(None)
        }
    }
}

#[component]
pub fn ApprovalPage() -> impl IntoView {
    let data = Resource::new_blocking(|| param("id"), load_approval);
    view! {
        <StaffPage title=text::APPROVAL_TITLE data staff=|d: &ApprovalData| d.staff.clone() view=|d: ApprovalData| {
            let r = d.request;
            view! {
                <dl class="staff-facts" data-testid="approval">
                    <dt>{text::COL_NUMBER}</dt><dd>{format!("{}-{}", r.kigo, r.bango)}</dd>
                    <dt>{text::COL_NAME}</dt><dd>{r.name.clone()}</dd>
                    <dt>{text::COL_ACTION}</dt><dd>{r.action.label()}</dd>
                    {r.email.clone().map(|e| view! { <dt>{text::ASKED_EMAIL}</dt><dd>{e}</dd> })}
                    <dt>{text::COL_REQUESTER}</dt><dd>{r.requested_by.clone()}</dd>
                    <dt>{text::COL_REQUESTED_AT}</dt><dd>{r.requested_at.clone()}</dd>
                    <dt>{text::COL_REASON}</dt><dd>{r.reason.clone()}</dd>
                </dl>
                <p>{r.action.explanation()}</p>
                <p><a href=format!("/staff/members/{}/{}", r.kigo, r.bango)>{text::MEMBER_TITLE}</a></p>
                {if r.own {
                    view! { <p class="notice">{text::OWN_REQUEST_NOTE}</p> }.into_any()
                } else {
                    view! {
                        {r.expired.then(|| view! { <p class="notice">{text::EXPIRED_NOTE}</p> })}
                        <DecisionForm id=r.id.clone()/>
                    }.into_any()
                }}
            }.into_any()
        }/>
    }
}

/// 承認して実行する / 却下する with the approver's reason; an approved letter appears (and prints)
/// right after the answer, in no page that can be opened again.
#[island(lazy)]
fn DecisionForm(id: String) -> impl IntoView {
    island_hydrated();
    let form = ServerAction::<DecideRequest>::new();
    let error = action_error(form);
    let letters = Signal::derive(move || form.value().get().and_then(Result::ok).flatten());
    let note = RwSignal::new(String::new());
    view! {
        {move || { let id = id.clone(); match letters.get() {
            Some(l) => view! { <LettersView letters=l/> }.into_any(),
            None => view! {
                <ActionForm action=form>
                    <FormMessage error/>
                    <input type="hidden" name="id" value=id/>
                    <fieldset class="field checks">
                        <legend>{text::DECISION}</legend>
                        <label class="check"><input type="radio" name="decision" value="approve"/>{text::APPROVE}</label>
                        <label class="check"><input type="radio" name="decision" value="reject"/>{text::REJECT}</label>
                        {move || field_error(error, "decision").get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    </fieldset>
                    <Field label=text::REASON name="note" value=note required=true maxlength=200 hint=text::REASON_HINT server_error=field_error(error, "note")/>
                    <div class="actions">
                        <button type="submit" disabled=move || form.pending().get()>{text::DECIDE}</button>
                        <a class="button-link secondary" href="/staff/approvals">{text::CANCEL}</a>
                    </div>
                </ActionForm>
            }.into_any(),
        }}}
    }
}
