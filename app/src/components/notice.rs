//! A notice's body as members and staff see it: its text, line breaks, and URLs as links
//! (`domain::body_parts`); no HTML from staff ever reaches a page.

use crate::domain::{body_parts, BodyPart};
use leptos::prelude::*;

#[component]
pub fn NoticeBody(body: String) -> impl IntoView {
    let parts: Vec<AnyView> = body_parts(&body)
        .into_iter()
        .map(|p| match p {
            BodyPart::Text(t) => t.to_string().into_any(),
            BodyPart::Link(url) => {
                view! { <a href=url.to_string() rel="noopener noreferrer nofollow" target="_blank">{url.to_string()}</a> }.into_any()
            }
            BodyPart::LineBreak => view! { <br/> }.into_any(),
        })
        .collect();
    view! { <div class="notice-body">{parts}</div> }
}
