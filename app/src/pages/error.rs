use leptos::prelude::*;
use leptos_meta::Title;

pub const TITLE: &str = "エラーが発生しました";
pub const MESSAGE: &str =
    "ただいま処理を完了できませんでした。しばらく時間をおいてから、もう一度お試しください。入力中の内容は保存されていません。";
const BACK: &str = "ログイン画面へ戻る";

/// A page that only says something (404, errors), with the right status and a way back.
#[component]
pub fn MessagePage(title: &'static str, message: &'static str, status: http::StatusCode) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
    view! {
        <Title text=title/>
        <section class="card">
            <h1>{title}</h1>
            <p>{message}</p>
            <p><a class="button-link" href="/">{BACK}</a></p>
        </section>
    }
}

/// Shown when a page cannot be rendered (database down, unexpected error).
/// Says nothing about the cause: details go to the operator's log.
#[component]
pub fn ErrorPage() -> impl IntoView {
    view! { <MessagePage title=TITLE message=MESSAGE status=http::StatusCode::INTERNAL_SERVER_ERROR/> }
}

pub const TOO_LARGE_TITLE: &str = "送信できませんでした";
pub const TOO_LARGE_MESSAGE: &str =
    "送信された内容が大きすぎるため、受け付けられませんでした。入力内容を短くして、もう一度お試しください。";

/// A message page as plain HTML, for answers outside the app (a panic in a handler, a body
/// over the limit).
fn message_page_html(title: &str, message: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/portal.css\"></head><body><main class=\"page\"><section class=\"card\"><h1>{title}</h1><p>{message}</p><p><a class=\"button-link\" href=\"/\">{BACK}</a></p></section></main></body></html>"
    )
}

/// The error page as plain HTML (a panic in a handler).
pub fn error_page_html() -> String {
    message_page_html(TITLE, MESSAGE)
}

/// 404 outside the app's router (a staff path from outside `STAFF_ALLOWED_NETWORKS`).
pub fn not_found_page_html() -> String {
    message_page_html(super::not_found::TITLE, super::not_found::MESSAGE)
}

/// 413: a form or server-function body over the limit.
pub fn too_large_page_html() -> String {
    message_page_html(TOO_LARGE_TITLE, TOO_LARGE_MESSAGE)
}
