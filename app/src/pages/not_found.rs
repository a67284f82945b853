use leptos::prelude::*;
use leptos_meta::Title;

const TITLE: &str = "ページが見つかりません";
const MESSAGE: &str = "お探しのページは見つかりませんでした。URLに誤りがないか、またはページが移動・削除されていないかご確認ください。";
const BACK: &str = "ログイン画面へ戻る";

/// 404: answered with status 404, not 200.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=TITLE/>
        <section class="card">
            <h1>{TITLE}</h1>
            <p>{MESSAGE}</p>
            <p><a class="button-link" href="/">{BACK}</a></p>
        </section>
    }
}
