//! 職員画面 (`/staff`): the society's staff console. Server-rendered pages; forms post without
//! JavaScript (server functions under `/staff/api`, where the `/staff` session cookie goes);
//! islands only where an answer must be shown once (backup codes, letters with passwords).

#[allow(clippy::too_many_arguments)]
pub mod accounts;
#[allow(clippy::too_many_arguments)]
pub mod audit;
#[allow(clippy::too_many_arguments)]
pub mod inquiries;
#[allow(clippy::too_many_arguments)]
pub mod login;
#[allow(clippy::too_many_arguments)]
pub mod members;
#[allow(clippy::too_many_arguments)]
pub mod notices;

use crate::api::staff::{Dashboard, StaffView};
use crate::components::PageError;
use crate::domain::StaffRole;
use crate::error::AppError;
use crate::text::staff as text;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/staff/api")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::backend::staff::{inquiries, members};
    let (state, staff) = crate::backend::web::require_staff("/staff", StaffRole::Agent).await?;
    Ok(Dashboard {
        staff: staff.view(),
        open_inquiries: inquiries::open_count(&state.db).await?,
        locked_members: members::locked_count(&state).await?,
    })
}

#[server(prefix = "/staff/api")]
pub async fn staff_logout() -> Result<(), AppError> {
    use crate::backend::{staff::session, web};
    let state = web::state()?;
    if let Some(token) = web::cookie(session::COOKIE) {
        session::logout(&state, web::client_ip().as_deref(), &token).await?;
    }
    web::set_cookie_at(&state, session::COOKIE, "", 0, session::COOKIE_PATH);
    leptos_axum::redirect("/staff/login");
    Ok(())
}

/// The console's menu above every staff page (after login): who is logged in, the sections
/// their role may open, and ログアウト.
#[component]
pub fn StaffNav(staff: StaffView) -> impl IntoView {
    let logout = ServerAction::<StaffLogout>::new();
    view! {
        <nav class="staff-nav" aria-label=text::CONSOLE>
            <ul>
                <li><a href="/staff">{text::CONSOLE_HOME}</a></li>
                <li><a href="/staff/members">{text::MENU_MEMBERS}</a></li>
                <li><a href="/staff/inquiries">{text::MENU_INQUIRIES}</a></li>
                <li><a href="/staff/notices">{text::MENU_NOTICES}</a></li>
                <li><a href="/staff/letters">{text::MENU_LETTERS}</a></li>
                <li><a href="/staff/audit">{text::MENU_AUDIT}</a></li>
                {(staff.role == StaffRole::Admin).then(|| view! { <li><a href="/staff/staff">{text::MENU_STAFF}</a></li> })}
            </ul>
            <div class="staff-who">
                <span>{staff.name}" （"{staff.role.label()}"）"</span>
                <ActionForm action=logout><button type="submit" class="secondary small">{text::LOGOUT}</button></ActionForm>
            </div>
        </nav>
    }
}

/// A staff page: the menu, then the page's content once its data has loaded.
#[component]
pub fn StaffPage<T, F, V>(title: &'static str, data: Resource<Result<T, AppError>>, staff: F, view: V) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(&T) -> StaffView + Send + Sync + Copy + 'static,
    V: Fn(T) -> AnyView + Send + Sync + Clone + 'static,
{
    view! {
        <Title text=title/>
        <Suspense>
            {move || { let view = view.clone(); data.get().map(move |d| match d {
                Ok(d) => view! {
                    <StaffNav staff=staff(&d)/>
                    <div class="staff">
                        <h1>{title}</h1>
                        {view(d)}
                    </div>
                }.into_any(),
                Err(e) => view! { <div class="staff"><PageError error=e/></div> }.into_any(),
            })}}
        </Suspense>
    }
}

/// 前へ / 次へ for a paged list; `href(page)` builds the link (keeping the filters).
#[component]
pub fn Pager(page: i64, pages: i64, total: i64, href: impl Fn(i64) -> String + 'static) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="ページ">
            {(page > 1).then(|| view! { <a href=href(page - 1) rel="prev">{text::PREV}</a> })}
            <span>{format!("{total}{}{page} / {}", text::COUNT_SUFFIX, pages.max(1))}</span>
            {(page < pages).then(|| view! { <a href=href(page + 1) rel="next">{text::NEXT}</a> })}
        </nav>
    }
}

/// 職員ホーム
#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_dashboard());
    view! {
        <StaffPage title=text::CONSOLE_HOME data staff=|d: &Dashboard| d.staff.clone() view=|d: Dashboard| view! {
            <ul class="figures">
                <li><a href="/staff/inquiries?status=open"><span>{text::OPEN_INQUIRIES}</span><strong data-testid="open-inquiries">{d.open_inquiries}</strong>{text::COUNT_SUFFIX}</a></li>
                <li><span>{text::LOCKED_MEMBERS}</span><strong data-testid="locked-members">{d.locked_members}</strong>{text::COUNT_SUFFIX}</li>
            </ul>
            <form class="search" method="get" action="/staff/members">
                <label for="q">{text::MENU_MEMBERS}</label>
                <input id="q" name="q" type="search" aria-describedby="q-hint"/>
                <button type="submit">{text::SEARCH}</button>
                <span class="hint" id="q-hint">{text::SEARCH_HINT}</span>
            </form>
        }.into_any()/>
    }
}

/// The `:name` parameter of the route.
pub fn param(name: &'static str) -> String {
    leptos_router::hooks::use_params_map().read_untracked().get(name).unwrap_or_default()
}

/// The `name` query value of the page's URL.
pub fn query(name: &'static str) -> String {
    leptos_router::hooks::use_query_map().read_untracked().get(name).unwrap_or_default()
}

/// `?page=` as a number (1 when absent or garbled).
pub fn page_param() -> i64 {
    query("page").parse().unwrap_or(1).max(1)
}
