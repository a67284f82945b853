//! 加入者検索, 加入者詳細, the confirmation step of every action on a member's account, and
//! 紙通知 (A4 letters with the temporary password, printed by the browser).

use super::{page_param, param, query, Pager, StaffPage};
use crate::api::staff::{Letters, MemberDetail, MemberHit, Paged, StaffView};
use crate::components::{action_error, field_error, island_hydrated, Field, FormMessage};
use crate::domain::MemberAction;
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SearchData {
    pub staff: StaffView,
    pub query: String,
    pub hits: Paged<MemberHit>,
}

#[server(prefix = "/staff/api")]
pub async fn search_members(q: String, page: i64) -> Result<SearchData, AppError> {
    let (state, staff) = crate::backend::edge::staff("/staff/members", crate::domain::StaffRole::Agent).await?;
    use crate::backend::staff::members::{self, Viewer};
    let ip = crate::backend::edge::client_ip();
    let hits = members::search(&state, Viewer { staff: &staff, client_ip: ip.as_deref() }, &q, page).await?;
    Ok(SearchData { staff: staff.view(), query: q, hits })
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (query("q"), page_param()), |(q, page)| search_members(q, page));
    view! {
        <StaffPage title=text::MENU_MEMBERS data staff=|d: &SearchData| d.staff.clone() view=|d: SearchData| {
            let q = d.query.clone();
            view! {
                <form class="search" method="get" action="/staff/members">
                    <label for="q">{text::SEARCH_LABEL}</label>
                    <input id="q" name="q" type="search" value=d.query.clone() aria-describedby="q-hint"/>
                    <button type="submit">{text::SEARCH}</button>
                    <span class="hint" id="q-hint">{text::SEARCH_HINT}</span>
                </form>
                {(!d.query.is_empty()).then(|| if d.hits.rows.is_empty() {
                    view! { <p>{text::NO_HITS}</p> }.into_any()
                } else {
                    view! {
                        <table class="staff-table">
                            <thead><tr>
                                <th scope="col">{text::COL_NUMBER}</th><th scope="col">{text::COL_NAME}</th><th scope="col">{text::COL_KANA}</th>
                                <th scope="col">{text::COL_STATUS}</th><th scope="col">{text::COL_LOGIN_ID}</th><th scope="col">{text::COL_ACCOUNT}</th>
                            </tr></thead>
                            <tbody>
                                {d.hits.rows.into_iter().map(|h| view! {
                                    <tr>
                                        <td><a href=format!("/staff/members/{}/{}", h.kigo, h.bango)>{format!("{}-{}", h.kigo, h.bango)}</a></td>
                                        <td>{h.name}</td><td>{h.name_kana}</td><td>{h.status}</td><td>{h.login_id}</td><td>{h.account_state}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pager page=d.hits.page pages=d.hits.pages total=d.hits.total
                            href=move |p| format!("/staff/members?q={}&page={p}", crate::domain::query_value(&q))/>
                    }.into_any()
                })}
            }.into_any()
        }/>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MemberData {
    pub staff: StaffView,
    pub member: MemberDetail,
}

fn member_path(kigo: &str, bango: &str) -> String {
    format!("/staff/members/{kigo}/{bango}")
}

#[server(prefix = "/staff/api")]
pub async fn load_member(kigo: String, bango: String) -> Result<MemberData, AppError> {
    use crate::domain::{Bango, Kigo};
    let (state, staff) = crate::backend::edge::staff(&member_path(&kigo, &bango), crate::domain::StaffRole::Agent).await?;
    let (Ok(k), Ok(b)) = (Kigo::parse(&kigo), Bango::parse(&bango)) else { return Err(AppError::form(text::NOT_FOUND)) };
    use crate::backend::staff::members::{self, Viewer};
    let ip = crate::backend::edge::client_ip();
    let member = members::detail(&state, Viewer { staff: &staff, client_ip: ip.as_deref() }, &k, &b).await?;
    Ok(MemberData { staff: staff.view(), member })
}

/// The actions that make sense for this member now.
fn actions_for(m: &MemberDetail) -> Vec<MemberAction> {
    let Some(a) = &m.account else {
        return if m.active { vec![MemberAction::TempPassword] } else { Vec::new() };
    };
    let mut list = Vec::new();
    if a.locked {
        list.push(MemberAction::Unlock);
    }
    list.extend([MemberAction::EndSessions, MemberAction::TempPassword, MemberAction::SetEmail1, MemberAction::SendLoginId]);
    list.push(if a.disabled { MemberAction::Enable } else { MemberAction::Disable });
    if a.two_step {
        list.push(MemberAction::TwoStepReset);
    }
    list
}

#[component]
pub fn MemberPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (param("kigo"), param("bango")), |(k, b)| load_member(k, b));
    let done = !query("done").is_empty();
    let requested = !query("requested").is_empty();
    view! {
        <StaffPage title=text::MEMBER_TITLE data staff=|d: &MemberData| d.staff.clone() view=move |d: MemberData| {
            let m = d.member;
            let base = member_path(&m.kigo, &m.bango);
            view! {
                {done.then(|| view! { <p class="notice" role="status">{text::DONE}</p> })}
                {requested.then(|| view! { <p class="notice" role="status">{text::REQUESTED}</p> })}
                <section class="staff-section">
                    <h2>{text::ROSTER}</h2>
                    <dl class="staff-facts">
                        <dt>{text::COL_NUMBER}</dt><dd data-testid="member-number">{format!("{}-{}", m.kigo, m.bango)}</dd>
                        <dt>{text::COL_NAME}</dt><dd>{m.name.clone()}</dd>
                        <dt>{text::COL_KANA}</dt><dd>{m.name_kana.clone()}</dd>
                        <dt>{text::BIRTH_DATE}</dt><dd>{m.birth_date.clone()}</dd>
                        <dt>{text::COL_STATUS}</dt><dd>{m.status.clone()}</dd>
                        <dt>{text::ROSTER_EMAIL}</dt><dd>{m.roster_email.clone().unwrap_or_else(|| text::NOT_SET.into())}</dd>
                    </dl>
                </section>
                <section class="staff-section">
                    <h2>{text::ACCOUNT}</h2>
                    {match m.account.clone() {
                        None => view! { <p data-testid="account-state">{text::STATE_NOT_REGISTERED}</p> }.into_any(),
                        Some(a) => view! {
                            <dl class="staff-facts">
                                <dt>{text::COL_ACCOUNT}</dt><dd data-testid="account-state">{a.states.join("／")}</dd>
                                <dt>{text::COL_LOGIN_ID}</dt><dd>{a.login_id}</dd>
                                <dt>{text::REGISTERED_AT}</dt><dd>{a.registered_at}</dd>
                                {a.emails.into_iter().map(|e| view! {
                                    <dt>{e.label}</dt>
                                    <dd>{e.address.unwrap_or_else(|| text::NOT_SET.into())}{e.pending.map(|p| view! { <br/><span class="hint">{p}</span> })}</dd>
                                }).collect_view()}
                                <dt>{text::PREFERENCES}</dt><dd>{a.preferences.join("、")}</dd>
                            </dl>
                            <h3>{text::SESSIONS}</h3>
                            {if a.sessions.is_empty() {
                                view! { <p>{text::NO_SESSIONS}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="staff-table">
                                        <thead><tr><th scope="col">{text::COL_DEVICE}</th><th scope="col">{text::COL_STARTED}</th><th scope="col">{text::COL_LAST_SEEN}</th><th scope="col">{text::COL_IP}</th></tr></thead>
                                        <tbody>{a.sessions.into_iter().map(|s| view! {
                                            <tr><td>{s.device}</td><td>{s.started}</td><td>{s.last_seen}</td><td>{s.client_ip}</td></tr>
                                        }).collect_view()}</tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any(),
                    }}
                </section>
                <section class="staff-section">
                    <h2>{text::ACTIONS}</h2>
                    <ul class="staff-actions">
                        {actions_for(&m).into_iter().map(|a| view! {
                            <li><a class="button-link secondary" href=format!("{base}/{}", a.code())>{a.label()}</a></li>
                        }).collect_view()}
                    </ul>
                </section>
                <section class="staff-section">
                    <h2>{text::MAILS}</h2>
                    {if m.mails.is_empty() {
                        view! { <p>{text::NO_MAILS}</p> }.into_any()
                    } else {
                        view! {
                            <table class="staff-table">
                                <thead><tr><th scope="col">{text::COL_TIME}</th><th scope="col">{text::COL_TO}</th><th scope="col">{text::COL_SUBJECT}</th><th scope="col">{text::COL_RESULT}</th></tr></thead>
                                <tbody>{m.mails.into_iter().map(|l| view! {
                                    <tr><td>{l.at}</td><td>{l.recipient}</td><td>{l.subject}</td><td>{l.state}</td></tr>
                                }).collect_view()}</tbody>
                            </table>
                        }.into_any()
                    }}
                </section>
                <section class="staff-section">
                    <h2>{text::AUDIT}</h2>
                    <super::audit::AuditTable lines=m.audit show_member=false/>
                </section>
            }.into_any()
        }/>
    }
}

#[server(prefix = "/staff/api")]
pub async fn act_on_member(
    kigo: String,
    bango: String,
    action: String,
    reason: String,
    email: Option<String>,
) -> Result<Option<Letters>, AppError> {
    use crate::backend::edge;
    use crate::backend::staff::members::{self, Outcome};
    use crate::domain::{parse_reason, Bango, Email, Kigo};
    use crate::error::FieldErrors;
    let path = member_path(&kigo, &bango);
    let (state, staff) = edge::staff(&path, crate::domain::StaffRole::Agent).await?;
    let (Ok(k), Ok(b), Some(action)) = (Kigo::parse(&kigo), Bango::parse(&bango), MemberAction::parse(&action)) else {
        return Err(AppError::form(text::NOT_FOUND));
    };
    let mut errors = FieldErrors::default();
    let reason = errors.check("reason", parse_reason(&reason));
    let email = match (action, email) {
        (MemberAction::SetEmail1, e) => errors.check("email", Email::parse(e.as_deref().unwrap_or(""))).map(Some),
        _ => Some(None),
    };
    let (reason, email) = errors.finish((reason, email))?;
    let request = members::ActionRequest { action, reason: &reason, email: email.as_ref() };
    match members::act(&state, &staff, edge::client_ip().as_deref(), (&k, &b), request).await? {
        Outcome::Letters(letters) => Ok(Some(letters)),
        Outcome::Done => {
            leptos_axum::redirect(&format!("{path}?done={}", action.code()));
            Ok(None)
        }
        Outcome::Requested => {
            leptos_axum::redirect(&format!("{path}?requested={}", action.code()));
            Ok(None)
        }
    }
}

/// The confirmation step of an action: what it does, the reason (and the address for
/// メールアドレス1), then 実行する.
#[component]
pub fn MemberActionPage() -> impl IntoView {
    let (kigo, bango) = (param("kigo"), param("bango"));
    let action = MemberAction::parse(&param("action"));
    let data = Resource::new_blocking(|| (param("kigo"), param("bango")), |(k, b)| load_member(k, b));
    let Some(action) = action else { return view! { <crate::pages::not_found::NotFound/> }.into_any() };
    view! {
        <StaffPage title=action.label() data staff=|d: &MemberData| d.staff.clone() view=move |d: MemberData| {
            let back = member_path(&kigo, &bango);
            let registered = d.member.account.as_ref().is_some_and(|a| !a.temporary);
            let approval = action.needs_approval(registered);
            view! {
                <p><strong>{format!("{}-{} {}", d.member.kigo, d.member.bango, d.member.name)}</strong></p>
                <p>{action.explanation()}</p>
                {approval.then(|| view! { <p class="notice">{text::APPROVAL_NOTE}</p> })}
                {if action == MemberAction::TempPassword && !approval {
                    view! { <LetterActionForm kigo=kigo.clone() bango=bango.clone() back=back.clone()/> }.into_any()
                } else {
                    view! { <ActionConfirmForm kigo=kigo.clone() bango=bango.clone() action back=back.clone()/> }.into_any()
                }}
            }.into_any()
        }/>
    }
    .into_any()
}

/// An action without anything to show afterwards: posts (with or without JavaScript) and
/// comes back to the member's page.
#[component]
fn ActionConfirmForm(kigo: String, bango: String, action: MemberAction, back: String) -> impl IntoView {
    let form = ServerAction::<ActOnMember>::new();
    let error = action_error(form);
    let (reason, email) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    view! {
        <ActionForm action=form>
            <FormMessage error/>
            <input type="hidden" name="kigo" value=kigo/>
            <input type="hidden" name="bango" value=bango/>
            <input type="hidden" name="action" value=action.code()/>
            {(action == MemberAction::SetEmail1).then(|| view! {
                <Field label=text::NEW_EMAIL1 name="email" input_type="email" value=email required=true maxlength=254 hint=text::NEW_EMAIL1_HINT
                    server_error=field_error(error, "email")/>
            })}
            <Field label=text::REASON name="reason" value=reason required=true maxlength=200 hint=text::REASON_HINT server_error=field_error(error, "reason")/>
            <div class="actions">
                <button type="submit">{text::CONFIRM}</button>
                <a class="button-link secondary" href=back>{text::CANCEL}</a>
            </div>
        </ActionForm>
    }
}

/// 仮パスワード発行: the letter appears (and prints) right after the answer; the password is in
/// no page that can be opened again.
#[island(lazy)]
fn LetterActionForm(kigo: String, bango: String, back: String) -> impl IntoView {
    island_hydrated();
    let form = ServerAction::<ActOnMember>::new();
    let error = action_error(form);
    let letters = Signal::derive(move || form.value().get().and_then(Result::ok).flatten());
    let reason = RwSignal::new(String::new());
    view! {
        {move || { let (kigo, bango, back) = (kigo.clone(), bango.clone(), back.clone()); match letters.get() {
            Some(l) => view! { <LettersView letters=l/> }.into_any(),
            None => view! {
                <ActionForm action=form>
                    <FormMessage error/>
                    <input type="hidden" name="kigo" value=kigo/>
                    <input type="hidden" name="bango" value=bango/>
                    <input type="hidden" name="action" value=MemberAction::TempPassword.code()/>
                    <Field label=text::REASON name="reason" value=reason required=true maxlength=200 hint=text::REASON_HINT server_error=field_error(error, "reason")/>
                    <div class="actions">
                        <button type="submit" disabled=move || form.pending().get()>{text::CONFIRM}</button>
                        <a class="button-link secondary" href=back>{text::CANCEL}</a>
                    </div>
                </ActionForm>
            }.into_any(),
        }}}
    }
}

/// The letters, one A4 page each (style/main.css `@media print`), and the print button.
#[component]
pub(super) fn LettersView(letters: Letters) -> impl IntoView {
    let count = letters.letters.len();
    let reissued = letters.reissued;
    let (url, qr, contact) = (letters.url.clone(), letters.qr.clone(), letters.contact.clone());
    view! {
        <div class="no-print">
            <p class="notice" role="status">{format!("{count}{}", text::LETTERS_ISSUED)}</p>
            {(!letters.skipped.is_empty()).then(|| view! { <ul class="hint">{letters.skipped.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}</ul> })}
            {(count > 0).then(|| view! {
                <p class="actions"><button type="button" on:click=|_| { let _ = window().print(); }>{text::PRINT}</button></p>
            })}
        </div>
        <div class="letters">
            {letters.letters.into_iter().map(|l| {
                let contact = contact.clone();
                view! {
                    <article class="letter" data-testid="letter">
                        <p class="letter-to">{format!("{}-{}", l.kigo, l.bango)}<br/><strong>{l.name}" "{text::LETTER_TO}</strong></p>
                        <h2>{text::LETTER_TITLE}</h2>
                        <p>{text::LETTER_LEAD}</p>
                        <table class="letter-credentials">
                            <tr><th scope="row">{text::LETTER_URL}</th><td>{url.clone()}</td></tr>
                            <tr><th scope="row">{text::COL_LOGIN_ID}</th><td><code data-testid="letter-login-id">{l.login_id}</code></td></tr>
                            <tr><th scope="row">{text::LETTER_TEMP_PASSWORD}</th><td><code data-testid="letter-password">{l.password}</code></td></tr>
                            <tr><th scope="row">{text::LETTER_EXPIRES}</th><td>{l.expires}</td></tr>
                        </table>
                        <img class="letter-qr" src=qr.clone() alt="ログイン画面のQRコード" width="140" height="140"/>
                        <h3>{text::LETTER_STEPS_TITLE}</h3>
                        <ol>{text::LETTER_STEPS.iter().map(|s| view! { <li>{*s}</li> }).collect_view()}</ol>
                        {reissued.then(|| view! { <p class="letter-reissued">{text::LETTER_REISSUED_NOTE}</p> })}
                        <p class="hint">{text::LETTER_NOTE}</p>
                        <p class="letter-contact">"＜問合先＞"{contact}</p>
                    </article>
                }
            }).collect_view()}
        </div>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LettersPageData {
    pub staff: StaffView,
    /// How many letters 発行 would issue now.
    pub count: usize,
}

#[server(prefix = "/staff/api")]
pub async fn load_letters_page() -> Result<LettersPageData, AppError> {
    use crate::backend::members::temp_credentials::{count, Selection};
    let (state, staff) = crate::backend::edge::staff("/staff/letters", crate::domain::StaffRole::Admin).await?;
    Ok(LettersPageData { staff: staff.view(), count: count(&state.db, &Selection::AllWithoutEmail).await? })
}

/// `expected`: the number of letters the page showed; another number now is refused.
#[server(prefix = "/staff/api")]
pub async fn issue_all_letters(reason: String, expected: usize) -> Result<Letters, AppError> {
    use crate::error::FieldErrors;
    let (state, staff) = crate::backend::edge::staff("/staff/letters", crate::domain::StaffRole::Admin).await?;
    let mut errors = FieldErrors::default();
    let reason = errors.check("reason", crate::domain::parse_reason(&reason));
    let (reason,) = errors.finish((reason,))?;
    Ok(crate::backend::staff::members::letters_for_all_without_email(&state, &staff, &reason, expected).await?)
}

/// 紙通知の一括印刷: every member without an address in one print job.
#[component]
pub fn LettersPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_letters_page());
    view! {
        <StaffPage title=text::LETTERS_TITLE data staff=|d: &LettersPageData| d.staff.clone() view=|d: LettersPageData| view! {
            <p class="no-print">{text::LETTERS_LEAD}</p>
            {if d.count == 0 {
                view! { <p class="no-print">{text::LETTERS_COUNT_NONE}</p> }.into_any()
            } else {
                view! {
                    <p class="no-print">{text::LETTERS_COUNT_LEAD}<strong data-testid="letters-count">{d.count}</strong>{text::LETTERS_COUNT_SUFFIX}</p>
                    <AllLettersForm expected=d.count/>
                }.into_any()
            }}
        }.into_any()/>
    }
}

#[island(lazy)]
fn AllLettersForm(expected: usize) -> impl IntoView {
    island_hydrated();
    let form = ServerAction::<IssueAllLetters>::new();
    let error = action_error(form);
    let letters = Signal::derive(move || form.value().get().and_then(Result::ok));
    let reason = RwSignal::new(String::new());
    view! {
        {move || match letters.get() {
            Some(l) if l.letters.is_empty() => view! { <p class="notice" role="status">{text::LETTERS_NONE}</p> }.into_any(),
            Some(l) => view! { <LettersView letters=l/> }.into_any(),
            None => view! {
                <ActionForm action=form>
                    <FormMessage error/>
                    <input type="hidden" name="expected" value=expected.to_string()/>
                    <Field label=text::REASON name="reason" value=reason required=true maxlength=200 hint=text::REASON_HINT server_error=field_error(error, "reason")/>
                    <div class="actions"><button type="submit" disabled=move || form.pending().get()>{text::LETTERS_ISSUE}</button></div>
                </ActionForm>
            }.into_any(),
        }}
    }
}
