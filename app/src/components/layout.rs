//! The frame of every page and the pages that only say something: layout, done, unusable link, page error.

use crate::api::SiteInfo;
use crate::error::AppError;
use crate::text::PRODUCT_NAME;
use leptos::prelude::*;

/// Header with the product and society name, the page, and the contact footer.
#[component]
pub fn Layout(site: SiteInfo, children: Children) -> impl IntoView {
    // The staff console's pages lead home to the console, the members' to the login page.
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    let home = if path == "/staff" || path.starts_with("/staff/") { "/staff" } else { "/" };
    view! {
        <header class="site-header">
            <a class="brand" href=home>
                <span class="brand-product">{PRODUCT_NAME}</span>
                <span class="brand-society">{site.society_name.clone()}</span>
            </a>
        </header>
        <main class="page">{children()}</main>
        <footer class="site-footer">
            {(home == "/").then(|| view! {
                <nav class="footer-links" aria-label="規約">
                    <a href="/terms">{crate::text::consent::TERMS_TITLE}</a>
                    <a href="/privacy">{crate::text::consent::PRIVACY_TITLE}</a>
                    <a href="/accessibility">{crate::text::accessibility::FOOTER_LINK}</a>
                </nav>
            })}
            <p class="contact-title">"＜問合先＞"</p>
            <p class="contact">{site.society_contact.clone()}</p>
            <p class="copyright">{site.society_name}</p>
        </footer>
    }
}

/// What a page's data answered when it is not the page: the server already answered a
/// redirect with a 302 (`AppError::Redirect`), anything else is said on the page.
#[component]
pub fn PageError(error: AppError) -> impl IntoView {
    (!matches!(error, AppError::Redirect(_))).then(|| view! { <div class="form-error" role="alert">{error.form_message()}</div> })
}

/// A link that can no longer be used, with a way to start again.
#[component]
pub fn LinkInvalid(#[prop(optional, into)] message: Option<String>) -> impl IntoView {
    use crate::text::registration as text;
    view! {
        <section class="card">
            <h1>{text::LINK_INVALID_TITLE}</h1>
            <p>{message.unwrap_or_else(|| text::LINK_INVALID.to_string())}</p>
            <p><a class="button-link" href="/register">{text::START_AGAIN}</a></p>
            <p><a href="/inquiry">{text::INQUIRY_LINK}</a></p>
        </section>
    }
}

/// A link from a mail that can no longer be used (expired, used, cancelled).
#[component]
pub fn LinkInvalidMessage(title: &'static str, message: &'static str) -> impl IntoView {
    view! {
        <section class="card">
            <h1>{title}</h1>
            <p>{message}</p>
            <p><a class="button-link" href="/">{crate::text::login::TITLE}</a></p>
            <p><a href="/inquiry">{crate::text::login::INQUIRY_LINK}</a></p>
        </section>
    }
}

/// The page after a finished step: its title, the outcome, then what to do next.
#[component]
pub fn Done(title: &'static str, message: &'static str, children: Children) -> impl IntoView {
    view! {
        <leptos_meta::Title text=title/>
        <section class="card">
            <h1>{title}</h1>
            <p class="notice" role="status">{message}</p>
            {children()}
        </section>
    }
}
