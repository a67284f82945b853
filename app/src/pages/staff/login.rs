//! 職員ログイン (ID, password, the authenticator's code) and 職員アカウント設定 (the one-time
//! setup link: password, authenticator, backup codes).

use super::param;
use crate::api::staff::SetupInfo;
use crate::components::{action_error, field_error, island_hydrated, Field, FormMessage, PageError};
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/staff/api")]
pub async fn staff_login(email: String, password: String, code: String, next: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::staff::session;
    use crate::domain::SecondFactor;
    use crate::error::FieldErrors;
    let state = edge::state()?;
    let mut errors = FieldErrors::default();
    if email.trim().is_empty() {
        errors.add("email", text::REQUIRED_EMAIL);
    }
    if password.is_empty() {
        errors.add("password", text::REQUIRED_PASSWORD);
    }
    let factor = errors.check("code", SecondFactor::parse(&code));
    let (factor,) = errors.finish((factor,))?;
    let client = edge::client();
    let attempt = {
        let state = state.clone();
        async move { session::login(&state, &client.borrow(), &email, &password, &factor).await }
    };
    let token = edge::to_completion(attempt).await??;
    edge::cookies::STAFF_SESSION.set(&state, &token);
    let next = crate::domain::safe_next(&next);
    leptos_axum::redirect(if next.starts_with("/staff") { next } else { "/staff" });
    Ok(())
}

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let next = super::query("next");
    let ended = !super::query("ended").is_empty();
    view! {
        <Title text=text::LOGIN_TITLE/>
        <section class="card staff-login">
            <h1>{text::LOGIN_TITLE}</h1>
            {ended.then(|| view! { <p class="notice" role="status">{text::SESSION_ENDED}</p> })}
            <StaffLoginForm next/>
            <super::passkeys::StaffLoginPasskey/>
        </section>
    }
}

#[island(lazy)]
fn StaffLoginForm(next: String) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<StaffLogin>::new();
    let error = action_error(action);
    let [email, password, code] = std::array::from_fn(|_| RwSignal::new(String::new()));
    view! {
        <ActionForm action>
            <FormMessage error/>
            <input type="hidden" name="next" value=next/>
            {/* Not type="email": the browser would refuse ＠ and full-width letters the server folds. */}
            <Field label=text::LOGIN_EMAIL name="email" inputmode="email" value=email required=true autocomplete="username" maxlength=254
                server_error=field_error(error, "email")/>
            <Field label=text::PASSWORD name="password" input_type="password" value=password required=true autocomplete="current-password"
                maxlength=39 server_error=field_error(error, "password")/>
            <Field label=text::CODE name="code" value=code required=true autocomplete="one-time-code" inputmode="text" maxlength=11
                hint=text::CODE_HINT server_error=field_error(error, "code")/>
            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::LOGIN}</button></div>
        </ActionForm>
    }
}

#[server(prefix = "/staff/api")]
pub async fn load_setup(token: String) -> Result<SetupInfo, AppError> {
    let state = crate::backend::edge::state()?;
    Ok(crate::backend::staff::accounts::setup_info(&state, &token).await?)
}

/// Sets the password and the authenticator; answers the backup codes (shown once).
#[server(prefix = "/staff/api")]
pub async fn complete_setup(token: String, password: String, password_confirm: String, code: String) -> Result<Vec<String>, AppError> {
    use crate::backend::edge;
    use crate::backend::staff::accounts;
    use crate::domain::{check_confirmation, parse_staff_password, PasswordContext, SecondFactor};
    use crate::error::FieldErrors;
    let state = edge::state()?;
    let email = accounts::setup_email(&state, &token).await?.to_lowercase();
    let ctx = PasswordContext { login_id: Some(&email), email: Some(&email), birth_date: None };
    let mut errors = FieldErrors::default();
    let password = errors.check("password", parse_staff_password(&password, &ctx).and_then(|p| p.check_for_account(&ctx).map(|_| p)));
    errors.check("password_confirm", check_confirmation(password.as_ref().map(|p| p.expose()).unwrap_or(""), &password_confirm));
    let factor = errors.check(
        "code",
        SecondFactor::parse(&code).and_then(|f| match f {
            SecondFactor::Code(c) => Ok(c),
            SecondFactor::Backup(_) => Err(crate::domain::FieldError::new(text::SETUP_CODE_HINT)),
        }),
    );
    let (password, code) = errors.finish((password, factor))?;
    Ok(accounts::complete_setup(&state, edge::client_ip().as_deref(), &token, &password, &code).await?)
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let token = param("token");
    let info = Resource::new_blocking(move || token.clone(), load_setup);
    view! {
        <Title text=text::SETUP_TITLE/>
        <Suspense>
            {move || info.get().map(|r| match r {
                Ok(info) => view! { <SetupForm info token=param("token")/> }.into_any(),
                Err(AppError::Gone(m)) => view! {
                    <section class="card"><h1>{text::SETUP_TITLE}</h1><p>{m}</p></section>
                }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[island(lazy)]
fn SetupForm(info: SetupInfo, token: String) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<CompleteSetup>::new();
    let error = action_error(action);
    let codes = Signal::derive(move || action.value().get().and_then(Result::ok));
    let [password, password_confirm, code] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let gone = Signal::derive(move || error.get().and_then(|e| e.gone_message().map(str::to_string)));
    view! {
        <section class="card">
            <h1>{move || if codes.get().is_some() { text::SETUP_DONE_TITLE } else { text::SETUP_TITLE }}</h1>
            {move || { let (info, token) = (info.clone(), token.clone()); match (codes.get(), gone.get()) {
                (Some(codes), _) => view! {
                    <p class="notice" role="status">{text::SETUP_BACKUP_LEAD}</p>
                    <ol class="backup-codes" data-testid="backup-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ol>
                    <p class="actions no-print">
                        <button type="button" class="secondary" on:click=|_| { let _ = window().print(); }>{text::PRINT}</button>
                        <a class="button-link" href="/staff/login">{text::TO_LOGIN}</a>
                    </p>
                }.into_any(),
                (None, Some(m)) => view! { <p class="form-error" role="alert">{m}</p> }.into_any(),
                (None, None) => view! {
                    <p>{text::SETUP_LEAD}</p>
                    <p><strong>{info.name.clone()}</strong>" ／ "{info.email.clone()}</p>
                    <ActionForm action>
                        <FormMessage error/>
                        <input type="hidden" name="token" value=token.clone()/>
                        <input type="text" name="username" value=info.email.clone() autocomplete="username" hidden/>
                        <h2>{text::SETUP_STEP_PASSWORD}</h2>
                        <Field label=text::PASSWORD name="password" input_type="password" value=password required=true autocomplete="new-password"
                            maxlength=39 hint=text::SETUP_PASSWORD_HINT server_error=field_error(error, "password")/>
                        <Field label=text::PASSWORD_CONFIRM name="password_confirm" input_type="password" value=password_confirm required=true
                            autocomplete="new-password" maxlength=39 server_error=field_error(error, "password_confirm")/>
                        <h2>{text::SETUP_STEP_APP}</h2>
                        <p class="hint">{text::SETUP_APP_HINT}</p>
                        <img src=info.qr.clone() alt="認証アプリ登録用のQRコード" width="200" height="200"/>
                        <p>{text::SETUP_SECRET}" "<code class="secret" data-testid="totp-secret">{info.secret.clone()}</code></p>
                        <h2>{text::SETUP_STEP_CODE}</h2>
                        <Field label=text::CODE name="code" value=code required=true autocomplete="one-time-code" inputmode="numeric" maxlength=6
                            hint=text::SETUP_CODE_HINT server_error=field_error(error, "code")/>
                        <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::SETUP_SUBMIT}</button></div>
                    </ActionForm>
                }.into_any(),
            }}}
        </section>
    }
}
