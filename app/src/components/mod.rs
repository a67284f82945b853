//! Small components every screen uses, one concern per file: the layout, forms and their
//! messages, checked fields, password fields, the CAPTCHA, the member's identity fields and
//! the hydration markers the browser tests wait for.

mod captcha;
mod consent;
mod field;
mod form;
mod hydration;
mod layout;
mod member;
mod notice;
mod password;
mod sessions;

pub use captcha::*;
pub use consent::*;
pub use field::*;
pub use form::*;
pub use hydration::*;
pub use layout::*;
pub use member::*;
pub use notice::*;
pub use password::*;
pub use sessions::*;
