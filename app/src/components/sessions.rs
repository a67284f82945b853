//! ログイン中の端末: the live sessions of a member or a staff member, each with 「ログアウトさせる」,
//! and 「他の端末をすべてログアウト」. Plain forms posting to the page's server functions (the
//! server answers with the page again), no island needed.

use crate::api::DeviceSession;
use crate::text::settings as text;
use leptos::prelude::*;

/// `end_one` and `end_others`: the URLs of the server functions that end one session (by its
/// `handle`) and all but this one.
#[component]
pub fn SessionList(sessions: Vec<DeviceSession>, lead: &'static str, end_one: &'static str, end_others: &'static str) -> impl IntoView {
    let others = sessions.iter().any(|s| !s.current);
    view! {
        <section class="card sessions">
            <h2>{text::SESSIONS_TITLE}</h2>
            <p class="hint">{lead}</p>
            <ul class="session-list">
                {sessions.into_iter().map(|s| view! {
                    <li>
                        <strong class="device">{s.device}</strong>
                        {s.current.then(|| view! { <span class="badge">{text::THIS_DEVICE}</span> })}
                        <span class="hint">{text::LOGGED_IN_AT}{s.logged_in}" ／ "{text::LAST_SEEN}{s.last_seen}</span>
                        {(!s.current).then(|| view! {
                            <form method="post" action=end_one>
                                <input type="hidden" name="handle" value=s.handle/>
                                <button type="submit" class="secondary">{text::END_SESSION}</button>
                            </form>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {others.then(|| view! {
                <form method="post" action=end_others>
                    <button type="submit" class="secondary">{text::END_OTHERS}</button>
                </form>
            })}
        </section>
    }
}
