use leptos::prelude::*;
use leptos_meta::Title;

pub const TITLE: &str = "エラーが発生しました";
pub const MESSAGE: &str = "ただいま処理を完了できませんでした。しばらく時間をおいてから、もう一度お試しください。入力中の内容は保存されていません。";
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

/// The same page as plain HTML, for failures outside the app (a panic in a handler).
pub fn error_page_html() -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{TITLE}</title><link rel=\"stylesheet\" href=\"/pkg/portal.css\"></head><body><main class=\"page\"><section class=\"card\"><h1>{TITLE}</h1><p>{MESSAGE}</p><p><a class=\"button-link\" href=\"/\">{BACK}</a></p></section></main></body></html>"
    )
}
