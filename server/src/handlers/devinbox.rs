//! The local dev inbox at /dev/inbox: mails the portal "sent" when no SMTP server
//! is configured. Mounted only when the server is on loopback without SMTP_URL.

use app::backend::platform::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::StatusCode;

pub fn routes() -> Router<AppState> {
    Router::new().route("/dev/inbox", get(list)).route("/dev/inbox/{id}", get(show))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Links in mail bodies become clickable, everything else is escaped.
fn linkify(body: &str) -> String {
    body.split('\n')
        .map(|line| {
            escape(line)
                .split(' ')
                .map(
                    |w| {
                        if w.starts_with("http://") || w.starts_with("https://") {
                            format!("<a href=\"{w}\">{w}</a>")
                        } else {
                            w.to_string()
                        }
                    },
                )
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn page(title: &str, body: String) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}｜開発用受信箱</title><link rel=\"stylesheet\" href=\"/pkg/portal.css\"></head><body><main class=\"page\"><section class=\"card dev-inbox\"><p class=\"notice\">開発用の受信箱です（SMTP_URL 未設定・ローカル起動時のみ）。</p><h1>{t}</h1>{body}</section></main></body></html>",
        t = escape(title)
    ))
}

async fn list(State(state): State<AppState>) -> Response {
    let rows: Result<Vec<(String, String, String, i64)>, _> =
        sqlx::query_as("SELECT id, recipient, subject, received_at FROM dev_inbox ORDER BY received_at DESC, id LIMIT 200")
            .fetch_all(&state.db)
            .await;
    match rows {
        Ok(rows) if rows.is_empty() => page("受信箱", "<p>メールはまだありません。</p>".into()).into_response(),
        Ok(rows) => {
            let items: String = rows
                .iter()
                .map(|(id, to, subject, at)| {
                    let when = chrono::DateTime::from_timestamp(at + 9 * 3600, 0)
                        .map(|t| t.format("%Y/%m/%d %H:%M:%S").to_string())
                        .unwrap_or_default();
                    format!("<li><a href=\"/dev/inbox/{id}\">{}</a><br><small>宛先: {} ／ {when}</small></li>", escape(subject), escape(to))
                })
                .collect();
            page("受信箱", format!("<ul class=\"inbox\">{items}</ul>")).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "dev inbox");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn show(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let row: Result<Option<(String, String, String)>, _> =
        sqlx::query_as("SELECT recipient, subject, body FROM dev_inbox WHERE id = $1").bind(&id).fetch_optional(&state.db).await;
    match row {
        Ok(Some((to, subject, body))) => page(
            &subject,
            format!(
                "<p>宛先: {}</p><pre class=\"mail-body\">{}</pre><p><a href=\"/dev/inbox\">受信箱へ戻る</a></p>",
                escape(&to),
                linkify(&body)
            ),
        )
        .into_response(),
        Ok(None) => {
            (StatusCode::NOT_FOUND, page("メールが見つかりません", "<p><a href=\"/dev/inbox\">受信箱へ戻る</a></p>".into())).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "dev inbox");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn links_are_clickable_and_html_is_escaped() {
        assert_eq!(
            linkify("<b>x</b>\nhttp://a/b?c=1&d=2"),
            "&lt;b&gt;x&lt;/b&gt;\n<a href=\"http://a/b?c=1&amp;d=2\">http://a/b?c=1&amp;d=2</a>"
        );
    }
}
