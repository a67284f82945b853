//! ウェブアクセシビリティ方針 (`/accessibility`): the policy, the target level and the results
//! of the last full browser run's axe checks (`content/accessibility-check.json`, written by
//! `end2end/axe-report.ts` — the list of pages is the test run's, not typed by hand).

use crate::components::PageError;
use crate::error::AppError;
use crate::text::accessibility as text;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// What the last full browser run checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// YYYY-MM-DD (Japan).
    pub checked_on: String,
    pub tool: String,
    pub checks: u32,
    pub violations: u32,
    pub serious: u32,
    pub pages: Vec<CheckedPage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedPage {
    /// The address, ids as `:id`.
    pub path: String,
    pub title: String,
    /// The Playwright projects: `desktop`, `phone`.
    pub viewports: Vec<String>,
    pub checks: u32,
    pub violations: u32,
    pub serious: u32,
}

/// The report this build carries (committed with the code it describes).
#[cfg(feature = "ssr")]
pub fn report() -> Option<CheckReport> {
    serde_json::from_str(include_str!("../../../content/accessibility-check.json")).ok()
}

#[server]
pub async fn load_accessibility() -> Result<Option<CheckReport>, AppError> {
    Ok(report())
}

fn viewport(project: &str) -> &str {
    match project {
        "desktop" => text::DESKTOP,
        "phone" => text::PHONE,
        other => other,
    }
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_accessibility());
    view! {
        <Title text=text::TITLE/>
        <article class="card document">
            <h1>{text::TITLE}</h1>
            <p>{text::POLICY}</p>
            <h2>{text::SCOPE_TITLE}</h2>
            <p>{text::SCOPE}</p>
            <h2>{text::TARGET_TITLE}</h2>
            <p>{text::TARGET}</p>
            <h2>{text::RESULT_TITLE}</h2>
            <h3>{text::METHOD_TITLE}</h3>
            <p>{text::METHOD}</p>
            <Suspense>
                {move || data.get().map(|d| match d {
                    Ok(Some(r)) => view! { <Results report=r/> }.into_any(),
                    Ok(None) => view! { <p>{text::NOT_YET}</p> }.into_any(),
                    Err(e) => view! { <PageError error=e/> }.into_any(),
                })}
            </Suspense>
            <h3>{text::MANUAL_TITLE}</h3>
            <ul>{text::MANUAL.iter().map(|line| view! { <li>{*line}</li> }).collect_view()}</ul>
            <h2>{text::LIMITS_TITLE}</h2>
            <ul>{text::LIMITS.iter().map(|line| view! { <li>{*line}</li> }).collect_view()}</ul>
            <h2>{text::REPORT_TITLE}</h2>
            <p>{text::REPORT_BEFORE}<a href="/inquiry">{text::REPORT_LINK}</a>{text::REPORT_AFTER}</p>
        </article>
    }
}

#[component]
fn Results(report: CheckReport) -> impl IntoView {
    view! {
        <dl class="items" data-testid="accessibility-summary">
            <dt>{text::CHECKED_ON}</dt><dd>{crate::domain::family::date_label(&report.checked_on)}</dd>
            <dt>{text::TOOL}</dt><dd>{report.tool}</dd>
            <dt>{text::PAGES}</dt><dd>{report.pages.len()}</dd>
            <dt>{text::CHECKS}</dt><dd>{report.checks}</dd>
            <dt>{text::VIOLATIONS}</dt><dd>{report.violations}"件（"{text::SERIOUS}" "{report.serious}"件）"</dd>
        </dl>
        <table class="data-table">
            <caption>{text::TABLE_CAPTION}</caption>
            <thead><tr>
                <th scope="col">{text::COL_PAGE}</th><th scope="col">{text::COL_PATH}</th><th scope="col">{text::COL_VIEWPORTS}</th>
                <th scope="col">{text::COL_CHECKS}</th><th scope="col">{text::COL_VIOLATIONS}</th>
            </tr></thead>
            <tbody>
                {report.pages.into_iter().map(|p| view! {
                    <tr>
                        <td data-label=text::COL_PAGE>{p.title.split('｜').next().unwrap_or_default().to_string()}</td>
                        <td data-label=text::COL_PATH><code>{p.path}</code></td>
                        <td data-label=text::COL_VIEWPORTS>{p.viewports.iter().map(|v| viewport(v).to_string()).collect::<Vec<_>>().join("・")}</td>
                        <td data-label=text::COL_CHECKS>{p.checks}</td>
                        <td data-label=text::COL_VIOLATIONS>{p.violations}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn the_committed_report_reads_and_lists_the_pages_checked() {
        let r = super::report().expect("content/accessibility-check.json is a report");
        assert!(!r.pages.is_empty() && r.checks as usize >= r.pages.len(), "{r:?}");
        assert_eq!(r.checks, r.pages.iter().map(|p| p.checks).sum::<u32>());
    }
}
