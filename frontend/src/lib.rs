//! The browser entry point: hydrates the server-rendered page.

use app::{SiteInfo, META_SOCIETY_CONTACT, META_SOCIETY_NAME};
use leptos::prelude::*;

fn meta_content(name: &str) -> String {
    document()
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_default()
}

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let site = SiteInfo {
        society_name: meta_content(META_SOCIETY_NAME),
        society_contact: meta_content(META_SOCIETY_CONTACT),
    };
    leptos::mount::hydrate_body(move || {
        provide_context(site.clone());
        view! { <app::App/> }
    });
    // Browser tests wait for this before they type.
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
