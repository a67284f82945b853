//! 事前準備 (manual sections 1 and 6): what to prepare before 新規利用登録. Server-rendered only.

use crate::text::{guide as text, login as login_text};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GuidePage() -> impl IntoView {
    let sender = Resource::new_blocking(|| (), |_| super::register::mail_sender());
    view! {
        <Title text=text::TITLE/>
        <section class="card guide">
            <h1>{text::TITLE}</h1>
            <p>{text::LEAD}</p>
            <h2>{text::MAIL_HEADING}</h2>
            <p>{text::MAIL_TEXT}</p>
            <p class="sender-box">
                "通知メールアドレス："
                <Suspense>{move || sender.get().map(|s| view! { <strong class="sender">{s.unwrap_or_default()}</strong> })}</Suspense>
            </p>
            <h2>{text::NUMBER_HEADING}</h2>
            <p>{text::NUMBER_TEXT}</p>
            <ol class="ways">
                {text::NUMBER_WAYS.iter().map(|(what, how)| view! { <li><strong>{*what}</strong><p>{*how}</p></li> }).collect_view()}
            </ol>
            <h3>{text::FORMAT_HEADING}</h3>
            <p>{text::FORMAT_TEXT}</p>
            <h2>{text::RETIREE_HEADING}</h2>
            <p>{text::RETIREE_TEXT}</p>
            <h2>{text::UNSURE_HEADING}</h2>
            <p>{text::UNSURE_TEXT}<a href="/inquiry">{login_text::INQUIRY_LINK}</a>{text::UNSURE_AFTER}</p>
            <ul class="links">
                <li><a href="/register">{text::TO_REGISTER}</a></li>
                <li><a href="/">{text::TO_LOGIN}</a></li>
            </ul>
        </section>
    }
}
