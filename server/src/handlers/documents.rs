//! The members' PDFs, behind the member guard, made per request and never stored or cached:
//! 医療費控除用 (`/medical/pdf?year=2026`, `&number=show` prints the 記号・番号 unmasked) and
//! 資格情報のお知らせ (`/qualification/pdf`: the household's current notices, `?notice=ID` one
//! issued version) and 給付金支給決定通知書 (`/benefits/pdf?notice=ID`).

use app::backend::documents::{benefit_pdf, benefits, medical, pdf, qualification, qualification_pdf, statement_pdf};
use app::backend::edge;
use app::backend::platform::{AppState, Config};
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use http::{header, StatusCode};

#[derive(Debug, Default, serde::Deserialize)]
pub struct PdfQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    notice: String,
}

/// The member of the request, or the answer that sends them to log in.
async fn member(state: &AppState, headers: &http::HeaderMap, route: &str) -> Result<app::backend::members::login::SessionMember, Response> {
    match edge::member_of_request(state, headers, route).await {
        Ok(Ok(member)) => Ok(member),
        Ok(Err(target)) => Err((StatusCode::FOUND, [(header::LOCATION, target)]).into_response()),
        Err(e) => Err(internal(&e)),
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Html(app::pages::error::not_found_page_html())).into_response()
}

/// Lays out the PDF off the request threads (font subsetting is CPU work) and sends it.
async fn send<F>(config: &std::sync::Arc<Config>, file_name: &str, render: F) -> Response
where
    F: FnOnce(&pdf::Fonts, &Config) -> Result<Vec<u8>, String> + Send + 'static,
{
    let config = config.clone();
    let rendered = tokio::task::spawn_blocking(move || render(pdf::fonts(&config)?, &config)).await;
    match rendered {
        Ok(Ok(bytes)) => super::download(bytes, "application/pdf", file_name),
        Ok(Err(e)) => internal(&e),
        Err(e) => internal(&e),
    }
}

pub async fn medical(State(state): State<AppState>, Query(q): Query<PdfQuery>, headers: http::HeaderMap) -> Response {
    let route = format!("{}?year={}", app::pages::medical::PDF_PATH, app::domain::query_value(&q.year));
    let member = match member(&state, &headers, &route).await {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    // A year without published lines, or one that is not a year: the same 404.
    let found = match q.year.trim().parse::<i32>() {
        Ok(year) => statement_pdf::for_year(&state, &member.account_id, year, q.number == "show").await,
        Err(_) => Ok(None),
    };
    let statement = match found {
        Ok(Some(s)) => s,
        Ok(None) => return not_found(),
        Err(e) => return internal(&e),
    };
    let file_name = format!("iryohi-{}.pdf", statement.statement.year);
    send(&state.config, &file_name, move |fonts, config| statement_pdf::render(fonts, config, &statement)).await
}

pub async fn qualification(State(state): State<AppState>, Query(q): Query<PdfQuery>, headers: http::HeaderMap) -> Response {
    let path = app::pages::family::QUALIFICATION_PDF_PATH;
    let route = if q.notice.is_empty() { path.to_string() } else { format!("{path}?notice={}", app::domain::query_value(&q.notice)) };
    let member = match member(&state, &headers, &route).await {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    // One version of the household's, or all its current ones; another household's id is the
    // same 404 as an unknown one.
    let found: Result<Vec<app::domain::family::QualificationNotice>, sqlx::Error> = if q.notice.is_empty() {
        qualification::household(&state.db, &member.account_id).await.map(|all| all.into_iter().filter(|n| n.is_current).collect())
    } else {
        qualification::notice(&state.db, &member.account_id, q.notice.trim()).await.map(|n| n.into_iter().collect())
    };
    let notices = match found {
        Ok(n) if n.is_empty() => return not_found(),
        Ok(n) => n,
        Err(e) => return internal(&e),
    };
    let file_name = if q.notice.is_empty() { "shikaku-joho.pdf".to_string() } else { format!("shikaku-joho-{}.pdf", notices[0].branch) };
    send(&state.config, &file_name, move |fonts, config| qualification_pdf::render(fonts, config, &notices)).await
}

/// 給付金支給決定通知書: `/benefits/pdf?notice=決定日-line`, one decision of the household's.
pub async fn benefit(State(state): State<AppState>, Query(q): Query<PdfQuery>, headers: http::HeaderMap) -> Response {
    let route = format!("{}?notice={}", app::pages::benefits::PDF_PATH, app::domain::query_value(&q.notice));
    let member = match member(&state, &headers, &route).await {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    let found = benefits::notice(&state.db, &member.account_id, q.notice.trim()).await;
    let notice = match found {
        Ok(Some(n)) => n,
        Ok(None) => return not_found(),
        Err(e) => return internal(&e),
    };
    let to = match medical::insured(&state.db, &member.account_id).await {
        Ok(Some((insured, kigo, bango))) => benefit_pdf::Addressee { insured, number: app::domain::medical::mask_number(&kigo, &bango) },
        Ok(None) => return not_found(),
        Err(e) => return internal(&e),
    };
    let file_name = format!("kyufu-{}.pdf", notice.id);
    send(&state.config, &file_name, move |fonts, config| benefit_pdf::render(fonts, config, &to, &notice)).await
}

fn internal(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "document PDF failed");
    (StatusCode::INTERNAL_SERVER_ERROR, Html(app::pages::error::error_page_html())).into_response()
}
