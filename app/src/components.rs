//! Small components every screen uses.

use crate::{SiteInfo, PRODUCT_NAME};
use leptos::prelude::*;

/// Header with the product and society name, the page, and the contact footer.
#[component]
pub fn Layout(site: SiteInfo, children: Children) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-product">{PRODUCT_NAME}</span>
                <span class="brand-society">{site.society_name.clone()}</span>
            </a>
        </header>
        <main class="page">{children()}</main>
        <footer class="site-footer">
            <p class="contact-title">"＜問合先＞"</p>
            <p class="contact">{site.society_contact.clone()}</p>
            <p class="copyright">{site.society_name}</p>
        </footer>
    }
}
