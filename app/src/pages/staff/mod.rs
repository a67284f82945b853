//! 職員画面 (`/staff`): the society's staff console. Server-rendered pages; forms post without
//! JavaScript (server functions under `/staff/api`, where the `/staff` session cookie goes);
//! islands only where an answer must be shown once (backup codes, letters with passwords).

#[allow(clippy::too_many_arguments)]
pub mod accounts;
#[allow(clippy::too_many_arguments)]
pub mod approvals;
#[allow(clippy::too_many_arguments)]
pub mod audit;
#[allow(clippy::too_many_arguments)]
pub mod benefits;
#[allow(clippy::too_many_arguments)]
pub mod campaigns;
pub mod family;
#[allow(clippy::too_many_arguments)]
pub mod inquiries;
#[allow(clippy::too_many_arguments)]
pub mod login;
pub mod medical;
#[allow(clippy::too_many_arguments)]
pub mod members;
#[allow(clippy::too_many_arguments)]
pub mod notices;
pub mod passkeys;
pub mod roster;

use crate::api::staff::{Dashboard, StaffView};
use crate::components::{PageError, SessionList};
use crate::domain::StaffRole;
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[server(prefix = "/staff/api")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::backend::staff::{figures, inquiries, members, session};
    let (state, staff) = crate::backend::edge::staff("/staff", StaffRole::Agent).await?;
    let token = crate::backend::edge::cookies::STAFF_SESSION.read().unwrap_or_default();
    Ok(Dashboard {
        sessions: session::devices(&state, &staff.id, &token).await?,
        staff: staff.view(),
        open_inquiries: inquiries::open_count(&state.db).await?,
        locked_members: members::locked_count(&state).await?,
        open_approvals: crate::backend::staff::approvals::open_count(&state.db).await?,
        figures: figures::figures(&state.db, state.clock.now()).await?,
    })
}

/// 「ログアウトさせる」 on one of the staff member's own devices (職員ホーム's ログイン中の端末).
#[server(prefix = "/staff/api")]
pub async fn end_staff_device(handle: String) -> Result<(), AppError> {
    use crate::backend::edge;
    let (state, staff) = edge::staff("/staff", StaffRole::Agent).await?;
    crate::backend::staff::session::end_device(&state, edge::client_ip().as_deref(), &staff.id, &handle).await?;
    leptos_axum::redirect("/staff?devices=ended");
    Ok(())
}

/// 「他の端末をすべてログアウト」 of the staff member.
#[server(prefix = "/staff/api")]
pub async fn end_other_staff_devices() -> Result<(), AppError> {
    use crate::backend::edge;
    let (state, staff) = edge::staff("/staff", StaffRole::Agent).await?;
    let token = edge::cookies::STAFF_SESSION.read().unwrap_or_default();
    crate::backend::staff::session::end_other_devices(&state, edge::client_ip().as_deref(), &staff.id, &token).await?;
    leptos_axum::redirect("/staff?devices=others");
    Ok(())
}

#[server(prefix = "/staff/api")]
pub async fn staff_logout() -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::staff::session;
    let state = edge::state()?;
    if let Some(token) = edge::cookies::STAFF_SESSION.read() {
        session::logout(&state, edge::client_ip().as_deref(), &token).await?;
    }
    edge::cookies::STAFF_SESSION.clear(&state);
    leptos_axum::redirect("/staff/login");
    Ok(())
}

/// The console's menu above every staff page (after login): who is logged in, the sections
/// their role may open, and ログアウト.
#[component]
pub fn StaffNav(staff: StaffView) -> impl IntoView {
    let logout = ServerAction::<StaffLogout>::new();
    view! {
        <nav class="staff-nav" aria-label=text::CONSOLE>
            <ul>
                <li><a href="/staff">{text::CONSOLE_HOME}</a></li>
                <li><a href="/staff/members">{text::MENU_MEMBERS}</a></li>
                <li><a href="/staff/inquiries">{text::MENU_INQUIRIES}</a></li>
                <li><a href="/staff/notices">{text::MENU_NOTICES}</a></li>
                <li><a href="/staff/campaigns">{text::MENU_CAMPAIGNS}</a></li>
                <li><a href="/staff/mail-errors">{text::MAIL_ERRORS}</a></li>
                <li><a href="/staff/audit">{text::MENU_AUDIT}</a></li>
                {(staff.role == StaffRole::Admin).then(|| view! {
                    <li><a href="/staff/approvals">{text::MENU_APPROVALS}</a></li>
                    <li><a href="/staff/letters">{text::MENU_LETTERS}</a></li>
                    <li><a href="/staff/roster">{text::MENU_ROSTER}</a></li>
                    <li><a href="/staff/medical">{text::MENU_MEDICAL}</a></li>
                    <li><a href="/staff/family">{text::MENU_FAMILY}</a></li>
                    <li><a href="/staff/benefits">{text::MENU_BENEFITS}</a></li>
                    <li><a href="/staff/staff">{text::MENU_STAFF}</a></li>
                })}
            </ul>
            <div class="staff-who">
                <span>{staff.name}" （"{staff.role.label()}"）"</span>
                <ActionForm action=logout><button type="submit" class="secondary small">{text::LOGOUT}</button></ActionForm>
            </div>
        </nav>
    }
}

/// A staff page: the menu, then the page's content once its data has loaded.
#[component]
pub fn StaffPage<T, F, V>(title: &'static str, data: Resource<Result<T, AppError>>, staff: F, view: V) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(&T) -> StaffView + Send + Sync + Copy + 'static,
    V: Fn(T) -> AnyView + Send + Sync + Clone + 'static,
{
    view! {
        <Title text=title/>
        <Suspense>
            {move || { let view = view.clone(); data.get().map(move |d| match d {
                Ok(d) => view! {
                    <StaffNav staff=staff(&d)/>
                    <div class="staff">
                        <h1>{title}</h1>
                        {view(d)}
                    </div>
                }.into_any(),
                Err(e) => view! { <div class="staff"><PageError error=e/></div> }.into_any(),
            })}}
        </Suspense>
    }
}

/// 前へ / 次へ for a paged list; `href(page)` builds the link (keeping the filters).
#[component]
pub fn Pager(page: i64, pages: i64, total: i64, href: impl Fn(i64) -> String + 'static) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="ページ">
            {(page > 1).then(|| view! { <a href=href(page - 1) rel="prev">{text::PREV}</a> })}
            <span>{format!("{total}{}{page} / {}", text::COUNT_SUFFIX, pages.max(1))}</span>
            {(page < pages).then(|| view! { <a href=href(page + 1) rel="next">{text::NEXT}</a> })}
        </nav>
    }
}

/// 職員ホーム
#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_dashboard());
    view! {
        <StaffPage title=text::CONSOLE_HOME data staff=|d: &Dashboard| d.staff.clone() view=|d: Dashboard| view! {
            <ul class="figures">
                <li><a href="/staff/inquiries?status=open"><span>{text::OPEN_INQUIRIES}</span><strong data-testid="open-inquiries">{d.open_inquiries}</strong>{text::COUNT_SUFFIX}</a></li>
                <li><span>{text::LOCKED_MEMBERS}</span><strong data-testid="locked-members">{d.locked_members}</strong>{text::COUNT_SUFFIX}</li>
                <li><a href="/staff/approvals"><span>{text::MENU_APPROVALS}</span><strong data-testid="open-approvals">{d.open_approvals}</strong>{text::COUNT_SUFFIX}</a></li>
            </ul>
            <form class="search" method="get" action="/staff/members">
                <label for="q">{text::MENU_MEMBERS}</label>
                <input id="q" name="q" type="search" aria-describedby="q-hint"/>
                <button type="submit">{text::SEARCH}</button>
                <span class="hint" id="q-hint">{text::SEARCH_HINT}</span>
            </form>
            <FiguresView figures=d.figures/>
            {devices_message().map(|m| view! { <p class="notice" role="status">{m}</p> })}
            <SessionList sessions=d.sessions lead=text::SESSIONS_LEAD end_one=EndStaffDevice::url() end_others=EndOtherStaffDevices::url()/>
            <p><a href="/staff/passkeys">{crate::text::passkey::STAFF_LINK}</a></p>
        }.into_any()/>
    }
}

/// What the last 「ログアウトさせる」 did (the server redirected back with `?devices=`).
fn devices_message() -> Option<&'static str> {
    match query("devices").as_str() {
        "ended" => Some(crate::text::settings::SESSION_ENDED),
        "others" => Some(crate::text::settings::OTHERS_ENDED),
        _ => None,
    }
}

/// 利用状況 by 区分, registrations per week (a bar chart drawn on the server) and the mail.
#[component]
fn FiguresView(figures: crate::api::staff::Figures) -> impl IntoView {
    let max = figures.weekly.iter().map(|w| w.1).max().unwrap_or(0).max(1);
    // The bars stand on a baseline `top + height` down; the room above the tallest is for its figure.
    let (bar, gap, height, top) = (36i64, 12i64, 120i64, 18i64);
    let width = figures.weekly.len() as i64 * (bar + gap);
    let chart_label = figures.weekly.iter().map(|(week, n)| format!("{week}週 {n}件")).collect::<Vec<_>>().join("、");
    view! {
        <section class="staff-section">
            <h2>{text::FIGURES_USE}</h2>
            <table class="staff-table figures-table">
                <thead><tr><th scope="col">{text::COL_STATUS}</th><th scope="col">{text::FIGURES_REGISTERED}</th><th scope="col">{text::FIGURES_ELIGIBLE}</th><th scope="col">{text::FIGURES_RATE}</th></tr></thead>
                <tbody>{figures.by_status.into_iter().map(|(label, registered, eligible)| view! {
                    <tr>
                        <td>{label}</td><td>{registered}</td><td>{eligible}</td>
                        <td>{if eligible > 0 { format!("{:.1}%", registered as f64 * 100.0 / eligible as f64) } else { "—".into() }}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
            <h3>{text::FIGURES_WEEKLY}</h3>
            <svg class="chart" viewBox=format!("0 0 {width} {}", top + height + 24) width=width height=top + height + 24 role="img" aria-label=format!("{}：{chart_label}", text::FIGURES_WEEKLY)>
                {figures.weekly.into_iter().enumerate().map(|(i, (week, n))| {
                    let h = n * height / max;
                    let x = i as i64 * (bar + gap);
                    view! {
                        <g>
                            <rect x=x y=top + height - h width=bar height=h class="bar"/>
                            <text x=x + bar / 2 y=top + height - h - 4 text-anchor="middle" class="value">{n}</text>
                            <text x=x + bar / 2 y=top + height + 16 text-anchor="middle" class="label">{week}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <h2>{text::FIGURES_MAIL}</h2>
            <ul class="figures">
                <li><span>{text::FIGURES_WAITING}</span><strong data-testid="outbox-waiting">{figures.outbox_waiting}</strong>{text::COUNT_SUFFIX}
                    {figures.oldest_waiting.map(|at| view! { <br/><span class="hint">{format!("{}{at}", text::FIGURES_OLDEST)}</span> })}</li>
                <li><a href="/staff/mail-errors"><span>{text::FIGURES_FAILED}</span><strong data-testid="failed-this-week">{figures.failed_this_week}</strong>{text::COUNT_SUFFIX}</a></li>
            </ul>
        </section>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MailErrorsData {
    pub staff: StaffView,
    pub mails: Vec<crate::api::staff::FailedMailLine>,
}

#[server(prefix = "/staff/api")]
pub async fn load_mail_errors() -> Result<MailErrorsData, AppError> {
    let (state, staff) = crate::backend::edge::staff("/staff/mail-errors", StaffRole::Agent).await?;
    Ok(MailErrorsData { staff: staff.view(), mails: crate::backend::staff::mail_errors::failed_mails(&state.db).await? })
}

#[server(prefix = "/staff/api")]
pub async fn resend_mail(id: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::staff::mail_errors;
    let (state, staff) = edge::staff("/staff/mail-errors", StaffRole::Agent).await?;
    mail_errors::resend(&state, &staff, edge::client_ip().as_deref(), &id).await?;
    leptos_axum::redirect("/staff/mail-errors?resent=1");
    Ok(())
}

/// 送信エラー: mails given up after their last attempt, with the SMTP server's last answer and
/// 再送 (once per mail).
#[component]
pub fn MailErrorsPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_mail_errors());
    let resent = !query("resent").is_empty();
    // One action for every row: its refusal (already resent...) shows once, above the list.
    let resend = ServerAction::<ResendMail>::new();
    let error = crate::components::action_error(resend);
    view! {
        <StaffPage title=text::MAIL_ERRORS data staff=|d: &MailErrorsData| d.staff.clone() view=move |d: MailErrorsData| view! {
            {resent.then(|| view! { <p class="notice" role="status">{text::RESEND_DONE}</p> })}
            <crate::components::FormMessage error/>
            <p>{text::MAIL_ERRORS_LEAD}</p>
            {if d.mails.is_empty() {
                view! { <p>{text::MAIL_ERRORS_NONE}</p> }.into_any()
            } else {
                view! {
                    <table class="staff-table">
                        <thead><tr>
                            <th scope="col">{text::COL_TIME}</th><th scope="col">{text::COL_TO}</th><th scope="col">{text::COL_SUBJECT}</th>
                            <th scope="col">{text::MAIL_ERRORS_ANSWER}</th><th scope="col">{text::COL_MEMBER}</th><th scope="col">{text::RESEND}</th>
                        </tr></thead>
                        <tbody>{d.mails.into_iter().map(|m| view! {
                            <tr>
                                <td>{m.failed_at}</td><td>{m.recipient}</td><td>{m.subject}</td>
                                <td>{format!("{}（{}回）", m.last_error.unwrap_or_default(), m.attempts)}</td>
                                <td>{m.member.map(|(k, b)| view! { <a href=format!("/staff/members/{k}/{b}")>{format!("{k}-{b}")}</a> })}</td>
                                <td>{match m.resent {
                                    Some(at) => format!("{}（{at}）", text::RESENT).into_any(),
                                    None => view! {
                                        <ActionForm action=resend>
                                            <input type="hidden" name="id" value=m.id/>
                                            <button type="submit" class="secondary small">{text::RESEND}</button>
                                        </ActionForm>
                                    }.into_any(),
                                }}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        }.into_any()/>
    }
}

/// 件名 and 本文 of a text staff write (a notice, a category mail), each with its error.
#[component]
pub fn SubjectAndBody(
    /// The subject field's name (and id).
    name: &'static str,
    label: &'static str,
    subject: String,
    body_label: &'static str,
    body: String,
    body_hint: &'static str,
    rows: u32,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    use crate::domain::{NOTICE_BODY_MAX, NOTICE_TITLE_MAX};
    view! {
        <div class="field">
            <label for=name class="required">{label}</label>
            <input id=name name=name type="text" value=subject maxlength=NOTICE_TITLE_MAX required aria-describedby=format!("{name}-error")/>
            <FieldMessage name error/>
        </div>
        <div class="field">
            <label for="body" class="required">{body_label}</label>
            <textarea id="body" name="body" rows=rows maxlength=NOTICE_BODY_MAX required aria-describedby="body-hint body-error">{body}</textarea>
            <span class="hint" id="body-hint">{body_hint}</span>
            <FieldMessage name="body" error/>
        </div>
    }
}

/// A field's error under it (id `NAME-error`, announced when it appears).
#[component]
pub fn FieldMessage(name: &'static str, error: Signal<Option<AppError>>) -> impl IntoView {
    view! { <p class="field-error" id=format!("{name}-error") role="alert">{move || crate::components::field_error(error, name).get()}</p> }
}

/// The `:name` parameter of the route.
pub fn param(name: &'static str) -> String {
    leptos_router::hooks::use_params_map().read_untracked().get(name).unwrap_or_default()
}

/// The `name` query value of the page's URL.
pub fn query(name: &'static str) -> String {
    leptos_router::hooks::use_query_map().read_untracked().get(name).unwrap_or_default()
}

/// `?page=` as a number (1 when absent or garbled).
pub fn page_param() -> i64 {
    query("page").parse().unwrap_or(1).max(1)
}

/// The part of an uploaded file's preview (名簿アップロード, 医療費データ取込) that comes before its
/// figures: that it was applied, or its errors by line — each with the way back to the upload
/// page. `None`: neither, the figures and the apply button follow.
pub fn upload_outcome(
    applied: Option<String>,
    applied_words: &'static str,
    errors: Vec<String>,
    errors_words: &'static str,
    back: (&'static str, &'static str),
) -> Option<AnyView> {
    let back = view! { <p><a class="button-link" href=back.0>{back.1}</a></p> };
    if let Some(a) = applied {
        return Some(view! { <p class="notice" role="status" data-testid="applied">{applied_words}{a}</p>{back} }.into_any());
    }
    (!errors.is_empty()).then(|| {
        view! {
            <div class="form-error" role="alert">{errors_words}</div>
            <ul class="roster-errors" data-testid="upload-errors">{errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
            {back}
        }
        .into_any()
    })
}
