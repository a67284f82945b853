//! 職員管理 (管理者 only): the staff accounts; add (the setup link goes to the new address),
//! disable / re-enable, reset (a new setup link; the old password and authenticator die).

use super::{query, StaffPage};
use crate::api::staff::{StaffLine, StaffView};
use crate::components::{action_error, field_error, Field, FormMessage};
use crate::domain::StaffRole;
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaffListData {
    pub staff: StaffView,
    pub accounts: Vec<StaffLine>,
}

#[server(prefix = "/staff/api")]
pub async fn load_staff_list() -> Result<StaffListData, AppError> {
    let (state, staff) = crate::backend::edge::staff("/staff/staff", StaffRole::Admin).await?;
    Ok(StaffListData { accounts: crate::backend::staff::accounts::list(&state, &staff).await?, staff: staff.view() })
}

#[server(prefix = "/staff/api")]
pub async fn add_staff(name: String, email: String, role: String, member_number: Option<String>) -> Result<(), AppError> {
    use crate::error::FieldErrors;
    let (state, staff) = crate::backend::edge::staff("/staff/staff", StaffRole::Admin).await?;
    let mut errors = FieldErrors::default();
    let name = crate::domain::trim_spaces(&name).to_string();
    if name.is_empty() || name.chars().count() > 40 {
        errors.add("name", text::STAFF_NAME_REQUIRED);
    }
    let email = errors.check("email", crate::domain::Email::parse(&email));
    let role = StaffRole::parse(&role);
    if role.is_none() {
        errors.add("role", text::STAFF_ROLE);
    }
    let member = match member_number.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => Some(None),
        Some(typed) => match crate::domain::MemberNumber::parse_joined(typed) {
            Some(number) => Some(Some(number)),
            None => {
                errors.add("member_number", text::STAFF_MEMBER_NUMBER_WRONG);
                None
            }
        },
    };
    let (email, role, member) = errors.finish((email, role, member))?;
    let new = crate::backend::staff::accounts::NewStaff { name: &name, email: &email, role, member };
    crate::backend::staff::accounts::add(&state.db, &state.config, state.clock.now(), Some(&staff), new).await?;
    state.mail_wakeup.notify_one();
    leptos_axum::redirect("/staff/staff?added=1");
    Ok(())
}

/// The change a path names, with its button label and what it does.
fn staff_change(what: &str) -> Option<(&'static str, &'static str)> {
    match what {
        "disable" => Some((text::STAFF_DISABLE, text::STAFF_CHANGE_DISABLE)),
        "enable" => Some((text::STAFF_ENABLE, text::STAFF_CHANGE_ENABLE)),
        "reset" => Some((text::STAFF_RESET, text::STAFF_CHANGE_RESET)),
        _ => None,
    }
}

#[server(prefix = "/staff/api")]
pub async fn change_staff(id: String, what: String, reason: String) -> Result<(), AppError> {
    use crate::backend::staff::accounts::{self, StaffChange};
    use crate::error::FieldErrors;
    let (state, staff) = crate::backend::edge::staff("/staff/staff", StaffRole::Admin).await?;
    let what = match what.as_str() {
        "disable" => StaffChange::Disable,
        "enable" => StaffChange::Enable,
        "reset" => StaffChange::Reset,
        _ => return Err(AppError::form(text::NOT_FOUND)),
    };
    let mut errors = FieldErrors::default();
    let reason = errors.check("reason", crate::domain::parse_reason(&reason));
    let (reason,) = errors.finish((reason,))?;
    accounts::change(&state, &staff, crate::backend::edge::client_ip().as_deref(), &id, what, &reason).await?;
    leptos_axum::redirect("/staff/staff?changed=1");
    Ok(())
}

#[component]
pub fn StaffListPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_staff_list());
    let message = if !query("added").is_empty() {
        Some(text::STAFF_ADDED)
    } else if !query("changed").is_empty() {
        Some(text::STAFF_CHANGED)
    } else {
        None
    };
    view! {
        <StaffPage title=text::STAFF_TITLE data staff=|d: &StaffListData| d.staff.clone() view=move |d: StaffListData| view! {
            {message.map(|m| view! { <p class="notice" role="status">{m}</p> })}
            <ChangeStaffTable accounts=d.accounts/>
            <h2>{text::STAFF_ADD}</h2>
            <AddStaffForm/>
        }.into_any()/>
    }
}

/// 停止・再開・再設定: each opens its confirmation step (what it does, the reason).
#[component]
fn ChangeStaffTable(accounts: Vec<StaffLine>) -> impl IntoView {
    let button = move |id: String, what: &'static str, label: &'static str| {
        view! { <a class="button-link secondary small" href=format!("/staff/staff/{id}/{what}")>{label}</a> }
    };
    view! {
        <table class="staff-table">
            <thead><tr>
                <th scope="col">{text::STAFF_NAME}</th><th scope="col">{text::STAFF_EMAIL}</th><th scope="col">{text::STAFF_ROLE}</th>
                <th scope="col">{text::STAFF_STATE}</th><th scope="col">{text::ACTIONS}</th>
            </tr></thead>
            <tbody>{accounts.into_iter().map(|s| view! {
                <tr>
                    <td>{s.name}{s.is_self.then_some(text::YOU)}</td><td>{s.email}</td><td>{s.role.label()}</td><td>{s.state}</td>
                    <td class="row-actions">
                        {(!s.is_self).then(|| if s.disabled {
                            button(s.id.clone(), "enable", text::STAFF_ENABLE).into_any()
                        } else {
                            button(s.id.clone(), "disable", text::STAFF_DISABLE).into_any()
                        })}
                        {button(s.id.clone(), "reset", text::STAFF_RESET)}
                    </td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
}

#[component]
fn AddStaffForm() -> impl IntoView {
    let form = ServerAction::<AddStaff>::new();
    let error = action_error(form);
    let (name, email, member) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    view! {
        <ActionForm action=form>
            <FormMessage error/>
            <p class="hint">{text::STAFF_ADD_HINT}</p>
            <Field label=text::STAFF_NAME name="name" value=name required=true maxlength=40 server_error=field_error(error, "name")/>
            <Field label=text::STAFF_EMAIL name="email" input_type="email" value=email required=true maxlength=254 server_error=field_error(error, "email")/>
            <Field label=text::STAFF_MEMBER_NUMBER name="member_number" value=member maxlength=12 hint=text::STAFF_MEMBER_NUMBER_HINT
                server_error=field_error(error, "member_number")/>
            <div class="field">
                <label for="role" class="required">{text::STAFF_ROLE}</label>
                <select id="role" name="role">
                    {StaffRole::ALL.into_iter().map(|r| view! { <option value=r.code() selected=r == StaffRole::Agent>{r.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="actions"><button type="submit">{text::STAFF_ADD}</button></div>
        </ActionForm>
    }
}

/// The confirmation step of 停止・再開・再設定 (`/staff/staff/:id/:what`).
#[component]
pub fn StaffChangePage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_staff_list());
    let (id, what) = (super::param("id"), super::param("what"));
    let Some((label, explanation)) = staff_change(&what) else { return view! { <crate::pages::not_found::NotFound/> }.into_any() };
    view! {
        <StaffPage title=text::STAFF_CHANGE_TITLE data staff=|d: &StaffListData| d.staff.clone() view=move |d: StaffListData| {
            match d.accounts.into_iter().find(|a| a.id == id) {
                None => view! { <p>{text::NOT_FOUND}</p> }.into_any(),
                Some(target) => view! {
                    <p><strong>{format!("{} <{}>（{}）", target.name, target.email, target.role.label())}</strong></p>
                    <p>{label}": "{explanation}</p>
                    <ChangeStaffForm id=target.id what=what.clone()/>
                }.into_any(),
            }
        }/>
    }
    .into_any()
}

#[component]
fn ChangeStaffForm(id: String, what: String) -> impl IntoView {
    let form = ServerAction::<ChangeStaff>::new();
    let error = action_error(form);
    let reason = RwSignal::new(String::new());
    view! {
        <ActionForm action=form>
            <FormMessage error/>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="what" value=what/>
            <Field label=text::REASON name="reason" value=reason required=true maxlength=200 hint=text::REASON_HINT server_error=field_error(error, "reason")/>
            <div class="actions">
                <button type="submit" disabled=move || form.pending().get()>{text::CONFIRM}</button>
                <a class="button-link secondary" href="/staff/staff">{text::CANCEL}</a>
            </div>
        </ActionForm>
    }
}
