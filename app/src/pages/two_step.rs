//! 2段階認証: the code after the password (`/login/code`), セキュリティ設定 (`/security`: enrol,
//! backup codes, turn off) and the backup codes shown once (`/security/codes`). The forms are
//! server-rendered, not islands: one field each, checked on the server, and no wasm on any page
//! grows for them (shared island code lands in the module every page loads).

use crate::api::SecurityData;
use crate::components::{action_error, field_error, Field, FormMessage, LinkInvalidMessage, PageError};
use crate::error::AppError;
use crate::text::two_step as text;
use leptos::prelude::*;
use leptos_meta::Title;

// ---------------------------------------------------------------- /login/code

/// Whether this browser has a login waiting for its second step, and which it may use:
/// (the code of an authenticator app, a passkey).
#[server]
pub async fn login_code_waiting() -> Result<Option<(bool, bool)>, AppError> {
    use crate::backend::edge;
    use crate::backend::members::two_step;
    let state = edge::state()?;
    match edge::cookies::LOGIN_CODE.read() {
        Some(token) => Ok(two_step::waiting_factors(&state, &token).await?),
        None => Ok(None),
    }
}

#[server]
pub async fn login_code(code: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::identity::throttle::LoginError;
    use crate::backend::members::two_step;
    let state = edge::state()?;
    let Some(token) = edge::cookies::LOGIN_CODE.read() else { return Err(LoginError::CodeExpired.into()) };
    if code.trim().is_empty() {
        return Err(AppError::field("code", crate::domain::FieldError::new(text::CODE_REQUIRED)));
    }
    let client = edge::client();
    let checking = {
        let state = state.clone();
        async move { two_step::finish(&state, &client.borrow(), &token, &code).await }
    };
    // Counted and audited like a password: it runs to its end even if the browser goes away.
    match edge::to_completion(checking).await? {
        Ok((session, next)) => {
            edge::cookies::SESSION.set(&state, &session);
            edge::cookies::LOGIN_CODE.clear(&state);
            leptos_axum::redirect(&next);
            Ok(())
        }
        Err(e) => {
            if matches!(e, LoginError::CodeExpired | LoginError::Locked) {
                edge::cookies::LOGIN_CODE.clear(&state);
            }
            Err(e.into())
        }
    }
}

#[component]
fn CodeExpired() -> impl IntoView {
    view! {
        <LinkInvalidMessage title=text::LOGIN_CODE_TITLE message=text::LOGIN_CODE_EXPIRED/>
    }
}

#[component]
pub fn LoginCodePage() -> impl IntoView {
    let waiting = Resource::new_blocking(|| (), |_| login_code_waiting());
    view! {
        <Title text=text::LOGIN_CODE_TITLE/>
        <Suspense>
            {move || waiting.get().map(|w| match w {
                Ok(Some((code, passkey))) => view! { <LoginCodeForm code passkey/> }.into_any(),
                _ => view! { <CodeExpired/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn LoginCodeForm(code: bool, passkey: bool) -> impl IntoView {
    let with_code = code;
    let action = ServerAction::<LoginCode>::new();
    let error = action_error(action);
    let ended = Memo::new(move |_| error.get().is_some_and(|e| e.gone_message().is_some()));
    let code = RwSignal::new(String::new());
    view! {
        <Show when=move || !ended.get() fallback=CodeExpired>
            <section class="card">
                <h1>{text::LOGIN_CODE_TITLE}</h1>
                {with_code.then(|| view! {
                    <p>{text::LOGIN_CODE_LEAD}</p>
                    <ActionForm action>
                        <FormMessage error/>
                        <Field label=text::LOGIN_CODE_LABEL name="code" value=code required=true hint=text::LOGIN_CODE_BACKUP
                            autocomplete="one-time-code" maxlength=20 server_error=field_error(error, "code")/>
                        <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::LOGIN_CODE_BUTTON}</button></div>
                    </ActionForm>
                }.into_any())}
                {passkey.then(|| view! { <super::passkeys::PasskeySecondButton/> }.into_any())}
                <p class="hint">{text::LOST_BOTH}" "<a href="/inquiry">{crate::text::login::INQUIRY_LINK}</a></p>
            </section>
        </Show>
    }
}

// ---------------------------------------------------------------- /security

#[server]
pub async fn load_security() -> Result<SecurityData, AppError> {
    use crate::backend::edge;
    use crate::backend::identity::totp;
    use crate::backend::members::two_step;
    let (state, member) = edge::member("/security").await?;
    let session = edge::cookies::SESSION.read().unwrap_or_default();
    let status = two_step::status(&state, &member.account_id, &session).await?;
    let qr = status
        .setup_secret
        .as_deref()
        .and_then(|secret| totp::url(secret, &two_step::issuer(&state), &member.login_id))
        .and_then(|url| crate::backend::identity::totp::qr_data_uri(&url));
    // The key in groups of four, as authenticator apps show what they expect typed.
    let secret =
        status.setup_secret.map(|s| s.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" "));
    let passkeys = super::passkeys::lines(crate::backend::members::passkeys::list(&state, &member.account_id).await?);
    Ok(SecurityData {
        passkeys,
        enrolled: status.enrolled,
        required: state.config.member_2fa_required,
        backup_codes_left: status.backup_codes_left,
        qr,
        secret,
    })
}

/// Hands the new backup codes to `/security/codes` (sealed cookie) and goes there.
#[cfg(feature = "ssr")]
fn show_codes(state: &crate::backend::platform::AppState, account_id: &str, enrolled: bool, codes: &[String]) {
    use crate::backend::edge;
    use crate::backend::members::two_step;
    let sealed = two_step::seal_codes(account_id, enrolled, codes);
    edge::cookies::BACKUP_CODES.set(state, &sealed);
    leptos_axum::redirect("/security/codes");
}

/// The fields a factor change asks for: the password (named `password_field`, as a page's ids
/// are unique) and the code, each with its message when empty.
#[cfg(feature = "ssr")]
fn require_password_and_code(password_field: &'static str, password: &str, code: &str) -> Result<(), AppError> {
    let mut errors = crate::error::FieldErrors::default();
    if password.is_empty() {
        errors.add(password_field, text::PASSWORD_REQUIRED);
    }
    if code.trim().is_empty() {
        errors.add("code", text::CODE_REQUIRED);
    }
    errors.finish(())
}

#[server]
pub async fn enrol_two_step(enrol_password: String, code: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::two_step;
    let (state, member) = edge::member("/security").await?;
    require_password_and_code("enrol_password", &enrol_password, &code)?;
    let typed = crate::domain::normalize_digits(&code).replace([' ', '\u{3000}'], "");
    let session = edge::cookies::SESSION.read().unwrap_or_default();
    let codes = two_step::enrol(&state, edge::client_ip().as_deref(), &member, &session, &enrol_password, &typed)
        .await
        .map_err(|e| AppError::from(e).rename_field("current_password", "enrol_password"))?;
    show_codes(&state, &member.account_id, true, &codes);
    Ok(())
}

#[server]
pub async fn renew_backup_codes(current_password: String, renew_code: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::two_step;
    let (state, member) = edge::member("/security").await?;
    require_password_and_code("current_password", &current_password, &renew_code).map_err(|e| e.rename_field("code", "renew_code"))?;
    let keep = edge::cookies::SESSION.read();
    let codes =
        two_step::renew_backup_codes(&state, edge::client_ip().as_deref(), &member, keep.as_deref(), &current_password, &renew_code)
            .await
            .map_err(|e| AppError::from(e).rename_field("code", "renew_code"))?;
    show_codes(&state, &member.account_id, false, &codes);
    Ok(())
}

/// Its password field is `password`, not `current_password`: the renewal form on the same page
/// has that one, and a page's ids are unique.
#[server]
pub async fn disable_two_step(password: String, code: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::two_step;
    let (state, member) = edge::member("/security").await?;
    require_password_and_code("password", &password, &code)?;
    let keep = edge::cookies::SESSION.read();
    two_step::disable(&state, edge::client_ip().as_deref(), &member, keep.as_deref(), &password, &code)
        .await
        .map_err(|e| AppError::from(e).rename_field("current_password", "password"))?;
    leptos_axum::redirect("/security?disabled=1");
    Ok(())
}

#[component]
pub fn SecurityPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_security());
    let disabled = leptos_router::hooks::use_query_map().read_untracked().get("disabled").is_some();
    view! {
        <Title text=text::TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(d) => {
                    let first = d.required && !d.enrolled && d.passkeys.is_empty();
                    let passkeys = d.passkeys.clone();
                    view! {
                        <section class="card security">
                            <h1>{text::TITLE}</h1>
                            {disabled.then(|| view! { <p class="notice" role="status">{text::DISABLED}</p> })}
                            {first.then(|| view! { <p class="notice">{text::REQUIRED_LEAD}</p> })}
                            <p>{text::LEAD}</p>
                            <p class="hint">{text::OTHERS_ENDED}</p>
                            <p class="status"><strong>{if d.enrolled { text::ON } else { text::OFF }}</strong></p>
                            {match (d.qr, d.secret) {
                                (Some(qr), Some(secret)) => view! {
                                    <p>{text::STEP_SCAN}</p>
                                    <img class="qr" src=qr alt=text::QR_ALT width="180" height="180"/>
                                    <p class="secret-box">{text::SECRET_LABEL}"："<code class="totp-secret" data-testid="totp-secret">{secret}</code></p>
                                    <p>{text::STEP_CONFIRM}</p>
                                    <p>{text::STEP_PASSWORD}</p>
                                    <EnrolForm/>
                                }.into_any(),
                                _ => view! {
                                    <p>{text::BACKUP_LEFT}{d.backup_codes_left}"個"</p>
                                }.into_any(),
                            }}
                        </section>
                        {d.enrolled.then(|| view! {
                            <section class="card">
                                <h2>{text::BACKUP_RENEW}</h2>
                                <p class="hint">{text::BACKUP_RENEW_HINT}" "{text::BACKUP_RENEW_NEEDS}</p>
                                <RenewForm/>
                            </section>
                            <section class="card">
                                <h2>{text::DISABLE_TITLE}</h2>
                                {if d.required {
                                    view! { <p>{text::REQUIRED_NO_DISABLE}</p> }.into_any()
                                } else {
                                    view! { <p class="hint">{text::DISABLE_HINT}</p><DisableForm/> }.into_any()
                                }}
                            </section>
                        })}
                        <super::passkeys::PasskeySection passkeys code_needed=d.enrolled/>
                        <super::login::Menu logout_only=first/>
                    }.into_any()
                }
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn EnrolForm() -> impl IntoView {
    let action = ServerAction::<EnrolTwoStep>::new();
    let error = action_error(action);
    let (code, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    view! {
        <ActionForm action>
            <FormMessage error/>
            <Field label=text::CODE name="code" value=code required=true hint=text::CODE_HINT autocomplete="one-time-code"
                inputmode="numeric" maxlength=7 server_error=field_error(error, "code")/>
            <Field label=text::REAUTH name="enrol_password" input_type="password" value=password required=true
                autocomplete="current-password" maxlength=39 server_error=field_error(error, "enrol_password")/>
            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::ENROL}</button></div>
        </ActionForm>
    }
}

#[component]
fn RenewForm() -> impl IntoView {
    let action = ServerAction::<RenewBackupCodes>::new();
    let error = action_error(action);
    let (password, code) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    view! {
        <ActionForm action>
            <FormMessage error/>
            <Field label=text::REAUTH name="current_password" input_type="password" value=password required=true
                autocomplete="current-password" maxlength=39 server_error=field_error(error, "current_password")/>
            <Field label=text::LOGIN_CODE_LABEL name="renew_code" value=code required=true autocomplete="one-time-code" maxlength=20
                server_error=field_error(error, "renew_code")/>
            <div class="actions"><button type="submit" class="secondary" disabled=move || action.pending().get()>{text::BACKUP_RENEW}</button></div>
        </ActionForm>
    }
}

#[component]
fn DisableForm() -> impl IntoView {
    let action = ServerAction::<DisableTwoStep>::new();
    let error = action_error(action);
    let (password, code) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    view! {
        <ActionForm action>
            <FormMessage error/>
            <Field label=text::REAUTH name="password" input_type="password" value=password required=true
                autocomplete="current-password" maxlength=39 server_error=field_error(error, "password")/>
            <Field label=text::LOGIN_CODE_LABEL name="code" value=code required=true autocomplete="one-time-code" maxlength=20
                server_error=field_error(error, "code")/>
            <div class="actions"><button type="submit" class="danger" disabled=move || action.pending().get()>{text::DISABLE}</button></div>
        </ActionForm>
    }
}

// ---------------------------------------------------------------- /security/codes

/// The backup codes just made, once: the cookie that carried them is deleted as they are shown.
#[server]
pub async fn take_backup_codes() -> Result<Option<(bool, Vec<String>)>, AppError> {
    use crate::backend::edge;
    use crate::backend::members::two_step;
    let (state, member) = edge::member("/security/codes").await?;
    let codes = edge::cookies::BACKUP_CODES.read().and_then(|sealed| two_step::open_codes(&member.account_id, &sealed));
    edge::cookies::BACKUP_CODES.clear(&state);
    Ok(codes)
}

#[component]
pub fn BackupCodesPage() -> impl IntoView {
    let codes = Resource::new_blocking(|| (), |_| take_backup_codes());
    view! {
        <Title text=text::BACKUP_TITLE/>
        <Suspense>
            {move || codes.get().map(|c| match c {
                Ok(Some((enrolled, codes))) => view! {
                    <section class="card">
                        <h1>{text::BACKUP_TITLE}</h1>
                        <p class="notice" role="status">{if enrolled { text::ENROLLED } else { text::RENEWED }}</p>
                        <p>{text::BACKUP_LEAD}</p>
                        <ol class="backup-codes" data-testid="backup-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ol>
                        <ul class="links">
                            <li><a href="/home">{text::TO_HOME}</a></li>
                            <li><a href="/profile">{text::TO_PROFILE}</a></li>
                        </ul>
                    </section>
                }.into_any(),
                Ok(None) => view! {
                    <section class="card">
                        <h1>{text::BACKUP_TITLE}</h1>
                        <p>{text::CODES_GONE}</p>
                        <p><a href="/security">{text::TITLE}</a></p>
                    </section>
                }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}
