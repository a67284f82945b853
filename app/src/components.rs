//! Small components every screen uses: the layout, form fields with instant
//! checks, the form message, the password meter, the CAPTCHA.

use crate::error::AppError;
use crate::api::{CaptchaView, SiteInfo};
use crate::text::PRODUCT_NAME;
use leptos::prelude::*;

/// Header with the product and society name, the page, and the contact footer.
#[component]
pub fn Layout(site: SiteInfo, children: Children) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-product">{PRODUCT_NAME}</span>
                <span class="brand-society">{site.society_name.clone()}</span>
            </a>
        </header>
        <main class="page">{children()}</main>
        <footer class="site-footer">
            <p class="contact-title">"＜問合先＞"</p>
            <p class="contact">{site.society_contact.clone()}</p>
            <p class="copyright">{site.society_name}</p>
        </footer>
    }
}

/// The last error of a server action, as a signal. An answer saying the member must go
/// elsewhere (session ended) is followed at once.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    // The client does not follow a redirect header on an error answer (see `AppError::Redirect`).
    Effect::new(move |_| {
        if let Some(AppError::Redirect(to)) = error.get() {
            let _ = window().location().assign(&to);
        }
    });
    error
}

#[cfg(feature = "hydrate")]
thread_local!(static HYDRATED_ISLANDS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });

/// Every island calls this: counts it as interactive once it has hydrated (a lazy island
/// loads its code first), see `mark_page_hydrated`.
pub fn island_hydrated() {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        HYDRATED_ISLANDS.set(HYDRATED_ISLANDS.get() + 1);
        mark_page_hydrated();
    });
}

/// `<html data-hydrated>` once every island of the page is interactive: browser tests wait
/// for it before they type. Also called by the entry point, for pages without islands.
#[cfg(feature = "hydrate")]
pub fn mark_page_hydrated() {
    let doc = document();
    let islands = doc.get_elements_by_tag_name("leptos-island").length();
    if HYDRATED_ISLANDS.get() >= islands {
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    }
}

/// A form posted before its island was interactive comes back to the page with
/// `?__err=…&__path=…`: the server rendered that error, so the island must start with it too.
/// (On the server the router provides it.)
#[cfg(feature = "hydrate")]
pub fn provide_action_error_from_url() {
    use leptos_router::location::{BrowserUrl, LocationProvider};
    if let Ok(url) = BrowserUrl::current() {
        url.provide_server_action_error();
    }
}

/// What a page's data answered when it is not the page: the server already answered a
/// redirect with a 302 (`AppError::Redirect`), anything else is said on the page.
#[component]
pub fn PageError(error: AppError) -> impl IntoView {
    (!matches!(error, AppError::Redirect(_))).then(|| view! { <div class="form-error" role="alert">{error.form_message()}</div> })
}

/// The message of one field from an action's error.
pub fn field_error(error: Signal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.get().and_then(|e| e.field_message(name)))
}

/// The message above a form (an error for the whole form, or a summary).
#[component]
pub fn FormMessage(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.form_message()).map(|m| view! { <div class="form-error" role="alert">{m}</div> })
    }
}

/// An element with a `value` the member types into.
pub trait TypedValue {
    fn typed(&self) -> String;
    fn show(&self, value: &str);
}

impl TypedValue for leptos::web_sys::HtmlInputElement {
    fn typed(&self) -> String {
        self.value()
    }
    fn show(&self, value: &str) {
        self.set_value(value)
    }
}

impl TypedValue for leptos::web_sys::HtmlTextAreaElement {
    fn typed(&self) -> String {
        self.value()
    }
    fn show(&self, value: &str) {
        self.set_value(value)
    }
}

/// Keeps an input and its signal the same, in place of `prop:value`, which would clear at
/// hydration what the member typed while the page was still loading (islands hydrate when
/// the browser is idle, seconds later on an old phone): the first run takes the typed text.
pub fn bind_value<E>(node: NodeRef<E>, value: RwSignal<String>)
where
    E: leptos::html::ElementType + 'static,
    E::Output: TypedValue + leptos::wasm_bindgen::JsCast + Clone + 'static,
{
    Effect::new(move |bound: Option<bool>| {
        value.track();
        let Some(el) = node.get() else { return false };
        if bound == Some(true) {
            let v = value.get_untracked();
            if el.typed() != v {
                el.show(&v);
            }
        } else {
            let typed = el.typed();
            if typed != value.get_untracked() {
                value.set(typed);
            }
        }
        true
    });
}

/// A checked input: the member's mistake is shown next to it while typing
/// (with the shared parser) and after the server answered (without JavaScript too).
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] server_error: Signal<Option<String>>,
    #[prop(into, default = Signal::stored("text"))] input_type: Signal<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(into, default = None)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] check: Option<Callback<String, Option<String>>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let touched = RwSignal::new(false);
    // A new answer from the server is shown until the member edits the field again.
    Effect::new(move |_| {
        server_error.track();
        touched.set(false);
    });
    let error = Memo::new(move |_| match check {
        Some(check) if touched.get() => check.run(value.get()),
        _ => server_error.get(),
    });
    let input = NodeRef::<leptos::html::Input>::new();
    bind_value(input, value);
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    view! {
        <div class="field">
            <label for=name class:required=required>{label}</label>
            <input
                node_ref=input
                id=name
                name=name
                type=move || input_type.get()
                required=required
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described
                value=value.get_untracked()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    touched.set(true);
                }
                on:blur=move |_| if !value.get_untracked().is_empty() { touched.set(true) }
            />
            {hint.map(|h| view! { <span class="hint" id=hint_id>{h}</span> })}
            {children.map(|c| c())}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// パスワードの強さ: the shared meter, updated while typing.
#[component]
pub fn PasswordMeter(#[prop(into)] password: Signal<String>) -> impl IntoView {
    let score = Memo::new(move |_| crate::domain::strength::score(&password.get()));
    view! {
        <div class="meter" aria-live="polite">
            <meter min="0" max="4" low="2" high="3" optimum="4" value=move || score.get()></meter>
            <span class="meter-label">
                {crate::text::registration::STRENGTH}
                {move || if password.get().is_empty() { "—" } else { crate::domain::strength::label(score.get()) }}
            </span>
        </div>
    }
}

/// A fresh CAPTCHA (「画像を変更」 after hydration).
#[server]
pub async fn new_captcha() -> Result<CaptchaView, AppError> {
    let state = crate::backend::web::state()?;
    Ok(crate::backend::captcha::create(&state, crate::backend::web::client_ip().as_deref()).await?)
}

/// The CAPTCHA a public form (`login`, `register`, `forgot`) shows this client, once the
/// client has passed the form's limit (see `backend::challenge`).
#[server]
pub async fn client_captcha(form: String) -> Result<Option<CaptchaView>, AppError> {
    use crate::backend::{challenge, web};
    let state = web::state()?;
    let form = challenge::Form::parse(&form).ok_or(AppError::Internal)?;
    Ok(challenge::captcha_if_needed(&state, form, web::client_ip().as_deref()).await?)
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
    #[prop(into)] renew: Signal<usize>,
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
    use crate::text::registration as text;
    view! {
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
        <input type="hidden" name="captcha_id" prop:value=move || captcha.get().id value=captcha.get_untracked().id/>
    }
}

/// A link that can no longer be used, with a way to start again.
#[component]
pub fn LinkInvalid(#[prop(optional, into)] message: Option<String>) -> impl IntoView {
    use crate::text::registration as text;
    view! {
        <section class="card">
            <h1>{text::LINK_INVALID_TITLE}</h1>
            <p>{message.unwrap_or_else(|| text::LINK_INVALID.to_string())}</p>
            <p><a class="button-link" href="/register">{text::START_AGAIN}</a></p>
            <p><a href="/inquiry">{text::INQUIRY_LINK}</a></p>
        </section>
    }
}

/// A link from a mail that can no longer be used (expired, used, cancelled).
#[component]
pub fn LinkInvalidMessage(title: &'static str, message: &'static str) -> impl IntoView {
    view! {
        <section class="card">
            <h1>{title}</h1>
            <p>{message}</p>
            <p><a class="button-link" href="/">{crate::text::login::TITLE}</a></p>
            <p><a href="/inquiry">{crate::text::login::INQUIRY_LINK}</a></p>
        </section>
    }
}

/// 「パスワードを表示する」: shows every password field of the form as text while ticked.
#[component]
pub fn ShowPassword(show: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="check show-password">
            <input type="checkbox" prop:checked=move || show.get() on:change=move |ev| show.set(event_target_checked(&ev))/>
            {crate::text::settings::SHOW_PASSWORD}
        </label>
    }
}

/// A field check from a plain function (for `Field`'s `check`).
pub fn check(f: fn(&str) -> Option<String>) -> Callback<String, Option<String>> {
    Callback::new(move |v: String| f(&v))
}

pub fn email_check(v: &str) -> Option<String> {
    crate::domain::Email::parse(v).err().map(|e| e.0)
}

/// 記号 and 番号 side by side, checked while typing.
#[component]
pub fn MemberNumberFields(kigo: RwSignal<String>, bango: RwSignal<String>, error: Signal<Option<AppError>>) -> impl IntoView {
    use crate::domain::{Bango, Kigo};
    use crate::text::registration as text;
    view! {
        <div class="field-row">
            <Field label=text::KIGO name="kigo" value=kigo required=true hint=text::KIGO_HINT inputmode="numeric"
                autocomplete="off" maxlength=4 server_error=field_error(error, "kigo") check=check(|v| Kigo::parse(v).err().map(|e| e.0))/>
            <Field label=text::BANGO name="bango" value=bango required=true hint=text::BANGO_HINT inputmode="numeric"
                autocomplete="off" maxlength=8 server_error=field_error(error, "bango") check=check(|v| Bango::parse(v).err().map(|e| e.0))/>
        </div>
    }
}

/// 生年月日 as year (with 和暦) / month / day pulldowns, posted as `year`, `month`, `day`.
#[component]
pub fn BirthDateField(this_year: i32, error: Signal<Option<AppError>>) -> impl IntoView {
    use crate::domain::{era, BirthDate};
    use crate::text::registration as text;
    let birth_error = field_error(error, "birth_date");
    view! {
        <fieldset class="field">
            <legend class="label required">{text::BIRTH_DATE}</legend>
            <div class="date-selects">
                <label>
                    <select name="year" required aria-label=text::YEAR aria-invalid=move || birth_error.get().is_some().to_string()>
                        <option value="">"----"</option>
                        {(BirthDate::MIN_YEAR..=this_year).rev().map(|y| view! { <option value=y.to_string()>{era::year_label(y)}</option> }).collect_view()}
                    </select>
                    {text::YEAR}
                </label>
                <label>
                    <select name="month" required aria-label=text::MONTH>
                        <option value="">"--"</option>
                        {(1..=12).map(|m| view! { <option value=m.to_string()>{m}</option> }).collect_view()}
                    </select>
                    {text::MONTH}
                </label>
                <label>
                    <select name="day" required aria-label=text::DAY>
                        <option value="">"--"</option>
                        {(1..=31).map(|d| view! { <option value=d.to_string()>{d}</option> }).collect_view()}
                    </select>
                    {text::DAY}
                </label>
            </div>
            <p class="field-error" id="birth_date-error" role="alert">{move || birth_error.get()}</p>
        </fieldset>
    }
}

/// The page after a finished step: its title, the outcome, then what to do next.
#[component]
pub fn Done(title: &'static str, message: &'static str, children: Children) -> impl IntoView {
    view! {
        <leptos_meta::Title text=title/>
        <section class="card">
            <h1>{title}</h1>
            <p class="notice" role="status">{message}</p>
            {children()}
        </section>
    }
}

/// `new_password` (with the strength meter) and `confirm_password`, checked while typing
/// against the rules of §3 for this login ID and address, then 「パスワードを表示する」.
#[component]
pub fn NewPasswordFields(
    label: &'static str,
    login_id: String,
    email: Option<String>,
    error: Signal<Option<AppError>>,
    /// Ticked: every password field of the form shows its text (the caller's too).
    show: RwSignal<bool>,
) -> impl IntoView {
    let (new, confirm) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let input_type = Signal::derive(move || if show.get() { "text" } else { "password" });
    let context = StoredValue::new((login_id, email));
    let new_check = Callback::new(move |v: String| {
        context.with_value(|(id, mail)| {
            let ctx = crate::domain::PasswordContext { login_id: Some(id), email: mail.as_deref(), birth_date: None };
            crate::domain::Password::parse(&v, &ctx).err().map(|e| e.0)
        })
    });
    let confirm_check = Callback::new(move |v: String| crate::domain::check_confirmation(&new.get_untracked(), &v).err().map(|e| e.0));
    use crate::text::settings as text;
    view! {
        // For password managers: the account the new password belongs to.
        <input type="text" name="username" autocomplete="username" value=context.with_value(|(id, _)| id.clone()) class="hidden" aria-hidden="true" tabindex="-1" readonly/>
        <Field label name="new_password" input_type value=new required=true hint=crate::text::registration::PASSWORD_HINT
            autocomplete="new-password" maxlength=39 server_error=field_error(error, "new_password") check=new_check>
            <PasswordMeter password=new/>
        </Field>
        <Field label=text::CONFIRM_PASSWORD name="confirm_password" input_type value=confirm required=true
            autocomplete="new-password" maxlength=39 server_error=field_error(error, "confirm_password") check=confirm_check/>
        <ShowPassword show/>
    }
}

/// The `:token` of a page opened from a link in a mail.
pub fn token_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get("token").unwrap_or_default()
}
