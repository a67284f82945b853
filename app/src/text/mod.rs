//! The words of every screen, in one place per screen (the manual's wording).

pub mod login;
pub mod registration;
pub mod settings;
pub mod recovery;
