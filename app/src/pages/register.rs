//! 新規利用登録 (steps 1–5 of the manual): each step is a page with a plain form posting to
//! a server function; after hydration the same forms check fields while typing and
//! submit without reloading. All state is on the server.

use crate::api::{AccountDefaults, CaptchaView, FormWithCaptcha};
use crate::components::{
    action_error, check, client_captcha, email_check, field_error, gone_reason, island_hydrated, token_param, BirthDateField, CaptchaField,
    ChallengeField, ConsentCheck, Done, Field, FormMessage, LinkInvalid, MemberNumberFields, PasswordMeter,
};
use crate::domain::{self, LoginId};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FieldErrors;
use crate::text::registration as text;
use leptos::prelude::*;
use leptos_meta::Title;

/// The message of an answer saying the link is spent or no longer usable: the form then
/// gives way to the page for unusable links.
fn link_spent(error: Signal<Option<AppError>>) -> Memo<Option<String>> {
    Memo::new(move |_| error.get().and_then(|e| e.gone_message().map(str::to_string)))
}

// ---------------------------------------------------------------- step 1

#[server]
pub async fn start_registration(email: String, captcha_id: Option<String>, captcha: Option<String>) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::identity::challenge;
    use crate::backend::members::registration;
    let state = edge::state()?;
    let email = domain::Email::parse(&email).map_err(|e| AppError::field("email", e))?;
    let client_ip = edge::client_ip();
    challenge::pass(&state, challenge::Form::Registration, client_ip.as_deref(), &challenge::Answer { captcha_id, captcha }).await?;
    registration::start(&state, client_ip.as_deref(), &email).await?;
    leptos_axum::redirect("/register/sent");
    Ok(())
}

#[component]
pub fn StartPage() -> impl IntoView {
    let captcha = Resource::new_blocking(|| (), |_| client_captcha("register".into()));
    view! {
        <Title text=text::TITLE/>
        <section class="card">
            <h1>{text::TITLE}</h1>
            <p>{text::STEP1_LEAD}</p>
            <p class="hint">{text::STEP1_GUIDE}<a href="/guide">{crate::text::guide::TITLE}</a>{text::STEP1_GUIDE_AFTER}</p>
            <Suspense>{move || captcha.get().map(|c| view! { <StartForm captcha=c.ok().flatten()/> })}</Suspense>
        </section>
    }
}

#[island(lazy)]
fn StartForm(captcha: Option<CaptchaView>) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<StartRegistration>::new();
    let error = action_error(action);
    let submits = Signal::derive(move || action.version().get());
    let email = RwSignal::new(String::new());
    view! {
        <ActionForm action>
            <FormMessage error/>
            <Field label=text::COMPANY_EMAIL name="email" input_type="email" value=email required=true
                autocomplete="email" inputmode="email" maxlength=254
                server_error=field_error(error, "email") check=check(email_check)/>
            <ChallengeField initial=captcha error renew=submits/>
            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::SEND}</button></div>
        </ActionForm>
    }
}

#[server]
pub async fn mail_sender() -> Result<String, AppError> {
    let state = crate::backend::edge::state()?;
    let from = &state.config.mail_from;
    // "Name <address>" → address
    Ok(from.rsplit_once('<').map(|(_, a)| a.trim_end_matches('>').to_string()).unwrap_or_else(|| from.clone()))
}

#[component]
pub fn SentPage() -> impl IntoView {
    let sender = Resource::new_blocking(|| (), |_| mail_sender());
    view! {
        <Title text=text::SENT_TITLE/>
        <section class="card">
            <h1>{text::SENT_TITLE}</h1>
            <p class="notice" role="status">{text::SENT}</p>
            <p>{text::SENT_NEXT}</p>
            <h2>{text::NOT_RECEIVED}</h2>
            <ol>
                <li>{text::SPAM_HINT}<Suspense>{move || sender.get().map(|s| view! { <strong class="sender">{s.unwrap_or_default()}</strong> })}</Suspense></li>
                <li><a href="/inquiry">{text::INQUIRY_LINK}</a>{"より、お問い合わせください。"}</li>
            </ol>
        </section>
    }
}

// ---------------------------------------------------------------- step 2

/// The step 2 form, if the M1 link can still be used.
#[server]
pub async fn identity_form(token: String) -> Result<Option<FormWithCaptcha>, AppError> {
    use crate::backend::edge;
    use crate::backend::members::registration;
    let state = edge::state()?;
    if !registration::invitation_is_usable(&state, &token).await? {
        return Ok(None);
    }
    Ok(Some(FormWithCaptcha::new(&state, crate::backend::edge::client_ip().as_deref()).await?))
}

#[server]
pub async fn verify_identity(
    token: String,
    email: String,
    kigo: String,
    bango: String,
    year: String,
    month: String,
    day: String,
    captcha_id: String,
    captcha: String,
) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::identity::captcha as captchas;
    use crate::backend::members::registration;
    let state = edge::state()?;
    let mut errors = FieldErrors::default();
    let email = errors.check("email", domain::Email::parse(&email));
    let kigo = errors.check("kigo", domain::Kigo::parse(&kigo));
    let bango = errors.check("bango", domain::Bango::parse(&bango));
    let birth_date = errors.check("birth_date", domain::BirthDate::from_form(&year, &month, &day));
    if let Some(refusal) = captchas::check(&state, edge::client_ip().as_deref(), &captcha_id, &captcha).await?.refusal() {
        errors.add("captcha", refusal);
    }
    let (email, kigo, bango, birth_date) = errors.finish((email, kigo, bango, birth_date))?;
    let input = registration::IdentityInput { email, number: domain::MemberNumber { kigo, bango }, birth_date };
    let browser = registration::verify_identity(&state, edge::client_ip().as_deref(), &token, &input).await?;
    edge::cookies::REGISTRATION.set_for(&state, &browser, registration::KEY_TTL);
    leptos_axum::redirect("/register/key");
    Ok(())
}

#[component]
pub fn IdentityPage() -> impl IntoView {
    let token = token_param();
    let form = Resource::new_blocking(token, identity_form);
    view! {
        <Title text=text::STEP2_TITLE/>
        <Suspense>
            {move || form.get().map(|result| match result {
                Ok(Some(form)) => view! { <IdentityFormView token=token() form/> }.into_any(),
                Ok(None) => view! { <LinkInvalid message={gone_reason::<VerifyIdentity, ()>().unwrap_or_else(|| text::LINK_INVALID.into())}/> }.into_any(),
                Err(e) => view! { <LinkInvalid message=e.to_string()/> }.into_any(),
            })}
        </Suspense>
    }
}

#[island(lazy)]
fn IdentityFormView(token: String, form: FormWithCaptcha) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<VerifyIdentity>::new();
    let error = action_error(action);
    let spent = link_spent(error);
    let submits = Memo::new(move |_| action.version().get());
    let (email, kigo, bango) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let this_year = form.this_year;
    let (token, captcha) = (StoredValue::new(token), StoredValue::new(form.captcha));
    view! {
        <Show when=move || spent.get().is_none() fallback=move || view! { <LinkInvalid message=spent.get().unwrap_or_default()/> }>
        <section class="card">
            <h1>{text::STEP2_TITLE}</h1>
            <p>{text::STEP2_LEAD}</p>
            <ActionForm action>
                <FormMessage error/>
                <input type="hidden" name="token" value=token.get_value()/>
                <Field label=text::EMAIL name="email" input_type="email" value=email required=true hint=text::EMAIL_HINT
                    autocomplete="email" inputmode="email" maxlength=254 server_error=field_error(error, "email") check=check(email_check)/>
                <MemberNumberFields kigo bango error/>
                <BirthDateField this_year error/>
                <CaptchaField initial=captcha.get_value() server_error=field_error(error, "captcha") renew=submits/>
                <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::CONFIRM}</button></div>
            </ActionForm>
        </section>
        </Show>
    }
}

// ---------------------------------------------------------------- step 3

/// The key for this browser, if it passed step 2 and the key is still valid.
#[server]
pub async fn identity_key() -> Result<Option<String>, AppError> {
    use crate::backend::edge;
    use crate::backend::members::registration;
    let state = edge::state()?;
    let Some(browser) = edge::cookies::REGISTRATION.read() else { return Ok(None) };
    Ok(registration::key_for_browser(&state, &browser).await?)
}

#[component]
pub fn KeyPage() -> impl IntoView {
    let key = Resource::new_blocking(|| (), |_| identity_key());
    view! {
        <Title text=text::KEY_TITLE/>
        <Suspense>
            {move || key.get().map(|k| match k {
                Ok(Some(key)) => view! {
                    <section class="card">
                        <h1>{text::KEY_TITLE}</h1>
                        <p class="notice">{text::SENT}</p>
                        <div class="identity-key">
                            <span class="identity-key-label">{text::KEY_LABEL}</span>
                            <strong class="identity-key-value" data-testid="identity-key">{key}</strong>
                            <span class="identity-key-keep">{text::KEY_KEEP}</span>
                        </div>
                        <p>{text::KEY_NEXT}</p>
                    </section>
                }.into_any(),
                _ => view! { <LinkInvalid/> }.into_any(),
            })}
        </Suspense>
    }
}

// ---------------------------------------------------------------- step 4

#[server]
pub async fn key_link_usable(token: String) -> Result<bool, AppError> {
    use crate::backend::edge;
    use crate::backend::members::registration;
    Ok(registration::key_link_is_usable(&edge::state()?, &token).await?)
}

fn key_check(v: &str) -> Option<String> {
    let key = domain::normalize_digits(v);
    (key.len() != 4 || !key.bytes().all(|b| b.is_ascii_digit())).then(|| text::KEY_FORMAT.to_string())
}

#[server]
pub async fn confirm_key(token: String, identity_key: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::registration;
    let state = edge::state()?;
    if let Some(message) = key_check(&identity_key) {
        return Err(AppError::field("identity_key", domain::FieldError::new(message)));
    }
    let key = domain::normalize_digits(&identity_key);
    let browser = registration::confirm_key(&state, edge::client_ip().as_deref(), &token, &key).await?;
    edge::cookies::REGISTRATION.set(&state, &browser);
    leptos_axum::redirect("/register/account");
    Ok(())
}

#[component]
pub fn ConfirmKeyPage() -> impl IntoView {
    let token = token_param();
    let usable = Resource::new_blocking(token, key_link_usable);
    view! {
        <Title text=text::STEP4_TITLE/>
        <Suspense>
            {move || usable.get().map(|u| match u {
                Ok(true) => view! { <ConfirmKeyForm token=token()/> }.into_any(),
                _ => view! { <LinkInvalid message={gone_reason::<ConfirmKey, ()>().unwrap_or_else(|| text::LINK_INVALID.into())}/> }.into_any(),
            })}
        </Suspense>
    }
}

#[island(lazy)]
fn ConfirmKeyForm(token: String) -> impl IntoView {
    island_hydrated();
    let token = StoredValue::new(token);
    let action = ServerAction::<ConfirmKey>::new();
    let error = action_error(action);
    let spent = link_spent(error);
    let key = RwSignal::new(String::new());
    view! {
        <Show when=move || spent.get().is_none() fallback=move || view! { <LinkInvalid message=spent.get().unwrap_or_default()/> }>
        <section class="card">
            <h1>{text::STEP4_TITLE}</h1>
            <p>{text::STEP4_LEAD}</p>
            <ActionForm action>
                <FormMessage error/>
                <input type="hidden" name="token" value=token.get_value()/>
                <Field label=text::KEY_LABEL name="identity_key" value=key required=true inputmode="numeric" autocomplete="one-time-code"
                    maxlength=4 server_error=field_error(error, "identity_key") check=check(key_check)/>
                <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::AUTHENTICATE}</button></div>
            </ActionForm>
        </section>
        </Show>
    }
}

// ---------------------------------------------------------------- step 5

#[server]
pub async fn load_account_defaults() -> Result<Option<AccountDefaults>, AppError> {
    use crate::backend::edge;
    use crate::backend::members::registration;
    let state = edge::state()?;
    let Some(browser) = edge::cookies::REGISTRATION.read() else { return Ok(None) };
    Ok(registration::account_defaults(&state, &browser).await?)
}

#[server]
pub async fn create_account(
    login_id: String,
    password: String,
    password_confirm: String,
    email: String,
    nickname: String,
    agree: Option<String>,
    consent_version: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::{consent, registration};
    let state = edge::state()?;
    let mut errors = FieldErrors::default();
    if let Err(AppError::Invalid { fields, .. }) = consent::check_agreement(&state, agree.is_some(), &consent_version.unwrap_or_default()) {
        fields.into_iter().for_each(|(name, message)| errors.add(&name, message));
    }
    let login = errors.check("login_id", LoginId::parse(&login_id));
    let ctx = domain::PasswordContext { login_id: Some(&login_id), email: Some(&email), birth_date: None };
    errors.check("password_confirm", domain::check_confirmation(&password, &password_confirm));
    let password = errors.check("password", domain::Password::parse(&password, &ctx));
    let email = errors.check("email", domain::Email::parse(&email));
    let nickname = errors.check("nickname", domain::parse_nickname(&nickname));
    let (login_id, password, email, nickname) = errors.finish((login, password, email, nickname))?;
    let Some(browser) = edge::cookies::REGISTRATION.read() else {
        return Err(registration::RegistrationError::LinkUnusable.into());
    };
    registration::create_account(
        &state,
        edge::client_ip().as_deref(),
        &browser,
        registration::AccountInput { login_id, password, email, nickname },
    )
    .await?;
    edge::cookies::REGISTRATION.clear(&state);
    leptos_axum::redirect("/register/done");
    Ok(())
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let defaults = Resource::new_blocking(|| (), |_| load_account_defaults());
    view! {
        <Title text=text::STEP5_TITLE/>
        <Suspense>
            {move || defaults.get().map(|d| match d {
                Ok(Some(d)) => view! {
                    <section class="card">
                        <h1>{text::STEP5_TITLE}</h1>
                        <p>{text::STEP5_LEAD}</p>
                        <p class="hint-box">{text::ALLOWED_CHARS}</p>
                        <AccountForm defaults=d/>
                    </section>
                }.into_any(),
                _ => view! { <LinkInvalid/> }.into_any(),
            })}
        </Suspense>
    }
}

#[island(lazy)]
fn AccountForm(defaults: AccountDefaults) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<CreateAccount>::new();
    let error = action_error(action);
    let login_id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let email = RwSignal::new(defaults.email);
    let nickname = RwSignal::new(defaults.nickname);
    let login_check = Callback::new(|v: String| LoginId::parse(&v).err().map(|e| e.0));
    let password_check = Callback::new(move |v: String| {
        let id = login_id.get_untracked();
        let mail = email.get_untracked();
        let ctx = domain::PasswordContext { login_id: Some(&id), email: Some(&mail), birth_date: None };
        domain::Password::parse(&v, &ctx).err().map(|e| e.0)
    });
    let confirm_check = Callback::new(move |v: String| domain::check_confirmation(&password.get_untracked(), &v).err().map(|e| e.0));
    let nickname_check = Callback::new(|v: String| domain::parse_nickname(&v).err().map(|e| e.0));
    view! {
        <ActionForm action>
            <FormMessage error/>
            <Field label=text::LOGIN_ID name="login_id" value=login_id required=true hint=text::LOGIN_ID_HINT
                autocomplete="username" maxlength=39 server_error=field_error(error, "login_id") check=login_check/>
            <Field label=text::PASSWORD name="password" input_type="password" value=password required=true hint=text::PASSWORD_HINT
                autocomplete="new-password" maxlength=39 server_error=field_error(error, "password") check=password_check>
                <PasswordMeter password=password/>
            </Field>
            <Field label=text::PASSWORD_CONFIRM name="password_confirm" input_type="password" value=confirm required=true
                autocomplete="new-password" maxlength=39 server_error=field_error(error, "password_confirm") check=confirm_check/>
            <Field label=text::EMAIL name="email" input_type="email" value=email required=true hint=text::ACCOUNT_EMAIL_HINT
                autocomplete="email" inputmode="email" maxlength=254 server_error=field_error(error, "email") check=check(email_check)/>
            <Field label=text::NICKNAME name="nickname" value=nickname required=true maxlength=40
                server_error=field_error(error, "nickname") check=nickname_check/>
            <ConsentCheck consent_key=defaults.consent_key server_error=field_error(error, "agree")/>
            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::REGISTER}</button></div>
        </ActionForm>
    }
}

#[component]
pub fn DonePage() -> impl IntoView {
    view! {
        <Done title=text::DONE_TITLE message=text::DONE>
            <p>{text::DONE_MAIL}</p>
            <p><a class="button-link" href="/">{text::TO_LOGIN}</a></p>
        </Done>
    }
}
