//! The raw axum handlers beside the Leptos router: health, the staff console's CSV export and
//! roster upload, one-click unsubscribe, the dev inbox.

pub mod devinbox;
pub mod health;
pub mod staff;
pub mod unsubscribe;
