//! 職員のパスキー (`/staff/passkeys`): a staff member's own passkeys — the list, adding and
//! removing one after the password and the code — and 「パスキーで認証」 on the staff login
//! (password + passkey in place of the code). See `backend::staff::passkeys`.

use super::StaffPage;
use crate::api::staff::StaffView;
use crate::api::{PasskeyLine, PasskeyStep as Step};
use crate::error::AppError;
use crate::pages::passkeys::{PasskeySection, StaffPasskeyButton};
use crate::text::passkey as text;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaffPasskeysData {
    pub staff: StaffView,
    pub passkeys: Vec<PasskeyLine>,
    /// `STAFF_REQUIRE_PASSKEY` and none yet: nothing else opens until one is added.
    pub must_add: bool,
}

#[server(prefix = "/staff/api")]
pub async fn load_staff_passkeys() -> Result<StaffPasskeysData, AppError> {
    let (state, staff) = crate::backend::edge::staff(crate::backend::edge::PASSKEYS_PAGE, crate::domain::StaffRole::Agent).await?;
    let passkeys = crate::pages::passkeys::lines(crate::backend::staff::passkeys::list(&state, &staff.id).await?);
    Ok(StaffPasskeysData { must_add: state.config.staff_require_passkey && passkeys.is_empty(), passkeys, staff: staff.view() })
}

/// Adding (`remove` empty: then the browser creates it) or removing a passkey, after the
/// password and the code.
#[server(prefix = "/staff/api", endpoint = "passkey/change")]
pub async fn staff_passkey_change(name: String, remove: String, current_password: String, code: Option<String>) -> Result<Step, AppError> {
    use crate::backend::edge;
    use crate::backend::staff::passkeys;
    let (state, staff) = edge::staff(edge::PASSKEYS_PAGE, crate::domain::StaffRole::Agent).await?;
    let session = edge::cookies::STAFF_SESSION.read().unwrap_or_default();
    if current_password.is_empty() {
        return Err(AppError::field("current_password", crate::domain::FieldError::new(text::PASSWORD_REQUIRED)));
    }
    let code = code.unwrap_or_default();
    let ip = edge::client_ip();
    let run = {
        let state = state.clone();
        async move {
            if remove.is_empty() {
                passkeys::begin_add(&state, ip.as_deref(), &staff, &session, &current_password, &code, &name).await
            } else {
                passkeys::remove(&state, ip.as_deref(), &staff, &current_password, &code, &remove)
                    .await
                    .map(|()| Step { done: true, ..Step::default() })
            }
        }
    };
    Ok(edge::to_completion(run).await??)
}

#[server(prefix = "/staff/api", endpoint = "passkey/change/finish")]
pub async fn staff_passkey_change_finish(response: String) -> Result<Step, AppError> {
    use crate::backend::edge;
    let (state, staff) = edge::staff(edge::PASSKEYS_PAGE, crate::domain::StaffRole::Agent).await?;
    let session = edge::cookies::STAFF_SESSION.read().unwrap_or_default();
    let ip = edge::client_ip();
    Ok(crate::backend::staff::passkeys::finish_add(&state, ip.as_deref(), &staff, &session, &response).await?)
}

/// 「パスキーで認証」: the login form's address and password, then the browser is asked for the passkey.
#[server(prefix = "/staff/api", endpoint = "passkey/login")]
pub async fn staff_passkey_login(email: String, password: String, next: String) -> Result<Step, AppError> {
    use crate::backend::edge;
    use crate::backend::platform::ids::new_token;
    let _ = next;
    let state = edge::state()?;
    if email.trim().is_empty() || password.is_empty() {
        return Err(AppError::form(crate::text::staff::LOGIN_WRONG));
    }
    let binding = new_token();
    let client = edge::client();
    let run = {
        let (state, binding) = (state.clone(), binding.clone());
        async move { crate::backend::staff::passkeys::begin_login(&state, &client.borrow(), &binding, &email, &password).await }
    };
    let step = edge::to_completion(run).await??;
    edge::cookies::STAFF_PASSKEY.set(&state, &binding);
    Ok(step)
}

#[server(prefix = "/staff/api", endpoint = "passkey/login/finish")]
pub async fn staff_passkey_login_finish(response: String) -> Result<Step, AppError> {
    use crate::backend::edge;
    let state = edge::state()?;
    let Some(binding) = edge::cookies::STAFF_PASSKEY.read() else { return Err(AppError::form(text::FAILED)) };
    edge::cookies::STAFF_PASSKEY.clear(&state);
    let client = edge::client();
    let run = {
        let state = state.clone();
        async move { crate::backend::staff::passkeys::finish_login(&state, &client.borrow(), &binding, &response).await }
    };
    let token = edge::to_completion(run).await??;
    edge::cookies::STAFF_SESSION.set(&state, &token);
    Ok(Step { go: Some("/staff".into()), ..Step::default() })
}

/// The staff login's 「パスキーで認証」.
#[component]
pub fn StaffLoginPasskey() -> impl IntoView {
    view! { <StaffPasskeyButton begin=StaffPasskeyLogin::PATH finish=StaffPasskeyLoginFinish::PATH/> }
}

#[component]
pub fn StaffPasskeysPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_staff_passkeys());
    view! {
        <StaffPage title=text::STAFF_TITLE data staff=|d: &StaffPasskeysData| d.staff.clone() view=|d: StaffPasskeysData| view! {
            {d.must_add.then(|| view! { <p class="notice" role="status">{text::STAFF_MUST_ADD}</p> })}
            <PasskeySection passkeys=d.passkeys code_needed=true begin=StaffPasskeyChange::PATH finish=StaffPasskeyChangeFinish::PATH
                lead=text::STAFF_LEAD hint=text::STAFF_CONFIRM_HINT/>
        }.into_any()/>
    }
}
