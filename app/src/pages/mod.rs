//! One module per screen.

pub mod error;
pub mod login;
pub mod not_found;
pub mod register;
pub mod settings;
