//! ログインID・パスワード忘れた方: ask for the address, then the link's new-password page.

use crate::api::{CaptchaView, ResetLinkView};
use crate::components::{
    action_error, check, client_captcha, email_check, field_error, island_hydrated, token_param, ChallengeField, Done, Field, FormMessage,
    LinkInvalidMessage, NewPasswordFields,
};
#[cfg(feature = "ssr")]
use crate::domain;
use crate::error::AppError;
use crate::text::recovery as text;
use crate::text::two_step as two_step_text;
use leptos::prelude::*;
use leptos_meta::Title;

#[server]
pub async fn request_reset(email: String, captcha_id: Option<String>, captcha: Option<String>) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::identity::challenge;
    use crate::backend::members::recovery;
    let state = edge::state()?;
    let email = domain::Email::parse(&email).map_err(|e| AppError::field("email", e))?;
    let client_ip = edge::client_ip();
    challenge::pass(&state, challenge::Form::Forgot, client_ip.as_deref(), &challenge::Answer { captcha_id, captcha }).await?;
    recovery::request(&state, client_ip.as_deref(), &email).await?;
    leptos_axum::redirect("/forgot/sent");
    Ok(())
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    let captcha = Resource::new_blocking(|| (), |_| client_captcha("forgot".into()));
    view! {
        <Title text=text::FORGOT_TITLE/>
        <section class="card">
            <h1>{text::FORGOT_TITLE}</h1>
            <p>{text::FORGOT_LEAD}</p>
            <Suspense>{move || captcha.get().map(|c| view! { <ForgotForm captcha=c.ok().flatten()/> })}</Suspense>
            <ul class="links">
                <li><a href="/inquiry">{crate::text::login::INQUIRY_LINK}</a></li>
                <li><a href="/">{crate::text::login::TITLE}</a></li>
            </ul>
        </section>
    }
}

#[island(lazy)]
fn ForgotForm(captcha: Option<CaptchaView>) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<RequestReset>::new();
    let error = action_error(action);
    let submits = Signal::derive(move || action.version().get());
    let email = RwSignal::new(String::new());
    view! {
        <ActionForm action>
            <FormMessage error/>
            {/* Not type="email": the browser would refuse ＠ and full-width letters the server folds. */}
            <Field label=text::FORGOT_EMAIL name="email" value=email required=true hint=text::FORGOT_EMAIL_HINT
                autocomplete="email" inputmode="email" maxlength=254 server_error=field_error(error, "email") check=check(email_check)/>
            <ChallengeField initial=captcha error renew=submits/>
            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::SEND}</button></div>
        </ActionForm>
    }
}

#[component]
pub fn ForgotSentPage() -> impl IntoView {
    view! {
        <Done title=text::FORGOT_SENT_TITLE message=text::FORGOT_SENT>
            <p>{text::FORGOT_SENT_NEXT}</p>
            <p><a href="/inquiry">{crate::text::login::INQUIRY_LINK}</a></p>
        </Done>
    }
}

/// The login ID of a usable reset link, and whether a 2段階認証 code is asked too.
#[server]
pub async fn reset_link(token: String) -> Result<Option<ResetLinkView>, AppError> {
    let state = crate::backend::edge::state()?;
    Ok(crate::backend::members::recovery::link_view(&state, &token).await?)
}

#[server]
pub async fn reset_password(token: String, new_password: String, confirm_password: String, code: Option<String>) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::recovery;
    use crate::error::FieldErrors;
    let state = edge::state()?;
    let mut errors = FieldErrors::default();
    // The account's own rules (login ID, address, birth date) are checked by `recovery::reset`.
    let new = errors.check("new_password", domain::Password::parse(&new_password, &domain::PasswordContext::default()));
    errors.check("confirm_password", domain::check_confirmation(&new_password, &confirm_password));
    let (new,) = errors.finish((new,))?;
    let ip = edge::client_ip();
    // Counted and audited like a login: it runs to its end even if the browser goes away.
    let code = code.unwrap_or_default();
    edge::to_completion(async move { recovery::reset(&state, ip.as_deref(), &token, &new, &code).await }).await??;
    leptos_axum::redirect("/forgot/done");
    Ok(())
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let token = token_param();
    let link = Resource::new_blocking(token, reset_link);
    view! {
        <Title text=text::RESET_TITLE/>
        <Suspense>
            {move || link.get().map(|l| match l {
                Ok(Some(link)) => view! { <ResetForm token=token() login_id=link.login_id needs_code=link.needs_code/> }.into_any(),
                _ => view! { <ResetLinkInvalid/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ResetLinkInvalid() -> impl IntoView {
    view! { <LinkInvalidMessage title=text::RESET_TITLE message=text::RESET_LINK_INVALID/> }
}

#[island(lazy)]
fn ResetForm(token: String, login_id: String, needs_code: bool) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    let spent = Memo::new(move |_| error.get().is_some_and(|e| e.gone_message().is_some()));
    let show = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let (login, token) = (StoredValue::new(login_id), StoredValue::new(token));
    view! {
        <Show when=move || !spent.get() fallback=ResetLinkInvalid>
            <section class="card">
                <h1>{text::RESET_TITLE}</h1>
                <p>{text::RESET_LEAD}</p>
                <p class="identity"><span class="label">{crate::text::login::LOGIN_ID}</span>"： "<strong>{login.get_value()}</strong></p>
                <p class="hint-box">{crate::text::registration::ALLOWED_CHARS}</p>
                <ActionForm action>
                    <FormMessage error/>
                    <input type="hidden" name="token" value=token.get_value()/>
                    <NewPasswordFields label=text::NEW_PASSWORD login_id=login.get_value() email=None error show/>
                    {needs_code.then(|| view! {
                        <Field label=two_step_text::LOGIN_CODE_LABEL name="code" value=code required=true hint=two_step_text::RESET_CODE_HINT
                            autocomplete="one-time-code" maxlength=20 server_error=field_error(error, "code")/>
                    })}
                    <div class="actions"><button type="submit" disabled=move || action.pending().get()>{crate::text::settings::REGISTER}</button></div>
                </ActionForm>
            </section>
        </Show>
    }
}

#[component]
pub fn ResetDonePage() -> impl IntoView {
    view! {
        <Done title=text::RESET_DONE_TITLE message=text::RESET_DONE>
            <p><a class="button-link" href="/">{crate::text::login::TITLE}</a></p>
        </Done>
    }
}
