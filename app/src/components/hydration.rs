//! When a page is interactive: islands count themselves hydrated; an error posted before hydration is kept.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
thread_local!(static HYDRATED_ISLANDS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });

/// Every island calls this: counts it as interactive once it has hydrated (a lazy island
/// loads its code first), see `mark_page_hydrated`.
pub fn island_hydrated() {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        HYDRATED_ISLANDS.set(HYDRATED_ISLANDS.get() + 1);
        mark_page_hydrated();
    });
}

/// `<html data-hydrated>` once every island of the page is interactive: browser tests wait
/// for it before they type. Also called by the entry point, for pages without islands.
#[cfg(feature = "hydrate")]
pub fn mark_page_hydrated() {
    let doc = document();
    let islands = doc.get_elements_by_tag_name("leptos-island").length();
    if HYDRATED_ISLANDS.get() >= islands {
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    }
}

/// A form posted before its island was interactive comes back to the page with
/// `?__err=…&__path=…`: the server rendered that error, so the island must start with it too.
/// (On the server the router provides it.)
#[cfg(feature = "hydrate")]
pub fn provide_action_error_from_url() {
    use leptos_router::location::{BrowserUrl, LocationProvider};
    if let Ok(url) = BrowserUrl::current() {
        url.provide_server_action_error();
    }
}
