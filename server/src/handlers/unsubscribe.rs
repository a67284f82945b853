//! One-click unsubscribe (RFC 8058): a mail program that shows 配信停止 for a category mail POSTs
//! `List-Unsubscribe=One-Click` to the mail's `List-Unsubscribe` URL, without cookies or a page.
//! A browser opening the same URL gets the page (`UnsubscribePage`) and its button.

use app::backend::mail::campaigns::{self, Unsubscribe};
use app::backend::platform::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub async fn one_click(State(state): State<AppState>, Path(token): Path<String>, request: Request) -> Response {
    let client_ip = request.extensions().get::<app::backend::edge::ClientAddr>().map(|c| c.0.to_string());
    match campaigns::unsubscribe(&state.db, state.clock.now(), client_ip.as_deref(), &token).await {
        Ok(Unsubscribe::Off(_)) => (StatusCode::OK, "unsubscribed").into_response(),
        Ok(Unsubscribe::Unknown) => (StatusCode::NOT_FOUND, "unknown link").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "one-click unsubscribe failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
