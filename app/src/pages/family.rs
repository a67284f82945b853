//! ご家族 (the household as the society has it, read-only, with the way to have it corrected) and
//! 資格情報のお知らせ (the current notice of each person, its PDF alone or for everyone, and every
//! version issued before).

use crate::components::PageError;
use crate::domain::family::{date_label, issued_label, FamilyMember, QualificationNotice};
use crate::error::AppError;
use crate::text::family as text;
use leptos::prelude::*;
use leptos_meta::Title;

/// The PDF (a raw handler of the server crate): the household's current notices, or
/// `?notice=ID` one issued version.
pub const QUALIFICATION_PDF_PATH: &str = "/qualification/pdf";

#[server]
pub async fn load_family() -> Result<Vec<FamilyMember>, AppError> {
    let (state, member) = crate::backend::edge::member("/family").await?;
    Ok(crate::backend::documents::qualification::family(&state.db, &member.account_id).await?)
}

fn or_dash(value: Option<String>) -> String {
    value.as_deref().map(date_label).unwrap_or_else(|| text::NOT_GIVEN.to_string())
}

#[component]
pub fn FamilyPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_family());
    view! {
        <Title text=text::FAMILY_TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(members) => view! {
                    <section class="card family">
                        <h1>{text::FAMILY_TITLE}</h1>
                        <p>{text::FAMILY_LEAD}</p>
                        <ul class="people" data-testid="family">
                            {members.clone().into_iter().map(|m| {
                                let state = match &m.lost_on {
                                    Some(lost) => format!("{}（{}）", text::LOST_ON, date_label(lost)),
                                    None => text::COVERED.to_string(),
                                };
                                view! {
                                    <li class="person" class:lost=m.lost_on.is_some()>
                                        <h2>{m.name.clone()}<span class="relation">{m.relation.clone()}</span></h2>
                                        <dl class="items">
                                            {m.name_kana.clone().map(|k| view! { <dt>{text::ITEM_NAME}"（カナ）"</dt><dd>{k}</dd> })}
                                            <dt>{text::COL_BRANCH}</dt><dd>{m.branch.clone()}</dd>
                                            <dt>{text::COL_BIRTH}</dt><dd>{date_label(&m.birth_date)}</dd>
                                            <dt>{text::COL_ACQUIRED}</dt><dd>{or_dash(m.acquired_on.clone())}</dd>
                                            <dt>{text::COL_STATE}</dt><dd>{state}</dd>
                                        </dl>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {(members.len() <= 1).then(|| view! { <p>{text::FAMILY_NONE}</p> })}
                        <p class="notice">
                            {text::FAMILY_CORRECTIONS}<a href="/inquiry">{text::FAMILY_CORRECTIONS_LINK}</a>{text::FAMILY_CORRECTIONS_END}
                        </p>
                        <p><a href="/qualification">{text::QUALIFICATION_OPEN}</a></p>
                        <p><a href="/home">{crate::text::login::HOME_TITLE}</a></p>
                    </section>
                }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[server]
pub async fn load_qualification() -> Result<Vec<QualificationNotice>, AppError> {
    let (state, member) = crate::backend::edge::member("/qualification").await?;
    Ok(crate::backend::documents::qualification::household(&state.db, &member.account_id).await?)
}

#[component]
pub fn QualificationPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_qualification());
    view! {
        <Title text=text::TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(notices) => {
                    let (current, earlier): (Vec<_>, Vec<_>) = notices.into_iter().partition(|n| n.is_current);
                    view! {
                        <section class="card qualification">
                            <h1>{text::TITLE}</h1>
                            <p>{text::LEAD}</p>
                            <p class="notice" role="note">{text::NOT_A_CARD}</p>
                            {if current.is_empty() {
                                view! { <p data-testid="qualification-none">{text::NONE}</p> }.into_any()
                            } else {
                                view! {
                                    <h2>{text::CURRENT}</h2>
                                    <p class="hint">{text::PDF_HINT}</p>
                                    <p><a class="button-link" href=QUALIFICATION_PDF_PATH data-testid="qualification-pdf-all" download>{text::PDF_ALL}</a></p>
                                    <ul class="people" data-testid="qualification-current">
                                        {current.into_iter().map(|n| view! { <NoticeCard notice=n/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2>{text::HISTORY}</h2>
                            {if earlier.is_empty() {
                                view! { <p>{text::HISTORY_NONE}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="data-table" data-testid="qualification-history">
                                        <thead><tr>
                                            <th scope="col">{text::ITEM_ISSUED}</th><th scope="col">{text::ITEM_NAME}</th>
                                            <th scope="col">{text::ITEM_VERSION}</th><th scope="col">{text::HISTORY_PDF}</th>
                                        </tr></thead>
                                        <tbody>
                                            {earlier.into_iter().map(|n| view! {
                                                <tr>
                                                    <td data-label=text::ITEM_ISSUED>{issued_label(n.issued_at)}</td>
                                                    <td data-label=text::ITEM_NAME>{n.name.clone()}</td>
                                                    <td data-label=text::ITEM_VERSION>{text::version_label(n.version)}</td>
                                                    <td data-label=text::HISTORY_PDF><a href=format!("{QUALIFICATION_PDF_PATH}?notice={}", n.id) download
                                                        aria-label=format!("{} {} {}", n.name, text::version_label(n.version), text::HISTORY_PDF)>{text::HISTORY_PDF}</a></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                            <h2>{text::MYNA_LINK}</h2>
                            <p>{text::MYNA_HOW}</p>
                            <p><a href=text::MYNA_URL rel="noopener" target="_blank">{text::MYNA_LINK}</a></p>
                            <p><a href="/family">{text::FAMILY_OPEN}</a></p>
                            <p><a href="/home">{crate::text::login::HOME_TITLE}</a></p>
                        </section>
                    }.into_any()
                }
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn NoticeCard(notice: QualificationNotice) -> impl IntoView {
    let n = notice;
    let acquired = or_dash(n.acquired_on.clone());
    view! {
        <li class="person">
            <h3>{n.name.clone()}<span class="relation">{n.relation.clone()}</span></h3>
            <dl class="items">
                <dt>{text::ITEM_INSURER_NUMBER}</dt><dd>{n.insurer_number.clone()}</dd>
                <dt>{text::ITEM_INSURER_NAME}</dt><dd>{n.insurer_name.clone()}</dd>
                <dt>{text::ITEM_KIGO}</dt><dd>{n.kigo.clone()}</dd>
                <dt>{text::ITEM_BANGO}</dt><dd>{n.bango.clone()}</dd>
                <dt>{text::ITEM_BRANCH}</dt><dd data-testid="qualification-branch">{n.branch.clone()}</dd>
                <dt>{text::ITEM_BIRTH}</dt><dd>{date_label(&n.birth_date)}</dd>
                <dt>{text::ITEM_ACQUIRED}</dt><dd>{acquired}</dd>
                <dt>{text::ITEM_ISSUED}</dt><dd>{format!("{}（{}）", issued_label(n.issued_at), text::version_label(n.version))}</dd>
            </dl>
            <p><a href=format!("{QUALIFICATION_PDF_PATH}?notice={}", n.id) download
                aria-label=format!("{} {}", n.name, text::PDF_ONE)>{text::PDF_ONE}</a></p>
        </li>
    }
}
