//! One module per screen.

pub mod accessibility;
pub mod consent;
pub mod error;
pub mod guide;
// A server function takes one argument per form field (the form posts them by name); the
// hydrate build's generated client stubs carry the count too, so the allowance is per module.
pub mod benefits;
pub mod family;
#[allow(clippy::too_many_arguments)]
pub mod inquiry;
pub mod login;
pub mod medical;
pub mod not_found;
pub mod passkeys;
pub mod recovery;
#[allow(clippy::too_many_arguments)]
pub mod register;
#[allow(clippy::too_many_arguments)]
pub mod settings;
pub mod staff;
pub mod two_step;
