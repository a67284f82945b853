//! ログイン (the home of the site, `/`), ホーム and ログアウト.

use crate::api::HomeData;
use crate::components::{action_error, field_error, island_hydrated, new_captcha, CaptchaField, Field, FormMessage, PageError};
use crate::error::AppError;
use crate::text::login as text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The QR code of the login URL, as an `<img>` data URI (the manual prints one).
#[server]
pub async fn login_qr() -> Result<String, AppError> {
    // The login page is the busiest page and its QR code never changes: draw it once.
    static DRAWN: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    let state = crate::backend::edge::state()?;
    let url = format!("{}/", state.config.public_url);
    if let Some((_, uri)) = DRAWN.get().filter(|(u, _)| *u == url) {
        return Ok(uri.clone());
    }
    let uri = crate::backend::identity::totp::qr_data_uri(&url).ok_or(AppError::Internal)?;
    let _ = DRAWN.set((url, uri.clone()));
    Ok(uri)
}

#[server]
pub async fn login(
    login_id: String,
    password: String,
    next: String,
    captcha_id: Option<String>,
    captcha: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::identity::challenge;
    use crate::backend::members::{login, two_step};
    use crate::error::FieldErrors;
    let state = edge::state()?;
    let mut errors = FieldErrors::default();
    if login_id.trim().is_empty() {
        errors.add("login_id", text::REQUIRED_ID);
    }
    if password.is_empty() {
        errors.add("password", text::REQUIRED_PASSWORD);
    }
    errors.finish(())?;
    let client = edge::client();
    let attempt = {
        let (state, client) = (state.clone(), client.clone());
        async move { login::login(&state, &client.borrow(), &login_id, &password, &challenge::Answer { captcha_id, captcha }).await }
    };
    let token = match edge::to_completion(attempt).await? {
        Ok(login::LoggedIn::Session(token)) => token,
        // 2段階認証: no session yet; the code page finishes the login.
        Ok(login::LoggedIn::CodeNeeded(account_id)) => {
            let waiting = two_step::begin(&state, &client.borrow(), &account_id, &next).await?;
            edge::cookies::LOGIN_CODE.set(&state, &waiting);
            leptos_axum::redirect("/login/code");
            return Ok(());
        }
        // Past this client's limit: the login page again, now with the 認証文字 (the form itself
        // carries no CAPTCHA code: it stays small for the page every member loads first).
        Err(crate::backend::identity::throttle::LoginError::Challenge(challenge)) => {
            let why = match challenge {
                challenge::ChallengeError::Wrong => "wrong",
                challenge::ChallengeError::Required => "required",
                challenge::ChallengeError::ProofLimit => "proof-limit",
                challenge::ChallengeError::Db(e) => return Err(e.into()),
            };
            let target = format!("/?captcha={why}&next={}", crate::domain::query_value(crate::domain::safe_next(&next)));
            leptos_axum::redirect(&target);
            return Err(AppError::Redirect(target));
        }
        Err(e) => return Err(e.into()),
    };
    // A new session id at every login (no fixation); the old cookie, if any, is replaced.
    edge::cookies::SESSION.set(&state, &token);
    leptos_axum::redirect(crate::domain::safe_next(&next));
    Ok(())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = query.read_untracked().get("next").unwrap_or_else(|| "/home".into());
    let ended = query.read_untracked().get("ended").is_some();
    let challenged = match query.read_untracked().get("captcha").as_deref() {
        Some("wrong") => Some(crate::text::registration::CAPTCHA_WRONG),
        Some("proof-limit") => Some(crate::text::registration::PROOF_LIMIT),
        Some(_) => Some(crate::text::registration::CAPTCHA_REQUIRED),
        None => None,
    };
    let qr = Resource::new_blocking(|| (), |_| login_qr());
    // The busiest page reads nothing per view: the 認証文字 is shown when a login post was sent
    // back for it (`?captcha=…`, see `login`); the server checks it on every post anyway.
    let needed = challenged.is_some();
    let captcha = Resource::new_blocking(
        move || needed,
        |needed| async move {
            if needed {
                new_captcha().await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <Title text=text::TITLE/>
        <section class="card">
            <h1>{text::TITLE}</h1>
            {ended.then(|| view! { <p class="notice" role="status">{text::SESSION_ENDED}</p> })}
            {challenged.map(|m| view! { <div class="form-error" role="alert">{m}</div> })}
            <Suspense>
                {move || captcha.get().map(|c| {
                    // Rendered on the server inside the form: no CAPTCHA code in the login island.
                    let challenge = c.ok().flatten();
                    view! {
                        <LoginForm next=next.clone()>
                            {challenge.map(|c| view! { <CaptchaField initial=c server_error=Signal::stored(None::<String>) renew=Signal::stored(0usize)/> })}
                        </LoginForm>
                        <super::passkeys::PasskeyLoginButton next=next.clone()/>
                    }
                })}
            </Suspense>
            <ul class="links">
                <li><a href="/register">{text::REGISTER_LINK}</a></li>
                <li><a href="/guide">{crate::text::guide::LINK}</a></li>
                <li><a href="/forgot">{text::FORGOT_LINK}</a></li>
                <li>{text::UNSURE_PREFIX}<a href="/inquiry">{text::INQUIRY_LINK}</a></li>
            </ul>
        </section>
        <section class="card qr">
            <h2>{text::QR_TITLE}</h2>
            <Suspense>
                {move || qr.get().and_then(|r| r.ok()).map(|src| view! { <img src=src alt="ログイン画面のQRコード" width="160" height="160"/> })}
            </Suspense>
            <p class="hint">{text::QR_HINT}</p>
        </section>
    }
}

#[island]
fn LoginForm(next: String, children: Children) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    let (login_id, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    view! {
        <ActionForm action>
            <FormMessage error/>
            <input type="hidden" name="next" value=next/>
            <Field label=text::LOGIN_ID name="login_id" value=login_id required=true autocomplete="username" maxlength=39
                server_error=field_error(error, "login_id")/>
            <Field label=text::PASSWORD name="password" input_type="password" value=password required=true
                autocomplete="current-password" maxlength=39 server_error=field_error(error, "password")/>
            {children()}
            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::LOGIN}</button></div>
        </ActionForm>
    }
}

#[server]
pub async fn load_home() -> Result<HomeData, AppError> {
    let (state, member) = crate::backend::edge::member("/home").await?;
    let mut home = crate::backend::members::home::load(&state, &member).await?;
    let household = crate::backend::documents::medical::household(&state.db, state.clock.now(), &member.account_id).await?;
    home.medical_latest = household.latest.map(crate::domain::medical::Month::label);
    let notices = crate::backend::documents::qualification::household(&state.db, &member.account_id).await?;
    home.qualification_current = notices.iter().filter(|n| n.is_current).count();
    home.benefits = crate::backend::documents::benefits::household(&state.db, &member.account_id).await?.len();
    home.read_only_until = member.read_only_until.map(|until| crate::domain::family::issued_label(until - 1));
    Ok(home)
}

#[server]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::login;
    let state = edge::state()?;
    if let Some(token) = edge::cookies::SESSION.read() {
        login::logout(&state, edge::client_ip().as_deref(), &token).await?;
    }
    edge::cookies::SESSION.clear(&state);
    leptos_axum::redirect("/");
    Ok(())
}

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_home());
    let site = use_context::<crate::api::SiteInfo>();
    let contact = site.map(|s| s.society_contact).unwrap_or_default();
    view! {
        <Title text=text::HOME_TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(d) => view! {
                    <section class="card">
                        <h1 class="greeting">{d.name}{text::GREETING_SUFFIX}</h1>
                        <p class="hint">{text::NAME_HINT}</p>
                        <p class="hint contact-inline">{contact.clone()}</p>
                        {d.read_only_until.map(|until| view! {
                            <p class="notice" role="status" data-testid="home-read-only">{crate::text::family::read_only(&until)}</p>
                        })}
                    </section>
                    <section class="card">
                        <h2>{text::NOTICES}</h2>
                        {if d.notices.is_empty() {
                            view! { <p>{text::NO_NOTICES}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="notices">
                                    {d.notices.into_iter().map(|n| view! {
                                        <li class:important=n.important>
                                            <span class="date">{n.published}</span>
                                            {n.important.then(|| view! { <span class="badge">{text::IMPORTANT}</span> })}
                                            <a href=format!("/notices/{}", n.id)>{n.title}</a>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                    <section class="card">
                        <h2>{crate::text::medical::TITLE}</h2>
                        {match d.medical_latest {
                            Some(latest) => view! {
                                <p data-testid="home-medical">{latest}{crate::text::medical::HOME_LATEST}</p>
                                <p><a class="button-link" href="/medical">{crate::text::medical::HOME_OPEN}</a></p>
                            }.into_any(),
                            None => view! { <p>{crate::text::medical::HOME_NONE}</p> }.into_any(),
                        }}
                    </section>
                    <section class="card">
                        <h2>{crate::text::family::TITLE}</h2>
                        {if d.qualification_current > 0 {
                            view! {
                                <p data-testid="home-qualification">{crate::text::family::home_count(d.qualification_current)}</p>
                                <p><a class="button-link" href="/qualification">{crate::text::family::QUALIFICATION_OPEN}</a></p>
                            }.into_any()
                        } else {
                            view! { <p>{crate::text::family::NONE}</p> }.into_any()
                        }}
                        <p><a href="/family">{crate::text::family::FAMILY_OPEN}</a></p>
                    </section>
                    <section class="card">
                        <h2>{crate::text::family::BENEFITS_TITLE}</h2>
                        {if d.benefits > 0 {
                            view! {
                                <p data-testid="home-benefits">{crate::text::family::benefits_count(d.benefits)}</p>
                                <p><a class="button-link" href="/benefits">{crate::text::family::BENEFITS_OPEN}</a></p>
                            }.into_any()
                        } else {
                            view! { <p>{crate::text::family::BENEFITS_NONE}</p> }.into_any()
                        }}
                    </section>
                    <Menu/>
                }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[server]
pub async fn load_notice(id: String) -> Result<Option<crate::api::Notice>, AppError> {
    let (state, member) = crate::backend::edge::member(&format!("/notices/{id}")).await?;
    Ok(crate::backend::members::home::notice_for(&state, &member, &id).await?)
}

/// 健保からのお知らせ, one in full.
#[component]
pub fn NoticePage() -> impl IntoView {
    let id = leptos_router::hooks::use_params_map().read_untracked().get("id").unwrap_or_default();
    let data = Resource::new_blocking(move || id.clone(), load_notice);
    view! {
        <Title text=text::NOTICES/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(Some(n)) => view! {
                    <Title text=n.title.clone()/>
                    <article class="card">
                        <p class="date">{n.published}{n.important.then(|| view! { <span class="badge">{text::IMPORTANT}</span> })}</p>
                        <h1>{n.title}</h1>
                        <crate::components::NoticeBody body=n.body/>
                        <p><a href="/home">{text::NOTICE_BACK}</a></p>
                    </article>
                }.into_any(),
                Ok(None) => view! {
                    <section class="card"><p>{text::NOTICE_GONE}</p><p><a href="/home">{text::NOTICE_BACK}</a></p></section>
                }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

/// プロフィール設定・パスワード変更・ログアウト; `logout_only` while a first login must finish
/// パスワード変更 / プロフィール設定 first.
#[component]
pub fn Menu(#[prop(optional)] logout_only: bool) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <nav class="card menu" aria-label=text::MENU>
            <h2>{text::MENU}</h2>
            {(!logout_only).then(|| view! {
                <ul class="links">
                    <li><a href="/home">{text::HOME_TITLE}</a></li>
                    <li><a href="/medical">{crate::text::medical::TITLE}</a></li>
                    <li><a href="/qualification">{crate::text::family::TITLE}</a></li>
                    <li><a href="/family">{crate::text::family::FAMILY_TITLE}</a></li>
                    <li><a href="/benefits">{crate::text::family::BENEFITS_TITLE}</a></li>
                    <li><a href="/profile">{text::PROFILE}</a></li>
                    <li><a href="/password">{text::PASSWORD_CHANGE}</a></li>
                </ul>
            })}
            <ActionForm action=logout>
                <button type="submit" class="secondary">{text::LOGOUT}</button>
            </ActionForm>
        </nav>
    }
}
