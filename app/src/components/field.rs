//! `Field`: one checked input, bound to its signal without losing what was typed before hydration.

use leptos::prelude::*;

/// An element with a `value` the member types into.
pub trait TypedValue {
    fn typed(&self) -> String;
    fn show(&self, value: &str);
}

impl TypedValue for leptos::web_sys::HtmlInputElement {
    fn typed(&self) -> String {
        self.value()
    }
    fn show(&self, value: &str) {
        self.set_value(value)
    }
}

impl TypedValue for leptos::web_sys::HtmlTextAreaElement {
    fn typed(&self) -> String {
        self.value()
    }
    fn show(&self, value: &str) {
        self.set_value(value)
    }
}

/// Keeps an input and its signal the same, in place of `prop:value`, which would clear at
/// hydration what the member typed while the page was still loading (islands hydrate when
/// the browser is idle, seconds later on an old phone): the first run takes the typed text.
pub fn bind_value<E>(node: NodeRef<E>, value: RwSignal<String>)
where
    E: leptos::html::ElementType + 'static,
    E::Output: TypedValue + leptos::wasm_bindgen::JsCast + Clone + 'static,
{
    Effect::new(move |bound: Option<bool>| {
        value.track();
        let Some(el) = node.get() else { return false };
        if bound == Some(true) {
            let v = value.get_untracked();
            if el.typed() != v {
                el.show(&v);
            }
        } else {
            let typed = el.typed();
            if typed != value.get_untracked() {
                value.set(typed);
            }
        }
        true
    });
}

/// A checked input: the member's mistake is shown next to it while typing
/// (with the shared parser) and after the server answered (without JavaScript too).
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] server_error: Signal<Option<String>>,
    #[prop(into, default = Signal::stored("text"))] input_type: Signal<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(into, default = None)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] check: Option<Callback<String, Option<String>>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let touched = RwSignal::new(false);
    // A new answer from the server is shown until the member edits the field again.
    Effect::new(move |_| {
        server_error.track();
        touched.set(false);
    });
    let error = Memo::new(move |_| match check {
        Some(check) if touched.get() => check.run(value.get()),
        _ => server_error.get(),
    });
    let input = NodeRef::<leptos::html::Input>::new();
    bind_value(input, value);
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    view! {
        <div class="field">
            <label for=name class:required=required>{label}</label>
            <input
                node_ref=input
                id=name
                name=name
                type=move || input_type.get()
                required=required
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described
                value=value.get_untracked()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    touched.set(true);
                }
                on:blur=move |_| if !value.get_untracked().is_empty() { touched.set(true) }
            />
            {hint.map(|h| view! { <span class="hint" id=hint_id>{h}</span> })}
            {children.map(|c| c())}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}
