//! Password fields: the strength meter, 「パスワードを表示する」 and the new-password pair.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

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
