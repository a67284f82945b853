//! Everything that runs only on the server: configuration, database, tokens,
//! the mail outbox, the audit log and the services the server functions call.

pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod captcha;
pub mod challenge;
pub mod clock;
pub mod config;
pub mod consent;
pub mod db;
pub mod home;
pub mod ids;
pub mod inquiry;
pub mod mails;
pub mod maintenance;
pub mod metrics;
pub mod outbox;
pub mod password;
pub mod rate;
pub mod recovery;
pub mod registration;
pub mod roster;
pub mod secret;
pub mod settings;
pub mod staff;
pub mod temp_credentials;
pub mod totp;
pub mod two_step;
pub mod web;

pub use clock::{Clock, SystemClock};
pub use config::Config;
pub use db::Db;

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
