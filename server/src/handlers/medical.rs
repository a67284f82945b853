//! 医療費控除用（PDF）: `/medical/pdf?year=2026` (`&number=show` prints the 記号・番号 unmasked),
//! behind the member guard, made per request and never stored or cached.

use app::backend::documents::statement_pdf;
use app::backend::edge;
use app::backend::platform::AppState;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use http::{header, StatusCode};

#[derive(Debug, Default, serde::Deserialize)]
pub struct PdfQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    number: String,
}

pub async fn pdf(State(state): State<AppState>, Query(q): Query<PdfQuery>, headers: http::HeaderMap) -> Response {
    let route = format!("{}?year={}", app::pages::medical::PDF_PATH, app::domain::query_value(&q.year));
    let member = match edge::member_of_request(&state, &headers, &route).await {
        Ok(Ok(member)) => member,
        Ok(Err(target)) => return (StatusCode::FOUND, [(header::LOCATION, target)]).into_response(),
        Err(e) => return internal(&e),
    };
    // A year without published lines, or one that is not a year: the same 404.
    let found = match q.year.trim().parse::<i32>() {
        Ok(year) => statement_pdf::for_year(&state, &member.account_id, year, q.number == "show").await,
        Err(_) => Ok(None),
    };
    let statement = match found {
        Ok(Some(s)) => s,
        Ok(None) => return (StatusCode::NOT_FOUND, Html(app::pages::error::not_found_page_html())).into_response(),
        Err(e) => return internal(&e),
    };
    let year = statement.statement.year;
    let config = state.config.clone();
    // Laying out and subsetting the font is CPU work: off the request threads.
    let rendered = tokio::task::spawn_blocking(move || {
        let fonts = statement_pdf::fonts(&config)?;
        statement_pdf::render(fonts, &config, &statement)
    })
    .await;
    let bytes = match rendered {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => return internal(&e),
        Err(e) => return internal(&e),
    };
    super::download(bytes, "application/pdf", &format!("iryohi-{year}.pdf"))
}

fn internal(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "medical PDF failed");
    (StatusCode::INTERNAL_SERVER_ERROR, Html(app::pages::error::error_page_html())).into_response()
}
