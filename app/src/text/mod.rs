//! The words of every screen, in one place per screen (the manual's wording).

/// The product's name (the manual's).
pub const PRODUCT_NAME: &str = "健康マイポータル";

pub mod accessibility;
pub mod audit;
pub mod consent;
pub mod family;
pub mod guide;
pub mod inquiry;
pub mod login;
pub mod mail;
pub mod medical;
pub mod passkey;
pub mod recovery;
pub mod registration;
pub mod settings;
pub mod staff;
pub mod two_step;
