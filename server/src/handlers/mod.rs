//! The raw axum handlers beside the Leptos router: health, the staff console's CSV exports and
//! uploads, the members' 医療費 PDF, one-click unsubscribe, the dev inbox.

pub mod devinbox;
pub mod health;
pub mod medical;
pub mod staff;
pub mod unsubscribe;
