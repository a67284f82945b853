//! ログイン・パスワード問い合わせ専用フォーム: for members who cannot register or log in.

use crate::api::FormWithCaptcha;
use crate::components::{
    action_error, bind_value, check, email_check, field_error, island_hydrated, BirthDateField, CaptchaField, Done, Field, FormMessage,
    MemberNumberFields,
};
use crate::domain::{self, InquiryKind};
use crate::error::AppError;
use crate::text::inquiry as text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server]
pub async fn inquiry_form() -> Result<FormWithCaptcha, AppError> {
    let state = crate::backend::edge::state()?;
    Ok(FormWithCaptcha::new(&state, crate::backend::edge::client_ip().as_deref()).await?)
}

#[server]
pub async fn send_inquiry(
    kind: String,
    name: String,
    kigo: String,
    bango: String,
    year: String,
    month: String,
    day: String,
    email: String,
    phone: String,
    body: String,
    captcha_id: String,
    captcha: String,
) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::identity::captcha as captchas;
    use crate::backend::members::inquiry;
    use crate::error::FieldErrors;
    let state = edge::state()?;
    let mut errors = FieldErrors::default();
    let input = (
        errors.check("name", domain::parse_name(&name)),
        errors.check("kigo", domain::Kigo::parse(&kigo)),
        errors.check("bango", domain::Bango::parse(&bango)),
        errors.check("birth_date", domain::BirthDate::from_form(&year, &month, &day).and_then(|d| d.not_after(state.clock.today()))),
        errors.check("email", domain::Email::parse(&email)),
        errors.check("phone", domain::parse_phone(&phone)),
        errors.check("kind", InquiryKind::parse(&kind)),
        errors.check("body", domain::parse_inquiry_body(&body)),
    );
    if let Some(refusal) = captchas::check(&state, edge::client_ip().as_deref(), &captcha_id, &captcha).await?.refusal() {
        errors.add("captcha", refusal);
    }
    let (name, kigo, bango, birth_date, email, phone, kind, body) = errors.finish(input)?;
    let input = crate::domain::InquiryInput { kind, name, kigo, bango, birth_date, email, phone, body };
    let reference = inquiry::submit(&state, edge::client_ip().as_deref(), &input).await?;
    leptos_axum::redirect(&format!("/inquiry/sent?ref={reference}"));
    Ok(())
}

#[component]
pub fn InquiryPage() -> impl IntoView {
    let form = Resource::new_blocking(|| (), |_| inquiry_form());
    view! {
        <Title text=text::INQUIRY_TITLE/>
        <Suspense>
            {move || form.get().map(|f| match f {
                Ok(f) => view! {
                    <section class="card">
                        <h1>{text::INQUIRY_TITLE}</h1>
                        <p>{text::INQUIRY_LEAD}</p>
                        <InquiryForm form=f/>
                    </section>
                }.into_any(),
                Err(_) => view! { <super::error::ErrorPage/> }.into_any(),
            })}
        </Suspense>
    }
}

#[island(lazy)]
fn InquiryForm(form: FormWithCaptcha) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<SendInquiry>::new();
    let error = action_error(action);
    let submits = Memo::new(move |_| action.version().get());
    let [name, kigo, bango, email, phone] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let body = RwSignal::new(String::new());
    let body_input = NodeRef::<leptos::html::Textarea>::new();
    bind_value(body_input, body);
    let body_touched = RwSignal::new(false);
    let body_error = Memo::new(move |_| {
        if body_touched.get() {
            domain::parse_inquiry_body(&body.get()).err().map(|e| e.0)
        } else {
            field_error(error, "body").get()
        }
    });
    Effect::new(move |_| {
        error.track();
        body_touched.set(false);
    });
    let kind_error = field_error(error, "kind");
    view! {
        <ActionForm action>
            <FormMessage error/>
            <div class="field">
                <label for="kind" class="required">{text::KIND}</label>
                <select id="kind" name="kind" required aria-invalid=move || kind_error.get().is_some().to_string() aria-describedby="kind-error">
                    <option value="">{text::KIND_CHOOSE}</option>
                    {InquiryKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view()}
                </select>
                <p class="field-error" id="kind-error" role="alert">{move || kind_error.get()}</p>
            </div>
            <Field label=text::NAME name="name" value=name required=true hint=text::NAME_HINT autocomplete="name" maxlength=40
                server_error=field_error(error, "name") check=check(|v| domain::parse_name(v).err().map(|e| e.0))/>
            <MemberNumberFields kigo bango error/>
            <BirthDateField this_year=form.this_year error/>
            {/* Not type="email": the browser would refuse ＠ and full-width letters the server folds. */}
            <Field label=text::CONTACT_EMAIL name="email" value=email required=true hint=text::CONTACT_EMAIL_HINT
                autocomplete="email" inputmode="email" maxlength=254 server_error=field_error(error, "email") check=check(email_check)/>
            <Field label=text::PHONE name="phone" input_type="tel" value=phone hint=text::PHONE_HINT autocomplete="tel" inputmode="tel" maxlength=20
                server_error=field_error(error, "phone") check=check(|v| domain::parse_phone(v).err().map(|e| e.0))/>
            <div class="field">
                <label for="body" class="required">{text::BODY}</label>
                <textarea id="body" name="body" rows="6" maxlength="2000" required aria-describedby="body-hint body-error"
                    aria-invalid=move || body_error.get().is_some().to_string()
                    node_ref=body_input
                    on:input=move |ev| { body.set(event_target_value(&ev)); body_touched.set(true); }></textarea>
                <span class="hint" id="body-hint">{text::BODY_HINT}</span>
                <p class="field-error" id="body-error" role="alert">{move || body_error.get()}</p>
            </div>
            <CaptchaField initial=form.captcha server_error=field_error(error, "captcha") renew=submits/>
            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::INQUIRY_SEND}</button></div>
        </ActionForm>
    }
}

/// Only a well-formed reference is shown (the page's URL can be typed by anyone).
fn valid_reference(r: &str) -> bool {
    let b = r.as_bytes();
    r.len() == 15
        && r.starts_with("Q-")
        && b[2..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-'
        && b[11..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[component]
pub fn InquirySentPage() -> impl IntoView {
    let query = use_query_map();
    let reference = move || query.read().get("ref").filter(|r| valid_reference(r));
    view! {
        <Done title=text::INQUIRY_SENT_TITLE message=text::INQUIRY_SENT>
            {move || reference().map(|r| view! {
                <p class="identity-key"><span class="identity-key-label">{text::INQUIRY_REFERENCE}</span><strong class="reference" data-testid="reference">{r}</strong></p>
            })}
            <p>{text::INQUIRY_SENT_NEXT}</p>
            <p><a class="button-link" href="/">{crate::text::login::TITLE}</a></p>
        </Done>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_well_formed_references_are_shown() {
        assert!(super::valid_reference("Q-20261125-7K3M"));
        for bad in ["", "Q-2026112-7K3MM", "Q-20261125-7k3m", "電話してください0120", "Q-20261125_7K3M"] {
            assert!(!super::valid_reference(bad), "{bad}");
        }
    }
}
