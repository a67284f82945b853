//! 利用規約 and 個人情報の取扱い (`/terms`, `/privacy`) and `/consent`, where a member agrees to
//! their current versions before going on: all server-rendered (the form is a plain post).

use crate::components::{action_error, field_error, ConsentCheck, DocumentBody, FormMessage, PageError};
use crate::domain::consent::Document;
use crate::error::AppError;
use crate::text::consent as text;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// One of the two documents, as the society published it (`CONTENT_DIR`).
#[server]
pub async fn load_document(privacy: bool) -> Result<Document, AppError> {
    let state = crate::backend::edge::state()?;
    let consent = &state.config.consent;
    Ok(if privacy { consent.privacy.clone() } else { consent.terms.clone() })
}

fn document_page(title: &'static str, privacy: bool) -> impl IntoView {
    let document = Resource::new_blocking(|| (), move |_| load_document(privacy));
    view! {
        <Title text=title/>
        <Suspense>
            {move || document.get().map(|d| match d {
                Ok(d) => view! {
                    <article class="card document">
                        <h1>{title}</h1>
                        <p class="document-version">{text::VERSION_PREFIX}{d.version.clone()}</p>
                        <DocumentBody document=d/>
                    </article>
                }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn TermsPage() -> impl IntoView {
    document_page(text::TERMS_TITLE, false)
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    document_page(text::PRIVACY_TITLE, true)
}

/// What `/consent` shows: both documents and whether the member agreed to an earlier version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentPageData {
    pub terms: Document,
    pub privacy: Document,
    pub key: String,
    pub changed: bool,
}

#[server]
pub async fn load_consent_page() -> Result<ConsentPageData, AppError> {
    let (state, member) = crate::backend::edge::member("/consent").await?;
    let consent = &state.config.consent;
    let changed = crate::backend::members::consent::agreed_before(&state, &member.account_id).await?;
    Ok(ConsentPageData { terms: consent.terms.clone(), privacy: consent.privacy.clone(), key: consent.key.clone(), changed })
}

#[server]
pub async fn agree_consent(agree: Option<String>, consent_version: Option<String>) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::consent;
    let (state, member) = edge::member("/consent").await?;
    consent::check_agreement(&state, agree.is_some(), &consent_version.unwrap_or_default())?;
    if member.must_agree {
        consent::agree(&state, edge::client_ip().as_deref(), &member.account_id).await?;
    }
    // On to whatever else a first login must do (プロフィール設定), else ホーム.
    leptos_axum::redirect("/home");
    Ok(())
}

#[component]
pub fn ConsentPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_consent_page());
    view! {
        <Title text=text::CONSENT_TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(d) => view! {
                    <section class="card consent">
                        <h1>{text::CONSENT_TITLE}</h1>
                        <p class="notice" role="status">{if d.changed { text::CONSENT_CHANGED } else { text::CONSENT_FIRST }}</p>
                        {[(text::TERMS_TITLE, "terms", d.terms), (text::PRIVACY_TITLE, "privacy", d.privacy)].into_iter().map(|(title, id, doc)| {
                            let heading = format!("{id}-heading");
                            view! {
                                <h2 id=heading.clone()>{title}</h2>
                                <p class="document-version">{text::VERSION_PREFIX}{doc.version.clone()}</p>
                                // Scrolls by keyboard too (tabindex), announced by its heading.
                                <div class="document-box" role="region" tabindex="0" aria-labelledby=heading>
                                    <DocumentBody document=doc nested=true/>
                                </div>
                            }
                        }).collect_view()}
                        <ConsentForm consent_key=d.key/>
                        <p class="hint">{text::DISAGREE}<a href="/withdraw">{text::DISAGREE_LINK}</a>{text::DISAGREE_AFTER}</p>
                    </section>
                    <super::login::Menu logout_only=true/>
                }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ConsentForm(consent_key: String) -> impl IntoView {
    let action = ServerAction::<AgreeConsent>::new();
    let error = action_error(action);
    view! {
        <ActionForm action>
            <FormMessage error/>
            <ConsentCheck consent_key server_error=field_error(error, "agree")/>
            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::CONSENT_BUTTON}</button></div>
        </ActionForm>
    }
}
