//! The floor every room stands on: configuration, the database, time, identifiers and keys,
//! per-key counters, metrics, and the application state that carries them.

pub mod clock;
pub mod config;
pub mod csv_file;
pub mod db;
pub mod ids;
pub mod metrics;
pub mod rate;
pub mod secret;
pub mod work;

pub use clock::{Clock, SystemClock};
pub use config::Config;
pub use db::Db;
pub use work::Work;

/// Who sent a request: the client address (after `TRUSTED_PROXIES`) and its User-Agent.
#[derive(Debug, Clone, Copy, Default)]
pub struct Client<'a> {
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Application state: provided to server functions through Leptos context and to
/// axum handlers through `FromRef`.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    /// Wakes the mail worker as soon as a transaction with a mail commits.
    pub mail_wakeup: Arc<tokio::sync::Notify>,
    /// Whether this process's mail worker runs (`/readyz`).
    pub mail_worker: Arc<std::sync::atomic::AtomicBool>,
    pub leptos_options: LeptosOptions,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    pub fn site_info(&self) -> crate::api::SiteInfo {
        crate::api::SiteInfo { society_name: self.config.society_name.clone(), society_contact: self.config.society_contact.clone() }
    }
}
