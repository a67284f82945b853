//! The browser entry point. Pages are rendered on the server; only the islands (the forms,
//! `#[island]` in `app`) are hydrated, each from the props the server wrote into the page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::components::provide_action_error_from_url();
    // The loader hydrates the islands after this returns; a page without any is ready now.
    app::components::mark_page_hydrated();
}
