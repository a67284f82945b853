//! 利用規約 and 個人情報の取扱い: a document's text, and the box that agrees to both.

use crate::domain::consent::{Block, Document};
use crate::text::consent as text;
use leptos::prelude::*;

/// A document's blocks; its headings at `<h2>` (a page of its own) or `<h3>` (inside a section).
#[component]
pub fn DocumentBody(document: Document, #[prop(optional)] nested: bool) -> impl IntoView {
    document
        .blocks
        .into_iter()
        .map(|block| match block {
            Block::Heading(h) if nested => view! { <h3>{h}</h3> }.into_any(),
            Block::Heading(h) => view! { <h2>{h}</h2> }.into_any(),
            Block::Paragraph(p) => view! { <p class="document-text">{p}</p> }.into_any(),
        })
        .collect_view()
}

/// The required box of step 5 and `/consent`, with links to both documents (a new tab: nothing
/// typed is lost) and the versions shown, which the server compares with the current ones.
#[component]
pub fn ConsentCheck(consent_key: String, #[prop(into)] server_error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="field consent-check">
            <p class="hint" id="agree-hint">
                {text::AGREE_LEAD}
                <a href="/terms" target="_blank" rel="noopener">{text::TERMS_TITLE}</a>
                "・"
                <a href="/privacy" target="_blank" rel="noopener">{text::PRIVACY_TITLE}</a>
            </p>
            <input type="hidden" name="consent_version" value=consent_key/>
            <label class="check required">
                <input type="checkbox" name="agree" value="on" required=true
                    aria-invalid=move || if server_error.get().is_some() { "true" } else { "false" }
                    aria-describedby="agree-hint agree-error"/>
                {text::AGREE_LABEL}
            </label>
            <p class="field-error" id="agree-error" role="alert">{move || server_error.get()}</p>
        </div>
    }
}
