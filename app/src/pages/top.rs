use leptos::prelude::*;
use leptos_meta::Title;

/// The start page until the login screen exists.
#[component]
pub fn TopPage() -> impl IntoView {
    view! {
        <Title text=""/>
        <section class="card">
            <h1>"健康マイポータル"</h1>
            <p>"健康保険組合からのお知らせや、各種通知を受け取るための被保険者向けサイトです。"</p>
        </section>
    }
}
