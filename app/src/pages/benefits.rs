//! 給付金支給決定通知書: the household's decisions (newest first), each as a notice page and a PDF.

use crate::components::PageError;
use crate::domain::benefit::BenefitNotice;
use crate::domain::family::date_label;
use crate::domain::medical::yen;
use crate::error::AppError;
use crate::text::family as text;
use leptos::prelude::*;
use leptos_meta::Title;

/// The PDF of one decision (a raw handler of the server crate): `?notice=ID`.
pub const PDF_PATH: &str = "/benefits/pdf";

#[server]
pub async fn load_benefits() -> Result<Vec<BenefitNotice>, AppError> {
    let (state, member) = crate::backend::edge::member("/benefits").await?;
    Ok(crate::backend::documents::benefits::household(&state.db, &member.account_id).await?)
}

#[server]
pub async fn load_benefit(id: String) -> Result<Option<BenefitNotice>, AppError> {
    let (state, member) = crate::backend::edge::member(&format!("/benefits/{id}")).await?;
    Ok(crate::backend::documents::benefits::notice(&state.db, &member.account_id, &id).await?)
}

#[component]
pub fn BenefitsPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_benefits());
    view! {
        <Title text=text::BENEFITS_TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(notices) => view! {
                    <section class="card benefits">
                        <h1>{text::BENEFITS_TITLE}</h1>
                        <p>{text::BENEFITS_LEAD}</p>
                        {if notices.is_empty() {
                            view! { <p data-testid="benefits-none">{text::BENEFITS_NONE}</p> }.into_any()
                        } else {
                            view! {
                                <table class="data-table" data-testid="benefits">
                                    <thead><tr>
                                        <th scope="col">{text::BENEFIT_DECIDED}</th><th scope="col">{text::BENEFIT_KIND}</th>
                                        <th scope="col">{text::BENEFIT_TARGET}</th><th scope="col">{text::BENEFIT_PATIENT}</th>
                                        <th scope="col" class="num">{text::BENEFIT_AMOUNT}</th><th scope="col">{text::BENEFIT_DETAIL}</th>
                                    </tr></thead>
                                    <tbody>
                                        {notices.into_iter().map(|n| view! {
                                            <tr>
                                                <td data-label=text::BENEFIT_DECIDED>{date_label(&n.decided_on)}</td>
                                                <td data-label=text::BENEFIT_KIND>{n.kind.label()}</td>
                                                <td data-label=text::BENEFIT_TARGET>{n.target.clone()}</td>
                                                <td data-label=text::BENEFIT_PATIENT>{n.patient.clone()}</td>
                                                <td data-label=text::BENEFIT_AMOUNT class="num">{yen(n.amount)}</td>
                                                <td data-label=text::BENEFIT_DETAIL><a href=format!("/benefits/{}", n.id)
                                                    aria-label=format!("{} {} {}", date_label(&n.decided_on), n.kind.label(), text::BENEFIT_DETAIL)>{text::BENEFIT_DETAIL}</a></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                        <p class="hint">{text::BENEFIT_NOTE_TAX}</p>
                        <p><a href="/home">{crate::text::login::HOME_TITLE}</a></p>
                    </section>
                }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn BenefitPage() -> impl IntoView {
    let id = leptos_router::hooks::use_params_map().read_untracked().get("id").unwrap_or_default();
    let data = Resource::new_blocking(move || id.clone(), load_benefit);
    view! {
        <Title text=text::BENEFITS_TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(Some(n)) => {
                    let pay_on = n.pay_on.as_deref().map(date_label).unwrap_or_else(|| text::BENEFIT_NOTE_NOT_GIVEN.to_string());
                    let dash = |s: &str| if s.is_empty() { text::BENEFIT_NOTE_NOT_GIVEN.to_string() } else { s.to_string() };
                    view! {
                        <article class="card benefits">
                            <h1>{text::BENEFITS_TITLE}</h1>
                            <p>{text::BENEFIT_LEAD_PDF}</p>
                            <dl class="items" data-testid="benefit">
                                <dt>{text::BENEFIT_KIND}</dt><dd>{n.kind.label()}</dd>
                                <dt>{text::BENEFIT_TARGET}</dt><dd>{n.target.clone()}</dd>
                                <dt>{text::BENEFIT_PATIENT}</dt><dd>{n.patient.clone()}</dd>
                                <dt>{text::BENEFIT_FACILITY}</dt><dd>{dash(&n.facility)}</dd>
                                <dt>{text::BENEFIT_DECIDED}</dt><dd>{date_label(&n.decided_on)}</dd>
                                <dt>{text::BENEFIT_AMOUNT}</dt><dd data-testid="benefit-amount">{yen(n.amount)}</dd>
                                <dt>{text::BENEFIT_PAY_ON}</dt><dd>{pay_on}</dd>
                                <dt>{text::BENEFIT_ACCOUNT}</dt><dd>{dash(&n.account)}</dd>
                            </dl>
                            <p class="hint">{text::BENEFIT_NOTE_PAY}</p>
                            <p><a class="button-link" href=format!("{PDF_PATH}?notice={}", n.id) data-testid="benefit-pdf" download>{text::BENEFIT_PDF}</a></p>
                            <p><a href="/benefits">{text::BENEFITS_BACK}</a></p>
                        </article>
                    }.into_any()
                }
                Ok(None) => view! { <super::not_found::NotFound/> }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}
