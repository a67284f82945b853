//! プロフィール設定, パスワード変更 and the link that confirms a new address.
//! After a save the server redirects back with a query (`?saved=…`) so the success
//! message shows with and without JavaScript.

use crate::api::{PasswordPageData, PendingEmail, PendingLink, ProfileData};
use crate::components::{
    action_error, field_error, island_hydrated, token_param, Done, Field, FormMessage, LinkInvalidMessage, NewPasswordFields, PageError,
    SessionList,
};
use crate::domain::{self, LoginId, MailPreference};
use crate::error::AppError;
use crate::text::settings as text;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server]
pub async fn load_profile() -> Result<ProfileData, AppError> {
    use crate::backend::edge;
    let (state, member) = crate::backend::edge::member("/profile").await?;
    let token = edge::cookies::SESSION.read().unwrap_or_default();
    Ok(crate::backend::members::settings::load(&state, &member.account_id, &token).await?)
}

/// 「ログアウトさせる」 on one device of ログイン中の端末.
#[server]
pub async fn end_device_session(handle: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::login;
    let (state, member) = crate::backend::edge::member("/profile").await?;
    login::end_session_by_handle(&state, edge::client_ip().as_deref(), &member.account_id, &handle).await?;
    leptos_axum::redirect("/profile?ended=1");
    Ok(())
}

/// 「他の端末をすべてログアウト」
#[server]
pub async fn end_other_sessions() -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::login;
    let (state, member) = crate::backend::edge::member("/profile").await?;
    let token = edge::cookies::SESSION.read().unwrap_or_default();
    login::end_other_sessions(&state, edge::client_ip().as_deref(), &member.account_id, &token).await?;
    leptos_axum::redirect("/profile?others=1");
    Ok(())
}

#[server]
pub async fn save_profile(
    login_id: String,
    nickname: String,
    email1: String,
    email2: String,
    email3: String,
    medical_expenses: Option<String>,
    newsletter: Option<String>,
    notices: Option<String>,
    health_magazine: Option<String>,
    applications: Option<String>,
    current_password: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::settings;
    use crate::error::FieldErrors;
    let (state, member) = crate::backend::edge::member("/profile").await?;
    let mut errors = FieldErrors::default();
    let login_id = errors.check("login_id", LoginId::parse(&login_id));
    let nickname = errors.check("nickname", domain::parse_nickname(&nickname));
    let typed = [email1.as_str(), email2.as_str(), email3.as_str()];
    let mut emails = [None, None, None];
    for slot in 1..=3 {
        let name = domain::EMAIL_FIELDS[slot - 1];
        match domain::duplicate_of_earlier(slot, &typed) {
            Some(e) => errors.add(name, e.0),
            None => emails[slot - 1] = errors.check(name, domain::parse_profile_email(slot, typed[slot - 1])).flatten(),
        }
    }
    let (login_id, nickname) = errors.finish((login_id, nickname))?;
    let ticked = [medical_expenses, newsletter, notices, health_magazine, applications];
    let preferences = MailPreference::ALL.into_iter().zip(ticked).filter(|(_, on)| on.is_some()).map(|(p, _)| p).collect();
    let input = settings::ProfileInput { current_password, login_id, nickname, emails, preferences };
    let mailed = settings::save(&state, edge::client_ip().as_deref(), &member, input).await?;
    leptos_axum::redirect(match (member.must_set_profile, mailed) {
        (true, _) => "/home",
        (false, true) => "/profile?saved=pending",
        (false, false) => "/profile?saved=1",
    });
    Ok(())
}

#[server]
pub async fn resend_email(slot: u8) -> Result<(), AppError> {
    let (state, member) = crate::backend::edge::member("/profile").await?;
    let client_ip = crate::backend::edge::client_ip();
    crate::backend::members::settings::resend(&state, client_ip.as_deref(), &member.account_id, slot.clamp(1, 3).into()).await?;
    leptos_axum::redirect("/profile?resent=1");
    Ok(())
}

#[server]
pub async fn cancel_email(slot: u8) -> Result<(), AppError> {
    let (state, member) = crate::backend::edge::member("/profile").await?;
    let client_ip = crate::backend::edge::client_ip();
    crate::backend::members::settings::cancel(&state, client_ip.as_deref(), &member.account_id, slot.clamp(1, 3).into()).await?;
    leptos_axum::redirect("/profile?cancelled=1");
    Ok(())
}

/// The success message a redirect asked for.
fn status_message() -> Memo<Option<&'static str>> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        match (q.get("saved").as_deref(), q.get("resent"), q.get("cancelled"), q.get("changed")) {
            (Some("pending"), ..) => Some(text::SAVED_PENDING),
            (Some(_), ..) => Some(text::SAVED),
            (_, Some(_), ..) => Some(text::RESENT),
            (_, _, Some(_), _) => Some(text::CANCELLED),
            (.., Some(_)) => Some(text::PASSWORD_CHANGED),
            _ if q.get("ended").is_some() => Some(text::SESSION_ENDED),
            _ if q.get("others").is_some() => Some(text::OTHERS_ENDED),
            _ => None,
        }
    })
}

#[component]
fn StatusMessage() -> impl IntoView {
    let message = status_message();
    move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_profile());
    view! {
        <Title text=text::PROFILE_TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(mut d) => {
                    // The pending list is rendered here; the form's island props (written into the
                    // page) carry only what the form uses.
                    let pending = std::mem::take(&mut d.pending);
                    let sessions = std::mem::take(&mut d.sessions);
                    let (first_time, left_company, two_step) = (d.first_time, d.left_company, d.two_step);
                    view! {
                        <section class="card">
                            <h1>{text::PROFILE_TITLE}</h1>
                            <StatusMessage/>
                            {first_time.then(|| view! { <p class="notice">{text::PROFILE_FIRST}</p> })}
                            <p>{text::PROFILE_LEAD}</p>
                            {left_company.then(|| view! { <p class="hint-box">{text::PROFILE_RETIREE}</p> })}
                            <ProfileForm data=d/>
                        </section>
                        <PendingList pending/>
                        {(!first_time).then(|| view! { <SessionList sessions lead=text::SESSIONS_LEAD end_one=EndDeviceSession::url() end_others=EndOtherSessions::url()/> })}
                        {(!first_time).then(|| view! {
                            <section class="card">
                                <h2>{crate::text::two_step::TITLE}</h2>
                                <p>{if two_step { crate::text::two_step::ON } else { crate::text::two_step::OFF }}</p>
                                <p><a href="/security">{crate::text::two_step::LINK}</a></p>
                            </section>
                            <section class="card">
                                <h2>{text::WITHDRAW_TITLE}</h2>
                                <p><a href="/withdraw">{text::WITHDRAW_LINK}</a></p>
                            </section>
                        })}
                        <super::login::Menu logout_only=first_time/>
                    }.into_any()
                }
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

/// After a save the server sends the browser back to this page (`?saved=…`), which then
/// shows the addresses as stored.
#[island(lazy)]
fn ProfileForm(data: ProfileData) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<SaveProfile>::new();
    let error = action_error(action);
    let login_id = RwSignal::new(data.login_id);
    let nickname = RwSignal::new(data.nickname);
    let current_password = RwSignal::new(String::new());
    let emails: [RwSignal<String>; 3] = std::array::from_fn(|i| RwSignal::new(data.emails.get(i).cloned().unwrap_or_default()));
    let email_check = move |slot: usize| {
        Callback::new(move |v: String| {
            let mut typed = emails.map(|e| e.get_untracked());
            typed[slot - 1] = v;
            let typed = [typed[0].as_str(), typed[1].as_str(), typed[2].as_str()];
            domain::duplicate_of_earlier(slot, &typed).or_else(|| domain::parse_profile_email(slot, typed[slot - 1]).err()).map(|e| e.0)
        })
    };
    let hints = [Some(text::EMAIL_CONFIRM_HINT), Some(text::PROFILE_ADVICE), None];
    view! {
        <ActionForm action>
            <FormMessage error/>
            <Field label=text::LOGIN_ID name="login_id" value=login_id required=true hint=crate::text::registration::LOGIN_ID_HINT
                autocomplete="username" maxlength=39 server_error=field_error(error, "login_id")
                check=Callback::new(|v: String| LoginId::parse(&v).err().map(|e| e.0))/>
            <Field label=text::NICKNAME name="nickname" value=nickname required=true maxlength=40
                server_error=field_error(error, "nickname") check=Callback::new(|v: String| domain::parse_nickname(&v).err().map(|e| e.0))/>
            {(1..=3usize).map(|slot| {
                let name = domain::EMAIL_FIELDS[slot - 1];
                view! {
                    <Field label=text::EMAIL_LABELS[slot - 1] name value=emails[slot - 1] required={slot == 1} input_type="email"
                        autocomplete="email" inputmode="email" maxlength=254 hint=hints[slot - 1]
                        server_error=field_error(error, name) check=email_check(slot)/>
                }
            }).collect_view()}
            <fieldset class="field checks">
                <legend>{text::MAIL_PREFERENCES}</legend>
                <span class="hint">{text::MAIL_PREFERENCES_LEAD}</span>
                {MailPreference::ALL.into_iter().map(|p| {
                    let on = data.preferences.contains(&p);
                    view! {
                        <label class="check"><input type="checkbox" name=p.code() value="on" checked=on/>{p.label()}</label>
                    }
                }).collect_view()}
                <span class="hint">{text::MAIL_PREFERENCES_NOTE}</span>
            </fieldset>
            <Field label=text::REAUTH name="current_password" input_type="password" value=current_password hint=text::REAUTH_HINT
                autocomplete="current-password" maxlength=39 server_error=field_error(error, "current_password")/>
            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::REGISTER}</button></div>
        </ActionForm>
    }
}

/// 確認待ちのメールアドレス with 「確認メールを再送」 and 「変更を取り消す」: plain forms (the
/// server answers with this page again, `?resent=1` / `?cancelled=1`), no island needed.
#[component]
fn PendingList(pending: Vec<PendingEmail>) -> impl IntoView {
    let (resend, cancel) = (ServerAction::<ResendEmail>::new(), ServerAction::<CancelEmail>::new());
    let resend_error = action_error(resend);
    let cancel_error = action_error(cancel);
    (!pending.is_empty()).then(|| {
        view! {
            <section class="card pending">
                <h2>{text::PENDING_TITLE}</h2>
                <p class="hint">{text::PENDING_NOTE}</p>
                <FormMessage error=resend_error/>
                <FormMessage error=cancel_error/>
                <ul class="pending-list">
                    {pending.into_iter().map(|p| view! {
                        <li>
                            <span class="label">{text::EMAIL_LABELS[usize::from(p.slot.clamp(1, 3)) - 1]}</span>
                            <strong class="pending-email">{p.email}</strong>
                            <span class="hint">{text::PENDING_UNTIL}{p.expires}</span>
                            <div class="pending-actions">
                                <ActionForm action=resend>
                                    <input type="hidden" name="slot" value=p.slot.to_string()/>
                                    <button type="submit" class="secondary">{text::RESEND}</button>
                                </ActionForm>
                                <ActionForm action=cancel>
                                    <input type="hidden" name="slot" value=p.slot.to_string()/>
                                    <button type="submit" class="secondary">{text::CANCEL}</button>
                                </ActionForm>
                            </div>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

// ---------------------------------------------------------------- パスワード変更

#[server]
pub async fn load_password_page() -> Result<PasswordPageData, AppError> {
    let (state, member) = crate::backend::edge::member("/password").await?;
    let account = crate::backend::members::settings::account_for_password(&state, &member.account_id).await?;
    Ok(PasswordPageData { login_id: account.login_id, email1: account.email1, first_time: member.must_change_password })
}

#[server]
pub async fn change_password(current_password: String, new_password: String, confirm_password: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::settings;
    use crate::error::FieldErrors;
    let (state, member) = crate::backend::edge::member("/password").await?;
    let mut errors = FieldErrors::default();
    if current_password.is_empty() {
        errors.add("current_password", text::CURRENT_REQUIRED);
    }
    let account = settings::account_for_password(&state, &member.account_id).await?;
    let new = errors.check("new_password", domain::Password::parse(&new_password, &account.context()));
    errors.check("confirm_password", domain::check_confirmation(&new_password, &confirm_password));
    let (new,) = errors.finish((new,))?;
    let token = edge::cookies::SESSION.read().unwrap_or_default();
    settings::change_password(&state, edge::client_ip().as_deref(), &token, &member, &current_password, &new).await?;
    // A first login goes on to whatever else it must do (利用規約, プロフィール設定) through ホーム.
    leptos_axum::redirect(if member.must_change_password { "/home" } else { "/password?changed=1" });
    Ok(())
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_password_page());
    view! {
        <Title text=text::PASSWORD_TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(d) => {
                    let first = d.first_time;
                    view! {
                        <section class="card">
                            <h1>{text::PASSWORD_TITLE}</h1>
                            <StatusMessage/>
                            {first.then(|| view! { <p class="notice">{text::PASSWORD_FIRST}</p> })}
                            <p>{text::PASSWORD_LEAD}</p>
                            <p class="hint-box">{crate::text::registration::ALLOWED_CHARS}</p>
                            <PasswordForm data=d/>
                        </section>
                        <super::login::Menu logout_only=first/>
                    }.into_any()
                }
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[island(lazy)]
fn PasswordForm(data: PasswordPageData) -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action);
    let current = RwSignal::new(String::new());
    let show = RwSignal::new(false);
    let input_type = Signal::derive(move || if show.get() { "text" } else { "password" });
    view! {
        <ActionForm action>
            <FormMessage error/>
            <Field label=text::CURRENT_PASSWORD name="current_password" input_type value=current required=true
                autocomplete="current-password" maxlength=39 server_error=field_error(error, "current_password")/>
            <NewPasswordFields label=text::NEW_PASSWORD login_id=data.login_id email=data.email1 error show/>
            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::REGISTER}</button></div>
        </ActionForm>
    }
}

// ---------------------------------------------------------------- the link in the confirmation mail

#[server]
pub async fn email_link(token: String) -> Result<Option<PendingLink>, AppError> {
    let state = crate::backend::edge::state()?;
    Ok(crate::backend::members::settings::pending_for_link(&state, &token).await?)
}

#[server]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::settings;
    let state = edge::state()?;
    settings::confirm(&state, edge::client_ip().as_deref(), &token).await?;
    leptos_axum::redirect("/profile/email-confirmed");
    Ok(())
}

#[component]
pub fn EmailConfirmPage() -> impl IntoView {
    let token = token_param();
    let link = Resource::new_blocking(token, email_link);
    let action = ServerAction::<ConfirmEmail>::new();
    let error = action_error(action);
    view! {
        <Title text=text::EMAIL_CONFIRM_TITLE/>
        <Suspense>
            {move || link.get().map(|l| match l {
                Ok(Some(l)) => view! {
                    <section class="card">
                        <h1>{text::EMAIL_CONFIRM_TITLE}</h1>
                        <p>{text::EMAIL_CONFIRM_LEAD}</p>
                        <p class="identity"><span class="label">{text::EMAIL_LABELS[usize::from(l.slot.clamp(1, 3)) - 1]}</span>" "<strong>{l.email}</strong></p>
                        <ActionForm action>
                            <FormMessage error/>
                            <input type="hidden" name="token" value=token()/>
                            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::EMAIL_CONFIRM_BUTTON}</button></div>
                        </ActionForm>
                    </section>
                }.into_any(),
                _ => view! { <LinkInvalidMessage title=text::EMAIL_CONFIRM_TITLE message=text::EMAIL_LINK_INVALID/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn EmailConfirmedPage() -> impl IntoView {
    view! {
        <Done title=text::EMAIL_CONFIRM_TITLE message=text::EMAIL_CONFIRMED>
            <p><a class="button-link" href="/profile">{text::TO_PROFILE}</a></p>
        </Done>
    }
}

// ---------------------------------------------------------------- 配信停止: the link in a category mail

/// The category of an unsubscribe link (its label) and whether it is still on.
#[server]
pub async fn unsubscribe_link(token: String) -> Result<Option<(String, bool)>, AppError> {
    let state = crate::backend::edge::state()?;
    let found = crate::backend::mail::campaigns::unsubscribe_state(&state.db, &token).await?;
    Ok(found.map(|(category, on)| (category.label().to_string(), on)))
}

/// The page's button (the mail program's one-click POST goes to the same URL, server crate).
#[server]
pub async fn unsubscribe(token: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::mail::campaigns;
    let state = edge::state()?;
    campaigns::unsubscribe(&state.db, state.clock.now(), edge::client_ip().as_deref(), &token).await?;
    leptos_axum::redirect(&format!("/unsubscribe/{token}"));
    Ok(())
}

/// Opened from a category mail's link: no login needed; a GET changes nothing (mail scanners
/// open links), the button does.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let token = token_param();
    let link = Resource::new_blocking(token, unsubscribe_link);
    let action = ServerAction::<Unsubscribe>::new();
    let error = action_error(action);
    view! {
        <Title text=text::UNSUBSCRIBE_TITLE/>
        <Suspense>
            {move || link.get().map(|l| match l {
                Ok(Some((label, true))) => view! {
                    <section class="card">
                        <h1>{text::UNSUBSCRIBE_TITLE}</h1>
                        <p>{format!("「{label}」{}", text::UNSUBSCRIBE_LEAD)}</p>
                        <ActionForm action>
                            <FormMessage error/>
                            <input type="hidden" name="token" value=token()/>
                            <div class="actions"><button type="submit" disabled=move || action.pending().get()>{text::UNSUBSCRIBE_BUTTON}</button></div>
                        </ActionForm>
                        <p class="hint">{text::UNSUBSCRIBE_OTHERS}</p>
                    </section>
                }.into_any(),
                Ok(Some((label, false))) => view! {
                    <section class="card">
                        <h1>{text::UNSUBSCRIBE_TITLE}</h1>
                        <p class="notice" role="status" data-testid="unsubscribed">{format!("「{label}」{}", text::UNSUBSCRIBED)}</p>
                        <p class="hint">{text::UNSUBSCRIBE_OTHERS}</p>
                        <p><a class="button-link" href="/profile">{text::TO_PROFILE}</a></p>
                    </section>
                }.into_any(),
                _ => view! { <LinkInvalidMessage title=text::UNSUBSCRIBE_TITLE message=text::UNSUBSCRIBE_INVALID/> }.into_any(),
            })}
        </Suspense>
    }
}

// ---------------------------------------------------------------- 退会

/// The 退会 page is for a logged-in member only.
#[server]
pub async fn load_withdraw_page() -> Result<(), AppError> {
    crate::backend::edge::member("/withdraw").await.map(|_| ())
}

#[server]
pub async fn withdraw(current_password: String) -> Result<(), AppError> {
    use crate::backend::edge;
    use crate::backend::members::settings;
    let (state, member) = edge::member("/withdraw").await?;
    if current_password.is_empty() {
        return Err(AppError::field("current_password", domain::FieldError::new(text::WITHDRAW_REQUIRED)));
    }
    settings::withdraw(&state, edge::client_ip().as_deref(), &member, &current_password).await?;
    edge::cookies::SESSION.clear(&state);
    leptos_axum::redirect("/withdrawn");
    Ok(())
}

#[component]
pub fn WithdrawPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_withdraw_page());
    view! {
        <Title text=text::WITHDRAW_TITLE/>
        <Suspense>
            {move || data.get().map(|d| match d {
                Ok(()) => view! {
                    <section class="card">
                        <h1>{text::WITHDRAW_TITLE}</h1>
                        <p>{text::WITHDRAW_LEAD}</p>
                        <WithdrawForm/>
                    </section>
                    <super::login::Menu logout_only=false/>
                }.into_any(),
                Err(e) => view! { <PageError error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

#[island(lazy)]
fn WithdrawForm() -> impl IntoView {
    island_hydrated();
    let action = ServerAction::<Withdraw>::new();
    let error = action_error(action);
    let current = RwSignal::new(String::new());
    view! {
        <ActionForm action>
            <FormMessage error/>
            <Field label=text::REAUTH name="current_password" input_type="password" value=current required=true
                hint=text::WITHDRAW_PASSWORD_HINT autocomplete="current-password" maxlength=39
                server_error=field_error(error, "current_password")/>
            <div class="actions"><button type="submit" class="danger" disabled=move || action.pending().get()>{text::WITHDRAW_BUTTON}</button></div>
        </ActionForm>
    }
}

#[component]
pub fn WithdrawnPage() -> impl IntoView {
    view! {
        <Title text=text::WITHDRAWN_TITLE/>
        <section class="card">
            <h1>{text::WITHDRAWN_TITLE}</h1>
            <p class="notice" role="status">{text::WITHDRAWN_TEXT}</p>
            <ul class="links">
                <li><a href="/">{crate::text::login::TITLE}</a></li>
                <li><a href="/register">{crate::text::login::REGISTER_LINK}</a></li>
            </ul>
        </section>
    }
}
