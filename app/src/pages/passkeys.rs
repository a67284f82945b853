//! パスキー on the member's pages: セキュリティ設定's list and forms, 「パスキーでログイン」 on the
//! login page, 「パスキーで確認」 on the code page. The ceremonies run in `public/passkey.js`
//! (plain JavaScript loaded by these pages only, so no page's wasm grows) through the server
//! functions below; without JavaScript or WebAuthn the page says so and the password works as
//! before. See `backend::members::passkeys`.

use crate::error::AppError;
use crate::text::passkey as text;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::{PasskeyLine, PasskeyStep as Step};

/// The script the passkey pages load (a `defer` script: it wires the buttons once parsed).
const SCRIPT: &str = "/passkey.js";

// ---------------------------------------------------------------- セキュリティ設定

#[cfg(feature = "ssr")]
fn time_label(at: i64) -> String {
    chrono::DateTime::from_timestamp(at + 9 * 3600, 0).map(|t| t.format("%Y年%-m月%-d日 %H:%M").to_string()).unwrap_or_default()
}

/// The page's lines of an owner's passkeys.
#[cfg(feature = "ssr")]
pub fn lines(registered: Vec<crate::backend::identity::webauthn::Registered>) -> Vec<PasskeyLine> {
    registered
        .into_iter()
        .map(|p| PasskeyLine {
            id: p.id,
            name: p.name,
            created: time_label(p.created_at),
            last_used: p.last_used_at.map(time_label),
            counter: p.sign_count,
            synced: p.backup_eligible != 0,
        })
        .collect()
}

/// Adding (`remove` empty) or removing a passkey: the password and an existing factor first.
#[server(endpoint = "passkey/change")]
pub async fn passkey_change(name: String, remove: String, current_password: String, code: Option<String>) -> Result<Step, AppError> {
    use crate::backend::edge;
    use crate::backend::members::passkeys::{self, Change};
    let (state, member) = edge::member("/security").await?;
    let session = edge::cookies::SESSION.read().unwrap_or_default();
    if current_password.is_empty() {
        return Err(AppError::field("current_password", crate::domain::FieldError::new(text::PASSWORD_REQUIRED)));
    }
    let code = code.unwrap_or_default();
    if crate::backend::members::two_step::enrolled(&state.db, &member.account_id).await? && code.trim().is_empty() {
        return Err(AppError::field("code", crate::domain::FieldError::new(text::CODE_REQUIRED)));
    }
    let change = if remove.is_empty() { Change::Add { name } } else { Change::Remove { id: remove } };
    let ip = edge::client_ip();
    let run = {
        let state = state.clone();
        async move { passkeys::begin_change(&state, ip.as_deref(), &member, &session, &current_password, &code, change).await }
    };
    Ok(edge::to_completion(run).await??)
}

#[server(endpoint = "passkey/change/finish")]
pub async fn passkey_change_finish(response: String) -> Result<Step, AppError> {
    use crate::backend::edge;
    use crate::backend::members::passkeys;
    let (state, member) = edge::member("/security").await?;
    let session = edge::cookies::SESSION.read().unwrap_or_default();
    let ip = edge::client_ip();
    let run = {
        let state = state.clone();
        async move { passkeys::finish_change(&state, ip.as_deref(), &member, &session, &response).await }
    };
    Ok(edge::to_completion(run).await??)
}

/// The wiring `public/passkey.js` reads: which server functions, and what to say when.
macro_rules! wired {
    ($class:literal, $begin:expr, $finish:expr, $next:expr, $($body:tt)*) => {
        view! {
            <div class=$class data-passkey="" data-begin=$begin data-finish=$finish data-next=$next
                data-unsupported=text::UNSUPPORTED data-cancelled=text::CANCELLED>
                $($body)*
            </div>
        }
    };
    // The fields come from another form of the page (`data-form`: its selector).
    (form $form:literal, $class:literal, $begin:expr, $finish:expr, $($body:tt)*) => {
        view! {
            <div class=$class data-passkey="" data-begin=$begin data-finish=$finish data-form=$form
                data-unsupported=text::UNSUPPORTED data-cancelled=text::CANCELLED>
                $($body)*
            </div>
        }
    };
}

#[component]
fn Status() -> impl IntoView {
    view! {
        <div class="form-error" role="alert" data-passkey-status="" hidden=true></div>
        <noscript><p class="notice">{text::NO_SCRIPT}</p></noscript>
    }
}

/// セキュリティ設定's パスキー: the list (name, times, synchronised or not, the counter) and the
/// forms to add and remove, each asking the password and the code when an app is set.
#[component]
pub fn PasskeySection(
    passkeys: Vec<PasskeyLine>,
    /// An authenticator app is set: its code is asked with the password.
    code_needed: bool,
    /// The server functions of the change (`passkey_change` and its finish, or the staff's).
    #[prop(optional)]
    begin: Option<&'static str>,
    #[prop(optional)] finish: Option<&'static str>,
    #[prop(default = text::LEAD)] lead: &'static str,
    #[prop(default = text::CONFIRM_HINT)] hint: &'static str,
) -> impl IntoView {
    let begin = begin.unwrap_or(PasskeyChange::PATH);
    let finish = finish.unwrap_or(PasskeyChangeFinish::PATH);
    let confirm_fields = move |prefix: &'static str| {
        view! {
            <div class="field">
                <label for=format!("{prefix}-password")>{text::CURRENT_PASSWORD}</label>
                <input id=format!("{prefix}-password") name="current_password" type="password" autocomplete="current-password" maxlength="39" required/>
            </div>
            {code_needed.then(|| view! {
                <div class="field">
                    <label for=format!("{prefix}-code")>{text::CODE}</label>
                    <input id=format!("{prefix}-code") name="code" autocomplete="one-time-code" maxlength="20" required/>
                </div>
            })}
        }
    };
    view! {
        <section class="card passkeys" data-testid="passkeys">
            <h2>{text::TITLE}</h2>
            <p>{lead}</p>
            {if passkeys.is_empty() {
                view! { <p>{text::NONE}</p> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <caption class="visually-hidden">{text::TITLE}</caption>
                        <thead><tr>
                            <th scope="col">{text::COL_NAME}</th><th scope="col">{text::COL_CREATED}</th>
                            <th scope="col">{text::COL_LAST_USED}</th><th scope="col">{text::COL_SYNCED}</th><th scope="col">{text::COL_COUNTER}</th>
                        </tr></thead>
                        <tbody>
                            {passkeys.iter().map(|p| view! {
                                <tr>
                                    <td data-label=text::COL_NAME>{p.name.clone()}</td>
                                    <td data-label=text::COL_CREATED>{p.created.clone()}</td>
                                    <td data-label=text::COL_LAST_USED>{p.last_used.clone().unwrap_or_else(|| text::NEVER_USED.into())}</td>
                                    <td data-label=text::COL_SYNCED>{if p.synced { text::SYNCED_YES } else { text::SYNCED_NO }}</td>
                                    <td data-label=text::COL_COUNTER>{p.counter}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <p class="hint">{hint}</p>
            {wired!("passkey-add", begin, finish, "",
                <Status/>
                <form data-passkey-hidden="" hidden=true>
                    <h3>{text::ADD_TITLE}</h3>
                    <input type="hidden" name="remove" value=""/>
                    <div class="field">
                        <label for="passkey-name">{text::NAME}</label>
                        <input id="passkey-name" name="name" maxlength="30" required aria-describedby="passkey-name-hint"/>
                        <p class="hint" id="passkey-name-hint">{text::NAME_HINT}</p>
                    </div>
                    {confirm_fields("passkey-add")}
                    <div class="actions"><button type="submit">{text::ADD}</button></div>
                </form>
            )}
            {(!passkeys.is_empty()).then(|| view! {
                {wired!("passkey-remove", begin, finish, "",
                    <Status/>
                    <form data-passkey-hidden="" hidden=true>
                        <h3>{text::REMOVE_TITLE}</h3>
                        <input type="hidden" name="name" value=""/>
                        <div class="field">
                            <label for="passkey-remove">{text::REMOVE_LABEL}</label>
                            <select id="passkey-remove" name="remove">
                                {passkeys.iter().map(|p| view! { <option value=p.id.clone()>{p.name.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        {confirm_fields("passkey-remove")}
                        <div class="actions"><button type="submit" class="danger">{text::REMOVE}</button></div>
                    </form>
                )}
            })}
            <script src=SCRIPT defer=true></script>
        </section>
    }
    .into_any()
}

// ---------------------------------------------------------------- login

#[server(endpoint = "passkey/login")]
pub async fn passkey_login(next: String) -> Result<Step, AppError> {
    use crate::backend::edge;
    use crate::backend::platform::ids::new_token;
    let state = edge::state()?;
    let binding = new_token();
    let step = crate::backend::members::passkeys::begin_login(&state, &binding, &next).await?;
    edge::cookies::PASSKEY.set(&state, &binding);
    Ok(step)
}

#[server(endpoint = "passkey/login/finish")]
pub async fn passkey_login_finish(response: String) -> Result<Step, AppError> {
    use crate::backend::edge;
    let state = edge::state()?;
    let Some(binding) = edge::cookies::PASSKEY.read() else { return Err(AppError::form(text::FAILED)) };
    edge::cookies::PASSKEY.clear(&state);
    let client = edge::client();
    let run = {
        let state = state.clone();
        async move { crate::backend::members::passkeys::finish_login(&state, &client.borrow(), &binding, &response).await }
    };
    let (session, next) = edge::to_completion(run).await??;
    edge::cookies::SESSION.set(&state, &session);
    Ok(Step { go: Some(next), ..Step::default() })
}

/// 「パスキーでログイン」 under the login form.
#[component]
pub fn PasskeyLoginButton(next: String) -> impl IntoView {
    view! {
        {wired!("passkey-login", PasskeyLogin::PATH, PasskeyLoginFinish::PATH, next,
            <Status/>
            <div data-passkey-hidden="" hidden=true>
                <p class="hint">{text::LOGIN_HINT}</p>
                <div class="actions"><button type="button" class="secondary">{text::LOGIN_BUTTON}</button></div>
            </div>
        )}
        <script src=SCRIPT defer=true></script>
    }
    .into_any()
}

#[server(endpoint = "passkey/second")]
pub async fn passkey_second(next: String) -> Result<Step, AppError> {
    use crate::backend::edge;
    let _ = next;
    let state = edge::state()?;
    let Some(token) = edge::cookies::LOGIN_CODE.read() else {
        return Err(AppError::Gone(crate::text::two_step::LOGIN_CODE_EXPIRED.into()));
    };
    Ok(crate::backend::members::passkeys::begin_second(&state, &token).await?)
}

#[server(endpoint = "passkey/second/finish")]
pub async fn passkey_second_finish(response: String) -> Result<Step, AppError> {
    use crate::backend::edge;
    let state = edge::state()?;
    let Some(token) = edge::cookies::LOGIN_CODE.read() else {
        return Err(AppError::Gone(crate::text::two_step::LOGIN_CODE_EXPIRED.into()));
    };
    let client = edge::client();
    let run = {
        let state = state.clone();
        async move { crate::backend::members::passkeys::finish_second(&state, &client.borrow(), &token, &response).await }
    };
    let (session, next) = edge::to_completion(run).await??;
    edge::cookies::SESSION.set(&state, &session);
    edge::cookies::LOGIN_CODE.clear(&state);
    Ok(Step { go: Some(next), ..Step::default() })
}

/// 「パスキーで確認」 on the code page of a login whose account has a passkey.
#[component]
pub fn PasskeySecondButton() -> impl IntoView {
    view! {
        {wired!("passkey-second", PasskeySecond::PATH, PasskeySecondFinish::PATH, "",
            <Status/>
            <div data-passkey-hidden="" hidden=true>
                <p class="hint">{text::SECOND_HINT}</p>
                <div class="actions"><button type="button">{text::SECOND_BUTTON}</button></div>
            </div>
        )}
        <script src=SCRIPT defer=true></script>
    }
    .into_any()
}

// ---------------------------------------------------------------- the staff login

/// 「パスキーで認証」 under the staff login form: its address and password, then the passkey.
#[component]
pub fn StaffPasskeyButton(begin: &'static str, finish: &'static str) -> impl IntoView {
    view! {
        {wired!(form ".staff-login form", "passkey-staff", begin, finish,
            <Status/>
            <div data-passkey-hidden="" hidden=true>
                <p class="hint">{text::STAFF_LOGIN_HINT}</p>
                <div class="actions"><button type="button" class="secondary">{text::STAFF_LOGIN_BUTTON}</button></div>
            </div>
        )}
        <script src=SCRIPT defer=true></script>
    }
    .into_any()
}
