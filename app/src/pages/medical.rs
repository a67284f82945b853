//! 医療費のお知らせ: the household's lines by year and 診療年月, totals per 受診者 and per year,
//! the months covered, the PDF for the 医療費控除 and a print page. The filters are a plain GET
//! form: they work before (and without) the wasm.

use crate::components::PageError;
use crate::domain::medical::{yen, Statement, StatementLine};
use crate::error::AppError;
use crate::text::medical as text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The PDF of a year (a raw handler of the server crate: `?year=2026`, `&number=show`).
pub const PDF_PATH: &str = "/medical/pdf";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MedicalData {
    /// The household's years, newest first.
    pub years: Vec<i32>,
    /// The year shown (`None`: nothing published for the household yet).
    pub year: Option<i32>,
    /// Everyone with lines that year, and the one the page is filtered to ('' = everyone).
    pub patients: Vec<String>,
    pub patient: String,
    pub statement: Option<Statement>,
}

#[server]
pub async fn load_medical(year: String, patient: String) -> Result<MedicalData, AppError> {
    use crate::backend::documents::medical;
    let (state, member) = crate::backend::edge::member("/medical").await?;
    let now = state.clock.now();
    let household = medical::household(&state.db, now, &member.account_id).await?;
    // Only a year the household has lines in: anything else shows the newest.
    let year = year.trim().parse::<i32>().ok().filter(|y| household.years.contains(y)).or(household.years.first().copied());
    let Some(year) = year else {
        return Ok(MedicalData { years: vec![], year: None, patients: vec![], patient: String::new(), statement: None });
    };
    let statement = medical::statement(&state.db, now, &member.account_id, year).await?;
    let patients: Vec<String> = statement.persons.iter().map(|(name, _)| name.clone()).collect();
    let patient = if patients.contains(&patient) { patient } else { String::new() };
    let statement = if patient.is_empty() { statement } else { statement.of_patient(&patient) };
    Ok(MedicalData { years: household.years, year: Some(year), patients, patient, statement: Some(statement) })
}

fn query(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || use_query_map().read().get(name).unwrap_or_default()
}

#[component]
pub fn MedicalPage() -> impl IntoView {
    let (year, patient) = (query("year"), query("patient"));
    let data = Resource::new_blocking(move || (year(), patient()), |(y, p)| load_medical(y, p));
    view! {
        <Title text=text::TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(d) => view! {
                    <section class="card medical">
                        <h1>{text::TITLE}</h1>
                        <p>{text::LEAD}</p>
                        {match (d.year, d.statement) {
                            (Some(year), Some(statement)) => view! {
                                <Filters years=d.years year patients=d.patients patient=d.patient.clone()/>
                                <Covered statement=statement.clone()/>
                                <Downloads year/>
                                <Totals statement=statement.clone()/>
                                <Months statement/>
                            }.into_any(),
                            _ => view! { <p data-testid="medical-none">{text::NONE}</p> }.into_any(),
                        }}
                        <Notes/>
                        <p><a href="/home">{crate::text::login::HOME_TITLE}</a></p>
                    </section>
                }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Filters(years: Vec<i32>, year: i32, patients: Vec<String>, patient: String) -> impl IntoView {
    view! {
        <form method="get" action="/medical" class="filters" role="search">
            <div class="field">
                <label for="year">{text::YEAR}</label>
                <select id="year" name="year">
                    {years.into_iter().map(|y| view! { <option value=y.to_string() selected=y == year>{format!("{y}年")}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="patient">{text::PATIENT}</label>
                <select id="patient" name="patient">
                    <option value="" selected=patient.is_empty()>{text::EVERYONE}</option>
                    {patients.into_iter().map(|p| {
                        let (selected, value) = (p == patient, p.clone());
                        view! { <option value=value selected=selected>{p}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="actions"><button type="submit" class="secondary">{text::SHOW}</button></div>
        </form>
    }
}

#[component]
fn Covered(statement: Statement) -> impl IntoView {
    let words = match statement.covered_label() {
        Some(covered) if statement.incomplete() => format!("{covered}{}{}", text::COVERED, text::COVERED_LATER),
        Some(covered) => format!("{covered}{}", text::COVERED),
        None => text::COVERED_NONE.to_string(),
    };
    view! { <p class="notice" data-testid="medical-covered">{words}</p> }
}

#[component]
fn Downloads(year: i32) -> impl IntoView {
    view! {
        <h2>{text::DOWNLOADS}</h2>
        <p class="hint">{text::PDF_HINT}</p>
        <ul class="links downloads">
            <li><a href=format!("{PDF_PATH}?year={year}") data-testid="medical-pdf" download>{text::PDF}</a></li>
            <li><a href=format!("{PDF_PATH}?year={year}&number=show") download>{text::PDF_WITH_NUMBER}</a></li>
            <li><a href=format!("/medical/print?year={year}")>{text::PRINT}</a></li>
        </ul>
    }
}

#[component]
fn Totals(statement: Statement) -> impl IntoView {
    let total = statement.total;
    view! {
        <h2>{format!("{}年 {}", statement.year, text::TOTALS)}</h2>
        <table class="data-table totals" data-testid="medical-totals">
            <thead><tr>
                <th scope="col">{text::PATIENT}</th><th scope="col" class="num">{text::LINES_COUNT}</th>
                <th scope="col" class="num">{text::COL_TOTAL_COST}</th><th scope="col" class="num">{text::COL_SELF_PAY_SHORT}</th>
            </tr></thead>
            <tbody>
                {statement.persons.into_iter().map(|(name, t)| view! {
                    <tr>
                        <th scope="row">{name}</th>
                        <td class="num" data-label=text::LINES_COUNT>{t.lines}</td>
                        <td class="num" data-label=text::COL_TOTAL_COST>{yen(t.total_cost)}</td>
                        <td class="num" data-label=text::COL_SELF_PAY_SHORT>{yen(t.self_pay)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot><tr>
                <th scope="row">{text::TOTAL}</th>
                <td class="num" data-label=text::LINES_COUNT>{total.lines}</td>
                <td class="num" data-label=text::COL_TOTAL_COST>{yen(total.total_cost)}</td>
                <td class="num" data-label=text::COL_SELF_PAY_SHORT data-testid="medical-year-self-pay">{yen(total.self_pay)}</td>
            </tr></tfoot>
        </table>
    }
}

/// The lines grouped by 診療年月, newest month first.
#[component]
fn Months(statement: Statement) -> impl IntoView {
    let mut months: Vec<(String, Vec<StatementLine>)> = Vec::new();
    for line in statement.lines.into_iter().rev() {
        let label = line.month.label();
        match months.last_mut() {
            Some((m, lines)) if *m == label => lines.push(line),
            _ => months.push((label, vec![line])),
        }
    }
    months.iter_mut().for_each(|(_, lines)| lines.reverse());
    view! {
        {months.into_iter().map(|(month, lines)| view! {
            <h3>{format!("{month}{}", text::MONTH_SUFFIX)}</h3>
            <table class="data-table lines">
                <thead><tr>
                    <th scope="col">{text::PATIENT}</th><th scope="col">{text::COL_FACILITY_SHORT}</th><th scope="col">{text::COL_CATEGORY}</th>
                    <th scope="col" class="num">{text::COL_DAYS}</th><th scope="col" class="num">{text::COL_TOTAL_COST}</th>
                    <th scope="col" class="num">{text::COL_SELF_PAY_SHORT}</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <td data-label=text::PATIENT>{l.patient}</td>
                            <td data-label=text::COL_FACILITY_SHORT>{if l.facility.is_empty() { text::NO_FACILITY.to_string() } else { l.facility }}</td>
                            <td data-label=text::COL_CATEGORY>{l.category.label()}</td>
                            <td class="num" data-label=text::COL_DAYS>{format!("{}{}", l.days, text::DAYS_SUFFIX)}</td>
                            <td class="num" data-label=text::COL_TOTAL_COST>{yen(l.total_cost)}</td>
                            <td class="num" data-label=text::COL_SELF_PAY_SHORT>{yen(l.self_pay)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }).collect_view()}
    }
}

#[component]
fn Notes() -> impl IntoView {
    view! {
        <h2>{text::NOTES}</h2>
        <ul class="notes">
            {[text::NOTE_CLAIMS, text::NOTE_SUBSIDY, text::NOTE_FACILITY, text::NOTE_LATE, text::NOTE_BENEFITS, text::NOTE_PRIVATE]
                .into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
        </ul>
    }
}

/// What the print page shows besides the society (the layout's `SiteInfo`): the statement of a
/// year with whose it is — the PDF's content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PrintData {
    pub insured: String,
    pub number: String,
    pub issued: String,
    pub statement: Statement,
}

/// `None`: a year without lines (or another household's guess), a page not found.
#[server]
pub async fn load_medical_print(year: String) -> Result<Option<PrintData>, AppError> {
    let (state, member) = crate::backend::edge::member("/medical/print").await?;
    let Ok(year) = year.trim().parse::<i32>() else { return Ok(None) };
    let found = crate::backend::documents::statement_pdf::for_year(&state, &member.account_id, year, false).await?;
    Ok(found.map(|f| PrintData { insured: f.insured, number: f.number, issued: f.issued, statement: f.statement }))
}

/// 印刷用ページ: the PDF's content as a page the browser prints (its own print style hides the
/// header and footer of the portal).
#[component]
pub fn MedicalPrintPage() -> impl IntoView {
    let year = query("year");
    let data = Resource::new_blocking(year, load_medical_print);
    let (insurer, contact) = use_context::<crate::api::SiteInfo>().map(|s| (s.society_name, s.society_contact)).unwrap_or_default();
    view! {
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(Some(PrintData { insured, number, issued, statement: s })) => view! {
                    <Title text=text::pdf_title(s.year)/>
                    <article class="card print-statement">
                        <h1>{text::pdf_title(s.year)}</h1>
                        <p>{text::PDF_LEAD}</p>
                        <dl class="items">
                            <dt>{text::ITEM_INSURED}</dt><dd>{insured}</dd>
                            <dt>{text::ITEM_NUMBER}</dt><dd>{number}</dd>
                            <dt>{text::ITEM_INSURER}</dt><dd>{insurer.clone()}</dd>
                            <dt>{text::ITEM_PERIOD}</dt><dd>{s.covered_label().unwrap_or_default()}</dd>
                            <dt>{text::ITEM_ISSUED}</dt><dd>{issued}</dd>
                        </dl>
                        <table class="data-table lines">
                            <thead><tr>
                                <th scope="col">{text::COL_MONTH}</th><th scope="col">{text::COL_PATIENT}</th><th scope="col">{text::COL_FACILITY}</th>
                                <th scope="col" class="num">{text::COL_SELF_PAY}</th>
                            </tr></thead>
                            <tbody>
                                {s.lines.iter().map(|l| view! {
                                    <tr>
                                        <td data-label=text::COL_MONTH>{l.month.label()}</td>
                                        <td data-label=text::COL_PATIENT>{l.patient.clone()}</td>
                                        <td data-label=text::COL_FACILITY>{if l.facility.is_empty() { text::NO_FACILITY.to_string() } else { l.facility.clone() }}</td>
                                        <td class="num" data-label=text::COL_SELF_PAY>{yen(l.self_pay)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot><tr><th scope="row" colspan="3">{text::PDF_TOTAL}</th><td class="num">{yen(s.total.self_pay)}</td></tr></tfoot>
                        </table>
                        <p class="hint">{text::ITEM_CONTACT}{"："}{contact.clone()}</p>
                        <p class="no-print"><a href=format!("/medical?year={}", s.year)>{text::TITLE}</a></p>
                    </article>
                }.into_any(),
                Ok(None) => view! { <super::not_found::NotFound/> }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}
