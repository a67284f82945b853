//! A form's conversation with its server function: the action's error, field and form messages, checks.

use crate::error::AppError;
use leptos::prelude::*;

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

/// The message of one field from an action's error.
pub fn field_error(error: Signal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.get().and_then(|e| e.field_message(name)))
}

/// The message above a form (an error for the whole form, or a summary).
#[component]
pub fn FormMessage(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || error.get().and_then(|e| e.form_message()).map(|m| view! { <div class="form-error" role="alert">{m}</div> })
}

/// A field check from a plain function (for `Field`'s `check`).
pub fn check(f: fn(&str) -> Option<String>) -> Callback<String, Option<String>> {
    Callback::new(move |v: String| f(&v))
}

pub fn email_check(v: &str) -> Option<String> {
    crate::domain::Email::parse(v).err().map(|e| e.0)
}

/// The `:token` of a page opened from a link in a mail.
pub fn token_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get("token").unwrap_or_default()
}

/// Why a form posted without JavaScript found its link dead: the server's answer comes back in
/// the page's URL (`?__err=…`), and a page that finds the link unusable says that reason (five
/// wrong tries) rather than the general one.
pub fn gone_reason<I, O>() -> Option<String>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    ServerAction::<I>::new().value().get_untracked().and_then(Result::err).and_then(|e| e.gone_message().map(str::to_string))
}
