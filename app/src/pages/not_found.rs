use super::error::MessagePage;
use leptos::prelude::*;

pub const TITLE: &str = "ページが見つかりません";
pub const MESSAGE: &str = "お探しのページは見つかりませんでした。URLに誤りがないか、またはページが移動・削除されていないかご確認ください。";

/// 404: answered with status 404, not 200.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <MessagePage title=TITLE message=MESSAGE status=http::StatusCode::NOT_FOUND/> }
}
