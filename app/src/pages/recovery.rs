//! ログインID・パスワード忘れた方: ask for the address, then the link's new-password page.

use crate::components::{action_error, check, email_check, field_error, Field, FormMessage, LinkInvalidMessage, PasswordMeter, ShowPassword};
use crate::domain;
use crate::error::AppError;
use crate::text::recovery as text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server]
pub async fn request_reset(email: String) -> Result<(), AppError> {
    use crate::backend::{recovery, web};
    let state = web::state()?;
    let email = domain::Email::parse(&email).map_err(|e| AppError::field("email", e))?;
    recovery::request(&state, web::client_ip().as_deref(), &email).await?;
    leptos_axum::redirect("/forgot/sent");
    Ok(())
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    let action = ServerAction::<RequestReset>::new();
    let error = action_error(action);
    let email = RwSignal::new(String::new());
    view! {
        <Title text=text::FORGOT_TITLE/>
        <section class="card">
            <h1>{text::FORGOT_TITLE}</h1>
            <p>{text::FORGOT_LEAD}</p>
            <ActionForm action>
                <FormMessage error/>
                <Field label=text::FORGOT_EMAIL name="email" input_type="email" value=email required=true hint=text::FORGOT_EMAIL_HINT
                    autocomplete="email" inputmode="email" maxlength=254 server_error=field_error(error, "email") check=check(email_check)/>
                <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::SEND}</button></div>
            </ActionForm>
            <ul class="links">
                <li><a href="/inquiry">{crate::text::login::INQUIRY_LINK}</a></li>
                <li><a href="/">{crate::text::login::TITLE}</a></li>
            </ul>
        </section>
    }
}

#[component]
pub fn ForgotSentPage() -> impl IntoView {
    view! {
        <Title text=text::FORGOT_SENT_TITLE/>
        <section class="card">
            <h1>{text::FORGOT_SENT_TITLE}</h1>
            <p class="notice" role="status">{text::FORGOT_SENT}</p>
            <p>{text::FORGOT_SENT_NEXT}</p>
            <p><a href="/inquiry">{crate::text::login::INQUIRY_LINK}</a></p>
        </section>
    }
}

/// The login ID of a usable reset link.
#[server]
pub async fn reset_link(token: String) -> Result<Option<String>, AppError> {
    let state = crate::backend::web::state()?;
    crate::backend::recovery::link_login_id(&state, &token).await
}

#[server]
pub async fn reset_password(token: String, new_password: String, confirm_password: String) -> Result<(), AppError> {
    use crate::backend::{recovery, web};
    use crate::error::FieldErrors;
    let state = web::state()?;
    let mut errors = FieldErrors::default();
    // The account's own rules (login ID, address, birth date) are checked by `recovery::reset`.
    errors.check("new_password", domain::Password::parse(&new_password, &domain::PasswordContext::default()));
    errors.check("confirm_password", domain::check_confirmation(&new_password, &confirm_password));
    errors.finish()?;
    recovery::reset(&state, web::client_ip().as_deref(), &token, &new_password).await?;
    leptos_axum::redirect("/forgot/done");
    Ok(())
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new_blocking(token, reset_link);
    view! {
        <Title text=text::RESET_TITLE/>
        <Suspense>
            {move || link.get().map(|l| match l {
                Ok(Some(login_id)) => view! { <ResetForm token=token() login_id/> }.into_any(),
                _ => view! { <ResetLinkInvalid/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ResetLinkInvalid() -> impl IntoView {
    view! { <LinkInvalidMessage title=text::RESET_TITLE message=text::RESET_LINK_INVALID/> }
}

#[component]
fn ResetForm(token: String, login_id: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    let spent = Memo::new(move |_| error.get().and_then(|e| e.form_message()).is_some_and(|m| m == text::RESET_LINK_INVALID));
    let (new, confirm) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let show = RwSignal::new(false);
    let input_type = Signal::derive(move || if show.get() { "text" } else { "password" });
    let (login, token) = (StoredValue::new(login_id), StoredValue::new(token));
    let new_check = Callback::new(move |v: String| {
        login.with_value(|id| {
            let ctx = domain::PasswordContext { login_id: Some(id), ..Default::default() };
            domain::Password::parse(&v, &ctx).err().map(|e| e.0)
        })
    });
    let confirm_check = Callback::new(move |v: String| domain::check_confirmation(&new.get_untracked(), &v).err().map(|e| e.0));
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
                    <input type="text" name="username" autocomplete="username" value=login.get_value() class="hidden" aria-hidden="true" tabindex="-1" readonly/>
                    <Field label=text::NEW_PASSWORD name="new_password" input_type value=new required=true hint=crate::text::registration::PASSWORD_HINT
                        autocomplete="new-password" maxlength=39 server_error=field_error(error, "new_password") check=new_check>
                        <PasswordMeter password=new/>
                    </Field>
                    <Field label=text::CONFIRM_PASSWORD name="confirm_password" input_type value=confirm required=true
                        autocomplete="new-password" maxlength=39 server_error=field_error(error, "confirm_password") check=confirm_check/>
                    <ShowPassword show/>
                    <div class="actions"><button type="submit" disabled=move || action.pending().get()>{crate::text::settings::REGISTER}</button></div>
                </ActionForm>
            </section>
        </Show>
    }
}

#[component]
pub fn ResetDonePage() -> impl IntoView {
    view! {
        <Title text=text::RESET_DONE_TITLE/>
        <section class="card">
            <h1>{text::RESET_DONE_TITLE}</h1>
            <p class="notice" role="status">{text::RESET_DONE}</p>
            <p><a class="button-link" href="/">{crate::text::login::TITLE}</a></p>
        </section>
    }
}
