//! Domain types shared by the browser and the server. Each can only be built
//! through a parser that returns the Japanese message to show next to the field,
//! so the same code validates while typing and again on the server.

/// A closed list with the code each is stored under (never changed), its words, and the other
/// words a file may use for it.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident: $($variant:ident = $code:literal : $label:literal $(| $alias:literal)*),* $(,)?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),* }
            }
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),* }
            }
            /// The file's word (label, code, or a common variant).
            pub fn parse(input: &str) -> Option<Self> {
                let s = $crate::domain::trim_spaces(input);
                match s {
                    $($code | $label $(| $alias)* => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

mod account;
pub mod audit;
pub mod benefit;
pub mod consent;
mod device;
pub mod era;
pub mod family;
mod inquiry;
pub mod medical;
mod member;
pub mod navigation;
mod normalize;
mod notice;
mod profile;
pub mod proof;
mod staff;
pub mod strength;

pub use account::{check_confirmation, parse_nickname, LoginId, Password, PasswordContext, SYMBOLS};
pub use device::device_name;
pub use inquiry::{parse_inquiry_body, parse_name, parse_phone, InquiryInput, InquiryKind};
pub use member::{parse_date, Bango, BirthDate, Branch, Email, Kigo, MemberNumber, MemberStatus};
pub use navigation::{query_value, readable_after_leaving, safe_next, FirstSteps};
pub use normalize::{fold_width, login_key, normalize_digits, trim_spaces};
pub use notice::{
    body_parts, parse_jst_datetime, parse_notice_body, parse_notice_title, Audience, BodyPart, NOTICE_BODY_MAX, NOTICE_TITLE_MAX,
};
pub use profile::{duplicate_of_earlier, parse_profile_email, MailPreference, EMAIL_FIELDS};
pub use staff::{
    mask_email, parse_reason, parse_staff_password, InquiryStatus, MemberAction, SecondFactor, StaffRole, BACKUP_ALPHABET, BACKUP_LEN,
    STAFF_PASSWORD_MIN,
};

/// A message for one form field, in Japanese, naming the field and what to do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError(pub String);

impl FieldError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FieldError {}
