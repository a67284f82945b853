//! 認証文字: the image field, the field shown only past a client's limit, and their server functions.

use super::*;
use crate::api::CaptchaView;
use crate::error::AppError;
use leptos::prelude::*;

/// A fresh CAPTCHA (「画像を変更」 after hydration).
#[server]
pub async fn new_captcha() -> Result<CaptchaView, AppError> {
    let state = crate::backend::edge::state()?;
    Ok(crate::backend::identity::captcha::create(&state, crate::backend::edge::client_ip().as_deref()).await?)
}

/// The CAPTCHA a public form (`login`, `register`, `forgot`) shows this client, once the
/// client has passed the form's limit (see `backend::challenge`).
#[server]
pub async fn client_captcha(form: String) -> Result<Option<CaptchaView>, AppError> {
    use crate::backend::edge;
    use crate::backend::identity::challenge;
    let state = edge::state()?;
    let form = challenge::Form::parse(&form).ok_or(AppError::Internal)?;
    Ok(challenge::captcha_if_needed(&state, form, edge::client_ip().as_deref()).await?)
}

/// The 認証文字 of a form that asks for it only past a per-client limit: shown from the start
/// when the page says so (`initial`), or as soon as the server asks for it (a `captcha` field
/// error), with an image fetched then.
#[component]
pub fn ChallengeField(
    initial: Option<CaptchaView>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] renew: Signal<usize>,
) -> impl IntoView {
    let shown = RwSignal::new(initial);
    let server_error = field_error(error, "captcha");
    let fetch = Action::new(|_: &()| new_captcha());
    Effect::new(move |_| {
        if server_error.get().is_some() && shown.with_untracked(Option::is_none) && !fetch.pending().get_untracked() {
            fetch.dispatch(());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(c)) = fetch.value().get() {
            if shown.with_untracked(Option::is_none) {
                shown.set(Some(c));
            }
        }
    });
    move || shown.get().map(|c| view! { <CaptchaField initial=c server_error renew/> })
}

/// 認証文字: the image, its one-time id, the answer field and 「画像を変更」.
/// Without JavaScript 「画像を変更」 is a link that reloads the page with a new image.
#[component]
pub fn CaptchaField(
    initial: CaptchaView,
    #[prop(into)] server_error: Signal<Option<String>>,
    /// Bumped by the form after each submit: a CAPTCHA is spent once checked.
    #[prop(into)]
    renew: Signal<usize>,
) -> impl IntoView {
    let captcha = RwSignal::new(initial);
    let answer = RwSignal::new(String::new());
    let refresh = Action::new(|_: &()| new_captcha());
    Effect::new(move |_| {
        if let Some(Ok(c)) = refresh.value().get() {
            captcha.set(c);
            answer.set(String::new());
        }
    });
    Effect::new(move |prev: Option<usize>| {
        let n = renew.get();
        if prev.is_some_and(|p| p != n) {
            refresh.dispatch(());
        }
        n
    });
    // The non-visual alternative: once chosen, every new CAPTCHA of this form is proved anew.
    let alternative = RwSignal::new(false);
    let proof = RwSignal::new(None::<String>);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    Effect::new(move |_| {
        let id = captcha.with(|c| c.id.clone());
        proof.set(None);
        if alternative.get_untracked() {
            prove(id, 0, captcha, proof);
        }
    });
    use crate::text::registration as text;
    view! {
        <Show
            when=move || proof.with(Option::is_none)
            fallback=move || view! { <input type="hidden" name="captcha" prop:value=move || proof.get().unwrap_or_default()/> }
        >
            <Field label=text::CAPTCHA name="captcha" value=answer server_error required=true hint=text::CAPTCHA_HINT autocomplete="off">
                <div class="captcha">
                    <img src=move || captcha.get().image alt=text::CAPTCHA width="200" height="70"/>
                    <a
                        class="captcha-refresh"
                        href="?captcha=new"
                        on:click=move |ev| {
                            ev.prevent_default();
                            refresh.dispatch(());
                        }
                    >
                        {text::CAPTCHA_REFRESH}
                    </a>
                </div>
            </Field>
        </Show>
        {move || hydrated.get().then(|| view! {
            <div class="captcha-alternative">
                <button type="button" class="secondary" disabled=move || alternative.get()
                    on:click=move |_| {
                        alternative.set(true);
                        prove(captcha.with_untracked(|c| c.id.clone()), 0, captcha, proof);
                    }>
                    {text::CAPTCHA_ALTERNATIVE}
                </button>
                <p class="hint" role="status">
                    {move || match (alternative.get(), proof.with(Option::is_some)) {
                        (true, true) => text::CAPTCHA_PROVED,
                        (true, false) => text::CAPTCHA_PROVING,
                        _ => "",
                    }}
                </p>
            </div>
        })}
        <input type="hidden" name="captcha_id" prop:value=move || captcha.get().id value=captcha.get_untracked().id/>
    }
}

/// Nonces tried per slice between two turns of the browser's event loop.
const SLICE: u64 = 20_000;

/// One slice of the search, in a chunk of its own loaded on the first click: the hashing code
/// stays out of the wasm every page loads.
#[lazy]
fn search_slice(id: String, from: u64) -> Option<u64> {
    crate::domain::proof::search(&id, from, SLICE, crate::domain::proof::BITS)
}

/// Searches the proof for `id` a slice at a time (the page stays responsive on an old phone);
/// stops when the form has moved on to another CAPTCHA.
fn prove(id: String, from: u64, captcha: RwSignal<CaptchaView>, proof: RwSignal<Option<String>>) {
    if captcha.with_untracked(|c| c.id != id) {
        return;
    }
    leptos::task::spawn_local(async move {
        match search_slice(id.clone(), from).await {
            Some(n) => proof.set(Some(format!("{}{n}", crate::domain::proof::PREFIX))),
            None => set_timeout(move || prove(id, from + SLICE, captcha, proof), std::time::Duration::ZERO),
        }
    });
}
