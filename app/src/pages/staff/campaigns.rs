//! 配信メール: the list of category mails, the draft form (担当者 and 管理者), the test to oneself,
//! the 管理者's send with the recipient count, and a sent mail's progress (updated live).

use super::{param, query, FieldMessage, StaffPage, SubjectAndBody};
use crate::api::staff::{CampaignForm, CampaignLine, CampaignProgress, StaffView};
use crate::components::{action_error, island_hydrated, FormMessage};
use crate::domain::{MailPreference, StaffRole};
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CampaignsData {
    pub staff: StaffView,
    pub campaigns: Vec<CampaignLine>,
}

#[server(prefix = "/staff/api")]
pub async fn load_campaigns() -> Result<CampaignsData, AppError> {
    let (state, staff) = crate::backend::edge::staff("/staff/campaigns", StaffRole::Agent).await?;
    Ok(CampaignsData { staff: staff.view(), campaigns: crate::backend::staff::campaigns::list(&state.db).await? })
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_campaigns());
    view! {
        <StaffPage title=text::MENU_CAMPAIGNS data staff=|d: &CampaignsData| d.staff.clone() view=move |d: CampaignsData| view! {
            <p><a class="button-link" href="/staff/campaigns/new">{text::CAMPAIGN_NEW}</a></p>
            {if d.campaigns.is_empty() {
                view! { <p>{text::CAMPAIGN_NONE}</p> }.into_any()
            } else {
                view! {
                    <table class="staff-table">
                        <thead><tr>
                            <th scope="col">{text::CAMPAIGN_SUBJECT}</th><th scope="col">{text::CAMPAIGN_CATEGORY}</th>
                            <th scope="col">{text::STAFF_STATE}</th><th scope="col">{text::CAMPAIGN_PROGRESS}</th><th scope="col">{text::CAMPAIGN_CREATED}</th>
                        </tr></thead>
                        <tbody>{d.campaigns.into_iter().map(|c| view! {
                            <tr>
                                <td><a href=format!("/staff/campaigns/{}", c.id)>{c.subject}</a></td>
                                <td>{c.category}</td><td>{c.state}</td>
                                <td>{(c.progress.total > 0).then(|| format!("{} / {}", c.progress.sent, c.progress.total))}</td>
                                <td>{c.created}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        }.into_any()/>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CampaignData {
    pub staff: StaffView,
    pub form: CampaignForm,
}

#[cfg(feature = "ssr")]
fn page_of(id: &str) -> String {
    format!("/staff/campaigns/{id}")
}

#[server(prefix = "/staff/api")]
pub async fn load_campaign(id: String) -> Result<CampaignData, AppError> {
    let (state, staff) = crate::backend::edge::staff(&page_of(&id), StaffRole::Agent).await?;
    let id = Some(id).filter(|i| i != "new");
    Ok(CampaignData { staff: staff.view(), form: crate::backend::staff::campaigns::form(&state.db, id.as_deref()).await? })
}

#[server(prefix = "/staff/api")]
pub async fn save_campaign(id: String, category: String, subject: String, body: String) -> Result<(), AppError> {
    use crate::backend::staff::campaigns::{self, CampaignInput};
    use crate::domain::{parse_notice_body, parse_notice_title, FieldError};
    use crate::error::FieldErrors;
    let (state, staff) = crate::backend::edge::staff(&page_of(&id), StaffRole::Agent).await?;
    let mut errors = FieldErrors::default();
    let category = errors.check("category", MailPreference::from_code(&category).ok_or(FieldError::new(text::CAMPAIGN_CATEGORY_REQUIRED)));
    let subject = errors.check("subject", parse_notice_title(&subject));
    let body = errors.check("body", parse_notice_body(&body));
    let (category, subject, body) = errors.finish((category, subject, body))?;
    let input = CampaignInput { category, subject, body };
    let existing = Some(id.as_str()).filter(|i| *i != "new");
    let id = campaigns::save(&state, &staff, crate::backend::edge::client_ip().as_deref(), existing, &input).await?;
    leptos_axum::redirect(&format!("{}?saved=1", page_of(&id)));
    Ok(())
}

#[server(prefix = "/staff/api")]
pub async fn test_campaign(id: String) -> Result<(), AppError> {
    let (state, staff) = crate::backend::edge::staff(&page_of(&id), StaffRole::Agent).await?;
    crate::backend::staff::campaigns::send_test(&state, &staff, crate::backend::edge::client_ip().as_deref(), &id).await?;
    leptos_axum::redirect(&format!("{}?tested=1", page_of(&id)));
    Ok(())
}

#[server(prefix = "/staff/api")]
pub async fn send_campaign(id: String, expected: i64, digest: String, confirmed: Option<String>) -> Result<(), AppError> {
    let (state, staff) = crate::backend::edge::staff(&page_of(&id), StaffRole::Admin).await?;
    if confirmed.is_none() {
        return Err(AppError::Invalid { fields: vec![("confirmed".into(), text::CAMPAIGN_SEND_CONFIRM_REQUIRED.into())], message: None });
    }
    crate::backend::staff::campaigns::start(&state, &staff, crate::backend::edge::client_ip().as_deref(), &id, expected, &digest).await?;
    leptos_axum::redirect(&format!("{}?started=1", page_of(&id)));
    Ok(())
}

#[server(prefix = "/staff/api")]
pub async fn load_campaign_progress(id: String) -> Result<CampaignProgress, AppError> {
    let (state, _) = crate::backend::edge::staff(&page_of(&id), StaffRole::Agent).await?;
    Ok(crate::backend::staff::campaigns::progress(&state.db, &id).await?)
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let data = Resource::new_blocking(|| param("id"), load_campaign);
    let title = if param("id") == "new" { text::CAMPAIGN_NEW } else { text::CAMPAIGN_VIEW };
    let shown = [("saved", text::CAMPAIGN_SAVED), ("tested", text::CAMPAIGN_TEST_SENT), ("started", text::CAMPAIGN_STARTED)]
        .into_iter()
        .find(|(key, _)| !query(key).is_empty())
        .map(|(_, message)| message);
    view! {
        <StaffPage title data staff=|d: &CampaignData| d.staff.clone() view=move |d: CampaignData| view! {
            {shown.map(|m| view! { <p class="notice" role="status">{m}</p> })}
            {match (d.form.id.clone(), d.form.started.clone()) {
                (Some(id), Some(started)) => view! { <SentCampaign id form=d.form started/> }.into_any(),
                (id, _) => view! {
                    <CampaignEditor form=d.form.clone()/>
                    {id.map(|id| view! { <CampaignSend id form=d.form role=d.staff.role/> })}
                }.into_any(),
            }}
        }.into_any()/>
    }
}

#[component]
fn CampaignEditor(form: CampaignForm) -> impl IntoView {
    let save = ServerAction::<SaveCampaign>::new();
    let error = action_error(save);
    let id = form.id.clone().unwrap_or_else(|| "new".into());
    view! {
        <ActionForm action=save>
            <FormMessage error/>
            <input type="hidden" name="id" value=id/>
            <div class="field">
                <label for="category" class="required">{text::CAMPAIGN_CATEGORY}</label>
                <select id="category" name="category" required aria-describedby="category-hint category-error">
                    <option value="">"―"</option>
                    {MailPreference::ALL.into_iter().map(|c| view! { <option value=c.code() selected=form.category == c.code()>{c.label()}</option> }).collect_view()}
                </select>
                <span class="hint" id="category-hint">{text::CAMPAIGN_CATEGORY_HINT}</span>
                <FieldMessage name="category" error/>
            </div>
            <SubjectAndBody name="subject" label=text::CAMPAIGN_SUBJECT subject=form.subject body_label=text::CAMPAIGN_BODY body=form.body
                body_hint=text::CAMPAIGN_BODY_HINT rows=14 error/>
            <div class="actions"><button type="submit">{text::CAMPAIGN_SAVE}</button></div>
        </ActionForm>
    }
}

/// Below a saved draft: whom it would reach now, the test to oneself, and (管理者) the send.
#[component]
fn CampaignSend(id: String, form: CampaignForm, role: StaffRole) -> impl IntoView {
    let test = ServerAction::<TestCampaign>::new();
    let test_error = action_error(test);
    let send = ServerAction::<SendCampaign>::new();
    let error = action_error(send);
    let test_id = id.clone();
    view! {
        <section class="campaign-send">
            <h2>{text::CAMPAIGN_AUDIENCE}</h2>
            <p data-testid="campaign-audience">
                <strong>{form.addresses}</strong>{text::CAMPAIGN_ADDRESSES}"（"{form.members}{text::MEMBERS_COUNT}"）"
            </p>
            <p class="hint">{text::CAMPAIGN_AUDIENCE_NOTE}</p>
            <ActionForm action=test>
                <FormMessage error=test_error/>
                <input type="hidden" name="id" value=test_id/>
                <div class="actions"><button type="submit" class="secondary">{text::CAMPAIGN_TEST}</button></div>
            </ActionForm>
            {if role == StaffRole::Admin {
                view! {
                    <ActionForm action=send>
                        <FormMessage error/>
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="expected" value=form.addresses.to_string()/>
                        <input type="hidden" name="digest" value=form.digest.clone()/>
                        <div class="field">
                            <label class="check">
                                <input type="checkbox" name="confirmed" value="1" required aria-describedby="confirmed-error"/>
                                {text::CAMPAIGN_SEND_CONFIRM}
                            </label>
                            <FieldMessage name="confirmed" error/>
                        </div>
                        <div class="actions"><button type="submit">{text::CAMPAIGN_SEND}</button></div>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="hint">{text::CAMPAIGN_SEND_ADMIN_ONLY}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn SentCampaign(id: String, form: CampaignForm, started: String) -> impl IntoView {
    let category = MailPreference::from_code(&form.category).map(MailPreference::label).unwrap_or_default();
    view! {
        <dl class="facts">
            <dt>{text::CAMPAIGN_CATEGORY}</dt><dd>{category}</dd>
            <dt>{text::CAMPAIGN_SUBJECT}</dt><dd>{form.subject}</dd>
            <dt>{text::CAMPAIGN_STARTED_AT}</dt><dd>{started}</dd>
            <dt>{text::CAMPAIGN_CREATED_BY}</dt><dd>{form.created_by}</dd>
        </dl>
        <pre class="mail-body">{form.body}</pre>
        <h2>{text::CAMPAIGN_PROGRESS}</h2>
        <ProgressView id initial=form.progress/>
    }
}

/// The counts, asked again every few seconds until every address has its answer.
#[island(lazy)]
fn ProgressView(id: String, initial: CampaignProgress) -> impl IntoView {
    island_hydrated();
    // Asked through a ServerAction: the members' islands already carry its client code.
    let ask = ServerAction::<LoadCampaignProgress>::new();
    let progress = Signal::derive(move || ask.value().get().and_then(Result::ok).unwrap_or(initial));
    Effect::new(move |_| {
        let id = id.clone();
        let poll = move || {
            if !progress.get_untracked().finished() && !ask.pending().get_untracked() {
                ask.dispatch(LoadCampaignProgress { id: id.clone() });
            }
        };
        let _ = set_interval_with_handle(poll, std::time::Duration::from_secs(3));
    });
    let item = move |label: &'static str, testid: &'static str, value: fn(CampaignProgress) -> i64| {
        view! { <li><span>{label}</span><strong data-testid=testid>{move || value(progress.get())}</strong></li> }
    };
    view! {
        <ul class="figures" aria-live="polite">
            {item(text::CAMPAIGN_TOTAL, "campaign-total", |p| p.total)}
            {item(text::CAMPAIGN_WAITING, "campaign-waiting", |p| p.waiting)}
            {item(text::CAMPAIGN_SENT, "campaign-sent", |p| p.sent)}
            {item(text::CAMPAIGN_FAILED, "campaign-failed", |p| p.failed)}
        </ul>
    }
}
