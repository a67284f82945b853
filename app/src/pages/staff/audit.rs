//! 監査ログ: filter by date, staff member, member and event; export the same as CSV
//! (`/staff/audit.csv`, served by the server crate). Read only.

use super::{page_param, query, Pager, StaffPage};
use crate::api::staff::{AuditLine, AuditPage, StaffView};
use crate::domain::query_value;
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditData {
    pub staff: StaffView,
    pub page: AuditPage,
    /// The filters as given: from, to, staff, member, event.
    pub filters: [String; 5],
}

#[server(prefix = "/staff/api")]
pub async fn load_audit(
    from: String,
    to: String,
    staff_id: String,
    member: String,
    event: String,
    page: i64,
) -> Result<AuditData, AppError> {
    use crate::backend::staff::audit_view::{self, Filter};
    let (state, staff) = crate::backend::edge::staff("/staff/audit", crate::domain::StaffRole::Agent).await?;
    let filter = Filter::from_query(&from, &to, &staff_id, &member, &event);
    let page = audit_view::page(&state.db, &filter, page).await?;
    Ok(AuditData { staff: staff.view(), page, filters: [from, to, staff_id, member, event] })
}

/// The filters as a query string (for paging and the CSV link).
fn filter_query(f: &[String; 5]) -> String {
    ["from", "to", "staff", "member", "event"].iter().zip(f).map(|(k, v)| format!("{k}={}", query_value(v))).collect::<Vec<_>>().join("&")
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let data = Resource::new_blocking(
        || ([query("from"), query("to"), query("staff"), query("member"), query("event")], page_param()),
        |([from, to, staff, member, event], page)| load_audit(from, to, staff, member, event, page),
    );
    view! {
        <StaffPage title=text::AUDIT_TITLE data staff=|d: &AuditData| d.staff.clone() view=|d: AuditData| {
            let q = filter_query(&d.filters);
            let [from, to, staff, member, event] = d.filters.clone();
            let entries = d.page.entries;
            view! {
                <form class="search filters" method="get" action="/staff/audit">
                    <label for="from">{text::FROM}</label><input id="from" name="from" type="date" value=from/>
                    <label for="to">{text::TO}</label><input id="to" name="to" type="date" value=to/>
                    <label for="staff">{text::COL_STAFF}</label>
                    <select id="staff" name="staff">
                        <option value="">{text::ALL}</option>
                        {d.page.staff.into_iter().map(|s| view! { <option value=s.id.clone() selected=s.id == staff>{s.name}</option> }).collect_view()}
                    </select>
                    <label for="member">{text::MEMBER_NUMBER}</label><input id="member" name="member" value=member size="10"/>
                    <label for="event">{text::COL_EVENT}</label>
                    <select id="event" name="event">
                        <option value="">{text::ALL}</option>
                        {d.page.events.into_iter().map(|e| view! { <option value=e.clone() selected=e == event>{crate::domain::audit::Event::label_of(&e).to_string()}</option> }).collect_view()}
                    </select>
                    <button type="submit">{text::FILTER}</button>
                    <a class="button-link secondary" href=format!("/staff/audit.csv?{q}") download>{text::CSV}</a>
                </form>
                <AuditTable lines=entries.rows show_member=true/>
                <Pager page=entries.page pages=entries.pages total=entries.total href=move |p| format!("/staff/audit?{q}&page={p}")/>
            }.into_any()
        }/>
    }
}

/// Audit entries as a table (the 監査ログ page and a member's page).
#[component]
pub fn AuditTable(lines: Vec<AuditLine>, show_member: bool) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p>{text::NO_ENTRIES}</p> }.into_any();
    }
    view! {
        <table class="staff-table audit">
            <thead><tr>
                <th scope="col">{text::COL_TIME}</th><th scope="col">{text::COL_EVENT}</th><th scope="col">{text::COL_STAFF}</th>
                {show_member.then(|| view! { <th scope="col">{text::COL_MEMBER}</th> })}
                <th scope="col">{text::COL_IP}</th><th scope="col">{text::COL_DETAIL}</th>
            </tr></thead>
            <tbody>{lines.into_iter().map(|l| view! {
                <tr>
                    <td>{l.at}</td><td>{l.event}</td><td>{l.staff}</td>
                    {show_member.then(|| view! { <td>{l.member.map(|m| { let (k, b) = m.split_once('-').map(|(k, b)| (k.to_string(), b.to_string())).unwrap_or_default(); view! { <a href=format!("/staff/members/{k}/{b}")>{m.clone()}</a> } })}</td> })}
                    <td>{l.client_ip}</td><td>{l.detail}</td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
    .into_any()
}
