//! One module per screen.

pub mod error;
pub mod inquiry;
pub mod login;
pub mod not_found;
pub mod recovery;
pub mod register;
pub mod settings;
